"""sort, argsort, topk, select, masked_select, nonzero, index_put(_), scatter_(add_), the
in-place elementwise methods and the new_* factories, against PyTorch: values, indices,
gradients and errors."""

import numpy as np
import pytest

import autograd as ag

torch = pytest.importorskip("torch")

DATA = np.array([[0.5, -1.5, 2.0, 0.25], [3.0, 1.0, -2.0, 1.5], [-0.5, 4.0, 0.0, -3.0]])

PICKS = {
    "sort": lambda x: x.sort(),
    "sort dim 0 descending": lambda x: x.sort(0, descending=True),
    "sort stable": lambda x: x.sort(dim=1, stable=True),
    "argsort": lambda x: (x.argsort(descending=True) * 1.0).sum() + x.sum(),
    "topk": lambda x: x.topk(2),
    "topk smallest dim 0": lambda x: x.topk(2, dim=0, largest=False),
    "topk k 0": lambda x: x.topk(0),
    "select": lambda x: x.select(1, -2),
    "masked_select": lambda x: x.masked_select(x > 0.4),
    "masked_select broadcast": lambda x: x.masked_select(x[0] > 0.4),
    "ravel of a transpose": lambda x: x.t().ravel(),
    "clamp_min": lambda x: x.clamp_min(0.3),
    "clamp_max": lambda x: x.clamp_max(0.3),
    "index_put": lambda x: x.index_put((x.new_tensor([0, 2]).long(),), x[1] * 2),
}


def _flat(result):
    """Every tensor in ``result`` (a tensor or a tuple of them)."""
    return list(result) if isinstance(result, tuple) else [result]


@pytest.mark.parametrize("name", list(PICKS))
def test_values_indices_and_gradients_match_torch(name):
    outcomes = []
    for lib in (ag, torch):
        x = lib.tensor(DATA, requires_grad=True)
        results = _flat(PICKS[name](x))
        loss = sum((out * out).sum() for out in results if out.dtype == lib.float64)
        loss.backward()
        outcomes.append(
            ([out.detach().numpy().tolist() for out in results], x.grad.numpy().tolist())
        )
    assert outcomes[0] == outcomes[1]


def test_sort_puts_nan_largest_and_keeps_ties_in_order():
    data = [1.0, float("nan"), 0.0, 1.0, -1.0]
    for descending in (False, True):
        ours = ag.tensor(data).sort(descending=descending, stable=True)
        theirs = torch.tensor(data).sort(descending=descending, stable=True)
        assert ours.indices.tolist() == theirs.indices.tolist()
        np.testing.assert_array_equal(ours.values.numpy(), theirs.values.numpy())


def test_zero_d_and_named_results():
    for lib in (ag, torch):
        values, indices = lib.tensor(2.0).sort()
        assert values.item() == 2.0 and indices.item() == 0
        assert lib.tensor([3.0, 1.0]).topk(1).indices.tolist() == [0]


def test_nonzero_matches_torch():
    for data in (DATA, DATA > 0, np.float64(3.0), np.float64(0.0)):
        ours, theirs = ag.tensor(data).nonzero(), torch.tensor(data).nonzero()
        assert ours.shape == tuple(theirs.shape) and ours.dtype == ag.int64
        assert ours.tolist() == theirs.tolist()
        ours = ag.nonzero(ag.tensor(data), as_tuple=True)
        theirs = torch.nonzero(torch.tensor(data), as_tuple=True)
        assert [t.tolist() for t in ours] == [t.tolist() for t in theirs]


INPLACE = {
    "exp_": lambda y: y.exp_(),
    "log_ of abs_": lambda y: y.abs_().log_(),
    "sqrt_ of square_": lambda y: y.square_().sqrt_(),
    "tanh_": lambda y: y.tanh_(),
    "sigmoid_": lambda y: y.sigmoid_(),
    "neg_": lambda y: y.neg_(),
    "index_put_": lambda y: y.index_put_((y.new_tensor([1, 1]).long(),), y[0] * 3),
    "index_put_ accumulate": lambda y: y.index_put_(
        (y.new_tensor([1, 1]).long(),), y[2] * 1.0, accumulate=True
    ),
    "scatter_": lambda y: y.scatter_(1, y.new_tensor([[3], [0], [1]]).long(), 5.0),
    "scatter_add_": lambda y: y.scatter_add_(1, y.new_tensor([[3], [0], [1]]).long(), y[:, :1]),
}


@pytest.mark.parametrize("name", list(INPLACE))
def test_in_place_methods_match_torch(name):
    outcomes = []
    for lib in (ag, torch):
        x = lib.tensor(DATA, requires_grad=True)
        y = x * 1.0
        assert INPLACE[name](y) is y
        (y * y).sum().backward()
        outcomes.append((y.detach().numpy().tolist(), x.grad.numpy().tolist()))
    np.testing.assert_allclose(outcomes[0][0], outcomes[1][0], rtol=1e-12)
    np.testing.assert_allclose(outcomes[0][1], outcomes[1][1], rtol=1e-12)


NEW = {
    "new_zeros": lambda lib, x: x.new_zeros(2, 3),
    "new_ones tuple": lambda lib, x: x.new_ones((2,)),
    "new_full int value": lambda lib, x: x.new_full((2, 2), 7),
    "new_empty": lambda lib, x: x.new_empty(0, 4),
    "new_tensor": lambda lib, x: x.new_tensor([1, 2]),
    "new_zeros dtype": lambda lib, x: x.new_zeros(3, dtype=lib.int32),
    "new_ones requires_grad": lambda lib, x: x.new_ones(2, dtype=lib.float64, requires_grad=True),
}


@pytest.mark.parametrize("name", list(NEW))
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
def test_new_factories_take_the_dtype_as_torch(name, dtype):
    made = [NEW[name](lib, lib.zeros(1, dtype=getattr(lib, dtype))) for lib in (ag, torch)]
    assert made[0].shape == tuple(made[1].shape)
    assert str(made[0].dtype) == str(made[1].dtype).removeprefix("torch.")
    assert made[0].requires_grad == made[1].requires_grad
    if name != "new_empty":
        assert made[0].tolist() == made[1].tolist()


ERRORS = [
    (lambda lib: lib.zeros(2, 3).select(1, 5), IndexError, "index 5 out of range"),
    (lambda lib: lib.tensor(1.0).select(0, 0), IndexError, "0-dim"),
    (lambda lib: lib.zeros(3).masked_select(lib.tensor([1, 0, 1])), RuntimeError, "BoolTensor"),
    (lambda lib: lib.zeros(2, 3).masked_select(lib.tensor([True, False])), RuntimeError, "size"),
    (lambda lib: lib.zeros(3).topk(4), RuntimeError, "selected index k out of range"),
    (lambda lib: lib.zeros(3).topk(-1), RuntimeError, "selected index k out of range"),
    (lambda lib: lib.zeros(3).sort(dim=1), IndexError, "Dimension out of range"),
]


@pytest.mark.parametrize(("make", "error", "message"), ERRORS)
def test_errors_as_torch(make, error, message):
    for lib in (ag, torch):
        with pytest.raises(error, match=message):
            make(lib)


def test_is_contiguous_as_torch():
    for lib in (ag, torch):
        x = lib.zeros(2, 3)
        assert x.is_contiguous() and not x.t().is_contiguous()
        assert x[:, :1].is_contiguous() is False and x[:1].is_contiguous()
