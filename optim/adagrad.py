"""Adagrad: per-coordinate step sizes from the running sum of squared gradients."""

import functools

import numpy as np

from autograd.parallel import map_slices
from autograd.tensor import Tensor

from ._functional import (
    check_nonnegative,
    effective_grad,
    implementation_options,
    next_step,
    quiet_non_finite,
    scalar_tensor,
)
from .optimizer import Optimizer


class Adagrad(Optimizer):
    """Adagrad (Duchi et al., 2011), PyTorch's update rule step for step.

    At step t, with g = ±grad + weight_decay * p::

        lr_t <- lr / (1 + (t - 1) * lr_decay)
        s <- s + g * g                        (s starts at initial_accumulator_value)
        p <- p - lr_t * g / (sqrt(s) + eps)

    State per parameter: ``step`` (0-d) and ``sum`` (the parameter's shape).

    >>> opt = optim.Adagrad(model.parameters(), lr=0.01)
    """

    def __init__(
        self,
        params,
        lr=1e-2,
        lr_decay=0,
        weight_decay=0,
        initial_accumulator_value=0,
        eps=1e-10,
        foreach=None,
        *,
        maximize=False,
        differentiable=False,
        fused=None,
    ):
        check_nonnegative("learning rate", lr)
        check_nonnegative("lr_decay value", lr_decay)
        check_nonnegative("weight_decay value", weight_decay)
        check_nonnegative("initial_accumulator_value value", initial_accumulator_value)
        check_nonnegative("epsilon value", eps)
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            **implementation_options(foreach=foreach, differentiable=differentiable, fused=fused),
            "maximize": maximize,
        }
        super().__init__(params, defaults)
        # PyTorch creates the state at construction, so a fresh state_dict already holds it.
        for group in self.param_groups:
            for param in group["params"]:
                _init_state(self.state[param], param.data, group["initial_accumulator_value"])

    def step(self, closure=None):
        """One Adagrad update of every parameter that has a gradient; returns the closure's
        loss."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            init_state = functools.partial(_init_state, initial=group["initial_accumulator_value"])
            params, grads, states = self._gather(group, init_state)
            adagrad(
                params,
                grads,
                [state["sum"].data for state in states],
                [state["step"].data for state in states],
                lr=group["lr"],
                weight_decay=group["weight_decay"],
                lr_decay=group["lr_decay"],
                eps=group["eps"],
                maximize=group["maximize"],
            )
        return loss


def _init_state(state, param, initial):
    state["step"] = scalar_tensor(0.0)
    state["sum"] = Tensor._make(np.full_like(param, initial))


@quiet_non_finite
def adagrad(params, grads, state_sums, state_steps, *, lr, weight_decay, lr_decay, eps, maximize):
    """The Adagrad update on arrays, in place: each parameter's step and decayed rate here,
    the elementwise rest in ``_adagrad_elementwise`` (split over threads by ``map_slices``)."""
    work = []
    for index, param in enumerate(params):
        step = next_step(state_steps[index])
        work.append(((param, grads[index], state_sums[index]), (lr / (1 + (step - 1) * lr_decay),)))
    kernel = functools.partial(
        _adagrad_elementwise, weight_decay=weight_decay, eps=eps, maximize=maximize
    )
    map_slices(kernel, work)


def _adagrad_elementwise(param, grad, state_sum, clr, *, weight_decay, eps, maximize):
    """One parameter's (or slice's) update at the decayed rate ``clr``."""
    grad = effective_grad(grad, param, weight_decay, maximize)
    scratch = np.multiply(grad, grad, out=np.empty_like(param))
    state_sum += scratch
    np.sqrt(state_sum, out=scratch)
    scratch += eps
    np.divide(grad, scratch, out=scratch)
    scratch *= clr
    param -= scratch
