"""Scans along one dim: cumprod, cummax, cummin and logcumsumexp, and the linear scan
y_k = c_k + a_k y_{k-1} that cumprod's recorded backward uses (cumsum is in
``reduction.py``; its reverse form is the reverse cumulative sum used here).

Each output element i is a function of the elements j <= i of its slice. A 0-d input is
scanned as one element (dim 0 or -1).
"""

from collections import namedtuple

import numpy as np

from .. import dtypes
from ..function import Function, records_backward
from ..tensor import Tensor
from .common import as_tensor_arg, normalize_dim
from .indexing import gather
from .joining import cat
from .reduction import Cumsum, integer_sum_dtype
from .registry import register

# cummax and cummin return these, as torch.return_types.cummax / .cummin.
CummaxResult = namedtuple("cummax", ("values", "indices"))
CumminResult = namedtuple("cummin", ("values", "indices"))


def accumulate(ufunc, array, dim, reverse=False):
    """``ufunc.accumulate`` along ``dim`` (from the end when ``reverse``) in the array's dtype
    (NumPy would multiply int32 as int64); a 0-d array is its own scan."""
    if not array.ndim:
        return array.copy()
    if reverse:
        return np.flip(ufunc.accumulate(np.flip(array, dim), axis=dim, dtype=array.dtype), dim)
    return ufunc.accumulate(array, axis=dim, dtype=array.dtype)


def reverse_cumsum(tensor, dim):
    """sum_{i >= j} t_i along dim, differentiable (cumsum's reverse form)."""
    return Cumsum.apply(tensor, dim=dim, reverse=True)


# ---- cumprod -----------------------------------------------------------------------------


@register
class Cumprod(Function):
    """out_i = prod_{j <= i} x_j along dim; dx_j = sum_{i >= j} g_i prod_{k <= i, k != j} x_k
    (see ``cumprod_grad``: exact next to zeros, to every order)"""

    @staticmethod
    def forward(ctx, x, *, dim):
        ctx.dim = dim
        with np.errstate(over="ignore", invalid="ignore"):  # inf and inf * 0, as PyTorch
            out = Tensor._make(accumulate(np.multiply, x.data, dim))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        x, out = ctx.saved_tensors
        if not x.ndim:  # the product of one number: g itself
            return grad_output
        return cumprod_grad(x, out, grad_output, ctx.dim)


def cumprod_grad(x, out, grad, dim):
    """dx_j = sum_{i >= j} g_i prod_{k <= i, k != j} x_k, for out = cumprod(x), in Tensor ops.

    Without zeros: reverse_cumsum(g * out)_j / x_j. With zeros, a plain backward takes that
    before a slice's first zero z; at z the same sum at x' (x with 1 at z, where z comes
    before any zero); after z 0 (every term holds x_z). A recorded backward needs the
    derivatives of the zeros too: it multiplies out prod_{k < j} x_k (the cumprod of x
    shifted by one) by sum_{i >= j} g_i prod_{j < k <= i} x_k (a linear scan).
    """
    zero = x.data == 0
    if not zero.any():
        return reverse_cumsum(grad * out, dim) / x
    if records_backward():
        before_each = Cumprod.apply(shifted(x, dim, 1.0), dim=dim)
        return before_each * LinearScan.apply(grad, x, dim=dim, reverse=True)
    seen = np.cumsum(zero, axis=dim)
    before, first = Tensor._make(seen == 0), Tensor._make(zero & (seen == 1))
    lifted_out = Cumprod.apply(x.where(first.logical_not(), 1.0), dim=dim)
    at_first = reverse_cumsum(grad * lifted_out, dim).where(first, 0.0)
    before_zero = reverse_cumsum(grad * out, dim) / x.where(before, 1.0)
    return before_zero.where(before, at_first)


def shifted(tensor, dim, fill):
    """The tensor moved one step along ``dim``: t_{k-1} at k, ``fill`` at 0 (differentiable)."""
    shape = list(tensor.shape)
    shape[dim] = 1
    head = Tensor._make(np.full(shape, fill, tensor.dtype))
    return cat([head, tensor.narrow(dim, 0, tensor.shape[dim] - 1)], dim)


@register
class LinearScan(Function):
    """y_k = c_k + a_k y_{k-1} along dim, y_0 = c_0 (``reverse``: y_{k-1} = c_{k-1} + a_k y_k,
    y_last = c_last); a_0 is not used. For incoming h: dc = the scan of (h, a) the other way,
    da_k = dc_k y_{k-1} (reverse: dc_{k-1} y_k), da_0 = 0"""

    @staticmethod
    def forward(ctx, c, a, *, dim, reverse):
        ctx.dim, ctx.reverse = dim, reverse
        weights, links = np.moveaxis(c.data, dim, 0), np.moveaxis(a.data, dim, 0)
        out = np.empty_like(weights)
        size = len(out)
        if size:
            end = size - 1 if reverse else 0
            out[end] = weights[end]
        with np.errstate(over="ignore", invalid="ignore"):  # inf and inf * 0, silently
            if reverse:
                for k in range(size - 1, 0, -1):
                    out[k - 1] = weights[k - 1] + links[k] * out[k]
            else:
                for k in range(1, size):
                    out[k] = weights[k] + links[k] * out[k - 1]
        out = Tensor._make(np.moveaxis(out, 0, dim))
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        a, out = ctx.saved_tensors
        dim = ctx.dim
        needs_c, needs_a = ctx.needs_input_grad
        grad_c = LinearScan.apply(grad_output, a, dim=dim, reverse=not ctx.reverse)
        grad_a = None
        if needs_a and ctx.reverse:
            grad_a = shifted(grad_c, dim, 0.0) * out
        elif needs_a:
            grad_a = grad_c * shifted(out, dim, 0.0)
        return grad_c if needs_c else None, grad_a


def cumprod(input, dim, *, dtype=None):  # noqa: A002 - PyTorch's names
    """Running products along ``dim``; integers and bools multiply as int64 (``dtype``
    casts the input first).

    >>> ag.tensor([1.0, 2.0, 3.0]).cumprod(0)
    tensor([1., 2., 6.])
    """
    as_tensor_arg(input, "input", "cumprod")
    dim = normalize_dim(dim, input.data.ndim, "cumprod")
    dtype = integer_sum_dtype(input.data, dtype)
    tensor = input if dtype is None else input.to(dtype)
    return Cumprod.apply(tensor, dim=dim)


def others_products(x, dims):
    """For each element of x, the product over ``dims`` of the other elements of its slice,
    in differentiable ops: exclusive running products from both ends of each slice,
    multiplied (exact at zeros, to every order; Prod's recorded backward). The dims are
    moved last and flattened, as in ``reduction.others_product``, its NumPy form."""
    kept = x.ndim - len(dims)
    last = tuple(range(kept, x.ndim))
    moved = x.movedim(dims, last)
    slices = moved.reshape(*moved.shape[:kept], -1)
    end = slices.ndim - 1
    before = Cumprod.apply(shifted(slices, end, 1.0), dim=end)
    after = Cumprod.apply(shifted(slices.flip(end), end, 1.0), dim=end).flip(end)
    return (before * after).reshape(moved.shape).movedim(last, dims)


# ---- cummax, cummin ----------------------------------------------------------------------


def running_extreme(op, input, dim, ufunc):  # noqa: A002
    """(values, indices) of the running max (``np.maximum``) or min along ``dim``: the index
    of the last element equal to the extreme so far (ties move it on, as in PyTorch), or of
    the last NaN once one is seen. The values are gathered at the indices, so their gradient
    goes back to the elements picked."""
    as_tensor_arg(input, "input", op)
    dim = normalize_dim(dim, input.data.ndim, op)
    flat = input.reshape(1) if input.data.ndim == 0 else input
    array = flat.data
    extreme = ufunc.accumulate(array, axis=dim)  # NaN propagates
    hit = (array == extreme) | (array != array)
    positions = np.arange(array.shape[dim]).reshape((-1,) + (1,) * (array.ndim - dim - 1))
    indices = np.maximum.accumulate(np.where(hit, positions, 0), axis=dim)
    indices = Tensor._make(indices.astype(dtypes.int64))
    values = gather(flat, dim, indices)
    if input.data.ndim == 0:
        return values.reshape(()), indices.reshape(())
    return values, indices


def cummax(input, dim):  # noqa: A002
    """The running maximum along ``dim`` and where it was, as a named tuple (values,
    indices); NaN, once seen, stays.

    >>> ag.tensor([1.0, 3.0, 2.0, 3.0]).cummax(0).indices
    tensor([0, 1, 1, 3])
    """
    return CummaxResult(*running_extreme("cummax", input, dim, np.maximum))


def cummin(input, dim):  # noqa: A002
    """The running minimum along ``dim`` and where it was; see ``cummax``."""
    return CumminResult(*running_extreme("cummin", input, dim, np.minimum))


# ---- logcumsumexp ------------------------------------------------------------------------


@register
class LogCumSumExp(Function):
    """out_i = log sum_{j <= i} exp(x_j) along dim (log-add-exp accumulated: no overflow);
    dx_j = sum_{i >= j} g_i exp(x_j - out_i)"""

    @staticmethod
    def forward(ctx, x, *, dim):
        ctx.dim = dim
        with np.errstate(invalid="ignore"):  # inf + inf gives inf, NaN stays NaN: silently
            out = Tensor._make(accumulate(np.logaddexp, x.data, dim))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        x, out = ctx.saved_tensors
        return LogCumSumExpBackward.apply(grad_output, x, -out, dim=ctx.dim, reverse=True)


@register
class LogCumSumExpBackward(Function):
    """out_p = sum_{q <= p} c_q exp(a_p + b_q) along dim (q >= p when ``reverse``):
    logcumsumexp's VJP is this of (g, x, -out) reversed. For incoming h:
    dc = the same of (h, b, a) in the other direction, da = h * out, db = c * dc"""

    @staticmethod
    def forward(ctx, c, a, b, *, dim, reverse):
        ctx.dim, ctx.reverse = dim, reverse
        weights = c.data
        # sum_q c_q exp(a_p + b_q) = exp(a_p + log sum_q exp(log c_q + b_q)), the positive and
        # the negative c apart, each log-sum accumulated without overflow.
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            logs = np.log(np.abs(weights)) + b.data
            positive = accumulate(np.logaddexp, np.where(weights < 0, -np.inf, logs), dim, reverse)
            negative = accumulate(np.logaddexp, np.where(weights > 0, -np.inf, logs), dim, reverse)
            out = Tensor._make(np.exp(a.data + positive) - np.exp(a.data + negative))
        ctx.save_for_backward(c, a, b, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        c, a, b, out = ctx.saved_tensors
        needs_c, needs_a, needs_b = ctx.needs_input_grad
        grad_c = grad_a = grad_b = None
        if needs_c or needs_b:
            grad_c = LogCumSumExpBackward.apply(
                grad_output, b, a, dim=ctx.dim, reverse=not ctx.reverse
            )
        if needs_a:
            grad_a = grad_output * out
        if needs_b:
            grad_b = c * grad_c
        return grad_c if needs_c else None, grad_a, grad_b


def logcumsumexp(input, dim):  # noqa: A002
    """log(cumsum(exp(input))) along ``dim``, computed without overflow; floating inputs only.

    >>> ag.tensor([1000.0, 1000.0]).logcumsumexp(0)
    tensor([1000.    , 1000.6932])
    """
    as_tensor_arg(input, "input", "logcumsumexp")
    dim = normalize_dim(dim, input.data.ndim, "logcumsumexp")
    if input.data.dtype.kind != "f":
        raise NotImplementedError(
            f"logcumsumexp(): not implemented for {input.data.dtype} tensors (a floating "
            "dtype is needed)"
        )
    return LogCumSumExp.apply(input, dim=dim)
