"""Comparisons and logical ops: no gradient, bool results, NumPy broadcasting."""

import numpy as np

from ..tensor import Tensor
from .arithmetic import broadcast_error
from .common import as_tensor_arg, operands, require_tensor


def _compare(ufunc, name, a, b):
    require_tensor(name, a, b)
    x, y = operands(a, b)
    try:
        return Tensor._make(np.asarray(ufunc(x, y)))
    except ValueError:
        raise broadcast_error(name, a, b) from None


def eq(input, other):  # noqa: A002 - PyTorch's parameter name
    return _compare(np.equal, "eq", input, other)


def ne(input, other):  # noqa: A002
    return _compare(np.not_equal, "ne", input, other)


def lt(input, other):  # noqa: A002
    return _compare(np.less, "lt", input, other)


def le(input, other):  # noqa: A002
    return _compare(np.less_equal, "le", input, other)


def gt(input, other):  # noqa: A002
    return _compare(np.greater, "gt", input, other)


def ge(input, other):  # noqa: A002
    return _compare(np.greater_equal, "ge", input, other)


def _bitwise(ufunc, name, a, b):
    """A bitwise op on integer or bool operands, promoted as PyTorch promotes them."""
    require_tensor(name, a, b)
    x, y = operands(a, b)
    dtype = x.dtype if isinstance(x, np.ndarray) else y.dtype
    if dtype.kind == "f":
        raise RuntimeError(
            f"{name}: not implemented for floating-point dtype {dtype} (operands "
            f"{_describe(a)} and {_describe(b)}); bitwise ops take integer and bool tensors"
        )
    try:
        return Tensor._make(np.asarray(ufunc(x, y)))
    except ValueError:
        raise broadcast_error(name, a, b) from None


def _describe(value):
    return str(value.data.dtype) if isinstance(value, Tensor) else type(value).__name__


def bitwise_and(input, other):  # noqa: A002
    """``&``: bitwise and of integers, logical and of bools."""
    return _bitwise(np.bitwise_and, "bitwise_and", input, other)


def bitwise_or(input, other):  # noqa: A002
    """``|``: bitwise or of integers, logical or of bools."""
    return _bitwise(np.bitwise_or, "bitwise_or", input, other)


def bitwise_xor(input, other):  # noqa: A002
    """``^``: bitwise exclusive or of integers, logical exclusive or of bools."""
    return _bitwise(np.bitwise_xor, "bitwise_xor", input, other)


def bitwise_not(input):  # noqa: A002
    """``~``: logical not on bool, bitwise not (``-x - 1``) on integers."""
    as_tensor_arg(input, "input", "bitwise_not")
    if input.data.dtype.kind == "f":
        raise TypeError(
            f"~ (bitwise_not) is only supported for integer and bool tensors, "
            f"got dtype {input.data.dtype}"
        )
    return Tensor._make(np.invert(input.data))


def _logical(ufunc, name, a, b):
    """A logical op on the truth (nonzero, NaN included) of both operands. As in PyTorch, the
    operands are first cast to their promoted dtype, which can change a truth: a 0-d int16
    -32768 with a uint8 tensor becomes uint8 0, False. Both must be Tensors, as in PyTorch."""
    as_tensor_arg(a, "input", name)
    as_tensor_arg(b, "other", name)
    x, y = operands(a, b)
    try:
        return Tensor._make(np.asarray(ufunc(x, y)))
    except ValueError:
        raise broadcast_error(name, a, b) from None


def logical_and(input, other):  # noqa: A002
    """``out = (input != 0) and (other != 0)``, bool, for operands of any dtype."""
    return _logical(np.logical_and, "logical_and", input, other)


def logical_or(input, other):  # noqa: A002
    """``out = (input != 0) or (other != 0)``, bool, for operands of any dtype."""
    return _logical(np.logical_or, "logical_or", input, other)


def logical_xor(input, other):  # noqa: A002
    """``out = (input != 0) != (other != 0)``, bool, for operands of any dtype."""
    return _logical(np.logical_xor, "logical_xor", input, other)


def logical_not(input):  # noqa: A002
    """``out = (input == 0)``, bool, for a tensor of any dtype."""
    as_tensor_arg(input, "input", "logical_not")
    return Tensor._make(np.logical_not(input.data))


def isnan(input):  # noqa: A002
    as_tensor_arg(input, "input", "isnan")
    return Tensor._make(np.isnan(input.data))


def isinf(input):  # noqa: A002
    as_tensor_arg(input, "input", "isinf")
    return Tensor._make(np.isinf(input.data))


def isfinite(input):  # noqa: A002
    as_tensor_arg(input, "input", "isfinite")
    return Tensor._make(np.isfinite(input.data))


def equal(input, other):  # noqa: A002
    """True when both have the same shape and elements."""
    as_tensor_arg(input, "input", "equal")
    as_tensor_arg(other, "other", "equal")
    return input.data.shape == other.data.shape and bool(np.array_equal(input.data, other.data))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):  # noqa: A002
    as_tensor_arg(input, "input", "allclose")
    as_tensor_arg(other, "other", "allclose")
    return bool(np.allclose(input.data, other.data, rtol=rtol, atol=atol, equal_nan=equal_nan))
