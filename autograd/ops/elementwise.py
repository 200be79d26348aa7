"""Unary elementwise maths: exp, log, trigonometric, tanh, sqrt, rounding, erf ...

Integer and bool inputs of floating ops give the default float dtype, as in PyTorch.
Where a backward is a hot path, it is its own registered op (``TanhBackward``), whose
forward is one NumPy expression and whose backward is again Tensor ops, so second
derivatives stay exact.
"""

import numpy as np

from ..function import Function
from ..tensor import Tensor
from .common import float_array
from .registry import register


@register
class Exp(Function):
    """out = exp(x); dx = g * out"""

    @staticmethod
    def forward(ctx, x):
        out = Tensor._make(np.exp(float_array(x)))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output * out


@register
class Log(Function):
    """out = log(x); dx = g / x"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(float_array(x))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output / x


@register
class Tanh(Function):
    """out = tanh(x); dx = g * (1 - out^2)"""

    @staticmethod
    def forward(ctx, x):
        out = Tensor._make(np.tanh(float_array(x)))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return TanhBackward.apply(grad_output, out)


@register
class TanhBackward(Function):
    """out = g * (1 - y^2), tanh's gradient in one op; dg = grad * (1 - y^2), dy = -2 grad g y"""

    @staticmethod
    def forward(ctx, grad, y):
        ctx.save_for_backward(grad, y)
        g, out = grad.data, y.data
        return g * (1 - out * out)

    @staticmethod
    def backward(ctx, grad_output):
        grad, y = ctx.saved_tensors
        needs_grad, needs_y = ctx.needs_input_grad
        grad_grad = grad_output * (1 - y * y) if needs_grad else None
        grad_y = -2 * grad_output * grad * y if needs_y else None
        return grad_grad, grad_y


def exp(input):  # noqa: A002 - PyTorch's parameter name
    return Exp.apply(input)


def log(input):  # noqa: A002
    return Log.apply(input)


def tanh(input):  # noqa: A002
    return Tanh.apply(input)
