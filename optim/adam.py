"""Adam and AdamW: adaptive moment estimation, with the L2 penalty or decoupled weight decay."""

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


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2014), PyTorch's update rule step for step.

    At step t, with g = ±grad (minus when ``maximize``), plus weight_decay * p unless the
    decay is decoupled, in which case p <- p * (1 - lr * weight_decay) first::

        m <- beta1 * m + (1 - beta1) * g
        v <- beta2 * v + (1 - beta2) * g * g
        v_max <- max(v_max, v)                       (amsgrad; then v_max replaces v below)
        p <- p - lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)

    State per parameter: ``step`` (0-d), ``exp_avg``, ``exp_avg_sq``, ``max_exp_avg_sq``
    (amsgrad), each the parameter's shape.

    >>> opt = optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999))
    """

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0,
        amsgrad=False,
        *,
        foreach=None,
        maximize=False,
        capturable=False,
        differentiable=False,
        fused=None,
        decoupled_weight_decay=False,
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
            "amsgrad": amsgrad,
            "maximize": maximize,
            **implementation_options(
                foreach=foreach, capturable=capturable, differentiable=differentiable, fused=fused
            ),
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One Adam update of every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            amsgrad = group["amsgrad"]
            params, grads, states = self._gather(group, _init_state)
            beta1, beta2 = group["betas"]
            adam(
                params,
                grads,
                [state["exp_avg"].data for state in states],
                [state["exp_avg_sq"].data for state in states],
                [_max_exp_avg_sq(state, amsgrad) for state in states],
                [state["step"].data for state in states],
                beta1=beta1,
                beta2=beta2,
                lr=group["lr"],
                weight_decay=group["weight_decay"],
                eps=group["eps"],
                maximize=group["maximize"],
                decoupled_weight_decay=group["decoupled_weight_decay"],
            )
        return loss


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter, 2017):
    p <- p * (1 - lr * weight_decay) before the Adam step, instead of an L2 term in g.

    >>> opt = optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    """

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=1e-2,
        amsgrad=False,
        *,
        maximize=False,
        foreach=None,
        capturable=False,
        differentiable=False,
        fused=None,
    ):
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )


def _init_state(state, param):
    state["step"] = scalar_tensor(0.0)
    state["exp_avg"] = zeros_state(param)
    state["exp_avg_sq"] = zeros_state(param)


def _max_exp_avg_sq(state, amsgrad):
    """The amsgrad running maximum, created on first use (amsgrad may be turned on later)."""
    if not amsgrad:
        return None
    if "max_exp_avg_sq" not in state:
        state["max_exp_avg_sq"] = zeros_state(state["exp_avg"].data)
    return state["max_exp_avg_sq"].data


@quiet_non_finite
def adam(
    params,
    grads,
    exp_avgs,
    exp_avg_sqs,
    max_exp_avg_sqs,
    state_steps,
    *,
    beta1,
    beta2,
    lr,
    weight_decay,
    eps,
    maximize,
    decoupled_weight_decay,
):
    """The Adam/AdamW update on arrays, in place: each parameter's step and bias corrections
    here, the elementwise rest in ``_adam_elementwise`` (split over threads by ``map_slices``);
    a None in ``max_exp_avg_sqs`` means no amsgrad for that parameter."""
    work = []
    for index, param in enumerate(params):
        step = next_step(state_steps[index])
        arrays = (param, grads[index], exp_avgs[index], exp_avg_sqs[index], max_exp_avg_sqs[index])
        work.append((arrays, (lr / (1 - beta1**step), math.sqrt(1 - beta2**step))))
    kernel = functools.partial(
        _adam_elementwise,
        beta1=beta1,
        beta2=beta2,
        lr=lr,
        weight_decay=weight_decay,
        eps=eps,
        maximize=maximize,
        decoupled_weight_decay=decoupled_weight_decay,
    )
    map_slices(kernel, work)


def _adam_elementwise(
    param,
    grad,
    exp_avg,
    exp_avg_sq,
    max_exp_avg_sq,
    step_size,
    bias_correction2_sqrt,
    *,
    beta1,
    beta2,
    lr,
    weight_decay,
    eps,
    maximize,
    decoupled_weight_decay,
):
    """One parameter's (or slice's) update, given lr / (1 - beta1**t) and sqrt(1 - beta2**t);
    ``max_exp_avg_sq`` is None without amsgrad. One scratch array."""
    grad = decayed_grad(grad, param, lr, weight_decay, decoupled_weight_decay, maximize)
    scratch = np.empty_like(param)
    lerp_(exp_avg, grad, 1 - beta1, scratch)
    square_average_(exp_avg_sq, grad, beta2, scratch)
    second_moment = exp_avg_sq
    if max_exp_avg_sq is not None:
        second_moment = max_exp_avg_sq
        np.maximum(second_moment, exp_avg_sq, out=second_moment)
    np.sqrt(second_moment, out=scratch)
    scratch /= bias_correction2_sqrt
    scratch += eps
    np.divide(exp_avg, scratch, out=scratch)
    scratch *= step_size
    param -= scratch
