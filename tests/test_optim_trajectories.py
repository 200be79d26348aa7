"""Every optimizer and option combination follows PyTorch's trajectory step for step.

Two fixed problems, each started from identical float64 weights: a quadratic with badly
scaled curvature, and a small tanh MLP (built from broadcasting, sum and tanh). 50 steps of
chainrule's optimizer and of PyTorch's must agree to 1e-6 relative at every step.
"""

import numpy as np
import pytest
import torch
from optim_cases import CASES

import autograd as ag
import nn
import optim

STEPS = 50


def quadratic(lib, params, sign):
    """sum(a * (w - c)^2) + sum(e * (v - c2)^2): curvatures from 0.1 to 5."""
    w, v = params
    a = lib.tensor(np.array([0.1, 0.5, 1.0, 2.0, 5.0]), dtype=lib.float64)
    e = lib.tensor(np.array([[1.0, 0.2, 3.0], [0.3, 2.0, 0.7]]), dtype=lib.float64)
    loss = (a * (w - 1.5) ** 2).sum() + (e * (v + 0.5) ** 2).sum()
    return loss * sign


def mlp(lib, params, sign):
    """Scaled squared error of a 3-4-2 tanh MLP on 8 fixed points (matmul as broadcast-and-sum)."""
    w1, b1, w2, b2 = params
    rng = np.random.default_rng(1)
    x = lib.tensor(rng.normal(size=(8, 3, 1)), dtype=lib.float64)
    y = lib.tensor(rng.normal(size=(8, 2)), dtype=lib.float64)
    hidden = ((x * w1).sum(1) + b1).tanh()
    out = (hidden.reshape(8, 4, 1) * w2).sum(1) + b2
    return ((out - y) ** 2).sum() * (0.1 * sign)


def scalar(lib, params, sign):
    """A 0-d parameter (a bowl at 2) and an empty one, which must not trip the updates."""
    w, empty = params
    return (3.0 * (w - 2.0) ** 2 + (empty * empty).sum()) * sign


PROBLEMS = {
    "quadratic": (quadratic, [(5,), (2, 3)]),
    "scalar": (scalar, [(), (0, 3)]),
    "mlp": (mlp, [(3, 4), (4,), (4, 2), (2,)]),
}


def initial_weights(shapes):
    rng = np.random.default_rng(0)
    return [rng.normal(size=shape) for shape in shapes]


def trajectory(lib, optimizer_class, options, problem, steps=STEPS):
    """The parameters after each of ``steps`` steps, as float64 arrays."""
    loss_fn, shapes = PROBLEMS[problem]
    sign = -1.0 if options.get("maximize") else 1.0
    params = [lib.tensor(w, requires_grad=True) for w in initial_weights(shapes)]
    optimizer = optimizer_class(params, **options)
    history = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss_fn(lib, params, sign).backward()
        optimizer.step()
        history.append([p.detach().numpy().copy() for p in params])
    return history


def assert_same_trajectory(ours, theirs):
    for step, (mine, reference) in enumerate(zip(ours, theirs)):
        for index, (a, b) in enumerate(zip(mine, reference)):
            np.testing.assert_allclose(
                a, b, rtol=1e-6, atol=1e-12, err_msg=f"step {step}, parameter {index}"
            )


@pytest.mark.parametrize("problem", list(PROBLEMS))
@pytest.mark.parametrize(("name", "options"), CASES, ids=lambda c: str(c))
def test_trajectory_matches_torch(name, options, problem):
    ours = trajectory(ag, getattr(optim, name), options, problem)
    theirs = trajectory(torch, getattr(torch.optim, name), options, problem)
    assert not np.allclose(ours[-1][0], initial_weights(PROBLEMS[problem][1])[0])
    assert_same_trajectory(ours, theirs)


def grouped_trajectory(lib, optimizer_class):
    """The MLP with weights decayed and biases in a no-weight-decay group with its own lr."""
    params = [lib.tensor(w, requires_grad=True) for w in initial_weights(PROBLEMS["mlp"][1])]
    groups = [
        {"params": [params[0], params[2]]},
        {"params": [params[1], params[3]], "weight_decay": 0.0, "lr": 0.01},
    ]
    optimizer = optimizer_class(groups, lr=0.05, weight_decay=0.5)
    history = []
    for _ in range(STEPS):
        optimizer.zero_grad()
        mlp(lib, params, 1.0).backward()
        optimizer.step()
        history.append([p.detach().numpy().copy() for p in params])
    return history


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "NAdam"])
def test_per_group_options_match_torch(name):
    ours = grouped_trajectory(ag, getattr(optim, name))
    theirs = grouped_trajectory(torch, getattr(torch.optim, name))
    assert_same_trajectory(ours, theirs)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_state_step_dtype_follows_default_dtype_like_torch(dtype):
    ag.set_default_dtype(getattr(ag, dtype))
    torch.set_default_dtype(getattr(torch, dtype))
    try:
        param = ag.tensor([1.0, 2.0], dtype=ag.float32, requires_grad=True)
        reference = torch.tensor([1.0, 2.0], dtype=torch.float32, requires_grad=True)
        param.grad = ag.tensor([0.5, -0.5], dtype=ag.float32)
        reference.grad = torch.tensor([0.5, -0.5], dtype=torch.float32)
        ours, theirs = optim.NAdam([param]), torch.optim.NAdam([reference])
        ours.step()
        theirs.step()
        for key in ("step", "mu_product", "exp_avg"):
            assert str(ours.state[param][key].dtype) == str(theirs.state[reference][key].dtype)[6:]
        np.testing.assert_allclose(param.detach().numpy(), reference.detach().numpy(), rtol=1e-6)
    finally:
        torch.set_default_dtype(torch.float32)


def module_trajectory(lib, optimizer_class, options):
    """An nn.Sequential Linear-Tanh-Linear MLP (float64, identical weights), MSE loss."""
    nn_module = nn if lib is ag else torch.nn
    model = nn_module.Sequential(nn_module.Linear(3, 5), nn_module.Tanh(), nn_module.Linear(5, 2))
    for param, weight in zip(model.parameters(), initial_weights([(5, 3), (5,), (2, 5), (2,)])):
        param.data = lib.tensor(weight).data
    rng = np.random.default_rng(2)
    x, y = lib.tensor(rng.normal(size=(16, 3))), lib.tensor(rng.normal(size=(16, 2)))
    optimizer = optimizer_class(model.parameters(), **options)
    history = []
    for _ in range(STEPS):
        optimizer.zero_grad()
        ((model(x) - y) ** 2).mean().backward()
        optimizer.step()
        history.append([p.detach().numpy().copy() for p in model.parameters()])
    return history


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 1e-3}),
        ("Adam", {"lr": 0.01, "amsgrad": True}),
        ("AdamW", {"lr": 0.01}),
        ("RMSprop", {"lr": 0.01, "centered": True}),
        ("NAdam", {"lr": 0.01}),
    ],
)
def test_nn_module_trajectory_matches_torch(name, options):
    ours = module_trajectory(ag, getattr(optim, name), options)
    theirs = module_trajectory(torch, getattr(torch.optim, name), options)
    assert_same_trajectory(ours, theirs)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "Adagrad", "RMSprop", "NAdam", "RAdam"])
def test_float32_parameters_stay_float32_and_follow_torch(name):
    options = {"lr": 0.05} if name != "SGD" else {"lr": 0.05, "momentum": 0.9}
    results = []
    for lib, module in ((ag, optim), (torch, torch.optim)):
        w = lib.tensor(initial_weights([(5,)])[0].astype(np.float32), requires_grad=True)
        optimizer = getattr(module, name)([w], **options)
        curvature = lib.tensor(np.array([0.1, 0.5, 1.0, 2.0, 5.0], dtype=np.float32))
        for _ in range(STEPS):
            optimizer.zero_grad()
            (curvature * (w - 1.5) ** 2).sum().backward()
            optimizer.step()
        results.append(w.detach().numpy().copy())
    assert results[0].dtype == np.float32
    np.testing.assert_allclose(results[0], results[1], rtol=1e-5, atol=1e-6)
