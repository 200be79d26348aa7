"""More shape ops: diag, split_with_sizes and unfold (sliding windows, a view), with the
writes PyTorch keeps next to them: masked_scatter and fill_diagonal (what ``fill_diagonal_``
writes).

Only unfold is an op of its own; the others are made of registered ops (diagonal,
diagonal_scatter, split, index_put), so their gradients come with those.
"""

import builtins
import math

import numpy as np

from ..function import Function
from ..tensor import Tensor
from .common import (
    as_tensor_arg,
    check_same_shape_or_broadcast,
    checked_number,
    int_arg,
    normalize_dim,
)
from .indexing import index_put
from .joining import Split
from .registry import register
from .shape import as_int_tuple, diagonal_scatter, view_of
from .shape import diagonal as matrix_diagonal


def diag(input, diagonal=0):  # noqa: A002 - PyTorch's parameter names
    """Of a 1-D input of n elements, the square matrix of side n + |diagonal| with input on
    its diagonal ``diagonal`` (above the main one when > 0) and zeros elsewhere; of a 2-D
    input, that diagonal as a new 1-D tensor.

    >>> ag.diag(ag.tensor([1, 2]), 1)
    tensor([[0, 1, 0],
            [0, 0, 2],
            [0, 0, 0]])
    """
    as_tensor_arg(input, "input", "diag")
    diagonal = int_arg(diagonal, "diagonal", "diag", 2)
    if input.data.ndim == 1:
        side = input.data.shape[0] + abs(diagonal)
        zeros = Tensor._make(np.zeros((side, side), input.data.dtype))
        return diagonal_scatter(zeros, input, diagonal)
    if input.data.ndim == 2:
        return matrix_diagonal(input, diagonal).clone()  # a copy, as PyTorch's
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.data.ndim}D")


def split_with_sizes(input, split_sizes, dim=0):  # noqa: A002
    """Cut into pieces of the given sizes along ``dim`` (they must add up to its size);
    returns a tuple of views.

    >>> [piece.shape for piece in ag.arange(5).split_with_sizes([2, 3])]
    [(2,), (3,)]
    """
    as_tensor_arg(input, "input", "split_with_sizes")
    if not isinstance(split_sizes, (list, tuple)):
        raise TypeError(
            "split_with_sizes(): argument 'split_sizes' (position 1) must be tuple of ints, "
            f"not {type(split_sizes).__name__}"
        )
    sizes = as_int_tuple(split_sizes, "split_with_sizes", "split_sizes")
    if input.data.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    dim = normalize_dim(dim, input.data.ndim, "split_with_sizes")
    length = input.data.shape[dim]
    if any(size < 0 for size in sizes):
        raise RuntimeError(
            "split_with_sizes expects split_sizes have only non-negative entries, but got "
            f"split_sizes={list(sizes)}"
        )
    if sum(sizes) != length:
        raise RuntimeError(
            f"split_with_sizes expects split_sizes to sum exactly to {length} (input tensor's "
            f"size at dimension {dim}), but got split_sizes={list(sizes)}"
        )
    return Split.apply(input, sizes=sizes, dim=dim)


# ---- unfold ------------------------------------------------------------------------------


def window_view(array, dimension, size, step):
    """The windows of ``size`` elements, ``step`` apart, along ``dimension`` of ``array`` as a
    strided view: that dim counts the windows, a new last dim runs along each (of a 0-d
    array: its one element, as a window of ``size`` <= 1 elements).

    Where windows overlap, the view is read-only, as NumPy keeps an expanded view: a write
    into it then goes into its root (``inplace``), which refuses to write twice into one
    element (PyTorch writes such elements once per window, in an order of its own)."""
    if array.ndim == 0:
        return array.reshape(1)[:size]
    count = (array.shape[dimension] - size) // step + 1
    shape, strides = list(array.shape), list(array.strides)
    shape[dimension] = count
    strides[dimension] *= step
    return np.lib.stride_tricks.as_strided(
        array,
        (*shape, size),
        (*strides, array.strides[dimension]),
        writeable=array.flags.writeable and not (count > 1 and size > step),
    )


@register
class Unfold(Function):
    """out[.., k, .., j] = x[.., k * step + j, ..] along ``dimension``, j the new last dim (a
    view); dx = g added back into the windows' elements (summed where windows overlap)"""

    @staticmethod
    def forward(ctx, x, *, dimension, size, step):
        ctx.input_shape = x.data.shape
        ctx.where = (dimension, size, step)
        view = window_view(x.data, dimension, size, step)
        return view_of(ctx, x, view, {"dimension": dimension, "size": size, "step": step})

    @staticmethod
    def backward(ctx, grad_output):
        shape = ctx.input_shape
        numel = math.prod(shape)
        positions = window_view(np.arange(numel).reshape(shape), *ctx.where)  # flat indexes
        zeros = Tensor._make(np.zeros(numel, grad_output.dtype))
        summed = index_put(zeros, (Tensor._make(positions),), grad_output, accumulate=True)
        return summed.reshape(shape)


def unfold(input, dimension, size, step):  # noqa: A002
    """The windows of ``size`` elements, ``step`` apart, along ``dimension``, as a view:
    that dim becomes the number of windows, (length - size) // step + 1, and a new last dim
    of ``size`` runs along each window (PyTorch's ``Tensor.unfold``).

    >>> ag.arange(5).unfold(0, 3, 2)
    tensor([[0, 1, 2],
            [2, 3, 4]])
    """
    as_tensor_arg(input, "input", "unfold")
    dimension = int_arg(dimension, "dimension", "unfold", 1)
    size = int_arg(size, "size", "unfold", 2)
    step = int_arg(step, "step", "unfold", 3)
    ndim = input.data.ndim
    dimension = normalize_dim(dimension, ndim, "unfold")
    length = input.data.shape[dimension] if ndim else 1
    if size > length:
        raise RuntimeError(
            f"maximum size for tensor at dimension {dimension} is {length} but size is {size}"
        )
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    return Unfold.apply(input, dimension=dimension, size=size, step=step)


# ---- masked_scatter, fill_diagonal -------------------------------------------------------


def masked_scatter(input, mask, source):  # noqa: A002
    """input (broadcast with mask) with the elements where mask is True replaced, in order,
    by source's first elements (row-major); source needs at least as many elements as mask
    has True values.

    >>> ag.zeros(4).masked_scatter(ag.tensor([True, False, True, False]), ag.tensor([1., 2.]))
    tensor([1., 0., 2., 0.])
    """
    as_tensor_arg(input, "input", "masked_scatter")
    as_tensor_arg(mask, "mask", "masked_scatter")
    as_tensor_arg(source, "source", "masked_scatter")
    if mask.data.dtype.kind != "b":
        raise RuntimeError(
            f"masked_scatter_ only supports boolean masks, but got mask with dtype {mask.dtype}"
        )
    if source.data.dtype != input.data.dtype:
        raise RuntimeError(
            "masked_scatter: expected self and source to have same dtypes but got "
            f"{input.dtype} and {source.dtype}"
        )
    shape = check_same_shape_or_broadcast(input.data.shape, mask.data.shape, "masked_scatter")
    where = np.broadcast_to(mask.data, shape)
    count = builtins.int(np.count_nonzero(where))
    if count > source.data.size:
        raise RuntimeError(
            "masked_scatter: Number of elements of source < number of ones in mask "
            f"({source.data.size} < {count})"
        )
    expanded = input if input.data.shape == shape else input.expand(shape)
    return index_put(expanded, (Tensor._make(where),), source.reshape(-1)[:count])


def fill_diagonal(input, fill_value, wrap=False):  # noqa: A002
    """input with fill_value at every input[i, i, ..., i] (what ``fill_diagonal_`` writes);
    all dims must be equal but for a 2-D input, whose diagonal stops at the shorter side,
    unless ``wrap``: a tall matrix's diagonal then starts again every (columns + 1) rows,
    as NumPy's and PyTorch's do. input gets a zero gradient there."""
    as_tensor_arg(input, "input", "fill_diagonal_")
    if isinstance(fill_value, Tensor) and not fill_value.data.ndim and not fill_value.requires_grad:
        fill_value = fill_value.item()  # a number to PyTorch too: it gets no gradient
    if not isinstance(fill_value, (builtins.int, builtins.float, np.number)):  # (bool: an int)
        raise TypeError(
            "fill_diagonal_(): argument 'fill_value' (position 1) must be Number, not "
            f"{type(fill_value).__name__}"
        )
    if type(wrap) is not builtins.bool:
        raise TypeError(
            f"fill_diagonal_(): argument 'wrap' must be bool, not {type(wrap).__name__}"
        )
    shape = input.data.shape
    if len(shape) < 2:
        raise RuntimeError("fill_diagonal_(): dimensions must larger than 1")
    if len(shape) > 2 and len(set(shape)) > 1:
        raise RuntimeError(
            f"fill_diagonal_(): all dimensions of input must be of equal length (shape "
            f"{list(shape)})"
        )
    value = checked_number(fill_value, input.data.dtype, "fill_diagonal_")
    step = sum(math.prod(shape[dim + 1 :]) for dim in range(len(shape)))  # i -> i + 1 at once
    count = min(shape)
    if wrap and len(shape) == 2:
        count = -(-math.prod(shape) // step)  # every position k * step inside the matrix
    positions = Tensor._make(np.arange(count) * step)
    return index_put(input.reshape(-1), (positions,), value).reshape(shape)
