"""Ops at a vector of indices along one dim, made of ``index_put`` and ``index_select``:
index_add, index_copy, index_fill and repeat_interleave. Their gradients are those ops'.

``index`` is a 1-D int64 or int32 tensor; ``x.index_add(1, index, source)`` adds
``source[:, i]`` into ``x[:, index[i]]`` (repeated indices add up), which is
``x[:, index] += source`` with the repeats counted.
"""

import numpy as np

from ..tensor import Tensor
from .common import as_tensor_arg, normalize_dim
from .indexing import index_put, index_select


def _along(op, input, dim, index):  # noqa: A002 - PyTorch's parameter name
    """(the index tuple selecting ``index`` along ``dim``, dim) after PyTorch's checks."""
    as_tensor_arg(input, "input", op)
    as_tensor_arg(index, "index", op)
    if index.data.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{op}(): Expected dtype int32/int64 for index but got: {index.dtype}")
    if index.data.ndim > 1:
        raise IndexError(
            f"{op}(): Index is supposed to be a vector, but got dim: {index.data.ndim} "
            f"(size {list(index.shape)})"
        )
    ndim = max(input.data.ndim, 1)
    dim = normalize_dim(dim, ndim, op)
    size = input.data.shape[dim] if input.data.ndim else 1
    values = index.data.reshape(-1)
    negative_counts_from_end, error, prefix = _OUT_OF_BOUNDS[op]
    low = -size if negative_counts_from_end else 0
    if values.size and (values.min() < low or values.max() >= size):
        bad = values.min() if values.min() < low else values.max()
        raise error(f"{prefix}index {bad} is out of bounds for dimension {dim} with size {size}")
    return (slice(None),) * dim + (Tensor._make(values),), dim


# Per op, as PyTorch: does a negative index count from the end, and what an index out of
# bounds raises.
_OUT_OF_BOUNDS = {
    "index_add_": (False, RuntimeError, ""),
    "index_copy_": (False, IndexError, "index_copy_(): "),
    "index_fill_": (True, IndexError, ""),
}


def _check_source(op, dim, index, source):
    """PyTorch's check that ``source`` has one slice along ``dim`` per index."""
    as_tensor_arg(source, "source", op)
    count = index.data.size
    length = source.data.shape[dim] if source.data.ndim else 1
    if count != length:
        raise RuntimeError(
            f"{op}(): Number of indices ({count}) should be equal to source.size(dim): "
            f"({length}), for dim: {dim}"
        )


def index_add(input, dim, index, source, *, alpha=1):  # noqa: A002
    """input with alpha * source[.., i, ..] added at input[.., index[i], ..] along dim."""
    where, dim = _along("index_add_", input, dim, index)
    _check_source("index_add_", dim, index, source)
    if alpha != 1:
        source = source * alpha
    return index_put(input, where, source, accumulate=True)


def index_copy(input, dim, index, source):  # noqa: A002
    """input with source[.., i, ..] written at input[.., index[i], ..] along dim."""
    where, dim = _along("index_copy_", input, dim, index)
    _check_source("index_copy_", dim, index, source)
    return index_put(input, where, source)


def index_fill(input, dim, index, value):  # noqa: A002
    """input with ``value`` (a number or a 0-d tensor) at the indices along dim."""
    where, _ = _along("index_fill_", input, dim, index)
    if isinstance(value, Tensor) and value.data.ndim:
        raise RuntimeError(
            "index_fill_ only supports a 0-dimensional value tensor, but got tensor with "
            f"{value.data.ndim} dimension(s)."
        )
    return index_put(input, where, value)


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):  # noqa: A002
    """Each element (each slice along ``dim``; of the flattened input when dim is None)
    repeated ``repeats`` times (an int, or one count per element). Called with a tensor of
    counts alone, the indices 0, 1, ... each repeated its count of times. ``output_size``
    (PyTorch's hint of the result's length) is not needed here."""
    if repeats is None:  # repeat_interleave(counts)
        counts = as_tensor_arg(input, "repeats", "repeat_interleave").data
        return Tensor._make(np.repeat(np.arange(counts.size), counts).astype(np.int64))
    as_tensor_arg(input, "input", "repeat_interleave")
    if dim is None:
        input, dim = input.reshape(-1), 0  # noqa: A001
    dim = normalize_dim(dim, max(input.data.ndim, 1), "repeat_interleave")
    size = input.data.shape[dim] if input.data.ndim else 1
    counts = repeats.data.reshape(-1) if isinstance(repeats, Tensor) else np.asarray(repeats)
    if counts.size != 1 and counts.size != size:
        raise RuntimeError(
            "repeats must have the same size as input along dim, but got "
            f"repeats.size(0) = {counts.size} and input.size({dim}) = {size}"
        )
    if counts.size and counts.min() < 0:
        raise RuntimeError("Repeats must be non-negative")
    picked = np.repeat(np.arange(size), counts)
    return index_select(input, dim, Tensor._make(picked.astype(np.int64)))
