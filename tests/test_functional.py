"""ag.functional and higher-order gradients against torch.autograd.functional."""

import numpy as np
import pytest

import autograd as ag
from autograd import functional as AF

torch = pytest.importorskip("torch")
TF = torch.autograd.functional


def pair(*shape, seed=0):
    array = np.random.default_rng(seed).uniform(-1, 1, shape)
    return ag.tensor(array, dtype=ag.float64), torch.tensor(array, dtype=torch.float64)


def close(ours, theirs):
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            close(a, b)
        return
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-10, atol=1e-12)


def two_in_two_out(lib):
    return lambda a, b: ((a * b).tanh(), (a * a).sum() * b)


def scalar_of_two(lib):
    return lambda a, b: ((a * b).sin() * a).sum() + (b**3).sum()


def test_jacobian_single_and_nested():
    (a, ta), (b, tb) = pair(3), pair(3, seed=1)
    close(AF.jacobian(lambda x: (x * x).exp(), a), TF.jacobian(lambda x: (x * x).exp(), ta))
    close(AF.jacobian(two_in_two_out(ag), (a, b)), TF.jacobian(two_in_two_out(torch), (ta, tb)))


def test_hessian_single_and_nested():
    (a, ta), (b, tb) = pair(3), pair(3, seed=1)
    f = lambda lib: lambda x: (x.sin() * x * x).sum()  # noqa: E731
    close(AF.hessian(f(ag), a), TF.hessian(f(torch), ta))
    close(AF.hessian(scalar_of_two(ag), (a, b)), TF.hessian(scalar_of_two(torch), (ta, tb)))


def test_vjp_jvp_hvp_vhp():
    (a, ta), (v, tv) = pair(4), pair(4, seed=2)
    f = lambda x: (x * x).tanh() * x  # noqa: E731
    close(AF.vjp(f, a, v), TF.vjp(f, ta, tv))
    close(AF.jvp(f, a, v), TF.jvp(f, ta, tv))
    g = lambda x: (x.exp() * x).sum()  # noqa: E731
    close(AF.hvp(g, a, v), TF.hvp(g, ta, tv))
    close(AF.vhp(g, a, v), TF.vhp(g, ta, tv))


def test_strict_mode_reports_independent_input():
    a, _ = pair(2)
    b, _ = pair(2, seed=1)
    with pytest.raises(RuntimeError, match="independent of input 1"):
        AF.jacobian(lambda x, y: x * 2, (a, b), strict=True)
    zeros = AF.jacobian(lambda x, y: x * 2, (a, b))[1]
    assert not zeros.data.any()


def test_create_graph_makes_results_differentiable():
    a = ag.tensor([0.3, -0.2], dtype=ag.float64, requires_grad=True)
    hessian = AF.hessian(lambda x: (x**4).sum(), a, create_graph=True)
    hessian.sum().backward()
    np.testing.assert_allclose(a.grad.data, 24 * a.data)


def test_third_derivative_of_sin():
    x = ag.tensor(0.4, dtype=ag.float64, requires_grad=True)
    (d1,) = ag.grad(x.sin(), x, create_graph=True)
    (d2,) = ag.grad(d1, x, create_graph=True)
    (d3,) = ag.grad(d2, x)
    assert d3.item() == pytest.approx(-np.cos(0.4))


def test_gradient_penalty_is_trainable():
    """WGAN-GP style: the norm of d critic / d input enters the loss and is differentiated."""
    w = ag.tensor([0.5, -1.5, 2.0], dtype=ag.float64, requires_grad=True)
    tw = torch.tensor(w.data.copy(), requires_grad=True)
    x, tx = pair(4, 3, seed=5)
    x.requires_grad_()
    tx.requires_grad_()
    for lib, weights, inputs in ((ag, w, x), (torch, tw, tx)):
        critic = ((inputs * weights).tanh() * weights).sum()
        (grad_input,) = (
            lib.autograd.grad(critic, inputs, create_graph=True)
            if lib is torch
            else ag.grad(critic, inputs, create_graph=True)
        )
        penalty = ((grad_input * grad_input).sum(1).sqrt() - 1) ** 2
        penalty.sum().backward()
    np.testing.assert_allclose(w.grad.data, tw.grad.numpy(), rtol=1e-10)
