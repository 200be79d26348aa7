"""The in-place forms of the elementwise (and a few other) methods, ``x.sin_()`` for
``x.sin()`` ..., and ``random_``, against PyTorch: the values written, the gradient through
a recorded tensor (to it and to the other operand), the refusal of a leaf that requires
grad, and the dtypes they refuse to write."""

import numpy as np
import pytest

import autograd as ag

torch = pytest.importorskip("torch")

rng = np.random.default_rng(5)
X = rng.uniform(-0.9, 0.9, (3, 4))  # inside every domain below but where noted
POSITIVE = rng.uniform(0.2, 2.0, (3, 4))
AWAY_FROM_0 = rng.uniform(0.3, 2.0, (3, 4)) * np.array([1, -1, 1, -1])
ROUNDING = np.array([[-1.5, -0.5, 0.5, 2.5], [1.26, -2.74, 3.05, 0.0], [7.0, -7.0, 0.49, 9.99]])
PROBABILITY = rng.uniform(0.05, 0.95, (3, 4))
SPECIAL = np.array([[np.nan, np.inf, -np.inf, 1.0]] * 3)
W = rng.uniform(0.5, 1.5, (3, 4)) * np.array([[1], [-1], [1]])  # the other operand

METHODS = {  # name: (the tensor's values, the arguments made of (lib, w), w differentiable)
    "sin_": (X, lambda lib, w: ()),
    "cos_": (X, lambda lib, w: ()),
    "tan_": (X, lambda lib, w: ()),
    "sinh_": (X, lambda lib, w: ()),
    "cosh_": (X, lambda lib, w: ()),
    "asin_": (X, lambda lib, w: ()),
    "arcsin_": (X, lambda lib, w: ()),
    "acos_": (X, lambda lib, w: ()),
    "arccos_": (X, lambda lib, w: ()),
    "atan_": (X, lambda lib, w: ()),
    "arctan_": (X, lambda lib, w: ()),
    "atan2_": (X, lambda lib, w: (w,)),
    "arctan2_": (X, lambda lib, w: (w[0],)),
    "hypot_": (X, lambda lib, w: (w,)),
    "log1p_": (X, lambda lib, w: ()),
    "expm1_": (X, lambda lib, w: ()),
    "log2_": (POSITIVE, lambda lib, w: ()),
    "log10_": (POSITIVE, lambda lib, w: ()),
    "rsqrt_": (POSITIVE, lambda lib, w: ()),
    "reciprocal_": (AWAY_FROM_0, lambda lib, w: ()),
    "erf_": (X, lambda lib, w: ()),
    "erfc_": (X, lambda lib, w: ()),
    "erfinv_": (X, lambda lib, w: ()),
    "lgamma_": (POSITIVE, lambda lib, w: ()),
    "digamma_": (POSITIVE, lambda lib, w: ()),
    "polygamma_": (POSITIVE, lambda lib, w: (2,)),
    "logit_": (PROBABILITY, lambda lib, w: ()),
    "xlogy_": (X, lambda lib, w: (w.abs(),)),
    "sinc_": (X, lambda lib, w: ()),
    "i0_": (X * 3, lambda lib, w: ()),
    "mvlgamma_": (POSITIVE + 1, lambda lib, w: (2,)),
    "floor_": (ROUNDING, lambda lib, w: ()),
    "ceil_": (ROUNDING, lambda lib, w: ()),
    "round_": (ROUNDING, lambda lib, w: ()),
    "trunc_": (ROUNDING, lambda lib, w: ()),
    "frac_": (ROUNDING, lambda lib, w: ()),
    "sign_": (ROUNDING, lambda lib, w: ()),
    "sgn_": (ROUNDING, lambda lib, w: ()),
    "negative_": (X, lambda lib, w: ()),
    "nan_to_num_": (SPECIAL, lambda lib, w: (1.0, 2.0, -3.0)),
    "clamp_min_": (X, lambda lib, w: (0.1,)),
    "clamp_max_": (X, lambda lib, w: (w,)),
    "remainder_": (AWAY_FROM_0 * 3, lambda lib, w: (w,)),
    "fmod_": (AWAY_FROM_0 * 3, lambda lib, w: (w,)),
    "true_divide_": (X, lambda lib, w: (w,)),
    "cumsum_": (X, lambda lib, w: (-1,)),
    "cumprod_": (X, lambda lib, w: (0,)),
    "tril_": (X, lambda lib, w: (1,)),
    "triu_": (X, lambda lib, w: (-1,)),
    "eq_": (ROUNDING, lambda lib, w: (lib.tensor(ROUNDING[0]),)),
    "ne_": (X, lambda lib, w: (w,)),
    "lt_": (X, lambda lib, w: (w,)),
    "le_": (ROUNDING, lambda lib, w: (0.5,)),
    "gt_": (X, lambda lib, w: (w[1],)),
    "ge_": (X, lambda lib, w: (w,)),
    "logical_and_": (ROUNDING, lambda lib, w: (w,)),
    "logical_or_": (ROUNDING, lambda lib, w: (lib.tensor(X) > 0,)),
    "logical_xor_": (ROUNDING, lambda lib, w: (w,)),
    "logical_not_": (ROUNDING, lambda lib, w: ()),
}
WITH_KEYWORDS = {  # methods whose PyTorch arguments are keyword-only
    "round_ decimals": ("round_", ROUNDING, lambda lib, w: {"decimals": 1}),
    "addmm_": ("addmm_", X, lambda lib, w: {"mat1": w[:, :2], "mat2": w[:2], "alpha": 2.0}),
    "addmm_ beta": ("addmm_", X, lambda lib, w: {"mat1": w[:, :3], "mat2": w, "beta": 0.5}),
}
UNRECORDED = {"logical_and_", "logical_or_", "logical_xor_", "logical_not_"}  # as PyTorch


def write(lib, name, values, arguments, keywords=False):
    """The tensor and w (float64 leaves), y = tensor * 1.0 written in place by the method,
    backward of y weighted 1, 2, 3 ...; returns y's values and both leaves' gradients."""
    leaf = lib.tensor(values, dtype=lib.float64, requires_grad=True)
    w = lib.tensor(W, dtype=lib.float64, requires_grad=True)
    y = leaf * 1.0
    made = arguments(lib, w)
    out = getattr(y, name)(**made) if keywords else getattr(y, name)(*made)
    assert out is y
    weights = lib.arange(1, y.numel() + 1, dtype=lib.float64).reshape(y.shape)
    (y * weights).sum().backward()
    return [None if t is None else array_of(t) for t in (y, leaf.grad, w.grad)]


def array_of(tensor):
    if isinstance(tensor, ag.Tensor):
        return tensor.detach().numpy()
    return tensor.detach().numpy(force=True)  # (PyTorch's sgn gives a lazy zero gradient)


def assert_same_arrays(ours, theirs, rtol=1e-12):
    for mine, expected in zip(ours, theirs):
        assert (mine is None) == (expected is None)
        if expected is not None:
            np.testing.assert_allclose(mine, expected, rtol=rtol, atol=1e-14)


# digamma_'s gradient is trigamma, which PyTorch computes to about 5e-10 only (see
# tests/test_special.py, which checks ours against exact values)
RTOL = {"digamma_": 1e-8}


@pytest.mark.parametrize("name", list(METHODS))
def test_values_and_gradients_as_torch(name):
    values, arguments = METHODS[name]
    ours, theirs = write(ag, name, values, arguments), write(torch, name, values, arguments)
    assert_same_arrays(ours, theirs, RTOL.get(name, 1e-12))


@pytest.mark.parametrize("case", list(WITH_KEYWORDS))
def test_values_and_gradients_with_keyword_arguments_as_torch(case):
    name, values, arguments = WITH_KEYWORDS[case]
    ours = write(ag, name, values, arguments, keywords=True)
    assert_same_arrays(ours, write(torch, name, values, arguments, keywords=True))


@pytest.mark.parametrize("name", list(METHODS))
def test_the_same_values_as_the_method_without_underscore(name):
    values, arguments = METHODS[name]
    x = ag.tensor(values)
    expected = getattr(x, name[:-1])(*arguments(ag, ag.tensor(W, dtype=ag.float32)))
    written = getattr(x.clone(), name)(*arguments(ag, ag.tensor(W, dtype=ag.float32)))
    np.testing.assert_array_equal(written.numpy(), expected.to(x.dtype).numpy())


@pytest.mark.parametrize("name", list(METHODS))
def test_a_leaf_that_requires_grad_is_refused_as_in_torch(name):
    values, arguments = METHODS[name]
    for lib in (ag, torch):
        leaf = lib.tensor(values, requires_grad=True)
        before = leaf.detach().clone()
        made = arguments(lib, lib.tensor(W, dtype=lib.float32))
        if name in UNRECORDED:  # PyTorch lets these write into the leaf, which stays one
            getattr(leaf, name)(*made)
            assert leaf.is_leaf and leaf.requires_grad
            continue
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
            getattr(leaf, name)(*made)
        assert lib.equal(leaf.detach(), before) or name == "nan_to_num_"
        with lib.no_grad():
            getattr(leaf, name)(*made)  # allowed there, as an initialisation
        assert leaf.is_leaf


def test_a_comparison_written_in_place_records_a_zero_gradient():
    for lib in (ag, torch):
        w = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = lib.zeros(3)
        y.lt_(w)  # y did not require grad: it does now, as w does
        assert y.requires_grad and y.tolist() == [1.0, 1.0, 1.0]
        (y * 2.0).sum().backward()
        assert w.grad.tolist() == [0.0, 0.0, 0.0]


def test_floor_divide_in_place_has_no_gradient_as_in_torch():
    for lib in (ag, torch):
        y = lib.tensor(X, requires_grad=True) * 1.0
        y.floor_divide_(0.3)
        np.testing.assert_array_equal(y.detach().numpy(), np.floor_divide(X, 0.3))
        with pytest.raises(
            RuntimeError, match=r"derivative for .*floor_divide.* is not implemented"
        ):
            y.sum().backward()


INTEGERS = np.array([[5, 3, -2, 0], [0, 7, 12, -9], [1, 1, -1, 4]])
INTEGER_METHODS = {
    "bitwise_and_": lambda lib: (lib.tensor(INTEGERS[::-1].copy()),),
    "bitwise_or_": lambda lib: (lib.tensor(INTEGERS[::-1].copy()),),
    "bitwise_xor_": lambda lib: (3,),
    "bitwise_not_": lambda lib: (),
    "remainder_": lambda lib: (4,),
    "fmod_": lambda lib: (lib.tensor([3, -3, 5, 2]),),
    "floor_divide_": lambda lib: (3,),
    "sign_": lambda lib: (),
    "floor_": lambda lib: (),
    "eq_": lambda lib: (lib.tensor(INTEGERS[0]),),
    "logical_not_": lambda lib: (),
    "clamp_max_": lambda lib: (4,),
    "cumsum_": lambda lib: (0,),
    "cumprod_": lambda lib: (1,),
}


@pytest.mark.parametrize("name", list(INTEGER_METHODS))
@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8"])
def test_integer_tensors_as_torch(name, dtype):
    if dtype == "uint8" and name in ("sign_", "floor_divide_", "fmod_"):
        pytest.skip("negative values or operands")
    ours = ag.tensor(INTEGERS).to(getattr(ag, dtype))
    theirs = torch.tensor(INTEGERS).to(getattr(torch, dtype))
    getattr(ours, name)(*INTEGER_METHODS[name](ag))
    getattr(theirs, name)(*INTEGER_METHODS[name](torch))
    assert ours.tolist() == theirs.tolist() and str(ours.dtype) == str(theirs.dtype)[6:]


BOOLS = np.array([[True, False, True], [False, False, True]])


@pytest.mark.parametrize(
    ("name", "arguments"),
    [
        ("logical_and_", lambda lib: (lib.tensor(BOOLS[::-1].copy()),)),
        ("logical_or_", lambda lib: (lib.tensor(BOOLS[::-1].copy()),)),
        ("logical_xor_", lambda lib: (lib.tensor(BOOLS[::-1].copy()),)),
        ("logical_not_", lambda lib: ()),
        ("bitwise_xor_", lambda lib: (lib.tensor(BOOLS[::-1].copy()),)),
        ("bitwise_not_", lambda lib: ()),
        ("eq_", lambda lib: (lib.tensor(BOOLS[0]),)),
    ],
)
def test_bool_tensors_as_torch(name, arguments):
    ours, theirs = ag.tensor(BOOLS), torch.tensor(BOOLS)
    getattr(ours, name)(*arguments(ag))
    getattr(theirs, name)(*arguments(torch))
    assert ours.tolist() == theirs.tolist() and ours.dtype == ag.bool


REFUSED = [  # (method call, the error type): results that do not fit the tensor's dtype
    (lambda lib: lib.tensor([1, 2]).sin_(), RuntimeError),
    (lambda lib: lib.tensor([1, 2]).reciprocal_(), RuntimeError),
    (lambda lib: lib.tensor([1, 2]).true_divide_(2), RuntimeError),
    (lambda lib: lib.tensor([1, 2]).remainder_(2.5), RuntimeError),
    (lambda lib: lib.tensor([1, 2]).atan2_(lib.tensor([1, 2])), RuntimeError),
    (lambda lib: lib.tensor([True, False]).negative_(), RuntimeError),
    (lambda lib: lib.tensor([1.0, 2.0]).bitwise_and_(lib.tensor([3.0, 3.0])), RuntimeError),
    (lambda lib: lib.tensor([1.0, 2.0]).sin_(lib.tensor([1.0])), TypeError),
    (lambda lib: lib.tensor([1.0, 2.0]).atan2_(lib.ones(3)), RuntimeError),
    (lambda lib: lib.ones(3).eq_(lib.ones(2, 3)), RuntimeError),
    (lambda lib: lib.tensor([1, 2]).polygamma_(1), RuntimeError),
    (lambda lib: lib.tensor([1, 2]).lgamma_(), RuntimeError),
    (lambda lib: lib.tensor([1, 2]).i0_(), RuntimeError),
    (lambda lib: lib.tensor([1, 2]).mvlgamma_(2), RuntimeError),
]


@pytest.mark.parametrize(("call", "error"), REFUSED)
def test_results_that_do_not_fit_are_refused_as_in_torch(call, error):
    for lib in (ag, torch):
        with pytest.raises(error):
            call(lib)


# ---- fmod --------------------------------------------------------------------------------

DIVIDENDS = [-3.0, -2.5, 0.0, 2.5, 3.0, np.inf, np.nan, -0.0, 5.0, 7.0, -7.5]
DIVISORS = [2.0, -2.0, 2.0, 0.0, -np.inf, 2.0, 2.0, 3.0, np.inf, -1.5, 0.7]


@pytest.mark.parametrize(
    "call",
    [
        lambda lib, a, b: lib.fmod(a, b),
        lambda lib, a, b: a.fmod(b),
        lambda lib, a, b: a.fmod(1.5),
        lambda lib, a, b: lib.fmod(a, -0.0),
        lambda lib, a, b: a.reshape(11, 1).fmod(b),  # broadcast
        lambda lib, a, b: a[4].fmod(b[3]),  # 0-d
        lambda lib, a, b: (a * 1.0).fmod_(b),
    ],
)
def test_fmod_values_and_gradients_as_torch(call):
    outcomes = []
    for lib in (ag, torch):
        a = lib.tensor(DIVIDENDS, dtype=lib.float64, requires_grad=True)
        b = lib.tensor(DIVISORS, dtype=lib.float64, requires_grad=True)
        out = call(lib, a, b)
        out.backward(lib.ones_like(out))
        grads = [None if t.grad is None else t.grad.numpy() for t in (a, b)]
        outcomes.append((out.detach().numpy(), grads))
    (ours, our_grads), (theirs, their_grads) = outcomes
    np.testing.assert_array_equal(ours, theirs)  # NaN where torch has NaN, signs of zeros
    signed = ~np.isnan(theirs)  # (a NaN's sign bit is NumPy's or PyTorch's own)
    np.testing.assert_array_equal(np.signbit(ours[signed]), np.signbit(theirs[signed]))
    for mine, expected in zip(our_grads, their_grads):
        assert (mine is None) == (expected is None)
        if expected is not None:
            np.testing.assert_array_equal(mine, expected)


@pytest.mark.parametrize("dtype", ["int64", "int32", "int8", "uint8", "float32", "float16"])
@pytest.mark.parametrize("divisor", [3, -3, 2.5, "tensor"])
def test_fmod_dtypes_as_torch(dtype, divisor):
    results = []
    for lib in (ag, torch):
        x = lib.tensor([-7, 7, -128, 127, 0, 5]).to(getattr(lib, dtype))
        other = x.flip(0) * 0 + 4 if divisor == "tensor" else divisor
        out = lib.fmod(x, other)
        results.append((out.tolist(), str(out.dtype).removeprefix("torch.")))
    assert results[0] == results[1]


FMOD_ERRORS = [
    (lambda lib: lib.fmod(lib.tensor([-7, 7]), 0), RuntimeError, "ZeroDivisionError"),
    (lambda lib: lib.fmod(lib.tensor([7, 7]), lib.tensor([1, 0])), RuntimeError, "ZeroDivision"),
    (
        lambda lib: lib.fmod(lib.tensor([True]), lib.tensor([True])),
        NotImplementedError,
        "\"fmod_cpu\" not implemented for 'Bool'",
    ),
    (lambda lib: lib.fmod(5.0, lib.ones(2)), TypeError, r"fmod\(\)"),
    (lambda lib: lib.ones(2).fmod(lib.ones(3)), RuntimeError, "size of tensor a"),
    (lambda lib: lib.tensor([1, 2]).fmod_(1.5), RuntimeError, "can't be cast"),
]


@pytest.mark.parametrize(("make", "error", "message"), FMOD_ERRORS)
def test_fmod_errors_as_torch(make, error, message):
    for lib in (ag, torch):
        with pytest.raises(error, match=message):
            make(lib)


# ---- random_ -----------------------------------------------------------------------------

# (dtype, bounds, the least and the largest value a draw may take)
RANGES = [
    ("float16", (), 0, 2**11),
    ("float32", (), 0, 2**24),
    ("float64", (), 0, 2**53),
    ("int8", (), 0, 127),
    ("uint8", (), 0, 255),
    ("int32", (), 0, 2**31 - 1),
    ("int64", (), 0, 2**63 - 1),
    ("bool", (), 0, 1),
    ("float32", (3,), 0, 2),
    ("float32", (-3, 0), -3, -1),
    ("int8", (-128, 128), -128, 127),
    ("uint8", (250, None), 250, 255),
    ("float16", (2**11 - 2, None), 2**11 - 2, 2**11),
    ("bool", (1, None), 1, 1),
]


@pytest.mark.parametrize(("dtype", "bounds", "least", "most"), RANGES)
def test_random_draws_integers_in_torchs_ranges(dtype, bounds, least, most):
    draws = {}
    for lib in (ag, torch):
        x = lib.zeros(20000, dtype=getattr(lib, dtype))
        assert x.random_(*bounds) is x and str(x.dtype).removeprefix("torch.") == dtype
        values = np.array(x.tolist(), dtype=np.float64 if "float" in dtype else object)
        assert least <= values.min() and values.max() <= most
        assert all(value == int(value) for value in values)
        draws[lib] = values
    if most - least < 1000:  # every value drawn, by both
        assert set(draws[ag].tolist()) == set(draws[torch].tolist()) == set(range(least, most + 1))
    else:  # spread over the range as torch's
        span = float(most - least)
        assert abs((draws[ag].astype(float).mean() - least) / span - 0.5) < 0.02


def test_random_is_seeded_and_takes_a_generator():
    ag.manual_seed(4)
    first = ag.zeros(100).random_(10)
    ag.manual_seed(4)
    assert ag.equal(ag.zeros(100).random_(10), first)
    drawn = [ag.zeros(100).random_(2, to=9, generator=ag.Generator(seed=1)) for _ in range(2)]
    assert ag.equal(drawn[0], drawn[1]) and drawn[0].min().item() >= 2


def test_random_graph_rules_as_torch():
    for lib in (ag, torch):
        leaf = lib.zeros(3, requires_grad=True)
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            leaf.random_()
        y = leaf * 1.0
        y.random_(5)
        assert y.requires_grad
        (y * 2.0).sum().backward()
        assert leaf.grad.tolist() == [0.0, 0.0, 0.0]


RANDOM_ERRORS = [
    (lambda lib: lib.zeros(5).random_(5, 5), RuntimeError, "from=5 >= to=5"),
    (lambda lib: lib.zeros(5).random_(0), RuntimeError, "from=0 >= to=0"),
    (
        lambda lib: lib.zeros(5, dtype=lib.uint8).random_(-1, 5),
        RuntimeError,
        "from is out of bounds for unsigned char",
    ),
    (
        lambda lib: lib.zeros(5, dtype=lib.uint8).random_(0, 257),
        RuntimeError,
        "to - 1 is out of bounds for unsigned char",
    ),
    (
        lambda lib: lib.zeros(5, dtype=lib.int8).random_(-129, 5),
        RuntimeError,
        "from is out of bounds for signed char",
    ),
    (
        lambda lib: lib.zeros(5, dtype=lib.int16).random_(0, 2**15 + 1),
        RuntimeError,
        "out of bounds for short int",
    ),
    (
        lambda lib: lib.zeros(5, dtype=lib.int32).random_(-(2**31) - 1, 0),
        RuntimeError,
        "from is out of bounds for int",
    ),
    (
        lambda lib: lib.zeros(5, dtype=lib.bool).random_(0, 3),
        RuntimeError,
        "to - 1 is out of bounds for bool",
    ),
    (
        lambda lib: lib.zeros(5, dtype=lib.float16).random_(-70000, 0),
        RuntimeError,
        "out of bounds for c10::Half",
    ),
    (
        lambda lib: lib.zeros(5, dtype=lib.float16).random_(3000, None),
        RuntimeError,
        "from=3000 > to_inc=2048",
    ),
    (lambda lib: lib.zeros(5).random_(2.5), TypeError, r"random_\(\).*float"),
    (lambda lib: lib.zeros(5).random_(True), TypeError, r"random_\(\).*bool"),
    (lambda lib: lib.zeros(5).random_(None, 5), TypeError, r"random_\(\).*NoneType"),
    (lambda lib: lib.zeros(5).random_(None), TypeError, r"random_\(\).*NoneType"),
    (lambda lib: lib.zeros(5).random_(2**64), ValueError, "Overflow"),
]


@pytest.mark.parametrize(("make", "error", "message"), RANDOM_ERRORS)
def test_random_errors_as_torch(make, error, message):
    for lib in (ag, torch):
        with pytest.raises(error, match=message):
            make(lib)


# ---- Tensor.type -------------------------------------------------------------------------

DTYPES = ["float16", "float32", "float64", "int8", "uint8", "int16", "int32", "int64", "bool"]


@pytest.mark.parametrize("dtype", DTYPES)
def test_type_names_and_conversions_as_torch(dtype):
    ours = ag.tensor([1.5, 0.0, -2.0]).to(getattr(ag, dtype))
    theirs = torch.tensor([1.5, 0.0, -2.0]).to(getattr(torch, dtype))
    assert ours.type() == theirs.type()
    assert ours.type(getattr(ag, dtype)) is ours
    for target in DTYPES:
        by_dtype = ours.type(getattr(ag, target))
        by_name = ours.type(torch.tensor([], dtype=getattr(torch, target)).type())
        expected = theirs.type(getattr(torch, target))
        assert by_dtype.tolist() == by_name.tolist() == expected.tolist()
        assert by_dtype.dtype == by_name.dtype == getattr(ag, target)


def test_type_keeps_the_gradient_as_to():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    (x.type(ag.float64) * 3.0).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0] and x.grad.dtype == ag.float32


@pytest.mark.parametrize(
    ("argument", "error"),
    [("float64", ValueError), ("torch.float64", ValueError), (float, ValueError), (5, TypeError)],
)
def test_type_errors_as_torch(argument, error):
    for lib in (ag, torch):
        with pytest.raises(error):
            lib.zeros(2).type(argument)
