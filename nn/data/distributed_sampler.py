"""DistributedSampler: each rank's share of a dataset's indices, as PyTorch's.

The epoch's index order (a permutation seeded by ``seed + epoch`` when ``shuffle``, the same
on every rank) is cut to a multiple of ``num_replicas``: padded by repeating its first
indices, or, with ``drop_last``, truncated. Rank r takes every ``num_replicas``-th index from
position r, so the ranks' shares are disjoint and together cover the (padded) epoch. Call
``set_epoch(epoch)`` before each epoch to draw a new order.

>>> sampler = DistributedSampler(dataset, num_replicas=2, rank=0)      # doctest: +SKIP
>>> loader = DataLoader(dataset, batch_size=64, sampler=sampler)       # doctest: +SKIP
>>> for epoch in range(epochs):                                        # doctest: +SKIP
...     sampler.set_epoch(epoch)
"""

import math

import numpy as np

from autograd import distributed as dist
from autograd.random import Generator


class DistributedSampler:
    """Indices ``rank, rank + num_replicas, ...`` of the epoch's (shuffled) order.

    ``num_replicas`` and ``rank`` default to the process group's world size and rank.
    ``len(sampler)`` is ``ceil(len(dataset) / num_replicas)``, or with ``drop_last``
    ``len(dataset) // num_replicas``.
    """

    def __init__(
        self, dataset, num_replicas=None, rank=None, shuffle=True, seed=0, drop_last=False
    ):
        if num_replicas is None:
            num_replicas = dist.get_world_size()
        if rank is None:
            rank = dist.get_rank()
        if isinstance(num_replicas, bool) or not isinstance(num_replicas, int) or num_replicas < 1:
            raise ValueError(
                f"DistributedSampler: num_replicas must be a positive integer, got {num_replicas!r}"
            )
        if isinstance(rank, bool) or not isinstance(rank, int) or not 0 <= rank < num_replicas:
            raise ValueError(
                f"Invalid rank {rank}, rank should be in the interval [0, {num_replicas - 1}]"
            )
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.shuffle = shuffle
        self.seed = seed
        self.drop_last = drop_last
        self.epoch = 0
        size = len(dataset)
        if drop_last:
            self.num_samples = size // num_replicas
        else:
            self.num_samples = math.ceil(size / num_replicas)
        self.total_size = self.num_samples * num_replicas

    def __iter__(self):
        size = len(self.dataset)
        if self.shuffle:
            indices = Generator(self.seed + self.epoch).numpy.permutation(size)
        else:
            indices = np.arange(size)
        if self.total_size > size:  # pad with the first indices, repeated as often as needed
            indices = np.resize(indices, self.total_size)
        indices = indices[self.rank : self.total_size : self.num_replicas]
        return iter(indices.tolist())

    def __len__(self):
        return self.num_samples

    def set_epoch(self, epoch):
        """Use the order of epoch ``epoch`` (seeded by ``seed + epoch``) from the next pass."""
        self.epoch = epoch
