"""Unary ops and activations beyond the spec table: kink gradients, erf accuracy, dtype
promotion, NaN/inf propagation, numerical stability and error messages, against PyTorch."""

import math
import warnings

import numpy as np
import pytest

import autograd as ag
from autograd import ops

torch = pytest.importorskip("torch")
F = torch.nn.functional

SPECIAL = [float("nan"), float("inf"), -float("inf"), 0.0, -0.0, 1.0, -1.0, 30.0, -30.0, 1e-8]

# (name, chainrule function, torch function) for every unary float op.
UNARY = [
    ("exp", ag.exp, torch.exp),
    ("log", ag.log, torch.log),
    ("log1p", ag.log1p, torch.log1p),
    ("expm1", ag.expm1, torch.expm1),
    ("sqrt", ag.sqrt, torch.sqrt),
    ("rsqrt", ag.rsqrt, torch.rsqrt),
    ("sin", ag.sin, torch.sin),
    ("cos", ag.cos, torch.cos),
    ("tan", ag.tan, torch.tan),
    ("tanh", ag.tanh, torch.tanh),
    ("sigmoid", ag.sigmoid, torch.sigmoid),
    ("abs", ag.abs, torch.abs),
    ("square", ag.square, torch.square),
    ("reciprocal", ag.reciprocal, torch.reciprocal),
    ("erf", ag.erf, torch.erf),
    ("sign", ag.sign, torch.sign),
    ("floor", ag.floor, torch.floor),
    ("ceil", ag.ceil, torch.ceil),
    ("trunc", ag.trunc, torch.trunc),
    ("round", ag.round, torch.round),
    ("relu", ag.relu, torch.relu),
    ("hardtanh", ops.hardtanh, F.hardtanh),
    ("relu6", ops.relu6, F.relu6),
    ("leaky_relu", ops.leaky_relu, F.leaky_relu),
    ("elu", ops.elu, F.elu),
    ("softplus", ops.softplus, F.softplus),
    ("log_sigmoid", ops.log_sigmoid, F.logsigmoid),
    ("silu", ops.silu, F.silu),
    ("gelu", ops.gelu, F.gelu),
    (
        "gelu-tanh",
        lambda x: ops.gelu(x, approximate="tanh"),
        lambda x: F.gelu(x, approximate="tanh"),
    ),
]
IDS = [name for name, _, _ in UNARY]


def value_and_grad(fn, values, lib, dtype):
    """fn(x) and d sum(fn(x)) / dx, in chainrule (lib=ag) or torch."""
    x = lib.tensor(values, dtype=dtype, requires_grad=True)
    out = fn(x)
    out.sum().backward()
    return out.detach().numpy(), x.grad.numpy()


# ---- kinks -----------------------------------------------------------------------------


KINKS = [
    ("abs at 0", ag.abs, torch.abs, [0.0, -0.0]),
    ("relu at 0", ag.relu, torch.relu, [0.0, -0.0]),
    ("leaky_relu at 0", lambda x: ops.leaky_relu(x, 0.2), lambda x: F.leaky_relu(x, 0.2), [0.0]),
    ("hardtanh at its bounds", ops.hardtanh, F.hardtanh, [-1.0, 1.0]),
    ("relu6 at 0 and 6", ops.relu6, F.relu6, [0.0, 6.0]),
    ("elu at 0", lambda x: ops.elu(x, 0.5), lambda x: F.elu(x, 0.5), [0.0]),
    ("softplus at its threshold", ops.softplus, F.softplus, [20.0]),
    ("sign at 0", ag.sign, torch.sign, [0.0]),
    ("floor at an integer", ag.floor, torch.floor, [2.0]),
    ("round at a half", ag.round, torch.round, [0.5, 1.5]),
]


@pytest.mark.parametrize("name,ours,theirs,points", KINKS, ids=[k[0] for k in KINKS])
def test_gradient_at_kinks_matches_torch(name, ours, theirs, points):
    out, grad = value_and_grad(ours, points, ag, ag.float64)
    expected_out, expected_grad = value_and_grad(theirs, points, torch, torch.float64)
    np.testing.assert_allclose(out, expected_out, rtol=1e-15, atol=0)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-15, atol=0)


def test_kink_gradients_are_the_documented_values():
    _, grad = value_and_grad(ag.abs, [0.0], ag, ag.float64)
    assert grad[0] == 0.0
    _, grad = value_and_grad(ag.relu, [0.0], ag, ag.float64)
    assert grad[0] == 0.0
    _, grad = value_and_grad(lambda x: ops.leaky_relu(x, 0.25), [0.0], ag, ag.float64)
    assert grad[0] == 0.25


# ---- erf -------------------------------------------------------------------------------


def test_erf_matches_math_erf_to_two_ulps():
    grid = np.concatenate(
        [np.linspace(-7.0, 7.0, 40001), np.geomspace(1e-300, 1.0, 500), [0.9999999999999999, 6.0]]
    )
    got = ag.erf(ag.tensor(grid, dtype=ag.float64)).numpy()
    expected = np.array([math.erf(value) for value in grid])
    ulps = np.abs(got - expected) / np.spacing(np.abs(expected))
    assert ulps.max() <= 2, f"worst at x = {grid[np.argmax(ulps)]}: {ulps.max()} ulps"


def test_erf_is_odd_and_saturates():
    x = np.linspace(0.0, 10.0, 1001)
    positive = ag.erf(ag.tensor(x, dtype=ag.float64)).numpy()
    negative = ag.erf(ag.tensor(-x, dtype=ag.float64)).numpy()
    np.testing.assert_array_equal(positive, -negative)
    assert np.all(positive[x >= 6.0] == 1.0)
    assert np.all(np.diff(positive) >= 0)


def test_erf_float32_against_torch():
    x = np.linspace(-5.0, 5.0, 2001, dtype=np.float32)
    got = ag.erf(ag.tensor(x))
    assert got.dtype == ag.float32
    np.testing.assert_allclose(got.numpy(), torch.erf(torch.tensor(x)).numpy(), rtol=0, atol=1e-7)


# ---- dtypes ----------------------------------------------------------------------------


@pytest.mark.parametrize("name,ours,theirs", UNARY, ids=IDS)
def test_integer_inputs_give_torch_dtype(name, ours, theirs):
    if name in ("leaky_relu", "elu", "softplus", "log_sigmoid", "silu", "gelu", "gelu-tanh"):
        pytest.skip("PyTorch has no integer kernel for this activation (ours promotes)")
    values = [1, -2, 0, 3]
    expected = theirs(torch.tensor(values))
    got = ours(ag.tensor(values))
    assert str(got.dtype) == str(expected.dtype).removeprefix("torch.")
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-6)


def test_integer_exp_is_the_default_float():
    assert ag.exp(ag.tensor([1, 2])).dtype == ag.float32
    ag.set_default_dtype(ag.float64)
    assert ag.exp(ag.tensor([1, 2])).dtype == ag.float64


def test_bool_inputs():
    flags = ag.tensor([True, False])
    assert ag.sign(flags).dtype == ag.bool
    assert ag.sigmoid(flags).dtype == ag.float32
    assert ag.square(flags).dtype == ag.int64


@pytest.mark.parametrize("dtype", [ag.float32, ag.float64])
@pytest.mark.parametrize("name,ours,theirs", UNARY, ids=IDS)
def test_float_dtype_is_kept(name, ours, theirs, dtype):
    assert ours(ag.tensor([0.5, -1.5], dtype=dtype)).dtype == dtype
    assert ours(ag.tensor(0.25, dtype=dtype)).shape == ()


# ---- NaN, inf, large values ------------------------------------------------------------


@pytest.mark.parametrize("name,ours,theirs", UNARY, ids=IDS)
def test_special_values_match_torch_without_warnings(name, ours, theirs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = ours(ag.tensor(SPECIAL, dtype=ag.float64)).numpy()
    expected = theirs(torch.tensor(SPECIAL, dtype=torch.float64)).numpy()
    if (
        name == "gelu"
    ):  # PyTorch's gelu(+-inf) is nan (inf * 0 inside its kernel); ours is the limit
        got, expected = got[3:], expected[3:]
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0, equal_nan=True)


FINITE_GRADS = [entry for entry in UNARY if entry[0] not in ("gelu", "gelu-tanh", "silu")]


@pytest.mark.parametrize("name,ours,theirs", FINITE_GRADS, ids=[e[0] for e in FINITE_GRADS])
def test_special_value_gradients_match_torch(name, ours, theirs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, grad = value_and_grad(ours, SPECIAL, ag, ag.float64)
    _, expected = value_and_grad(theirs, SPECIAL, torch, torch.float64)
    if name in ("hardtanh", "relu6"):  # PyTorch's own NaN gradient differs between its kernels
        grad, expected = grad[1:], expected[1:]
    np.testing.assert_allclose(grad, expected, rtol=1e-12, atol=0, equal_nan=True)


@pytest.mark.parametrize("dtype", [ag.float32, ag.float64])
def test_saturating_activations_are_stable(dtype):
    x = [-1000.0, -100.0, 100.0, 1000.0]
    for ours, theirs in [
        (ag.sigmoid, torch.sigmoid),
        (ops.log_sigmoid, F.logsigmoid),
        (lambda t: ops.softplus(t, threshold=1e4), lambda t: F.softplus(t, threshold=1e4)),
        (ops.silu, F.silu),
    ]:
        out, grad = value_and_grad(ours, x, ag, dtype)
        assert np.all(np.isfinite(out)) and np.all(np.isfinite(grad))
        expected_out, expected_grad = value_and_grad(theirs, x, torch, getattr(torch, str(dtype)))
        # PyTorch overflows in softplus(1000) with a large threshold and flushes float32
        # sigmoid(-100) = 3.8e-44 to 0; ours stays finite and keeps the subnormal.
        finite = np.isfinite(expected_out)
        np.testing.assert_allclose(out[finite], expected_out[finite], rtol=1e-6, atol=1e-30)
        np.testing.assert_allclose(grad[finite], expected_grad[finite], rtol=1e-6, atol=1e-30)


def test_sigmoid_keeps_relative_precision_in_the_tail():
    got = ag.sigmoid(ag.tensor([-700.0, -40.0], dtype=ag.float64)).numpy()
    np.testing.assert_allclose(
        got, np.exp([-700.0, -40.0]) / (1 + np.exp([-700.0, -40.0])), rtol=1e-14
    )


# ---- gelu, softplus, round options -----------------------------------------------------


@pytest.mark.parametrize("approximate", ["none", "tanh"])
@pytest.mark.parametrize("dtype", [ag.float32, ag.float64])
def test_gelu_against_torch(approximate, dtype):
    x = np.linspace(-8.0, 8.0, 4001)
    out, grad = value_and_grad(lambda t: ops.gelu(t, approximate=approximate), x, ag, dtype)
    expected_out, expected_grad = value_and_grad(
        lambda t: F.gelu(t, approximate=approximate), x, torch, getattr(torch, str(dtype))
    )
    # PyTorch's float32 tanh rounds 1 + tanh(u) to 0 below x = -4.5; ours keeps ~1e-6 there.
    tolerance = 2e-6 if dtype == ag.float32 else 1e-14
    np.testing.assert_allclose(out, expected_out, rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(grad, expected_grad, rtol=tolerance, atol=tolerance)


def test_gelu_second_derivative_against_torch():
    for approximate in ("none", "tanh"):
        x = ag.tensor(np.linspace(-4, 4, 41), dtype=ag.float64, requires_grad=True)
        (first,) = ag.grad(ops.gelu(x, approximate=approximate).sum(), x, create_graph=True)
        (second,) = ag.grad(first.sum(), x)
        y = torch.tensor(np.linspace(-4, 4, 41), requires_grad=True)
        (expected,) = torch.autograd.grad(
            F.gelu(y, approximate=approximate).sum(), y, create_graph=True
        )
        (expected_second,) = torch.autograd.grad(expected.sum(), y)
        np.testing.assert_allclose(second.numpy(), expected_second.numpy(), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("beta,threshold", [(1.0, 20.0), (2.0, 1.0), (0.5, 5.0)])
def test_softplus_options_against_torch(beta, threshold):
    x = np.linspace(-30.0, 30.0, 601)
    out, grad = value_and_grad(lambda t: ops.softplus(t, beta, threshold), x, ag, ag.float64)
    expected_out, expected_grad = value_and_grad(
        lambda t: F.softplus(t, beta, threshold), x, torch, torch.float64
    )
    np.testing.assert_allclose(out, expected_out, rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-13, atol=1e-300)


@pytest.mark.parametrize("decimals", [-2, -1, 0, 1, 3])
def test_round_decimals_against_torch(decimals):
    x = np.array([1234.5, 25.0, 35.0, 0.125, 0.375, -2.5, 2.675, 1e-4, -1e6 / 3])
    got = ag.round(ag.tensor(x, dtype=ag.float64), decimals=decimals).numpy()
    expected = torch.round(torch.tensor(x), decimals=decimals).numpy()
    np.testing.assert_array_equal(got, expected)
    assert ag.tensor(x.astype(np.float32)).round(decimals=decimals).dtype == ag.float32


# ---- errors ----------------------------------------------------------------------------


def test_errors_name_the_op():
    x = ag.tensor([1.0, -1.0])
    with pytest.raises(RuntimeError, match=r"gelu.*approximate"):
        ops.gelu(x, approximate="fast")
    with pytest.raises(ValueError, match=r"hardtanh.*min_val cannot be greater than max_val"):
        ops.hardtanh(x, 2.0, 1.0)
    with pytest.raises(RuntimeError, match=r"relu.*Boolean"):
        ag.relu(ag.tensor([True]))
    for fn, name in [(ag.abs, "abs"), (ag.floor, "floor"), (ag.round, "round")]:
        with pytest.raises(RuntimeError, match=rf"{name}.*bool"):
            fn(ag.tensor([True]))
    with pytest.raises(RuntimeError, match=r"round.*decimals.*integer"):
        ag.round(ag.tensor([1, 2]), decimals=1)


def test_tensor_methods_forward_to_the_ops():
    x = ag.tensor([0.5, -1.25, 2.0], dtype=ag.float64)
    for method in ["exp", "sqrt", "sigmoid", "relu", "erf", "square", "reciprocal", "ceil"]:
        np.testing.assert_array_equal(
            getattr(x.abs(), method)().numpy(), getattr(ag, method)(x.abs()).numpy()
        )
    np.testing.assert_array_equal(abs(x).numpy(), np.abs(x.numpy()))
    np.testing.assert_array_equal(x.round(decimals=1).numpy(), [0.5, -1.2, 2.0])


def test_keep_where_keeps_the_shape_of_0d_and_broadcast_masks():
    from autograd.ops.activation import keep_where

    scalar = keep_where(np.asarray(np.float32(-2.5)), np.bool_(True))
    assert scalar.shape == () and scalar == np.float32(-2.5)
    assert keep_where(np.asarray(np.float32(np.nan)), np.bool_(False)) == 0
    rows = keep_where(np.ones((2, 3), np.float32), np.array([True, False, True]))
    np.testing.assert_array_equal(rows, [[1, 0, 1], [1, 0, 1]])
    x = ag.tensor(3.0, requires_grad=True)
    x.relu().backward()
    assert x.grad.shape == () and float(x.grad) == 1.0


@pytest.mark.parametrize("decimals", [-2, -1, 1, 2, 3])
def test_float16_round_with_decimals_scales_in_float32_like_torch(decimals):
    values = np.random.default_rng(0).uniform(-1000, 1000, 5000).astype(np.float16)
    values[0] = 1.0546875  # * 100 is 105.5 in float16, 105.46875 in float32
    ours = ag.round(ag.tensor(values), decimals=decimals).numpy()
    np.testing.assert_array_equal(ours, torch.round(torch.tensor(values), decimals=decimals))


def test_pow_exponent_gradient_takes_the_log_of_an_integer_base_in_the_result_dtype():
    grads = []
    for lib in (ag, torch):
        exponent = lib.tensor([0.0, 1.5], dtype=lib.float64, requires_grad=True)
        (lib.tensor([2, 3], dtype=lib.uint8) ** exponent).sum().backward()
        grads.append(exponent.grad.numpy())
    np.testing.assert_array_equal(*grads)  # log(2) in float64, not float32


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("exponent", [0.5, -0.5, 1.5, -1.5, 2.0, 3.0, -3.0, 0.0, math.inf])
def test_pow_of_minus_inf_like_torch(dtype, exponent):
    """NumPy's loop for one exponent over many bases gives NaN at -inf; C and PyTorch do not
    (but PyTorch's x ** 0.5 and x ** -0.5 are sqrt and 1 / sqrt: NaN)."""
    values = [-math.inf] * 3 + [2.0]
    for scalar in (True, False):
        results = []
        for lib in (ag, torch):
            base = lib.tensor(values, dtype=getattr(lib, dtype))
            power = exponent if scalar else lib.full((4,), exponent, dtype=getattr(lib, dtype))
            results.append((base**power).numpy())
        np.testing.assert_array_equal(*results)
