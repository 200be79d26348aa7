"""MNIST-format IDX files (MNIST, Fashion-MNIST, KMNIST ...), plain or gzip-compressed.

An IDX file is a magic number (two zero bytes, a type code, the number of dims), each dim's
size as a big-endian uint32, then the values in row-major order, big-endian. Every failure
(a missing file, a bad magic number, a truncated or corrupt file) raises an error that names
the file and says what is wrong.

>>> write_idx("labels.idx1-ubyte.gz", np.array([3, 1, 4], dtype=np.uint8))  # doctest: +SKIP
>>> read_idx("labels.idx1-ubyte.gz")                                          # doctest: +SKIP
array([3, 1, 4], dtype=uint8)
"""

import gzip
import zlib
from pathlib import Path

import numpy as np

# type code -> big-endian dtype
IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_GZIP_MAGIC = b"\x1f\x8b"


class IDXError(ValueError):
    """A file that is not a well-formed IDX file."""


def _read_bytes(path):
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"IDX file {path} does not exist")
    raw = path.read_bytes()
    if raw[:2] != _GZIP_MAGIC:
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as error:
        raise IDXError(f"IDX file {path}: corrupt or truncated gzip data ({error})") from None


def read_idx(path):
    """The array stored in the IDX file at ``path`` (gzip detected by content), with the
    file's shape and its type in native byte order."""
    raw = _read_bytes(path)
    if len(raw) < 4:
        raise IDXError(f"IDX file {path}: truncated: {len(raw)} bytes, shorter than the header")
    zeros, code, ndim = raw[:2], raw[2], raw[3]
    if zeros != b"\x00\x00" or code not in IDX_TYPES:
        raise IDXError(
            f"IDX file {path}: wrong magic number 0x{raw[:4].hex()} (expected 0x0000, a type "
            f"code in {sorted(f'0x{key:02x}' for key in IDX_TYPES)}, and the number of dims)"
        )
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise IDXError(f"IDX file {path}: truncated inside the header ({ndim} dims declared)")
    shape = tuple(np.frombuffer(raw, dtype=">u4", count=ndim, offset=4).tolist())
    dtype = np.dtype(IDX_TYPES[code])
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    found = len(raw) - header
    if found != expected:
        what = "truncated" if found < expected else "corrupt: trailing bytes"
        raise IDXError(
            f"IDX file {path}: {what}: shape {list(shape)} of {dtype.name} needs {expected} "
            f"bytes of data, found {found}"
        )
    values = np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape)
    return values.astype(dtype.newbyteorder("="))


def write_idx(path, array):
    """Write ``array`` to ``path`` as an IDX file (gzip-compressed when the name ends in
    ``.gz``); its dtype must be one IDX stores (uint8, int8, int16, int32, float32,
    float64)."""
    array = np.asarray(array)
    codes = {np.dtype(kind).newbyteorder("="): code for code, kind in IDX_TYPES.items()}
    code = codes.get(array.dtype.newbyteorder("="))
    if code is None or array.ndim > 255:
        raise TypeError(f"write_idx: IDX cannot store an array of dtype {array.dtype}")
    header = bytes([0, 0, code, array.ndim]) + np.asarray(array.shape, dtype=">u4").tobytes()
    payload = header + array.astype(IDX_TYPES[code]).tobytes()
    Path(path).write_bytes(gzip.compress(payload) if str(path).endswith(".gz") else payload)


def _find(directory, pattern):
    matches = sorted(directory.glob(pattern))
    if not matches:
        raise FileNotFoundError(f"IDX directory {directory}: no file matching {pattern!r}")
    return matches[0]


def load_idx_dir(directory):
    """The MNIST-layout files in ``directory`` (``train-images-idx3-ubyte``,
    ``train-labels-idx1-ubyte``, ``t10k-images-idx3-ubyte``, ``t10k-labels-idx1-ubyte``,
    each optionally ``.gz``) as ``{"train": (images, labels), "test": (images, labels)}``,
    images uint8 of shape (N, H, W), labels of shape (N,)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"IDX directory {directory} does not exist")
    splits = {}
    for split in ("train", "t10k"):
        images = read_idx(_find(directory, f"{split}-images[.-]idx3-ubyte*"))
        labels = read_idx(_find(directory, f"{split}-labels[.-]idx1-ubyte*"))
        if images.ndim != 3 or labels.shape != images.shape[:1]:
            raise IDXError(
                f"IDX directory {directory}: {split} images of shape {list(images.shape)} and "
                f"labels of shape {list(labels.shape)} do not match"
            )
        splits["train" if split == "train" else "test"] = (images, labels.astype(np.int64))
    return splits
