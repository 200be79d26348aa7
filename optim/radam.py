"""RAdam: Adam with the variance of the adaptive learning rate rectified."""

import functools
import math

import numpy as np

from autograd.parallel import map_slices

from ._functional import (
    check_betas,
    check_nonnegative,
    decayed_grad,
    implementation_options,
    lerp_,
    next_step,
    quiet_non_finite,
    scalar_tensor,
    square_average_,
    zeros_state,
)
from .optimizer import Optimizer


class RAdam(Optimizer):
    """RAdam (Liu et al., 2019), PyTorch's update rule step for step.

    At step t, with g = ±grad (plus weight_decay * p, or p <- p * (1 - lr * weight_decay)
    first when ``decoupled_weight_decay``), rho_inf = 2 / (1 - beta2) - 1::

        m <- beta1 * m + (1 - beta1) * g;   v <- beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1**t)
        rho_t = rho_inf - 2 t beta2**t / (1 - beta2**t)
        if rho_t > 5:
            r = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
            p <- p - lr * m_hat * sqrt(1 - beta2**t) / (sqrt(v) + eps) * r
        else:
            p <- p - lr * m_hat

    State per parameter: ``step`` (0-d), ``exp_avg``, ``exp_avg_sq``.

    >>> opt = optim.RAdam(model.parameters(), lr=1e-3)
    """

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0,
        decoupled_weight_decay=False,
        *,
        foreach=None,
        maximize=False,
        capturable=False,
        differentiable=False,
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
            "decoupled_weight_decay": decoupled_weight_decay,
            "maximize": maximize,
            **implementation_options(
                foreach=foreach, capturable=capturable, differentiable=differentiable
            ),
        }
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One RAdam update of every parameter that has a gradient; returns the closure's
        loss."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params, grads, states = self._gather(group, _init_state)
            beta1, beta2 = group["betas"]
            radam(
                params,
                grads,
                [state["exp_avg"].data for state in states],
                [state["exp_avg_sq"].data for state in states],
                [state["step"].data for state in states],
                beta1=beta1,
                beta2=beta2,
                lr=group["lr"],
                weight_decay=group["weight_decay"],
                eps=group["eps"],
                decoupled_weight_decay=group["decoupled_weight_decay"],
                maximize=group["maximize"],
            )
        return loss


def _init_state(state, param):
    state["step"] = scalar_tensor(0.0)
    state["exp_avg"] = zeros_state(param)
    state["exp_avg_sq"] = zeros_state(param)


@quiet_non_finite
def radam(
    params,
    grads,
    exp_avgs,
    exp_avg_sqs,
    state_steps,
    *,
    beta1,
    beta2,
    lr,
    weight_decay,
    eps,
    decoupled_weight_decay,
    maximize,
):
    """The RAdam update on arrays, in place: each parameter's step, bias corrections and
    rectification here, the elementwise rest in ``_radam_elementwise`` (split over threads by
    ``map_slices``)."""
    rho_inf = 2 / (1 - beta2) - 1
    work = []
    for index, param in enumerate(params):
        step = next_step(state_steps[index])
        bias_correction2 = 1 - beta2**step
        rho_t = rho_inf - 2 * step * (beta2**step) / bias_correction2
        rect = None
        if rho_t > 5.0:
            rect = math.sqrt(
                (rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
            )
        numbers = (1 - beta1**step, math.sqrt(bias_correction2), rect)
        work.append(((param, grads[index], exp_avgs[index], exp_avg_sqs[index]), numbers))
    kernel = functools.partial(
        _radam_elementwise,
        beta1=beta1,
        beta2=beta2,
        lr=lr,
        weight_decay=weight_decay,
        eps=eps,
        decoupled_weight_decay=decoupled_weight_decay,
        maximize=maximize,
    )
    map_slices(kernel, work)


def _radam_elementwise(
    param,
    grad,
    exp_avg,
    exp_avg_sq,
    bias_correction1,
    bias_correction2_sqrt,
    rect,
    *,
    beta1,
    beta2,
    lr,
    weight_decay,
    eps,
    decoupled_weight_decay,
    maximize,
):
    """One parameter's (or slice's) update, given 1 - beta1**t, sqrt(1 - beta2**t) and the
    rectification term (None while rho_t <= 5: an SGD-with-momentum step)."""
    grad = decayed_grad(grad, param, lr, weight_decay, decoupled_weight_decay, maximize)
    scratch = np.empty_like(param)
    lerp_(exp_avg, grad, 1 - beta1, scratch)
    square_average_(exp_avg_sq, grad, beta2, scratch)
    update = np.divide(exp_avg, bias_correction1)
    update *= lr
    if rect is not None:
        np.sqrt(exp_avg_sq, out=scratch)
        scratch += eps
        np.divide(bias_correction2_sqrt, scratch, out=scratch)
        update *= scratch
        update *= rect
    param -= update
