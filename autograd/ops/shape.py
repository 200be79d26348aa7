"""Shape ops: reshape, view, transpose, permute, expand, cat, stack, split, pad, flip ...

Where NumPy can, the output is a view of the input's array (no copy); the gradient is
the inverse rearrangement of the incoming gradient.
"""

import numpy as np

from ..function import Function
from .registry import register


@register
class Reshape(Function):
    """out = x with shape ``shape``; dx = g reshaped to x's shape"""

    @staticmethod
    def forward(ctx, x, *, shape):
        ctx.input_shape = x.data.shape
        try:
            return x.data.reshape(shape)
        except ValueError:
            raise RuntimeError(
                f"shape '{list(shape)}' is invalid for input of size {x.data.size} "
                f"(input shape {tuple(x.data.shape)})"
            ) from None

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.reshape(ctx.input_shape)


@register
class Expand(Function):
    """out = x broadcast to ``shape`` (a read-only view); dx = g summed back to x's shape"""

    @staticmethod
    def forward(ctx, x, *, shape):
        ctx.input_shape = x.data.shape
        return np.broadcast_to(x.data, shape)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.sum_to_size(ctx.input_shape)


def reshape(input, shape):  # noqa: A002 - PyTorch's parameter name
    shape = tuple(shape)
    if input.data.shape == shape:
        return input
    return Reshape.apply(input, shape=shape)


def expand(input, shape):  # noqa: A002
    """Broadcast to ``shape``; -1 keeps a dim's size."""
    shape = tuple(shape)
    lead = len(shape) - input.data.ndim
    if lead < 0:
        raise RuntimeError(
            f"expand: the number of sizes provided ({len(shape)}) must be greater or equal to "
            f"the number of dimensions in the tensor ({input.data.ndim})"
        )
    shape = tuple(
        input.data.shape[index - lead] if size == -1 else size for index, size in enumerate(shape)
    )
    if shape == input.data.shape:
        return input
    try:
        np.broadcast_shapes(input.data.shape, shape)
    except ValueError:
        raise RuntimeError(
            f"expand: the expanded size {list(shape)} does not match the existing size "
            f"{list(input.data.shape)} at a non-singleton dimension"
        ) from None
    return Expand.apply(input, shape=shape)
