"""Special functions: lgamma, digamma, polygamma, erfc, erfinv, logit, xlogy and sinc.

Integer and bool inputs compute in the default float dtype, as in PyTorch; the gamma
family, erfc and erfinv compute in float64 and round to the input's dtype (the kernels and
their accuracy are in ``special_numerics.py``); logit, xlogy and sinc compute in the
input's dtype, as PyTorch does. Outside a function's domain the result is NaN or inf,
silently, as in PyTorch.
"""

import math

import numpy as np

from ..function import Function
from ..tensor import Tensor
from .arithmetic import broadcast_error, save_operands, saved_operands
from .common import (
    as_number_arg,
    as_tensor_arg,
    float_array,
    float_operands,
    int_arg,
    require_tensor,
    tensor_or_number_arg,
)
from .elementwise import cos, exp, sin
from .registry import register
from .selection import where
from .special_numerics import erfc_array, erfinv_array, lgamma_array, polygamma_array

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def in_float64(kernel, x):
    """A kernel of 1-d float64 arrays applied to x's data, rounded back to x's float dtype
    (integers and bools give the default float dtype): the forward of the special functions
    here and in bessel.py."""
    data = float_array(x)
    out = kernel(data.astype(np.float64).reshape(-1))
    return out.reshape(data.shape).astype(data.dtype, copy=False)


class SavedInputInFloat64(Function):
    """out = kernel(x), computed in float64 (``in_float64``), x saved for the backward, which
    each op writes with the ops themselves (here, in special_gamma.py and bessel.py)."""

    kernel = None  # the op's kernel of 1-d float64 arrays (a staticmethod or a partial)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return in_float64(ctx.kernel, x)


@register
class Lgamma(SavedInputInFloat64):
    """out = log |Gamma(x)|; dx = g digamma(x)"""

    kernel = staticmethod(lgamma_array)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * Polygamma.apply(x, n=0)


@register
class Polygamma(Function):
    """out = psi^(n)(x), the n-th derivative of digamma (n = 0: digamma itself);
    dx = g psi^(n+1)(x), so one op gives every order of derivative"""

    @staticmethod
    def forward(ctx, x, *, n):
        ctx.save_for_backward(x)
        ctx.n = n
        return in_float64(lambda data: polygamma_array(n, data), x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * Polygamma.apply(x, n=ctx.n + 1)


@register
class Erfc(SavedInputInFloat64):
    """out = erfc(x) = 1 - erf(x); dx = -g 2/sqrt(pi) exp(-x^2)"""

    kernel = staticmethod(erfc_array)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * (-_TWO_OVER_SQRT_PI * exp(-(x * x)))


@register
class Erfinv(Function):
    """out = erfinv(x), the y in which erf(y) = x, x in [-1, 1];
    dx = g sqrt(pi)/2 exp(out^2)"""

    @staticmethod
    def forward(ctx, x):
        return ctx.save_output(in_float64(erfinv_array, x))

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output * (0.5 * math.sqrt(math.pi) * exp(out * out))


@register
class Logit(Function):
    """out = log(z / (1 - z)) with z = x, or x clamped to [eps, 1 - eps] for an eps >= 0;
    dx = g / (x (1 - x)), NaN outside [0, 1] without eps, 0 outside [eps, 1 - eps] with it
    (PyTorch's kernel: a negative eps is no eps; NaN stays NaN)"""

    @staticmethod
    def forward(ctx, x, *, eps):
        ctx.save_for_backward(x)
        data = float_array(x)
        if eps is None or eps < 0:
            ctx.outside, ctx.fill = (data < 0) | (data > 1), math.nan
        else:
            low, high = data.dtype.type(eps), data.dtype.type(1 - eps)
            ctx.outside, ctx.fill = (data < low) | (data > high), 0.0
            # PyTorch's clamp: the lower bound first, so that eps > 1/2 gives low or high
            data = np.where(data < low, low, np.where(data > high, high, data))
        with np.errstate(all="ignore"):
            return np.log(data / (1 - data))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return where(Tensor._make(ctx.outside), ctx.fill, grad_output / (x * (1 - x)))


@register
class Xlogy(Function):
    """out = x log y, 0 where x == 0 unless y is NaN; dx = g log y (0 where x == 0 and
    y <= 0, as PyTorch: written xlogy(g, y)), dy = g x / y"""

    op = "xlogy"
    log = np.log  # and the y where it is -inf (Xlog1py: np.log1p and -1)
    pole = 0.0

    @staticmethod
    def forward(ctx, x, y):
        a, b = float_operands(x, y)
        dtype = np.result_type(a, b)  # (a number stays a weak scalar here, as in PyTorch)
        save_operands(ctx, x, y)
        try:
            with np.errstate(all="ignore"):
                a, b = np.asarray(a, dtype), np.asarray(b, dtype)
                product = a * ctx.log(b)
                return np.where((a == 0) & ~np.isnan(b), np.zeros_like(product), product)
        except ValueError:
            raise broadcast_error(ctx.op, x, y) from None

    @staticmethod
    def backward(ctx, grad_output):
        x, y = saved_operands(ctx)
        needs_x, needs_y = ctx.needs_input_grad
        grad_x = grad_y = None
        if needs_x:
            grad_x = type(ctx).apply(grad_output, y)
            if not isinstance(y, Tensor):
                y = Tensor._make(np.asarray(y, dtype=grad_output.data.dtype))
            grad_x = where((x == 0) & (y <= ctx.pole), 0.0, grad_x)
        if needs_y:
            grad_y = grad_output * x / (y - ctx.pole)
        return grad_x, grad_y


@register
class Sinc(Function):
    """out = sin(pi x) / (pi x), 1 at x = 0; dx = g (pi x cos(pi x) - sin(pi x)) / (pi x^2),
    0 where pi x^2 is 0 (underflow included), as PyTorch"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        data = float_array(x)
        work = np.float32 if data.dtype == np.float16 else data.dtype.type  # as PyTorch
        angle = data.astype(work) * work(math.pi)
        with np.errstate(all="ignore"):
            out = np.sin(angle) / angle
        return np.where(data == 0, 1, out).astype(data.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        angle = x * math.pi
        denominator = x * x * math.pi
        slope = (angle * cos(angle) - sin(angle)) / denominator
        return grad_output * where(denominator == 0, 0.0, slope)


def lgamma(input):  # noqa: A002 - PyTorch's parameter name
    """log |Gamma(input)|, elementwise; inf at 0, -1, -2, ...

    >>> ag.lgamma(ag.tensor([0.5, 1.0, 3.0]))
    tensor([0.5723649, 0.       , 0.6931472])
    """
    return Lgamma.apply(as_tensor_arg(input, "input", "lgamma"))


def digamma(input):  # noqa: A002
    """psi(input) = d/dx log Gamma(x), elementwise (polygamma(0, input)); -inf at 0 (+inf at
    -0.0), NaN at the negative integers.

    >>> ag.digamma(ag.tensor([1.0, 2.0]))
    tensor([-0.5772157 ,  0.42278433])
    """
    return Polygamma.apply(as_tensor_arg(input, "input", "digamma"), n=0)


def polygamma(n, input):  # noqa: A002
    """The n-th derivative of digamma at input, elementwise, for an int n >= 0.

    >>> ag.polygamma(1, ag.tensor([1.0, 2.0]))  # pi^2 / 6, pi^2 / 6 - 1
    tensor([1.644934  , 0.64493406])
    """
    n = int_arg(n, "n", "polygamma", 1)
    if n < 0:
        raise RuntimeError(f"polygamma(n, x) does not support negative n (got n = {n}).")
    return Polygamma.apply(as_tensor_arg(input, "input", "polygamma"), n=n)


def polygamma_of(input, n):  # noqa: A002
    """``polygamma(n, input)`` taking the tensor first, as ``inplace`` calls the op that
    ``x.polygamma_(n)`` writes."""
    return polygamma(n, input)


polygamma_of.__name__ = "polygamma"  # (the name in-place errors give)


def erfc(input):  # noqa: A002
    """1 - erf(input), elementwise, without cancellation for large input.

    >>> ag.erfc(ag.tensor([0.0, 5.0]))  # 1 - erf(5) would be 0 in float32
    tensor([1.0000000e+00, 1.5374598e-12])
    """
    return Erfc.apply(as_tensor_arg(input, "input", "erfc"))


def erfinv(input):  # noqa: A002
    """The inverse error function on [-1, 1], elementwise; +-inf at +-1, NaN beyond.

    >>> ag.erfinv(ag.tensor([0.0, 0.5, -1.0]))
    tensor([0.        , 0.47693628,       -inf])
    """
    return Erfinv.apply(as_tensor_arg(input, "input", "erfinv"))


def logit(input, eps=None):  # noqa: A002
    """log(p / (1 - p)) for p = input, clamped to [eps, 1 - eps] when eps is given.

    >>> ag.logit(ag.tensor([0.5, 0.0]), eps=1e-6)
    tensor([  0.     , -13.81551])
    """
    as_tensor_arg(input, "input", "logit")
    if eps is not None:
        eps = float(as_number_arg(eps, "eps", "logit"))
    return Logit.apply(input, eps=eps)


def xlogy(input, other):  # noqa: A002
    """input * log(other), 0 where input is 0 (unless other is NaN); Tensors or numbers,
    broadcast, at least one a Tensor, as in PyTorch.

    >>> ag.xlogy(ag.tensor([0.0, 2.0]), ag.tensor([0.0, 1.0]))
    tensor([0., 0.])
    """
    tensor_or_number_arg(input, "input", "xlogy")
    tensor_or_number_arg(other, "other", "xlogy")
    require_tensor("xlogy", input, other)
    return Xlogy.apply(input, other)


def sinc(input):  # noqa: A002
    """The normalized sinc function sin(pi x) / (pi x), elementwise; 1 at 0.

    >>> ag.sinc(ag.tensor([0.0, 0.5]))
    tensor([1.        , 0.63661975])
    """
    return Sinc.apply(as_tensor_arg(input, "input", "sinc"))
