"""``ag.special``: PyTorch's ``torch.special`` names for chainrule's special functions.

Most are the ops under their ``torch.special`` names (``expit`` is sigmoid, ``gammaln`` is
lgamma, ``psi`` is digamma); ``ndtr`` and ``exp2`` are made of differentiable ops here.
Not here yet: PyTorch's Bessel functions and orthogonal polynomials, ``entr``, ``xlog1py``,
``multigammaln``, ``log_ndtr``, ``ndtri``, ``gammainc``, ``zeta``, ``i0`` and kin.
"""

import math

from .ops import (
    digamma,
    erf,
    erfc,
    erfinv,
    expm1,
    log1p,
    log_softmax,
    logit,
    logsumexp,
    polygamma,
    round,  # noqa: A004 - torch.special.round
    sinc,
    softmax,
    xlogy,
)
from .ops import digamma as psi
from .ops import lgamma as gammaln
from .ops import sigmoid as expit
from .ops.common import as_tensor_arg

__all__ = [
    "digamma",
    "erf",
    "erfc",
    "erfinv",
    "exp2",
    "expit",
    "expm1",
    "gammaln",
    "log1p",
    "log_softmax",
    "logit",
    "logsumexp",
    "ndtr",
    "polygamma",
    "psi",
    "round",
    "sinc",
    "softmax",
    "xlogy",
]


def ndtr(input):  # noqa: A002
    """The standard normal distribution function, erfc(-input / sqrt 2) / 2 (no
    cancellation in the lower tail)."""
    as_tensor_arg(input, "input", "ndtr")
    return erfc(input * -math.sqrt(0.5)) * 0.5


def exp2(input):  # noqa: A002
    """2 ** input elementwise (integers give the default float dtype, as PyTorch)."""
    as_tensor_arg(input, "input", "exp2")
    return 2.0**input
