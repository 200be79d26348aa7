"""dtypes and PyTorch's type-promotion rules, written down in one place.

chainrule's dtypes are NumPy dtypes (``ag.float32 is np.dtype("float32")``), so a
Tensor's ``.data`` always has exactly the Tensor's dtype.

Promotion (PyTorch's, not NumPy's). Operands fall in three classes, from strong to weak:
tensors with at least one dimension, 0-d tensors, and Python numbers. Each dtype has a
category, bool < integer < floating. The result is the promotion of the strongest class
present, unless a weaker class holds a higher category, in which case that weaker class
decides; a Python float then gives the default dtype and a Python int gives int64. So:

    float32 tensor * 2.5                 -> float32
    float32 tensor + 0-d float64 tensor  -> float32
    int64 tensor * 2.5                   -> float32 (the default dtype)
    int64 tensor + float32 tensor        -> float32
    int64 tensor / int64 tensor          -> float32 (true division always floats)
"""

import builtins

import numpy as np

float16 = np.dtype(np.float16)
float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
int8 = np.dtype(np.int8)
int16 = np.dtype(np.int16)
int32 = np.dtype(np.int32)
int64 = np.dtype(np.int64)
uint8 = np.dtype(np.uint8)
bool_ = np.dtype(np.bool_)

_SUPPORTED = frozenset({float16, float32, float64, int8, int16, int32, int64, uint8, bool_})

_BOOL, _INTEGER, _FLOATING = 0, 1, 2


class _DefaultDtype:
    value = float32


def set_default_dtype(dtype):
    """Set the dtype of Python floats and float factories (float32 or float64)."""
    dtype = np.dtype(dtype)
    if dtype not in (float16, float32, float64):
        raise TypeError(f"only floating-point types are supported as the default type, got {dtype}")
    _DefaultDtype.value = dtype
    _CACHE.clear()


def get_default_dtype():
    """The dtype Python floats become (float32 unless changed)."""
    return _DefaultDtype.value


def category(dtype):
    """0 for bool, 1 for integers, 2 for floating point."""
    if dtype.kind == "f":
        return _FLOATING
    if dtype.kind == "b":
        return _BOOL
    return _INTEGER


def is_floating(dtype):
    return dtype.kind == "f"


def to_dtype(dtype):
    """Normalise a user-given dtype (ag.float32, np.float32, "float32", float, int, bool)."""
    if dtype is None:
        return None
    if dtype is builtins.float:
        return _DefaultDtype.value
    if dtype is builtins.int:
        return int64
    if dtype is builtins.bool:
        return bool_
    try:
        result = np.dtype(dtype)
    except TypeError as error:
        raise TypeError(f"not a dtype: {dtype!r}") from error
    if result not in _SUPPORTED:
        raise TypeError(f"unsupported dtype {result}; use one of {sorted(map(str, _SUPPORTED))}")
    return result


_CACHE = {}


def _operand_key(operand):
    """(class, dtype) of one operand: class 0 dimensioned tensor, 1 0-d tensor, 2 Python number."""
    kind = type(operand)  # Python numbers first: getattr would raise and catch for them
    if kind is builtins.float:
        return (2, _DefaultDtype.value)
    if kind is builtins.int:
        return (2, int64)
    data = getattr(operand, "data", None)
    if isinstance(data, np.ndarray):
        return (0 if data.ndim else 1, data.dtype)
    if isinstance(operand, np.ndarray):
        return (0 if operand.ndim else 1, operand.dtype)
    if isinstance(operand, builtins.bool):
        return (2, bool_)
    if isinstance(operand, builtins.int):
        return (2, int64)
    if isinstance(operand, builtins.float):
        return (2, _DefaultDtype.value)
    if isinstance(operand, np.generic):
        return (1, operand.dtype)
    raise TypeError(f"expected a Tensor or a number, got {type(operand).__name__}")


def promote_types(first, second):
    """PyTorch's promote_types: the higher category wins outright (int64 with float32 is
    float32, not NumPy's float64); within a category, the wider type."""
    first_category, second_category = category(first), category(second)
    if first_category != second_category:
        return first if first_category > second_category else second
    return np.promote_types(first, second)


def _promote_keys(keys):
    best = [None, None, None]
    for klass, dtype in keys:
        best[klass] = dtype if best[klass] is None else promote_types(best[klass], dtype)
    result = None
    for dtype in best:
        if dtype is None:
            continue
        if result is None or category(dtype) > category(result):
            result = dtype
    return result


def result_type(*operands):
    """The dtype PyTorch gives an op on these operands (Tensors, arrays, Python numbers)."""
    keys = tuple([_operand_key(operand) for operand in operands])
    result = _CACHE.get(keys)
    if result is None:
        result = _promote_keys(keys)
        _CACHE[keys] = result
    return result


def float_result_type(*operands):
    """result_type, but integers and bools become the default float (true division, exp, ...)."""
    dtype = result_type(*operands)
    return dtype if dtype.kind == "f" else _DefaultDtype.value
