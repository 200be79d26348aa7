"""Helpers the ops share: operand conversion with PyTorch's promotion, dimension checks."""

import builtins
import numbers
import operator

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
        elif type(b) is float and a.data.dtype.kind == "f" and -_HALF_MAX <= b <= _HALF_MAX:
            return a.data, b  # a float tensor with a Python float (in every float's range)
    elif isinstance(b, Tensor):
        if type(a) is float and b.data.dtype.kind == "f" and -_HALF_MAX <= a <= _HALF_MAX:
            return a, b.data
    else:  # two numbers (add(2.0, 0.5), as PyTorch allows): 0-d arrays of their result dtype
        dtype = dtypes.result_type(a, b)
        return np.asarray(a, dtype), np.asarray(b, dtype)
    dtype = dtypes.result_type(a, b)
    if dtype.kind in "iu":  # NumPy 2 refuses a Python int out of the dtype's range
        a, b = wrapped_int(a, dtype), wrapped_int(b, dtype)
    return as_array(a, dtype), as_array(b, dtype)


def require_tensor(op, a, b):
    """PyTorch's TypeError for the binary ops that refuse two numbers (all but add, sub, mul
    and the divisions)."""
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        raise TypeError(
            f"{op}() received an invalid combination of arguments - got "
            f"({type(a).__name__}, {type(b).__name__}): one of them must be a Tensor"
        )


_INTEGER_RANGES = {
    np.dtype(name): (builtins.int(np.iinfo(name).min), builtins.int(np.iinfo(name).max))
    for name in ("uint8", "int8", "int16", "int32", "int64")
}


def wrapped_int(value, dtype):
    """A Python int as an integer ``dtype`` holds it: wrapped modulo 2**bits, as PyTorch does
    (``uint8 + (-1)`` is ``uint8 + 255``, ``int8 + 200`` is ``int8 + (-56)``). Any other value
    is returned unchanged; an int outside [-2**63, 2**64) is an OverflowError, as in PyTorch.
    """
    if type(value) is not builtins.int:
        return value
    low, high = _INTEGER_RANGES[dtype]
    if low <= value <= high:
        return value
    if not -(2**63) <= value < 2**64:
        raise OverflowError(f"Python int {value} is too big to convert to {dtype}")
    modulus = 1 << (8 * dtype.itemsize)
    value %= modulus
    return value - modulus if value > high else value


def float_operands(a, b):
    """Like ``operands``, but integer and bool results become the default float dtype."""
    if isinstance(a, Tensor) and isinstance(b, Tensor) and a.data.dtype == b.data.dtype:
        if a.data.dtype.kind == "f":
            return a.data, b.data
    dtype = dtypes.float_result_type(a, b)
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):  # two numbers: see operands
        return np.asarray(a, dtype), np.asarray(b, dtype)
    return as_array(a, dtype), as_array(b, dtype)


def as_array(value, dtype):
    """A Tensor's array cast to ``dtype``; a Python number is returned unchanged.

    A value out of ``dtype``'s range becomes inf, as in PyTorch (an int32 -2**31 as float16),
    without NumPy's warning."""
    if isinstance(value, Tensor):
        array = value.data
        if array.dtype == dtype:
            return array
        with np.errstate(over="ignore", invalid="ignore"):
            return array.astype(dtype)
    if isinstance(value, (builtins.bool, builtins.int, builtins.float)):
        if dtype.kind == "f" and _FLOAT_MAX[dtype] < abs(value) < np.inf:
            with np.errstate(over="ignore"):  # NumPy would warn as it makes it inf
                return dtype.type(value)
        return value
    return np.asarray(value, dtype=dtype)


_FLOAT_MAX = {dtype: builtins.float(np.finfo(dtype).max) for dtype in map(np.dtype, "efd")}
_HALF_MAX = _FLOAT_MAX[np.dtype(np.float16)]


def checked_number(value, dtype, op, overflow_to_inf=False):
    """A Python number as PyTorch converts it to ``dtype``, or PyTorch's RuntimeError.

    Integer dtypes take the values in their range, truncating floats (NaN fits none), and a
    negative int wraps into an unsigned dtype down to -max (-1 is 255 in uint8); float dtypes
    take any value, but a finite one beyond the dtype's largest (70000.0 for float16) only
    where ``overflow_to_inf`` (``x[i] = v``, where PyTorch makes the number a tensor first):
    it becomes inf. Other values (Tensors, bools) are returned unchanged.
    """
    if type(value) not in (builtins.int, builtins.float) or dtype.kind == "b":
        return value
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        wraps = type(value) is builtins.int and dtype.kind == "u"
        fits = (-info.max if wraps else info.min) <= value <= info.max  # NaN fails
        if fits and value < 0 and wraps:
            value += info.max + 1
    else:
        beyond = abs(value) > _FLOAT_MAX[dtype] and abs(value) != np.inf  # finite, too big
        if beyond and overflow_to_inf:
            with np.errstate(over="ignore"):  # (only here: an errstate costs a microsecond)
                return dtype.type(value)
        fits = not beyond
    if not fits:
        raise RuntimeError(
            f"{op}: value {value} cannot be converted to type {dtype} without overflow"
        )
    return dtype.type(value)


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


def as_number_arg(value, name, op):
    """Refuse anything that is not a real number (None included), as PyTorch does."""
    if not isinstance(value, (builtins.int, builtins.float, np.integer, np.floating)):
        raise TypeError(f"{op}(): argument '{name}' must be float, not {type(value).__name__}")
    return value


def tensor_or_number_arg(value, name, op):
    """A Tensor or a real Python or NumPy number, as PyTorch's ``(Tensor, Number)`` overloads
    take them: TypeError for anything else, OverflowError for an int outside int64/uint64."""
    if not isinstance(value, (Tensor, numbers.Real)):
        raise TypeError(
            f"{op}(): argument '{name}' must be Tensor or Number, not {type(value).__name__}"
        )
    if isinstance(value, numbers.Integral) and not -(2**63) <= value < 2**64:
        raise OverflowError(f"{op}(): Python int {value} is too big to convert")
    return value


def int_arg(value, name, op, position=None):
    """An int argument as PyTorch takes it (a Python or NumPy int, or an integer tensor of
    one element; a bool or a float is no int there), or PyTorch's TypeError."""
    if not isinstance(value, builtins.bool):
        try:
            return operator.index(value)
        except TypeError:
            pass
    at = "" if position is None else f" (position {position})"
    raise TypeError(f"{op}(): argument '{name}'{at} must be int, not {type(value).__name__}")


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


def normalize_dims(dim, ndim, op="op", in_turn=False):
    """None -> every dim; an int or a tuple -> a sorted tuple of non-negative dims.

    A dim out of range is an IndexError, a repeated one a RuntimeError; PyTorch checks all
    ranges first, but for var and std (``in_turn``) each dim in turn, so (0, 0, 5) is a
    repeat there."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (builtins.int, np.integer)):
        return (normalize_dim(dim, ndim, op),)
    if not isinstance(dim, (tuple, list)):
        raise TypeError(f"{op}(): dim must be an int or a tuple of ints, got {type(dim).__name__}")
    dims = []
    for d in dim:
        dims.append(normalize_dim(d, ndim, op))
        if in_turn and dims[-1] in dims[:-1]:
            break
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


def broadcast_view(array, shape):
    """``array`` broadcast to ``shape`` as a read-only view (``np.broadcast_to``'s result).

    For a C-contiguous array the view is built from strides directly: a dim added in front
    or of size 1 stretched to the target steps by 0 bytes. That costs a third of
    ``np.broadcast_to``, whose checks take 2.4 us on any size (every ``loss.sum()`` backward
    pays it). Anything else (other layouts, empty arrays, shapes that do not broadcast)
    goes to ``np.broadcast_to`` and its errors.
    """
    lead = len(shape) - array.ndim
    if lead < 0 or not array.flags.c_contiguous or not array.size:
        return np.broadcast_to(array, shape)
    strides = [0] * lead
    for size, target, stride in zip(array.shape, shape[lead:], array.strides):
        if size == target:
            strides.append(stride)
        elif size == 1:
            strides.append(0)
        else:
            return np.broadcast_to(array, shape)
    view = np.ndarray(shape, array.dtype, buffer=array, strides=strides)
    view.setflags(write=False)
    return view
