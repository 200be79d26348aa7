"""Helpers the ops share: operand conversion with PyTorch's promotion, dimension checks."""

import builtins

import numpy as np

from .. import dtypes
from ..tensor import Tensor


def operands(a, b):
    """The NumPy operands of a binary op, cast to PyTorch's result dtype.

    Python numbers stay Python numbers (NumPy treats them as weak, as PyTorch does).
    """
    if isinstance(a, Tensor):
        if isinstance(b, Tensor):
            if a.data.dtype == b.data.dtype:
                return a.data, b.data
        elif type(b) is float and a.data.dtype.kind == "f":
            return a.data, b  # a float tensor with a Python float keeps its dtype
    elif type(a) is float and b.data.dtype.kind == "f":
        return a, b.data
    dtype = dtypes.result_type(a, b)
    return as_array(a, dtype), as_array(b, dtype)


def float_operands(a, b):
    """Like ``operands``, but integer and bool results become the default float dtype."""
    if isinstance(a, Tensor) and isinstance(b, Tensor) and a.data.dtype == b.data.dtype:
        if a.data.dtype.kind == "f":
            return a.data, b.data
    dtype = dtypes.float_result_type(a, b)
    return as_array(a, dtype), as_array(b, dtype)


def as_array(value, dtype):
    """A Tensor's array cast to ``dtype``; a Python number is returned unchanged."""
    if isinstance(value, Tensor):
        array = value.data
        return array if array.dtype == dtype else array.astype(dtype)
    if isinstance(value, (builtins.bool, builtins.int, builtins.float)):
        return value
    return np.asarray(value, dtype=dtype)


def float_array(tensor):
    """A unary float op's input: integer and bool tensors become the default float dtype."""
    array = tensor.data
    if array.dtype.kind == "f":
        return array
    return array.astype(dtypes.get_default_dtype())


def as_tensor_arg(value, name, op):
    """Refuse anything that is not a Tensor, naming the op and argument."""
    if not isinstance(value, Tensor):
        raise TypeError(f"{op}(): argument '{name}' must be a Tensor, not {type(value).__name__}")
    return value


def normalize_dim(dim, ndim, op="op"):
    """A possibly negative dim as a non-negative int; IndexError when out of range."""
    if not isinstance(dim, (builtins.int, np.integer)):
        raise TypeError(f"{op}(): dim must be an int, got {type(dim).__name__}")
    low, high = (-ndim, ndim - 1) if ndim else (-1, 0)
    if not low <= dim <= high:
        raise IndexError(
            f"{op}(): Dimension out of range (expected to be in range of [{low}, {high}], "
            f"but got {dim})"
        )
    return builtins.int(dim % ndim) if ndim else 0


def normalize_dims(dim, ndim, op="op"):
    """None -> every dim; an int or a tuple -> a sorted tuple of non-negative dims."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (builtins.int, np.integer)):
        return (normalize_dim(dim, ndim, op),)
    dims = tuple(normalize_dim(d, ndim, op) for d in dim)
    if len(set(dims)) != len(dims):
        raise RuntimeError(f"{op}(): dim {tuple(dim)} appears multiple times in the list of dims")
    return tuple(sorted(dims))


def check_same_shape_or_broadcast(shape_a, shape_b, op):
    """The broadcast shape of two operands, or a RuntimeError naming the op and both shapes."""
    try:
        return np.broadcast_shapes(shape_a, shape_b)
    except ValueError:
        raise RuntimeError(
            f"{op}: the shapes {tuple(shape_a)} and {tuple(shape_b)} cannot be broadcast together"
        ) from None


def shape_of(value):
    return value.data.shape if isinstance(value, Tensor) else ()
