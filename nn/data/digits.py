"""The handwritten digits shipped with chainrule: 1,797 images of 8x8 pixels, labels 0..9.

The file ``digits.csv.gz`` (UCI's "Optical Recognition of Handwritten Digits" test set,
CC BY 4.0, see ``DIGITS_LICENSE.md``) is package data, so nothing is downloaded; its sha256
is checked before it is read.

>>> images, labels = load_digits()
>>> images.shape, labels.shape
((1797, 8, 8), (1797,))
"""

import gzip
import hashlib
from pathlib import Path

import numpy as np

from autograd.tensor import Tensor

from .dataset import TensorDataset

DIGITS_PATH = Path(__file__).with_name("digits.csv.gz")
DIGITS_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"
MAX_INTENSITY = 16


def load_digits(path=DIGITS_PATH):
    """The images, uint8 of shape (1797, 8, 8) with values 0..16, and the labels, int64 of
    shape (1797,); raises RuntimeError when the file's sha256 is not the shipped one."""
    raw = Path(path).read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != DIGITS_SHA256:
        raise RuntimeError(
            f"load_digits: {path} has sha256 {digest}, expected {DIGITS_SHA256}: the file is "
            "damaged; reinstall chainrule"
        )
    table = np.loadtxt(gzip.decompress(raw).decode("ascii").splitlines(), delimiter=",")
    table = table.astype(np.int64)
    return table[:, :64].astype(np.uint8).reshape(-1, 8, 8), table[:, 64]


def digits_dataset(flatten=False):
    """A TensorDataset of float32 images scaled to [0, 1], shape (1797, 1, 8, 8) (or
    (1797, 64) when ``flatten``), and int64 labels of shape (1797,)."""
    images, labels = load_digits()
    images = images.astype(np.float32) / MAX_INTENSITY
    images = images.reshape(len(images), -1) if flatten else images[:, None]
    return TensorDataset(Tensor._make(images), Tensor._make(labels))
