"""Reductions over dims: sum, mean, prod, var, std, max/min, logsumexp, norm, softmax ...

``dim`` is an int, a tuple or None (every dim); ``keepdim`` keeps reduced dims as size 1.
"""

import numpy as np

from ..function import Function
from .common import normalize_dims
from .registry import register


def keepdim_shape(shape, dims):
    """The shape with each reduced dim set to 1 (to broadcast a gradient back)."""
    return tuple(1 if index in dims else size for index, size in enumerate(shape))


@register
class Sum(Function):
    """out = sum of x over dims; dx = g broadcast back to x's shape"""

    @staticmethod
    def forward(ctx, x, *, dim=None, keepdim=False, dtype=None):
        dims = normalize_dims(dim, x.data.ndim, "sum")
        ctx.input_shape = x.data.shape
        ctx.kept_shape = keepdim_shape(x.data.shape, dims)
        array = x.data
        if dtype is None and array.dtype.kind in "biu":
            dtype = np.int64  # PyTorch sums integers and bools as int64
        return np.asarray(np.sum(array, axis=dims, keepdims=keepdim, dtype=dtype))

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.reshape(ctx.kept_shape).expand(ctx.input_shape)


@register
class SumToSize(Function):
    """out = x summed down to ``size`` (undoes broadcasting); dx = g expanded back"""

    @staticmethod
    def forward(ctx, x, *, size):
        ctx.input_shape = x.data.shape
        array = x.data
        lead = array.ndim - len(size)
        dims = tuple(range(lead)) + tuple(
            lead + index for index, length in enumerate(size) if length == 1 and array.shape[lead + index] != 1
        )
        out = np.sum(array, axis=dims, keepdims=True) if dims else array
        return np.asarray(out.reshape(size))

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.expand(ctx.input_shape)


def sum(input, dim=None, keepdim=False, *, dtype=None):  # noqa: A001, A002 - PyTorch's names
    """Sum over ``dim`` (all dims when None)."""
    return Sum.apply(input, dim=dim, keepdim=keepdim, dtype=dtype)


def sum_to_size(input, size):  # noqa: A002
    """Sum a broadcast tensor back down to ``size``."""
    size = tuple(size)
    if input.data.shape == size:
        return input
    return SumToSize.apply(input, size=size)
