"""Adadelta: unit-corrected steps from running averages of squared gradients and updates."""

import functools

import numpy as np

from autograd.parallel import map_slices

from ._functional import (
    check_nonnegative,
    effective_grad,
    implementation_options,
    next_step,
    quiet_non_finite,
    scalar_tensor,
    square_average_,
    zeros_state,
)
from .optimizer import Optimizer


class Adadelta(Optimizer):
    """Adadelta (Zeiler, 2012), PyTorch's update rule step for step.

    With g = ±grad + weight_decay * p::

        v <- rho * v + (1 - rho) * g * g
        d = sqrt(u + eps) / sqrt(v + eps) * g
        u <- rho * u + (1 - rho) * d * d
        p <- p - lr * d

    State per parameter: ``step`` (0-d), ``square_avg`` (v), ``acc_delta`` (u).

    >>> opt = optim.Adadelta(model.parameters(), lr=1.0, rho=0.9)
    """

    def __init__(
        self,
        params,
        lr=1.0,
        rho=0.9,
        eps=1e-6,
        weight_decay=0,
        foreach=None,
        *,
        capturable=False,
        maximize=False,
        differentiable=False,
    ):
        check_nonnegative("learning rate", lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        check_nonnegative("epsilon value", eps)
        check_nonnegative("weight_decay value", weight_decay)
        defaults = {
            "lr": lr,
            "rho": rho,
            "eps": eps,
            "weight_decay": weight_decay,
            "maximize": maximize,
            **implementation_options(
                foreach=foreach, capturable=capturable, differentiable=differentiable
            ),
        }
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One Adadelta update of every parameter that has a gradient; returns the closure's
        loss."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params, grads, states = self._gather(group, _init_state)
            adadelta(
                params,
                grads,
                [state["square_avg"].data for state in states],
                [state["acc_delta"].data for state in states],
                [state["step"].data for state in states],
                lr=group["lr"],
                rho=group["rho"],
                eps=group["eps"],
                weight_decay=group["weight_decay"],
                maximize=group["maximize"],
            )
        return loss


def _init_state(state, param):
    state["step"] = scalar_tensor(0.0)
    state["square_avg"] = zeros_state(param)
    state["acc_delta"] = zeros_state(param)


@quiet_non_finite
def adadelta(
    params, grads, square_avgs, acc_deltas, state_steps, *, lr, rho, eps, weight_decay, maximize
):
    """The Adadelta update on arrays, in place (elementwise in ``_adadelta_elementwise``,
    split over threads by ``map_slices``)."""
    work = []
    for index, param in enumerate(params):
        next_step(state_steps[index])
        work.append(((param, grads[index], square_avgs[index], acc_deltas[index]), ()))
    kernel = functools.partial(
        _adadelta_elementwise, lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize
    )
    map_slices(kernel, work)


def _adadelta_elementwise(
    param, grad, square_avg, acc_delta, *, lr, rho, eps, weight_decay, maximize
):
    """One parameter's (or slice's) update."""
    grad = effective_grad(grad, param, weight_decay, maximize)
    scratch = np.empty_like(param)
    square_average_(square_avg, grad, rho, scratch)
    np.add(square_avg, eps, out=scratch)
    std = np.sqrt(scratch, out=scratch)
    delta = np.add(acc_delta, eps, out=np.empty_like(param))
    np.sqrt(delta, out=delta)
    delta /= std
    delta *= grad
    square_average_(acc_delta, delta, rho, scratch)
    delta *= lr
    param -= delta
