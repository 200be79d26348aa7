"""Synthetic datasets, each drawn from its own ``seed``: the same call gives the same data.

Classification sets return ``(points, labels)``: float32 points of shape (n, 2) and int64
labels of shape (n,). Sequence sets return ``(inputs, targets)`` of float32.

>>> points, labels = moons(200, noise=0.1, seed=0)
>>> points.shape, labels.shape
((200, 2), (200,))
"""

import math

import numpy as np

from autograd.tensor import Tensor


def _rng(seed):
    return np.random.Generator(np.random.PCG64(seed))


def _pair(points, labels):
    return Tensor._make(points.astype(np.float32)), Tensor._make(labels.astype(np.int64))


def _split_counts(n, parts):
    """``n`` samples over ``parts`` classes, the first ones one larger when it is uneven."""
    return [n // parts + (index < n % parts) for index in range(parts)]


def moons(n_samples=200, noise=0.1, seed=0):
    """Two interleaving half circles: class 0 is (cos t, sin t), class 1 is
    (1 - cos t, 0.5 - sin t), t uniform in [0, pi], plus Gaussian noise of std ``noise``."""
    rng = _rng(seed)
    counts = _split_counts(n_samples, 2)
    angles = rng.uniform(0, math.pi, n_samples)
    labels = np.repeat([0, 1], counts)
    upper = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    lower = np.stack([1 - np.cos(angles), 0.5 - np.sin(angles)], axis=1)
    points = np.where(labels[:, None] == 0, upper, lower)
    return _pair(points + rng.normal(0, noise, points.shape), labels)


def spirals(n_samples=300, classes=3, noise=0.2, turns=1.0, seed=0):
    """``classes`` interleaved spiral arms: arm k at radius r in [0, 1] has angle
    2 pi (k / classes + turns r) plus Gaussian noise of std ``noise`` (radians)."""
    rng = _rng(seed)
    labels = np.repeat(np.arange(classes), _split_counts(n_samples, classes))
    radius = rng.uniform(0, 1, n_samples)
    angle = 2 * math.pi * (labels / classes + turns * radius) + rng.normal(0, noise, n_samples)
    points = radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return _pair(points, labels)


def xor(n_samples=200, noise=0.05, seed=0):
    """Points uniform in [-1, 1]^2, labelled 1 when exactly one coordinate is positive, then
    moved by Gaussian noise of std ``noise``."""
    rng = _rng(seed)
    points = rng.uniform(-1, 1, (n_samples, 2))
    labels = (points[:, 0] > 0) != (points[:, 1] > 0)
    return _pair(points + rng.normal(0, noise, points.shape), labels)


def sine_sequences(n_samples=100, length=50, seed=0):
    """Next-step prediction on sine waves a sin(w t + phi) (a in [0.5, 1.5], w in [0.1, 0.5],
    phi in [0, 2 pi]): inputs are the values at t = 0..length-1, targets those at
    t = 1..length, both of shape (n, length, 1)."""
    rng = _rng(seed)
    amplitude = rng.uniform(0.5, 1.5, (n_samples, 1))
    frequency = rng.uniform(0.1, 0.5, (n_samples, 1))
    phase = rng.uniform(0, 2 * math.pi, (n_samples, 1))
    waves = amplitude * np.sin(frequency * np.arange(length + 1) + phase)
    waves = waves.astype(np.float32)[..., None]
    return Tensor._make(waves[:, :-1]), Tensor._make(waves[:, 1:])


def adding_problem(n_samples=100, length=50, seed=0):
    """Hochreiter and Schmidhuber's adding problem: inputs (n, length, 2) hold a value
    uniform in [0, 1] and a marker that is 1 at two random steps (one in each half); the
    target, shape (n, 1), is the sum of the two marked values."""
    rng = _rng(seed)
    values = rng.uniform(0, 1, (n_samples, length))
    first = rng.integers(0, length // 2, n_samples)
    second = rng.integers(length // 2, length, n_samples)
    markers = np.zeros((n_samples, length))
    rows = np.arange(n_samples)
    markers[rows, first] = 1
    markers[rows, second] = 1
    inputs = np.stack([values, markers], axis=-1).astype(np.float32)
    targets = (values[rows, first] + values[rows, second]).astype(np.float32)[:, None]
    return Tensor._make(inputs), Tensor._make(targets)
