"""Infinite and overflowing values through reductions, normalisation, losses, optimizers and
gradient clipping: the results PyTorch gives (inf and NaN in the same places), and no NumPy
warning on the way, forward or backward. (The forward of ``+ - *`` and of matrix products
is the documented exception: README, "Where chainrule differs from PyTorch".)"""

import warnings

import numpy as np
import pytest

import autograd as ag
import nn
import optim

torch = pytest.importorskip("torch")

INF = float("inf")
VALUES = {
    "inf - inf": [[INF, -INF, 1.0], [2.0, -1.0, 0.5]],
    "overflow": [[3e38, 3e38, 1.0], [3e38, 2e38, 2.0]],  # in any order of summing
    "nan": [[float("nan"), 1.0, 2.0], [INF, 1.0, 0.0]],
}


def _targets(lib):
    return lib.tensor([0, 2])


OPS = {
    "sum": lambda lib, x: x.sum(),
    "sum(1)": lambda lib, x: x.sum(1),
    "mean": lambda lib, x: x.mean(),
    "mean(1)": lambda lib, x: x.mean(1),
    "var(1)": lambda lib, x: x.var(1),
    "std": lambda lib, x: x.std(),
    "logsumexp(1)": lambda lib, x: x.logsumexp(1),
    "softmax(1)": lambda lib, x: x.softmax(1),
    "log_softmax(1)": lambda lib, x: x.log_softmax(1),
    "layer_norm": lambda lib, x: lib.nn.functional.layer_norm(x, (3,)),
    "cross_entropy": lambda lib, x: lib.nn.functional.cross_entropy(x, _targets(lib)),
    "cross_entropy smoothed": lambda lib, x: lib.nn.functional.cross_entropy(
        x, _targets(lib), label_smoothing=0.1
    ),
}


class _Ours:
    """chainrule under the names the OPS use for torch (``lib.nn.functional``)."""

    nn = nn
    tensor = staticmethod(ag.tensor)
    float32 = ag.float32


def _run(lib, op, values, dtype):
    x = lib.tensor(values, dtype=dtype, requires_grad=True)
    out = op(lib, x)
    out.sum().backward()
    return np.asarray(out.tolist()), np.asarray(x.grad.tolist())


@pytest.mark.parametrize("case", list(VALUES))
@pytest.mark.parametrize("name", list(OPS))
def test_non_finite_values_like_torch_without_numpy_warnings(name, case):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = _run(_Ours, OPS[name], VALUES[case], ag.float32)
    theirs = _run(torch, OPS[name], VALUES[case], torch.float32)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-5, err_msg="forward")
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-5, err_msg="gradient")


OPTIMIZERS = {
    "SGD": lambda lib, p: lib.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
    "Adam": lambda lib, p: lib.optim.Adam(p, amsgrad=True, weight_decay=0.01),
    "AdamW": lambda lib, p: lib.optim.AdamW(p),
    "RMSprop": lambda lib, p: lib.optim.RMSprop(p, momentum=0.9),
    "Adagrad": lambda lib, p: lib.optim.Adagrad(p),
    "Adadelta": lambda lib, p: lib.optim.Adadelta(p),
    "Adamax": lambda lib, p: lib.optim.Adamax(p),
    "NAdam": lambda lib, p: lib.optim.NAdam(p),
    "RAdam": lambda lib, p: lib.optim.RAdam(p),
}
GRADIENTS = {"inf and overflow": [INF, 1.0, 3e38], "nan and -inf": [float("nan"), -INF, 1e-30]}


class _OursWithOptim(_Ours):
    optim = optim


def _steps(lib, make, gradient):
    param = lib.tensor([1.0, 2.0, 3e38], requires_grad=True)
    optimizer = make(lib, [param])
    for _ in range(2):
        param.grad = lib.tensor(gradient)
        optimizer.step()
    return np.asarray(param.tolist())


@pytest.mark.parametrize("gradient", list(GRADIENTS))
@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_optimizer_steps_on_non_finite_gradients_like_torch_without_warnings(name, gradient):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = _steps(_OursWithOptim, OPTIMIZERS[name], GRADIENTS[gradient])
    theirs = _steps(torch, OPTIMIZERS[name], GRADIENTS[gradient])
    np.testing.assert_allclose(ours, theirs, rtol=1e-5)


def test_centered_rmsprop_on_overflowing_gradients_without_warnings():
    """Where grad_avg**2 overflows float32, PyTorch's fused multiply-add gives
    square_avg - grad_avg**2 = inf (the product is not rounded to inf first) and NumPy's
    two passes inf - inf = NaN: the parameter is NaN here, unchanged there. No warning."""

    def centered(lib, params):
        return lib.optim.RMSprop(params, centered=True, momentum=0.9)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = _steps(_OursWithOptim, centered, GRADIENTS["inf and overflow"])
    assert np.isnan(ours[0]) and np.isfinite(ours[1])


@pytest.mark.parametrize("gradient", [[INF, 1.0], [float("nan"), 1.0], [3e38, 3e38]])
def test_clip_grad_norm_of_non_finite_gradients_like_torch_without_warnings(gradient):
    results = []
    for lib, utils in ((ag, nn.utils), (torch, torch.nn.utils)):
        param = lib.tensor([1.0, 2.0], requires_grad=True)
        param.grad = lib.tensor(gradient)
        with warnings.catch_warnings():
            warnings.simplefilter("error" if lib is ag else "ignore")
            total = utils.clip_grad_norm_([param], 1.0)
        results.append((float(total), np.asarray(param.grad.tolist())))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-5)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-5)


@pytest.mark.parametrize(
    "pool",
    [
        lambda functional, x: functional.avg_pool2d(x, 2),
        lambda functional, x: functional.adaptive_avg_pool2d(x, 1),
        lambda functional, x: functional.max_pool2d(x, 2),
    ],
    ids=["avg_pool2d", "adaptive_avg_pool2d", "max_pool2d"],
)
def test_pooling_non_finite_values_like_torch_without_warnings(pool):
    values = np.ones((1, 2, 4, 4), np.float32)
    values[0, 0, 0, 0], values[0, 1, 1, 1], values[0, 0, 2, 2:] = INF, -INF, 3e38
    results = []
    for lib, functional in ((ag, nn.functional), (torch, torch.nn.functional)):
        x = lib.tensor(values, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("error" if lib is ag else "ignore")
            out = pool(functional, x)
            out.sum().backward()
        results.append((np.asarray(out.tolist()), np.asarray(x.grad.tolist())))
    for ours, theirs in zip(results[0], results[1]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5)


def _lbfgs_on_inf(lib, optimizers):
    param = lib.tensor([1.0, 2.0], requires_grad=True)
    optimizer = optimizers.LBFGS([param])
    slope = lib.tensor([INF, 1.0])

    def closure():
        optimizer.zero_grad()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the user's own inf * 1.0
            loss = (param * slope).sum()
        loss.backward()
        return loss

    loss = optimizer.step(closure)
    return float(loss), np.asarray(param.tolist())


def test_lbfgs_on_an_inf_gradient_like_torch_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = _lbfgs_on_inf(ag, optim)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = _lbfgs_on_inf(torch, torch.optim)
    assert ours[0] == theirs[0]
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-6)


def test_lbfgs_runs_the_closure_with_the_callers_numpy_error_settings():
    param = ag.tensor([1.0], requires_grad=True)
    optimizer = optim.LBFGS([param])
    seen = []

    def closure():
        seen.append(np.geterr()["over"])
        optimizer.zero_grad()
        loss = (param * param).sum()
        loss.backward()
        return loss

    with np.errstate(over="raise"):
        optimizer.step(closure)
    assert seen and set(seen) == {"raise"}
