"""Unary elementwise maths: exp, log, trigonometric, tanh, sigmoid, sqrt, rounding, erf ...

Floating ops give the default float dtype for integer and bool inputs, as in PyTorch;
``abs``, ``sign``, ``square`` and the rounding ops keep integer dtypes. Where a backward is
a hot path, it is its own registered op (``TanhBackward``, ``SigmoidBackward``), whose
forward is one NumPy expression and whose backward is again Tensor ops, so second
derivatives stay exact. NaN and inf propagate as in NumPy, without warnings.
"""

import math

import numpy as np
from numpy import ndarray, subtract  # (see tensor.py: np. names are not cached)

from ..function import Function, records_backward
from ..tensor import Tensor
from .common import float_array
from .registry import register

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def float_unary(ufunc, x):
    """ufunc applied to x's data as a float array, with NumPy's floating warnings silenced."""
    with np.errstate(all="ignore"):
        return ufunc(float_array(x))


@register
class Exp(Function):
    """out = exp(x); dx = g * out"""

    @staticmethod
    def forward(ctx, x):
        return ctx.save_output(float_unary(np.exp, x))

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
        return float_unary(np.log, x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output / x


@register
class Log2(Function):
    """out = log2(x); dx = g / (x ln 2)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return float_unary(np.log2, x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output / (x * math.log(2.0))


@register
class Log10(Function):
    """out = log10(x); dx = g / (x ln 10)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return float_unary(np.log10, x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output / (x * math.log(10.0))


@register
class Log1p(Function):
    """out = log(1 + x); dx = g / (x + 1)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return float_unary(np.log1p, x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output / (x + 1)


@register
class Expm1(Function):
    """out = exp(x) - 1; dx = g * (out + 1)"""

    @staticmethod
    def forward(ctx, x):
        return ctx.save_output(float_unary(np.expm1, x))

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output * (out + 1)


@register
class Sqrt(Function):
    """out = sqrt(x); dx = g / (2 out)"""

    @staticmethod
    def forward(ctx, x):
        return ctx.save_output(float_unary(np.sqrt, x))

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output / (2 * out)


@register
class Rsqrt(Function):
    """out = 1 / sqrt(x); dx = -g out^3 / 2"""

    @staticmethod
    def forward(ctx, x):
        with np.errstate(all="ignore"):
            return ctx.save_output(1 / np.sqrt(float_array(x)))

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return -0.5 * grad_output * out**3


@register
class Sin(Function):
    """out = sin(x); dx = g cos(x)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return float_unary(np.sin, x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * cos(x)


@register
class Cos(Function):
    """out = cos(x); dx = -g sin(x)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return float_unary(np.cos, x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * -sin(x)


@register
class Tan(Function):
    """out = tan(x); dx = g (1 + out^2)"""

    @staticmethod
    def forward(ctx, x):
        return ctx.save_output(float_unary(np.tan, x))

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output * (1 + out * out)


@register
class Tanh(Function):
    """out = tanh(x); dx = g * (1 - out^2)"""

    @staticmethod
    def forward(ctx, x):
        # tanh never overflows, so the (costly) errstate of float_unary is not needed: a hot path
        return ctx.save_output(np.tanh(float_array(x)))

    @staticmethod
    def backward(ctx, grad_output):
        if not records_backward():  # a hot path: TanhBackward's forward without the op
            (out,) = ctx.saved_arrays()
            return Tensor._make(tanh_gradient(grad_output.data, out))
        (out,) = ctx.saved_tensors
        return TanhBackward.apply(grad_output, out)


def tanh_gradient(grad, out):
    """g (1 - y^2) for y = tanh(x), on arrays: as g - g y y, which needs no Python number
    (NumPy converts one on every call: a third of the time on small arrays), in one new
    array (``grad - product`` would make a second: NumPy reuses only a left temporary)."""
    product = grad * out
    if type(product) is not ndarray:  # 0-d operands give a NumPy scalar
        return grad - product * out
    product *= out
    return subtract(grad, product, out=product)


@register
class TanhBackward(Function):
    """out = g * (1 - y^2), tanh's gradient in one op; dg = grad * (1 - y^2), dy = -2 grad g y"""

    @staticmethod
    def forward(ctx, grad, y):
        ctx.save_for_backward(grad, y)
        return tanh_gradient(grad.data, y.data)

    @staticmethod
    def backward(ctx, grad_output):
        grad, y = ctx.saved_tensors
        needs_grad, needs_y = ctx.needs_input_grad
        grad_grad = grad_output * (1 - y * y) if needs_grad else None
        grad_y = -2 * grad_output * grad * y if needs_y else None
        return grad_grad, grad_y


def sigmoid_array(x):
    """1 / (1 + exp(-x)) without overflow: exp is only taken of -|x| = e, and for x < 0
    the result is e / (1 + e). Nothing here can overflow or warn, so no errstate (a
    microsecond) is needed."""
    exp_neg = np.exp(-np.abs(x))
    out = np.add(exp_neg, 1.0, out=np.empty_like(exp_neg))  # (out= keeps 0-d an array)
    np.reciprocal(out, out=out)
    np.multiply(out, exp_neg, out=out, where=x < 0)
    return out


@register
class Sigmoid(Function):
    """out = 1 / (1 + exp(-x)); dx = g * out * (1 - out)"""

    @staticmethod
    def forward(ctx, x):
        return ctx.save_output(sigmoid_array(float_array(x)))

    @staticmethod
    def backward(ctx, grad_output):
        if not records_backward():  # a hot path: SigmoidBackward's forward without the op
            (out,) = ctx.saved_arrays()
            return Tensor._make(sigmoid_gradient(grad_output.data, out))
        (out,) = ctx.saved_tensors
        return SigmoidBackward.apply(grad_output, out)


def sigmoid_gradient(grad, out):
    """g (1 - y) y for y = sigmoid(x), on arrays: as g y - g y y, in two new arrays (see
    tanh_gradient)."""
    scaled = grad * out
    if type(scaled) is not np.ndarray:  # 0-d operands give a NumPy scalar
        return scaled - scaled * out
    product = scaled * out
    return np.subtract(scaled, product, out=product)


@register
class SigmoidBackward(Function):
    """out = g (1 - y) y, sigmoid's gradient in one op; dg = grad (1 - y) y, dy = grad g (1 - 2y)"""

    @staticmethod
    def forward(ctx, grad, y):
        ctx.save_for_backward(grad, y)
        return sigmoid_gradient(grad.data, y.data)

    @staticmethod
    def backward(ctx, grad_output):
        grad, y = ctx.saved_tensors
        needs_grad, needs_y = ctx.needs_input_grad
        grad_grad = SigmoidBackward.apply(grad_output, y) if needs_grad else None
        grad_y = grad_output * grad * (1 - 2 * y) if needs_y else None
        return grad_grad, grad_y


@register
class Abs(Function):
    """out = |x|; dx = g sign(x) (0 at 0, as PyTorch)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.abs(_not_bool(x, "abs"))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * sign(x)


@register
class Square(Function):
    """out = x^2; dx = g 2x"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        data = x.data if x.data.dtype.kind != "b" else x.data.astype(np.int64)
        return np.square(data)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * (2 * x)


@register
class Reciprocal(Function):
    """out = 1 / x; dx = -g out^2"""

    @staticmethod
    def forward(ctx, x):
        return ctx.save_output(float_unary(np.reciprocal, x))

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return -grad_output * (out * out)


@register
class Erf(Function):
    """out = erf(x) = 2/sqrt(pi) int_0^x exp(-t^2) dt; dx = g 2/sqrt(pi) exp(-x^2)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        data = float_array(x)
        return erf_array(data.astype(np.float64, copy=False)).astype(data.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * (_TWO_OVER_SQRT_PI * exp(-(x * x)))


# erf(x) / x = P(2x^2 - 1) for |x| < 1, and erf(x) = 1 - exp(-x^2) Q((2|x| - 7) / 5) for
# 1 <= |x| < 6 (Q approximates erfcx = exp(x^2) erfc(x)); erf = sign(x) beyond, as erfc(6)
# is below half a float64 ulp of 1. P and Q are degree 11 and 28 Chebyshev interpolants,
# computed in 50-digit arithmetic and converted to powers; relative error <= 3.2e-16.
_ERF_SMALL = (
    0.9654687386698673, -0.1405360890227171, 0.019852496688984218, -0.0022854855611440855,
    0.00021751715603563488, -1.75371694412802e-05, 1.2233827638093572e-06, -7.51156925108609e-08,
    4.115751500265885e-09, -2.035231956483527e-10, 9.21125018742823e-12, -3.80659122412214e-13,
)  # fmt: skip
_ERFCX_LARGE = (
    0.1552936556088943, -0.10330894458313108, 0.06663208245319104, -0.04176678811945303,
    0.02549555964371531, -0.015182511544736937, 0.008833423916019923, -0.005028067985897489,
    0.002803326193753514, -0.0015325155208559278, 0.0008222551763227133, -0.0004333630245212691,
    0.00022453048643318593, -0.00011443636902313971, 5.741823232072277e-05,
    -2.8395881636091154e-05, 1.3828928244542998e-05, -6.597721129314622e-06,
    3.1285932958036703e-06, -1.5335203223793152e-06, 7.043754988574408e-07,
    -2.4029191446724603e-07, 1.1143084433615192e-07, -1.1370578545985852e-07,
    4.825961898969941e-08, 1.2368852435201621e-08, -4.723529684323121e-09, -8.27808017002486e-09,
    3.403549128809476e-09,
)  # fmt: skip


def horner(coefficients, u):
    """sum_k coefficients[k] u^k by Horner's rule (also the series of special_numerics.py)."""
    out = np.full_like(u, coefficients[-1])
    for coefficient in coefficients[-2::-1]:
        out *= u
        out += coefficient
    return out


def scaled_erfc(x):
    """exp(x^2) erfc(x) for 1 <= x < 6 (the fit above), a float64 array."""
    return horner(_ERFCX_LARGE, (2 * x - 7) / 5)


def erf_array(x):
    """The error function of a float64 array, to ~1 ulp; NaN stays NaN, erf(+-inf) = +-1."""
    magnitude = np.abs(x)
    out = np.sign(x, out=np.empty_like(x))  # |x| >= 6 and NaN
    small = magnitude < 1
    if small.any():
        part = x[small]
        out[small] = part * horner(_ERF_SMALL, 2 * part * part - 1)
    large = (magnitude >= 1) & (magnitude < 6)
    if large.any():
        part = magnitude[large]
        erfc = np.exp(-part * part) * scaled_erfc(part)
        out[large] = np.copysign(1 - erfc, x[large])
    return out


def _not_bool(x, op):
    if x.data.dtype.kind == "b":
        raise RuntimeError(f"{op}(): not implemented for bool tensors")
    return x.data


class _Rounding(Function):
    """The gradient of a piecewise-constant op: zero everywhere (PyTorch's convention)."""

    @staticmethod
    def backward(ctx, grad_output):
        return Tensor._make(np.zeros_like(grad_output.data))


def _rounded(ufunc, x, op):
    """ufunc(x) for float x; integer x is returned as a copy, as in PyTorch."""
    data = _not_bool(x, op)
    return ufunc(data) if data.dtype.kind == "f" else data.copy()


@register
class Sign(_Rounding):
    """out = -1, 0 or 1 (0 for NaN, as PyTorch); dx = 0"""

    @staticmethod
    def forward(ctx, x):
        data = x.data
        if data.dtype.kind == "b":
            return data.copy()
        out = np.sign(data, out=np.empty_like(data))
        return np.nan_to_num(out, copy=False, nan=0) if data.dtype.kind == "f" else out


@register
class Floor(_Rounding):
    """out = floor(x); dx = 0"""

    @staticmethod
    def forward(ctx, x):
        return _rounded(np.floor, x, "floor")


@register
class Ceil(_Rounding):
    """out = ceil(x); dx = 0"""

    @staticmethod
    def forward(ctx, x):
        return _rounded(np.ceil, x, "ceil")


@register
class Trunc(_Rounding):
    """out = x rounded toward zero; dx = 0"""

    @staticmethod
    def forward(ctx, x):
        return _rounded(np.trunc, x, "trunc")


@register
class Round(_Rounding):
    """out = x rounded half to even at ``decimals`` digits; dx = 0"""

    @staticmethod
    def forward(ctx, x, *, decimals=0):
        if decimals == 0:
            return _rounded(np.rint, x, "round")
        data = _not_bool(x, "round")
        if data.dtype.kind != "f":
            raise RuntimeError("round(): decimals is not supported for integer tensors")
        # PyTorch's scaling: multiply by 10^d for d > 0, divide by 10^-d for d < 0; float16
        # in float32, as PyTorch computes it (in float16, 1.0546875 * 100 rounds to 105.5).
        work = np.float32 if data.dtype == np.float16 else data.dtype.type
        with np.errstate(all="ignore"):
            if decimals > 0:
                scale = work(10.0**decimals)
                out = np.rint(data.astype(work) * scale) / scale
            else:
                scale = work(10.0**-decimals)
                out = np.rint(data.astype(work) / scale) * scale
            return out.astype(data.dtype, copy=False)


def exp(input):  # noqa: A002 - PyTorch's parameter name
    return Exp.apply(input)


def log(input):  # noqa: A002
    return Log.apply(input)


def log2(input):  # noqa: A002
    return Log2.apply(input)


def log10(input):  # noqa: A002
    return Log10.apply(input)


def log1p(input):  # noqa: A002
    return Log1p.apply(input)


def expm1(input):  # noqa: A002
    return Expm1.apply(input)


def sqrt(input):  # noqa: A002
    return Sqrt.apply(input)


def rsqrt(input):  # noqa: A002
    return Rsqrt.apply(input)


def sin(input):  # noqa: A002
    return Sin.apply(input)


def cos(input):  # noqa: A002
    return Cos.apply(input)


def tan(input):  # noqa: A002
    return Tan.apply(input)


def tanh(input):  # noqa: A002
    return Tanh.apply(input)


def sigmoid(input):  # noqa: A002
    return Sigmoid.apply(input)


def abs(input):  # noqa: A001, A002 - PyTorch's names
    return Abs.apply(input)


def square(input):  # noqa: A002
    return Square.apply(input)


def reciprocal(input):  # noqa: A002
    return Reciprocal.apply(input)


def erf(input):  # noqa: A002
    return Erf.apply(input)


def sign(input):  # noqa: A002
    return Sign.apply(input)


def floor(input):  # noqa: A002
    return Floor.apply(input)


def ceil(input):  # noqa: A002
    return Ceil.apply(input)


def trunc(input):  # noqa: A002
    return Trunc.apply(input)


def round(input, *, decimals=0):  # noqa: A001, A002
    """Round half to even; ``decimals`` digits after the point (negative: before it)."""
    return Round.apply(input, decimals=decimals)
