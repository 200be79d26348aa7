"""Ops whose gradient goes to the selected elements: where, maximum, minimum, clamp, and the
extreme values max, min, amax, amin (argmax, argmin give their indices, without gradient).

Ties follow PyTorch: ``maximum``/``minimum`` give half the gradient to each side; ``max()``,
``min()`` (no dim), ``amax`` and ``amin`` split it evenly among the tied elements;
``max(dim)``/``min(dim)`` send it to the first extreme index; ``clamp`` passes it at its
bounds.
"""

from collections import namedtuple

import numpy as np

from .. import dtypes
from ..function import Function
from ..tensor import Tensor
from .arithmetic import broadcast_error
from .common import as_array, as_tensor_arg, checked_number, normalize_dim, operands
from .reduction import EVERY_DIM, check_nonempty, every_dim, reduced_dims, setup, unreduce
from .registry import register

# max(dim) and min(dim) return these, as torch.return_types.max / .min.
MaxResult = namedtuple("max", ("values", "indices"))
MinResult = namedtuple("min", ("values", "indices"))


# ---- where -------------------------------------------------------------------------------


@register
class Where(Function):
    """out = a where condition else b; da = g where condition else 0, db = g elsewhere"""

    @staticmethod
    def forward(ctx, condition, a, b):
        dtype = dtypes.result_type(a, b)
        if isinstance(a, Tensor) or isinstance(b, Tensor):
            x, y = operands(a, b)
        else:
            x, y = a, b  # two Python numbers: cast to their result dtype below
        x, y = (checked_number(v, dtype, "where", overflow_to_inf=True) for v in (x, y))
        ctx.save_for_backward(condition)
        try:
            out = np.where(condition.data, x, y)
        except ValueError:
            shapes = [tuple(np.shape(value)) for value in (condition.data, x, y)]
            raise RuntimeError(f"where: shapes {shapes} cannot be broadcast together") from None
        return out if out.dtype == dtype else out.astype(dtype)

    @staticmethod
    def backward(ctx, grad_output):
        (condition,) = ctx.saved_tensors
        _, needs_a, needs_b = ctx.needs_input_grad
        grad_a = where(condition, grad_output, 0.0) if needs_a else None
        grad_b = where(condition, 0.0, grad_output) if needs_b else None
        return None, grad_a, grad_b


def where(condition, input=None, other=None):  # noqa: A002 - PyTorch's parameter names
    """Elementwise ``input if condition else other`` (Tensors or numbers, broadcast); with
    only ``condition``, the tuple of indices where it is True (``nonzero(as_tuple=True)``).

    >>> ag.where(ag.tensor([True, False]), ag.tensor([1.0, 2.0]), 0.0)
    tensor([1., 0.])
    """
    as_tensor_arg(condition, "condition", "where")
    if input is None and other is None:
        return tuple(Tensor._make(index) for index in np.nonzero(condition.data))
    if condition.data.dtype != dtypes.bool_:
        raise RuntimeError(
            "where expected condition to be a boolean tensor, but got a tensor with dtype "
            f"{condition.data.dtype}"
        )
    if input is None or other is None:
        raise TypeError("where(): pass both input and other, or neither")
    return Where.apply(condition, input, other)


def replacing(value, old):
    """``value``, recorded as replacing ``old``: where(True, value, old), so that ``old``
    (broadcast to value's shape) gets a zero gradient, as PyTorch gives it under a fill."""
    return Where.apply(Tensor._make(np.ones((), bool)), value, old)


# ---- maximum, minimum, clamp -------------------------------------------------------------


def larger_shares(x, y, dtype):
    """The gradient shares of maximum(x, y): 1 to the larger side (to both when one is NaN),
    0.5 to each on a tie, 0 to the smaller side."""
    ties = 0.5 * (x == y)
    return (1 - (x < y) - ties).astype(dtype), (1 - (y < x) - ties).astype(dtype)


class Pick(Function):
    """Shared forward/backward of maximum and minimum."""

    ufunc = None  # np.maximum or np.minimum

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        ctx.save_for_backward(a, b)
        try:
            return ctx.ufunc(x, y)
        except ValueError:
            raise broadcast_error(ctx.ufunc.__name__, a, b) from None

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        x, y = operands(a, b)
        shares = larger_shares(x, y, grad_output.dtype)
        if ctx.ufunc is np.minimum:
            shares = shares[::-1]
        needs_a, needs_b = ctx.needs_input_grad
        grad_a = grad_output * Tensor._make(shares[0]) if needs_a else None
        grad_b = grad_output * Tensor._make(shares[1]) if needs_b else None
        return grad_a, grad_b


@register
class Maximum(Pick):
    """out = max(a, b) elementwise (NaN wins); da = g to the larger side, g/2 to each on ties"""

    ufunc = np.maximum


@register
class Minimum(Pick):
    """out = min(a, b) elementwise (NaN wins); da = g to the smaller side, g/2 to each on ties"""

    ufunc = np.minimum


def maximum(input, other):  # noqa: A002
    """The elementwise maximum of two tensors (broadcast; NaN propagates)."""
    as_tensor_arg(other, "other", "maximum")
    return Maximum.apply(as_tensor_arg(input, "input", "maximum"), other)


def minimum(input, other):  # noqa: A002
    """The elementwise minimum of two tensors (broadcast; NaN propagates)."""
    as_tensor_arg(other, "other", "minimum")
    return Minimum.apply(as_tensor_arg(input, "input", "minimum"), other)


@register
class Clamp(Function):
    """out = min(max(x, low), high) (either bound may be None); dx = g where low <= x <= high,
    dlow = g where x < low < high, dhigh = g where max(x, low) > high (as PyTorch:
    where x < low == high, no input gets the gradient)"""

    @staticmethod
    def forward(ctx, x, low, high):
        bounds = [bound for bound in (low, high) if bound is not None]
        dtype = dtypes.result_type(x, *bounds)
        ctx.save_for_backward(*(v if isinstance(v, Tensor) else None for v in (x, low, high)))
        ctx.constants = (low, high)
        out = as_array(x, dtype)
        try:
            if low is not None:
                out = np.maximum(out, as_array(checked_number(low, dtype, "clamp"), dtype))
            if high is not None:
                out = np.minimum(out, as_array(checked_number(high, dtype, "clamp"), dtype))
        except ValueError:
            shapes = [tuple(np.shape(as_array(value, dtype))) for value in (x, *bounds)]
            raise RuntimeError(f"clamp: shapes {shapes} cannot be broadcast together") from None
        return out if out.dtype == dtype else out.astype(dtype)

    @staticmethod
    def backward(ctx, grad_output):
        x, low, high = ctx.saved_tensors
        low = ctx.constants[0] if low is None else low.data
        high = ctx.constants[1] if high is None else high.data
        x = x.data
        inside = True
        if low is not None:
            inside = x >= low
            raised = np.maximum(x, low)
        if high is not None:
            inside = inside & (x <= high)
        dtype = grad_output.dtype
        needs_x, needs_low, needs_high = ctx.needs_input_grad
        grad_x = grad_low = grad_high = None
        if needs_x:
            grad_x = grad_output * Tensor._make(np.asarray(inside, dtype))
        if needs_low:
            lifted = (x < low) & (True if high is None else low < high)
            grad_low = grad_output * Tensor._make(np.asarray(lifted, dtype))
        if needs_high:
            capped = (x if low is None else raised) > high
            grad_high = grad_output * Tensor._make(np.asarray(capped, dtype))
        return grad_x, grad_low, grad_high


def clamp(input, min=None, max=None):  # noqa: A002 - PyTorch's parameter names
    """Limit to [min, max] (numbers or Tensors; either may be None); the gradient passes where
    min <= input <= max (bounds included).

    >>> ag.tensor([-2.0, 0.5, 3.0]).clamp(-1, 1)
    tensor([-1. ,  0.5,  1. ])
    """
    if min is None and max is None:
        raise RuntimeError("clamp: At least one of 'min' or 'max' must not be None")
    return Clamp.apply(as_tensor_arg(input, "input", "clamp"), min, max)


clip = clamp


# ---- max, min, amax, amin, argmax, argmin  ------------------------------------------------


class Extremum(Function):
    """Shared forward/backward of amax, amin, max() and min() (and of median() and
    nanmedian(), in order_statistics.py): out = the extreme value over dims; dx = g split
    evenly among the elements equal to it."""

    reduce = None  # np.amax or np.amin (or a median)
    nan_ties = False  # a NaN result: max()/min() split g among the NaNs; amax/amin give NaN

    @staticmethod
    def forward(ctx, x, *, dims, keepdim=False):
        setup(ctx, x, dims)
        out = Tensor._make(np.asarray(ctx.reduce(x.data, axis=dims, keepdims=keepdim)))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        x, out = ctx.saved_tensors
        kept = out.data.reshape(ctx.kept_shape)
        tied = x.data == kept
        if ctx.nan_ties:  # (x may hold NaNs beside a number: nanmedian's)
            tied |= np.isnan(x.data) & np.isnan(kept)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = tied / np.sum(tied, axis=ctx.dims, keepdims=True)
        return unreduce(ctx, grad_output) * Tensor._make(share.astype(x.data.dtype))


@register
class Amax(Extremum):
    """out = max of x over dims; dx = g split evenly among the maxima"""

    reduce = staticmethod(np.amax)


@register
class Amin(Extremum):
    """out = min of x over dims; dx = g split evenly among the minima"""

    reduce = staticmethod(np.amin)


@register
class Max(Extremum):
    """out = max of all of x; dx = g split evenly among the maxima (NaNs when out is NaN)"""

    reduce = staticmethod(np.amax)
    nan_ties = True


@register
class Min(Extremum):
    """out = min of all of x; dx = g split evenly among the minima (NaNs when out is NaN)"""

    reduce = staticmethod(np.amin)
    nan_ties = True


class ExtremumDim(Function):
    """Shared forward/backward of max(dim) and min(dim): (values, indices) along one dim,
    the first extreme index (NaN counts as extreme); dx = g at that index, 0 elsewhere."""

    arg = None  # np.argmax or np.argmin

    @staticmethod
    def forward(ctx, x, *, dim, keepdim=False):
        array = x.data
        ctx.input_shape = array.shape
        if not array.ndim:
            ctx.indices = None
            return array.copy(), np.zeros((), dtypes.int64)
        indices = ctx.arg(array, axis=dim, keepdims=True)
        values = np.take_along_axis(array, indices, axis=dim)
        ctx.dim, ctx.indices = dim, indices
        if not keepdim:
            values, indices = values.squeeze(dim), indices.squeeze(dim)
        return values, indices.astype(dtypes.int64, copy=False)

    @staticmethod
    def backward(ctx, grad_output, grad_indices):
        if ctx.indices is None:
            return grad_output
        positions = np.arange(ctx.input_shape[ctx.dim])
        positions = positions.reshape((-1,) + (1,) * (len(ctx.input_shape) - ctx.dim - 1))
        one_hot = Tensor._make((ctx.indices == positions).astype(grad_output.dtype))
        return grad_output.reshape(ctx.indices.shape) * one_hot


@register
class MaxDim(ExtremumDim):
    """(values, indices) = max of x along dim; dx = g at the first maximum's index"""

    arg = staticmethod(np.argmax)


@register
class MinDim(ExtremumDim):
    """(values, indices) = min of x along dim; dx = g at the first minimum's index"""

    arg = staticmethod(np.argmin)


def extremum(tensor, dim, keepdim, op):
    """max/min: of every element (no dim), of another tensor (elementwise), or along dim."""
    if isinstance(dim, Tensor):
        return (maximum if op == "max" else minimum)(tensor, dim)
    if every_dim(dim, keepdim, op):
        dims = tuple(range(tensor.data.ndim))
        check_nonempty(tensor, dims, op)
        return (Max if op == "max" else Min).apply(tensor, dims=dims)
    dim = normalize_dim(dim, tensor.data.ndim, op)
    if tensor.data.ndim and tensor.data.shape[dim] == 0:
        raise IndexError(f"{op}(): Expected reduction dim {dim} to have non-zero size.")
    cls, result = (MaxDim, MaxResult) if op == "max" else (MinDim, MinResult)
    return result(*cls.apply(tensor, dim=dim, keepdim=keepdim))


def max(input, dim=EVERY_DIM, keepdim=False):  # noqa: A001, A002 - PyTorch's names
    """The largest element; with ``dim``, the named tuple ``(values, indices)`` along it
    (first index of the maximum); with a Tensor in place of ``dim``, ``maximum``. An explicit
    ``dim=None`` is a TypeError, as in PyTorch.

    >>> ag.tensor([[1.0, 5.0], [7.0, 2.0]]).max(1).indices
    tensor([1, 0])
    """
    as_tensor_arg(input, "input", "max")
    return extremum(input, dim, keepdim, "max")


def min(input, dim=EVERY_DIM, keepdim=False):  # noqa: A001, A002
    """The smallest element; see ``max``."""
    as_tensor_arg(input, "input", "min")
    return extremum(input, dim, keepdim, "min")


def extremum_dims(tensor, dim, op):
    """amax/amin's reduced dims. An empty one is refused before repeated dims are, as in
    PyTorch: an IndexError naming it when dims are named, a RuntimeError for every dim."""
    if tensor.data.size == 0 and dim not in (None, (), []):
        named = dim if isinstance(dim, (tuple, list)) else (dim,)
        named = [normalize_dim(d, tensor.data.ndim, op) for d in named]
        check_nonempty(tensor, named, op, dim_given=True)
    dims = reduced_dims(tensor, dim, op)
    check_nonempty(tensor, dims, op)
    return dims


def amax(input, dim=(), keepdim=False):  # noqa: A002
    """The maximum over ``dim`` (every dim when empty); ties share the gradient evenly."""
    as_tensor_arg(input, "input", "amax")
    dims = extremum_dims(input, dim, "amax")
    return Amax.apply(input, dims=dims, keepdim=keepdim)


def amin(input, dim=(), keepdim=False):  # noqa: A002
    """The minimum over ``dim`` (every dim when empty); ties share the gradient evenly."""
    as_tensor_arg(input, "input", "amin")
    dims = extremum_dims(input, dim, "amin")
    return Amin.apply(input, dims=dims, keepdim=keepdim)


def arg_extremum(function, op, tensor, dim, keepdim):
    """The int64 index of the first extreme element along ``dim`` (of the flattened tensor
    when dim is None); no gradient."""
    array = tensor.data
    if dim is None:
        if not array.size:
            raise IndexError(
                f"{op}(): Expected reduction dim to be specified for input.numel() == 0 "
                f"(input shape {array.shape})."
            )
        index = np.asarray(function(array.reshape(-1)), dtype=dtypes.int64)
        return Tensor._make(index.reshape((1,) * array.ndim if keepdim else ()))
    dim = normalize_dim(dim, array.ndim, op)
    if not array.ndim:
        return Tensor._make(np.zeros((), dtypes.int64))
    if array.shape[dim] == 0:
        raise IndexError(f"{op}(): Expected reduction dim {dim} to have non-zero size.")
    return Tensor._make(function(array, axis=dim, keepdims=keepdim).astype(dtypes.int64))


def argmax(input, dim=None, keepdim=False):  # noqa: A002
    """The index of the first maximum along ``dim`` (of the flattened tensor when None).

    >>> ag.tensor([[1.0, 5.0], [7.0, 2.0]]).argmax()
    tensor(2)
    """
    as_tensor_arg(input, "input", "argmax")
    return arg_extremum(np.argmax, "argmax", input, dim, keepdim)


def argmin(input, dim=None, keepdim=False):  # noqa: A002
    """The index of the first minimum along ``dim`` (of the flattened tensor when None)."""
    as_tensor_arg(input, "input", "argmin")
    return arg_extremum(np.argmin, "argmin", input, dim, keepdim)


# ---- select, masked_select, nonzero ------------------------------------------------------


def select(input, dim, index):  # noqa: A002
    """The slice at ``index`` along ``dim``, that dim removed (a view): ``x.select(1, 2)``
    is ``x[:, 2]``."""
    as_tensor_arg(input, "input", "select")
    if input.data.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    dim = normalize_dim(dim, input.data.ndim, "select")
    size = input.data.shape[dim]
    if not -size <= index < size:
        raise IndexError(
            f"select(): index {index} out of range for tensor of size {list(input.shape)} at "
            f"dimension {dim}"
        )
    return input[(slice(None),) * dim + (index,)]


def masked_select(input, mask):  # noqa: A002
    """The elements of ``input`` where the bool ``mask`` is True, as a 1-D tensor (input and
    mask broadcast against each other); the gradient goes back to those elements."""
    as_tensor_arg(input, "input", "masked_select")
    as_tensor_arg(mask, "mask", "masked_select")
    if mask.data.dtype != np.bool_:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    try:
        shape = np.broadcast_shapes(input.data.shape, mask.data.shape)
    except ValueError:
        raise broadcast_error("masked_select", input, mask) from None
    if input.data.shape != shape:
        input = input.expand(shape)  # noqa: A001
    return input[Tensor._make(np.broadcast_to(mask.data, shape))]


def nonzero(input, *, as_tuple=False):  # noqa: A002
    """The indices of the nonzero elements: an int64 tensor (count, ndim), or with
    ``as_tuple`` one 1-D tensor per dim (a 0-d input counts as 1-D). No gradient."""
    as_tensor_arg(input, "input", "nonzero")
    data = input.data
    if as_tuple:
        return tuple(Tensor._make(found) for found in np.nonzero(np.atleast_1d(data)))
    return Tensor._make(np.argwhere(data).astype(np.int64))
