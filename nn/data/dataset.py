"""Datasets: the map-style ``Dataset`` protocol and its common forms, as ``torch.utils.data``.

A dataset is anything with ``__getitem__(index)`` and ``__len__()``. ``TensorDataset`` pairs
tensors along their first dim, ``Subset`` views some indices of another dataset,
``ConcatDataset`` chains datasets, and ``random_split`` cuts one into seeded random parts.

>>> data = TensorDataset(ag.arange(6.0).reshape(3, 2), ag.tensor([0, 1, 0]))
>>> data[1]
(tensor([2., 3.]), tensor(1))
>>> train, val = random_split(data, [2, 1], generator=ag.random.Generator(0))
"""

import bisect
import itertools
import math

import numpy as np

from autograd.factories import randperm
from autograd.tensor import Tensor


class Dataset:
    """The base class of map-style datasets: subclasses define ``__getitem__`` (and usually
    ``__len__``); ``a + b`` concatenates two datasets."""

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")

    def __add__(self, other):
        return ConcatDataset([self, other])


class TensorDataset(Dataset):
    """Sample ``i`` is ``tuple(tensor[i] for tensor in tensors)``; every tensor has the same
    size in dim 0, the number of samples."""

    def __init__(self, *tensors):
        if not tensors:
            raise ValueError("TensorDataset: needs at least one tensor")
        for position, tensor in enumerate(tensors):
            if not isinstance(tensor, Tensor):
                raise TypeError(
                    f"TensorDataset: argument {position} must be a Tensor, not "
                    f"{type(tensor).__name__}"
                )
        sizes = [tensor.shape[0] if tensor.ndim else None for tensor in tensors]
        if None in sizes or len(set(sizes)) != 1:
            shapes = [list(tensor.shape) for tensor in tensors]
            raise ValueError(f"TensorDataset: Size mismatch between tensors (shapes {shapes})")
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(tensor[index] for tensor in self.tensors)

    def __len__(self):
        return self.tensors[0].shape[0]

    def batch(self, indices):
        """The samples at ``indices`` already stacked: ``tuple(tensor[indices] ...)``, what
        ``default_collate`` makes of ``[self[i] for i in indices]``, in one indexing step."""
        indices = np.asarray(indices, dtype=np.int64)
        return tuple(Tensor._make(tensor.data[indices]) for tensor in self.tensors)


class Subset(Dataset):
    """The samples ``dataset[indices[i]]``, in the order of ``indices``."""

    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, index):
        if isinstance(index, list):
            return self.dataset[[self.indices[i] for i in index]]
        return self.dataset[self.indices[index]]

    def __len__(self):
        return len(self.indices)


class ConcatDataset(Dataset):
    """The samples of each dataset in turn; ``cumulative_sizes[k]`` counts those of the first
    ``k + 1``."""

    def __init__(self, datasets):
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("ConcatDataset: datasets should not be an empty iterable")
        self.cumulative_sizes = np.cumsum([len(dataset) for dataset in self.datasets]).tolist()

    def __len__(self):
        return self.cumulative_sizes[-1]

    def __getitem__(self, index):
        if index < 0:
            if -index > len(self):
                raise IndexError(
                    f"ConcatDataset: index {index} is out of range for length {len(self)}"
                )
            index += len(self)
        part = bisect.bisect_right(self.cumulative_sizes, index)
        start = self.cumulative_sizes[part - 1] if part else 0
        return self.datasets[part][index - start]


def _split_lengths(lengths, total):
    """Integer lengths from ``lengths``: integers kept; fractions summing to 1 floored, then
    the remainder handed out one by one from the first part on (PyTorch's rule)."""
    lengths = list(lengths)
    if all(0 <= length <= 1 for length in lengths) and math.isclose(sum(lengths), 1):
        counts = [math.floor(total * fraction) for fraction in lengths]
        for index in range(total - sum(counts)):
            counts[index % len(counts)] += 1
        return counts
    if any(not isinstance(length, int) or length < 0 for length in lengths):
        raise ValueError(
            f"random_split: lengths must be non-negative ints or fractions summing to 1, "
            f"got {lengths}"
        )
    if sum(lengths) != total:
        raise ValueError(
            "random_split: Sum of input lengths does not equal the length of the input dataset! "
            f"({sum(lengths)} != {total})"
        )
    return lengths


def random_split(dataset, lengths, generator=None):
    """Split ``dataset`` into non-overlapping ``Subset``s of the given lengths (ints summing
    to ``len(dataset)``, or fractions summing to 1), after one random permutation drawn from
    ``generator`` (the default generator when None)."""
    lengths = _split_lengths(lengths, len(dataset))
    order = randperm(sum(lengths), generator=generator).tolist()
    offsets = np.cumsum([0, *lengths]).tolist()
    return [Subset(dataset, order[start:stop]) for start, stop in itertools.pairwise(offsets)]
