"""LBFGS: trajectories against PyTorch's (with and without the strong-Wolfe line search),
the closure protocol, its one-group rule, and resuming from a state dict."""

import copy

import numpy as np
import pytest
import torch
from test_optim_trajectories import PROBLEMS, initial_weights

import autograd as ag
import optim

# (options, step calls): with 20 iterations a call, the MLP is fitted far enough in two calls
# that rounding differences start to grow (it is not convex); the others take six.
CASES = [
    ({}, 2),
    ({"lr": 0.5, "max_iter": 4, "history_size": 3}, 6),
    ({"line_search_fn": "strong_wolfe"}, 2),
    ({"line_search_fn": "strong_wolfe", "max_iter": 5, "history_size": 2, "lr": 0.8}, 6),
    ({"line_search_fn": "strong_wolfe", "max_iter": 1}, 12),
    ({"max_iter": 7, "max_eval": 5, "tolerance_change": 1e-5}, 6),
]


def lbfgs_run(lib, options, problem, calls=6):
    """Parameters and returned loss after each ``step(closure)`` call."""
    loss_fn, shapes = PROBLEMS[problem]
    params = [lib.tensor(w, requires_grad=True) for w in initial_weights(shapes)]
    optimizer = (optim.LBFGS if lib is ag else torch.optim.LBFGS)(params, **options)

    def closure():
        optimizer.zero_grad()
        loss = loss_fn(lib, params, 1.0)
        loss.backward()
        return loss

    history = []
    for _ in range(calls):
        loss = optimizer.step(closure)
        history.append((loss.item(), [p.detach().numpy().copy() for p in params]))
    return history, optimizer


@pytest.mark.parametrize("problem", list(PROBLEMS))
@pytest.mark.parametrize(("options", "calls"), CASES, ids=str)
def test_lbfgs_matches_torch(options, calls, problem):
    ours, ours_opt = lbfgs_run(ag, options, problem, calls)
    theirs, theirs_opt = lbfgs_run(torch, options, problem, calls)
    for call, ((loss, params), (loss_ref, params_ref)) in enumerate(zip(ours, theirs)):
        assert loss == pytest.approx(loss_ref, rel=1e-6, abs=1e-12), f"loss at call {call}"
        for a, b in zip(params, params_ref):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-9, err_msg=f"call {call}")
    first = ours_opt.param_groups[0]["params"][0]
    reference = theirs_opt.param_groups[0]["params"][0]
    for key in ("func_evals", "n_iter"):
        assert ours_opt.state[first][key] == theirs_opt.state[reference][key]
    assert float(ours_opt.state[first]["t"]) == pytest.approx(
        float(theirs_opt.state[reference]["t"]), rel=1e-6
    )


def test_lbfgs_minimises_the_quadratic():
    history, _ = lbfgs_run(ag, {"line_search_fn": "strong_wolfe"}, "quadratic", calls=3)
    np.testing.assert_allclose(history[-1][1][0], np.full(5, 1.5), atol=1e-4)


def test_lbfgs_state_dict_resume_is_exact():
    options = {"max_iter": 3, "history_size": 4, "line_search_fn": "strong_wolfe"}
    straight, _ = lbfgs_run(ag, options, "mlp", calls=6)
    _, first = lbfgs_run(ag, options, "mlp", calls=3)
    saved = copy.deepcopy(first.state_dict())
    params = [ag.tensor(p.detach().numpy().copy(), requires_grad=True) for p in first._params]
    resumed = optim.LBFGS(params, **options)
    resumed.load_state_dict(saved)
    loss_fn = PROBLEMS["mlp"][0]

    def closure():
        resumed.zero_grad()
        loss = loss_fn(ag, params, 1.0)
        loss.backward()
        return loss

    for call in range(3, 6):
        resumed.step(closure)
        for a, b in zip(params, straight[call][1]):
            np.testing.assert_array_equal(a.detach().numpy(), b)


def test_lbfgs_errors():
    w = ag.zeros(2, requires_grad=True)
    with pytest.raises(ValueError, match="parameter groups"):
        optim.LBFGS([{"params": [w]}, {"params": [ag.zeros(1, requires_grad=True)]}])
    with pytest.raises(ValueError, match="strong_wolfe"):
        optim.LBFGS([w], line_search_fn="armijo")
    with pytest.raises(RuntimeError, match="closure"):
        optim.LBFGS([w]).step(None)
