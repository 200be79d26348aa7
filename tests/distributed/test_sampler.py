"""DistributedSampler, with num_replicas and rank given (no MPI needed)."""

import numpy as np
import pytest

import autograd as ag
from nn.data import DataLoader, DistributedSampler, TensorDataset


def shares(size, replicas, **options):
    return [
        list(DistributedSampler(range(size), num_replicas=replicas, rank=rank, **options))
        for rank in range(replicas)
    ]


@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("replicas", [1, 2, 3, 4])
def test_divisible_epoch_is_partitioned_exactly(replicas, shuffle):
    parts = shares(12, replicas, shuffle=shuffle)
    assert [len(part) for part in parts] == [12 // replicas] * replicas
    assert sorted(index for part in parts for index in part) == list(range(12))


def test_unshuffled_order_is_strided():
    assert shares(6, 2, shuffle=False) == [[0, 2, 4], [1, 3, 5]]


@pytest.mark.parametrize("size", [1, 5, 10, 11])
def test_padding_repeats_the_first_indices(size):
    parts = shares(size, 4, shuffle=False)
    padded = -(-size // 4) * 4
    assert all(len(part) == padded // 4 for part in parts)
    flat = sorted(index for part in parts for index in part)
    expected = sorted(list(range(size)) + np.resize(np.arange(size), padded)[size:].tolist())
    assert flat == expected


def test_drop_last_truncates_and_stays_disjoint():
    parts = shares(11, 4, drop_last=True, seed=3)
    assert [len(part) for part in parts] == [2] * 4
    flat = [index for part in parts for index in part]
    assert len(set(flat)) == 8 and set(flat) <= set(range(11))


def test_reshuffles_per_epoch_and_repeats_per_seed():
    sampler = DistributedSampler(range(100), num_replicas=2, rank=1, seed=5)
    first = list(sampler)
    assert list(sampler) == first
    sampler.set_epoch(1)
    second = list(sampler)
    assert second != first and sorted(second) != sorted(first)
    parts = []
    for rank in range(2):
        other = DistributedSampler(range(100), num_replicas=2, rank=rank, seed=5)
        other.set_epoch(1)
        parts.append(list(other))
    assert parts[1] == second
    assert sorted(parts[0] + parts[1]) == list(range(100))
    assert list(DistributedSampler(range(100), num_replicas=2, rank=1, seed=6)) != first


def test_feeds_a_data_loader():
    dataset = TensorDataset(ag.arange(10.0))
    sampler = DistributedSampler(dataset, num_replicas=2, rank=0, shuffle=False)
    batches = [batch[0].tolist() for batch in DataLoader(dataset, batch_size=2, sampler=sampler)]
    assert batches == [[0.0, 2.0], [4.0, 6.0], [8.0]]


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"num_replicas": 2, "rank": 2}, ValueError, r"Invalid rank 2, .*\[0, 1\]"),
        ({"num_replicas": 2, "rank": -1}, ValueError, "Invalid rank -1"),
        ({"num_replicas": 0, "rank": 0}, ValueError, "num_replicas must be a positive"),
        ({}, ValueError, "Default process group has not been initialized"),
    ],
)
def test_errors(options, error, message):
    with pytest.raises(error, match=message):
        DistributedSampler(range(4), **options)
