"""lgamma, digamma, polygamma, erfc, erfinv, logit, xlogy and sinc against PyTorch over wide
ranges (1e-8 .. 1e6, negative non-integers, poles, large |x|, +-inf, NaN) in float64,
their gradients at the edges, dtypes (float32 stays float32, integers promote) and errors.

Tolerances are 1e-12 relative, plus an absolute term only where the function has a zero
(lgamma near -2.46, digamma near 1.46): there no kernel, ours or PyTorch's, is relatively
accurate. PyTorch's trigamma (polygamma(1, .)) is itself accurate only to ~5e-10, so it is
checked against torch at 1e-8 and against 50-digit mpmath at 1e-14.
"""

import math

import numpy as np
import pytest

import autograd as ag

torch = pytest.importorskip("torch")

INF, NAN = math.inf, math.nan
rng = np.random.default_rng(11)
POSITIVE = np.concatenate([10 ** rng.uniform(-8, 6, 300), rng.uniform(0, 12, 200)])
NEGATIVE = -np.concatenate([10 ** rng.uniform(-8, 6, 300), rng.uniform(0, 12, 200)])
NEGATIVE = NEGATIVE[np.abs(NEGATIVE - np.round(NEGATIVE)) > 1e-9]  # not at a pole
SPECIAL = np.array([0.0, -0.0, 1.0, 2.0, 3.0, -1.0, -2.0, -1e20, INF, -INF, NAN, 0.5, -0.5])
# where lgamma's and polygamma's methods meet (series around 2, shifts, Stirling), both sides
EDGES = np.array([0.5, 1.5, 2.5, 6.0, 10.0, 13.0, 16.0, 19.0, 22.0, 40.0, -0.25, -0.75])
EDGES = np.concatenate([EDGES, np.nextafter(EDGES, -INF), np.nextafter(EDGES, INF)])
TINY = np.array([1e-300, -1e-300, 5e-324, -5e-324, 1e-310])
LARGE = np.array([1e10, 1e100, 1e300, 2.5e305, 3e305, -1e15 - 0.5, -12345.25])


def compare(ours, theirs, rtol=1e-12, atol=0.0):
    """Same dtype and shape; values equal to rtol, NaN where NaN, inf where inf (signed)."""
    expected = theirs.detach().numpy()
    assert ours.data.dtype == expected.dtype and ours.shape == expected.shape
    np.testing.assert_allclose(ours.data, expected, rtol=rtol, atol=atol)


def both(fn, *arrays):
    """fn(lib, *tensors) for lib = autograd and torch, on float64 copies of the arrays."""
    return fn(ag, *map(ag.tensor, arrays)), fn(torch, *map(torch.tensor, arrays))


@pytest.mark.parametrize(
    ("name", "points", "atol"),
    [
        ("lgamma", POSITIVE, 0.0),
        ("lgamma", NEGATIVE, 1e-14),  # zeros of lgamma at -2.457, -2.747, -3.14, ...
        ("lgamma", SPECIAL, 0.0),
        ("lgamma", EDGES, 0.0),
        ("lgamma", TINY, 0.0),
        ("lgamma", LARGE, 0.0),
        ("digamma", POSITIVE, 1e-14),  # the zero at 1.4616
        ("digamma", NEGATIVE, 1e-14),
        ("digamma", SPECIAL, 0.0),
        ("digamma", EDGES, 0.0),
        ("digamma", TINY, 0.0),
        ("digamma", LARGE[:-2], 0.0),
        ("erfc", np.concatenate([rng.uniform(-6, 26.5, 500), POSITIVE, -POSITIVE]), 0.0),
        ("erfc", np.concatenate([SPECIAL, TINY, LARGE]), 0.0),
        ("erfc", np.array([0.5, 1.0, 6.0, -1.0, -6.0, *np.nextafter([1.0, 6.0, -1.0], 0)]), 0),
        ("erfc", np.linspace(26.6, 27.3, 30), 1e-322),  # subnormal results
        ("erfinv", rng.uniform(-1, 1, 500), 0.0),
        ("erfinv", 1 - 10 ** -rng.uniform(1, 16, 200), 0.0),
        ("erfinv", -1 + 10 ** -rng.uniform(1, 16, 200), 0.0),
        ("erfinv", np.concatenate([10 ** -rng.uniform(1, 300, 100), SPECIAL, TINY]), 0.0),
        ("erfinv", np.array([1 - 2**-53, -1 + 2**-53, 1 + 2**-52, 0.5, np.nextafter(0.5, 1)]), 0),
        ("sinc", np.concatenate([POSITIVE, NEGATIVE, SPECIAL, TINY, LARGE]), 0.0),
        ("logit", rng.uniform(0, 1, 300), 0.0),
        (
            "logit",
            np.concatenate([10 ** -rng.uniform(1, 300, 100), 1 - 10 ** -rng.uniform(1, 16, 100)]),
            0,
        ),
        ("logit", np.concatenate([SPECIAL, TINY, LARGE, [-0.5, 1.5]]), 0.0),
    ],
)
def test_values_over_wide_ranges_match_torch(name, points, atol):
    ours, theirs = both(lambda lib, x: getattr(lib, name)(x), points)
    compare(ours, theirs, atol=atol)


def test_erfc_keeps_full_relative_precision_down_to_its_underflow():
    """exp(-x^2) with x^2 rounded would be off by up to 1e-13 near x = 26; ours is not."""
    ours, theirs = both(lambda lib, x: lib.erfc(x), np.linspace(1, 26.5, 2000))
    compare(ours, theirs, rtol=2e-15)


@pytest.mark.parametrize("n", [2, 3, 4, 7, 12])
@pytest.mark.parametrize(
    "points",
    [POSITIVE, NEGATIVE, SPECIAL, TINY, EDGES],
    ids=["pos", "neg", "special", "tiny", "edges"],
)
def test_polygamma_matches_torch(n, points):
    ours, theirs = both(lambda lib, x: lib.polygamma(n, x), points)
    compare(ours, theirs, atol=1e-14 if n % 2 == 0 else 0.0)  # even orders have zeros for x < 0


def test_polygamma_of_large_x_is_not_flushed_to_zero():
    """PyTorch sums x^-(n+1), which underflows (1e100^-4 = 1e-400) where psi^(3)(x), about
    2 / x^3, does not: it returns 0 there; ours keeps the tiny but normal true values."""
    x = np.array([1e10, 1e50, 1e100])
    ours = ag.polygamma(3, ag.tensor(x)).data
    np.testing.assert_allclose(ours, 2 / x**3 * (1 + 1.5 / x + 1 / x**2), rtol=1e-14)
    np.testing.assert_allclose(ours, torch.polygamma(3, torch.tensor(x)).numpy(), atol=1e-290)


def test_trigamma_against_torch_and_mpmath():
    mpmath = pytest.importorskip("mpmath")
    points = np.concatenate([POSITIVE[::5], NEGATIVE[::5], [0.5, 1.0, 2.0, -0.5, -3.75]])
    ours, theirs = both(lambda lib, x: lib.polygamma(1, x), points)
    compare(ours, theirs, rtol=1e-8)  # PyTorch's trigamma stops its series early
    with mpmath.workdps(50):
        exact = np.array([float(mpmath.psi(1, mpmath.mpf(x))) for x in points])
    np.testing.assert_allclose(ours.data, exact, rtol=1e-14)


def test_trigamma_is_inf_at_every_pole():
    """PyTorch's trigamma gives a huge finite number at -1, -2, ... (1 / sin(pi x)^2 of a sine
    that rounds to 1e-16 instead of 0); +inf is the value at the pole, which ours returns,
    and PyTorch's at 0."""
    x = ag.tensor([0.0, -0.0, -1.0, -2.0, -1e20])
    assert np.all(ag.polygamma(1, x).data == INF)
    assert torch.polygamma(1, torch.tensor(0.0)).item() == INF


# ---- gradients ---------------------------------------------------------------------------


def grads(fn, *arrays, create_graph=False):
    """(outputs, gradients of outputs.sum() for every input) for autograd and torch."""
    results = []
    for lib in (ag, torch):
        tensors = [lib.tensor(array, requires_grad=True) for array in arrays]
        out = fn(lib, *tensors)
        grad_fn = ag.grad if lib is ag else torch.autograd.grad
        results.append((out, grad_fn(out.sum(), tensors, create_graph=create_graph), tensors))
    return results


GRADIENT_POINTS = np.concatenate([POSITIVE[::10], NEGATIVE[::10], SPECIAL, TINY])


NOT_A_POLE = GRADIENT_POINTS[(GRADIENT_POINTS > 0) | (GRADIENT_POINTS != np.round(GRADIENT_POINTS))]


@pytest.mark.parametrize(
    ("name", "fn", "points", "atol", "rtol"),
    [
        ("lgamma", lambda lib, x: lib.lgamma(x), GRADIENT_POINTS, 1e-14, 1e-12),
        # digamma's gradient is trigamma: PyTorch's is good to 5e-10, and finite at its poles
        ("digamma", lambda lib, x: lib.digamma(x), NOT_A_POLE, 0.0, 1e-8),
        ("polygamma 2", lambda lib, x: x.polygamma(2), GRADIENT_POINTS, 1e-14, 1e-12),
        ("erfc", lambda lib, x: lib.erfc(x), np.append(GRADIENT_POINTS, 26.0), 0.0, 1e-12),
        ("erfinv", lambda lib, x: x.erfinv(), 1 - 10 ** -rng.uniform(0, 16, 60), 0.0, 1e-12),
        ("erfinv special", lambda lib, x: lib.erfinv(x), SPECIAL, 0.0, 1e-12),
        # PyTorch's formula loses digits to cancellation near 0, as ours: compare absolutely
        ("sinc", lambda lib, x: lib.sinc(x), GRADIENT_POINTS, 1e-12, 1e-12),
        (
            "logit",
            lambda lib, x: lib.logit(x),
            np.array([0, 1e-7, 0.3, 1, -0.5, 1.5, NAN]),
            0,
            1e-12,
        ),
    ],
)
def test_gradients_match_torch(name, fn, points, atol, rtol):
    (out, (grad,), _), (out_t, (grad_t,), _) = grads(fn, points)
    compare(out, out_t, rtol=rtol, atol=atol)
    compare(grad, grad_t, rtol=rtol, atol=atol)


@pytest.mark.parametrize("eps", [0.1, 0.0, -1.0, 0.6, 1.0, True])
def test_logit_eps_clamps_and_zeroes_the_gradient_outside_as_torch(eps):
    """eps > 1/2 clamps everything to one bound; a negative eps is no eps at all."""
    points = np.array([-0.5, 0.0, 1e-7, 0.1, 0.2, 0.5, 0.8, 0.9, 1.0, 1.5, NAN, INF, -INF])
    (out, (grad,), _), (out_t, (grad_t,), _) = grads(lambda lib, x: lib.logit(x, eps), points)
    compare(out, out_t)
    compare(grad, grad_t)


def test_logit_bounds_are_eps_and_1_minus_eps_in_the_input_dtype_inclusive():
    eps = np.float32(0.1)
    edges = [np.nextafter(eps, 0), eps, 1 - eps, np.nextafter(1 - eps, 2)]
    (out, (grad,), _), (out_t, (grad_t,), _) = grads(
        lambda lib, x: x.logit(0.1), np.array(edges, np.float32)
    )
    compare(out, out_t)
    compare(grad, grad_t)
    assert list(grad.data != 0) == [False, True, True, False]


XLOGY_PAIRS = np.array(
    [  # (x, y): zeros with zero, NaN, negative and infinite y; NaN x; signed zeros ...
        (0, 0), (0, NAN), (0, -1), (0, INF), (-0.0, 2), (2, 0), (2, -1), (NAN, 1), (0, 1),
        (1, NAN), (-1, 2), (2, INF), (INF, 0), (0, -INF), (3.5, 1e-300), (1e-300, 1e300),
    ]
)  # fmt: skip


def test_xlogy_values_and_gradients_at_the_edges_match_torch():
    (out, (grad_x, grad_y), _), (out_t, (grad_x_t, grad_y_t), _) = grads(
        lambda lib, x, y: lib.xlogy(x, y), XLOGY_PAIRS[:, 0], XLOGY_PAIRS[:, 1]
    )
    compare(out, out_t)
    compare(grad_x, grad_x_t)
    compare(grad_y, grad_y_t)


def test_xlogy_with_a_number_on_either_side_and_broadcasting():
    x = rng.uniform(-2, 2, (3, 1))
    y = rng.uniform(0.1, 3, (4,))
    for fn in (
        lambda lib, a, b: lib.xlogy(a, b),
        lambda lib, a, b: a.xlogy(b) * lib.xlogy(2.0, b) + lib.xlogy(a, 3),
        lambda lib, a, b: lib.xlogy(0, b) + lib.xlogy(a, 0.0),
    ):
        (out, grads_ours, _), (out_t, grads_t, _) = grads(fn, x, y)
        compare(out, out_t)
        for grad, grad_t in zip(grads_ours, grads_t):
            compare(grad, grad_t)


@pytest.mark.parametrize(
    ("fn", "arrays"),
    [
        (lambda lib, x: lib.polygamma(1, x), [rng.uniform(0.3, 4, 5)]),
        (lambda lib, x: lib.lgamma(x), [rng.uniform(-2.9, -2.1, 5)]),
        (lambda lib, x: lib.erfinv(x), [rng.uniform(-0.99, 0.99, 5)]),
        (lambda lib, x: lib.erfc(x), [rng.uniform(-3, 5, 5)]),
        (lambda lib, x: lib.logit(x, 0.2), [np.array([0.1, 0.3, 0.5, 0.7, 0.9])]),
        (lambda lib, x: lib.sinc(x), [rng.uniform(-3, 3, 5)]),
        (lambda lib, x, y: lib.xlogy(x, y), [rng.uniform(-2, 2, 5), rng.uniform(0.1, 3, 5)]),
    ],
)
def test_second_derivatives_match_torch(fn, arrays):
    results = grads(fn, *arrays, create_graph=True)
    seconds = []
    for lib, (_, first, inputs) in zip((ag, torch), results):
        total = sum((grad * grad).sum() for grad in first)
        grad_fn = ag.grad if lib is ag else torch.autograd.grad
        seconds.append(grad_fn(total, inputs, allow_unused=True))
    for ours, theirs in zip(*seconds):
        if theirs is None:
            assert ours is None or not np.any(ours.data)
        else:
            compare(ours, theirs, rtol=1e-10)


# ---- dtypes ----------------------------------------------------------------------------

UNARY = {
    "lgamma": lambda lib, x: lib.lgamma(x),
    "digamma": lambda lib, x: x.digamma(),
    "polygamma": lambda lib, x: lib.polygamma(2, x),
    "erfc": lambda lib, x: x.erfc(),
    "erfinv": lambda lib, x: lib.erfinv(x / 4),
    "logit": lambda lib, x: lib.logit(x, eps=1e-3),
    "sinc": lambda lib, x: x.sinc(),
    "xlogy": lambda lib, x: lib.xlogy(x, x),
}


@pytest.mark.parametrize("name", list(UNARY))
@pytest.mark.parametrize(
    "dtype", ["float16", "float32", "float64", "int64", "int32", "uint8", "bool"]
)
def test_dtypes_as_torch(name, dtype):
    values = np.array([[0, 1, 2], [3, 1, 0]]).astype(dtype)
    ours, theirs = both(UNARY[name], values)
    rtol = {"float16": 1e-3, "float32": 1e-6}.get(str(theirs.dtype).split(".")[-1], 1e-12)
    compare(ours, theirs, rtol=rtol)


def test_integer_inputs_follow_the_default_dtype():
    ag.set_default_dtype(ag.float64)
    assert ag.lgamma(ag.tensor([1, 2])).dtype == ag.float64
    assert ag.xlogy(ag.tensor([1, 2]), 3).dtype == ag.float64


@pytest.mark.parametrize(
    ("x", "y"),
    [
        (np.array([1.0, 2.0], "float32"), np.array(3.0)),  # a 0-d float64 does not promote
        (np.array([1, 2], "int32"), np.array([3.0])),
        (np.array([1.0, 2.0], "float16"), np.array([3.0], "float32")),
        (np.array([True, False]), np.array([3, 4])),
    ],
)
@pytest.mark.parametrize("number", [2.5, 3, 2**62, -1e300])
def test_xlogy_promotes_as_torch(x, y, number):
    ours, theirs = both(lambda lib, a, b: lib.xlogy(a, b), x, y)
    compare(ours, theirs, rtol=1e-6)
    ours, theirs = both(lambda lib, a: lib.xlogy(a, number), x)
    compare(ours, theirs, rtol=1e-6)
    ours, theirs = both(lambda lib, b: lib.xlogy(number, b), y)
    compare(ours, theirs, rtol=1e-6)


# ---- errors ----------------------------------------------------------------------------

ERRORS = [
    (lambda lib: lib.lgamma(1.0), TypeError, "'input' .*must be (a )?Tensor, not float"),
    (lambda lib: lib.erfinv([0.5]), TypeError, "'input' .*must be (a )?Tensor, not list"),
    (lambda lib: lib.polygamma(-1, lib.ones(2)), RuntimeError, "does not support negative n"),
    (lambda lib: lib.ones(2).polygamma(-2), RuntimeError, "does not support negative n"),
    (lambda lib: lib.polygamma(1.5, lib.ones(2)), TypeError, "'n' .*must be int, not float"),
    (lambda lib: lib.polygamma(True, lib.ones(2)), TypeError, "'n' .*must be int, not bool"),
    (lambda lib: lib.polygamma(lib.ones(2), 1), TypeError, "must be int, not Tensor"),
    (lambda lib: lib.logit(lib.ones(2), "a"), TypeError, "'eps' .*must be float, not str"),
    (lambda lib: lib.xlogy(2.0, 3.0), TypeError, r"xlogy\(\) received an invalid combination"),
    (lambda lib: lib.xlogy(lib.ones(2), "a"), TypeError, r"xlogy\(\).*str"),
    (lambda lib: lib.xlogy(None, lib.ones(2)), TypeError, r"xlogy\(\).*NoneType"),
    (lambda lib: lib.xlogy(lib.ones(2), lib.ones(3)), RuntimeError, r"size of tensor a \(2\)"),
    (lambda lib: lib.xlogy(lib.ones(2), 2**64), OverflowError, "too big to convert"),
]


@pytest.mark.parametrize(("make", "error", "message"), ERRORS)
def test_errors_as_torch(make, error, message):
    for lib in (ag, torch):
        with pytest.raises(error, match=message):
            make(lib)


def test_polygamma_takes_a_0d_integer_tensor_as_n():
    ours, theirs = both(lambda lib, x: lib.polygamma(lib.tensor(1), x), np.array([0.5, 2.0]))
    compare(ours, theirs, rtol=1e-8)
