"""index_add, index_copy, index_fill (and their in-place forms) and repeat_interleave
against PyTorch: values, gradients of every input, and errors."""

import numpy as np
import pytest

import autograd as ag

torch = pytest.importorskip("torch")

rng = np.random.default_rng(11)
X = rng.standard_normal((3, 4))
SOURCE_COLUMNS = rng.standard_normal((3, 3))
SOURCE_ROWS = rng.standard_normal((2, 4))


def index(lib, values):
    return lib.tensor(values, dtype=lib.int64)


CASES = {
    "index_add repeated": lambda lib, x, s, r: x.index_add(1, index(lib, [0, 0, 3]), s),
    "index_add alpha": lambda lib, x, s, r: lib.index_add(
        x, 1, index(lib, [2, 1, 0]), s, alpha=-0.5
    ),
    "index_add rows": lambda lib, x, s, r: x.index_add(0, index(lib, [2, 0]), r),
    "index_copy": lambda lib, x, s, r: x.index_copy(0, index(lib, [2, 0]), r),
    "index_fill": lambda lib, x, s, r: x.index_fill(1, index(lib, [1, 3]), -2.0),
    "index_fill 0-d tensor": lambda lib, x, s, r: x.index_fill(0, index(lib, [1]), s[0, 0]),
    "repeat_interleave int": lambda lib, x, s, r: x.repeat_interleave(2),
    "repeat_interleave dim": lambda lib, x, s, r: x.repeat_interleave(index(lib, [1, 0, 3]), dim=0),
    "repeat_interleave dim 1": lambda lib, x, s, r: lib.repeat_interleave(x, 3, dim=-1),
    "index_add_": lambda lib, x, s, r: (x * 1.0).index_add_(1, index(lib, [3, 3, 1]), s, alpha=2),
    "index_copy_": lambda lib, x, s, r: (x * 1.0).index_copy_(0, index(lib, [1, 2]), r),
    "index_fill_": lambda lib, x, s, r: (x * 1.0).index_fill_(1, index(lib, [0]), 5.0),
}


@pytest.mark.parametrize("name", list(CASES))
def test_values_and_gradients_match_torch(name):
    outcomes = []
    for lib in (ag, torch):
        tensors = [lib.tensor(a, requires_grad=True) for a in (X, SOURCE_COLUMNS, SOURCE_ROWS)]
        out = CASES[name](lib, *tensors)
        (out * out).sum().backward()
        grads = [None if t.grad is None else t.grad.tolist() for t in tensors]
        outcomes.append((out.tolist(), grads))
    assert outcomes[0] == outcomes[1]


def test_repeat_interleave_of_counts():
    for counts in ([2, 0, 1], [3], []):
        ours = ag.repeat_interleave(ag.tensor(counts, dtype=ag.int64))
        theirs = torch.repeat_interleave(torch.tensor(counts, dtype=torch.int64))
        assert ours.tolist() == theirs.tolist() and ours.dtype == ag.int64


ERRORS = [
    (lambda lib: lib.zeros(3, 4).index_add(1, index(lib, [0, 5]), lib.ones(3, 2)), "out of"),
    (lambda lib: lib.zeros(3, 4).index_add(0, index(lib, [-1]), lib.ones(1, 4)), "index -1"),
    (
        lambda lib: lib.zeros(3, 4).index_add(1, lib.tensor([0.0, 1.0]), lib.ones(3, 2)),
        "Expected dtype int32/int64 for index",
    ),
    (
        lambda lib: lib.zeros(3, 4).index_add(1, index(lib, [0, 1]), lib.ones(3, 3)),
        r"Number of indices \(2\) should be equal to source.size\(dim\)",
    ),
    (
        lambda lib: lib.zeros(3, 4).index_fill(0, index(lib, [1]), lib.tensor([1.0, 2.0])),
        "only supports a 0-dimensional value tensor",
    ),
    (lambda lib: lib.arange(3.0).repeat_interleave(index(lib, [1, 2])), "same size as input"),
    (lambda lib: lib.arange(3.0).repeat_interleave(-1), "Repeats must be non-negative"),
]


@pytest.mark.parametrize(("make", "message"), ERRORS)
def test_errors_as_torch(make, message):
    for lib in (ag, torch):
        with pytest.raises(RuntimeError, match=message):
            make(lib)


def test_index_copy_and_index_fill_bounds_as_torch():
    for lib in (ag, torch):
        with pytest.raises(IndexError, match="index_copy_\\(\\): index -1 is out of bounds"):
            lib.zeros(3, 4).index_copy(0, index(lib, [-1]), lib.ones(1, 4))
        with pytest.raises(IndexError, match="index 5 is out of bounds"):
            lib.zeros(3, 4).index_fill(0, index(lib, [5]), 1.0)
        filled = lib.zeros(3, 2).index_fill(0, index(lib, [-1]), 1.0)  # from the end
        assert filled.tolist() == [[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]]


def test_a_matrix_index_is_refused_as_torch():
    for lib in (ag, torch):
        with pytest.raises(IndexError, match="Index is supposed to be a vector"):
            lib.zeros(3, 4).index_add(1, index(lib, [[0]]), lib.ones(3, 1))
