"""Reductions over dims: sum, mean, prod, var, std, logsumexp, norm, all/any, cumsum.
(softmax and log_softmax are in ``softmax.py``; max/min, amax/amin, argmax/argmin, whose
gradient goes to selected elements, are in ``selection.py`` and use the helpers here.)

``dim`` is an int, a tuple, or None (every dim; an empty tuple also means every dim, as in
PyTorch); negative dims count from the end; ``keepdim`` keeps reduced dims as size 1. A
backward first reshapes its incoming gradient to the kept shape (``ctx.kept_shape``) so
that it broadcasts against the input.
"""

import builtins
import math

import numpy as np

from .. import dtypes
from ..function import Function, records_backward
from ..tensor import Tensor
from .common import as_tensor_arg, broadcast_view, float_array, normalize_dim, normalize_dims
from .registry import register


class _EveryDim:
    """The default ``dim`` of the reductions PyTorch overloads with and without a dim (max,
    min, prod, median, nanmedian): every dim. None cannot be that default: PyTorch refuses an
    explicit ``dim=None`` there (TypeError)."""

    def __repr__(self):
        return "<every dim>"


EVERY_DIM = _EveryDim()


def every_dim(dim, keepdim, op):
    """Whether ``dim`` was left out (``EVERY_DIM``); PyTorch's TypeError for ``dim=None``,
    and for keepdim without a dim."""
    if dim is None:
        raise TypeError(
            f"{op}(): argument 'dim' must be int, not NoneType (leave dim out to reduce every dim)"
        )
    if dim is EVERY_DIM and keepdim:
        raise TypeError(f"{op}(): keepdim=True needs a dim")
    return dim is EVERY_DIM


def keepdim_shape(shape, dims):
    """The shape with each reduced dim set to 1 (to broadcast a gradient back)."""
    if len(dims) == len(shape):  # every dim (dims are distinct)
        return (1,) * len(shape)
    return tuple([1 if index in dims else size for index, size in enumerate(shape)])


def reduced_dims(tensor, dim, op, in_turn=False):
    """Normalised reduction dims: None or an empty tuple/list mean every dim (``in_turn``:
    see ``normalize_dims``)."""
    if isinstance(dim, (tuple, list)) and not dim:
        dim = None
    dims = normalize_dims(dim, tensor.data.ndim, op, in_turn)
    return dims if tensor.data.ndim else ()  # a 0-d tensor accepts dim 0 or -1


def setup(ctx, x, dims):
    """Remember what a backward needs to broadcast its gradient back to x."""
    ctx.dims = dims
    ctx.input_shape = x.data.shape
    ctx.kept_shape = keepdim_shape(x.data.shape, dims)


def unreduce(ctx, grad_output):
    """A gradient of the reduced output, reshaped to broadcast against the input."""
    return grad_output.reshape(ctx.kept_shape)


def spread(ctx, grad_output):
    """The gradient of the reduced output broadcast back to the input's shape (a read-only
    view); straight in NumPy unless the backward pass is recorded (every loss's hot path)."""
    if records_backward():
        return unreduce(ctx, grad_output).expand(ctx.input_shape)
    kept = grad_output.data.reshape(ctx.kept_shape)
    return Tensor._make(broadcast_view(kept, ctx.input_shape))


def safe_divide(numerator, denominator):
    """numerator / denominator, 0 where denominator == 0 (no NaN even in second order)."""
    nonzero = denominator != 0
    return (numerator / denominator.where(nonzero, 1.0)).where(nonzero, 0.0)


def check_nonempty(tensor, dims, op, dim_given=False):
    """max/amax/argmax have no identity: refuse to reduce an empty dim, as PyTorch does
    (an IndexError naming the first empty dim when the caller named dims)."""
    if tensor.data.size == 0 and builtins.any(tensor.data.shape[d] == 0 for d in dims):
        if dim_given:
            empty = next(d for d in dims if tensor.data.shape[d] == 0)
            raise IndexError(f"{op}(): Expected reduction dim {empty} to have non-zero size.")
        raise RuntimeError(
            f"{op}(): Expected reduction dim to be specified for input.numel() == 0. Specify "
            "the reduction dim with the 'dim' argument. (input shape "
            f"{tuple(tensor.data.shape)})"
        )


def integer_sum_dtype(array, dtype):
    """PyTorch sums and multiplies integers and bools as int64 unless a dtype is given."""
    if dtype is None and array.dtype.kind in "biu":
        return dtypes.int64
    return dtypes.to_dtype(dtype)


# ---- sum, mean, prod ---------------------------------------------------------------------


@register
class Sum(Function):
    """out = sum of x over dims; dx = g broadcast back to x's shape"""

    @staticmethod
    def forward(ctx, x, *, dims, keepdim=False, dtype=None):
        setup(ctx, x, dims)
        dtype = integer_sum_dtype(x.data, dtype)
        # np.add.reduce is np.sum without its Python wrapper (a microsecond per call)
        if x.data.dtype.kind != "f" and (dtype is None or dtype.kind != "f"):  # integers wrap
            return np.asarray(np.add.reduce(x.data, axis=dims, keepdims=keepdim, dtype=dtype))
        # Float sums give inf on overflow and NaN for inf - inf without NumPy's warnings, as in
        # PyTorch; a float cast to an integer dtype gives what the cast gives for inf and NaN.
        with np.errstate(over="ignore", invalid="ignore"):
            return np.asarray(np.add.reduce(x.data, axis=dims, keepdims=keepdim, dtype=dtype))

    @staticmethod
    def backward(ctx, grad_output):
        return spread(ctx, grad_output)


@register
class SumToSize(Function):
    """out = x summed down to ``size`` (undoes broadcasting); dx = g expanded back"""

    @staticmethod
    def forward(ctx, x, *, size):
        ctx.input_shape = x.data.shape
        array = x.data
        lead = array.ndim - len(size)
        dims = tuple(range(lead)) + tuple(
            lead + index
            for index, length in enumerate(size)
            if length == 1 and array.shape[lead + index] != 1
        )
        out = np.sum(array, axis=dims, keepdims=True) if dims else array
        return np.asarray(out.reshape(size))

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.expand(ctx.input_shape)


@register
class Mean(Function):
    """out = sum of x over dims / n (n elements reduced); dx = g / n broadcast back"""

    @staticmethod
    def forward(ctx, x, *, dims, keepdim=False, dtype=None):
        setup(ctx, x, dims)
        ctx.count = math.prod(x.data.shape[d] for d in dims)
        if not ctx.count:  # the mean of nothing is NaN (np.mean would warn)
            out = np.sum(x.data, axis=dims, keepdims=keepdim, dtype=dtype)
            return np.full_like(out, np.nan)
        # np.mean's arithmetic without its Python wrapper (3 us): the sum, then one division;
        # a float16 mean is summed in float32, as PyTorch (NumPy does so only when not asked)
        result_dtype = x.data.dtype if dtype is None else dtype
        accumulate = np.float32 if result_dtype == dtypes.float16 else dtype
        with np.errstate(invalid="ignore", over="ignore"):  # inf and NaN, silently
            total = np.add.reduce(x.data, axis=dims, keepdims=keepdim, dtype=accumulate)
            return np.asarray(np.true_divide(total, ctx.count), dtype=result_dtype)

    @staticmethod
    def backward(ctx, grad_output):
        return spread(ctx, grad_output / ctx.count)


@register
class Prod(Function):
    """out = product of x over dims; dx_i = g * prod_{j != i} x_j (g * out / x_i without zeros;
    with zeros, the product of the other elements without dividing)"""

    @staticmethod
    def forward(ctx, x, *, dims, keepdim=False, dtype=None, whole=False):
        setup(ctx, x, dims)
        ctx.whole = whole  # prod() of every element, for PyTorch's many-zeros shortcut
        dtype = integer_sum_dtype(x.data, dtype)
        with np.errstate(over="ignore", invalid="ignore"):  # inf (and inf * 0), as PyTorch
            product = np.prod(x.data, axis=dims, keepdims=keepdim, dtype=dtype)
        out = Tensor._make(np.asarray(product))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        x, out = ctx.saved_tensors
        if not x.ndim:  # the product of one number: g itself (PyTorch's, even at inf or NaN)
            return grad_output
        grad = unreduce(ctx, grad_output)
        zero = x.data == 0
        if not zero.any():
            return grad * (unreduce(ctx, out) / x)
        if not records_backward():  # exact, as PyTorch's (next to inf or NaN too)
            if ctx.whole and np.count_nonzero(zero) > 1:  # PyTorch's shortcut: all 0
                return Tensor._make(np.zeros(x.data.shape, np.result_type(grad.data, x.data)))
            return Tensor._make(grad.data * others_product(x.data, ctx.dims))
        from .scans import others_products  # (scans.py builds on this module)

        # each element's gradient is the product of the others, in ops differentiable again
        return grad * others_products(x, ctx.dims)


def sum(input, dim=None, keepdim=False, *, dtype=None):  # noqa: A001, A002 - PyTorch's names
    """Sum over ``dim`` (every dim when None); integers and bools sum as int64.

    >>> ag.tensor([[1.0, 2.0], [3.0, 4.0]]).sum(1)
    tensor([3., 7.])
    """
    as_tensor_arg(input, "input", "sum")
    return Sum.apply(input, dims=reduced_dims(input, dim, "sum"), keepdim=keepdim, dtype=dtype)


def sum_to_size(input, size):  # noqa: A002
    """Sum a broadcast tensor back down to ``size``."""
    size = tuple(size)
    if input.data.shape == size:
        return input
    return SumToSize.apply(input, size=size)


def mean(input, dim=None, keepdim=False, *, dtype=None):  # noqa: A002
    """The mean over ``dim``; integer inputs need a floating ``dtype``, as in PyTorch.

    >>> ag.tensor([1.0, 2.0, 6.0]).mean()
    tensor(3.)
    """
    as_tensor_arg(input, "input", "mean")
    dtype = dtypes.to_dtype(dtype)
    if (dtype or input.data.dtype).kind != "f":
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {input.data.dtype}"
        )
    dims = reduced_dims(input, dim, "mean")
    return Mean.apply(input, dims=dims, keepdim=keepdim, dtype=dtype)


def prod(input, dim=EVERY_DIM, keepdim=False, *, dtype=None):  # noqa: A002
    """The product over ``dim`` (every dim when left out; not None, as in PyTorch);
    integers multiply as int64.

    >>> ag.tensor([2.0, 0.5, 3.0]).prod()
    tensor(3.)
    """
    as_tensor_arg(input, "input", "prod")
    whole = every_dim(dim, keepdim, "prod")
    dims = reduced_dims(input, None if whole else dim, "prod")
    return Prod.apply(input, dims=dims, keepdim=keepdim, dtype=dtype, whole=whole)


def others_product(array, dims):
    """For each element, the product over ``dims`` of the others in its slice, without
    dividing (exact next to zeros, inf and NaN): exclusive cumulative products from both
    ends of each slice, multiplied. The dims reduced are moved last and flattened."""
    kept = array.ndim - len(dims)
    last = tuple(range(kept, array.ndim))
    moved = np.moveaxis(array, dims, last)
    slices = moved.reshape((*moved.shape[:kept], -1))
    before = np.ones_like(slices)
    after = np.ones_like(slices)
    with np.errstate(invalid="ignore", over="ignore"):  # inf and 0 * inf, as multiplied out
        np.cumprod(slices[..., :-1], axis=-1, out=before[..., 1:])
        np.cumprod(slices[..., :0:-1], axis=-1, out=after[..., -2::-1])
        before *= after
    return np.moveaxis(before.reshape(moved.shape), last, dims)


# ---- var, std ----------------------------------------------------------------------------


def moments_forward(ctx, x, dims, keepdim, correction):
    """var = sum((x - mean)^2) / max(n - correction, 0) over dims (inf or NaN when <= 0)."""
    setup(ctx, x, dims)
    array = x.data
    count = math.prod(array.shape[d] for d in dims)
    ctx.freedom = count - correction
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        # An empty reduction has no mean (np.mean would warn); its sum of squares is 0.
        diff = array - np.mean(array, axis=dims, keepdims=True) if count else array
        squares = np.sum(diff * diff, axis=dims, keepdims=keepdim)
        divisor = builtins.max(ctx.freedom, 0)
        return np.asarray(np.true_divide(squares, divisor), dtype=array.dtype)


def var_backward(ctx, x, grad):
    """d var / dx = 2 (x - mean) / (n - correction), times the kept-shape gradient ``grad``
    (n - correction is not clamped at 0 here, as in PyTorch; inf - inf, inf * 0 give NaN)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.true_divide(2.0, ctx.freedom)
        return (scale * grad) * (x - x.mean(ctx.dims, keepdim=True))


@register
class Var(Function):
    """out = sum((x - mean)^2) / (n - correction); dx = g * 2 (x - mean) / (n - correction)"""

    @staticmethod
    def forward(ctx, x, *, dims, keepdim=False, correction=1):
        ctx.save_for_backward(x)
        return moments_forward(ctx, x, dims, keepdim, correction)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return var_backward(ctx, x, unreduce(ctx, grad_output))


@register
class Std(Function):
    """out = sqrt(var); dx = g / (2 out) * dvar/dx, and 0 where out == 0 (as PyTorch)"""

    @staticmethod
    def forward(ctx, x, *, dims, keepdim=False, correction=1):
        out = Tensor._make(np.sqrt(moments_forward(ctx, x, dims, keepdim, correction)))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        x, out = ctx.saved_tensors
        out = unreduce(ctx, out)
        grad = var_backward(ctx, x, safe_divide(unreduce(ctx, grad_output), 2 * out))
        return grad.where(out != 0, 0.0)


def correction_of(dim, unbiased, correction, op):
    """(dim, correction) from PyTorch's overloads: var(unbiased), var(dim, unbiased, keepdim),
    var(dim, correction=...); the default is Bessel's correction (1)."""
    if isinstance(dim, builtins.bool):  # x.var(False): the legacy var(unbiased) overload
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise TypeError(f"{op}(): pass either unbiased or correction, not both")
    if correction is None:
        correction = 0 if unbiased is False else 1
    return dim, correction


def moments(cls, op, tensor, dim, unbiased, keepdim, correction):
    if tensor.data.dtype.kind != "f":
        raise RuntimeError(
            f"std and var only support floating point and complex dtypes (got {tensor.data.dtype})"
        )
    dim, correction = correction_of(dim, unbiased, correction, op)
    dims = reduced_dims(tensor, dim, op, in_turn=True)
    return cls.apply(tensor, dims=dims, keepdim=keepdim, correction=correction)


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):  # noqa: A002
    """The variance over ``dim`` with divisor n - correction (correction 1 by default;
    ``unbiased=False`` means 0).

    >>> ag.tensor([1.0, 2.0, 3.0, 4.0]).var()
    tensor(1.6667)
    """
    as_tensor_arg(input, "input", "var")
    return moments(Var, "var", input, dim, unbiased, keepdim, correction)


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):  # noqa: A002
    """sqrt(var(...)): the standard deviation over ``dim``; see ``var``."""
    as_tensor_arg(input, "input", "std")
    return moments(Std, "std", input, dim, unbiased, keepdim, correction)


# ---- logsumexp, norm ---------------------------------------------------------------------


@register
class LogSumExp(Function):
    """out = m + log(sum(exp(x - m))) with m the max over dims (stable); dx = g exp(x - out)"""

    @staticmethod
    def forward(ctx, x, *, dims, keepdim=False):
        setup(ctx, x, dims)
        array = float_array(x)
        peak = np.amax(array, axis=dims, keepdims=True, initial=-np.inf)
        peak = np.where(np.isfinite(peak), peak, 0)  # all -inf or an inf: no shift
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            total = np.sum(np.exp(array - peak), axis=dims, keepdims=True)
            out = Tensor._make(np.log(total) + peak)
        if not keepdim:
            out.data = out.data.reshape([s for i, s in enumerate(out.shape) if i not in dims])
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        x, out = ctx.saved_tensors
        # x - out may overflow to -inf (x = -1e308, out = 1e308): exp gives 0, as in PyTorch.
        with np.errstate(over="ignore"):
            return unreduce(ctx, grad_output) * (x - unreduce(ctx, out)).exp()


def logsumexp(input, dim, keepdim=False):  # noqa: A002
    """log(sum(exp(input))) over ``dim``, computed without overflow.

    >>> ag.tensor([1000.0, 1000.0]).logsumexp(0)
    tensor(1000.6931)
    """
    as_tensor_arg(input, "input", "logsumexp")
    if dim is None:  # PyTorch's TypeError
        raise TypeError(
            "logsumexp(): argument 'dim' must be tuple of ints, not NoneType (every dim: "
            "dim=tuple(range(input.ndim)))"
        )
    return LogSumExp.apply(input, dims=reduced_dims(input, dim, "logsumexp"), keepdim=keepdim)


@register
class Norm(Function):
    """out = (sum |x|^p)^(1/p) over dims (p = inf: max |x|, -inf: min |x|, 0: count of
    non-zeros); dx = g sign(x) |x|^(p-1) / out^(p-1), 0 where x == 0 or out == 0 (p = 1:
    g sign(x); p = +-inf: g sign(x) split among the extreme |x|; p = 0: no gradient)"""

    @staticmethod
    def forward(ctx, x, *, p, dims, keepdim=False):
        setup(ctx, x, dims)
        ctx.p = p
        array = x.data
        size = np.abs(array)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if p == 2:
                out = np.sqrt(np.sum(array * array, axis=dims, keepdims=keepdim))
            elif p == 1:
                out = np.sum(size, axis=dims, keepdims=keepdim)
            elif p == math.inf:
                out = np.amax(size, axis=dims, keepdims=keepdim)
            elif p == -math.inf:
                out = np.amin(size, axis=dims, keepdims=keepdim)
            elif p == 0:
                out = np.sum(array != 0, axis=dims, keepdims=keepdim, dtype=array.dtype)
            else:
                out = np.sum(size**p, axis=dims, keepdims=keepdim) ** (1 / p)
        out = Tensor._make(np.asarray(out, dtype=array.dtype))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        x, out = ctx.saved_tensors
        p = ctx.p
        if p == 0:
            return None
        grad, out = unreduce(ctx, grad_output), unreduce(ctx, out)
        # An inf element gives inf * 0 = NaN silently, as in PyTorch.
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if p == 2:
                return x * safe_divide(grad, out)
            sign = np.sign(x.data)
            if p == 1:
                return grad * Tensor._make(sign)
            if p in (math.inf, -math.inf):
                tied = np.abs(x.data) == out.data
                share = sign * tied / np.sum(tied, axis=ctx.dims, keepdims=True)
                return grad * Tensor._make(share)
            sign = Tensor._make(sign)
            size = (x * sign).where(x != 0, 1.0)  # |x|, with 1 where x == 0 (sign is 0 there)
            return sign * size ** (p - 1) * safe_divide(grad, out ** (p - 1))


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):  # noqa: A002
    """The vector p-norm over ``dim`` (every dim when None): p = "fro" or 2, 1, inf, -inf,
    0 (count of non-zeros) or any other number; the gradient is 0 where the norm is 0.

    >>> ag.tensor([3.0, -4.0]).norm()
    tensor(5.)
    """
    as_tensor_arg(input, "input", "norm")
    tensor = input if dtype is None else input.to(dtypes.to_dtype(dtype))
    if tensor.data.dtype.kind != "f":
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
            f"{tensor.data.dtype}"
        )
    if p is None or p == "fro":
        p = 2
    elif isinstance(p, str):
        raise RuntimeError(f"norm(): order {p!r} is not supported (use 'fro' or a number)")
    dims = reduced_dims(tensor, dim, "norm")
    if p in (math.inf, -math.inf):
        check_nonempty(tensor, dims, "norm")
    return Norm.apply(tensor, p=float(p), dims=dims, keepdim=keepdim)


# ---- all, any, cumsum --------------------------------------------------------------------


def logical_reduction(function, op, tensor, dim, keepdim):
    """all/any over ``dim``: bool results (uint8 stays uint8, as in PyTorch); no gradient."""
    array = tensor.data
    out = function(array, axis=reduced_dims(tensor, dim, op), keepdims=keepdim)
    return Tensor._make(np.asarray(out, dtype=array.dtype if array.dtype == np.uint8 else bool))


def all(input, dim=None, keepdim=False):  # noqa: A001, A002
    """True where every element over ``dim`` is non-zero."""
    as_tensor_arg(input, "input", "all")
    return logical_reduction(np.all, "all", input, dim, keepdim)


def any(input, dim=None, keepdim=False):  # noqa: A001, A002
    """True where some element over ``dim`` is non-zero."""
    as_tensor_arg(input, "input", "any")
    return logical_reduction(np.any, "any", input, dim, keepdim)


@register
class Cumsum(Function):
    """out_i = sum_{j <= i} x_j along dim (reverse: sum_{j >= i}); dx = the cumsum of g in
    the other direction"""

    @staticmethod
    def forward(ctx, x, *, dim, reverse=False, dtype=None):
        ctx.dim, ctx.reverse = dim, reverse
        array = x.data
        dtype = integer_sum_dtype(array, dtype)
        with np.errstate(over="ignore", invalid="ignore"):  # inf past float16's range, as PyTorch
            if not array.ndim:
                return array.astype(dtype or array.dtype)
            if reverse:
                return np.flip(np.cumsum(np.flip(array, dim), axis=dim, dtype=dtype), dim)
            return np.cumsum(array, axis=dim, dtype=dtype)

    @staticmethod
    def backward(ctx, grad_output):
        return Cumsum.apply(grad_output, dim=ctx.dim, reverse=not ctx.reverse)


def cumsum(input, dim, *, dtype=None):  # noqa: A002
    """Running sums along ``dim``; integers and bools sum as int64.

    >>> ag.tensor([1.0, 2.0, 3.0]).cumsum(0)
    tensor([1., 3., 6.])
    """
    as_tensor_arg(input, "input", "cumsum")
    return Cumsum.apply(input, dim=normalize_dim(dim, input.data.ndim, "cumsum"), dtype=dtype)
