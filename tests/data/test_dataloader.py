"""nn.data's Dataset classes, random_split, DataLoader batching, shuffling and collation."""

import collections
import itertools

import numpy as np
import pytest

import autograd as ag
from nn.data import (
    ConcatDataset,
    DataLoader,
    Dataset,
    Subset,
    TensorDataset,
    default_collate,
    random_split,
)


def _dataset(n=10):
    return TensorDataset(ag.arange(2.0 * n).reshape(n, 2), ag.arange(n))


class Samples(Dataset):
    """Samples given as a list (any structure), to exercise default_collate."""

    def __init__(self, samples):
        self.samples = samples

    def __getitem__(self, index):
        return self.samples[index]

    def __len__(self):
        return len(self.samples)


def _flat(lists):
    return list(itertools.chain.from_iterable(lists))


def _labels(loader):
    return [batch[1].tolist() for batch in loader]


@pytest.mark.parametrize(("drop_last", "sizes"), [(False, [4, 4, 2]), (True, [4, 4])])
def test_batch_sizes_and_len(drop_last, sizes):
    loader = DataLoader(_dataset(), batch_size=4, drop_last=drop_last)
    batches = list(loader)
    assert [len(labels) for _, labels in batches] == sizes
    assert len(loader) == len(sizes)
    assert batches[0][0].shape == (4, 2) and batches[0][1].dtype == np.int64
    assert _flat(_labels(loader)) == list(range(sum(sizes)))


def test_shuffle_is_a_seeded_permutation():
    def order(seed):
        loader = DataLoader(_dataset(), 3, shuffle=True, generator=ag.random.Generator(seed))
        return _flat(_labels(loader)), _flat(_labels(loader))

    first, second = order(5)
    assert sorted(first) == list(range(10)) and first != list(range(10))
    assert second != first  # a new order each pass
    assert order(5) == (first, second)
    assert order(6) != (first, second)


def test_shuffle_without_generator_follows_manual_seed():
    loader = DataLoader(_dataset(), 10, shuffle=True)
    ag.manual_seed(3)
    first = _labels(loader)
    ag.manual_seed(3)
    assert _labels(loader) == first


def test_generator_state_restores_the_order():
    generator = ag.random.Generator(1)
    loader = DataLoader(_dataset(), 10, shuffle=True, generator=generator)
    state = generator.get_state()
    first = _labels(loader)
    generator.set_state(state)
    assert _labels(loader) == first


def test_tensor_fast_path_matches_per_sample_collation():
    data = random_split(_dataset(20), [15, 5], generator=ag.random.Generator(0))[0]
    fast = DataLoader(data, 4, shuffle=True, generator=ag.random.Generator(2))
    slow = DataLoader(
        data,
        4,
        shuffle=True,
        generator=ag.random.Generator(2),
        collate_fn=lambda b: default_collate(b),
    )
    for (x_fast, y_fast), (x_slow, y_slow) in zip(fast, slow, strict=True):
        np.testing.assert_array_equal(x_fast.data, x_slow.data)
        np.testing.assert_array_equal(y_fast.data, y_slow.data)


def test_collate_tuples_dicts_numbers():
    point = collections.namedtuple("Point", "x y")
    samples = [
        {
            "image": ag.full((2,), float(i)),
            "label": i,
            "weight": 0.5 * i,
            "name": f"s{i}",
            "pair": (i, ag.tensor([i, -i])),
            "point": point(i, 2 * i),
        }
        for i in range(3)
    ]
    (batch,) = DataLoader(Samples(samples), batch_size=3)
    assert batch["image"].tolist() == [[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]]
    assert batch["label"].dtype == np.int64 and batch["label"].tolist() == [0, 1, 2]
    assert batch["weight"].dtype == np.float64 and batch["weight"].tolist() == [0.0, 0.5, 1.0]
    assert batch["name"] == ["s0", "s1", "s2"]
    assert isinstance(batch["pair"], list)  # a tuple collates into a list, as in PyTorch
    assert batch["pair"][0].tolist() == [0, 1, 2]
    assert batch["pair"][1].tolist() == [[0, 0], [1, -1], [2, -2]]
    assert isinstance(batch["point"], point) and batch["point"].y.tolist() == [0, 2, 4]


def test_collate_matches_torch():
    torch = pytest.importorskip("torch")
    from torch.utils.data import default_collate as torch_collate

    samples = [(np.float32(i), i, 1.5 * i, [i, i + 1]) for i in range(4)]
    ours, theirs = default_collate(samples), torch_collate(samples)
    assert type(ours) is type(theirs)
    for mine, reference in zip(ours[:3], theirs[:3]):
        assert str(mine.dtype) == str(reference.dtype).removeprefix("torch.")
        np.testing.assert_array_equal(mine.data, reference.numpy())
    assert [item.tolist() for item in ours[3]] == [item.tolist() for item in theirs[3]]
    del torch


def test_collate_errors():
    with pytest.raises(RuntimeError, match="equal size"):
        default_collate([(1, 2), (1,)])
    with pytest.raises(TypeError, match="found object"):
        default_collate([object()])


def test_no_batching_and_sampler():
    data = _dataset(4)
    assert [label.item() for _, label in DataLoader(data, batch_size=None)] == [0, 1, 2, 3]
    loader = DataLoader(data, batch_size=2, sampler=[3, 1, 2])
    assert _labels(loader) == [[3, 1], [2]]
    with pytest.raises(ValueError, match="mutually exclusive"):
        DataLoader(data, shuffle=True, sampler=[0])
    with pytest.raises(ValueError, match="batch_size should be a positive integer"):
        DataLoader(data, batch_size=0)


def test_tensor_dataset_subset_concat():
    data = _dataset(5)
    x, y = data[2]
    assert x.tolist() == [4.0, 5.0] and y.item() == 2
    with pytest.raises(ValueError, match="Size mismatch"):
        TensorDataset(ag.zeros(3), ag.zeros(4))
    with pytest.raises(TypeError, match="argument 1 must be a Tensor"):
        TensorDataset(ag.zeros(3), [1, 2, 3])
    subset = Subset(data, [4, 0])
    assert len(subset) == 2 and subset[0][1].item() == 4
    both = data + subset
    assert isinstance(both, ConcatDataset) and len(both) == 7
    assert both[5][1].item() == 4 and both[-1][1].item() == 0
    with pytest.raises(IndexError, match="out of range"):
        both[-8]


def test_random_split():
    data = _dataset(10)
    parts = random_split(data, [0.5, 0.3, 0.2], generator=ag.random.Generator(0))
    assert [len(part) for part in parts] == [5, 3, 2]
    indices = _flat(part.indices for part in parts)
    assert sorted(indices) == list(range(10))
    again = random_split(data, [5, 3, 2], generator=ag.random.Generator(0))
    assert [part.indices for part in again] == [part.indices for part in parts]
    assert [len(part) for part in random_split(_dataset(7), [0.5, 0.5])] == [4, 3]
    with pytest.raises(ValueError, match="Sum of input lengths"):
        random_split(data, [5, 4])
    with pytest.raises(ValueError, match="non-negative ints"):
        random_split(data, [11, -1])
