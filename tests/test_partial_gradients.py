"""The gradient of ``x[index]`` travels as the index and the values (an IndexedGradient) and
is added where it lands: the same gradients as PyTorch's, in every place a gradient goes
(leaf .grad, a node's buffer, hooks, retain_grad, ag.grad, anomaly checks, create_graph),
with one dense array per input however many reads it had."""

import numpy as np
import pytest

import autograd as ag
from autograd.ops.indexed_values import IndexedGradient

torch = pytest.importorskip("torch")

VALUES = np.random.default_rng(0).standard_normal((3, 5, 4))


def leaf(lib, values=VALUES, dtype="float64"):
    return lib.tensor(values, dtype=getattr(lib, dtype), requires_grad=True)


def assert_close(ours, theirs):
    assert ours is not None and theirs is not None
    assert tuple(ours.shape) == tuple(theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-12)


def recurrent_reads(lib, x):
    """A loop reading x[:, t] at every step, plus x used whole."""
    h = x[:, 0] * 0.0
    for t in range(x.shape[1]):
        h = (h * 0.5 + x[:, t]).tanh()
    return h.sum() + (x * x).sum() * 0.1


READS = {
    "time steps of a leaf": lambda lib, x: recurrent_reads(lib, x),
    "time steps of an intermediate": lambda lib, x: recurrent_reads(lib, x * 2.0),
    "repeated integer indexes": lambda lib, x: (
        x[[0, 0, 2]].sum() + (x[[2, 2]] * 3.0).sum() + x[0, [1, 1, 1]].sum()
    ),
    "a mask and a slice": lambda lib, x: x[x > 0].sum() + (x[1:, ::2] ** 2).sum(),
    "only reads, one each": lambda lib, x: x[0].sum() * 2.0,
    "reads of a 0-d tensor": lambda lib, x: x.sum()[None].sum() + x.sum()[...] * 2.0,
    "a read of a read": lambda lib, x: (x[1:][0][2:] * 5.0).sum() + x[2].sum(),
}


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("program", list(READS))
def test_gradients_of_reads_match_torch(program, dtype):
    ours, theirs = leaf(ag, dtype=dtype), leaf(torch, dtype=dtype)
    READS[program](ag, ours).backward()
    READS[program](torch, theirs).backward()
    if dtype == "float32":
        np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-5, atol=1e-6)
        assert ours.grad.dtype == ag.float32
    else:
        assert_close(ours.grad, theirs.grad)


def test_an_input_read_many_times_gets_one_dense_array(monkeypatch):
    made = []
    dense = IndexedGradient.dense
    monkeypatch.setattr(IndexedGradient, "dense", lambda self: made.append(1) or dense(self))
    x = leaf(ag)
    total = x[:, 0].sum()
    for t in range(1, 5):
        total = total + x[:, t].sum()
    total.backward()
    assert len(made) == 1  # the first to arrive; the other four are added into it
    np.testing.assert_array_equal(x.grad.numpy(), np.ones(VALUES.shape))


def test_ag_grad_hooks_and_retain_grad_see_dense_tensors():
    results = {}
    for lib in (ag, torch):
        x = leaf(lib)
        y = x * 3.0
        y.retain_grad()
        seen = []
        y.register_hook(lambda grad, seen=seen: seen.append(grad.detach().clone()))
        loss = y[0].sum() + (y[1:, 2] ** 2).sum()
        (grad_y,) = (
            lib.autograd.grad(loss, [y], retain_graph=True)
            if lib is torch
            else ag.grad(loss, [y], retain_graph=True)
        )
        loss.backward()
        results[lib] = grad_y, seen[-1], y.grad, x.grad
    for mine, expected in zip(results[ag], results[torch]):
        assert isinstance(mine, ag.Tensor)
        assert_close(mine, expected)


def test_a_leaf_with_post_accumulate_hook_read_by_indexes():
    grads = {}
    for lib in (ag, torch):
        x = leaf(lib)
        seen = []
        x.register_post_accumulate_grad_hook(lambda t, seen=seen: seen.append(t.grad.clone()))
        (x[0, 1:3].sum() * 2.0 + x[[1, 1]].sum()).backward()
        grads[lib] = seen
    assert len(grads[ag]) == len(grads[torch]) == 1
    assert_close(grads[ag][0], grads[torch][0])


def test_create_graph_through_reads_matches_torch():
    grads = []
    for lib in (ag, torch):
        x = leaf(lib)
        loss = (x[:, 1] ** 3).sum() + (x[0] * x[2]).sum()
        (first,) = (lib.autograd.grad if lib is torch else ag.grad)(loss, [x], create_graph=True)
        (first[:, 1] ** 2).sum().backward()
        grads.append(x.grad)
    assert_close(*grads)


@pytest.mark.filterwarnings("ignore:Anomaly Detection has been enabled")
def test_a_nan_in_a_read_gradient_is_caught_by_anomaly_detection():
    x = leaf(ag)
    with ag.detect_anomaly():
        loss = (x[0] * float("nan")).sum()
        with pytest.raises(RuntimeError, match="returned nan values"):
            loss.backward()


def test_a_read_gradient_accumulates_into_an_existing_dot_grad():
    x = leaf(ag)
    x.grad = ag.ones(VALUES.shape, dtype=ag.float64)
    before = x.grad
    x[1].sum().backward()
    expected = np.ones(VALUES.shape)
    expected[1] += 1
    np.testing.assert_array_equal(x.grad.numpy(), expected)
    assert x.grad is before  # added in place, as PyTorch's AccumulateGrad
