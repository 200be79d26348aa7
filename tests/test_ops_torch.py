"""Every op case against PyTorch: forward values and input gradients, in float64 and float32.

Input values are drawn by hypothesis (through a seed); shapes come from the cases, and
``test_broadcasting_against_torch`` draws random broadcastable shapes for the binary ops.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from specs import CASES, Const, draw_inputs

torch = pytest.importorskip("torch")

TORCH_CASES = [case for case in CASES if case.torch and not case.backward_error]


def _as_tuple(value):
    return value if isinstance(value, tuple) else (value,)


def run_both(case, arrays, dtype=np.float64):
    """(chainrule outputs, torch outputs, chainrule grads, torch grads) for the same inputs."""
    ours, theirs = [], []
    for item, array in zip(case.inputs, arrays):
        if isinstance(item, Const):
            ours.append(ag.tensor(array))
            theirs.append(torch.tensor(array))
        else:
            ours.append(ag.tensor(array.astype(dtype), requires_grad=True))
            theirs.append(torch.tensor(array.astype(dtype), requires_grad=True))
    out_ours = _as_tuple(case.fn(ag, *ours))
    out_theirs = _as_tuple(case.fn(torch, *theirs))
    seeds = np.random.default_rng(1)
    differentiable = [
        (a, b) for a, b in zip(out_ours, out_theirs) if isinstance(a, ag.Tensor) and a.requires_grad
    ]
    for a, b in differentiable:
        seed = seeds.standard_normal(a.shape).astype(a.dtype)
        a.backward(ag.tensor(seed), retain_graph=True)
        b.backward(torch.tensor(seed), retain_graph=True)
    return out_ours, out_theirs, ours, theirs


def assert_matches(case, arrays, dtype, rtol, atol):
    out_ours, out_theirs, ours, theirs = run_both(case, arrays, dtype)
    assert len(out_ours) == len(out_theirs)
    for a, b in zip(out_ours, out_theirs):
        if not isinstance(a, ag.Tensor):
            assert a == b
            continue
        expected = b.detach().numpy()
        assert a.shape == tuple(b.shape), (
            f"{case.name()}: shape {a.shape} vs torch {tuple(b.shape)}"
        )
        assert a.dtype == expected.dtype, (
            f"{case.name()}: dtype {a.dtype} vs torch {expected.dtype}"
        )
        np.testing.assert_allclose(a.data, expected, rtol=rtol, atol=atol, err_msg=case.name())
    for index, (a, b) in enumerate(zip(ours, theirs)):
        if not a.requires_grad:
            continue
        if b.grad is None:
            assert a.grad is None or not np.any(a.grad.data), f"{case.name()}: input {index}"
            continue
        assert a.grad is not None, f"{case.name()}: no gradient for input {index}"
        np.testing.assert_allclose(
            a.grad.data, b.grad.numpy(), rtol=rtol, atol=atol, err_msg=f"{case.name()} grad {index}"
        )


@pytest.mark.parametrize("case", TORCH_CASES, ids=[case.name() for case in TORCH_CASES])
@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_against_torch_float64(case, seed):
    arrays = draw_inputs(case, np.random.default_rng(seed))
    assert_matches(case, arrays, np.float64, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("case", TORCH_CASES, ids=[case.name() for case in TORCH_CASES])
def test_against_torch_float32(case):
    arrays = draw_inputs(case, np.random.default_rng(7))
    assert_matches(case, arrays, np.float32, rtol=2e-4, atol=2e-5)


BINARY = {
    "add": lambda lib, a, b: a + b,
    "sub": lambda lib, a, b: a - b,
    "mul": lambda lib, a, b: a * b,
    "div": lambda lib, a, b: a / (b.abs() + 0.5),
    "maximum": lambda lib, a, b: lib.maximum(a, b),
    "minimum": lambda lib, a, b: lib.minimum(a, b),
    "where": lambda lib, a, b: lib.where(a > b, a, b),
    "pow": lambda lib, a, b: (a.abs() + 0.5) ** b,
    "matmul-free atan-like": lambda lib, a, b: lib.tanh(a) * lib.sigmoid(b),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@settings(max_examples=15, deadline=None)
@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=4),
    seed=st.integers(0, 2**32 - 1),
)
def test_broadcasting_against_torch(name, shapes, seed):
    from specs import Case

    case = Case(name, BINARY[name], tuple(shapes.input_shapes))
    arrays = draw_inputs(case, np.random.default_rng(seed))
    assert_matches(case, arrays, np.float64, rtol=1e-7, atol=1e-9)
