"""Comparisons and logical ops: no gradient, bool results, NumPy broadcasting."""

import numpy as np

from ..tensor import Tensor
from .arithmetic import broadcast_error
from .common import operands


def _compare(ufunc, name, a, b):
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


def _logical(ufunc, name, a, b):
    x = a.data if isinstance(a, Tensor) else a
    y = b.data if isinstance(b, Tensor) else b
    try:
        return Tensor._make(np.asarray(ufunc(x, y)))
    except ValueError:
        raise broadcast_error(name, a, b) from None
    except TypeError:
        raise TypeError(f"{name}: only integer and bool tensors are supported") from None


def logical_and(input, other):  # noqa: A002
    """``&``: bitwise on integers, logical on bool (as PyTorch's operator)."""
    return _logical(np.bitwise_and, "bitwise_and", input, other)


def logical_or(input, other):  # noqa: A002
    return _logical(np.bitwise_or, "bitwise_or", input, other)


def logical_xor(input, other):  # noqa: A002
    return _logical(np.bitwise_xor, "bitwise_xor", input, other)


def logical_not(input):  # noqa: A002
    """``~``: logical not on bool, bitwise not on integers."""
    if input.data.dtype.kind == "f":
        raise TypeError("~ (bitwise_not) is only supported for integer and bool tensors")
    return Tensor._make(np.invert(input.data))


def isnan(input):  # noqa: A002
    return Tensor._make(np.isnan(input.data))


def isinf(input):  # noqa: A002
    return Tensor._make(np.isinf(input.data))


def isfinite(input):  # noqa: A002
    return Tensor._make(np.isfinite(input.data))


def equal(input, other):  # noqa: A002
    """True when both have the same shape and elements."""
    return input.data.shape == other.data.shape and bool(np.array_equal(input.data, other.data))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):  # noqa: A002
    return bool(np.allclose(input.data, other.data, rtol=rtol, atol=atol, equal_nan=equal_nan))
