"""The Bessel and Airy functions (autograd/ops/bessel.py): values against 40-digit mpmath over
wide ranges and across the kernels' method switches, and against PyTorch for semantics:
0, +-inf, NaN, negative arguments, dtypes, which have gradients (and their values, first
and second order), errors.

Where the two differ, ours is the one that agrees with mpmath: PyTorch's float64 J0, J1, Y0
and Y1 err by up to 1e-6 between x = 2.8 and 14.4 and lose the phase x - pi/4 for large x
(its rounding is 1e-16 x); its Ai errs by up to 3e-6 for x < -2.09; its I0 and I1 overflow
from 709.78, not 713.98; its K0, K1 are inf and NaN at x = 5e-324 (ours: 744.56 and inf);
its Ai is 0 from 103.9 on, where ours is the subnormal true value. Comparisons with PyTorch
use PyTorch's accuracy.
"""

import math

import numpy as np
import pytest

import autograd as ag

torch = pytest.importorskip("torch")

INF, NAN = math.inf, math.nan
rng = np.random.default_rng(17)
# where the kernels switch methods (power series, Hankel's integral, asymptotic series)
EDGES = np.array([1.0, 2.0, 20.0])
EDGES = np.concatenate([EDGES, np.nextafter(EDGES, 0), np.nextafter(EDGES, INF)])
POSITIVE = np.concatenate([10 ** rng.uniform(-8, 2.5, 60), rng.uniform(0, 30, 40), EDGES])
BOTH_SIGNS = np.concatenate([POSITIVE, -POSITIVE[::2]])
AIRY = np.concatenate([rng.uniform(-30, 30, 150), EDGES, -EDGES])

EXACT = {  # name: (the mpmath function of an mpf, its domain, how the error is measured)
    "i0": (lambda m, x: m.besseli(0, x), BOTH_SIGNS, "relative"),
    "i1": (lambda m, x: m.besseli(1, x), BOTH_SIGNS, "relative"),
    "i0e": (lambda m, x: m.besseli(0, x) * m.exp(-abs(x)), BOTH_SIGNS, "relative"),
    "i1e": (lambda m, x: m.besseli(1, x) * m.exp(-abs(x)), BOTH_SIGNS, "relative"),
    "modified_bessel_i0": (lambda m, x: m.besseli(0, x), POSITIVE, "relative"),
    "modified_bessel_i1": (lambda m, x: m.besseli(1, x), POSITIVE, "relative"),
    "modified_bessel_k0": (lambda m, x: m.besselk(0, x), POSITIVE, "relative"),
    "modified_bessel_k1": (lambda m, x: m.besselk(1, x), POSITIVE, "relative"),
    "scaled_modified_bessel_k0": (lambda m, x: m.besselk(0, x) * m.exp(x), POSITIVE, "relative"),
    "scaled_modified_bessel_k1": (lambda m, x: m.besselk(1, x) * m.exp(x), POSITIVE, "relative"),
    "bessel_j0": (lambda m, x: m.besselj(0, x), BOTH_SIGNS, "envelope"),
    "bessel_j1": (lambda m, x: m.besselj(1, x), BOTH_SIGNS, "envelope"),
    "bessel_y0": (lambda m, x: m.bessely(0, x), POSITIVE, "envelope"),
    "bessel_y1": (lambda m, x: m.bessely(1, x), POSITIVE, "envelope"),
    "spherical_bessel_j0": (lambda m, x: m.sin(x) / x, BOTH_SIGNS, "envelope"),
    "airy_ai": (lambda m, x: m.airyai(x), AIRY, "envelope"),
}
NAMES = list(EXACT)
DIFFERENTIABLE = ["i0", "i0e", "i1", "i1e"]


def special(lib, name):
    """The function ``name`` of ag.special or torch.special."""
    return getattr(lib.special, name)


def envelope(name, x, exact):
    """The size an oscillating function's error is measured against: its amplitude near x
    (sqrt(2 / (pi x)) for J and Y, |x|^(-1/4) / sqrt(pi) for Ai), or |f(x)| where larger."""
    magnitude = np.abs(x)
    with np.errstate(divide="ignore"):
        if name == "airy_ai":
            amplitude = np.where(x < 0, magnitude**-0.25 / math.sqrt(math.pi), 0.0)
        else:
            amplitude = np.minimum(1.0, np.sqrt(2 / (math.pi * magnitude)))
    return np.maximum(amplitude, np.abs(exact))


def mpmath_errors(name, points):
    """|ours - exact| at the points, relative or to the envelope as EXACT says."""
    mpmath = pytest.importorskip("mpmath")
    exact_fn, _, measure = EXACT[name]
    with mpmath.workdps(40):
        exact = np.array([float(exact_fn(mpmath, mpmath.mpf(x))) for x in points])
    ours = special(ag, name)(ag.tensor(points)).numpy()
    scale = np.abs(exact) if measure == "relative" else envelope(name, points, exact)
    return np.abs(ours - exact) / scale


@pytest.mark.parametrize("name", NAMES)
def test_values_against_mpmath(name):
    """A few ulp everywhere: relative, or of the envelope where J, Y and Ai oscillate; Ai's
    e^(-2/3 x^(3/2)) for x up to 30 has condition number x^(3/2), ~160, hence its 1e-13."""
    points = EXACT[name][1]
    error = mpmath_errors(name, points)
    assert error.max() < (1e-13 if name == "airy_ai" else 4e-15), points[error.argmax()]


LARGE = np.array([50.0, 1e5, 1e10, 1e15, 1e20, 1e100, 1e300])


BOUNDED = ["bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1", "i0e", "i1e", "spherical_bessel_j0"]


@pytest.mark.parametrize(
    "name", [*BOUNDED, "scaled_modified_bessel_k0", "scaled_modified_bessel_k1"]
)
def test_large_arguments_against_mpmath(name):
    """J and Y keep their phase: sin and cos are taken of x itself (NumPy reduces them
    exactly), not of the rounded x - pi/4."""
    assert mpmath_errors(name, LARGE).max() < 4e-15


def test_i0_and_i1_are_finite_until_they_overflow():
    """e^x overflows from x = 709.78, I_0(x) only from 713.98: PyTorch gives inf before."""
    mpmath = pytest.importorskip("mpmath")
    x = np.array([709.0, 710.0, 712.0, 713.9, 713.98, 714.0, 1e300])
    for order, name in enumerate(["i0", "i1"]):
        exact = np.array([float(mpmath.besseli(order, mpmath.mpf(v))) for v in x[:-2]])
        ours = special(ag, name)(ag.tensor(np.concatenate([x, -x]))).numpy()
        np.testing.assert_allclose(ours[: len(x) - 2], exact, rtol=1e-14)
        assert np.all(ours[len(x) - 2 : len(x)] == INF)
        assert np.all(ours[len(x) :] == ours[: len(x)] * (-1) ** order)


# ---- against PyTorch ------------------------------------------------------------------

SPECIAL = np.array(
    [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, -1.5, 1e-300, -1e-300, 1e-310, 40.0, -40.0, 1e6,
     -1e6, 1e300, -1e300, INF, -INF, NAN]
)  # fmt: skip
# PyTorch's accuracy (see the module docstring): absolute for J, Y and Ai, relative else
TORCH_ATOL = {"bessel_j0": 2e-6, "bessel_j1": 2e-6, "bessel_y0": 2e-6, "bessel_y1": 2e-6}
TORCH_ATOL["airy_ai"] = 5e-6
WIDE = np.concatenate([10 ** rng.uniform(-300, 2.8, 200), rng.uniform(0, 40, 200)])
WIDE = np.concatenate([WIDE, -WIDE, EDGES, -EDGES, [709.0, -709.0]])


@pytest.mark.parametrize("points", [SPECIAL, WIDE], ids=["special", "wide"])
@pytest.mark.parametrize("name", NAMES)
def test_values_as_torch(name, points):
    """Same NaN, inf and signed-zero pattern (NaN below 0 for Y and K, NaN at +-inf for J,
    Y, I and Ai, as PyTorch), values to PyTorch's accuracy. J, Y and Ai of 1e300 are left
    out: there PyTorch's phase is lost (see test_large_arguments_keep_their_phase)."""
    if name.startswith("bessel") or name == "airy_ai":
        points = points[np.abs(points) < 1e10]
    ours = special(ag, name)(ag.tensor(points)).numpy()
    theirs = special(torch, name)(torch.tensor(points)).numpy()
    assert ours.dtype == theirs.dtype == np.float64
    np.testing.assert_allclose(ours, theirs, rtol=1e-13, atol=TORCH_ATOL.get(name, 1e-300))
    zero = theirs == 0
    assert np.all(np.signbit(ours[zero]) == np.signbit(theirs[zero])), points[zero]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", ["float32", "int64", "int32", "uint8", "bool"])
def test_dtypes_as_torch(name, dtype):
    """float32 stays float32 (computed in float64 and rounded: closer to the true values
    than PyTorch's float32 kernels), integers and bools give the default float dtype."""
    values = np.array([[0, 1, 2], [3, 1, 0]]).astype(dtype)
    ours = special(ag, name)(ag.tensor(values))
    theirs = special(torch, name)(torch.tensor(values))
    assert ours.dtype == ag.float32 and theirs.dtype == torch.float32
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=2e-6, atol=1e-6)


def test_integers_follow_the_default_dtype():
    ag.set_default_dtype(ag.float64)
    for name in NAMES:
        assert special(ag, name)(ag.tensor([1, 2])).dtype == ag.float64


@pytest.mark.parametrize("name", NAMES)
def test_float16_as_torch(name):
    """i0 and kin take float16 (ours rounded from float64, PyTorch's from float32: equal or
    an ulp apart); PyTorch's other kernels stop at float32, and so do ours, with its error."""
    values = np.array([0.0, 0.5, -1.25, 3.0, 10.0], np.float16)
    if name not in DIFFERENTIABLE:
        for lib in (ag, torch):
            with pytest.raises(NotImplementedError, match=f'"{name}_cpu" not implemented for'):
                special(lib, name)(lib.tensor(values))
        return
    ours = special(ag, name)(ag.tensor(values))
    theirs = special(torch, name)(torch.tensor(values))
    assert ours.dtype == ag.float16 and theirs.dtype == torch.float16
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-3)


@pytest.mark.parametrize("shape", [(), (0,), (2, 0, 3), (2, 3)])
@pytest.mark.parametrize("name", NAMES)
def test_shapes_0d_and_empty(name, shape):
    values = rng.uniform(0.2, 1.8, shape)
    ours = special(ag, name)(ag.tensor(values))
    theirs = special(torch, name)(torch.tensor(values))
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", [name for name in NAMES if name not in DIFFERENTIABLE])
def test_no_gradient_as_torch(name):
    """PyTorch records no node for these, even for an input that requires grad."""
    for lib in (ag, torch):
        x = lib.tensor([0.5, 2.0], requires_grad=True)
        out = special(lib, name)(x * 2)
        assert out.grad_fn is None and not out.requires_grad


# ---- gradients of i0, i0e, i1, i1e ---------------------------------------------------------


def grads(name, points, create_graph=False):
    """[(out, d out.sum() / dx, x)] for autograd and torch."""
    results = []
    for lib in (ag, torch):
        x = lib.tensor(points, requires_grad=True)
        out = special(lib, name)(x)
        grad_fn = ag.grad if lib is ag else torch.autograd.grad
        (grad,) = grad_fn(out.sum(), [x], create_graph=create_graph)
        results.append((out, grad, x))
    return results


GRADIENT_POINTS = np.concatenate(
    [WIDE[np.abs(WIDE) < 700][::4], [0.0, -0.0, 1e-17, -1e-17, 3e-16, 1e-8, INF, -INF, NAN]]
)


@pytest.mark.parametrize("name", DIFFERENTIABLE)
def test_gradients_as_torch(name):
    """i0' = i1, i1' = i0 - i1/x (1/2 where |x| <= eps, and at NaN, as PyTorch's), i0e' =
    i1e - sign(x) i0e, i1e' = i0e - i1e/x - sign(x) i1e."""
    (_, ours, _), (_, theirs, _) = grads(name, GRADIENT_POINTS)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-13, atol=1e-300)


@pytest.mark.parametrize("name", DIFFERENTIABLE)
def test_second_derivatives_as_torch(name):
    points = np.concatenate([rng.uniform(-30, 30, 40), [0.5, -2.0, 19.5, 20.5]])
    seconds = []
    for lib, (_, first, x) in zip((ag, torch), grads(name, points, create_graph=True)):
        grad_fn = ag.grad if lib is ag else torch.autograd.grad
        seconds.append(grad_fn((first * first).sum(), [x])[0])
    np.testing.assert_allclose(seconds[0].numpy(), seconds[1].detach().numpy(), rtol=1e-11)


@pytest.mark.parametrize("name", ["i1", "i1e"])
def test_second_derivative_at_zero_as_torch(name):
    """The slope's constant 1/2 at 0 has no derivative: 0 there, as PyTorch."""
    (_, first, x), _ = grads(name, np.array([0.0, -0.0]), create_graph=True)
    assert np.all(ag.grad(first.sum(), [x])[0].numpy() == 0)


def test_i0_as_a_function_a_method_and_in_place():
    values = rng.uniform(-5, 5, (2, 3))
    for lib in (ag, torch):
        x = lib.tensor(values)
        expected = lib.special.i0(x).numpy()
        np.testing.assert_array_equal(lib.i0(x).numpy(), expected)
        np.testing.assert_array_equal(x.i0().numpy(), expected)
        assert x.i0_() is x
        np.testing.assert_array_equal(x.numpy(), expected)


# ---- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("value", [1.0, [1.0], None])
def test_a_non_tensor_is_refused_as_torch(name, value):
    parameter = "x" if name.startswith(("scaled", "spherical", "airy")) else "input"
    for lib in (ag, torch):
        with pytest.raises(TypeError, match=f"argument '{parameter}' .*must be (a )?Tensor"):
            special(lib, name)(value)
