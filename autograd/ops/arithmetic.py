"""Arithmetic: + - * / // % ** and neg, with PyTorch's promotion and broadcasting.

Every binary op takes Tensors or Python numbers on either side. Gradients are returned at
the broadcast shape; the engine reduces them to each input's shape.
"""

import numpy as np

from .. import dtypes
from ..function import Function, records_backward
from ..tensor import Tensor
from .common import float_operands, operands
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
        return
    if a_is_tensor or b_is_tensor:
        ctx.save_for_backward(a if a_is_tensor else None, b if b_is_tensor else None)
    ctx.constants = (None if a_is_tensor else a, None if b_is_tensor else b)


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
        if dtypes.result_type(a, b) == dtypes.bool_:
            raise TypeError("Subtraction, the `-` operator, with a bool tensor is not supported.")
        try:
            return np.subtract(x, y)
        except ValueError:
            raise broadcast_error("sub", a, b) from None

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output, (-grad_output if ctx.needs_input_grad[1] else None)


@register
class Mul(Function):
    """out = a * b; da = g * b, db = g * a"""

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        edges = ctx._edges
        if edges:  # recording: each operand is read only by the other's gradient
            needs_a, needs_b = edges[0] is not None, edges[1] is not None
            save_operands(ctx, a if needs_b else None, b if needs_a else None)
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
    """out = a / b (true division); da = g / b, db = -g * a / b^2"""

    @staticmethod
    def forward(ctx, a, b):
        x, y = float_operands(a, b)
        edges = ctx._edges
        if edges:  # recording: a is read only by b's gradient
            save_operands(ctx, a if edges[1] is not None else None, b)
        try:
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.true_divide(x, y)
        except ValueError:
            raise broadcast_error("div", a, b) from None

    @staticmethod
    def backward(ctx, grad_output):
        a, b = saved_operands(ctx)
        needs_a, needs_b = ctx.needs_input_grad
        grad_a = grad_output / b if needs_a else None
        grad_b = -grad_output * a / (b * b) if needs_b else None
        return grad_a, grad_b


@register
class Neg(Function):
    """out = -x; dx = -g"""

    @staticmethod
    def forward(ctx, x):
        if x.data.dtype == dtypes.bool_:
            raise TypeError("Negation, the `-` operator, on a bool tensor is not supported.")
        return np.negative(x.data)

    @staticmethod
    def backward(ctx, grad_output):
        return -grad_output


@register
class Pow(Function):
    """out = a ** b; da = g * b * a^(b-1), db = g * out * log(a) (0 where a == 0 and b >= 0)"""

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        if isinstance(x, np.ndarray) and x.dtype.kind in "iub" and not isinstance(y, float):
            y_array = np.asarray(y)
            if y_array.dtype.kind in "iu" and (y_array < 0).any():
                raise RuntimeError("Integers to negative integer powers are not allowed.")
        try:
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                out = Tensor._make(np.asarray(np.power(x, y)))
        except ValueError:
            raise broadcast_error("pow", a, b) from None
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
            if not isinstance(b, Tensor) and b == 0:
                grad_a = grad_output * 0.0
            else:
                grad_a = grad_output * b * a ** (b - 1)
        if needs_b:
            log_a = where_positive_log(a)
            grad_b = grad_output * out * log_a
        return grad_a, grad_b


def where_positive_log(a):
    """log(a), with 0 where a == 0 (PyTorch's convention for d(a^b)/db at a == 0)."""
    if not isinstance(a, Tensor):
        return float(np.log(a)) if a != 0 else 0.0
    from .elementwise import log
    from .selection import where

    return where(a == 0, 0.0, log(a))


@register
class FloorDivide(Function):
    """out = floor(a / b); no gradient (PyTorch raises at backward)."""

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        try:
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.floor_divide(x, y)
        except ValueError:
            raise broadcast_error("floor_divide", a, b) from None

    @staticmethod
    def backward(ctx, grad_output):
        raise RuntimeError("derivative for floor_divide is not implemented")


@register
class Remainder(Function):
    """out = a - floor(a / b) * b (sign of b, Python's %); da = g, db = -g * floor(a / b)"""

    @staticmethod
    def forward(ctx, a, b):
        x, y = operands(a, b)
        edges = ctx._edges
        if edges and edges[1] is not None:  # recording: only b's gradient reads a and b
            save_operands(ctx, a, b)
        try:
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.remainder(x, y)
        except ValueError:
            raise broadcast_error("remainder", a, b) from None

    @staticmethod
    def backward(ctx, grad_output):
        from .elementwise import floor

        if ctx._edges[1] is None:
            return grad_output, None
        a, b = saved_operands(ctx)
        return grad_output, -grad_output * floor(a / b)


@register
class ToDtype(Function):
    """out = x cast to dtype; dx = g cast back to x's dtype (the engine does the cast)."""

    @staticmethod
    def forward(ctx, x, *, dtype):
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

        return trunc(Div.apply(input, other))
    raise ValueError(
        "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
        f"'{rounding_mode}'"
    )


true_divide = div


def neg(input):  # noqa: A002
    return Neg.apply(input)


negative = neg


def pow(input, exponent):  # noqa: A001, A002 - PyTorch's names
    return Pow.apply(input, exponent)


def floor_divide(input, other):  # noqa: A002
    return FloorDivide.apply(input, other)


def remainder(input, other):  # noqa: A002
    return Remainder.apply(input, other)


def to_dtype(input, dtype):  # noqa: A002
    """input cast to dtype (the same tensor when it already has it)."""
    if input.data.dtype == dtype:
        return input
    return ToDtype.apply(input, dtype=dtype)


def clone(input):  # noqa: A002
    return Clone.apply(input)
