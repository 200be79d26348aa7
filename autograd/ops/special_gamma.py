"""Special functions of the gamma and normal families: entr, xlog1py, erfcx, log_ndtr, ndtri,
the regularized incomplete gamma functions (igamma and igammac, torch.special's gammainc and
gammaincc), the Hurwitz zeta function and the multivariate log-gamma function (mvlgamma,
torch.special's multigammaln).

erfcx, log_ndtr, ndtri, the incomplete gamma functions, zeta and mvlgamma compute in float64
and round to the result's dtype (the kernels and their accuracy are in
``special_gamma_numerics.py``); entr and xlog1py compute in the input's dtype, as PyTorch
does. Integer and bool inputs give the default float dtype, as in PyTorch, which however
refuses the incomplete gamma functions of two integer tensors, mvlgamma of a bool tensor,
and erfcx, log_ndtr, ndtri and zeta of float16: so does this module, with PyTorch's errors.
PyTorch has no derivative for the first argument of igamma, igammac and zeta: asking for
it raises NotImplementedError (a RuntimeError) at backward, with PyTorch's message.
"""

import math

import numpy as np

from .. import dtypes
from ..function import Function
from .arithmetic import TYPE_NAMES, broadcast_error, save_operands, saved_operands
from .common import (
    as_tensor_arg,
    float_array,
    float_operands,
    int_arg,
    operands,
    require_tensor,
    tensor_or_number_arg,
)
from .elementwise import exp, log
from .registry import register
from .special import SavedInputInFloat64, Xlogy, digamma, in_float64, lgamma
from .special_gamma_numerics import (
    erfcx_array,
    gammainc_arrays,
    log_ndtr_array,
    mvlgamma_array,
    ndtri_array,
    zeta_array,
)

_SQRT_HALF = math.sqrt(0.5)
_SQRT_TWO_PI = math.sqrt(2 * math.pi)
_SQRT_TWO_OVER_PI = math.sqrt(2 / math.pi)
_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)


def _refuse_half(dtype, name):
    """PyTorch's error for the functions it does not implement in float16."""
    if dtype == np.float16:
        raise NotImplementedError(f"\"{name}_cpu\" not implemented for 'Half'")


def _binary_in_float64(kernel, name, given, arrays, dtype):
    """kernel(a, b) on float64 copies of the two ``arrays`` (the operands ``given``, in
    their result ``dtype``: arrays or numbers) broadcast together, rounded to ``dtype``;
    PyTorch's error, naming the op and both shapes, where they do not broadcast."""
    try:
        a, b = np.broadcast_arrays(*[np.asarray(array, np.float64) for array in arrays])
    except ValueError:
        raise broadcast_error(name, *given) from None
    return kernel(a.ravel(), b.ravel()).reshape(a.shape).astype(dtype, copy=False)


@register
class Entr(Function):
    """out = -x log x (0 at x = 0, -inf for x < 0); dx = -g (1 + log x)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        data = float_array(x)
        work = data.astype(np.float32) if data.dtype == np.float16 else data  # as PyTorch
        with np.errstate(all="ignore"):
            product = -work * np.log(work)
        out = np.where(work == 0, 0.0, np.where(work < 0, -np.inf, product))
        return out.astype(data.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * -(log(x) + 1.0)


@register
class Xlog1py(Xlogy):
    """out = x log1p(y), 0 where x == 0 unless y is NaN; dx = g log1p(y) (0 where x == 0 and
    y <= -1), dy = g x / (y + 1): xlogy's op with log1p for log"""

    op = "xlog1py"
    log = np.log1p
    pole = -1.0


@register
class Erfcx(SavedInputInFloat64):
    """out = exp(x^2) erfc(x); dx = g (2 x out - 2/sqrt(pi))"""

    kernel = staticmethod(erfcx_array)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * (2.0 * x * Erfcx.apply(x) - _TWO_OVER_SQRT_PI)


@register
class LogNdtr(SavedInputInFloat64):
    """out = log Phi(x), Phi the standard normal distribution function; dx = g phi(x) / Phi(x)
    = g sqrt(2/pi) / erfcx(-x / sqrt 2). (PyTorch's exp(-x^2/2 - out) / sqrt(2 pi) loses the
    digits that x^2/2 and out share: inf instead of 1e10 at x = -1e10.)"""

    kernel = staticmethod(log_ndtr_array)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * (_SQRT_TWO_OVER_PI / Erfcx.apply(x * -_SQRT_HALF))


@register
class Ndtri(Function):
    """out = Phi^-1(p), the standard normal quantile; dp = g sqrt(2 pi) exp(out^2 / 2)"""

    @staticmethod
    def forward(ctx, p):
        return ctx.save_output(in_float64(ndtri_array, p))

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        return grad_output * (_SQRT_TWO_PI * exp(out * out * 0.5))


class _IncompleteGamma(Function):
    """Shared by igamma and igammac: out = P(a, x), or Q(a, x) = 1 - P; dx = +-g x^(a-1) e^-x /
    Gamma(a), written exp((a - 1) log x - x - lgamma(a)) as PyTorch's is (so that the mixed
    second derivative in a is PyTorch's too); da: none, as in PyTorch."""

    op = None  # "igamma" or "igammac"
    upper = None  # Q, not P

    @staticmethod
    def forward(ctx, a, x):
        dtype = dtypes.result_type(a, x)
        if dtype.kind != "f":
            type_name = TYPE_NAMES[dtype.name][len("torch.") : -len("Tensor")]
            raise NotImplementedError(f"\"{ctx.op}_cpu\" not implemented for '{type_name}'")
        ctx.save_for_backward(a, x)
        pick = 1 if ctx.upper else 0
        return _binary_in_float64(
            lambda s, t: gammainc_arrays(s, t)[pick], ctx.op, (a, x), operands(a, x), dtype
        )

    @staticmethod
    def backward(ctx, grad_output):
        if ctx.needs_input_grad[0]:
            raise NotImplementedError(f"the derivative for '{ctx.op}: input' is not implemented.")
        a, x = ctx.saved_tensors
        density = exp((a - 1) * log(x) - x - lgamma(a))
        return None, (-grad_output if ctx.upper else grad_output) * density


@register
class Igamma(_IncompleteGamma):
    """out = P(a, x) = gamma(a, x) / Gamma(a), the regularized lower incomplete gamma
    function; dx = g x^(a-1) e^-x / Gamma(a)"""

    op = "igamma"
    upper = False


@register
class Igammac(_IncompleteGamma):
    """out = Q(a, x) = Gamma(a, x) / Gamma(a) = 1 - P(a, x), the regularized upper incomplete
    gamma function; dx = -g x^(a-1) e^-x / Gamma(a)"""

    op = "igammac"
    upper = True


@register
class Zeta(Function):
    """out = zeta(x, q) = sum_{k>=0} (q + k)^-x, the Hurwitz zeta function;
    dq = -g x zeta(x + 1, q); dx: none, as in PyTorch"""

    @staticmethod
    def forward(ctx, x, q):
        a, b = float_operands(x, q)
        dtype = np.result_type(a, b)  # (a number stays a weak scalar here, as in PyTorch)
        _refuse_half(dtype, "zeta")
        save_operands(ctx, x, q)
        return _binary_in_float64(zeta_array, "zeta", (x, q), (a, b), dtype)

    @staticmethod
    def backward(ctx, grad_output):
        if ctx.needs_input_grad[0]:
            raise NotImplementedError("the derivative for 'zeta' is not implemented.")
        x, q = saved_operands(ctx)
        return None, grad_output * -x * Zeta.apply(x + 1, q)


@register
class Mvlgamma(Function):
    """out = sum_{i<p} log Gamma(x - i/2) + p (p - 1)/4 log(pi), the log of the multivariate
    gamma function of dimension p; dx = g sum_{i<p} digamma(x - i/2)"""

    @staticmethod
    def forward(ctx, x, *, p):
        ctx.save_for_backward(x)
        ctx.p = p
        return in_float64(lambda data: mvlgamma_array(data, p), x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * sum(digamma(x - 0.5 * i) for i in range(ctx.p))


def entr(input):  # noqa: A002 - PyTorch's parameter name
    """-input log(input), elementwise: 0 at 0, -inf for a negative input.

    >>> ag.special.entr(ag.tensor([0.0, 0.5, 1.0, -1.0]))
    tensor([ 0.       ,  0.3465736, -0.       ,       -inf])
    """
    return Entr.apply(as_tensor_arg(input, "input", "entr"))


def xlog1py(input, other):  # noqa: A002
    """input * log1p(other), 0 where input is 0 (unless other is NaN); Tensors or numbers,
    broadcast, at least one a Tensor, as in PyTorch.

    >>> ag.special.xlog1py(ag.tensor([0.0, 2.0]), ag.tensor([-1.0, 1e-20]))
    tensor([0.e+00, 2.e-20])
    """
    tensor_or_number_arg(input, "input", "xlog1py")
    tensor_or_number_arg(other, "other", "xlog1py")
    require_tensor("xlog1py", input, other)
    return Xlog1py.apply(input, other)


def erfcx(input):  # noqa: A002
    """The scaled complementary error function exp(input^2) erfc(input), elementwise, without
    overflow for a large input (where it is about 1 / (input sqrt(pi))).

    >>> ag.special.erfcx(ag.tensor([0.0, 30.0, -2.0]))
    tensor([1.0000000e+00, 1.8795889e-02, 1.0894090e+02])
    """
    as_tensor_arg(input, "input", "erfcx")
    _refuse_half(input.data.dtype, "erfcx")
    return Erfcx.apply(input)


def log_ndtr(input):  # noqa: A002
    """The log of the standard normal distribution function, elementwise, accurate far in
    the lower tail, where the function itself underflows.

    >>> ag.special.log_ndtr(ag.tensor([0.0, -40.0]))
    tensor([-6.9314718e-01, -8.0460846e+02])
    """
    as_tensor_arg(input, "input", "log_ndtr")
    _refuse_half(input.data.dtype, "log_ndtr")
    return LogNdtr.apply(input)


def ndtri(input):  # noqa: A002
    """The standard normal quantile: the x with ndtr(x) = input, elementwise; -inf at 0, inf
    at 1, NaN outside [0, 1].

    >>> ag.special.ndtri(ag.tensor([0.5, 0.975, 0.0]))
    tensor([0.       , 1.9599644,      -inf])
    """
    as_tensor_arg(input, "input", "ndtri")
    _refuse_half(input.data.dtype, "ndtri")
    return Ndtri.apply(input)


def _incomplete_gamma(op, name, input, other):  # noqa: A002
    as_tensor_arg(input, "input", name)
    as_tensor_arg(other, "other", name)
    return op.apply(input, other)


def igamma(input, other):  # noqa: A002
    """The regularized lower incomplete gamma function P(input, other) = gamma(a, x) /
    Gamma(a) for a = input, x = other, broadcast; differentiable in other only.

    >>> ag.igamma(ag.tensor([1.0, 2.0]), ag.tensor([1.0, 1.0]))  # 1 - 1/e, 1 - 2/e
    tensor([0.63212055, 0.26424113])
    """
    return _incomplete_gamma(Igamma, "igamma", input, other)


def igammac(input, other):  # noqa: A002
    """The regularized upper incomplete gamma function Q(input, other) = 1 - P(input, other),
    relatively accurate where it is tiny; differentiable in other only.

    >>> ag.igammac(ag.tensor([1.0, 2.0]), ag.tensor([1.0, 30.0]))  # 1/e, 31 e^-30
    tensor([3.6787945e-01, 2.9008631e-12])
    """
    return _incomplete_gamma(Igammac, "igammac", input, other)


def gammainc(input, other):  # noqa: A002
    """torch.special's name of ``igamma``."""
    return _incomplete_gamma(Igamma, "gammainc", input, other)


def gammaincc(input, other):  # noqa: A002
    """torch.special's name of ``igammac``."""
    return _incomplete_gamma(Igammac, "gammaincc", input, other)


def zeta(input, other):  # noqa: A002
    """The Hurwitz zeta function sum_{k>=0} (other + k)^-input; Tensors or numbers, broadcast,
    at least one a Tensor; differentiable in other only.

    >>> ag.special.zeta(ag.tensor([2.0, 3.0]), 1.0)  # pi^2 / 6, Apery's constant
    tensor([1.644934 , 1.2020569])
    """
    tensor_or_number_arg(input, "input", "zeta")
    tensor_or_number_arg(other, "other", "zeta")
    require_tensor("zeta", input, other)
    return Zeta.apply(input, other)


def mvlgamma(input, p):  # noqa: A002
    """The log of the multivariate gamma function of dimension p (an int >= 1), elementwise:
    sum_{i<p} lgamma(input - i/2) + p (p - 1)/4 log(pi). PyTorch's documentation asks for
    input > (p - 1)/2 but checks nothing: below, log |Gamma| is summed all the same.

    >>> ag.mvlgamma(ag.tensor([2.5, 3.0]), 2)
    tensor([0.8570478, 1.550195 ])
    """
    as_tensor_arg(input, "input", "mvlgamma")
    p = int_arg(p, "p", "mvlgamma", 2)
    if input.data.dtype == np.bool_:
        raise RuntimeError("The input tensor may not be a boolean tensor.")
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    return Mvlgamma.apply(input, p=p)


def multigammaln(input, p):  # noqa: A002
    """torch.special's name of ``mvlgamma``."""
    return mvlgamma(input, p)
