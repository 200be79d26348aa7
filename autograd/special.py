"""``ag.special``: PyTorch's ``torch.special`` names for chainrule's special functions.

Most are the ops under their ``torch.special`` names (``expit`` is sigmoid, ``gammaln`` is
lgamma, ``psi`` is digamma); ``ndtr`` and ``exp2`` are made of differentiable ops here.
The orthogonal polynomials (Chebyshev, Hermite, Laguerre, Legendre) are not differentiable,
as in PyTorch; so are the Bessel functions but ``i0``, ``i0e``, ``i1`` and ``i1e``.
``gammainc``, ``gammaincc`` and ``zeta`` are differentiable in their second argument only,
as in PyTorch.
"""

import math

from .ops import (
    airy_ai,
    bessel_j0,
    bessel_j1,
    bessel_y0,
    bessel_y1,
    chebyshev_polynomial_t,
    chebyshev_polynomial_u,
    chebyshev_polynomial_v,
    chebyshev_polynomial_w,
    digamma,
    entr,
    erf,
    erfc,
    erfcx,
    erfinv,
    expm1,
    gammainc,
    gammaincc,
    hermite_polynomial_h,
    hermite_polynomial_he,
    i0,
    i0e,
    i1,
    i1e,
    laguerre_polynomial_l,
    legendre_polynomial_p,
    log1p,
    log_ndtr,
    log_softmax,
    logit,
    logsumexp,
    modified_bessel_i0,
    modified_bessel_i1,
    modified_bessel_k0,
    modified_bessel_k1,
    multigammaln,
    ndtri,
    polygamma,
    round,  # noqa: A004 - torch.special.round
    scaled_modified_bessel_k0,
    scaled_modified_bessel_k1,
    shifted_chebyshev_polynomial_t,
    shifted_chebyshev_polynomial_u,
    shifted_chebyshev_polynomial_v,
    shifted_chebyshev_polynomial_w,
    sinc,
    softmax,
    spherical_bessel_j0,
    xlog1py,
    xlogy,
    zeta,
)
from .ops import digamma as psi
from .ops import lgamma as gammaln
from .ops import sigmoid as expit
from .ops.common import as_tensor_arg

__all__ = [
    "airy_ai",
    "bessel_j0",
    "bessel_j1",
    "bessel_y0",
    "bessel_y1",
    "chebyshev_polynomial_t",
    "chebyshev_polynomial_u",
    "chebyshev_polynomial_v",
    "chebyshev_polynomial_w",
    "digamma",
    "entr",
    "erf",
    "erfc",
    "erfcx",
    "erfinv",
    "exp2",
    "expit",
    "expm1",
    "gammainc",
    "gammaincc",
    "gammaln",
    "hermite_polynomial_h",
    "hermite_polynomial_he",
    "i0",
    "i0e",
    "i1",
    "i1e",
    "laguerre_polynomial_l",
    "legendre_polynomial_p",
    "log1p",
    "log_ndtr",
    "log_softmax",
    "logit",
    "logsumexp",
    "modified_bessel_i0",
    "modified_bessel_i1",
    "modified_bessel_k0",
    "modified_bessel_k1",
    "multigammaln",
    "ndtr",
    "ndtri",
    "polygamma",
    "psi",
    "round",
    "scaled_modified_bessel_k0",
    "scaled_modified_bessel_k1",
    "shifted_chebyshev_polynomial_t",
    "shifted_chebyshev_polynomial_u",
    "shifted_chebyshev_polynomial_v",
    "shifted_chebyshev_polynomial_w",
    "sinc",
    "softmax",
    "spherical_bessel_j0",
    "xlog1py",
    "xlogy",
    "zeta",
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
