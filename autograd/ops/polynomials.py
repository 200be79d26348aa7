"""torch.special's orthogonal polynomials: Chebyshev T, U, V, W (and shifted to [0, 1]),
Hermite H and He, Laguerre L and Legendre P, each ``f(input, n)`` for a degree n.

These are plain functions, not registered Functions: PyTorch defines no derivative for them
(``backward`` through one raises there, and their outputs have no ``grad_fn``), so here too
the result is a new tensor that never requires grad, whatever its inputs require.

As PyTorch 2.13 computes them:

- ``input`` and ``n`` are Tensors, or one of them a Python number; they broadcast, and the
  result has their promoted dtype, integers and bools giving the default float dtype
  (float16 is refused, as PyTorch has no such kernel on the CPU).
- n is converted to that dtype and then truncated toward zero (2.7 is 2, -0.5 is 0); a
  negative degree gives 0, and so do NaN, +-inf and |n| >= 2**63 (x86's int64 cast makes
  them the most negative int64).
- P_n(x) is the three-term recurrence from P_0 = 1 and P_1, run in the result dtype, with two
  shortcuts: the exact values at x = +-1 (Chebyshev, Legendre) and L_n(0) = 1, which spare
  a loop of n steps; and for Chebyshev polynomials inside (-1, 1) past a degree, the
  trigonometric forms in t = arccos x (T_n = cos(n t) past degree 6; U, V, W past 8;
  shifted: past 6, W past 4).

The recurrence is vectorised across elements, each stopping at its own degree: the elements
are sorted by degree, so the ones still climbing at step k are a suffix of one array. The
cost is a few NumPy operations per degree, so n in the millions takes seconds (PyTorch's
compiled loop takes milliseconds). Where PyTorch differs: its loop fuses multiply-adds, so
values agree to rounding, not to the bit (and within a rounding of float32's largest value
one may overflow where the other does not); for a NaN input and n >= 2 some of its kernels
return an uninitialised value (often a neighbour's result), where this gives NaN.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from .. import dtypes
from ..tensor import Tensor
from .arithmetic import broadcast_error
from .common import require_tensor, tensor_or_number_arg


class _Family(NamedTuple):
    """P_0 = 1, P_1 = first(x), P_k = step(k, x, P_{k-1}, P_{k-2}) for k >= 2; optionally
    the values at points x0 known without it, P_n(x0) = (+-1)^n (slope n + 1) for each
    (x0, slope, alternating) in ``points``, and a closed form angle(t, n) in t = arccos x
    used inside (-1, 1) for n > after."""

    first: Callable
    step: Callable
    points: tuple = ()
    angle: Callable = None
    after: int = 0
    shifted: bool = False  # evaluated at 2x - 1: the polynomial on [0, 1]


def _alternating(n, dtype):
    """(-1)^n for int64 degrees n >= 0, in ``dtype``."""
    return np.where(n % 2 == 0, 1, -1).astype(dtype)


def _known(n, slope, alternating, dtype):
    """slope n + 1, times (-1)^n if alternating, for int64 degrees n >= 0, in ``dtype``."""
    value = (slope * n + 1).astype(dtype)
    return _alternating(n, dtype) * value if alternating else value


def _chebyshev_step(k, y, current, previous):
    return (y + y) * current - previous


def _angle_t(t, n):
    """T_n = cos(n t)."""
    return np.cos(n.astype(t.dtype) * t)


def _angle_u(t, n):
    """U_n = sin((n + 1) t) / sin t (sin t is never 0 for |y| < 1 in floats)."""
    return np.sin((n + 1).astype(t.dtype) * t) / np.sin(t)


def _angle_v(t, n):
    """V_n = cos((n + 1/2) t) / cos(t/2); where sin(t/2) rounds to 1, y is within rounding
    of -1 and PyTorch gives V_n(-1) = (-1)^n (2n + 1)."""
    half = t / 2
    value = np.cos((n.astype(t.dtype) + t.dtype.type(0.5)) * t) / np.cos(half)
    return np.where(np.sin(half) == 1, _known(n, 2, True, t.dtype), value)


def _angle_w(t, n):
    """W_n = sin((n + 1/2) t) / sin(t/2); where cos(t/2) rounds to 1, y is within rounding
    of 1 and PyTorch gives W_n(1) = 2n + 1."""
    half = t / 2
    value = np.sin((n.astype(t.dtype) + t.dtype.type(0.5)) * t) / np.sin(half)
    return np.where(np.cos(half) == 1, _known(n, 2, False, t.dtype), value)


_ENDS_T = ((1, 0, False), (-1, 0, True))  # T_n(1) = 1, T_n(-1) = (-1)^n; Legendre's too
_CHEBYSHEV_T = _Family(np.copy, _chebyshev_step, _ENDS_T, _angle_t, 6)
_ENDS_U = ((1, 1, False), (-1, 1, True))
_CHEBYSHEV_U = _Family(lambda y: y + y, _chebyshev_step, _ENDS_U, _angle_u, 8)
_ENDS_V = ((1, 0, False), (-1, 2, True))
_CHEBYSHEV_V = _Family(lambda y: y + y - 1, _chebyshev_step, _ENDS_V, _angle_v, 8)
_ENDS_W = ((1, 2, False), (-1, 0, True))
_CHEBYSHEV_W = _Family(lambda y: y + y + 1, _chebyshev_step, _ENDS_W, _angle_w, 8)
# on [0, 1]: the same at 2x - 1, the closed forms from other degrees on (as PyTorch)
_SHIFTED_T = _CHEBYSHEV_T._replace(shifted=True)
_SHIFTED_U = _CHEBYSHEV_U._replace(shifted=True, after=6)
_SHIFTED_V = _CHEBYSHEV_V._replace(shifted=True, after=6)
_SHIFTED_W = _CHEBYSHEV_W._replace(shifted=True, after=4)


def _hermite_h_step(k, x, current, previous):
    return (x + x) * current - (2 * k - 2) * previous


def _hermite_he_step(k, x, current, previous):
    return x * current - (k - 1) * previous


def _laguerre_step(k, x, current, previous):
    return ((2 * k - 2 + (1 - x)) * current - (k - 1) * previous) / k


def _legendre_step(k, x, current, previous):
    return ((2 * k - 1) * x * current - (k - 1) * previous) / k


_HERMITE_H = _Family(lambda x: x + x, _hermite_h_step)
_HERMITE_HE = _Family(np.copy, _hermite_he_step)
_LAGUERRE_L = _Family(lambda x: 1 - x, _laguerre_step, ((0, 0, False),))  # L_n(0) = 1
_LEGENDRE_P = _Family(np.copy, _legendre_step, _ENDS_T)


def _degrees(n):
    """Float degrees as PyTorch's int64 cast takes them: truncated toward 0, with NaN, +-inf
    and |n| >= 2**63 negative (then P_n is 0)."""
    with np.errstate(invalid="ignore"):
        valid = np.abs(n) < 2.0**63
    return np.trunc(np.where(valid, n, -1)).astype(np.int64)


def _climb(family, x, n):
    """P_n(x) by the recurrence, for 1-d x and degrees n >= 0 of one length.

    Sorted by degree, the elements that need P_k are those from ``start`` on; each keeps its
    last P_k. A NaN stays NaN, so once all those still climbing are NaN the loop ends (PyTorch's
    stops on NaN too: T_n(2) for n = 2**62 is NaN at once there)."""
    order = np.argsort(n, kind="stable")
    x, n = x[order], n[order]
    previous, current = np.ones_like(x), family.first(x)
    for k in range(2, int(n[-1]) + 1 if n.size else 0):
        start = np.searchsorted(n, k)
        following = family.step(k, x[start:], current[start:], previous[start:])
        previous[start:] = current[start:]
        current[start:] = following
        if np.isnan(following).all():
            break
    out = np.empty_like(x)
    out[order] = np.where(n == 0, 1, current)
    return out


def _evaluate(family, x, n):
    """P_n(x) for 1-d float x and int64 degrees n of one length: 0 for n < 0, the shortcuts
    where they apply (first match), the recurrence for the rest."""
    out = np.zeros_like(x)
    if family.shifted:
        x = x + x - 1
    todo = np.flatnonzero(n >= 0)
    for point, slope, alternating in family.points:
        at = x[todo] == point
        chosen, todo = todo[at], todo[~at]
        out[chosen] = _known(n[chosen], slope, alternating, x.dtype)
    if family.angle is not None:
        inside = (n[todo] > family.after) & (np.abs(x[todo]) < 1)
        chosen, todo = todo[inside], todo[~inside]
        out[chosen] = family.angle(np.arccos(x[chosen]), n[chosen])
    out[todo] = _climb(family, x[todo], n[todo])
    return out


def _polynomial(family, op, input, n):  # noqa: A002 - PyTorch's parameter name
    """The public functions' body: arguments checked, converted, broadcast, evaluated."""
    tensor_or_number_arg(input, "input", op)
    tensor_or_number_arg(n, "n", op)
    require_tensor(op, input, n)
    dtype = dtypes.float_result_type(input, n)
    if dtype == np.float16:
        raise NotImplementedError(f"\"{op}\" not implemented for 'Half' (float16 operands)")
    arrays = [np.asarray(v.data if isinstance(v, Tensor) else v, dtype) for v in (input, n)]
    try:
        x, degree = np.broadcast_arrays(*arrays)
    except ValueError:
        raise broadcast_error(op, input, n) from None
    with np.errstate(all="ignore"):  # overflow to inf and NaN happen silently, as in PyTorch
        out = _evaluate(family, x.ravel(), _degrees(degree.ravel()))
    return Tensor._make(out.reshape(x.shape))


def chebyshev_polynomial_t(input, n):  # noqa: A002
    """T_n(input), Chebyshev's first kind: T_0 = 1, T_1 = x, T_{k+1} = 2x T_k - T_{k-1}
    (T_n(cos t) = cos(n t)). Elementwise over input and n broadcast; not differentiable.

    >>> ag.special.chebyshev_polynomial_t(ag.tensor([0.5, 2.0]), 3)
    tensor([-1., 26.])
    """
    return _polynomial(_CHEBYSHEV_T, "chebyshev_polynomial_t", input, n)


def chebyshev_polynomial_u(input, n):  # noqa: A002
    """U_n(input), Chebyshev's second kind: U_0 = 1, U_1 = 2x, U_{k+1} = 2x U_k - U_{k-1}
    (U_n(cos t) = sin((n + 1) t) / sin t). Not differentiable.

    >>> ag.special.chebyshev_polynomial_u(ag.tensor([0.5, 2.0]), 3)
    tensor([-1., 56.])
    """
    return _polynomial(_CHEBYSHEV_U, "chebyshev_polynomial_u", input, n)


def chebyshev_polynomial_v(input, n):  # noqa: A002
    """V_n(input), Chebyshev's third kind: V_0 = 1, V_1 = 2x - 1, V_{k+1} = 2x V_k - V_{k-1}
    (V_n(cos t) = cos((n + 1/2) t) / cos(t/2)). Not differentiable.

    >>> ag.special.chebyshev_polynomial_v(ag.tensor([0.5, 2.0]), 3)
    tensor([-1., 41.])
    """
    return _polynomial(_CHEBYSHEV_V, "chebyshev_polynomial_v", input, n)


def chebyshev_polynomial_w(input, n):  # noqa: A002
    """W_n(input), Chebyshev's fourth kind: W_0 = 1, W_1 = 2x + 1, W_{k+1} = 2x W_k - W_{k-1}
    (W_n(cos t) = sin((n + 1/2) t) / sin(t/2)). Not differentiable.

    >>> ag.special.chebyshev_polynomial_w(ag.tensor([0.5, 2.0]), 3)
    tensor([-1., 71.])
    """
    return _polynomial(_CHEBYSHEV_W, "chebyshev_polynomial_w", input, n)


def shifted_chebyshev_polynomial_t(input, n):  # noqa: A002
    """T*_n(input) = T_n(2 input - 1), Chebyshev's first kind on [0, 1]. Not differentiable.

    >>> ag.special.shifted_chebyshev_polynomial_t(ag.tensor([0.75, 1.5]), 3)
    tensor([-1., 26.])
    """
    return _polynomial(_SHIFTED_T, "shifted_chebyshev_polynomial_t", input, n)


def shifted_chebyshev_polynomial_u(input, n):  # noqa: A002
    """U*_n(input) = U_n(2 input - 1), Chebyshev's second kind on [0, 1]. Not differentiable.

    >>> ag.special.shifted_chebyshev_polynomial_u(ag.tensor([0.75, 1.5]), 3)
    tensor([-1., 56.])
    """
    return _polynomial(_SHIFTED_U, "shifted_chebyshev_polynomial_u", input, n)


def shifted_chebyshev_polynomial_v(input, n):  # noqa: A002
    """V*_n(input) = V_n(2 input - 1), Chebyshev's third kind on [0, 1]. Not differentiable.

    >>> ag.special.shifted_chebyshev_polynomial_v(ag.tensor([0.75, 1.5]), 3)
    tensor([-1., 41.])
    """
    return _polynomial(_SHIFTED_V, "shifted_chebyshev_polynomial_v", input, n)


def shifted_chebyshev_polynomial_w(input, n):  # noqa: A002
    """W*_n(input) = W_n(2 input - 1), Chebyshev's fourth kind on [0, 1]. Not differentiable.

    >>> ag.special.shifted_chebyshev_polynomial_w(ag.tensor([0.75, 1.5]), 3)
    tensor([-1., 71.])
    """
    return _polynomial(_SHIFTED_W, "shifted_chebyshev_polynomial_w", input, n)


def hermite_polynomial_h(input, n):  # noqa: A002
    """H_n(input), the physicists' Hermite polynomial: H_0 = 1, H_1 = 2x,
    H_{k+1} = 2x H_k - 2k H_{k-1}. Not differentiable.

    >>> ag.special.hermite_polynomial_h(ag.tensor([0.5, 2.0]), 3)
    tensor([-5., 40.])
    """
    return _polynomial(_HERMITE_H, "hermite_polynomial_h", input, n)


def hermite_polynomial_he(input, n):  # noqa: A002
    """He_n(input), the probabilists' Hermite polynomial: He_0 = 1, He_1 = x,
    He_{k+1} = x He_k - k He_{k-1}. Not differentiable.

    >>> ag.special.hermite_polynomial_he(ag.tensor([0.5, 2.0]), 3)
    tensor([-1.375,  2.   ])
    """
    return _polynomial(_HERMITE_HE, "hermite_polynomial_he", input, n)


def laguerre_polynomial_l(input, n):  # noqa: A002
    """L_n(input), the Laguerre polynomial: L_0 = 1, L_1 = 1 - x,
    (k + 1) L_{k+1} = (2k + 1 - x) L_k - k L_{k-1}. Not differentiable.

    >>> ag.special.laguerre_polynomial_l(ag.tensor([0.5, 2.0]), 3)
    tensor([-0.14583333, -0.33333334])
    """
    return _polynomial(_LAGUERRE_L, "laguerre_polynomial_l", input, n)


def legendre_polynomial_p(input, n):  # noqa: A002
    """P_n(input), the Legendre polynomial: P_0 = 1, P_1 = x,
    (k + 1) P_{k+1} = (2k + 1) x P_k - k P_{k-1}. Not differentiable.

    >>> ag.special.legendre_polynomial_p(ag.tensor([0.5, 2.0]), 3)
    tensor([-0.4375, 17.    ])
    """
    return _polynomial(_LEGENDRE_P, "legendre_polynomial_p", input, n)
