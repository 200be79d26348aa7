"""softmax and log_softmax over one dim, each with its backward as an op of its own (so
second-order gradients go through the same formulas).

softmax(x)_i = exp(x_i - max x) / sum_j exp(x_j - max x); log_softmax(x)_i = x_i - max x -
log sum_j exp(x_j - max x): shifted by the max, so exp never overflows.
"""

import numpy as np

from .. import dtypes
from ..function import Function
from .common import as_tensor_arg, normalize_dim
from .registry import register


def shifted(array, dim):
    """x - max(x) along dim (0-d: along nothing), so that exp cannot overflow. (Here and below
    the ufuncs' reduce, not np.amax / np.sum: the same sums without their Python wrappers.)"""
    axis = dim if array.ndim else None
    return np.asarray(
        array - np.maximum.reduce(array, axis=axis, keepdims=True, initial=-np.inf)
    ), axis


def softmax_array(array, dim):
    """softmax of an array along dim, in NumPy (a new array; NaN where a slice is all -inf,
    silently)."""
    with np.errstate(invalid="ignore"):
        exponentials, axis = shifted(array, dim)
        np.exp(exponentials, out=exponentials)
        return exponentials / np.add.reduce(exponentials, axis=axis, keepdims=True)


@register
class Softmax(Function):
    """out = exp(x - max) / sum(exp(x - max)) along dim; dx = out * (g - sum(g * out))"""

    @staticmethod
    def forward(ctx, x, *, dim):
        ctx.dim = dim
        return ctx.save_output(softmax_array(x.data, dim))

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return SoftmaxBackward.apply(grad_output, out, dim=ctx.dim)


@register
class SoftmaxBackward(Function):
    """out = y * (g - sum(g * y)), softmax's VJP in one op; for incoming h:
    dg = y * (h - sum(h * y)), dy = h * (g - sum(g * y)) - g * sum(h * y)"""

    @staticmethod
    def forward(ctx, grad, y, *, dim):
        ctx.dim = dim
        ctx.save_for_backward(grad, y)
        axis = dim if y.data.ndim else None
        return y.data * (grad.data - np.add.reduce(grad.data * y.data, axis=axis, keepdims=True))

    @staticmethod
    def backward(ctx, grad_output):
        grad, y = ctx.saved_tensors
        needs_grad, needs_y = ctx.needs_input_grad
        dim = ctx.dim if y.ndim else ()
        grad_grad = SoftmaxBackward.apply(grad_output, y, dim=ctx.dim) if needs_grad else None
        grad_y = None
        if needs_y:
            centred = grad - (grad * y).sum(dim, keepdim=True)
            grad_y = grad_output * centred - grad * (grad_output * y).sum(dim, keepdim=True)
        return grad_grad, grad_y


@register
class LogSoftmax(Function):
    """out = (x - max) - log(sum(exp(x - max))) along dim; dx = g - exp(out) * sum(g)"""

    @staticmethod
    def forward(ctx, x, *, dim):
        ctx.dim = dim
        with np.errstate(invalid="ignore", divide="ignore"):
            out, axis = shifted(x.data, dim)
            out -= np.log(np.add.reduce(np.exp(out), axis=axis, keepdims=True))
        return ctx.save_output(out)

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return LogSoftmaxBackward.apply(grad_output, out, dim=ctx.dim)


@register
class LogSoftmaxBackward(Function):
    """out = g - exp(y) * sum(g), log_softmax's VJP in one op; for incoming h:
    dg = h - sum(h * exp(y)), dy = -h * exp(y) * sum(g)"""

    @staticmethod
    def forward(ctx, grad, y, *, dim):
        ctx.dim = dim
        ctx.save_for_backward(grad, y)
        axis = dim if y.data.ndim else None
        return grad.data - np.exp(y.data) * np.add.reduce(grad.data, axis=axis, keepdims=True)

    @staticmethod
    def backward(ctx, grad_output):
        grad, y = ctx.saved_tensors
        needs_grad, needs_y = ctx.needs_input_grad
        dim = ctx.dim if y.ndim else ()
        probabilities = y.exp()
        grad_grad = grad_y = None
        if needs_grad:
            grad_grad = grad_output - (grad_output * probabilities).sum(dim, keepdim=True)
        if needs_y:
            grad_y = -grad_output * probabilities * grad.sum(dim, keepdim=True)
        return grad_grad, grad_y


def softmax_input(tensor, dim, dtype, op):
    """The (cast) input and normalised dim of softmax and log_softmax (the dim is checked
    first, as in PyTorch)."""
    dim = normalize_dim(dim, tensor.data.ndim, op)
    if dtype is not None:
        tensor = tensor.to(dtypes.to_dtype(dtype))
    if tensor.data.dtype.kind != "f":
        raise NotImplementedError(
            f"{op}(): not implemented for {tensor.data.dtype} tensors (pass dtype=ag.float32)"
        )
    return tensor, dim


def softmax(input, dim, dtype=None):  # noqa: A002
    """exp(x) / sum(exp(x)) along ``dim``, stable for large logits.

    >>> ag.tensor([1000.0, 1000.0]).softmax(0)
    tensor([0.5, 0.5])
    """
    as_tensor_arg(input, "input", "softmax")
    tensor, dim = softmax_input(input, dim, dtype, "softmax")
    return Softmax.apply(tensor, dim=dim)


def log_softmax(input, dim, dtype=None):  # noqa: A002
    """x - logsumexp(x) along ``dim``, stable for large logits."""
    as_tensor_arg(input, "input", "log_softmax")
    tensor, dim = softmax_input(input, dim, dtype, "log_softmax")
    return LogSoftmax.apply(tensor, dim=dim)
