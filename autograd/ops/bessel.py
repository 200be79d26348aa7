"""Bessel and Airy functions: torch.special's i0, i0e, i1, i1e (differentiable: registered
ops whose gradients are made of the same ops, so every order of derivative works) and
bessel_j0, bessel_j1, bessel_y0, bessel_y1, modified_bessel_i0, modified_bessel_i1,
modified_bessel_k0, modified_bessel_k1, scaled_modified_bessel_k0, scaled_modified_bessel_k1,
spherical_bessel_j0 and airy_ai.

The latter twelve have no derivative in PyTorch: their outputs have no grad_fn and never
require grad, even for an input that does; here too (plain functions, no op). PyTorch has
them for float32 and float64 only (float16 is a NotImplementedError naming the kernel);
i0 and kin take float16 too. Every function computes in float64 and rounds to the input's
float dtype; integer and bool inputs give the default float dtype. The kernels, their
accuracy and the values at 0, inf, NaN and negative arguments (PyTorch's) are in
``bessel_numerics.py``.
"""

from functools import partial

import numpy as np

from ..tensor import Tensor
from .bessel_numerics import (
    airy_ai_array,
    bessel_i_array,
    bessel_j_array,
    bessel_k_array,
    bessel_y_array,
    scaled_bessel_i_array,
    scaled_bessel_k_array,
    spherical_bessel_j0_array,
)
from .common import as_tensor_arg
from .elementwise import sign
from .registry import register
from .selection import where
from .special import SavedInputInFloat64, in_float64


@register
class I0(SavedInputInFloat64):
    """out = I_0(x), the modified Bessel function of order 0; dx = g I_1(x)"""

    kernel = partial(bessel_i_array, 0)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * I1.apply(x)


@register
class I0e(SavedInputInFloat64):
    """out = e^-|x| I_0(x); dx = g (i1e(x) - sign(x) i0e(x))"""

    kernel = partial(scaled_bessel_i_array, 0)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * (I1e.apply(x) - sign(x) * I0e.apply(x))


@register
class I1(SavedInputInFloat64):
    """out = I_1(x); dx = g (I_0(x) - I_1(x) / x), g/2 where |x| <= eps (see _near_zero)"""

    kernel = partial(bessel_i_array, 1)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        away, safe = _near_zero(x)
        slope = I0.apply(safe) - I1.apply(safe) / safe
        return grad_output * where(away, slope, 0.5)


@register
class I1e(SavedInputInFloat64):
    """out = e^-|x| I_1(x); dx = g (i0e(x) - i1e(x) / x - sign(x) i1e(x)), g/2 where
    |x| <= eps (see _near_zero)"""

    kernel = partial(scaled_bessel_i_array, 1)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        away, safe = _near_zero(x)
        scaled = I1e.apply(safe)
        slope = I0e.apply(safe) - scaled / safe - sign(safe) * scaled
        return grad_output * where(away, slope, 0.5)


def _near_zero(x):
    """(away, safe): the mask |x| > eps of x's dtype and x with 1 elsewhere. I_1's slope
    there is 1/2 (its limit at 0, exact to the last digit below eps), as PyTorch's, which
    takes NaN for 'not away' too; ``safe`` keeps the masked 0/0 out of second derivatives."""
    away = x.abs() > float(np.finfo(x.data.dtype).eps)
    return away, where(away, x, 1.0)


def i0(input):  # noqa: A002 - PyTorch's parameter name
    """The modified Bessel function of the first kind of order 0, elementwise.

    >>> ag.special.i0(ag.tensor([0.0, 1.0, -2.0]))
    tensor([1.       , 1.2660658, 2.2795854])
    """
    return I0.apply(as_tensor_arg(input, "input", "i0"))


def i0e(input):  # noqa: A002
    """e^-|input| I_0(input), elementwise: I_0 without its overflow.

    >>> ag.special.i0e(ag.tensor([0.0, 1000.0]))
    tensor([1.        , 0.01261724])
    """
    return I0e.apply(as_tensor_arg(input, "input", "i0e"))


def i1(input):  # noqa: A002
    """The modified Bessel function of the first kind of order 1, elementwise (odd).

    >>> ag.special.i1(ag.tensor([0.0, 1.0, -2.0]))
    tensor([ 0.       ,  0.5651591, -1.5906368])
    """
    return I1.apply(as_tensor_arg(input, "input", "i1"))


def i1e(input):  # noqa: A002
    """e^-|input| I_1(input), elementwise.

    >>> ag.special.i1e(ag.tensor([1.0, -1000.0]))
    tensor([ 0.20791042, -0.01261093])
    """
    return I1e.apply(as_tensor_arg(input, "input", "i1e"))


def _untracked(kernel, value, name, parameter="input"):
    """A function PyTorch does not differentiate: the kernel's values as a Tensor outside
    any graph; PyTorch's NotImplementedError for float16 (its kernels stop there)."""
    as_tensor_arg(value, parameter, name)
    if value.data.dtype == np.float16:
        raise NotImplementedError(f"\"{name}_cpu\" not implemented for 'Half'")
    return Tensor._make(in_float64(kernel, value))


def bessel_j0(input):  # noqa: A002
    """J_0, the Bessel function of the first kind of order 0, elementwise; no gradient.

    >>> ag.special.bessel_j0(ag.tensor([0.0, 2.0, 100.0]))
    tensor([1.        , 0.22389078, 0.01998585])
    """
    return _untracked(partial(bessel_j_array, 0), input, "bessel_j0")


def bessel_j1(input):  # noqa: A002
    """J_1, the Bessel function of the first kind of order 1, elementwise; no gradient.

    >>> ag.special.bessel_j1(ag.tensor([0.0, 2.0, -2.0]))
    tensor([ 0.       ,  0.5767248, -0.5767248])
    """
    return _untracked(partial(bessel_j_array, 1), input, "bessel_j1")


def bessel_y0(input):  # noqa: A002
    """Y_0, the Bessel function of the second kind of order 0 (-inf at 0, NaN below);
    no gradient.

    >>> ag.special.bessel_y0(ag.tensor([0.0, 1.0, -1.0]))
    tensor([      -inf, 0.08825696,        nan])
    """
    return _untracked(partial(bessel_y_array, 0), input, "bessel_y0")


def bessel_y1(input):  # noqa: A002
    """Y_1, the Bessel function of the second kind of order 1 (-inf at 0, NaN below);
    no gradient.

    >>> ag.special.bessel_y1(ag.tensor([0.0, 1.0, 3.0]))
    tensor([       -inf, -0.7812128 ,  0.32467443])
    """
    return _untracked(partial(bessel_y_array, 1), input, "bessel_y1")


def modified_bessel_i0(input):  # noqa: A002
    """I_0, as ``i0`` but without a gradient (as in PyTorch).

    >>> ag.special.modified_bessel_i0(ag.tensor([0.0, 1.0]))
    tensor([1.       , 1.2660658])
    """
    return _untracked(partial(bessel_i_array, 0), input, "modified_bessel_i0")


def modified_bessel_i1(input):  # noqa: A002
    """I_1, as ``i1`` but without a gradient (as in PyTorch).

    >>> ag.special.modified_bessel_i1(ag.tensor([0.0, 1.0]))
    tensor([0.       , 0.5651591])
    """
    return _untracked(partial(bessel_i_array, 1), input, "modified_bessel_i1")


def modified_bessel_k0(input):  # noqa: A002
    """K_0, the modified Bessel function of the second kind of order 0 (inf at 0, NaN below);
    no gradient.

    >>> ag.special.modified_bessel_k0(ag.tensor([0.0, 1.0, 10.0]))
    tensor([          inf, 4.2102444e-01, 1.7780063e-05])
    """
    return _untracked(partial(bessel_k_array, 0), input, "modified_bessel_k0")


def modified_bessel_k1(input):  # noqa: A002
    """K_1, the modified Bessel function of the second kind of order 1 (inf at 0, NaN below);
    no gradient.

    >>> ag.special.modified_bessel_k1(ag.tensor([1.0, 10.0]))
    tensor([6.0190725e-01, 1.8648774e-05])
    """
    return _untracked(partial(bessel_k_array, 1), input, "modified_bessel_k1")


def scaled_modified_bessel_k0(x):
    """e^x K_0(x), elementwise: K_0 without its underflow; no gradient.

    >>> ag.special.scaled_modified_bessel_k0(ag.tensor([1.0, 1000.0]))
    tensor([1.1444631 , 0.03962832])
    """
    return _untracked(partial(scaled_bessel_k_array, 0), x, "scaled_modified_bessel_k0", "x")


def scaled_modified_bessel_k1(x):
    """e^x K_1(x), elementwise; no gradient.

    >>> ag.special.scaled_modified_bessel_k1(ag.tensor([1.0, 1000.0]))
    tensor([1.6361535 , 0.03964813])
    """
    return _untracked(partial(scaled_bessel_k_array, 1), x, "scaled_modified_bessel_k1", "x")


def spherical_bessel_j0(x):
    """The spherical Bessel function j_0(x) = sin(x) / x, 1 at 0; no gradient.

    >>> ag.special.spherical_bessel_j0(ag.tensor([0.0, 3.0]))
    tensor([1.     , 0.04704])
    """
    return _untracked(spherical_bessel_j0_array, x, "spherical_bessel_j0", "x")


def airy_ai(x):
    """Airy's function Ai, the solution of y'' = x y that vanishes as x -> inf; no gradient.

    >>> ag.special.airy_ai(ag.tensor([0.0, 2.0, -2.0]))
    tensor([0.35502806, 0.03492413, 0.22740743])
    """
    return _untracked(airy_ai_array, x, "airy_ai", "x")
