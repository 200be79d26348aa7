"""NAdam: Adam with Nesterov momentum and a momentum-decay schedule."""

import functools

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


class NAdam(Optimizer):
    """NAdam (Dozat, 2016), PyTorch's update rule step for step.

    At step t, with g = ±grad (plus weight_decay * p, or p <- p * (1 - lr * weight_decay)
    first when ``decoupled_weight_decay``)::

        mu_t = beta1 * (1 - 0.5 * 0.96 ** (t * momentum_decay)),  P_t = mu_1 * ... * mu_t
        m <- beta1 * m + (1 - beta1) * g
        v <- beta2 * v + (1 - beta2) * g * g
        d = sqrt(v / (1 - beta2**t)) + eps
        p <- p - lr * (1 - mu_t) / (1 - P_t) * g / d
               - lr * mu_{t+1} / (1 - P_t * mu_{t+1}) * m / d

    State per parameter: ``step`` and ``mu_product`` (P_t, 0-d), ``exp_avg``, ``exp_avg_sq``.

    >>> opt = optim.NAdam(model.parameters(), lr=2e-3)
    """

    def __init__(
        self,
        params,
        lr=2e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0,
        momentum_decay=4e-3,
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
        check_nonnegative("momentum_decay value", momentum_decay)
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "momentum_decay": momentum_decay,
            "decoupled_weight_decay": decoupled_weight_decay,
            "maximize": maximize,
            **implementation_options(
                foreach=foreach, capturable=capturable, differentiable=differentiable
            ),
        }
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One NAdam update of every parameter that has a gradient; returns the closure's
        loss."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params, grads, states = self._gather(group, _init_state)
            beta1, beta2 = group["betas"]
            nadam(
                params,
                grads,
                [state["exp_avg"].data for state in states],
                [state["exp_avg_sq"].data for state in states],
                [state["mu_product"].data for state in states],
                [state["step"].data for state in states],
                beta1=beta1,
                beta2=beta2,
                lr=group["lr"],
                weight_decay=group["weight_decay"],
                momentum_decay=group["momentum_decay"],
                eps=group["eps"],
                decoupled_weight_decay=group["decoupled_weight_decay"],
                maximize=group["maximize"],
            )
        return loss


def _init_state(state, param):
    state["step"] = scalar_tensor(0.0)
    state["mu_product"] = scalar_tensor(1.0)
    state["exp_avg"] = zeros_state(param)
    state["exp_avg_sq"] = zeros_state(param)


@quiet_non_finite
def nadam(
    params,
    grads,
    exp_avgs,
    exp_avg_sqs,
    mu_products,
    state_steps,
    *,
    beta1,
    beta2,
    lr,
    weight_decay,
    momentum_decay,
    eps,
    decoupled_weight_decay,
    maximize,
):
    """The NAdam update on arrays, in place: each parameter's step, momentum schedule and
    coefficients here, the elementwise rest in ``_nadam_elementwise`` (split over threads by
    ``map_slices``)."""
    work = []
    for index, param in enumerate(params):
        mu_product = mu_products[index]
        step = next_step(state_steps[index])
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
        # P_t is kept in the counter dtype (float32 by default), as PyTorch keeps it.
        mu_product *= mu
        product = float(mu_product)
        numbers = (
            1 - beta2**step,
            lr * (1.0 - mu) / (1.0 - product),
            lr * mu_next / (1.0 - product * mu_next),
        )
        work.append(((param, grads[index], exp_avgs[index], exp_avg_sqs[index]), numbers))
    kernel = functools.partial(
        _nadam_elementwise,
        beta1=beta1,
        beta2=beta2,
        lr=lr,
        weight_decay=weight_decay,
        eps=eps,
        decoupled_weight_decay=decoupled_weight_decay,
        maximize=maximize,
    )
    map_slices(kernel, work)


def _nadam_elementwise(
    param,
    grad,
    exp_avg,
    exp_avg_sq,
    bias_correction2,
    grad_coefficient,
    exp_avg_coefficient,
    *,
    beta1,
    beta2,
    lr,
    weight_decay,
    eps,
    decoupled_weight_decay,
    maximize,
):
    """One parameter's (or slice's) update, given 1 - beta2**t and the coefficients of
    g / d and m / d."""
    grad = decayed_grad(grad, param, lr, weight_decay, decoupled_weight_decay, maximize)
    scratch = np.empty_like(param)
    lerp_(exp_avg, grad, 1 - beta1, scratch)
    square_average_(exp_avg_sq, grad, beta2, scratch)
    denom = np.divide(exp_avg_sq, bias_correction2, out=scratch)
    np.sqrt(denom, out=denom)
    denom += eps
    update = np.divide(grad, denom, out=np.empty_like(param))
    update *= grad_coefficient
    param -= update
    np.divide(exp_avg, denom, out=update)
    update *= exp_avg_coefficient
    param -= update
