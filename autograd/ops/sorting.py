"""Sorting: sort, argsort and topk along a dim.

The order is found in NumPy, stable (equal values keep their order; PyTorch leaves that order
unspecified unless ``stable=True``), with NaN as the largest value, as in PyTorch. The values
are ``gather`` of the input at the indices, so their gradient goes back to the elements
they came from.
"""

from collections import namedtuple

import numpy as np

from ..tensor import Tensor
from .common import as_tensor_arg, normalize_dim
from .indexing import gather

# sort and topk return these, as torch.return_types.sort / .topk.
SortResult = namedtuple("sort", ("values", "indices"))
TopkResult = namedtuple("topk", ("values", "indices"))


def _order(data, dim, descending):
    """Stable int64 indices that sort ``data`` (at least 1-D) along ``dim``. Descending: the
    ascending order of the reversed data, reversed, so that ties still keep their order."""
    if not descending:
        return np.argsort(data, axis=dim, kind="stable")
    size = data.shape[dim]
    order = np.argsort(np.flip(data, dim), axis=dim, kind="stable")
    return size - 1 - np.flip(order, dim)


def _sorted(op, input, dim, descending, count=None):  # noqa: A002
    """(values, indices) of the first ``count`` (all when None) elements along ``dim`` in
    sorted order; a 0-d input is sorted as one element."""
    as_tensor_arg(input, "input", op)
    dim = normalize_dim(dim, input.data.ndim, op)
    flat = input.reshape(1) if input.data.ndim == 0 else input
    order = _order(flat.data, dim, descending)
    if count is not None:
        order = np.take(order, np.arange(count), axis=dim)
    indices = Tensor._make(order.astype(np.int64))
    values = gather(flat, dim, indices)
    if input.data.ndim == 0:
        return values.reshape(()), indices.reshape(())
    return values, indices


def sort(input, dim=-1, descending=False, *, stable=False):  # noqa: A002
    """The elements along ``dim`` in increasing (or decreasing) order, and where they were
    (always stable: ``stable`` changes nothing).

    >>> ag.tensor([3.0, 1.0, 2.0]).sort()
    sort(values=tensor([1., 2., 3.]), indices=tensor([1, 2, 0]))
    """
    return SortResult(*_sorted("sort", input, dim, descending))


def argsort(input, dim=-1, descending=False, *, stable=False):  # noqa: A002
    """The indices that sort ``input`` along ``dim`` (sort's second result; stable)."""
    return _sorted("argsort", input, dim, descending)[1]


def topk(input, k, dim=-1, largest=True, sorted=True):  # noqa: A002
    """The ``k`` largest (or smallest) elements along ``dim``, in order, and their indices
    (in order with ``sorted=False`` too, one of the orders PyTorch may give then).

    >>> ag.tensor([3.0, 1.0, 2.0]).topk(2)
    topk(values=tensor([3., 2.]), indices=tensor([0, 2]))
    """
    as_tensor_arg(input, "input", "topk")
    size = input.data.shape[normalize_dim(dim, input.data.ndim, "topk")] if input.ndim else 1
    if not 0 <= k <= size:
        raise RuntimeError(f"selected index k out of range (k={k}, size {size} along dim {dim})")
    return TopkResult(*_sorted("topk", input, dim, largest, count=k))
