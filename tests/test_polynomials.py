"""ag.special's orthogonal polynomials against torch.special and against exact values.

The exact values are the defining recurrences run in 60-digit mpmath (checked here against
mpmath's own chebyt, chebyu, hermite, laguerre, legendre and numpy.polynomial). PyTorch's
compiled loop fuses multiply-adds, so values are compared to rounding, not to the bit: ours
must be as accurate as PyTorch's, within a few roundings of the largest P_k on the way.
"""

import math

import numpy as np
import pytest

import autograd as ag

torch = pytest.importorskip("torch")
mpmath = pytest.importorskip("mpmath")

INF, NAN = math.inf, math.nan
CHEBYSHEV = {  # name: (P_1(y), the degree past which PyTorch takes the closed form)
    "chebyshev_polynomial_t": (lambda y: y, 6),
    "chebyshev_polynomial_u": (lambda y: 2 * y, 8),
    "chebyshev_polynomial_v": (lambda y: 2 * y - 1, 8),
    "chebyshev_polynomial_w": (lambda y: 2 * y + 1, 8),
    "shifted_chebyshev_polynomial_t": (lambda y: y, 6),
    "shifted_chebyshev_polynomial_u": (lambda y: 2 * y, 6),
    "shifted_chebyshev_polynomial_v": (lambda y: 2 * y - 1, 6),
    "shifted_chebyshev_polynomial_w": (lambda y: 2 * y + 1, 4),
}
OTHERS = {  # name: (P_1(x), P_{k+1} from k, x, P_k, P_{k-1})
    "hermite_polynomial_h": (lambda x: 2 * x, lambda k, x, p, q: 2 * x * p - 2 * k * q),
    "hermite_polynomial_he": (lambda x: x, lambda k, x, p, q: x * p - k * q),
    "laguerre_polynomial_l": (
        lambda x: 1 - x,
        lambda k, x, p, q: ((2 * k + 1 - x) * p - k * q) / (k + 1),
    ),
    "legendre_polynomial_p": (
        lambda x: x,
        lambda k, x, p, q: ((2 * k + 1) * x * p - k * q) / (k + 1),
    ),
}
NAMES = [*CHEBYSHEV, *OTHERS]


def exact(name, x, degrees):
    """P_0(x) .. P_degrees(x) of one float x as 60-digit mpmath numbers."""
    with mpmath.workdps(60):
        x = mpmath.mpf(x)
        if name in CHEBYSHEV:
            first, step = CHEBYSHEV[name][0], lambda k, y, p, q: 2 * y * p - q
            x = 2 * x - 1 if name.startswith("shifted") else x
        else:
            first, step = OTHERS[name]
        values = [mpmath.mpf(1), first(x)]
        for k in range(1, degrees):
            values.append(step(k, x, values[-1], values[-2]))
        return values[: degrees + 1]


def exact_array(name, points, degrees):
    """The exact values rounded to float64: one row per point, one column per degree."""
    return np.array([[float(v) for v in exact(name, x, degrees)] for x in points])


def both(name, *args):
    """(ours, torch's) as NumPy arrays: the function on the same arguments in both libraries,
    arrays becoming tensors (keeping their dtype) and everything else passed as it is."""
    results = []
    for lib in (ag, torch):
        converted = [lib.tensor(a) if isinstance(a, np.ndarray) else a for a in args]
        results.append(getattr(lib.special, name)(*converted).numpy())
    return results


def assert_same(ours, theirs, rtol=1e-13, atol=0.0):
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol)


def test_the_exact_reference_is_the_textbook_polynomials():
    numpy_polynomial = np.polynomial
    for x in (0.3, -0.85, 1.7):
        with mpmath.workdps(60):
            u = exact("chebyshev_polynomial_u", x, 12)
            for n in range(13):
                expected = {
                    "chebyshev_polynomial_t": mpmath.chebyt(n, x),
                    "chebyshev_polynomial_u": mpmath.chebyu(n, x),
                    "chebyshev_polynomial_v": u[n] - (u[n - 1] if n else 0),
                    "chebyshev_polynomial_w": u[n] + (u[n - 1] if n else 0),
                    "shifted_chebyshev_polynomial_t": mpmath.chebyt(n, 2 * mpmath.mpf(x) - 1),
                    "hermite_polynomial_h": mpmath.hermite(n, x),
                    "laguerre_polynomial_l": mpmath.laguerre(n, 0, x),
                    "legendre_polynomial_p": mpmath.legendre(n, x),
                }
                for name, value in expected.items():
                    assert mpmath.almosteq(exact(name, x, n)[n], value, 1e-40), (name, n, x)
        he = [numpy_polynomial.hermite_e.hermeval(x, np.eye(13)[n]) for n in range(13)]
        np.testing.assert_allclose(exact_array("hermite_polynomial_he", [x], 12)[0], he, 1e-13)


def _points(name, rng):
    """Random points inside the orthogonality interval, a little beyond it and far out."""
    points = np.concatenate([rng.uniform(-1, 1, 60), rng.uniform(-1.2, 1.2, 30), [-3.0, 2.5]])
    if name.startswith("shifted"):
        return (points + 1) / 2
    if name.startswith("laguerre"):
        return (points + 1) * 8
    return points * 4 if name.startswith("hermite") else points


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", NAMES)
def test_as_accurate_as_torch_against_exact_values(name, dtype, rng):
    degrees = np.arange(0, 41 if dtype == "float64" else 25)
    points = _points(name, rng).astype(dtype)
    ours, theirs = both(name, points[:, None], degrees)
    assert ours.dtype == theirs.dtype == np.dtype(dtype)
    expected = exact_array(name, points.astype(np.float64), degrees[-1])
    scale = np.maximum.accumulate(np.abs(expected), axis=1)  # the largest P_k on the way
    kept = scale < np.finfo(dtype).max / 1e6  # (at overflow PyTorch's fused a*b - c differs)
    ours_error = np.abs(ours - expected)[kept]
    torch_error = np.abs(theirs - expected)[kept]
    slack = (4 * np.finfo(dtype).eps * (degrees + 1) * scale)[kept]
    worst = np.argmax(ours_error - 4 * torch_error - slack)
    assert np.all(ours_error <= 4 * torch_error + slack), (
        ours_error[worst],
        torch_error[worst],
        slack[worst],
    )


ZEROS = {  # points with zeros of P_n on both sides of the threshold
    "chebyshev_polynomial_t": [0.0],
    "chebyshev_polynomial_u": [0.0, -0.5],
    "chebyshev_polynomial_v": [0.5],
    "chebyshev_polynomial_w": [-0.5],
    "shifted_chebyshev_polynomial_t": [0.5],
    "shifted_chebyshev_polynomial_u": [0.5, 0.25],
    "shifted_chebyshev_polynomial_v": [0.75],
    "shifted_chebyshev_polynomial_w": [0.25],
}


@pytest.mark.parametrize("name", list(CHEBYSHEV))
def test_the_closed_forms_start_at_torchs_degrees(name, rng):
    """Up to the threshold the recurrence gives these zeros exactly, past it cos and sin
    give a rounding away from 0; and past it, at random points, ours and PyTorch's closed
    forms give mostly the same bits (NumPy's and C's arccos differ in the last bit at times:
    the recurrence with PyTorch's fused multiply-adds agrees in well under half)."""
    after = CHEBYSHEV[name][1]
    points = np.array(ZEROS[name])
    degrees = np.arange(after + 7)
    ours, theirs = both(name, points[:, None], degrees)
    zero = exact_array(name, points, degrees[-1]) == 0
    np.testing.assert_array_equal(ours[zero] == 0, theirs[zero] == 0)
    assert np.all(ours[:, : after + 1][zero[:, : after + 1]] == 0)
    assert not np.any(ours[:, after + 1 :][zero[:, after + 1 :]] == 0)
    assert_same(ours, theirs, atol=1e-13)
    points = rng.uniform(-0.9, 0.9, 400)
    points = (points + 1) / 2 if name.startswith("shifted") else points
    ours, theirs = both(name, points[:, None], np.arange(after + 1, after + 4))
    assert np.mean(ours == theirs, axis=0).min() > 0.6


@pytest.mark.parametrize(
    ("name", "x", "end"),
    [
        ("chebyshev_polynomial_v", -1 + 2**-53, -1),  # sin(t/2) rounds to 1: V_n(-1)
        ("chebyshev_polynomial_w", 1 - 2**-53, 1),  # cos(t/2) rounds to 1: W_n(1)
        ("shifted_chebyshev_polynomial_v", 2**-54, 0),
    ],
)
def test_v_and_w_next_to_their_ends_take_the_end_value_as_torch(name, x, end):
    after = CHEBYSHEV[name][1]
    degrees = np.arange(after + 1, after + 9)
    ours, theirs = both(name, np.array(x), degrees)
    at_end, _ = both(name, np.array(float(end)), degrees)
    np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_array_equal(ours, at_end)


@pytest.mark.parametrize("name", NAMES)
def test_degrees_as_torch_truncated_negative_nan_inf_huge(name):
    """n is truncated toward 0; negative, NaN, +-inf and |n| >= 2**63 give 0."""
    x = np.array([[0.3], [-0.7], [0.9], [2.0], [1.0], [-1.0], [0.0]])
    n = np.array([-3, -1, -0.5, 0.3, 0.99, 1.5, 2.7, -2.5, 5.9, 9.5, NAN, INF, -INF, 2.0**63, 1e19])
    ours, theirs = both(name, x, n)
    assert_same(ours, theirs, atol=1e-15)
    assert np.all(ours[:, [0, 1, 7, 10, 11, 12, 13, 14]] == 0)
    for degree in (-(2**63), 2**63, 2**64 - 1, 3, True):  # Python ints through float
        assert_same(*both(name, x, degree), atol=1e-15)


@pytest.mark.parametrize("name", NAMES)
def test_non_finite_inputs(name):
    """inf and -inf as torch; NaN gives 1 at n = 0, NaN from n = 1 on (PyTorch's loop
    returns an uninitialised value there for n >= 2 in some kernels, so n <= 1 is compared)."""
    x = np.array([[INF], [-INF], [NAN]])
    ours, theirs = both(name, x, np.arange(-1, 12))
    assert_same(ours[:2], theirs[:2])
    assert_same(ours[2, :3], theirs[2, :3])
    assert np.all(np.isnan(ours[2, 2:]))


HUGE_DEGREE_POINTS = {  # the ends x = +-1, the closed forms, and overflow to NaN
    "chebyshev": [1.0, -1.0, 5.0, -5.0, 0.0, 0.5],
    "shifted": [1.0, 0.0, 3.0, -2.0, 0.5, 0.75],
    "hermite": [1.0, -1.0, 0.0, 5.0],
    "laguerre": [0.0, -0.0, -5.0],  # (for x > 0, L_n stays finite: PyTorch's loop runs n steps)
    "legendre": [1.0, -1.0, 5.0, -5.0],
}


@pytest.mark.parametrize("name", NAMES)
def test_huge_degrees_end_as_torch(name):
    x = np.array(HUGE_DEGREE_POINTS[name.split("_")[0]])[:, None]
    ours, theirs = both(name, x, np.array([2**40, 2**40 + 1]))
    assert_same(ours, theirs, rtol=1e-3, atol=1e-3)  # cos(n t) for n ~ 1e12 is that sensitive


def test_hermite_overflow_to_nan_as_torch():
    ours, theirs = both("hermite_polynomial_h", np.array([3.0, -40.0, 1e200]), 2000)
    np.testing.assert_array_equal(ours, theirs)
    assert np.all(np.isnan(ours))


DTYPES = [  # (input, n): Tensors of these dtypes or Python numbers
    (np.float32, 3),
    (np.float32, 3.0),
    (np.float64, 3),
    (np.int64, 3),
    (np.int64, 3.0),
    (np.int32, np.int64),
    (np.float32, np.float64),
    (np.float32, np.int64),
    (np.bool_, 3),
    (np.uint8, True),
    (0.5, np.int64),
    (2, np.int32),
    (0.5, np.float64),
    (True, np.int64),
    ((np.float64, ()), np.float32),
    (np.float32, (np.float64, ())),
    (np.float16, np.float32),
]


def _operand(spec, values):
    if isinstance(spec, tuple):
        return np.asarray(values[0], dtype=spec[0])  # a 0-d tensor
    if isinstance(spec, type):
        return np.asarray(values, dtype=spec)
    return spec


@pytest.mark.parametrize("default", ["float32", "float64"])
@pytest.mark.parametrize("spec", DTYPES, ids=str)
def test_result_dtypes_as_torch(spec, default):
    ag.set_default_dtype(getattr(ag, default))
    torch.set_default_dtype(getattr(torch, default))
    try:
        x = _operand(spec[0], [1, 0, 1, 0] if spec[0] in (np.bool_, np.uint8) else [0.5, -2, 1, 3])
        n = _operand(spec[1], [3, 2, 0, 5])
        for name in NAMES:
            ours, theirs = both(name, x, n)
            assert_same(ours, theirs, rtol=1e-6)
    finally:
        torch.set_default_dtype(torch.float32)


@pytest.mark.parametrize("name", NAMES)
def test_shapes_broadcast_zero_d_and_empty(name):
    for x_shape, n_shape in [((3, 1), (4,)), ((), ()), ((), (2, 3)), ((0, 3), (3,)), ((2, 0), ())]:
        x = np.linspace(-1.5, 1.5, math.prod(x_shape)).reshape(x_shape)
        n = np.arange(math.prod(n_shape)).reshape(n_shape) % 12
        ours, theirs = both(name, x, n)
        assert_same(ours, theirs, atol=1e-14)


@pytest.mark.parametrize("name", NAMES)
def test_not_differentiable_as_torch(name):
    """No grad_fn even when the input requires grad: backward raises in both libraries."""
    for lib in (ag, torch):
        x = lib.tensor([0.25, 0.5], requires_grad=True)
        out = getattr(lib.special, name)(x, 3)
        assert not out.requires_grad and out.grad_fn is None
        with pytest.raises(RuntimeError, match="does not require grad"):
            out.sum().backward()


ERRORS = [  # (the call, PyTorch's exception type, a fragment of both messages)
    (lambda f, lib: f(0.5, 3), TypeError, r"\(float, int\)"),
    (lambda f, lib: f([0.5], 3), TypeError, "list"),
    (lambda f, lib: f(lib.ones(2), "3"), TypeError, "str"),
    (lambda f, lib: f(lib.ones(2), None), TypeError, "NoneType"),
    (lambda f, lib: f(lib.ones(2), lib.ones(3)), RuntimeError, r"size of tensor a \(2\)"),
    (lambda f, lib: f(lib.ones(2, dtype=lib.float16), 3), NotImplementedError, "Half"),
    (lambda f, lib: f(lib.ones(2), 2**64), OverflowError, "too big to convert"),
    (lambda f, lib: f(2**64, lib.ones(2)), OverflowError, "too big to convert"),
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("case", range(len(ERRORS)))
def test_errors_as_torch(name, case):
    call, error, message = ERRORS[case]
    for lib in (ag, torch):
        with pytest.raises(error, match=message):
            call(getattr(lib.special, name), lib)


def test_a_number_below_int64_is_refused():
    with pytest.raises(OverflowError, match="chebyshev_polynomial_t"):
        ag.special.chebyshev_polynomial_t(ag.ones(2), -(2**63) - 1)
    with pytest.raises(OverflowError):
        torch.special.chebyshev_polynomial_t(torch.ones(2), -(2**63) - 1)
