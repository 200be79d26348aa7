"""The NumPy kernels behind ``special.py``: log-gamma, polygamma (digamma included), erfc and
erfinv of float64 arrays, vectorised, with NumPy only (no SciPy).

Every kernel takes and returns a 1-d float64 array and never warns.
Accuracy, measured against 40-digit mpmath: 1e-15 relative or better (a few ulp; up to n
ulp for polygamma of order n next to a pole) wherever the function is well conditioned.
Where a function has a zero (lgamma near -2.457, digamma near 1.4616, the even polygammas
on the negative axis) the error is absolute instead, a few ulp of the terms that cancel;
PyTorch's own kernels behave the same there.
"""

import math
from fractions import Fraction

import numpy as np

from .elementwise import erf_array, horner, scaled_erfc

# B_2, B_4, ..., B_20: the Bernoulli numbers of the asymptotic (Euler-Maclaurin) series.
BERNOULLI = tuple(
    Fraction(numerator, denominator)
    for numerator, denominator in (
        (1, 6), (-1, 30), (1, 42), (-1, 30), (5, 66), (-691, 2730), (7, 6), (-3617, 510),
        (43867, 798), (-174611, 330),
    )
)  # fmt: skip
_EULER_GAMMA = 0.57721566490153286061
_LOG_PI = math.log(math.pi)
_HALF_LOG_TWO_PI = 0.5 * math.log(2 * math.pi)


def _shift_up(x, power, threshold):
    """(z, sum_{k < m} (x + k)^-power) with z = x + m the first of x, x + 1, ... at or above
    ``threshold``: the recurrence that moves x (> 0) to where an asymptotic series holds."""
    z = x.copy()
    partial = np.zeros_like(x)
    low = z < threshold
    while low.any():
        with np.errstate(over="ignore"):  # x^-power is inf for a tiny x: the answer
            partial[low] += z[low] ** -power
        z[low] += 1.0
        low = z < threshold
    return z, partial


def hurwitz_zeta(s, x):
    """zeta(s, x) = sum_{k >= 0} (x + k)^-s for an integer s >= 2 and x > 0 (inf included).

    The sum runs directly up to z = x + m >= s + 9; the rest is Euler-Maclaurin's tail
    z^(1-s) [1/(s-1) + 1/(2z) + sum_{j=1}^{10} B_2j/(2j)! s(s+1)...(s+2j-2) z^-2j], whose
    first omitted term is below 1e-18 of the result for z >= s + 9.
    """
    z, partial = _shift_up(x, float(s), s + 9.0)
    coefficients = [0.0]  # of z^-2j, j = 0, 1, ...
    rising = Fraction(s)  # s (s+1) ... (s + 2j - 2)
    for j, bernoulli in enumerate(BERNOULLI, start=1):
        coefficients.append(float(bernoulli * rising / math.factorial(2 * j)))
        rising *= (s + 2 * j - 1) * (s + 2 * j)
    with np.errstate(all="ignore"):  # inf, and z^(1-s) underflowing to 0, are the answer
        inverse = 1.0 / z
        tail = 1.0 / (s - 1) + 0.5 * inverse + horner(coefficients, inverse * inverse)
        return partial + z ** (1.0 - s) * tail


def _digamma_positive(x):
    """psi(x) for x > 0: psi(x) = psi(z) - sum_{k < m} 1/(x + k) with z = x + m >= 10, and
    psi(z) = log z - 1/(2z) - sum_{j=1}^{10} B_2j / (2j z^2j) (omitted terms < 1e-19)."""
    z, partial = _shift_up(x, 1.0, 10.0)
    coefficients = [0.0] + [float(bernoulli / (2 * j)) for j, bernoulli in enumerate(BERNOULLI, 1)]
    inverse = 1.0 / z
    return np.log(z) - 0.5 * inverse - horner(coefficients, inverse * inverse) - partial


def _cot_derivative(n):
    """The coefficients (ascending powers) of P_n with d^n/dx^n cot(pi x) = pi^n P_n(cot(pi x)):
    P_0(c) = c and P_{k+1}(c) = -(1 + c^2) P_k'(c), exact integers."""
    poly = [0, 1]
    for _ in range(n):
        derivative = [k * poly[k] for k in range(1, len(poly))] + [0, 0]
        poly = [-derivative[k] - (derivative[k - 2] if k >= 2 else 0) for k in range(len(poly) + 1)]
    return poly


def _cot_pi(r):
    """cot(pi r) for r in [-1/2, 1/2]: 1 / tan(pi r), or tan(pi (1/2 - |r|)) sign(r) for |r| >
    1/4, where 1/2 - |r| is exact (tan of pi r near its pole would magnify the rounding of
    pi r a thousandfold at |r| = 0.4998)."""
    with np.errstate(divide="ignore", over="ignore"):  # inf next to a pole: the answer
        near_zero = 1.0 / np.tan(np.pi * r)
    return np.where(np.abs(r) > 0.25, np.tan(np.pi * (0.5 - np.abs(r))) * np.sign(r), near_zero)


def polygamma_array(n, x):
    """psi^(n)(x), the n-th derivative of digamma psi = (log Gamma)', for an int n >= 0.

    x > 0: n = 0 by ``_digamma_positive``; n >= 1 as (-1)^(n+1) n! zeta(n+1, x).
    x < 0, not an integer: the reflection formula differentiated n times,
    psi^(n)(x) = (-1)^n psi^(n)(1 - x) - pi^(n+1) P_n(cot(pi x)) (see ``_cot_derivative``),
    with cot(pi x) = cot(pi r) (``_cot_pi``) for the exact r = x - round(x).
    Poles and infinities as PyTorch: digamma is -inf at 0, +inf at -0.0, NaN at the negative
    integers and -inf, inf at inf; for n >= 1, psi^(n) is (-1)^(n+1) inf at 0, -1, -2, ...
    and -inf, and NaN at inf (trigamma: NaN at -inf, 0 at inf): PyTorch's values, kept for
    parity. (PyTorch's trigamma is finite but huge at -1, -2, ..., from a sin(pi x) that
    rounds to 1e-16 there; inf is the value at the pole.) For n >= 170 and x < 0, P_n's
    coefficients overflow and the result is inf or NaN.
    """
    out = np.full_like(x, np.nan)
    positive = x > 0
    negative = (x < 0) & (x != np.floor(x))  # (floor(-inf) is -inf: a pole)
    if positive.any():
        out[positive] = _polygamma_positive(n, x[positive])
    if negative.any():
        part = x[negative]
        cot = _cot_pi(part - np.round(part))
        coefficients = [_as_float(coefficient) for coefficient in _cot_derivative(n)]
        with np.errstate(over="ignore", invalid="ignore"):  # near a pole: inf, the answer
            cot_part = horner(coefficients, cot)
            reflected = _polygamma_positive(n, 1.0 - part)
            out[negative] = (-1) ** n * reflected - np.power(math.pi, n + 1.0) * cot_part
    if n == 0:
        out[x == 0] = np.copysign(np.inf, -x[x == 0])
        return out
    out[(x <= 0) & (x == np.floor(x))] = (-1) ** (n + 1) * np.inf
    out[x == (-np.inf if n == 1 else np.inf)] = np.nan  # PyTorch's values, kept for parity
    return out


def _polygamma_positive(n, x):
    """psi^(n)(x) for x > 0 (see polygamma_array)."""
    if n == 0:
        return _digamma_positive(x)
    with np.errstate(all="ignore"):  # n! is inf for n > 170, as PyTorch's exp(lgamma(n + 1))
        return (-1) ** (n + 1) * _as_float(math.factorial(n)) * hurwitz_zeta(n + 1, x)


def _as_float(number):
    """A Python int or float as a float, +-inf where it overflows."""
    try:
        return float(number)
    except OverflowError:
        return math.inf if number > 0 else -math.inf


# log Gamma(2 + t) = (1 - gamma) t + sum_{k >= 2} (-1)^k (zeta(k) - 1) t^k / k, |t| <= 1/2:
# the k-th term is below 4^-k / k, so 28 terms reach 1e-18. zeta(k) - 1 = zeta(k, 2).
_LGAMMA_NEAR_TWO = [0.0, 1.0 - _EULER_GAMMA] + [
    (-1) ** k * float(hurwitz_zeta(k, np.array([2.0]))[0]) / k for k in range(2, 29)
]
# Stirling's series: log Gamma(x) = (x - 1/2) log x - x + log(2 pi)/2 + sum_j B_2j / (2j (2j-1)
# x^(2j-1)); for x >= 10 the first omitted term is below 1e-20.
_STIRLING = [0.0] + [
    float(bernoulli / (2 * j * (2 * j - 1))) for j, bernoulli in enumerate(BERNOULLI, 1)
]


def lgamma_array(x):
    """log |Gamma(x)| elementwise.

    x in [1.5, 2.5]: the series of log Gamma around 2 (above), exact in relative terms
    near the zero at 2; x in (0, 1.5): log Gamma(x + m) - log(x ... (x + m - 1)) for m = 1
    or 2, which keeps the zero at 1 exact too; x in (2.5, 10): log Gamma(x - m) +
    log((x - 1) ... (x - m)), down into [1.5, 2.5); x >= 10: Stirling's series.
    x < 0, not an integer: the reflection Gamma(x) Gamma(-x) = -pi / (x sin(pi x)), i.e.
    log pi - log|x| - log|sin(pi r)| - log Gamma(-x) with the exact r = x - round(x) and
    log|sin(pi r)| = log pi + log|r| + log(sin(pi r) / (pi r)), exact for a subnormal x too.
    inf at the poles 0, -1, -2, ... and at +-inf; NaN stays NaN.
    """
    out = np.full_like(x, np.inf)
    out[np.isnan(x)] = np.nan
    positive = (x > 0) & (x < np.inf)
    out[positive] = _lgamma_positive(x[positive])
    negative = (x < 0) & (x != np.floor(x))
    if negative.any():
        part = x[negative]
        r = part - np.round(part)
        # sin(pi r) / (pi r) is 1 to the last digit below 1e-300, where pi r may be subnormal
        sinc = np.where(np.abs(r) < 1e-300, 1.0, np.sin(np.pi * r) / (np.pi * r))
        log_sine = _LOG_PI + np.log(np.abs(r)) + np.log(sinc)  # log |sin(pi x)|
        out[negative] = _LOG_PI - np.log(-part) - log_sine - _lgamma_positive(-part)
    return out


def lgamma1p_array(t):
    """log Gamma(1 + t) for |t| <= 1/2, as log Gamma(2 + t) - log(1 + t) by the series around 2:
    accurate relative to t near t = 0, where log Gamma(1 + t) = -gamma t + O(t^2)."""
    return horner(_LGAMMA_NEAR_TWO, t) - np.log1p(t)


def _lgamma_positive(x):
    """log Gamma(x) for finite x > 0 (see lgamma_array)."""
    out = np.empty_like(x)
    for region, value in _lgamma_regions(x):
        out[region] = value
    return out


def _lgamma_regions(x):
    """(mask, log Gamma on the mask) for each region of lgamma_array's docstring."""
    near_two = (x >= 1.5) & (x <= 2.5)
    yield near_two, horner(_LGAMMA_NEAR_TWO, x[near_two] - 2.0)
    upper = (x >= 0.5) & (x < 1.5)
    part = x[upper]
    yield upper, horner(_LGAMMA_NEAR_TWO, part - 1.0) - np.log(part)
    lower = x < 0.5
    part = x[lower]
    yield lower, horner(_LGAMMA_NEAR_TWO, part) - np.log(part * (part + 1.0))
    middle = (x > 2.5) & (x < 10.0)
    part = x[middle]
    steps = np.floor(part - 1.5)  # x - steps in [1.5, 2.5)
    product = np.ones_like(part)
    for step in range(1, int(steps.max(initial=0)) + 1):
        product = np.where(step <= steps, product * (part - step), product)
    yield middle, horner(_LGAMMA_NEAR_TWO, part - steps - 2.0) + np.log(product)
    large = x >= 10.0
    part = x[large]
    inverse = 1.0 / part
    log_part = np.log(part)
    # x (log x - 1) first: (x - 1/2) log x would overflow before log Gamma does
    with np.errstate(over="ignore"):  # beyond 2.55e305, log Gamma is inf
        stirling = part * (log_part - 1.0) - 0.5 * log_part + _HALF_LOG_TWO_PI
    yield large, stirling + horner(_STIRLING, inverse * inverse) * part


def erfc_array(x):
    """erfc(x) = 1 - erf(x), relatively accurate where it is tiny.

    |x| < 1: 1 - erf(x) (erfc >= 0.15 there, so no digit is lost). x >= 1: erfc(x) =
    exp(-x^2) erfcx(x) (``exp_of_square`` and ``erfcx_large``). x <= -1: 2 - erfc(-x).
    Results below the smallest normal float (x > 26.5) are subnormal and lose relative
    precision accordingly.
    """
    with np.errstate(all="ignore"):
        out = 1.0 - erf_array(x)
        tail = np.abs(x) >= 1
        if tail.any():
            part = np.minimum(np.abs(x[tail]), 28.0)  # erfc(28) is 0 in float64
            erfc = exp_of_square(-1.0, part) * erfcx_large(part)
            out[tail] = np.where(x[tail] < 0, 2.0 - erfc, erfc)
    return out


def erfcx_large(x):
    """exp(x^2) erfc(x) for x >= 1 (inf included): elementwise.py's Chebyshev fit on [1, 6)
    and beyond it the continued fraction erfcx(x) = 1 / (sqrt(pi) (x + (1/2) / (x + 1 / (x +
    (3/2) / (x + ...))))) cut at depth 20 (converged to 1 ulp for x >= 6)."""
    with np.errstate(all="ignore"):  # (the fit, evaluated at inf, is replaced)
        out = scaled_erfc(x)
        far = x >= 6
        part = x[far]
        fraction = np.zeros_like(part)
        for k in range(20, 0, -1):
            fraction = (k / 2) / (part + fraction)
        out[far] = 1 / (math.sqrt(math.pi) * (part + fraction))
    return out


def exp_of_square(sign, x):
    """exp(sign x^2) for sign = +-1, as exp(sign h^2) exp(sign l (x + h)) with x = h + l and
    h on a 2^-12 grid, so that h^2 is exact and x^2's rounding (up to 1e-13 of the result
    near |x| = 27) never enters. Overflows to inf and underflows to 0 silently."""
    high = np.round(x * 4096) / 4096
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        return np.exp(sign * high * high) * np.exp(sign * (x - high) * (x + high))


def erfinv_array(x):
    """The inverse of erf on [-1, 1]: erfinv(+-1) = +-inf, NaN beyond and for NaN.

    Start from Winitzki's closed form y0 = sqrt(sqrt(b^2 + c) - b) with a = 0.147,
    b = 2 / (pi a) + log(1 - x^2) / 2, c = -log(1 - x^2) / a (relative error < 2e-3; written
    c / (sqrt(b^2 + c) + b) so that tiny x keeps its digits), then three steps of Halley's
    method on f(y) = erf(y) - |x|: y -= q / (1 + y q), q = f / f' = f sqrt(pi) / 2 exp(y^2)
    (the error is cubed at each step). For |x| > 1/2, f is computed as (1 - |x|) - erfc(y),
    where 1 - |x| is exact, so that erfinv keeps full relative accuracy up to x = 1 - 2^-53.
    """
    magnitude = np.abs(x)
    out = np.where(magnitude == 1, np.inf, np.nan)
    inside = magnitude < 1
    if inside.any():
        part = magnitude[inside]
        complement = 1.0 - part  # exact for part >= 1/2
        log_term = np.log(complement * (1.0 + part))  # log(1 - x^2)
        b = 2 / (math.pi * 0.147) + 0.5 * log_term
        c = -log_term / 0.147
        y = np.sqrt(c / (np.sqrt(b * b + c) + b))
        small = part <= 0.5
        for _ in range(3):
            residual = np.where(small, erf_array(y) - part, complement - erfc_array(y))
            step = residual * (0.5 * math.sqrt(math.pi)) * np.exp(y * y)
            y = y - step / (1.0 + y * step)
        out[inside] = y
    return np.copysign(out, x)
