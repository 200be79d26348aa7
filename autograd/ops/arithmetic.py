"""Arithmetic: + - * / // % ** fmod and neg, with PyTorch's promotion and broadcasting.

Every binary op takes Tensors or Python numbers on either side. Gradients are returned at
the broadcast shape; the engine reduces them to each input's shape.
"""

import math

import numpy as np

from .. import dtypes
from ..function import UNWRITTEN_PAIR, Function, records_backward
from ..tensor import Tensor
from .common import as_tensor_arg, float_operands, operands, require_tensor, wrapped_int
from .registry import register


def broadcast_error(op, a, b):
    """PyTorch's message for operands whose shapes do not broadcast."""
    shape_a = a.data.shape if isinstance(a, Tensor) else ()
    shape_b = b.data.shape if isinstance(b, Tensor) else ()
    for offset in range(1, min(len(shape_a), len(shape_b)) + 1):
        size_a, size_b = shape_a[-offset], shape_b[-offset]
        if size_a != size_b and 1 not in (size_a, size_b):
            dim = max(len(shape_a), len(shape_b)) - offset
            return RuntimeError(
                f"{op}: the size of tensor a ({size_a}) must match the size of tensor b "
                f"({size_b}) at non-singleton dimension {dim} (shapes {tuple(shape_a)} and "
                f"{tuple(shape_b)})"
            )
    return RuntimeError(f"{op}: shapes {tuple(shape_a)} and {tuple(shape_b)} do not broadcast")


def save_operands(ctx, a, b):
    """Keep the operands backward reads: Tensors saved for backward, Python numbers on ctx.

    Callers record only while recording (``ctx._edges``) and pass None for an operand that
    no needed gradient reads (PyTorch saves no more: ``w * 2.0`` keeps only the 2.0).
    """
    a_is_tensor, b_is_tensor = isinstance(a, Tensor), isinstance(b, Tensor)
    if a_is_tensor and b_is_tensor:
        ctx._saved = (a, b)  # save_for_backward's effect, without the call: a hot path
        if a._version is None and b._version is None:  # and _pack_saved's, for inputs
            ctx._saved_info = UNWRITTEN_PAIR  # never written in place (see there)
        return
    if a_is_tensor or b_is_tensor:
        ctx.save_for_backward(a if a_is_tensor else None, b if b_is_tensor else None)
    ctx.constants = (None if a_is_tensor else a, None if b_is_tensor else b)


def save_for_each_other(ctx, a, b):
    """save_operands for a product (mul, matmul), where each operand is read only by the
    other's gradient: an operand is kept only if the other needs a gradient."""
    edge_a, edge_b = ctx._edges
    save_operands(ctx, None if edge_b is None else a, None if edge_a is None else b)


def saved_operands(ctx):
    """The operands save_operands kept: Tensors, or the Python numbers."""
    a, b = ctx.saved_tensors or (None, None)
    if a is None or b is None:
        constant_a, constant_b = ctx.constants
        return (constant_a if a is None else a), (constant_b if b is None else b)
    return a, b


def saved_operand_arrays(ctx):
    """Like saved_operands, with the Tensors' arrays (for backward hot paths in NumPy)."""
    a, b = ctx.saved_arrays() or (None, None)
    if a is None or b is None:
        constant_a, constant_b = ctx.constants
        return (constant_a if a is None else a), (constant_b if b is None else b)
    return a, b


@register
class Add(Function):
    """out = a + b; da = g, db = g"""

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        try:
            return np.add(x, y)
        except ValueError:
            raise broadcast_error("add", a, b) from None

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output, grad_output


@register
class Sub(Function):
    """out = a - b; da = g, db = -g"""

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        if is_bool(a) or is_bool(b):
            raise bool_subtraction_error(a, b)
        try:
            return np.subtract(x, y)
        except ValueError:
            raise broadcast_error("sub", a, b) from None

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output, (-grad_output if ctx.needs_input_grad[1] else None)


def is_bool(value):
    return value.data.dtype.kind == "b" if isinstance(value, Tensor) else type(value) is bool


def bool_subtraction_error(a, b):
    """PyTorch's refusal of ``-`` with a bool operand (a bool Tensor or a Python bool)."""
    if is_bool(a) and is_bool(b):
        return RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` "
            "or `logical_xor()` operator instead."
        )
    return RuntimeError(
        "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying "
        "to invert a mask, use the `~` or `logical_not()` operator instead."
    )


@register
class Mul(Function):
    """out = a * b; da = g * b, db = g * a"""

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        if ctx._edges:  # recording
            save_for_each_other(ctx, a, b)
        try:
            return np.multiply(x, y)
        except ValueError:
            raise broadcast_error("mul", a, b) from None

    @staticmethod
    def backward(ctx, grad_output):
        edge_a, edge_b = ctx._edges  # which inputs need a gradient, without building a tuple
        if not records_backward():  # a hot path: the same products, straight in NumPy
            a, b = saved_operand_arrays(ctx)
            g = grad_output.data
            return (
                None if edge_a is None else Tensor._make(g * b),
                None if edge_b is None else Tensor._make(g * a),
            )
        a, b = saved_operands(ctx)
        return (
            None if edge_a is None else grad_output * b,
            None if edge_b is None else grad_output * a,
        )


@register
class Div(Function):
    """out = a / b (true division); da = g / b, db = -g * (a / b) / b"""

    @staticmethod
    def forward(ctx, a, b):
        x, y = float_operands(a, b)
        edges = ctx._edges
        if edges:  # recording: a is read only by b's gradient
            save_operands(ctx, a if edges[1] is not None else None, b)
        try:
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                return np.true_divide(x, y)
        except ValueError:
            raise broadcast_error("div", a, b) from None

    @staticmethod
    def backward(ctx, grad_output):
        a, b = saved_operands(ctx)
        needs_a, needs_b = ctx.needs_input_grad
        grad_a = grad_output / b if needs_a else None
        grad_b = -grad_output * (a / b / b) if needs_b else None  # a / b^2 underflows
        return grad_a, grad_b


@register
class Neg(Function):
    """out = -x; dx = -g"""

    @staticmethod
    def forward(ctx, x):
        if x.data.dtype == dtypes.bool_:
            raise RuntimeError(
                "Negation, the `-` operator, on a bool tensor is not supported. If you are "
                "trying to invert a mask, use the `~` or `logical_not()` operator instead."
            )
        return np.negative(x.data)

    @staticmethod
    def backward(ctx, grad_output):
        return -grad_output


@register
class Pow(Function):
    """out = a ** b; da = g * b * a^(b-1) (0 where b == 0), db = g * out * log(a) (0 where
    a == 0 and b >= 0)"""

    @staticmethod
    def forward(ctx, a, b):
        dtype = dtypes.result_type(a, b)
        if dtype.kind in "iu" and type(b) is int:
            check_integer_exponent(b, dtype)
        x, y = operands(a, b)
        try:
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                if dtype.kind == "b":  # a ** True is a, a ** False is True
                    out = np.logical_or(x, np.logical_not(y))
                elif dtype.kind in "iu":
                    out = integer_power(x, y)
                else:
                    out = float_power(x, y)
        except ValueError:
            raise broadcast_error("pow", a, b) from None
        out = Tensor._make(np.asarray(out))
        ctx.save_for_backward(
            a if isinstance(a, Tensor) else None,
            b if isinstance(b, Tensor) else None,
            out if isinstance(b, Tensor) else None,
        )
        ctx.constants = (
            None if isinstance(a, Tensor) else a,
            None if isinstance(b, Tensor) else b,
        )
        return out

    @staticmethod
    def backward(ctx, grad_output):
        a, b, out = ctx.saved_tensors
        a = ctx.constants[0] if a is None else a
        b = ctx.constants[1] if b is None else b
        needs_a, needs_b = ctx.needs_input_grad
        grad_a = grad_b = None
        if needs_a:
            if not isinstance(b, Tensor):
                if b == 0:  # zeros, as PyTorch, even where g is NaN
                    grad_a = Tensor._make(np.zeros_like(grad_output.data))
                else:
                    grad_a = grad_output * (b * a ** (b - 1))
            else:
                from .selection import where

                # 0 where b == 0, as PyTorch: b * a^(b-1) is 0 * inf = NaN at a == 0 (or NaN)
                with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                    grad_a = where(b == 0, 0.0, grad_output * (b * a ** (b - 1)))
        if needs_b:
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                grad_b = grad_output * out_times_log_base(a, b, out)
        return grad_a, grad_b


def check_integer_exponent(exponent, dtype):
    """PyTorch's refusals of a Python int exponent for an integer result."""
    if exponent < 0:
        raise RuntimeError(
            f"Integers to negative integer powers are not allowed ({dtype} ** {exponent})."
        )
    if exponent > np.iinfo(dtype).max:
        raise RuntimeError(
            f"pow: exponent {exponent} cannot be converted to {dtype} without overflow"
        )


def integer_power(x, y):
    """x ** y in integers. A negative exponent gives 1 / x^-y truncated toward 0 (as PyTorch):
    x^(y mod 2) where |x| == 1, else 0 (0 as well at x == 0)."""
    negative = np.less(y, 0)
    if not negative.any():
        return np.power(x, y)
    out = np.power(x, np.where(negative, y & 1, y))
    return np.where(negative & (np.abs(x) != 1), 0, out).astype(out.dtype, copy=False)


def float_power(x, y):
    """x ** y in floats as PyTorch computes it: float32/64 to a Python 0.5 or -0.5 as sqrt or
    1 / sqrt (NaN at -inf); otherwise C's pow, whose value at x = -inf NumPy's loop for one
    exponent over many bases misses (NaN for a non-integer y, where C gives inf if y > 0,
    else 0)."""
    if type(y) is float and abs(y) == 0.5 and x.dtype.itemsize > 2:
        root = np.sqrt(x)
        return root if y > 0 else np.reciprocal(root)
    out = np.power(x, y)
    if type(y) in (int, float) and float(y).is_integer():  # exact for integer exponents
        return out
    at_minus_inf = np.isneginf(x)
    if not at_minus_inf.any():
        return out
    repaired = np.where(np.greater(y, 0), np.inf, 0.0).astype(out.dtype)
    return np.where(at_minus_inf & np.isnan(out) & ~np.isnan(y), repaired, out)


def out_times_log_base(a, b, out):
    """out * log(a), with 0 where a == 0 and b >= 0 (PyTorch's d(a^b)/db = a^b log a)."""
    from .selection import where

    if not isinstance(a, Tensor):
        log_a = math.log(a) if a > 0 else (-math.inf if a == 0 else math.nan)
        return where(b >= 0, 0.0, out * log_a) if a == 0 else out * log_a
    from .elementwise import log

    # log in the result's dtype: log of an integer base would be in float32 (a float64 b)
    base = a if a.dtype == out.dtype else a.to(out.dtype)
    return where((a == 0) & (b >= 0), 0.0, out * log(base))


@register
class FloorDivide(Function):
    """out = floor(a / b); no gradient (PyTorch raises at backward)."""

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        try:
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                out = np.floor_divide(x, y)
        except ValueError:
            raise broadcast_error("floor_divide", a, b) from None
        check_integer_divisor("floor_divide", out, y)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        raise RuntimeError("derivative for floor_divide is not implemented")


class Modulo(Function):
    """Shared forward/backward of remainder and fmod: out = a - q * b, q the quotient a / b
    rounded by ``quotient``; da = g, db = -g * q (q a constant, as PyTorch's rounded
    division has a zero gradient)."""

    ufunc = None  # np.remainder or np.fmod (its name is the op's)
    quotient = None  # the rounded quotient of two arrays

    @staticmethod
    def forward(ctx, a, b):
        name = ctx.ufunc.__name__
        if dtypes.result_type(a, b).kind == "b":
            raise NotImplementedError(f"\"{name}_cpu\" not implemented for 'Bool'")
        x, y = operands(a, b)
        edges = ctx._edges
        if edges and edges[1] is not None:  # recording: only b's gradient reads a and b
            save_operands(ctx, a, b)
        try:
            with np.errstate(divide="ignore", invalid="ignore"):
                out = ctx.ufunc(x, y)
        except ValueError:
            raise broadcast_error(name, a, b) from None
        check_integer_divisor(name, out, y)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        if ctx._edges[1] is None:
            return grad_output, None
        x, y = operands(*saved_operands(ctx))
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            quotient = Tensor._make(np.asarray(ctx.quotient(x, y)))
        return grad_output, -grad_output * quotient


@register
class Remainder(Modulo):
    """out = a - (a // b) * b (the sign of b, Python's %); da = g, db = -g * (a // b)"""

    ufunc = np.remainder
    # a // b, not floor(a / b): they differ where a / b rounds (1.0 // -inf is -1, floor(-0.0)
    # is 0)
    quotient = np.floor_divide


def truncated_quotient(x, y):
    """trunc(x / y) of arrays: inf where y == 0 (and x != 0)."""
    return np.trunc(np.true_divide(x, y))


@register
class Fmod(Modulo):
    """out = a - trunc(a / b) * b (the sign of a, C's fmod); da = g, db = -g * trunc(a / b)"""

    ufunc = np.fmod
    quotient = staticmethod(truncated_quotient)


def check_integer_divisor(op, out, divisor):
    """PyTorch raises for an integer division by zero (NumPy gives 0)."""
    if out.dtype.kind in "iub" and out.size and not np.all(divisor):
        raise RuntimeError(f"ZeroDivisionError: {op} of {out.dtype} values by an integer zero")


@register
class ToDtype(Function):
    """out = x cast to dtype; dx = g cast back to x's dtype (the engine does the cast)."""

    @staticmethod
    def forward(ctx, x, *, dtype):
        # Out-of-range values become inf (NaN to an integer: whatever the cast gives), without
        # NumPy's warning, as PyTorch.
        with np.errstate(over="ignore", invalid="ignore"):
            return x.data.astype(dtype)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


@register
class Clone(Function):
    """out = a copy of x; dx = g"""

    @staticmethod
    def forward(ctx, x):
        return x.data.copy()

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


def add(input, other, alpha=1):  # noqa: A002 - PyTorch's parameter name
    """input + alpha * other"""
    return Add.apply(input, other if alpha == 1 else mul(other, alpha))


def sub(input, other, alpha=1):  # noqa: A002
    """input - alpha * other"""
    return Sub.apply(input, other if alpha == 1 else mul(other, alpha))


def mul(input, other):  # noqa: A002
    return Mul.apply(input, other)


def div(input, other, rounding_mode=None):  # noqa: A002
    """True division; rounding_mode "floor" is floor_divide, "trunc" rounds toward zero."""
    if rounding_mode is None:
        return Div.apply(input, other)
    if rounding_mode == "floor":
        return FloorDivide.apply(input, other)
    if rounding_mode == "trunc":
        from .elementwise import trunc

        dtype = dtypes.result_type(input, other)
        if dtype.kind == "f":
            return trunc(Div.apply(input, other))
        # integers stay integers (true division would make floats): a // b, plus 1 where the
        # quotient is negative and inexact
        floor = FloorDivide.apply(input, other)
        if dtype.kind != "i":
            return floor  # an unsigned quotient is never negative
        a, b = wrapped_int(input, dtype), wrapped_int(other, dtype)
        inexact = Remainder.apply(a, b) != 0
        return floor + (inexact & ((a < 0) != (b < 0)))
    raise ValueError(
        "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
        f"'{rounding_mode}'"
    )


true_divide = div


def neg(input):  # noqa: A002
    return Neg.apply(input)


negative = neg


def pow(input, exponent):  # noqa: A001, A002 - PyTorch's names
    require_tensor("pow", input, exponent)
    return Pow.apply(input, exponent)


def floor_divide(input, other):  # noqa: A002
    return FloorDivide.apply(input, other)


def remainder(input, other):  # noqa: A002
    require_tensor("remainder", input, other)
    return Remainder.apply(input, other)


def fmod(input, other):  # noqa: A002
    """The remainder of input / other rounded toward zero: the sign of input (``remainder``
    takes other's).

    >>> ag.fmod(ag.tensor([-3.0, 3.0]), 2)
    tensor([-1.,  1.])
    """
    as_tensor_arg(input, "input", "fmod")
    return Fmod.apply(input, other)


def to_dtype(input, dtype):  # noqa: A002
    """input cast to dtype (the same tensor when it already has it)."""
    if input.data.dtype == dtype:
        return input
    return ToDtype.apply(input, dtype=dtype)


# PyTorch's legacy type names (Tensor.type()), by dtype name
TYPE_NAMES = {
    "float16": "torch.HalfTensor",
    "float32": "torch.FloatTensor",
    "float64": "torch.DoubleTensor",
    "uint8": "torch.ByteTensor",
    "int8": "torch.CharTensor",
    "int16": "torch.ShortTensor",
    "int32": "torch.IntTensor",
    "int64": "torch.LongTensor",
    "bool": "torch.BoolTensor",
}


def tensor_type(input, dtype=None):  # noqa: A002
    """``Tensor.type``: without ``dtype``, PyTorch's name of input's type ('torch.FloatTensor'
    for float32 ...); with a dtype or such a name, input cast to it, as ``to``."""
    if dtype is None:
        return TYPE_NAMES[input.data.dtype.name]
    if isinstance(dtype, str):
        for name, type_name in TYPE_NAMES.items():
            if dtype == type_name:
                return to_dtype(input, np.dtype(name))
        if dtype.startswith("torch.cuda."):
            raise RuntimeError(f"chainrule runs on the CPU only: no tensor type {dtype!r}")
        raise ValueError(f"invalid type: '{dtype}'")
    if isinstance(dtype, np.dtype):
        return to_dtype(input, dtype)
    if isinstance(dtype, type):  # float, np.float32: names PyTorch does not take either
        raise ValueError(f"invalid type: '{dtype.__name__}'")
    raise TypeError(f"dtype must be a type, str, or dtype object, not {type(dtype).__name__}")


def clone(input):  # noqa: A002
    return Clone.apply(input)
