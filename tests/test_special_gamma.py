"""entr, xlog1py, erfcx, log_ndtr, ndtri, gammainc / gammaincc (igamma / igammac), zeta and
multigammaln (mvlgamma): values against 40-digit mpmath over wide ranges, PyTorch's values
at the edges (poles, infinities, NaN, outside the domain), gradients to second order,
dtypes, the Tensor methods and in-place forms, and errors, all against torch.

The kernels are checked against mpmath to about 1e-15 relative, scaled where a result is
exp(-t) of a large t by 1 + |log result| (t's own rounding, see special_gamma_numerics.py).
PyTorch is compared at 1e-12 but where it is less accurate (noted at each test).
"""

import math

import numpy as np
import pytest
from test_special import both, grads
from test_special import compare as assert_same

import autograd as ag

torch = pytest.importorskip("torch")
mpmath = pytest.importorskip("mpmath")

INF, NAN = math.inf, math.nan
EPS = 2.0**-52
rng = np.random.default_rng(23)


def mp(function, *arrays, digits=40):
    """A float64 array of ``function`` of mpmath numbers, elementwise, at ``digits``."""
    with mpmath.workdps(digits):
        return np.array([float(function(*map(mpmath.mpf, args))) for args in zip(*arrays)])


def assert_close_to_exact(ours, exact, rtol=4 * EPS):
    """Relative error below rtol (1 + |log exact|); equal where exact is 0, inf or NaN."""
    scale = 1 + np.abs(np.log(np.maximum(np.abs(exact), 1e-300)))
    with np.errstate(invalid="ignore", divide="ignore"):
        error = np.where(ours == exact, 0.0, np.abs(ours - exact) / np.abs(exact))
    assert np.all(error <= rtol * scale), (error / scale).max()


# ---- names -----------------------------------------------------------------------------

SPECIAL_NAMES = "entr xlog1py erfcx log_ndtr ndtri gammainc gammaincc zeta multigammaln"


def test_names_are_torchs():
    for name in SPECIAL_NAMES.split():
        assert hasattr(ag.special, name) and hasattr(torch.special, name), name
    for name in ("igamma", "igammac", "mvlgamma"):
        assert hasattr(ag, name) and hasattr(torch, name), name
        assert hasattr(ag.Tensor, name) and hasattr(torch.Tensor, name), name
        assert hasattr(ag.Tensor, name + "_") and hasattr(torch.Tensor, name + "_"), name
    for name in ("entr", "xlog1py", "erfcx", "log_ndtr", "ndtri", "zeta", "gammainc"):
        assert not hasattr(torch, name) and not hasattr(ag, name), name


# ---- the incomplete gamma functions against mpmath ---------------------------------------


def _incomplete_gamma_points():
    """(a, x): random over 9 decades of a and 2.5 of x / a; Temme's region (a >= 100, x / a
    in [0.4, 2]); and a grid over the edges between the methods (x = 1.1, a = 10, a = 100).
    (mpmath's gammainc gives up, NoConvergence, for x > a > 5000.)"""
    a = 10 ** rng.uniform(-5, 3.5, 120)
    x = a * 10 ** rng.uniform(-1.5, 1, 120)
    temme = 10 ** rng.uniform(2, 3.5, 40)
    grid_a = np.array([1e-300, 1e-20, 0.1, 0.5, 1.0, 9.99, 10.0, 99.99, 100.0, 100.01])
    grid_x = np.array([1e-300, 0.5, 1.1, np.nextafter(1.1, 2), 2.0, 10.0, 100.0, 700.0])
    grid_a, grid_x = (values.ravel() for values in np.meshgrid(grid_a, grid_x))
    a = np.concatenate([a, temme, grid_a])
    x = np.concatenate([x, temme * (1 + rng.uniform(-0.6, 1.0, 40)), grid_x])
    return a, x


GAMMA_A, GAMMA_X = _incomplete_gamma_points()


def exact_incomplete_gamma(a_values, x_values):
    """(P, Q) by mpmath at 40 digits, the larger as 1 minus the smaller; for a below 1e-100,
    Q = a E1(x) (1 + O(a log x)), which mpmath's gammainc takes seconds to give."""
    lower, upper = [], []
    with mpmath.workdps(40):
        for a, x in zip(map(mpmath.mpf, a_values), map(mpmath.mpf, x_values)):
            if a < 1e-100:
                q = a * mpmath.e1(x)
            elif x > a or a < 1:
                q = mpmath.gammainc(a, x, mpmath.inf, regularized=True)
            else:
                q = None
            p = mpmath.gammainc(a, 0, x, regularized=True) if q is None or q > 0.5 else 1 - q
            if q is None:
                q = mpmath.gammainc(a, x, mpmath.inf, regularized=True) if p > 0.5 else 1 - p
            lower.append(float(p))
            upper.append(float(q))
    return np.array(lower), np.array(upper)


@pytest.fixture(scope="module")
def exact_pq():
    return exact_incomplete_gamma(GAMMA_A, GAMMA_X)


@pytest.mark.parametrize("upper", [False, True], ids=["gammainc", "gammaincc"])
def test_incomplete_gamma_against_mpmath(upper, exact_pq):
    function = ag.special.gammaincc if upper else ag.special.gammainc
    ours = function(ag.tensor(GAMMA_A), ag.tensor(GAMMA_X)).data
    exact = exact_pq[1 if upper else 0]
    tiny = exact < 1e-300  # subnormal or 0: no relative precision left
    assert_close_to_exact(ours[~tiny], exact[~tiny], rtol=16 * EPS)
    assert np.all(np.abs(ours[tiny] - exact[tiny]) < 1e-300)


def test_incomplete_gamma_where_torch_loses_digits():
    """PyTorch's Q for a tiny a and x <= 1 is 1 - P, off by a factor of up to 3.6 (ours:
    a E1(x) to the last digits), and its P and Q near x = a lose up to 5e-10 for a in
    [50, 1000] (100, 100 below)."""
    a = np.array([1e-300, 1e-300, 1e-12, 100.0])
    x = np.array([0.5, 1.0, 1.0, 100.0])
    exact = exact_incomplete_gamma(a, x)[1]
    ours, theirs = both(lambda lib, s, t: lib.special.gammaincc(s, t), a, x)
    assert_close_to_exact(ours.data, exact)
    assert np.all(np.abs(theirs.numpy() / exact - 1) > 1e-10)


def test_incomplete_gamma_of_huge_arguments():
    """Temme's expansion to a = 1e300, where x^a e^-x underflows a step away from x = a."""
    a = np.array([1e10, 1e10, 1e300, 1e300, 1e300, 1e5])
    x = np.array([1e10, 1.0001e10, 1e300, 1.0000001e300, 1.0, 1e5 + 300])
    lower, upper = (
        ag.special.gammainc(ag.tensor(a), ag.tensor(x)),
        ag.igammac(ag.tensor(a), ag.tensor(x)),
    )
    # P(a, a) = 1/2 + 1 / (3 sqrt(2 pi a)) + O(1/a) (the median of Gamma(a) is about a - 1/3)
    np.testing.assert_allclose(lower.data[[0, 2]], 0.5 + 1 / (3 * np.sqrt(2 * np.pi * a[[0, 2]])))
    np.testing.assert_array_equal(upper.data[[3, 4]], [0.0, 1.0])
    np.testing.assert_allclose(lower.data + upper.data, 1.0, rtol=1e-15)
    theirs = torch.special.gammaincc(torch.tensor(a), torch.tensor(x)).numpy()
    np.testing.assert_allclose(upper.data, theirs, rtol=1e-8)


@pytest.mark.parametrize("name", ["gammainc", "gammaincc"])
def test_incomplete_gamma_edges_as_torch(name):
    """NaN for a < 0 or x < 0; P(0, x > 0) = 1; P(a, 0) = 0 and P(a, inf) = 1 for any a not
    ruled out before, NaN included; P(inf, x) = 0 but at x = inf, as PyTorch's order of rules."""
    edges_a = [NAN, -1.0, -0.0, 0.0, 1e-300, 0.5, 1.0, 2.0, 100.0, 1e10, INF]
    edges_x = [NAN, -1.0, -0.0, 0.0, 1e-300, 0.5, 1.0, 1.1, 2.0, 1e10, INF]
    a, x = (values.ravel() for values in np.meshgrid(edges_a, edges_x))
    tiny_a = a == 1e-300  # (torch's Q of a tiny a is wrong, see above)
    at_a = np.isclose(x, a) & (a >= 100)  # (and its P near x = a for a = 100)
    ours, theirs = both(lambda lib, s, t: getattr(lib.special, name)(s, t), a, x)
    keep = ~(tiny_a | at_a)  # (1e-12: results near 1e-190, exp(-t) of t = 430)
    assert_same(ag.tensor(ours.data[keep]), theirs[keep], rtol=1e-12)


# ---- zeta, erfcx, log_ndtr, ndtri and multigammaln against mpmath ------------------------


def _zeta_exact(s, q):
    """sum_{k>=0} (q + k)^-s by Euler-Maclaurin at q + 60 + s with 20 Bernoulli terms:
    mpmath.zeta(s, q) itself is wrong in the 9th digit for large q at 40 and 90 digits."""
    n = 60 + int(s)
    z = q + n
    terms = [mpmath.bernoulli(2 * j) / mpmath.factorial(2 * j) for j in range(1, 20)]
    tail = sum(c * mpmath.rf(s, 2 * j - 1) * z ** (1 - s - 2 * j) for j, c in enumerate(terms, 1))
    head = mpmath.fsum((q + k) ** -s for k in range(n))
    return head + z ** (1 - s) / (s - 1) + z**-s / 2 + tail


def test_zeta_against_mpmath():
    s = np.concatenate([1 + 10 ** rng.uniform(-12, 0, 60), rng.uniform(1, 60, 60), [200.0]])
    q = np.concatenate([10 ** rng.uniform(-5, 5, 120), [0.7]])
    exact = mp(_zeta_exact, s, q, digits=60)
    assert_close_to_exact(ag.special.zeta(ag.tensor(s), ag.tensor(q)).data, exact)


def test_zeta_of_a_negative_q_is_the_sum_as_it_stands():
    """For an integer x and q < 0 not an integer PyTorch sums (q + k)^-x from k = 0, through
    the terms of both signs; ours mirrors them, cancelling where the sum does."""
    s = np.array([2.0, 3.0, 4.0, 5.0, 2.0, 3.0, 7.0, 4.0])
    q = np.array([-2.5, -0.5, -3.25, -10.7, -100.1, -1e-20, -5.5, -1000.5])
    with mpmath.workdps(40):
        exact = [
            mpmath.fsum(mpmath.mpf(b + k) ** -a for k in range(int(-np.floor(b))))
            + _zeta_exact(mpmath.mpf(a), mpmath.mpf(b) - np.floor(b))
            for a, b in zip(s, q)
        ]
    assert_close_to_exact(ag.special.zeta(ag.tensor(s), ag.tensor(q)).data, np.array(exact, float))
    # PyTorch's sum loses to cancellation (1.5e-10 of the 3.4e-6 at x = 7, q = -5.5)
    ours, theirs = both(lambda lib, a, b: lib.special.zeta(a, b), s[:-1], q[:-1])
    assert_same(ours, theirs, rtol=1e-12, atol=1e-15)


def test_zeta_edges_as_torch():
    """inf at x = 1 and at q = 0, -1, ..., -inf (x not below 1, NaN included); NaN for x < 1
    and for a non-integer x with q < 0; at x = inf, inf for q < 1, 1 at q = 1 and NaN
    beyond, and NaN at q = inf: PyTorch's values. Two places differ: a result that underflows
    (x = 1e300 for q > 1: 0 here, NaN in PyTorch, whose Euler-Maclaurin sum takes inf * 0),
    and zeta(2, 1e300) = 1e-300, which PyTorch flushes to 0."""
    edges_x = [NAN, -INF, -1.0, 0.5, 1.0, 2.0, 2.5, 3.0, 1e300, INF]
    edges_q = [NAN, -INF, -2.5, -2.0, -0.5, -0.0, 0.0, 0.5, 1.0, 1.5, 1e300, INF]
    x, q = (values.ravel() for values in np.meshgrid(edges_x, edges_q))
    ours, theirs = both(lambda lib, a, b: lib.special.zeta(a, b), x, q)
    differ = ((x == 1e300) & (q > 1)) | ((x == 2) & (q == 1e300))
    assert_same(ag.tensor(ours.data[~differ]), theirs[~differ])
    np.testing.assert_array_equal(ours.data[(x == 1e300) & (q > 1) & (q < INF)], [0.0, 0.0])
    np.testing.assert_allclose(ours.data[(x == 2) & (q == 1e300)], 1e-300, rtol=1e-15)


NORMAL_POINTS = np.concatenate(
    [rng.uniform(-40, 10, 300), -(10 ** rng.uniform(-10, 150, 60)), 10 ** rng.uniform(-10, 1.2, 60)]
)


def test_erfcx_against_mpmath():
    x = np.concatenate([rng.uniform(-26.6, 30, 300), 10 ** rng.uniform(-10, 7, 60)])
    x = np.concatenate([x, -(10 ** rng.uniform(-10, 1.42, 60)), [1.0, -1.0, 6.0, 0.0]])
    exact = mp(lambda t: mpmath.exp(t * t) * mpmath.erfc(t), x)
    assert_close_to_exact(ag.special.erfcx(ag.tensor(x)).data, exact, rtol=2 * EPS)
    huge = np.array([1e10, 1e100, 1e300])  # erfcx(x) = 1 / (x sqrt(pi)) (1 - 1 / (2 x^2) ...)
    np.testing.assert_allclose(ag.special.erfcx(ag.tensor(huge)).data, 1 / (huge * np.sqrt(np.pi)))


def test_log_ndtr_against_mpmath():
    x = NORMAL_POINTS
    exact = mp(lambda t: mpmath.log(mpmath.ncdf(t)) if t < 0 else mpmath.log1p(-mpmath.ncdf(-t)), x)
    # for x > 0 log Phi(x) ~ -Phi(-x) carries the 2 x^2 ulp of erfc's x / sqrt(2)
    rtol = np.where(x > 0, 4 * EPS * (1 + x * x), 4 * EPS)
    ours = ag.special.log_ndtr(ag.tensor(x)).data
    assert np.all(np.abs(ours - exact) <= rtol * np.abs(exact))


def test_ndtri_against_mpmath():
    p = np.concatenate([rng.uniform(0, 1, 200), 10 ** rng.uniform(-323, 0, 150)])
    p = np.concatenate([p, 1 - 10 ** rng.uniform(-16, 0, 60), [0.25, np.nextafter(0.25, 0)]])

    def quantile(t):
        if t > 0.5:
            return mpmath.sqrt(2) * mpmath.erfinv(2 * t - 1)
        log_t = mpmath.log(t)
        start = -mpmath.sqrt(-2 * log_t) if log_t < -2 else -0.3
        return mpmath.findroot(lambda y: mpmath.log(mpmath.ncdf(y)) - log_t, start)

    assert_close_to_exact(ag.special.ndtri(ag.tensor(p)).data, mp(quantile, p), rtol=4 * EPS)


def test_multigammaln_against_mpmath():
    x = np.concatenate([rng.uniform(2.0, 30, 30), 10 ** rng.uniform(1, 6, 20)])
    for p in (1, 2, 5):

        def exact(t, p=p):
            logs = mpmath.fsum(mpmath.loggamma(t - mpmath.mpf(i) / 2) for i in range(p))
            return p * (p - 1) / 4 * mpmath.log(mpmath.pi) + logs

        assert_close_to_exact(ag.special.multigammaln(ag.tensor(x), p).data, mp(exact, x))


# ---- the unary functions and xlog1py at their edges, against torch -----------------------

EDGES = np.array([NAN, -INF, -1e300, -40, -26.7, -26.6, -1.0, -1e-300, -0.0, 0.0, 1e-300])
EDGES = np.concatenate([EDGES, [1e-320, 0.5, 1.0, 5.0, 30.0, 1e300, INF]])
PROBABILITIES = np.array([NAN, -INF, -0.1, -0.0, 0.0, 5e-324, 1e-300, 1e-10, 0.25, 0.5])
PROBABILITIES = np.concatenate([PROBABILITIES, [0.75, 1 - 2**-53, 1.0, 1.1, INF]])


@pytest.mark.parametrize(
    ("name", "points"),
    [
        ("entr", EDGES),
        ("erfcx", EDGES),
        ("log_ndtr", EDGES),
        ("log_ndtr", NORMAL_POINTS),
        ("ndtri", PROBABILITIES),
        ("ndtri", rng.uniform(0, 1, 200)),
    ],
)
def test_unary_values_as_torch(name, points):
    ours, theirs = both(lambda lib, x: getattr(lib.special, name)(x), points)
    assert_same(ours, theirs, rtol=1e-12 if name != "log_ndtr" else 1e-11)


XLOG1PY_PAIRS = np.array(
    [  # (x, y): zeros with y = -1, below -1, NaN, inf; NaN x; signed zeros ...
        (0, -1), (0, -2), (0, NAN), (0, INF), (-0.0, 2), (2, -1), (2, -2), (NAN, 1), (0, 1),
        (1, NAN), (-1, 2), (2, INF), (INF, 0), (0, -INF), (3.5, 1e-300), (1e-300, 1e300),
        (0, -0.5), (1.5, -0.5),
    ]
)  # fmt: skip


def test_xlog1py_values_and_gradients_at_the_edges_as_torch():
    (out, (grad_x, grad_y), _), (out_t, (grad_x_t, grad_y_t), _) = grads(
        lambda lib, x, y: lib.special.xlog1py(x, y), XLOG1PY_PAIRS[:, 0], XLOG1PY_PAIRS[:, 1]
    )
    assert_same(out, out_t)
    assert_same(grad_x, grad_x_t)
    assert_same(grad_y, grad_y_t)


def test_xlog1py_with_a_number_on_either_side_and_broadcasting():
    x = rng.uniform(-2, 2, (3, 1))
    y = rng.uniform(-0.9, 3, (4,))
    for fn in (
        lambda lib, a, b: a * lib.special.xlog1py(2.0, b) + lib.special.xlog1py(a, 3),
        lambda lib, a, b: lib.special.xlog1py(0, b) + lib.special.xlog1py(a, -1.0),
    ):
        (out, ours, _), (out_t, theirs, _) = grads(fn, x, y)
        assert_same(out, out_t)
        for grad, grad_t in zip(ours, theirs):
            assert_same(grad, grad_t)


# ---- gradients -------------------------------------------------------------------------

POSITIVE = np.concatenate([10 ** rng.uniform(-3, 2, 30), [0.0, 1.0, INF, NAN, 1e-320]])
SHAPES_A = rng.uniform(0.1, 20, 25)


@pytest.mark.parametrize(
    ("fn", "arrays", "rtol"),
    [
        (lambda lib, x: lib.special.entr(x), [np.append(POSITIVE, [-1.0, -0.0])], 1e-12),
        (lambda lib, x: lib.special.erfcx(x), [EDGES[EDGES > -26.5]], 1e-12),  # see below
        (lambda lib, x: lib.special.log_ndtr(x), [rng.uniform(-30, 8, 40)], 1e-11),
        (lambda lib, x: lib.special.ndtri(x), [PROBABILITIES], 1e-12),
        (lambda lib, x: lib.special.multigammaln(x, 4), [rng.uniform(1.6, 30, 20)], 1e-12),
        (lambda lib, x: lib.special.gammainc(lib.tensor(SHAPES_A), x), [SHAPES_A * 1.3], 1e-12),
        (lambda lib, x: lib.special.gammaincc(lib.tensor(SHAPES_A), x), [SHAPES_A / 2], 1e-12),
        (lambda lib, x: lib.special.zeta(lib.tensor(SHAPES_A + 1), x), [SHAPES_A], 1e-12),
        (lambda lib, x: lib.special.zeta(3, x), [rng.uniform(-3, 3, 10)], 1e-12),
    ],
    ids=[
        "entr",
        "erfcx",
        "log_ndtr",
        "ndtri",
        "multigammaln",
        "gammainc",
        "gammaincc",
        "zeta",
        "zeta q<0",
    ],
)
def test_gradients_as_torch(fn, arrays, rtol):
    """(erfcx's, 2 x erfcx(x) - 2/sqrt(pi), is 2e-16 or 0 at x = 1e300 by the last bit of
    erfcx in either library: an absolute 1e-15.)"""
    (out, ours, _), (out_t, theirs, _) = grads(fn, *arrays)
    assert_same(out, out_t, rtol=rtol)
    for grad, grad_t in zip(ours, theirs):
        assert_same(grad, grad_t, rtol=rtol, atol=1e-15)


def test_log_ndtr_gradient_in_the_far_lower_tail():
    """phi(x) / Phi(x) as sqrt(2/pi) / erfcx(-x / sqrt 2): about -x; PyTorch's exp(-x^2/2 -
    log_ndtr(x)) / sqrt(2 pi) keeps only the digits x^2/2 and log_ndtr(x) do not share."""
    x = np.array([-40.0, -1e3, -1e10, -1e100])
    tensor = ag.tensor(x, requires_grad=True)
    (grad,) = ag.grad(ag.special.log_ndtr(tensor).sum(), tensor)
    exact = mp(lambda t: mpmath.npdf(t) / mpmath.ncdf(t), x[:2])  # -x (1 + 1/x^2 ...) beyond
    assert_close_to_exact(grad.data, np.append(exact, -x[2:]))


UNIT = rng.uniform(0.5, 3, (2, 4))


@pytest.mark.parametrize(
    ("fn", "arrays", "rtol"),
    [
        (lambda lib, x: lib.special.entr(x), [UNIT[0]], 1e-10),
        (lambda lib, x: lib.special.erfcx(x), [UNIT[0] * 2 - 3], 1e-10),
        (lambda lib, x: lib.special.log_ndtr(x), [UNIT[0] * 3 - 6], 1e-10),
        (lambda lib, x: lib.special.ndtri(x), [UNIT[0] / 3.1], 1e-10),
        (lambda lib, x: lib.mvlgamma(x, 3), [UNIT[0] + 1], 1e-8),  # trigamma: torch's to 5e-10
        (lambda lib, x, y: lib.special.xlog1py(x, y), [UNIT[0] - 2, UNIT[1] - 1.4], 1e-10),
        (lambda lib, x: lib.special.zeta(lib.tensor(UNIT[1] + 1), x), [UNIT[0]], 1e-10),
        (lambda lib, x: lib.igamma(lib.tensor(UNIT[1]), x), [UNIT[0]], 1e-10),
        (lambda lib, x: lib.igammac(lib.tensor(UNIT[1]), x), [UNIT[0]], 1e-10),
    ],
    ids=["entr", "erfcx", "log_ndtr", "ndtri", "mvlgamma", "xlog1py", "zeta", "igamma", "igammac"],
)
def test_second_derivatives_as_torch(fn, arrays, rtol):
    seconds = []
    for lib in (ag, torch):
        inputs = [lib.tensor(array, requires_grad=True) for array in arrays]
        out = fn(lib, *inputs)
        grad_fn = ag.grad if lib is ag else torch.autograd.grad
        first = grad_fn(out.sum(), inputs, create_graph=True)
        total = sum((grad * grad).sum() for grad in first)
        seconds.append(grad_fn(total, inputs))
    for ours, theirs in zip(*seconds):
        assert_same(ours, theirs, rtol=rtol)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda lib, a, x: lib.special.gammainc(a, x), "the derivative for 'igamma: input'"),
        (lambda lib, a, x: lib.igammac(a, x), "the derivative for 'igammac: input'"),
        (lambda lib, a, x: lib.special.zeta(a + 1, x), "the derivative for 'zeta' is not"),
        (lambda lib, a, x: lib.special.zeta(a.abs() + 1.5, 2.0), "the derivative for 'zeta'"),
    ],
)
def test_no_derivative_in_the_first_argument_as_torch(call, message):
    for lib in (ag, torch):
        a = lib.tensor([1.5, 2.0], requires_grad=True)
        x = lib.tensor([0.5, 3.0])
        out = call(lib, a, x).sum()
        with pytest.raises(NotImplementedError, match=message):
            out.backward()


# ---- dtypes ----------------------------------------------------------------------------

CALLS = {
    "entr": lambda lib, x: lib.special.entr(x),
    "erfcx": lambda lib, x: lib.special.erfcx(x),
    "log_ndtr": lambda lib, x: lib.special.log_ndtr(x),
    "ndtri": lambda lib, x: lib.special.ndtri(x / 4),
    "multigammaln": lambda lib, x: lib.special.multigammaln(x + 1, 2),
    "xlog1py": lambda lib, x: lib.special.xlog1py(x, x),
    "xlog1py number": lambda lib, x: lib.special.xlog1py(x, 2.5),
    "zeta": lambda lib, x: lib.special.zeta(x + 2, x + 1),
    "zeta number": lambda lib, x: lib.special.zeta(3, x + 1),
    "gammainc float": lambda lib, x: lib.special.gammainc(x + 1, lib.tensor([2.0, 0.5, 1.5])),
    "gammaincc": lambda lib, x: lib.special.gammaincc(x + 0.5, x),
}
HALF_REFUSED = {"erfcx", "log_ndtr", "ndtri", "zeta", "zeta number"}


@pytest.mark.parametrize("name", list(CALLS))
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int64", "int32", "uint8"])
def test_dtypes_as_torch(name, dtype):
    """float32 stays float32 (computed in float64 and rounded, PyTorch computes in float32),
    integers give the default float dtype, float16 is refused where PyTorch refuses it."""
    values = np.array([[0, 1, 2], [3, 1, 0]]).astype(dtype)
    if dtype == "float16" and name in HALF_REFUSED:
        for lib in (ag, torch):
            with pytest.raises(NotImplementedError, match="not implemented for 'Half'"):
                CALLS[name](lib, lib.tensor(values))
        return
    if name == "gammaincc" and dtype[0] in "iu":  # two integer tensors: refused, see below
        return
    ours, theirs = both(CALLS[name], values)
    rtol = {"float16": 1e-3, "float32": 1e-6}.get(str(theirs.dtype).split(".")[-1], 1e-12)
    assert_same(ours, theirs, rtol=rtol)


@pytest.mark.parametrize(
    ("a", "x"),
    [
        (np.array([1.0, 2.0], "float32"), np.array(3.0)),  # a 0-d float64 does not promote
        (np.array([1, 2], "int32"), np.array([3.0])),
        (np.array([1.0, 2.0], "float16"), np.array([3.0], "float32")),
        (np.array([1, 2], "int64"), np.array([3.0], "float16")),
    ],
)
@pytest.mark.parametrize("name", ["gammainc", "gammaincc", "zeta", "xlog1py"])
def test_promotion_of_two_tensors_as_torch(a, x, name):
    if name == "zeta" and np.float16 in (a.dtype, x.dtype):
        return  # refused, as above
    ours, theirs = both(lambda lib, s, t: getattr(lib.special, name)(s, t), a, x)
    assert_same(ours, theirs, rtol=1e-3)


def test_integer_inputs_follow_the_default_dtype():
    ag.set_default_dtype(ag.float64)
    assert ag.special.erfcx(ag.tensor([1, 2])).dtype == ag.float64
    assert ag.special.zeta(ag.tensor([2, 3]), 2).dtype == ag.float64
    assert ag.mvlgamma(ag.tensor([2, 3]), 2).dtype == ag.float64


# ---- Tensor methods and in-place forms ---------------------------------------------------


@pytest.mark.parametrize("name", ["igamma", "igammac"])
def test_incomplete_gamma_methods_and_in_place_forms_as_torch(name):
    """x.igamma(y), ag.igamma, and x.igamma_(y) written into x: y's gradient as torch's; the
    gradient for x itself, had x a graph, is PyTorch's NotImplementedError."""
    a = rng.uniform(0.5, 3, (3, 4))
    results = []
    for lib in (ag, torch):
        x = lib.tensor(np.array([0.5, 1.0, 2.5, 4.0]), requires_grad=True)
        method = getattr(lib.tensor(a), name)(x)
        function = getattr(lib, name)(lib.tensor(a), x)
        written = lib.tensor(a)
        assert getattr(written, name + "_")(x) is written
        (written * 2 + method + function).sum().backward()
        results.append((method, function, written, x.grad))
    for ours, theirs in zip(*results):
        assert_same(ours, theirs)
    for lib in (ag, torch):
        recorded = lib.tensor(a, requires_grad=True) * 1.0
        getattr(recorded, name + "_")(lib.tensor([1.0, 2.0, 3.0, 4.0]))
        with pytest.raises(NotImplementedError, match=f"the derivative for '{name}: input'"):
            recorded.sum().backward()


def test_mvlgamma_forms_as_torch():
    values = rng.uniform(1.6, 5, (3, 4))
    outputs = []
    for lib in (ag, torch):
        x = lib.tensor(values)
        written = lib.tensor(values)
        written.mvlgamma_(3)
        outputs.append(
            (x.mvlgamma(p=2), lib.mvlgamma(x, 3), written, lib.special.multigammaln(x, p=4))
        )
    for ours, theirs in zip(*outputs):
        assert_same(ours, theirs)


# ---- errors ----------------------------------------------------------------------------

ERRORS = [
    (lambda lib: lib.special.entr(1.0), TypeError, "'input' .*must be (a )?Tensor, not float"),
    (lambda lib: lib.special.ndtri([0.5]), TypeError, "'input' .*must be (a )?Tensor, not list"),
    (lambda lib: lib.special.gammainc(2.0, lib.ones(2)), TypeError, "'input' .*must be .*Tensor"),
    (lambda lib: lib.igammac(lib.ones(2), 1.0), TypeError, "'other' .*must be (a )?Tensor, not"),
    (lambda lib: lib.special.zeta(2.0, 3.0), TypeError, r"zeta\(\) received an invalid combi"),
    (lambda lib: lib.special.xlog1py(2.0, 3), TypeError, r"xlog1py\(\) received an invalid"),
    (lambda lib: lib.special.zeta(lib.ones(2), "a"), TypeError, r"zeta\(\).*str"),
    (lambda lib: lib.special.xlog1py(None, lib.ones(2)), TypeError, r"xlog1py\(\).*NoneType"),
    (lambda lib: lib.special.zeta(lib.ones(2), 2**64), OverflowError, "too big to convert"),
    (
        lambda lib: lib.special.zeta(lib.ones(2), lib.ones(3)),
        RuntimeError,
        r"size of tensor a \(2\)",
    ),
    (lambda lib: lib.igamma(lib.ones(2), lib.ones(3)), RuntimeError, r"size of tensor a \(2\)"),
    (lambda lib: lib.special.xlog1py(lib.ones(2), lib.ones(3)), RuntimeError, "size of tensor a"),
    (
        lambda lib: lib.special.gammainc(lib.tensor([1, 2]), lib.tensor([1, 2])),
        NotImplementedError,
        "\"igamma_cpu\" not implemented for 'Long'",
    ),
    (
        lambda lib: lib.igammac(lib.tensor([True]), lib.tensor([False])),
        NotImplementedError,
        "\"igammac_cpu\" not implemented for 'Bool'",
    ),
    (lambda lib: lib.special.multigammaln(lib.ones(2), 0), RuntimeError, "p has to be greater"),
    (lambda lib: lib.mvlgamma(lib.ones(2), -1), RuntimeError, "p has to be greater than or eq"),
    (lambda lib: lib.mvlgamma(lib.ones(2), 1.5), TypeError, "'p' .*must be int, not float"),
    (lambda lib: lib.ones(2).mvlgamma(True), TypeError, "'p' .*must be int, not bool"),
    (lambda lib: lib.mvlgamma(lib.tensor([True]), 1), RuntimeError, "may not be a boolean"),
    (lambda lib: lib.special.multigammaln(2.0, 2), TypeError, "'input' .*must be .*Tensor"),
]


@pytest.mark.parametrize(("make", "error", "message"), ERRORS)
def test_errors_as_torch(make, error, message):
    for lib in (ag, torch):
        with pytest.raises(error, match=message):
            make(lib)


def test_a_float_result_written_into_an_integer_tensor_is_refused_as_torch():
    for lib in (ag, torch):
        with pytest.raises(RuntimeError):
            lib.tensor([1, 2]).igamma_(lib.tensor([1.0, 2.0]))
