"""The NumPy kernels behind ``bessel.py``: Bessel functions of orders 0 and 1 (J, Y, the
modified I and K, the scaled e^-|x| I and e^x K), the spherical j0 and Airy's Ai, of float64
arrays, vectorised, with NumPy only (no SciPy).

Every kernel takes and returns a 1-d float64 array and never warns. Three methods:

- Power series in t = x^2 / 4 (J and Y for x < 2, K for x < 1, I for |x| < 20, Ai for
  |x| <= 1).
- Hankel's integral, exact for every z > 0 and order nu > -1/2:
  K_nu(z) = sqrt(pi / (2z)) e^-z F_nu(z, 1) and
  H_nu(z) = J_nu(z) + i Y_nu(z) = sqrt(2 / (pi z)) e^(i (z - nu pi/2 - pi/4)) F_nu(z, i), with
  F_nu(z, c) = 1/Gamma(nu + 1/2) int_0^inf e^-u u^(nu - 1/2) (1 + c u / (2z))^(nu - 1/2) du.
  (Expanding the last factor in powers of u gives the asymptotic Hankel series term by
  term; the integral itself has no remainder.) See ``hankel_integral`` for its quadrature.
- For I at |x| >= 20, the asymptotic series e^x / sqrt(2 pi x) sum_k (-1)^k a_k(n) x^-k,
  whose omitted terms there are below 1e-18 of the sum.

Accuracy against 40-digit mpmath: a few ulp relative wherever the function is well
conditioned; next to the zeros of J, Y and Ai, a few ulp of the function's envelope in
absolute terms (the phase x - pi/4 enters through NumPy's correctly reduced sin and cos of
x, so this holds for large x too, as far as x itself is exact). Ai(x) for large x > 0 errs
by about zeta = 2/3 x^(3/2) ulp, its own condition number (1e-13 at x = 30).
"""

import math
from fractions import Fraction

import numpy as np

from .elementwise import horner

_SMALL = 2.0  # J, Y: power series below, Hankel's integral at and above
_K_SMALL = 1.0  # the same for K (whose series loses a digit to cancellation near 2)
_I_LARGE = 20.0  # I: power series below, the asymptotic series at and above
_AIRY_SMALL = 1.0  # Ai: Maclaurin series for |x| <= 1, Hankel's integral beyond
_TERMS = 40  # power-series terms: the 40th is below 1e-18 of I_n(20)
_BLOCK = 4096  # elements per block of Hankel's quadrature (bounds its n x nodes array)
_GAMMA_MINUS_LOG_TWO = np.euler_gamma - math.log(2.0)  # (log(x/2) would be -inf at 5e-324)


def _power_series(order, harmonic):
    """The coefficients of sum_k c_k u^k with c_k = 1 / (k! (k + n)!), or, with ``harmonic``,
    (H_k + H_{k+n}) / (k! (k + n)!) (H_k = 1 + 1/2 + ... + 1/k), for n = ``order``."""
    coefficients = []
    for k in range(_TERMS):
        term = Fraction(1, math.factorial(k) * math.factorial(k + order))
        if harmonic:
            term *= sum(Fraction(1, j) for j in range(1, k + 1)) + sum(
                Fraction(1, j) for j in range(1, k + order + 1)
            )
        coefficients.append(float(term))
    return coefficients


_REGULAR = (_power_series(0, False), _power_series(1, False))
_HARMONIC = (_power_series(0, True), _power_series(1, True))


def _series(coefficients, order, x, sign):
    """(x/2)^n sum_k c_k (sign x^2/4)^k for the c_k of ``coefficients[n]``; with _REGULAR,
    J_n for sign -1 and I_n for sign +1."""
    half = 0.5 * x
    return half**order * horner(coefficients[order], sign * half * half)


def _second_kind_series(order, x, sign):
    """Y_n(x) (sign -1, x < 2) or K_n(x) (sign +1, x < 1) for x > 0, from the series with
    logarithm (DLMF 10.8.1 and 10.31.1, with psi(k + 1) = H_k - gamma): with L = log(x) -
    log 2 + gamma, R = J_n or I_n and E = (x/2)^n sum_k (H_k + H_{k+n}) (sign x^2/4)^k /
    (k! (k+n)!), S = L R - E/2 gives Y_n = 2/pi (S - n/x) and K_n = (-1)^(n+1) S + n/x.
    No term exceeds 3 there, so no more than a digit cancels."""
    regular = _series(_REGULAR, order, x, sign)
    harmonic = _series(_HARMONIC, order, x, sign)
    with np.errstate(over="ignore"):  # n/x is inf for a subnormal x: Y_1 is -inf there
        s = (np.log(x) + _GAMMA_MINUS_LOG_TWO) * regular - 0.5 * harmonic
        if sign < 0:
            return 2 / math.pi * (s - order / x)
        return (-1) ** (order + 1) * s + order / x


def _trapezoid_nodes(order, power, step, stop):
    """(u_j, w_j) with sum_j w_j f(u_j) = 1/Gamma(nu + 1/2) int_0^inf e^-u u^(nu - 1/2) f(u) du
    for nu = ``order``: the trapezoidal rule in s = u^(1/power), where the integrand is
    ``power`` s^(power (nu + 1/2) - 1) e^(-s^power) f(s^power), an even function of s for
    the powers chosen, on s = 0, step, ... < stop (the weight beyond is below 1e-17 of the
    total). The weights are normalised to sum to 1, i.e. to give F = 1 where f = 1, as for
    z = inf."""
    s = np.arange(0.0, stop, step)
    u = s**power
    weights = s ** (power * (order + 0.5) - 1) * np.exp(-u)
    weights[0] *= 0.5
    return u, weights / weights.sum()


# u = s^2 for orders 0 and 1 (integrands 1 and s^2), u = s^6 for order 1/3 (s^4).
_NODES = {
    0: _trapezoid_nodes(0, 2, 0.2, 6.6),
    1: _trapezoid_nodes(1, 2, 0.2, 6.6),
    1 / 3: _trapezoid_nodes(1 / 3, 6, 0.04, 1.9),
}


def hankel_integral(z, order, oscillating):
    """F_nu(z, c) of the module docstring for z > 0 (inf included) and nu = ``order`` in
    (0, 1, 1/3); c = i where ``oscillating`` (for H = J + iY, a complex result), else 1
    (for K), by the trapezoidal rule. (1 + i a)^p is taken as (1 + a^2)^(p/2) e^(i p atan a),
    in real arithmetic: NumPy's complex power costs five times as much.

    For an integrand analytic in the strip |Im s| < d, the trapezoidal rule with step h on
    the whole line errs by about exp(-2 pi d / h). Here the only singularities are where
    1 + c s^m / (2z) = 0: d = sqrt(z) for H with m = 2, sqrt(2z) for K, 0.26 (2z)^(1/6) and
    (2z)^(1/6) / 2 for m = 6. Steps 0.2 (m = 2, 33 nodes) and 0.04 (m = 6, 48 nodes) reach
    1e-16 from z = 1.5 (H), 1 (K) and 0.3 (order 1/3) up, measured against mpmath: H is
    used from z = 2, K from 1, order 1/3 from 2/3 (Ai beyond |x| = 1).
    """
    u, weights = _NODES[order]
    power = order - 0.5
    out = np.empty(z.shape, complex if oscillating else float)
    for start in range(0, z.size, _BLOCK):
        ratio = u / (2 * z[start : start + _BLOCK, None])  # u / (2z)
        if not oscillating:
            out[start : start + _BLOCK] = (1 + ratio) ** power @ weights
            continue
        modulus = (1 + ratio * ratio) ** (0.5 * power)
        angle = power * np.arctan(ratio)
        out.real[start : start + _BLOCK] = (modulus * np.cos(angle)) @ weights
        out.imag[start : start + _BLOCK] = (modulus * np.sin(angle)) @ weights
    return out


def _hankel(order, x):
    """H_n(x) = J_n(x) + i Y_n(x) for x >= 2, inf (NaN there, as PyTorch) and NaN."""
    with np.errstate(invalid="ignore"):  # sin and cos of inf are NaN, the value kept
        # e^(i (x - n pi/2 - pi/4)) = e^(ix) e^(-i (2n + 1) pi/4): x itself is reduced exactly
        phase = (np.cos(x) + 1j * np.sin(x)) * np.exp(-0.25j * math.pi * (2 * order + 1))
        return np.sqrt(2 / (math.pi * x)) * phase * hankel_integral(x, order, True)


def bessel_j_array(order, x):
    """J_n(x) for n = 0, 1: even (n = 0) or odd (n = 1) in x; NaN at +-inf, as PyTorch."""
    magnitude = np.abs(x)
    out = np.empty_like(x)
    small = magnitude < _SMALL
    out[small] = _series(_REGULAR, order, magnitude[small], -1.0)
    out[~small] = _hankel(order, magnitude[~small]).real
    return np.where(np.signbit(x), -out, out) if order else out


def bessel_y_array(order, x):
    """Y_n(x) for n = 0, 1: -inf at +-0, NaN for x < 0 and at inf, as PyTorch."""
    out = np.full_like(x, np.nan)
    small = (x > 0) & (x < _SMALL)
    out[small] = _second_kind_series(order, x[small], -1.0)
    large = x >= _SMALL
    out[large] = _hankel(order, x[large]).imag
    out[x == 0] = -np.inf
    return out


def _asymptotic_series(order):
    """The coefficients (-1)^k a_k(n) of e^-x I_n(x) sqrt(2 pi x) ~ sum_k (-1)^k a_k(n) x^-k,
    a_k(n) = prod_{j <= k} (4n^2 - (2j - 1)^2) / (8j), up to k = 2 * 20 - 1 (the smallest
    term at x = 20 comes next)."""
    coefficients, term = [], Fraction(1)
    for k in range(2 * int(_I_LARGE)):
        coefficients.append(float(term))
        term *= -Fraction(4 * order * order - (2 * k + 1) ** 2, 8 * (k + 1))
    return coefficients


_I_ASYMPTOTIC = (_asymptotic_series(0), _asymptotic_series(1))


def _scaled_i_positive(order, x):
    """e^-x I_n(x) for x >= 0, inf (0 there) and NaN."""
    out = np.empty_like(x)
    small = x < _I_LARGE
    part = x[small]
    out[small] = np.exp(-part) * _series(_REGULAR, order, part, 1.0)
    large = ~small
    part = x[large]
    out[large] = horner(_I_ASYMPTOTIC[order], 1 / part) / np.sqrt(2 * math.pi * part)
    return out


def scaled_bessel_i_array(order, x):
    """e^-|x| I_n(x) for n = 0, 1 (even and odd in x); +-0 at +-inf, +0 at -0 (PyTorch's)."""
    out = _scaled_i_positive(order, np.abs(x))
    return np.where(x < 0, -out, out) if order else out


def bessel_i_array(order, x):
    """I_n(x) for n = 0, 1: e^|x| (e^-|x| I_n(x)), as e^(|x|/2) twice, so that I_n is finite
    up to |x| = 713.98 where e^|x| alone overflows from 709.78; NaN at +-inf (0 inf), as
    PyTorch's."""
    with np.errstate(over="ignore", invalid="ignore"):
        half = np.exp(0.5 * np.abs(x))
        return half * (half * scaled_bessel_i_array(order, x))


def scaled_bessel_k_array(order, x):
    """e^x K_n(x) for n = 0, 1: +inf at +-0, NaN for x < 0, 0 at inf, as PyTorch."""
    out = np.full_like(x, np.nan)
    small = (x > 0) & (x < _K_SMALL)
    part = x[small]
    with np.errstate(over="ignore"):  # K_1 is inf for a subnormal x
        out[small] = np.exp(part) * _second_kind_series(order, part, 1.0)
    large = x >= _K_SMALL
    part = x[large]
    out[large] = np.sqrt(math.pi / (2 * part)) * hankel_integral(part, order, False)
    out[x == 0] = np.inf
    return out


def bessel_k_array(order, x):
    """K_n(x) for n = 0, 1: e^-x (e^x K_n(x)); 0 beyond x = 745, where it underflows."""
    with np.errstate(over="ignore"):  # e^-x of x < 0 (NaN there)
        return np.exp(-x) * scaled_bessel_k_array(order, x)


def spherical_bessel_j0_array(x):
    """j0(x) = sin(x) / x: 1 at 0, 0 at +-inf (the limit, as PyTorch)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.sin(x) / x
    out[x == 0] = 1.0
    out[np.isinf(x)] = 0.0
    return out


# Ai(x) = Ai(0) f(x) + Ai'(0) g(x) with f = sum_k x^3k prod_{j<k} (3j + 1) / (3k)! and
# g = sum_k x^(3k+1) prod_{j<k} (3j + 2) / (3k + 1)!: 12 terms each reach 1e-40 for |x| <= 1.
_AIRY_F = [float(Fraction(math.prod(range(1, 3 * k, 3)), math.factorial(3 * k))) for k in range(12)]
_AIRY_G = [
    float(Fraction(math.prod(range(2, 3 * k + 1, 3)), math.factorial(3 * k + 1))) for k in range(12)
]
_AIRY_AT_ZERO = 3 ** (-2 / 3) / math.gamma(2 / 3)
_AIRY_SLOPE_AT_ZERO = -(3 ** (-1 / 3)) / math.gamma(1 / 3)


def airy_ai_array(x):
    """Airy's Ai(x), the solution of y'' = x y that decays as x -> inf.

    |x| <= 1: the Maclaurin series above (at most half a digit cancels). With
    zeta = 2/3 |x|^(3/2), Ai(x) = sqrt(x/3) K_(1/3)(zeta) / pi = e^-zeta F(zeta, 1) / (2 sqrt(pi)
    x^(1/4)) for x > 1 and Ai(-x) = sqrt(x/3) Re(e^(i pi/6) H_(1/3)(zeta)) = Re(e^(i (zeta -
    pi/4)) F(zeta, i)) / (sqrt(pi) x^(1/4)) for x > 1 (DLMF 9.6.1, 9.6.6), with F =
    ``hankel_integral`` of order 1/3. NaN at +-inf, as PyTorch (the limits are 0); for x
    beyond -5e205, zeta overflows and Ai is NaN too (its phase is meaningless long before).
    """
    out = np.full_like(x, np.nan)
    small = np.abs(x) <= _AIRY_SMALL
    part = x[small]
    cube = part * part * part
    out[small] = _AIRY_AT_ZERO * horner(_AIRY_F, cube) + _AIRY_SLOPE_AT_ZERO * part * horner(
        _AIRY_G, cube
    )
    positive = (x > _AIRY_SMALL) & (x < np.inf)  # (Ai(inf) stays NaN)
    part = x[positive]
    with np.errstate(over="ignore"):  # zeta overflows to inf beyond 3e205: Ai is 0 there
        zeta = 2 / 3 * part * np.sqrt(part)
    decay = np.exp(-zeta) / (2 * math.sqrt(math.pi) * np.sqrt(np.sqrt(part)))
    out[positive] = decay * hankel_integral(zeta, 1 / 3, False)
    negative = x < -_AIRY_SMALL
    part = -x[negative]
    with np.errstate(over="ignore", invalid="ignore"):  # inf zeta: a NaN phase, the answer
        zeta = 2 / 3 * part * np.sqrt(part)
        wave = (np.cos(zeta) + 1j * np.sin(zeta)) * np.exp(-0.25j * math.pi)
        integral = hankel_integral(zeta, 1 / 3, True)
    out[negative] = (wave * integral).real / (math.sqrt(math.pi) * np.sqrt(np.sqrt(part)))
    return out
