"""SGD: stochastic gradient descent, with momentum, dampening, Nesterov and weight decay."""

import functools

import numpy as np

from autograd.parallel import map_slices
from autograd.tensor import Tensor

from ._functional import (
    check_nonnegative,
    effective_grad,
    implementation_options,
    quiet_non_finite,
)
from .optimizer import Optimizer


class SGD(Optimizer):
    """Stochastic gradient descent (PyTorch's update rule, step for step).

    With g = ±grad + weight_decay * p (minus when ``maximize``)::

        b <- g                                   at the first step (momentum != 0)
        b <- momentum * b + (1 - dampening) * g  afterwards
        g <- g + momentum * b   (nesterov)   or   g <- b
        p <- p - lr * g

    State per parameter: ``momentum_buffer`` (only when momentum != 0).

    >>> opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    """

    def __init__(
        self,
        params,
        lr=1e-3,
        momentum=0,
        dampening=0,
        weight_decay=0,
        nesterov=False,
        *,
        maximize=False,
        foreach=None,
        differentiable=False,
        fused=None,
    ):
        check_nonnegative("learning rate", lr)
        check_nonnegative("momentum value", momentum)
        check_nonnegative("weight_decay value", weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            **implementation_options(foreach=foreach, differentiable=differentiable, fused=fused),
        }
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One SGD update of every parameter that has a gradient; returns the closure's loss."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params, grads, states = self._gather(group, _no_state)
            momentum = group["momentum"]
            buffers = [_buffer_array(state) for state in states] if momentum != 0 else None
            sgd(
                params,
                grads,
                buffers,
                lr=group["lr"],
                momentum=momentum,
                dampening=group["dampening"],
                weight_decay=group["weight_decay"],
                nesterov=group["nesterov"],
                maximize=group["maximize"],
            )
            if buffers is not None:
                for state, buffer in zip(states, buffers):
                    if "momentum_buffer" not in state:
                        state["momentum_buffer"] = Tensor._make(buffer)
        return loss


def _no_state(state, param):
    """SGD creates its momentum buffer from the first gradient, in ``sgd``."""


def _buffer_array(state):
    buffer = state.get("momentum_buffer")
    return None if buffer is None else buffer.data


@quiet_non_finite
def sgd(
    params, grads, momentum_buffers, *, lr, momentum, dampening, weight_decay, nesterov, maximize
):
    """The SGD update on arrays, in place (elementwise in ``_sgd_elementwise``, split over
    threads by ``map_slices``); a None entry of ``momentum_buffers`` (with momentum) is
    replaced by a new buffer, which the update fills with the first gradient."""
    work = []
    for index, param in enumerate(params):
        buffer = None
        first = False
        if momentum != 0:
            buffer = momentum_buffers[index]
            if buffer is None:
                buffer = momentum_buffers[index] = np.empty_like(param)
                first = True
        work.append(((param, grads[index], buffer), (first,)))
    kernel = functools.partial(
        _sgd_elementwise,
        lr=lr,
        momentum=momentum,
        dampening=dampening,
        weight_decay=weight_decay,
        nesterov=nesterov,
        maximize=maximize,
    )
    map_slices(kernel, work)


def _sgd_elementwise(
    param, grad, buffer, first, *, lr, momentum, dampening, weight_decay, nesterov, maximize
):
    """One parameter's (or slice's) update; ``buffer`` is None without momentum and is
    set to the gradient when ``first``."""
    grad = effective_grad(grad, param, weight_decay, maximize)
    if buffer is not None:
        if first:
            np.copyto(buffer, grad)
        else:
            buffer *= momentum
            if dampening == 0:
                buffer += grad
            else:
                buffer += (1 - dampening) * grad
        grad = grad + momentum * buffer if nesterov else buffer
    param -= lr * grad
