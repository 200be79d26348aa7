"""The datasets ``chainrule --dataset`` names, each cut into train, validation and test sets.

- ``digits``: the shipped 8x8 digits (1,797), pixels scaled to [0, 1], split 1,257 / 180 /
  360 by a fixed seeded permutation, the same for every run.
- ``moons``, ``spirals``, ``xor``: 1,000 synthetic points each (fixed seed), split 70 / 15 /
  15 %.
- ``idx:DIR``: an MNIST-layout directory of IDX files (MNIST, Fashion-MNIST, KMNIST); the
  last 10% of its training set, in a fixed seeded order, is the validation set; t10k is the
  test set. Pixels scaled to [0, 1].
"""

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from autograd.random import Generator
from autograd.tensor import Tensor
from nn.data import TensorDataset, digits, idx, random_split, synthetic

SPLIT_SEED = 0
SYNTHETIC = {"moons": synthetic.moons, "spirals": synthetic.spirals, "xor": synthetic.xor}
DATASETS = ("digits", *SYNTHETIC, "idx:DIR")
SYNTHETIC_SIZE = 1000


@dataclass
class Splits:
    """Train, validation and test TensorDatasets of (inputs, int64 labels)."""

    train: object
    val: object
    test: object
    input_shape: tuple
    classes: int


def dataset_name(text):
    """argparse type of --dataset: a known name, or idx: and an existing directory."""
    if text.startswith("idx:"):
        if not Path(text[4:]).is_dir():
            raise argparse.ArgumentTypeError(f"IDX directory {text[4:]!r} does not exist")
        return text
    if text not in DATASETS[:-1]:
        raise argparse.ArgumentTypeError(
            f"unknown dataset {text!r} (choose from {', '.join(DATASETS)})"
        )
    return text


def _three_way(dataset, fractions):
    return random_split(dataset, fractions, generator=Generator(SPLIT_SEED))


def _images(images, labels):
    pixels = images.astype(np.float32)[:, None] / np.float32(255)
    return TensorDataset(Tensor._make(pixels), Tensor._make(labels))


def load_splits(name):
    """The Splits of dataset ``name``; IDX problems raise FileNotFoundError or IDXError."""
    if name == "digits":
        full = digits.digits_dataset()
        train, val, test = _three_way(full, [1257, 180, 360])
        return Splits(train, val, test, (1, 8, 8), 10)
    if name in SYNTHETIC:
        points, labels = SYNTHETIC[name](SYNTHETIC_SIZE, seed=SPLIT_SEED)
        classes = int(labels.data.max()) + 1
        train, val, test = _three_way(TensorDataset(points, labels), [0.7, 0.15, 0.15])
        return Splits(train, val, test, (2,), classes)
    splits = idx.load_idx_dir(name[4:])
    train_images, train_labels = splits["train"]
    full = _images(train_images, train_labels)
    held_out = len(full) // 10
    train, val = _three_way(full, [len(full) - held_out, held_out])
    test = _images(*splits["test"])
    classes = int(max(train_labels.max(), splits["test"][1].max())) + 1
    return Splits(train, val, test, (1, *train_images.shape[1:]), classes)
