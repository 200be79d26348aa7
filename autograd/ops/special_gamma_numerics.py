"""The NumPy kernels behind ``special_gamma.py``: the regularized incomplete gamma functions,
the Hurwitz zeta function, erfcx, log_ndtr and ndtri of float64 arrays, with NumPy only.

Every kernel takes 1-d float64 arrays (the binary ones two of the same shape), returns
float64 arrays and never warns. Special values (poles, infinities, arguments outside the
domain) are PyTorch's, listed in each kernel's docstring.

Accuracy, measured against 40-digit mpmath: about 1e-15 relative where a function is well
conditioned. Where a result is exp(-t) of a large t (the incomplete gamma functions far in
their tails, erfcx near its overflow), t's own rounding, a few ulp of t, is the error: up
to about 1e-13 relative next to the underflow at t = 745, as small a change as rounding
the arguments themselves would make there.
"""

import math
from fractions import Fraction

import numpy as np

from .elementwise import erf_array, horner
from .special_numerics import (
    BERNOULLI,
    erfc_array,
    erfcx_large,
    erfinv_array,
    exp_of_square,
    lgamma1p_array,
    lgamma_array,
)

_EPS = 2.0**-56  # a series stops once its next term is below this fraction of its sum
_SQRT_HALF = math.sqrt(0.5)
_SQRT_TWO_OVER_PI = math.sqrt(2 / math.pi)


# ---- the normal distribution ---------------------------------------------------------------


def erfcx_array(x):
    """erfcx(x) = exp(x^2) erfc(x): ``erfcx_large`` for x >= 1 (1 / (x sqrt(pi)) for large
    x, 0 at inf); exp(x^2) (1 - erf(x)) for |x| < 1; 2 exp(x^2) - erfcx(-x) for x <= -1,
    with exp(x^2) by ``exp_of_square``: inf below x = -26.64, where it overflows."""
    out = x.copy()  # NaN stays NaN
    large = x >= 1
    out[large] = erfcx_large(x[large])
    middle = np.abs(x) < 1
    part = x[middle]
    out[middle] = np.exp(part * part) * (1.0 - erf_array(part))
    low = x <= -1
    part = np.maximum(x[low], -27.0)  # (beyond, exp(x^2) overflows too)
    with np.errstate(over="ignore"):
        out[low] = 2.0 * exp_of_square(1.0, part) - erfcx_large(-part)
    return out


def log_ndtr_array(x):
    """log Phi(x), Phi(x) = erfc(-x / sqrt 2) / 2 the standard normal distribution function.

    x < 0: -x^2/2 + log(erfcx(-x / sqrt 2) / 2), which never underflows (-5e19 at x = -1e10;
    -inf where x^2 overflows). x >= 0: log1p(-erfc(x / sqrt 2) / 2), -0.0 once erfc is 0.
    """
    out = x.copy()
    lower = x < 0
    part = x[lower]
    with np.errstate(over="ignore", divide="ignore"):  # -inf where x^2 overflows
        out[lower] = -0.5 * part * part + np.log(0.5 * erfcx_array(-part * _SQRT_HALF))
    upper = x >= 0
    out[upper] = np.log1p(-0.5 * erfc_array(x[upper] * _SQRT_HALF))
    return out


# Abramowitz and Stegun 26.2.23: with t = sqrt(-2 log p), the x with Phi(x) = p <= 1/2 is
# p(t) / q(t) - t to within 4.5e-4.
_QUANTILE_NUMERATOR = [2.515517, 0.802853, 0.010328]
_QUANTILE_DENOMINATOR = [1.0, 1.432788, 0.189269, 0.001308]


def ndtri_array(p):
    """The x with Phi(x) = p for p in [0, 1]: -inf at 0, inf at 1, NaN outside and for NaN.

    p >= 1/4: sqrt(2) erfinv(2p - 1), where 2p - 1 is exact. p < 1/4: from the start above,
    three Halley steps on h(x) = log Phi(x) - log p, with h' = r = phi / Phi = sqrt(2/pi) /
    erfcx(-x / sqrt 2) and h'' = -r (x + r): each step cubes the error, and in log space a p
    as small as 5e-324 keeps its full relative precision.
    """
    out = np.where(p == 0, -np.inf, np.nan)
    upper = (p >= 0.25) & (p <= 1)
    out[upper] = math.sqrt(2) * erfinv_array(2.0 * p[upper] - 1.0)
    lower = (p > 0) & (p < 0.25)
    log_p = np.log(p[lower])
    t = np.sqrt(-2.0 * log_p)
    x = horner(_QUANTILE_NUMERATOR, t) / horner(_QUANTILE_DENOMINATOR, t) - t
    for _ in range(3):
        scaled = erfcx_array(-x * _SQRT_HALF)
        ratio = _SQRT_TWO_OVER_PI / scaled
        step = (-0.5 * x * x + np.log(0.5 * scaled) - log_p) / ratio
        x = x - step / (1.0 + 0.5 * step * (x + ratio))
    out[lower] = x
    return out


# ---- the incomplete gamma functions --------------------------------------------------------

# log Gamma*(a) = log Gamma(a) - (a - 1/2) log a + a - log(2 pi)/2 = sum_j B_2j / (2j (2j-1))
# a^(1-2j), Stirling's series: coefficient k of a^-k, exact (k = 0 ... 20).
_LOG_GAMMA_STAR = [Fraction(0)] + [
    coefficient
    for j, bernoulli in enumerate(BERNOULLI, 1)
    for coefficient in (bernoulli / (2 * j * (2 * j - 1)), Fraction(0))
]
_STIRLING_ODD = [float(coefficient) for coefficient in _LOG_GAMMA_STAR[1::2]]


def _log_gamma_star(a):
    """log Gamma*(a) for a >= 10 (the first omitted term of the series is below 1e-20)."""
    inverse = 1.0 / a
    return horner(_STIRLING_ODD, inverse * inverse) * inverse


def _temme_coefficients(orders, terms):
    """The Taylor coefficients in eta (``terms`` of them, as floats) of Temme's C_0 ... C_{orders-1}
    in the uniform expansion Q(a, x) = erfc(eta sqrt(a/2)) / 2 + exp(-a eta^2/2) / sqrt(2 pi a)
    sum_k C_k(eta) a^-k (DLMF 8.12), where eta^2/2 = lambda - 1 - log(lambda), lambda = x / a
    and eta has the sign of lambda - 1.

    Exact rational arithmetic: u = lambda - 1 as a series in eta from u u' = eta (1 + u) (the
    derivative of eta^2/2 = u - log(1 + u)), w = eta / u, C_0 = 1/u - 1/eta = (w - 1) / eta
    and C_k = (C_{k-1}' + (-1)^k g_k w) / eta with g_k the coefficients of Gamma*(a) ~ sum_k
    g_k a^-k; each numerator's constant term is 0 (checked), so the C_k have no pole.
    """
    size = terms + 2 * orders + 1
    u = [Fraction(0), Fraction(1)]  # coefficient m of u^2 (m > 2) fixes u's coefficient m - 1
    for m in range(2, size + 2):
        products = sum((u[i] * u[m + 1 - i] for i in range(2, m)), Fraction(0))
        u.append(u[m - 1] / (m + 1) - products / 2)
    w = [Fraction(1)]  # 1 / (u / eta), term by term
    for n in range(1, size + 1):
        w.append(-sum(u[i + 1] * w[n - i] for i in range(1, n + 1)))
    gamma_star = [Fraction(1)]  # exp of Stirling's series: (exp f)' = f' exp f
    for n in range(1, orders):
        gamma_star.append(
            sum(k * _LOG_GAMMA_STAR[k] * gamma_star[n - k] for k in range(1, n + 1)) / n
        )
    series = w[1:]
    out = [series]
    for k in range(1, orders):
        sign = (-1) ** k
        numerator = [
            (n + 1) * series[n + 1] + sign * gamma_star[k] * w[n] for n in range(len(series) - 1)
        ]
        assert numerator[0] == 0, "Temme's C_k must be regular at eta = 0"
        series = numerator[1:]
        out.append(series)
    return [[float(c) for c in series[:terms]] for series in out]


# For a >= 100, C_k a^-k is below 1e-20 for k >= 10; on |eta| <= 0.78 the Taylor series, whose
# radius is 2 sqrt(pi), have converged to 1e-20 after 32 terms.
_TEMME_MIN_A = 100.0
_TEMME_MAX_D = 0.3  # lambda - 1 - log(lambda) <= 0.3: lambda in [0.39, 2.07]
_TEMME = _temme_coefficients(10, 32)

# u - log(1 + u) = 2 w^2 sum_n c_n w^n with w = u / (2 + u) (log(1 + u) = 2 atanh(w)):
# c_n = 1 for even n, (n + 1) / (n + 2) for odd n; 50 terms reach 1e-18 for |w| <= 0.45.
_PEAK_SERIES = [1.0 if n % 2 == 0 else (n + 1) / (n + 2) for n in range(50)]


def _peak_distance(a, x):
    """D = lambda - 1 - log(lambda) >= 0 for lambda = x / a (a, x > 0): a D = x - a - a log(x/a)
    is how far below its peak x^a e^-x lies. By the series above for |w| <= 0.45 (lambda in
    [0.38, 2.6]), where the two terms cancel; elsewhere directly, with log(x / a), not
    log1p(u), so that a tiny lambda loses nothing to 1 + u."""
    u = (x - a) / a
    w = u / (2.0 + u)
    series = np.abs(w) <= 0.45
    out = np.empty_like(u)
    out[series] = 2.0 * w[series] ** 2 * horner(_PEAK_SERIES, w[series])
    far = ~series
    with np.errstate(divide="ignore"):  # x / a underflowing to 0: D = inf, the answer
        out[far] = u[far] - np.log(x[far] / a[far])
    return out


def _lgamma1p(a):
    """log Gamma(1 + a) for a > 0, exact near a = 0 (see ``lgamma1p_array``)."""
    small = a < 0.5
    return np.where(small, lgamma1p_array(np.where(small, a, 0.0)), lgamma_array(a) + np.log(a))


def _power_term(a, x):
    """x^a e^-x / Gamma(a + 1) for a, x > 0 finite.

    a < 10: exp(a log x - x - log Gamma(1 + a)). a >= 10: exp(-a D - log Gamma*(a)) /
    sqrt(2 pi a) with D from ``_peak_distance``, which keeps the digits that a log x - x and
    log Gamma(a + 1), two large numbers, would lose to each other.
    """
    out = np.empty_like(a)
    small = a < 10
    part_a, part_x = a[small], x[small]
    out[small] = np.exp(part_a * np.log(part_x) - part_x - _lgamma1p(part_a))
    large = ~small
    part_a = a[large]
    exponent = -part_a * _peak_distance(part_a, x[large]) - _log_gamma_star(part_a)
    out[large] = np.exp(exponent) / np.sqrt(2 * math.pi * part_a)
    return out


def _lower_series(a, x):
    """P(a, x) = x^a e^-x / Gamma(a + 1) sum_{n>=0} x^n / ((a + 1) ... (a + n)), a series of
    positive terms: for x < a, or x <= 1.1, where it converges fast."""
    term = np.ones_like(x)
    total = np.ones_like(x)
    live = np.arange(x.size)
    n = 0
    while live.size:
        n += 1
        term[live] *= x[live] / (a[live] + n)
        total[live] += term[live]
        live = live[term[live] > _EPS * total[live]]
    return _power_term(a, x) * total


def _upper_series(a, x):
    """Q(a, x) for x <= 1.1: 1 - P with P = x^a / Gamma(a + 1) sum_{n>=0} (-x)^n a / ((a + n) n!)
    (the series of the lower incomplete gamma function), written as -expm1(A) - e^A S with
    A = a log x - log Gamma(1 + a) and S the sum from n = 1: relatively accurate for the tiny
    Q of a tiny a too (Q ~ a E1(x)). 24 terms: 1.1^n / n! is below 1e-22 after them."""
    exponent = a * np.log(x) - _lgamma1p(a)
    term = np.ones_like(x)
    total = np.zeros_like(x)
    for n in range(1, 25):
        term *= -x / n
        total += term / (a + n)
    return -np.expm1(exponent) - np.exp(exponent) * a * total


def _upper_fraction(a, x):
    """Q(a, x) = x^a e^-x / Gamma(a) / (x + 1 - a - 1 (1 - a) / (x + 3 - a - 2 (2 - a) / (x + 5 -
    a - ...))), Legendre's continued fraction, by the modified Lentz method: for x > 1.1 and
    x >= a, where it converges in at most ~80 steps (a < 100) or ~15 (lambda >= 2.07)."""
    tiny = 1e-300
    denominator = x + 1.0 - a
    c = np.full_like(x, 1 / tiny)
    d = 1.0 / denominator
    fraction = d.copy()
    live = np.arange(x.size)
    n = 0
    while live.size:
        n += 1
        coefficient = -n * (n - a[live])
        denominator[live] += 2.0
        d_live = coefficient * d[live] + denominator[live]
        d_live = 1.0 / np.where(d_live == 0, tiny, d_live)
        c_live = denominator[live] + coefficient / c[live]
        c_live = np.where(c_live == 0, tiny, c_live)
        d[live], c[live] = d_live, c_live
        delta = c_live * d_live
        fraction[live] *= delta
        live = live[np.abs(delta - 1.0) > _EPS]
    return a * _power_term(a, x) * fraction


def _temme(a, x, distance):
    """(P, Q) by Temme's uniform expansion for a >= 100 and D <= 0.3 (see _temme_coefficients):
    the smaller one as exp(-a D) (erfcx(|y|) / 2 +- S / sqrt(2 pi a)) with y = eta sqrt(a/2)
    and S = sum_k C_k(eta) a^-k (no cancellation), the other one as 1 minus it."""
    eta = np.copysign(np.sqrt(2.0 * distance), x - a)
    correction = horner([horner(c, eta) for c in _TEMME], 1.0 / a) / np.sqrt(2 * math.pi * a)
    peak = np.exp(-a * distance)
    half_erfcx = 0.5 * erfcx_array(np.abs(eta) * np.sqrt(0.5 * a))
    above = x >= a
    smaller = peak * np.where(above, half_erfcx + correction, half_erfcx - correction)
    return np.where(above, 1.0 - smaller, smaller), np.where(above, smaller, 1.0 - smaller)


def gammainc_arrays(a, x):
    """(P(a, x), Q(a, x)): the regularized lower and upper incomplete gamma functions,
    P = gamma(a, x) / Gamma(a) and Q = 1 - P, each relatively accurate (the smaller one is
    never 1 minus the larger).

    x <= 1.1: P by ``_lower_series`` and Q by ``_upper_series``. Otherwise, for a >= 100
    with lambda = x / a in [0.39, 2.07]: Temme's expansion; else x < a: P by the series and
    Q = 1 - P (P <= 0.64 there); x >= a: Q by the continued fraction and P = 1 - Q.
    PyTorch's values elsewhere, in its order: NaN for a < 0 or x < 0; at a = 0, P = 1 for
    x > 0 (NaN for x = 0 or NaN); then at x = 0, P = 0; at a = inf, P = 0 (NaN at x = inf);
    at x = inf, P = 1; NaN for any other NaN.
    """
    lower = np.full_like(x, np.nan)
    upper = np.full_like(x, np.nan)
    rest = ~(a < 0) & ~(x < 0)  # the rules below, each for what the previous ones left
    for rule, value in (
        (a == 0, np.where(x > 0, 1.0, np.nan)),
        (x == 0, 0.0),
        (a == np.inf, np.where(x == np.inf, np.nan, 0.0)),
        (x == np.inf, 1.0),
    ):
        region = rest & rule
        rest &= ~rule
        lower[region] = np.broadcast_to(value, x.shape)[region]
        upper[region] = 1.0 - lower[region]
    inside = (a > 0) & (a < np.inf) & (x > 0) & (x < np.inf)
    small = inside & (x <= 1.1)
    lower[small] = _lower_series(a[small], x[small])
    upper[small] = _upper_series(a[small], x[small])
    rest = inside & ~small
    temme = rest & (a >= _TEMME_MIN_A)
    distance = _peak_distance(a[temme], x[temme])
    near = distance <= _TEMME_MAX_D
    temme[temme] = near
    lower[temme], upper[temme] = _temme(a[temme], x[temme], distance[near])
    series = rest & ~temme & (x < a)
    lower[series] = _lower_series(a[series], x[series])
    upper[series] = 1.0 - lower[series]
    fraction = rest & ~temme & (x >= a)
    upper[fraction] = _upper_fraction(a[fraction], x[fraction])
    lower[fraction] = 1.0 - upper[fraction]
    return lower, upper


def mvlgamma_array(x, p):
    """sum_{i<p} log |Gamma(x - i/2)| + p (p - 1)/4 log(pi), the multivariate log-gamma."""
    return sum(lgamma_array(x - 0.5 * i) for i in range(p)) + p * (p - 1) / 4 * math.log(math.pi)


# ---- the Hurwitz zeta function -------------------------------------------------------------

_EULER_MACLAURIN = [
    float(bernoulli / math.factorial(2 * j)) for j, bernoulli in enumerate(BERNOULLI, 1)
]


def _zeta_positive(s, q):
    """sum_{k>=0} (q + k)^-s for finite s > 1 and q > 0.

    Term by term while z = q + k < s + 9, until the rest, at most z^-s (1 + z / (s - 1)) by
    the integral test, is below 2^-56 of the sum (after at most ~40 terms, for any s and q);
    where the rest still counts, Euler-Maclaurin's tail at z then ends the sum: z^(1-s) [1/(s-1)
    + 1/(2z) + sum_{j=1}^{10} B_2j/(2j)! s (s+1) ... (s+2j-2) z^-2j], whose first omitted term
    is below 1e-18 of it for z >= s + 9 (``special_numerics.hurwitz_zeta``'s tail, for a real
    s, its products taken as ratios to powers of z so that none overflows).
    """
    total = np.zeros_like(q)
    z = q.copy()
    tail = np.ones(q.shape, bool)
    live = np.flatnonzero(z < s + 9)
    with np.errstate(all="ignore"):  # overflow to inf and underflow to 0 are the answer
        while live.size:
            part_s = s[live]
            total[live] += z[live] ** -part_s
            z[live] += 1.0
            part_z = z[live]
            rest = part_z**-part_s * (1.0 + part_z / (part_s - 1.0))
            converged = rest <= _EPS * total[live]
            tail[live[converged]] = False
            live = live[~converged & (part_z < part_s + 9)]
        part_s, part_z = s[tail], z[tail]
        inverse = 1.0 / part_z
        square = inverse * inverse
        ratio = part_s * square  # s (s+1) ... (s+2j-2) z^-2j
        series = 1.0 / (part_s - 1.0) + 0.5 * inverse
        for j, coefficient in enumerate(_EULER_MACLAURIN, 1):
            series += coefficient * ratio
            ratio *= (part_s + 2 * j - 1) * square * (part_s + 2 * j)  # (0, not inf * 0)
        total[tail] += part_z ** (1.0 - part_s) * series
    return total


def zeta_array(x, q):
    """The Hurwitz zeta function zeta(x, q) = sum_{k>=0} (q + k)^-x, with PyTorch's domain.

    x > 1, q > 0: ``_zeta_positive``. q < 0 not an integer and x an integer: the sum as it
    stands (its terms are real), as zeta(x, f) + (-1)^x [zeta(x, 1 - f) - zeta(x, 1 - q)] with
    f = q - floor(q): the terms from q to f - 1 mirrored, cancelling as they do in the sum.
    PyTorch's values elsewhere: inf at x = 1 (any q) and at q = 0, -1, -2, ..., -inf (any
    x but 1 and x < 1); NaN for x < 1, for x not an integer when q < 0, and for NaN. At
    x = inf: inf for q < 1, 1 at q = 1 and NaN beyond; at q = inf: NaN (PyTorch's values, from
    an inf * 0 in its Euler-Maclaurin sum, kept for parity). A finite x so large that the
    result underflows gives 0, where PyTorch's gives NaN for the same reason.
    """
    out = np.full_like(x, np.nan)
    pole = (q <= 0) & (q == np.floor(q))
    out[pole & ~(x < 1)] = np.inf
    infinite = (x == np.inf) & ~pole & (q < np.inf)
    out[infinite & (q < 1)] = np.inf
    out[infinite & (q == 1)] = 1.0
    inside = (x > 1) & (x < np.inf) & (q < np.inf)
    positive = inside & (q > 0)
    out[positive] = _zeta_positive(x[positive], q[positive])
    negative = inside & (q < 0) & ~pole & (x == np.floor(x))
    part_x, part_q = x[negative], q[negative]
    mirror = np.ceil(part_q) - part_q  # 1 - f, exact (f itself may round up to 1)
    sums = _zeta_positive(
        np.tile(part_x, 3), np.concatenate([part_q - np.floor(part_q), mirror, 1.0 - part_q])
    )
    near, mirrored, far = np.split(sums, 3)
    sign = np.where(part_x % 2 == 0, 1.0, -1.0)
    with np.errstate(invalid="ignore"):  # inf - inf: NaN, as PyTorch's sum gives
        out[negative] = (near + sign * mirrored) - sign * far  # (the first two may cancel)
    out[x == 1] = np.inf
    return out
