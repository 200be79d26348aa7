"""The shipped digits (shape, labels, checksum), IDX files (round trip and every corruption
case) and the seeded synthetic sets."""

import gzip
import hashlib
from pathlib import Path

import numpy as np
import pytest

from nn.data import digits, idx, synthetic

SHARED_SHA256 = Path("/work/shared/data/digits.csv.gz.sha256")


def test_digits_shape_labels_and_values():
    images, labels = digits.load_digits()
    assert images.shape == (1797, 8, 8) and images.dtype == np.uint8
    assert labels.shape == (1797,) and labels.dtype == np.int64
    assert images.max() == 16 and images.min() == 0
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    flat = digits.digits_dataset(flatten=True)
    assert flat.tensors[0].shape == (1797, 64) and flat.tensors[0].dtype == np.float32
    assert digits.digits_dataset().tensors[0].shape == (1797, 1, 8, 8)
    np.testing.assert_array_equal(flat.tensors[0].data * 16, images.reshape(1797, 64))


def test_digits_checksum():
    digest = hashlib.sha256(digits.DIGITS_PATH.read_bytes()).hexdigest()
    assert digest == digits.DIGITS_SHA256
    if SHARED_SHA256.exists():
        assert SHARED_SHA256.read_text().split()[0] == digest
    assert (digits.DIGITS_PATH.parent / "DIGITS_LICENSE.md").read_text().count("CC BY 4.0")


def test_digits_damaged_file(tmp_path):
    damaged = tmp_path / "digits.csv.gz"
    raw = digits.DIGITS_PATH.read_bytes()
    damaged.write_bytes(raw[:-1] + bytes([raw[-1] ^ 1]))
    with pytest.raises(RuntimeError, match=r"digits.csv.gz has sha256 .* damaged"):
        digits.load_digits(damaged)


ARRAYS = [
    np.arange(24, dtype=np.uint8).reshape(2, 3, 4),
    np.array([-3, 0, 5], dtype=np.int8),
    np.arange(-6, 6, dtype=np.int16).reshape(3, 4),
    np.array([[1 << 30, -7]], dtype=np.int32),
    np.linspace(-1, 1, 5, dtype=np.float32),
    np.array([[np.pi]]),
]


@pytest.mark.parametrize("suffix", ["", ".gz"])
@pytest.mark.parametrize("array", ARRAYS, ids=lambda a: str(a.dtype))
def test_idx_round_trip(tmp_path, array, suffix):
    path = tmp_path / f"values.idx{array.ndim}-ubyte{suffix}"
    idx.write_idx(path, array)
    raw = path.read_bytes()
    assert (raw[:2] == b"\x1f\x8b") == bool(suffix)
    loaded = idx.read_idx(path)
    assert loaded.dtype == array.dtype and loaded.dtype.isnative
    np.testing.assert_array_equal(loaded, array)


def test_idx_big_endian_layout(tmp_path):
    path = tmp_path / "short.idx1-ubyte"
    idx.write_idx(path, np.array([1, 256], dtype=np.int16))
    assert path.read_bytes() == bytes([0, 0, 0x0B, 1, 0, 0, 0, 2, 0, 1, 1, 0])


def _corrupt(tmp_path, payload, gz=False):
    path = tmp_path / ("bad.idx3-ubyte.gz" if gz else "bad.idx3-ubyte")
    path.write_bytes(gzip.compress(payload) if gz else payload)
    return path


GOOD = bytes([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3]) + bytes(range(6))


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (GOOD[:-1], r"truncated: shape \[2, 3\] of uint8 needs 6 bytes of data, found 5"),
        (GOOD + b"\0", "corrupt: trailing bytes"),
        (GOOD[:3], "truncated: 3 bytes, shorter than the header"),
        (GOOD[:9], r"truncated inside the header \(2 dims declared\)"),
        (b"\x01" + GOOD[1:], "wrong magic number 0x01000802"),
        (GOOD[:2] + b"\x07" + GOOD[3:], "wrong magic number 0x00000702"),
    ],
    ids=["data", "trailing", "short", "header", "zeros", "type"],
)
def test_idx_corruption_names_file_and_problem(tmp_path, payload, message, gz):
    path = _corrupt(tmp_path, payload, gz)
    with pytest.raises(idx.IDXError, match=f"IDX file {path}: {message}"):
        idx.read_idx(path)


def test_idx_missing_and_bad_gzip(tmp_path):
    with pytest.raises(FileNotFoundError, match=f"IDX file {tmp_path / 'none'} does not exist"):
        idx.read_idx(tmp_path / "none")
    path = _corrupt(tmp_path, b"", gz=False)
    path.write_bytes(gzip.compress(GOOD)[:-6])
    with pytest.raises(idx.IDXError, match="corrupt or truncated gzip data"):
        idx.read_idx(path)
    with pytest.raises(TypeError, match="cannot store an array of dtype int64"):
        idx.write_idx(tmp_path / "x", np.zeros(2, dtype=np.int64))


def _mnist_dir(directory, train=6, test=4):
    rng = np.random.default_rng(0)
    for split, count in (("train", train), ("t10k", test)):
        images = rng.integers(0, 256, (count, 5, 4)).astype(np.uint8)
        idx.write_idx(directory / f"{split}-images-idx3-ubyte.gz", images)
        idx.write_idx(directory / f"{split}-labels-idx1-ubyte", np.arange(count, dtype=np.uint8))
    return directory


def test_load_idx_dir(tmp_path):
    splits = idx.load_idx_dir(_mnist_dir(tmp_path))
    assert splits["train"][0].shape == (6, 5, 4) and splits["test"][1].tolist() == [0, 1, 2, 3]
    assert splits["test"][1].dtype == np.int64
    (tmp_path / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(FileNotFoundError, match="no file matching 't10k-labels"):
        idx.load_idx_dir(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"IDX directory .*nowhere does not exist"):
        idx.load_idx_dir(tmp_path / "nowhere")
    idx.write_idx(tmp_path / "t10k-labels-idx1-ubyte", np.arange(3, dtype=np.uint8))
    with pytest.raises(idx.IDXError, match=r"t10k images of shape \[4, 5, 4\] and labels"):
        idx.load_idx_dir(tmp_path)


@pytest.mark.parametrize("maker", [synthetic.moons, synthetic.spirals, synthetic.xor])
def test_synthetic_classification_sets(maker):
    points, labels = maker(301, seed=4)
    assert points.shape == (301, 2) and points.dtype == np.float32
    assert labels.shape == (301,) and labels.dtype == np.int64
    counts = np.bincount(labels.data)
    assert counts.max() - counts.min() <= (70 if maker is synthetic.xor else 1)
    again, _ = maker(301, seed=4)
    np.testing.assert_array_equal(again.data, points.data)
    assert not np.array_equal(maker(301, seed=5)[0].data, points.data)


def test_synthetic_geometry():
    points, labels = synthetic.xor(500, noise=0.0)
    product = points.data[:, 0] * points.data[:, 1]
    np.testing.assert_array_equal(labels.data == 1, product < 0)
    points, labels = synthetic.moons(400, noise=0.0)
    upper = points.data[labels.data == 0]
    np.testing.assert_allclose(np.hypot(*upper.T), 1, rtol=1e-6)
    points, _ = synthetic.spirals(90, noise=0.0)
    assert np.hypot(*points.data.T).max() <= 1


def test_sequence_sets():
    inputs, targets = synthetic.sine_sequences(3, 10, seed=1)
    assert inputs.shape == targets.shape == (3, 10, 1)
    np.testing.assert_array_equal(inputs.data[:, 1:], targets.data[:, :-1])
    inputs, targets = synthetic.adding_problem(4, 12, seed=1)
    assert inputs.shape == (4, 12, 2) and targets.shape == (4, 1)
    markers = inputs.data[..., 1]
    assert (markers.sum(axis=1) == 2).all()
    assert (markers[:, :6].sum(axis=1) == 1).all()
    sums = (inputs.data[..., 0] * markers).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(targets.data, sums, rtol=1e-6)
