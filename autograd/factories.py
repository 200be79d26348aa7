"""Creating tensors: from data, filled, ranges, and random draws.

dtype rules: a NumPy array keeps its dtype; Python floats become the default dtype
(float32); Python ints become int64; bools stay bool. Float factories (zeros, rand, ...)
use the default dtype unless ``dtype`` is given.
"""

import builtins
import math
import numbers

import numpy as np

from . import dtypes
from .ops.common import as_tensor_arg, checked_number
from .random import numpy_generator
from .tensor import Tensor


def _finish(array, requires_grad):
    tensor = Tensor._make(array)
    if requires_grad:
        tensor.requires_grad = True
    return tensor


def _infer_array(data, dtype):
    """An ndarray for ``data`` with chainrule's dtype rules."""
    if isinstance(data, Tensor):
        array = data.data
    elif isinstance(data, (np.ndarray, np.generic)):
        array = np.asarray(data)
    else:
        return _python_array(data, None if dtype is None else dtypes.to_dtype(dtype))
    if dtype is not None and array.dtype != dtypes.to_dtype(dtype):
        # Casts wrap or saturate silently, as PyTorch's .to(dtype) does.
        with np.errstate(over="ignore", invalid="ignore"):
            array = array.astype(dtypes.to_dtype(dtype))
    return array


def _python_array(data, dtype):
    """An ndarray of Python numbers (or nested sequences of them), checked as PyTorch checks:
    ragged sequences and integers outside int64 raise, and values must fit an integer dtype."""
    try:
        array = np.array(data)
    except ValueError:
        raise _ragged_error(data, dtype) from None
    kind = array.dtype.kind
    peak = np.abs(array).max() if kind == "f" and array.size else 0.0
    # NumPy holds Python integers of 2**63 or more as uint64, object or float64 arrays.
    if array.dtype in (np.uint64, object) or peak >= 2**63:
        array = _wide_array(data, array.shape, dtype)
        kind, peak = array.dtype.kind, math.inf
    if kind not in "biuf":
        raise TypeError(f"could not convert {type(data).__name__} of {array.dtype} to a tensor")
    if dtype is None:
        if kind == "f":
            dtype = dtypes.get_default_dtype()
        else:
            dtype = dtypes.int64 if kind in "iu" else array.dtype
    elif dtype.kind in "iu" and kind != "b":
        _check_integer_range(array, dtype)
    if peak < 65504 and dtype != dtypes.float16:
        return array.astype(dtype, copy=False)
    # Values too large for float16/float32 become inf silently, as in PyTorch.
    with np.errstate(over="ignore", invalid="ignore"):
        return array.astype(dtype, copy=False)


def _wide_array(data, shape, dtype):
    """The array of data that may hold integers beyond int64: float64 when a float or bool
    dtype is asked for or (without a dtype) the data holds floats, else PyTorch's overflow
    error for such an integer (an integer dtype reads Python ints as int64 first)."""
    values = list(_flatten(data))
    if not builtins.all(isinstance(value, (numbers.Real, np.bool_)) for value in values):
        raise TypeError(f"could not convert {type(data).__name__} to a tensor of numbers")
    floats = not builtins.all(isinstance(value, (numbers.Integral, np.bool_)) for value in values)
    as_float = dtype.kind in "fb" if dtype is not None else floats
    if not as_float:
        for value in values:
            _check_number(value, dtype)
    try:
        return np.array(values, dtype=np.float64 if as_float or floats else np.int64).reshape(shape)
    except OverflowError:
        raise OverflowError(
            f"the integer {_short(builtins.max(values, key=abs))} is too large to convert to float"
        ) from None


def _check_number(value, dtype):
    """PyTorch's overflow errors for one Python number read as int64 or an integer dtype."""
    if isinstance(value, numbers.Integral) and not -(2**63) <= value < 2**63:
        raise ValueError(
            f"Overflow when unpacking long long: the integer {_short(value)} is outside int64's "
            "range [-2**63, 2**63)"
        )
    if dtype is not None and dtype.kind in "iu":
        _check_integer_range(np.array([value]), dtype)


def _short(number):
    text = str(number)
    return text if len(text) < 30 else f"{text[:12]}... ({len(text)} digits)"


def _flatten(data):
    """The numbers in nested lists and tuples, depth first."""
    if isinstance(data, (list, tuple)):
        for item in data:
            yield from _flatten(item)
    else:
        yield data


def _check_integer_range(array, dtype):
    """Refuse values an integer dtype cannot hold, as PyTorch does for Python data (negative
    integers wrap into unsigned types: -1 becomes 255 in uint8; floats must fit as they are)."""
    info = np.iinfo(dtype)
    low = -info.max if info.min == 0 and array.dtype.kind in "iu" else info.min
    if array.size and not (low <= array.min() and array.max() <= info.max):  # NaN fails too
        value = array[~((array >= low) & (array <= info.max))].flat[0]
        raise RuntimeError(
            f"value {value} cannot be converted to type {dtype} without overflow "
            f"(range [{info.min}, {info.max}])"
        )


def _ragged_error(data, dtype):
    """PyTorch's error for nested sequences that do not form a rectangle: the first (depth
    first) whose length differs from the shape set by the first elements, unless a number
    before it does not fit an integer ``dtype``."""
    shape = []
    first = data
    while isinstance(first, (list, tuple)):
        shape.append(len(first))
        if not first:
            break
        first = first[0]
    stack = [(data, 0)]
    while stack:
        item, dim = stack.pop()
        is_sequence = isinstance(item, (list, tuple))
        if dim == len(shape):
            if is_sequence:
                return TypeError(f"expected a number at dim {dim}, got a sequence: {item!r}")
            if dtype is not None and dtype.kind in "iu" and isinstance(item, numbers.Real):
                _check_number(item, dtype)
        elif not is_sequence:
            return TypeError(
                f"not a sequence: expected a sequence of length {shape[dim]} at dim {dim}, "
                f"got {item!r}"
            )
        elif len(item) != shape[dim]:
            return ValueError(
                f"expected sequence of length {shape[dim]} at dim {dim} (got {len(item)})"
            )
        else:
            stack.extend((child, dim + 1) for child in reversed(item))
    return ValueError(f"could not convert {type(data).__name__} to a rectangular tensor")


def tensor(data, dtype=None, requires_grad=False, device=None):
    """A new tensor holding a copy of ``data`` (numbers, nested lists, arrays, tensors).

    >>> ag.tensor([[1.0, 2.0]]).shape
    (1, 2)
    """
    array = _infer_array(data, dtype)
    if isinstance(data, (Tensor, np.ndarray)) and array is (
        data.data if isinstance(data, Tensor) else data
    ):
        array = array.copy()
    return _finish(array, requires_grad)


def as_tensor(data, dtype=None, device=None):
    """Like ``tensor``, but shares memory with an ndarray or Tensor when the dtype allows."""
    if isinstance(data, Tensor) and (dtype is None or data.dtype == dtypes.to_dtype(dtype)):
        return data
    return Tensor._make(_infer_array(data, dtype))


def from_numpy(array):
    """A tensor sharing memory with ``array`` (writes to either show in both)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    return Tensor._make(array)


def _shape(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for length in size:
        if not isinstance(length, (builtins.int, np.integer)):
            raise TypeError(f"size must be a tuple of ints, got {size!r}")
        if length < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {length}: {list(size)}"
            )
    return tuple(builtins.int(length) for length in size)


def _float_dtype(dtype):
    return dtypes.get_default_dtype() if dtype is None else dtypes.to_dtype(dtype)


def zeros(*size, dtype=None, requires_grad=False, device=None):
    return _finish(np.zeros(_shape(size), _float_dtype(dtype)), requires_grad)


def ones(*size, dtype=None, requires_grad=False, device=None):
    return _finish(np.ones(_shape(size), _float_dtype(dtype)), requires_grad)


def empty(*size, dtype=None, requires_grad=False, device=None):
    return _finish(np.empty(_shape(size), _float_dtype(dtype)), requires_grad)


def full(size, fill_value, dtype=None, requires_grad=False, device=None):
    """Filled with ``fill_value``; its dtype follows the value (bool, int64, or default float)."""
    if dtype is None:
        dtype = dtypes.result_type(fill_value)
    dtype = dtypes.to_dtype(dtype)
    value = checked_number(fill_value, dtype, "full")
    return _finish(np.full(_shape((size,)), value, dtype), requires_grad)


def zeros_like(input, dtype=None, requires_grad=False):  # noqa: A002 - PyTorch's name
    as_tensor_arg(input, "input", "zeros_like")
    return _finish(np.zeros_like(input.data, dtype=dtypes.to_dtype(dtype)), requires_grad)


def ones_like(input, dtype=None, requires_grad=False):  # noqa: A002
    as_tensor_arg(input, "input", "ones_like")
    return _finish(np.ones_like(input.data, dtype=dtypes.to_dtype(dtype)), requires_grad)


def empty_like(input, dtype=None, requires_grad=False):  # noqa: A002
    as_tensor_arg(input, "input", "empty_like")
    return _finish(np.empty_like(input.data, dtype=dtypes.to_dtype(dtype)), requires_grad)


def full_like(input, fill_value, dtype=None, requires_grad=False):  # noqa: A002
    as_tensor_arg(input, "input", "full_like")
    dtype = input.data.dtype if dtype is None else dtypes.to_dtype(dtype)
    value = checked_number(fill_value, dtype, "full_like")
    return _finish(np.full_like(input.data, value, dtype=dtype), requires_grad)


def arange(start, end=None, step=1, dtype=None, requires_grad=False, device=None):
    """[start, end) by step; int64 for integer arguments, the default float otherwise."""
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("arange: step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError(
            f"arange: upper bound and larger bound inconsistent with step sign "
            f"(start={start}, end={end}, step={step})"
        )
    if dtype is None:
        dtype = dtypes.result_type(start, end, step)
    dtype = dtypes.to_dtype(dtype)
    # Computed in float64 and cast, so a float32 arange has no accumulated rounding error.
    count = builtins.int(np.ceil((end - start) / step))
    array = (start + step * np.arange(count, dtype=np.float64)).astype(dtype)
    if dtype.kind in "iu":
        array = np.arange(start, end, step, dtype=dtype)
    return _finish(array, requires_grad)


def linspace(start, end, steps, dtype=None, requires_grad=False, device=None):
    return _finish(np.linspace(start, end, steps, dtype=_float_dtype(dtype)), requires_grad)


def eye(n, m=None, dtype=None, requires_grad=False, device=None):
    return _finish(np.eye(n, m, dtype=_float_dtype(dtype)), requires_grad)


def rand(*size, generator=None, dtype=None, requires_grad=False, device=None):
    """Uniform on [0, 1)."""
    dtype = _float_dtype(dtype)
    array = numpy_generator(generator).random(_shape(size)).astype(dtype)
    return _finish(array, requires_grad)


def randn(*size, generator=None, dtype=None, requires_grad=False, device=None):
    """Standard normal."""
    dtype = _float_dtype(dtype)
    array = numpy_generator(generator).standard_normal(_shape(size)).astype(dtype)
    return _finish(array, requires_grad)


def randint(low, high=None, size=None, generator=None, dtype=None, requires_grad=False):
    """Integers uniform on [low, high) (int64 by default)."""
    if size is None and isinstance(high, (tuple, list)):
        low, high, size = 0, low, high  # PyTorch's randint(high, size) form
    if high is None:
        low, high = 0, low
    if size is None:
        raise TypeError("randint() missing required argument 'size'")
    if high <= low:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    dtype = dtypes.int64 if dtype is None else dtypes.to_dtype(dtype)
    array = numpy_generator(generator).integers(low, high, _shape((size,))).astype(dtype)
    return _finish(array, requires_grad)


def randperm(n, generator=None, dtype=None):
    if isinstance(n, builtins.bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"randperm(): argument 'n' must be int, not {type(n).__name__}")
    dtype = dtypes.int64 if dtype is None else dtypes.to_dtype(dtype)
    return Tensor._make(numpy_generator(generator).permutation(n).astype(dtype))


def normal(mean, std, size=None, generator=None, dtype=None, requires_grad=False):
    """Normal draws with the given mean and std (numbers with ``size``, or tensors)."""
    for name, value in (("mean", mean), ("std", std)):
        if not isinstance(value, (Tensor, numbers.Real)):
            raise TypeError(
                f"normal(): argument '{name}' must be a Tensor or a number, "
                f"not {type(value).__name__}"
            )
    mean_array = mean.data if isinstance(mean, Tensor) else mean
    std_array = std.data if isinstance(std, Tensor) else std
    if np.any(np.asarray(std_array) < 0):
        raise RuntimeError(f"normal expects std >= 0.0, but found std {np.min(std_array)}")
    shape = (
        _shape((size,))
        if size is not None
        else np.broadcast_shapes(np.shape(mean_array), np.shape(std_array))
    )
    draw = numpy_generator(generator).standard_normal(shape)
    return _finish((mean_array + std_array * draw).astype(_float_dtype(dtype)), requires_grad)


def rand_like(input, dtype=None, requires_grad=False):  # noqa: A002
    as_tensor_arg(input, "input", "rand_like")
    return rand(*input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)


def randn_like(input, dtype=None, requires_grad=False):  # noqa: A002
    as_tensor_arg(input, "input", "randn_like")
    return randn(*input.shape, dtype=dtype or input.dtype, requires_grad=requires_grad)
