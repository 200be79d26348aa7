"""Activations: relu, gelu, silu, softplus, elu, leaky_relu, hardtanh, relu6, log_sigmoid.

Gradients at kinks are PyTorch's: relu and hardtanh give 0 at their corners, leaky_relu
gives ``negative_slope`` at 0, elu gives ``alpha`` at 0. Piecewise gradients go through
``ThresholdBackward`` (``g`` where a mask holds, else 0, chosen with ``np.where`` so a NaN or
inf on the masked-out side never leaks); ``GeluBackward`` fuses gelu's gradient. Integer
inputs become the default float dtype, except for relu, which keeps them as PyTorch does.
"""

import math

import numpy as np

from ..function import Function, records_backward
from ..tensor import Tensor
from .common import float_array
from .elementwise import erf_array, exp, sigmoid, sigmoid_array, tanh
from .registry import register

_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)
_TANH_SCALE = math.sqrt(2 / math.pi)  # gelu(approximate="tanh"): tanh(k (x + c x^3))
_TANH_CUBIC = 0.044715


_SAME_SIZE_INT = {2: np.int16, 4: np.int32, 8: np.int64}


def keep_where(array, keep):
    """array where keep, else exactly 0 (also where array is NaN or inf).

    A bitwise AND with an all-ones/all-zeros mask: np.where with a random mask is about
    ten times slower (branch mispredictions), and array * keep turns NaN * 0 into NaN.
    """
    if not array.flags.c_contiguous:  # (np.ascontiguousarray would make a 0-d array 1-d)
        array = np.ascontiguousarray(array)
    if array.dtype.kind != "f":
        return np.where(keep, array, 0)
    integer = _SAME_SIZE_INT[array.dtype.itemsize]
    if np.shape(keep) != array.shape:
        keep = np.broadcast_to(keep, array.shape)
    mask = np.array(keep, dtype=integer)  # a new array (keep may be a NumPy bool scalar)
    np.negative(mask, out=mask)
    np.bitwise_and(array.view(integer), mask, out=mask)
    return mask.view(array.dtype)


@register
class ThresholdBackward(Function):
    """out = g where keep else 0 (relu's, hardtanh's, elu's gradient mask); dg = grad where keep"""

    @staticmethod
    def forward(ctx, grad, *, keep):
        ctx.keep = keep
        return keep_where(grad.data, keep)

    @staticmethod
    def backward(ctx, grad_output):
        return ThresholdBackward.apply(grad_output, keep=ctx.keep)


@register
class Relu(Function):
    """out = max(x, 0); dx = g where out > 0 (0 at x = 0, as PyTorch)"""

    @staticmethod
    def forward(ctx, x):
        if x.data.dtype.kind == "b":
            raise RuntimeError("relu(): Boolean inputs not supported for relu")
        return ctx.save_output(np.maximum(x.data, 0))

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_arrays()
        keep = ~(out <= 0)
        if not records_backward():  # a hot path: ThresholdBackward's forward without the op
            return Tensor._make(keep_where(grad_output.data, keep))
        return ThresholdBackward.apply(grad_output, keep=keep)


@register
class Hardtanh(Function):
    """out = clip(x, min_val, max_val); dx = g where min_val < x < max_val, else 0"""

    @staticmethod
    def forward(ctx, x, *, min_val, max_val):
        ctx.save_for_backward(x)
        ctx.bounds = (min_val, max_val)
        return np.clip(x.data, min_val, max_val).astype(x.data.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        min_val, max_val = ctx.bounds
        keep = ~((x.data <= min_val) | (x.data >= max_val))
        return ThresholdBackward.apply(grad_output, keep=keep)


@register
class LeakyRelu(Function):
    """out = x if x > 0 else negative_slope x; dx = g (1 if x > 0 else negative_slope)"""

    @staticmethod
    def forward(ctx, x, *, negative_slope):
        data = float_array(x)
        ctx.save_for_backward(x)
        ctx.negative_slope = negative_slope
        return np.where(data > 0, data, data * negative_slope)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        slope = np.where(x.data > 0, 1.0, ctx.negative_slope).astype(grad_output.dtype)
        return grad_output * Tensor._make(slope)


@register
class Elu(Function):
    """out = x if x > 0 else alpha (exp(x) - 1); dx = EluBackward(g, x)"""

    @staticmethod
    def forward(ctx, x, *, alpha):
        data = float_array(x)
        ctx.save_for_backward(x)
        ctx.alpha = alpha
        with np.errstate(all="ignore"):
            return np.where(data > 0, data, alpha * np.expm1(data))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return EluBackward.apply(grad_output, x, alpha=ctx.alpha)


@register
class EluBackward(Function):
    """out = g if x > 0 else g alpha exp(x) (alpha at 0, as PyTorch), elu's gradient in one op;
    dg = EluBackward(grad, x), dx = grad g alpha exp(x) on x <= 0 (elu'' = elu' there), else 0"""

    @staticmethod
    def forward(ctx, grad, x, *, alpha):
        ctx.save_for_backward(grad, x)
        ctx.alpha = alpha
        data = x.data
        with np.errstate(all="ignore"):
            return np.where(data <= 0, grad.data * (alpha * np.exp(data)), grad.data)

    @staticmethod
    def backward(ctx, grad_output):
        grad, x = ctx.saved_tensors
        needs_grad, needs_x = ctx.needs_input_grad
        alpha = ctx.alpha
        grad_grad = EluBackward.apply(grad_output, x, alpha=alpha) if needs_grad else None
        grad_x = None
        if needs_x:
            curvature = EluBackward.apply(grad_output * grad, x, alpha=alpha)
            grad_x = ThresholdBackward.apply(curvature, keep=x.data <= 0)
        return grad_grad, grad_x


@register
class Softplus(Function):
    """out = log(1 + exp(beta x)) / beta, or x where beta x > threshold;
    dx = g sigmoid(beta x), or g where beta x > threshold"""

    @staticmethod
    def forward(ctx, x, *, beta, threshold):
        data = float_array(x)
        scaled = data * beta
        ctx.save_for_backward(x)
        ctx.options = (beta, threshold)
        with np.errstate(all="ignore"):
            return np.where(scaled > threshold, data, np.logaddexp(0, scaled) / beta)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        beta, threshold = ctx.options
        linear = x.data * beta > threshold
        return ThresholdBackward.apply(
            grad_output * sigmoid(x * beta), keep=~linear
        ) + ThresholdBackward.apply(grad_output, keep=linear)


@register
class LogSigmoid(Function):
    """out = log(sigmoid(x)) = min(x, 0) - log(1 + exp(-|x|)); dx = g sigmoid(-x)"""

    @staticmethod
    def forward(ctx, x):
        data = float_array(x)
        ctx.save_for_backward(x)
        with np.errstate(all="ignore"):
            return np.minimum(data, 0) - np.log1p(np.exp(-np.abs(data)))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * sigmoid(-x)


@register
class Silu(Function):
    """out = x sigmoid(x); dx = g s (1 + x (1 - s)) with s = sigmoid(x)"""

    @staticmethod
    def forward(ctx, x):
        data = float_array(x)
        ctx.save_for_backward(x)
        with np.errstate(all="ignore"):
            return data * sigmoid_array(data)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        s = sigmoid(x)
        return grad_output * s * (1 + x * (1 - s))


def _gelu_array(x, approximate):
    if approximate == "tanh":
        return 0.5 * x * (1 + np.tanh(_TANH_SCALE * (x + _TANH_CUBIC * x * x * x)))
    return x * 0.5 * (1 + erf_array(x * _SQRT_HALF).astype(x.dtype, copy=False))


@register
class Gelu(Function):
    """out = x Phi(x) (Phi the normal cdf), or 0.5 x (1 + tanh(k (x + c x^3))) with
    approximate="tanh"; dx = GeluBackward(g, x)"""

    @staticmethod
    def forward(ctx, x, *, approximate):
        data = float_array(x)
        ctx.save_for_backward(x)
        ctx.approximate = approximate
        with np.errstate(all="ignore"):
            return _gelu_array(data, approximate)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return GeluBackward.apply(grad_output, x, approximate=ctx.approximate)


@register
class GeluBackward(Function):
    """out = g gelu'(x), gelu's gradient in one op; dg = grad gelu'(x), dx = grad g gelu''(x)

    gelu'(x) = Phi(x) + x phi(x), gelu''(x) = phi(x) (2 - x^2); with approximate="tanh",
    t = tanh(u), u = k (x + c x^3): gelu' = (1 + t) / 2 + x (1 - t^2) u' / 2,
    gelu'' = (1 - t^2) (u' - x t u'^2 + x u'' / 2).
    """

    @staticmethod
    def forward(ctx, grad, x, *, approximate):
        ctx.save_for_backward(grad, x)
        ctx.approximate = approximate
        data = float_array(x)
        with np.errstate(all="ignore"):
            if approximate == "tanh":
                t = np.tanh(_TANH_SCALE * (data + _TANH_CUBIC * data * data * data))
                slope = _TANH_SCALE * (1 + 3 * _TANH_CUBIC * data * data)
                derivative = 0.5 * (1 + t) + 0.5 * data * (1 - t * t) * slope
            else:
                cdf = 0.5 * (1 + erf_array(data * _SQRT_HALF).astype(data.dtype, copy=False))
                derivative = cdf + data * _INV_SQRT_2PI * np.exp(-0.5 * data * data)
            return grad.data * derivative

    @staticmethod
    def backward(ctx, grad_output):
        grad, x = ctx.saved_tensors
        needs_grad, needs_x = ctx.needs_input_grad
        approximate = ctx.approximate
        grad_grad = (
            GeluBackward.apply(grad_output, x, approximate=approximate) if needs_grad else None
        )
        if not needs_x:
            return grad_grad, None
        if approximate == "tanh":
            x_squared = x * x
            t = tanh(_TANH_SCALE * (x + _TANH_CUBIC * x_squared * x))
            slope = _TANH_SCALE * (1 + 3 * _TANH_CUBIC * x_squared)
            curvature = (6 * _TANH_SCALE * _TANH_CUBIC) * x
            second = (1 - t * t) * (slope - x * t * slope * slope + 0.5 * x * curvature)
        else:
            second = (_INV_SQRT_2PI * exp(-0.5 * x * x)) * (2 - x * x)
        return grad_grad, grad_output * grad * second


def relu(input):  # noqa: A002 - PyTorch's parameter name
    return Relu.apply(input)


def hardtanh(input, min_val=-1.0, max_val=1.0):  # noqa: A002
    if min_val > max_val:
        raise ValueError(
            f"hardtanh(): min_val cannot be greater than max_val ({min_val} > {max_val})"
        )
    return Hardtanh.apply(input, min_val=min_val, max_val=max_val)


def relu6(input):  # noqa: A002
    """min(max(x, 0), 6), with hardtanh's zero gradient at 0 and 6 (as PyTorch)."""
    return Hardtanh.apply(input, min_val=0.0, max_val=6.0)


def leaky_relu(input, negative_slope=0.01):  # noqa: A002
    return LeakyRelu.apply(input, negative_slope=negative_slope)


def elu(input, alpha=1.0):  # noqa: A002
    return Elu.apply(input, alpha=alpha)


def softplus(input, beta=1.0, threshold=20.0):  # noqa: A002
    return Softplus.apply(input, beta=beta, threshold=threshold)


def log_sigmoid(input):  # noqa: A002
    return LogSigmoid.apply(input)


def silu(input):  # noqa: A002
    return Silu.apply(input)


def gelu(input, approximate="none"):  # noqa: A002
    if approximate not in ("none", "tanh"):
        raise RuntimeError(
            f"gelu(): approximate argument must be either none or tanh, got {approximate!r}"
        )
    return Gelu.apply(input, approximate=approximate)
