"""Order statistics: median, nanmedian, kthvalue, mode, msort, unique, unique_consecutive.

Along a dim, the element is found in NumPy from the stable order of ``argsort`` (NaN
largest) and its value is ``gather`` of the input there, so the gradient goes back to it.
``median()`` and ``nanmedian()`` of every element split the gradient evenly among the
elements equal to the result, as ``max()`` does (``Extremum``). Which of several equal
elements an index names: median's is PyTorch's (the k-th of the stable order); kthvalue's and
mode's, which PyTorch leaves unspecified, are the k-th of the stable order and the last
occurrence. unique and unique_consecutive have no gradient, as in PyTorch.
"""

import functools
from collections import namedtuple

import numpy as np

from .. import dtypes
from ..function import Function
from ..tensor import Tensor
from .common import as_tensor_arg, int_arg, normalize_dim
from .indexing import gather
from .reduction import EVERY_DIM, check_nonempty, every_dim
from .registry import register
from .selection import Extremum
from .sorting import argsort, sort

# median(dim), nanmedian(dim), kthvalue and mode return these, as torch.return_types.*.
MedianResult = namedtuple("median", ("values", "indices"))
NanMedianResult = namedtuple("nanmedian", ("values", "indices"))
KthvalueResult = namedtuple("kthvalue", ("values", "indices"))
ModeResult = namedtuple("mode", ("values", "indices"))


def median_position(size, nan_count, skip_nan):
    """Where the lower median sits in the sorted order (NaN last) of ``size`` elements:
    (n - 1) // 2 of the n elements counted; with a NaN and not ``skip_nan``, the first NaN
    (the median is NaN); with nothing but NaN, 0."""
    if skip_nan:
        return np.maximum((size - nan_count - 1) // 2, 0)
    return np.where(nan_count > 0, size - nan_count, (size - 1) // 2)


def median_of_all(array, axis, keepdims, *, skip_nan):
    """The lower median of every element of ``array`` (Extremum's reduce, called with every
    axis and no keepdim); NaN for no element (for integers, the dtype's smallest value: what
    PyTorch gives there is its NaN cast to an integer, no meaningful number)."""
    values = np.sort(array, axis=None)
    if not values.size:
        if array.dtype.kind == "f":
            return np.full((), np.nan, array.dtype)
        return np.full((), np.iinfo(array.dtype).min, array.dtype)
    return values[median_position(values.size, np.count_nonzero(values != values), skip_nan)]


@register
class Median(Extremum):
    """out = the lower median of all of x (NaN if x holds one); dx = g split evenly among
    the elements equal to it (among the NaNs when it is NaN)"""

    reduce = staticmethod(functools.partial(median_of_all, skip_nan=False))
    nan_ties = True


@register
class NanMedian(Extremum):
    """out = the lower median of the non-NaN elements of x (NaN if none); dx = g split evenly
    among the elements equal to it (among the NaNs when it is NaN)"""

    reduce = staticmethod(functools.partial(median_of_all, skip_nan=True))
    nan_ties = True


def check_sortable(tensor, op):
    """median, nanmedian and kthvalue refuse bool tensors, as PyTorch does."""
    if tensor.data.dtype == dtypes.bool_:
        raise NotImplementedError(f"{op}(): not implemented for bool tensors")


def pick_along(input, dim, keepdim, position):  # noqa: A002
    """(values, indices) of the element at sorted position ``position(sorted_values)`` (an
    int, or an int array with dim kept as size 1) of each slice along ``dim`` (normalised,
    non-empty); the values are gathered."""
    flat = input.reshape(1) if input.data.ndim == 0 else input
    order = argsort(flat, dim).data
    kept_shape = (*order.shape[:dim], 1, *order.shape[dim + 1 :])
    chosen = np.broadcast_to(position(np.take_along_axis(flat.data, order, axis=dim)), kept_shape)
    indices = Tensor._make(np.take_along_axis(order, chosen, axis=dim))
    return kept(input, gather(flat, dim, indices), indices, dim, keepdim)


def kept(input, values, indices, dim, keepdim):  # noqa: A002
    """values and indices (dim kept as size 1) shaped as the result of reducing ``input``."""
    if input.data.ndim == 0:
        return values.reshape(()), indices.reshape(())
    if not keepdim:
        return values.squeeze(dim), indices.squeeze(dim)
    return values, indices


def median_of(op, input, dim, keepdim, skip_nan):  # noqa: A002
    """median / nanmedian (``skip_nan``): of every element when ``dim`` is left out, else
    the named tuple (values, indices) of each slice's lower median."""
    as_tensor_arg(input, "input", op)
    check_sortable(input, op)
    if every_dim(dim, keepdim, op):
        return (NanMedian if skip_nan else Median).apply(input, dims=tuple(range(input.data.ndim)))
    dim = normalize_dim(dim, input.data.ndim, op)
    check_nonempty(input, (dim,), "median", dim_given=True)  # (PyTorch's name for both)

    def position(ordered):
        nan_count = np.count_nonzero(ordered != ordered, axis=dim, keepdims=True)
        return median_position(ordered.shape[dim], nan_count, skip_nan)

    result = NanMedianResult if skip_nan else MedianResult
    return result(*pick_along(input, dim, keepdim, position))


def median(input, dim=EVERY_DIM, keepdim=False):  # noqa: A002
    """The lower median of every element (NaN if one is NaN); with ``dim`` (not None, as in
    PyTorch), the named tuple (values, indices) of each slice's lower median.

    >>> ag.tensor([3.0, 1.0, 4.0, 2.0]).median()
    tensor(2.)
    """
    return median_of("median", input, dim, keepdim, skip_nan=False)


def nanmedian(input, dim=EVERY_DIM, keepdim=False):  # noqa: A002
    """``median`` of the non-NaN elements (NaN where there are none).

    >>> ag.tensor([3.0, float("nan"), 1.0]).nanmedian()
    tensor(1.)
    """
    return median_of("nanmedian", input, dim, keepdim, skip_nan=True)


def kthvalue(input, k, dim=-1, keepdim=False):  # noqa: A002
    """The k-th smallest element (k from 1) of each slice along ``dim``, and its index.

    >>> ag.tensor([3.0, 1.0, 2.0]).kthvalue(2)
    kthvalue(values=tensor(2.), indices=tensor(2))
    """
    as_tensor_arg(input, "input", "kthvalue")
    check_sortable(input, "kthvalue")
    k = int_arg(k, "k", "kthvalue", 1)
    dim = normalize_dim(dim, input.data.ndim, "kthvalue")
    check_nonempty(input, (dim,), "kthvalue", dim_given=True)
    size = input.data.shape[dim] if input.data.ndim else 1
    if not 1 <= k <= size:
        raise RuntimeError(
            f"kthvalue(): selected number k out of range for dimension {dim} (k={k}, size {size})"
        )
    return KthvalueResult(*pick_along(input, dim, keepdim, lambda ordered: k - 1))


def mode(input, dim=-1, keepdim=False):  # noqa: A002
    """The most frequent value of each slice along ``dim`` (the smallest of equally frequent
    ones; NaNs count as one value) and the index of its last occurrence.

    >>> ag.tensor([2.0, 1.0, 2.0, 1.0, 3.0]).mode()
    mode(values=tensor(1.), indices=tensor(3))
    """
    as_tensor_arg(input, "input", "mode")
    dim = normalize_dim(dim, input.data.ndim, "mode")
    check_nonempty(input, (dim,), "mode", dim_given=True)
    flat = input.reshape(1) if input.data.ndim == 0 else input
    rows = np.moveaxis(flat.data, dim, -1)
    kept_shape = rows.shape[:-1]
    rows = rows.reshape(-1, rows.shape[-1])
    order = np.argsort(rows, axis=1, kind="stable")
    ordered = np.take_along_axis(rows, order, axis=1)
    starts = np.ones(rows.shape, bool)  # where a run of equal values (or of NaNs) starts
    starts[:, 1:] = ~same(ordered[:, 1:], ordered[:, :-1])
    runs = np.cumsum(starts).reshape(rows.shape) - 1  # a run number, unique over all rows
    lengths = np.bincount(runs.ravel(), minlength=1)[runs]
    chosen = np.take_along_axis(runs, np.argmax(lengths, axis=1)[:, None], axis=1)
    last = np.max(np.where(runs == chosen, order, -1), axis=1)
    indices = Tensor._make(np.expand_dims(last.reshape(kept_shape), dim).astype(dtypes.int64))
    return ModeResult(*kept(input, gather(flat, dim, indices), indices, dim, keepdim))


def same(a, b):
    """Elementwise a == b, NaN equal to NaN."""
    return (a == b) | ((a != a) & (b != b))


def msort(input):  # noqa: A002
    """``input`` sorted along its first dim: ``sort(input, dim=0).values``."""
    as_tensor_arg(input, "input", "msort")
    return sort(input, 0).values


# ---- unique, unique_consecutive ----------------------------------------------------------


@register
class Unique(Function):
    """(values, inverse, counts): the distinct slices along dim (elements when dim is
    None), in sorted order or, when ``consecutive``, one per run of equal neighbours; no
    gradient, as in PyTorch"""

    @staticmethod
    def forward(ctx, x, *, dim, consecutive):
        ctx.op = "unique_consecutive" if consecutive else "unique"
        array = x.data
        slices = array.reshape(-1, 1) if dim is None else np.moveaxis(array, dim, 0)
        count = slices.shape[0]
        slices = slices.reshape(count, int(np.prod(slices.shape[1:])))
        # lexsort's last key sorts first: the slices in lexicographic order (NaN last, stable)
        order = np.arange(count) if consecutive else np.lexsort(slices.T[::-1])
        ordered = slices[order]
        starts = np.ones(count, bool)  # NaN != NaN: every NaN starts a group, as in PyTorch
        starts[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
        inverse = np.empty(count, dtypes.int64)
        inverse[order] = np.cumsum(starts) - 1
        first = np.flatnonzero(starts)
        counts = np.diff(first, append=count).astype(dtypes.int64)
        if dim is None:
            return ordered[first, 0], inverse.reshape(array.shape), counts
        values = ordered[first].reshape((len(first), *np.delete(array.shape, dim)))
        return np.moveaxis(values, 0, dim), inverse, counts

    @staticmethod
    def backward(ctx, grad_values, grad_inverse, grad_counts):
        raise NotImplementedError(f"the derivative for '{ctx.op}' is not implemented.")


def unique_outputs(op, input, consecutive, flags, dim):  # noqa: A002
    """Unique's outputs as PyTorch returns them: values alone, or a tuple with the inverse
    indices and/or the counts asked for. ``flags``: the bool arguments by name."""
    as_tensor_arg(input, "input", op)
    for name, flag in flags.items():
        if not isinstance(flag, (bool, np.bool_)):
            raise TypeError(f"{op}(): argument '{name}' must be bool, not {type(flag).__name__}")
    if dim is not None:
        if input.data.ndim == 0:
            raise IndexError(f"{op}(): Dimension specified as {dim} but tensor has no dimensions")
        dim = normalize_dim(dim, input.data.ndim, op)
        if any(size == 0 for axis, size in enumerate(input.data.shape) if axis != dim):
            raise RuntimeError(
                f"{op}(): There are 0 sized dimensions, and they aren't selected, so unique "
                f"cannot be applied (shape {tuple(input.data.shape)}, dim {dim})"
            )
    values, inverse, counts = Unique.apply(input, dim=dim, consecutive=consecutive)
    asked = [inverse] * bool(flags["return_inverse"]) + [counts] * bool(flags["return_counts"])
    return (values, *asked) if asked else values


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):  # noqa: A002
    """The distinct elements (or slices along ``dim``) in increasing order (always sorted:
    ``sorted=False`` changes nothing, as on PyTorch's CPU), with, if asked, each element's
    index into them (``return_inverse``) and how often each occurs (``return_counts``).

    >>> ag.unique(ag.tensor([3, 1, 3]), return_counts=True)
    (tensor([1, 3]), tensor([1, 2]))
    """
    flags = {"sorted": sorted, "return_inverse": return_inverse, "return_counts": return_counts}
    return unique_outputs("unique", input, False, flags, dim)


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):  # noqa: A002
    """One element (or slice along ``dim``) per run of equal neighbours, in order; see
    ``unique``.

    >>> ag.unique_consecutive(ag.tensor([1, 1, 2, 1]))
    tensor([1, 2, 1])
    """
    flags = {"return_inverse": return_inverse, "return_counts": return_counts}
    return unique_outputs("unique_consecutive", input, True, flags, dim)
