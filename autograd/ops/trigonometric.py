"""Hyperbolic and inverse trigonometric functions, and atan2 / hypot of two tensors (sin,
cos, tan and tanh are in ``elementwise.py``). Integer inputs compute in the default float
dtype; outside a function's domain the result is NaN, silently, as in PyTorch.
"""

import numpy as np

from ..function import Function
from .arithmetic import broadcast_error, save_operands, saved_operands
from .common import as_tensor_arg, float_operands
from .elementwise import float_unary
from .registry import register


@register
class Sinh(Function):
    """out = sinh(x); dx = g cosh(x)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return float_unary(np.sinh, x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * cosh(x)


@register
class Cosh(Function):
    """out = cosh(x); dx = g sinh(x)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return float_unary(np.cosh, x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * sinh(x)


@register
class Asin(Function):
    """out = asin(x), x in [-1, 1]; dx = g / sqrt(1 - x^2)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return float_unary(np.arcsin, x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * (1 - x * x).rsqrt()


@register
class Acos(Function):
    """out = acos(x), x in [-1, 1]; dx = -g / sqrt(1 - x^2)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return float_unary(np.arccos, x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return -grad_output * (1 - x * x).rsqrt()


@register
class Atan(Function):
    """out = atan(x); dx = g / (1 + x^2)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return float_unary(np.arctan, x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output / (1 + x * x)


@register
class Atan2(Function):
    """out = atan2(a, b), the angle of the point (b, a); da = g b / (a^2 + b^2),
    db = -g a / (a^2 + b^2)"""

    @staticmethod
    def forward(ctx, a, b):
        x, y = float_operands(a, b)
        save_operands(ctx, a, b)
        try:
            return np.arctan2(x, y)
        except ValueError:
            raise broadcast_error("atan2", a, b) from None

    @staticmethod
    def backward(ctx, grad_output):
        a, b = saved_operands(ctx)
        scale = grad_output / (a * a + b * b)
        needs_a, needs_b = ctx.needs_input_grad
        return (scale * b if needs_a else None), (-scale * a if needs_b else None)


@register
class Hypot(Function):
    """out = sqrt(a^2 + b^2), without overflow in between; da = g a / out, db = g b / out"""

    @staticmethod
    def forward(ctx, a, b):
        x, y = float_operands(a, b)
        save_operands(ctx, a, b)
        try:
            return np.hypot(x, y)
        except ValueError:
            raise broadcast_error("hypot", a, b) from None

    @staticmethod
    def backward(ctx, grad_output):
        a, b = saved_operands(ctx)
        scale = grad_output / Hypot.apply(a, b)
        needs_a, needs_b = ctx.needs_input_grad
        return (scale * a if needs_a else None), (scale * b if needs_b else None)


def sinh(input):  # noqa: A002 - PyTorch's parameter name
    return Sinh.apply(input)


def cosh(input):  # noqa: A002
    return Cosh.apply(input)


def asin(input):  # noqa: A002
    return Asin.apply(input)


def acos(input):  # noqa: A002
    return Acos.apply(input)


def atan(input):  # noqa: A002
    return Atan.apply(input)


def atan2(input, other):  # noqa: A002
    """The angle of the point (other, input) in (-pi, pi]; both Tensors, as in PyTorch."""
    as_tensor_arg(input, "input", "atan2")
    as_tensor_arg(other, "other", "atan2")
    return Atan2.apply(input, other)


def hypot(input, other):  # noqa: A002
    """sqrt(input^2 + other^2), elementwise; both Tensors, as in PyTorch."""
    as_tensor_arg(input, "input", "hypot")
    as_tensor_arg(other, "other", "hypot")
    return Hypot.apply(input, other)


arcsin, arccos, arctan, arctan2 = asin, acos, atan, atan2
