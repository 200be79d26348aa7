"""DataLoader: batches of a dataset in sequential or seeded random order, as PyTorch's.

One pass over a ``DataLoader`` draws the indices from its sampler (``SequentialSampler``,
or ``RandomSampler`` when ``shuffle=True``), groups them by ``batch_size`` (dropping a short
last batch when ``drop_last``) and turns each group of samples into one batch with
``collate_fn`` (``default_collate``: tensors, arrays and numbers stacked along a new dim 0;
tuples, lists and dicts collated field by field).

>>> loader = DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True,
...                     generator=ag.random.Generator(0))      # doctest: +SKIP
>>> for inputs, targets in loader:                             # doctest: +SKIP
...     ...
"""

import collections.abc
import numbers

import numpy as np

from autograd.dtypes import float64, int64
from autograd.factories import tensor as make_tensor
from autograd.ops.joining import stack
from autograd.random import Generator, numpy_generator
from autograd.tensor import Tensor

from .dataset import Subset, TensorDataset


class SequentialSampler:
    """The indices ``0 .. len(data_source) - 1`` in order."""

    def __init__(self, data_source):
        self.data_source = data_source

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


class RandomSampler:
    """A random permutation of the indices each pass, drawn from ``generator``; without one,
    each pass seeds a fresh generator from the default generator (as PyTorch does), so
    ``ag.manual_seed`` fixes the order too."""

    def __init__(self, data_source, generator=None):
        self.data_source = data_source
        self.generator = generator

    def __iter__(self):
        generator = self.generator
        if generator is None:
            generator = Generator(int(numpy_generator().integers(2**63)))
        return iter(generator.numpy.permutation(len(self.data_source)).tolist())

    def __len__(self):
        return len(self.data_source)


class BatchSampler:
    """Lists of ``batch_size`` indices from ``sampler``; the last one shorter unless
    ``drop_last``."""

    def __init__(self, sampler, batch_size, drop_last):
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError(
                f"batch_size should be a positive integer value, but got batch_size={batch_size}"
            )
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self):
        batch = []
        for index in self.sampler:
            batch.append(index)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self):
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return -(-len(self.sampler) // self.batch_size)


def default_collate(batch):
    """Stack a list of samples into a batch: tensors (and ndarrays) with ``ag.stack``, ints
    into an int64 tensor, floats into a float64 tensor, strings kept as a list; dicts key by
    key, namedtuples field by field, other sequences position by position (a tuple gives a
    list, as in PyTorch)."""
    first = batch[0]
    if isinstance(first, Tensor):
        return stack(batch)
    if isinstance(first, np.ndarray):
        return stack([Tensor._make(np.asarray(item)) for item in batch])
    if isinstance(first, np.generic):
        return Tensor._make(np.array(batch))
    if isinstance(first, float):
        return make_tensor(batch, dtype=float64)
    if isinstance(first, bool):
        return make_tensor(batch)
    if isinstance(first, numbers.Integral):
        return make_tensor(batch, dtype=int64)
    if isinstance(first, (str, bytes)):
        return batch
    if isinstance(first, collections.abc.Mapping):
        return type(first)({key: default_collate([item[key] for item in batch]) for key in first})
    if isinstance(first, tuple) and hasattr(first, "_fields"):  # a namedtuple
        return type(first)(*(default_collate(list(field)) for field in zip(*batch)))
    if isinstance(first, collections.abc.Sequence):
        if any(len(item) != len(first) for item in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        return [default_collate(list(field)) for field in zip(*batch)]
    raise TypeError(
        "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
        f"found {type(first).__name__}"
    )


def _tensor_base(dataset, indices):
    """Unwrap Subsets down to a TensorDataset, mapping ``indices``; None if there is none."""
    while isinstance(dataset, Subset):
        indices = [dataset.indices[index] for index in indices]
        dataset = dataset.dataset
    return (dataset, indices) if isinstance(dataset, TensorDataset) else None


class DataLoader:
    """Iterate over ``dataset`` in batches.

    Args:
        dataset: a map-style dataset (``__getitem__`` and ``__len__``).
        batch_size: samples per batch (None: single samples, not collated into batches).
        shuffle: a new random order each pass (from ``generator``).
        sampler: an iterable of indices, instead of ``shuffle``.
        collate_fn: turns a list of samples into a batch (``default_collate``).
        drop_last: skip the last batch when it is shorter than ``batch_size``.
        generator: the ``ag.random.Generator`` the shuffling draws from.

    A ``TensorDataset`` (or a ``Subset`` of one) with the default collate is indexed once
    per batch instead of once per sample; the batches are the same.
    """

    def __init__(
        self,
        dataset,
        batch_size=1,
        shuffle=False,
        sampler=None,
        num_workers=0,
        collate_fn=None,
        drop_last=False,
        generator=None,
    ):
        if sampler is not None and shuffle:
            raise ValueError("DataLoader: sampler option is mutually exclusive with shuffle")
        if num_workers != 0:
            raise ValueError("DataLoader: chainrule loads in the main process; num_workers=0")
        if sampler is None:
            sampler = (
                RandomSampler(dataset, generator=generator)
                if shuffle
                else SequentialSampler(dataset)
            )
        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.generator = generator
        self.batch_sampler = (
            None if batch_size is None else BatchSampler(sampler, batch_size, drop_last)
        )
        self.collate_fn = collate_fn or (default_collate if batch_size is not None else None)

    def __iter__(self):
        if self.batch_sampler is None:
            for index in self.sampler:
                item = self.dataset[index]
                yield item if self.collate_fn is None else self.collate_fn(item)
            return
        for indices in self.batch_sampler:
            yield self._fetch(indices)

    def _fetch(self, indices):
        if self.collate_fn is default_collate:
            base = _tensor_base(self.dataset, indices)
            if base is not None:
                dataset, mapped = base
                return list(dataset.batch(mapped))
        return self.collate_fn([self.dataset[index] for index in indices])

    def __len__(self):
        if self.batch_sampler is None:
            return len(self.sampler)
        return len(self.batch_sampler)
