"""RMSprop: steps scaled by a running average of squared gradients."""

import functools

import numpy as np

from autograd.parallel import map_slices

from ._functional import (
    check_nonnegative,
    effective_grad,
    implementation_options,
    lerp_,
    next_step,
    quiet_non_finite,
    scalar_tensor,
    square_average_,
    zeros_state,
)
from .optimizer import Optimizer


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture notes; centered form from Graves, 2013), PyTorch's update
    rule step for step.

    With g = ±grad + weight_decay * p::

        v <- alpha * v + (1 - alpha) * g * g
        a <- alpha * a + (1 - alpha) * g;  d = sqrt(v - a * a) + eps   (centered)
        d = sqrt(v) + eps                                                (otherwise)
        b <- momentum * b + g / d;  p <- p - lr * b                     (momentum > 0)
        p <- p - lr * g / d                                              (otherwise)

    State per parameter: ``step`` (0-d), ``square_avg``, ``momentum_buffer`` (momentum > 0),
    ``grad_avg`` (centered).

    >>> opt = optim.RMSprop(model.parameters(), lr=0.01, alpha=0.99)
    """

    def __init__(
        self,
        params,
        lr=1e-2,
        alpha=0.99,
        eps=1e-8,
        weight_decay=0,
        momentum=0,
        centered=False,
        capturable=False,
        foreach=None,
        maximize=False,
        differentiable=False,
    ):
        check_nonnegative("learning rate", lr)
        check_nonnegative("epsilon value", eps)
        check_nonnegative("momentum value", momentum)
        check_nonnegative("weight_decay value", weight_decay)
        check_nonnegative("alpha value", alpha)
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            **implementation_options(
                capturable=capturable, foreach=foreach, differentiable=differentiable
            ),
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One RMSprop update of every parameter that has a gradient; returns the closure's
        loss."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            momentum = group["momentum"]
            centered = group["centered"]
            params, grads, states = self._gather(group, _init_state)
            rmsprop(
                params,
                grads,
                [state["square_avg"].data for state in states],
                [_buffer(state, "grad_avg", centered) for state in states],
                [_buffer(state, "momentum_buffer", momentum > 0) for state in states],
                [state["step"].data for state in states],
                lr=group["lr"],
                alpha=group["alpha"],
                eps=group["eps"],
                weight_decay=group["weight_decay"],
                momentum=momentum,
                maximize=group["maximize"],
            )
        return loss


def _init_state(state, param):
    state["step"] = scalar_tensor(0.0)
    state["square_avg"] = zeros_state(param)


def _buffer(state, name, used):
    """An optional buffer, created as zeros on first use."""
    if not used:
        return None
    if name not in state:
        state[name] = zeros_state(state["square_avg"].data)
    return state[name].data


@quiet_non_finite
def rmsprop(
    params,
    grads,
    square_avgs,
    grad_avgs,
    momentum_buffers,
    state_steps,
    *,
    lr,
    alpha,
    eps,
    weight_decay,
    momentum,
    maximize,
):
    """The RMSprop update on arrays, in place (elementwise in ``_rmsprop_elementwise``, split
    over threads by ``map_slices``); None entries of ``grad_avgs`` and ``momentum_buffers``
    mean not centered and no momentum."""
    work = []
    for index, param in enumerate(params):
        next_step(state_steps[index])
        arrays = (param, grads[index], square_avgs[index], grad_avgs[index])
        work.append(((*arrays, momentum_buffers[index]), ()))
    kernel = functools.partial(
        _rmsprop_elementwise,
        lr=lr,
        alpha=alpha,
        eps=eps,
        weight_decay=weight_decay,
        momentum=momentum,
        maximize=maximize,
    )
    map_slices(kernel, work)


def _rmsprop_elementwise(
    param, grad, square_avg, grad_avg, buffer, *, lr, alpha, eps, weight_decay, momentum, maximize
):
    """One parameter's (or slice's) update."""
    grad = effective_grad(grad, param, weight_decay, maximize)
    scratch = np.empty_like(param)
    square_average_(square_avg, grad, alpha, scratch)
    if grad_avg is not None:
        lerp_(grad_avg, grad, 1 - alpha, scratch)
        np.multiply(grad_avg, grad_avg, out=scratch)
        np.subtract(square_avg, scratch, out=scratch)
        np.sqrt(scratch, out=scratch)
    else:
        np.sqrt(square_avg, out=scratch)
    scratch += eps
    np.divide(grad, scratch, out=scratch)
    if buffer is not None:
        buffer *= momentum
        buffer += scratch
        np.multiply(buffer, lr, out=scratch)
    else:
        scratch *= lr
    param -= scratch
