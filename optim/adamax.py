"""Adamax: Adam with the infinity norm in place of the second moment."""

import functools

import numpy as np

from autograd.parallel import map_slices

from ._functional import (
    check_betas,
    check_nonnegative,
    effective_grad,
    implementation_options,
    lerp_,
    next_step,
    quiet_non_finite,
    scalar_tensor,
    zeros_state,
)
from .optimizer import Optimizer


class Adamax(Optimizer):
    """Adamax (Kingma and Ba, 2014, section 7), PyTorch's update rule step for step.

    At step t, with g = ±grad + weight_decay * p::

        m <- beta1 * m + (1 - beta1) * g
        u <- max(beta2 * u, |g| + eps)
        p <- p - lr / (1 - beta1**t) * m / u

    State per parameter: ``step`` (0-d), ``exp_avg`` (m), ``exp_inf`` (u).

    >>> opt = optim.Adamax(model.parameters(), lr=2e-3)
    """

    def __init__(
        self,
        params,
        lr=2e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0,
        foreach=None,
        *,
        maximize=False,
        differentiable=False,
        capturable=False,
    ):
        check_nonnegative("learning rate", lr)
        check_nonnegative("epsilon value", eps)
        check_betas(betas)
        check_nonnegative("weight_decay value", weight_decay)
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            **implementation_options(
                foreach=foreach, differentiable=differentiable, capturable=capturable
            ),
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One Adamax update of every parameter that has a gradient; returns the closure's
        loss."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params, grads, states = self._gather(group, _init_state)
            beta1, beta2 = group["betas"]
            adamax(
                params,
                grads,
                [state["exp_avg"].data for state in states],
                [state["exp_inf"].data for state in states],
                [state["step"].data for state in states],
                eps=group["eps"],
                beta1=beta1,
                beta2=beta2,
                lr=group["lr"],
                weight_decay=group["weight_decay"],
                maximize=group["maximize"],
            )
        return loss


def _init_state(state, param):
    state["step"] = scalar_tensor(0.0)
    state["exp_avg"] = zeros_state(param)
    state["exp_inf"] = zeros_state(param)


@quiet_non_finite
def adamax(
    params, grads, exp_avgs, exp_infs, state_steps, *, eps, beta1, beta2, lr, weight_decay, maximize
):
    """The Adamax update on arrays, in place: each parameter's step and bias correction here,
    the elementwise rest in ``_adamax_elementwise`` (split over threads by ``map_slices``)."""
    work = []
    for index, param in enumerate(params):
        step = next_step(state_steps[index])
        arrays = (param, grads[index], exp_avgs[index], exp_infs[index])
        work.append((arrays, (lr / (1 - beta1**step),)))
    kernel = functools.partial(
        _adamax_elementwise,
        eps=eps,
        beta1=beta1,
        beta2=beta2,
        weight_decay=weight_decay,
        maximize=maximize,
    )
    map_slices(kernel, work)


def _adamax_elementwise(
    param, grad, exp_avg, exp_inf, step_size, *, eps, beta1, beta2, weight_decay, maximize
):
    """One parameter's (or slice's) update, given lr / (1 - beta1**t)."""
    grad = effective_grad(grad, param, weight_decay, maximize)
    scratch = np.empty_like(param)
    lerp_(exp_avg, grad, 1 - beta1, scratch)
    exp_inf *= beta2
    np.abs(grad, out=scratch)
    scratch += eps
    np.maximum(exp_inf, scratch, out=exp_inf)
    np.divide(exp_avg, exp_inf, out=scratch)
    scratch *= step_size
    param -= scratch
