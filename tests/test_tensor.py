"""Tensor: construction dtype rules, memory sharing, conversions, metadata, grad flags,
operators with Python numbers on either side, comparisons and logical operators."""

import warnings

import numpy as np
import pytest

import autograd as ag


def torch_dtype_name(tensor):
    return str(tensor.dtype).removeprefix("torch.")


# ---- construction -------------------------------------------------------------------------

CONSTRUCTION = [
    (2.5, ag.float32),
    (3, ag.int64),
    (True, ag.bool),
    ([1, 2.5], ag.float32),
    ([[1, 2], [3, 4]], ag.int64),
    ([True, False], ag.bool),
    ([], ag.float32),
    (np.array([1.0, 2.0]), ag.float64),
    (np.array([1, 2], dtype=np.int32), ag.int32),
    (np.array([1.0], dtype=np.float16), ag.float16),
    (np.float64(2.0), ag.float64),
]


@pytest.mark.parametrize(("data", "dtype"), CONSTRUCTION)
def test_tensor_infers_the_dtype(data, dtype):
    assert ag.tensor(data).dtype == dtype
    assert ag.as_tensor(data).dtype == dtype


@pytest.mark.parametrize(("data", "dtype"), CONSTRUCTION)
def test_tensor_infers_the_dtype_like_torch(data, dtype):
    torch = pytest.importorskip("torch")
    assert str(ag.tensor(data).dtype) == torch_dtype_name(torch.tensor(data))


def test_tensor_follows_the_default_dtype_and_an_explicit_dtype():
    ag.set_default_dtype(ag.float64)
    assert ag.tensor([1.5]).dtype == ag.float64
    assert ag.tensor([1]).dtype == ag.int64
    ag.set_default_dtype(ag.float32)
    assert ag.tensor([1], dtype=ag.float64).dtype == ag.float64
    assert ag.tensor([1.7], dtype=ag.int32).tolist() == [1]
    assert ag.tensor(np.array([1.0]), dtype=float).dtype == ag.float32


def test_tensor_copies_its_data():
    array = np.array([1.0, 2.0])
    t = ag.tensor(array)
    array[0] = 99.0
    assert t.tolist() == [1.0, 2.0]
    source = ag.tensor([1.0, 2.0])
    copy = ag.tensor(source)
    source.data[0] = 99.0
    assert copy.tolist() == [1.0, 2.0]


def test_from_numpy_shares_memory_both_ways():
    array = np.array([1.0, 2.0])
    t = ag.from_numpy(array)
    array[0] = 5.0
    assert t.tolist() == [5.0, 2.0]
    t.data[1] = 7.0
    assert array.tolist() == [5.0, 7.0]
    assert t.dtype == ag.float64
    with pytest.raises(TypeError, match="ndarray"):
        ag.from_numpy([1.0, 2.0])


def test_as_tensor_shares_memory_when_the_dtype_allows():
    array = np.array([1.0, 2.0])
    shared = ag.as_tensor(array)
    array[0] = 3.0
    assert shared.tolist() == [3.0, 2.0]
    converted = ag.as_tensor(array, dtype=ag.float32)
    array[1] = 4.0
    assert converted.tolist() == [3.0, 2.0]
    t = ag.tensor([1.0])
    assert ag.as_tensor(t) is t


def test_tensor_of_unconvertible_data_raises_type_error():
    with pytest.raises(TypeError):
        ag.tensor(["a", object()])


def test_zero_dim_results_hold_ndarrays():
    x = ag.tensor(0.3, requires_grad=True)
    results = [x.exp(), x.log(), x.tanh(), -x, x + 1, x * x, 1 / x, x**2, 2**x, x.sum()]
    results += [x.double(), x.long(), x == 0.3, x.detach().exp()]
    for out in results:
        assert isinstance(out.data, np.ndarray) and out.shape == ()


# ---- conversion ---------------------------------------------------------------------------


def test_item_and_tolist():
    assert ag.tensor(2.5).item() == 2.5
    assert isinstance(ag.tensor(3).item(), int)
    assert ag.tensor([[4.0]]).item() == 4.0
    assert ag.tensor([[1, 2], [3, 4]]).tolist() == [[1, 2], [3, 4]]
    assert ag.tensor(True).tolist() is True
    with pytest.raises(RuntimeError, match="2 elements"):
        ag.tensor([1.0, 2.0]).item()
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(ag.tensor([1.0, 2.0]))
    assert float(ag.tensor([1.5])) == 1.5 and int(ag.tensor(7)) == 7


def test_numpy_shares_memory_and_refuses_when_grad_is_required():
    t = ag.tensor([1.0, 2.0])
    assert np.shares_memory(t.numpy(), t.data)
    x = ag.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"detach\(\)\.numpy\(\)"):
        x.numpy()
    assert x.detach().numpy().tolist() == [1.0]


def test_detach_shares_data_and_version_with_no_history():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    detached = y.detach()
    assert np.shares_memory(detached.data, y.data)
    assert not detached.requires_grad and detached.is_leaf and detached.grad_fn is None
    detached.add_(1.0)
    np.testing.assert_allclose(y.data, np.exp([1.0, 2.0]) + 1, rtol=1e-6)
    with pytest.raises(RuntimeError, match="ExpBackward"):
        y.sum().backward()


def test_to_and_dtype_shortcuts_cast_and_pass_gradients_back():
    x = ag.tensor([1.5, -2.5], requires_grad=True)
    assert x.to(ag.float32) is x
    y = x.double()
    assert y.dtype == ag.float64 and y.requires_grad
    (y * y).sum().backward()
    assert x.grad.dtype == ag.float32
    np.testing.assert_allclose(x.grad.data, [3.0, -5.0])
    assert x.float().dtype == ag.float32
    as_long = x.long()
    assert as_long.dtype == ag.int64 and not as_long.requires_grad
    assert as_long.tolist() == [1, -2]
    assert x.to(dtype=ag.float16).dtype == ag.float16
    assert x.int().dtype == ag.int32 and x.bool().dtype == ag.bool
    assert ag.tensor([1, 2]).type_as(x).dtype == ag.float32


def test_to_refuses_other_devices():
    with pytest.raises(ValueError, match="cuda"):
        ag.tensor([1.0]).to("cuda")
    with pytest.raises(ValueError, match="cuda"):
        ag.tensor([1.0]).to(device="cuda")
    t = ag.tensor([1.0])
    assert t.to("cpu") is t


# ---- metadata and grad flags --------------------------------------------------------------


def test_shape_ndim_dtype_size_numel():
    t = ag.zeros(2, 3, 4)
    assert t.shape == (2, 3, 4) and isinstance(t.shape, tuple)
    assert t.ndim == 3 and t.dim() == 3 and t.dtype == ag.float32
    assert t.size() == (2, 3, 4) and t.size(1) == 3 and t.size(-1) == 4
    assert t.numel() == 24 and len(t) == 2
    with pytest.raises(IndexError, match="Dimension out of range"):
        t.size(3)
    scalar = ag.tensor(1.0)
    assert scalar.shape == () and scalar.ndim == 0 and scalar.numel() == 1
    with pytest.raises(TypeError, match="0-d"):
        len(scalar)


def test_requires_grad_flags():
    x = ag.tensor([1.0])
    assert not x.requires_grad and x.grad is None and x.is_leaf
    assert x.requires_grad_() is x and x.requires_grad
    x.requires_grad_(False)
    assert not x.requires_grad
    y = ag.tensor([1.0], requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="leaf variables"):
        y.requires_grad = False


INTEGER_OR_BOOL = [
    lambda: ag.tensor([1, 2], requires_grad=True),
    lambda: ag.tensor([True]).requires_grad_(),
    lambda: ag.tensor(3).requires_grad_(True),
    lambda: ag.zeros(2, dtype=ag.int64, requires_grad=True),
    lambda: ag.arange(3, requires_grad=True),
    lambda: ag.tensor([1], dtype=ag.int32, requires_grad=True),
]


@pytest.mark.parametrize("make", INTEGER_OR_BOOL)
def test_integer_and_bool_tensors_cannot_require_grad(make):
    with pytest.raises(RuntimeError, match="floating point"):
        make()


def test_repr_shows_values_dtype_and_grad_fn():
    assert repr(ag.tensor([1.0, 2.5])) == "tensor([1. , 2.5])"
    assert "dtype=float64" in repr(ag.tensor([1.0], dtype=ag.float64))
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    assert "requires_grad=True" in repr(x)
    text = repr(x * 3)
    assert "3." in text and "6." in text and "grad_fn=<MulBackward>" in text
    assert f"{ag.tensor(2.5):.2f}" == "2.50"


# ---- operators ----------------------------------------------------------------------------

SCALAR_OPERATORS = {
    "radd": lambda x: 2 + x,
    "add": lambda x: x + 2,
    "rsub": lambda x: 2 - x,
    "sub": lambda x: x - 2.5,
    "rmul": lambda x: 3 * x,
    "rdiv": lambda x: 2 / x,
    "div": lambda x: x / 4,
    "rpow": lambda x: 2**x,
    "pow": lambda x: x**2,
    "pow_float": lambda x: x**0.5,
    "pow_negative": lambda x: x**-1.5,
    "neg": lambda x: -x,
    "pos": lambda x: +x * 1,
    "rpow_float": lambda x: 1.5**x,
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", list(SCALAR_OPERATORS))
def test_operators_with_python_numbers_on_either_side_match_torch(name, dtype):
    torch = pytest.importorskip("torch")
    fn = SCALAR_OPERATORS[name]
    values = [0.5, 1.5, 3.0]
    x = ag.tensor(values, dtype=getattr(ag, dtype), requires_grad=True)
    tx = torch.tensor(values, dtype=getattr(torch, dtype), requires_grad=True)
    out, tout = fn(x), fn(tx)
    assert str(out.dtype) == torch_dtype_name(tout)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-6)
    out.sum().backward()
    tout.sum().backward()
    assert x.grad.dtype == x.dtype
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=1e-6)


def test_operators_with_python_numbers_values():
    x = ag.tensor([1.0, 2.0, 4.0])
    assert (2 - x).tolist() == [1.0, 0.0, -2.0]
    assert (2 / x).tolist() == [2.0, 1.0, 0.5]
    assert (2**x).tolist() == [2.0, 4.0, 16.0]
    assert (x**2).tolist() == [1.0, 4.0, 16.0]
    assert (7 // ag.tensor([2, 3])).tolist() == [3, 2]
    assert (ag.tensor([-7, 7]) % 3).tolist() == [2, 1]


COMPARISONS = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
}


@pytest.mark.parametrize("name", list(COMPARISONS))
def test_comparisons_return_bool_tensors_without_grad(name):
    fn = COMPARISONS[name]
    values, others = np.array([1.0, 2.0, 3.0]), np.array([3.0, 2.0, 1.0])
    x = ag.tensor(values, requires_grad=True)
    for other, other_values in [(ag.tensor(others), others), (2.0, 2.0), (2, 2)]:
        out = fn(x, other)
        assert out.dtype == ag.bool
        assert not out.requires_grad and out.grad_fn is None
        np.testing.assert_array_equal(out.data, fn(values, other_values))
    reflected = fn(2.0, x)
    np.testing.assert_array_equal(reflected.data, fn(2.0, values))


def test_logical_operators_on_bool_tensors():
    a = ag.tensor([True, True, False, False])
    b = ag.tensor([True, False, True, False])
    assert (a & b).tolist() == [True, False, False, False]
    assert (a | b).tolist() == [True, True, True, False]
    assert (a ^ b).tolist() == [False, True, True, False]
    assert (~a).tolist() == [False, False, True, True]
    assert (a & b).dtype == ag.bool and (~a).dtype == ag.bool
    x = ag.tensor([1.0, 5.0, 3.0])
    assert ((x > 2) & (x < 4)).tolist() == [False, False, True]
    assert (ag.tensor([6, 3]) & 5).tolist() == [4, 1]


def test_logical_ops_take_the_truth_of_any_dtype_and_give_bool_like_torch():
    torch = pytest.importorskip("torch")
    pairs = [
        ([1, 2, 0], [2, 0, 0], "int64"),
        ([0.5, 0.0, float("nan")], [0.0, 0.0, 0.0], "float32"),
    ]
    for left, right, dtype in pairs:
        a, b = ag.tensor(left, dtype=getattr(ag, dtype)), ag.tensor(right, dtype=ag.uint8)
        ta, tb = torch.tensor(left, dtype=getattr(torch, dtype)), torch.tensor(right).byte()
        for name in ("logical_and", "logical_or", "logical_xor"):
            out, expected = getattr(ag, name)(a, b), getattr(torch, name)(ta, tb)
            assert out.dtype == ag.bool and out.tolist() == expected.tolist(), name
        assert ag.logical_not(a).tolist() == torch.logical_not(ta).tolist()
        assert ag.logical_not(a).dtype == ag.bool
    # PyTorch casts to the promoted dtype first: int16 -32768 as uint8 is 0, False.
    out = ag.logical_or(ag.tensor([0], dtype=ag.uint8), ag.tensor(-(2**15), dtype=ag.int16))
    expected = torch.logical_or(torch.tensor([0]).byte(), torch.tensor(-(2**15)).short())
    assert out.tolist() == expected.tolist() == [False]


def test_bitwise_operators_promote_like_torch():
    torch = pytest.importorskip("torch")
    cases = [
        lambda lib: lib.tensor([4, 255], dtype=lib.uint8) ^ lib.tensor(1, dtype=lib.int32),
        lambda lib: lib.tensor(1, dtype=lib.int8) | lib.tensor([6], dtype=lib.uint8),
        lambda lib: 3 ^ lib.tensor([5], dtype=lib.int16),
        lambda lib: 3 & lib.tensor([5], dtype=lib.int16),
        lambda lib: 3 | lib.tensor([5], dtype=lib.int16),
        lambda lib: ~lib.tensor([5, -1], dtype=lib.int8),
        lambda lib: lib.tensor([True, False]) & 3,
        lambda lib: lib.tensor([1, 2], dtype=lib.uint8) ^ 300,  # the int's low bits
        lambda lib: lib.tensor([1, 2], dtype=lib.int8) | -200,
    ]
    for index, case in enumerate(cases):
        out, expected = case(ag), case(torch)
        assert str(out.dtype) == torch_dtype_name(expected), index
        assert out.tolist() == expected.tolist(), index


def test_bitwise_operators_refuse_floats_naming_the_op_and_dtype():
    for op in (lambda: ag.tensor([1.0]) & ag.tensor([1.0]), lambda: ag.tensor([1]) | 2.5):
        with pytest.raises(RuntimeError, match=r"bitwise_(and|or).*float32"):
            op()
    with pytest.raises(TypeError, match="float64"):
        _ = ~ag.tensor([1.0], dtype=ag.float64)


def test_comparisons_with_a_value_out_of_the_float16_range_give_inf_without_warning():
    torch = pytest.importorskip("torch")
    cases = [
        lambda lib, a, b: a == b,
        lambda lib, a, b: a > b,
        lambda lib, a, b: lib.maximum(a, b),
        lambda lib, a, b: lib.minimum(a, b),
        lambda lib, a, b: lib.where(lib.tensor([True, False]), a, b),
    ]
    for index, case in enumerate(cases):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            a, b = ag.tensor([1.0, 2.0], dtype=ag.float16), ag.tensor(-(2**31), dtype=ag.int32)
            out = case(ag, a, b)
        ta, tb = torch.tensor([1.0, 2.0]).half(), torch.tensor(-(2**31), dtype=torch.int32)
        expected = case(torch, ta, tb)
        assert str(out.dtype) == torch_dtype_name(expected), index
        assert out.tolist() == expected.tolist(), index


def test_binary_operators_on_shapes_that_do_not_broadcast_name_both_shapes():
    a, b = ag.ones(2, 3), ag.ones(4)
    for op in (lambda: a + b, lambda: a * b, lambda: a - b, lambda: a / b, lambda: a == b):
        with pytest.raises(RuntimeError, match=r"\(2, 3\).*\(4,\)"):
            op()


def test_bool_subtraction_and_negation_raise_like_torch():
    flags = ag.tensor([True, False])
    with pytest.raises(RuntimeError, match=r"Subtraction.*two bool tensors"):
        _ = flags - flags
    with pytest.raises(RuntimeError, match=r"Subtraction.*two bool tensors"):
        _ = flags - True
    with pytest.raises(RuntimeError, match="Negation"):
        _ = -flags
    # PyTorch refuses `-` with any bool operand, not only when the result would be bool
    for op in (
        lambda: 0 - flags,
        lambda: ag.tensor([1], dtype=ag.uint8) - flags,
        lambda: ag.tensor([1.0]) - True,
    ):
        with pytest.raises(RuntimeError, match=r"Subtraction.*with a bool tensor"):
            op()


def test_transpose_properties_and_their_gradients_match_torch():
    torch = pytest.importorskip("torch")
    values = np.arange(24.0).reshape(2, 3, 4)
    x = ag.tensor(values, requires_grad=True)
    tx = torch.tensor(values, requires_grad=True)
    matrix = ag.tensor(values[0], requires_grad=True)
    assert matrix.T.shape == (4, 3) and x.mT.shape == (2, 4, 3)
    np.testing.assert_array_equal(matrix.T.data, values[0].T)
    np.testing.assert_array_equal(x.mT.data, tx.mT.detach().numpy())
    weights = ag.tensor(np.linspace(-1, 1, 24).reshape(2, 4, 3))
    (x.mT * weights).sum().backward()
    (tx.mT * torch.tensor(weights.data)).sum().backward()
    np.testing.assert_array_equal(x.grad.data, tx.grad.numpy())
    (matrix.T * ag.tensor(weights.data[0])).sum().backward()
    np.testing.assert_array_equal(matrix.grad.data, weights.data[0].T)


def test_iteration_and_len_follow_the_first_dim():
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    rows = list(x)
    assert len(rows) == len(x) == 3
    assert [row.tolist() for row in rows] == x.tolist()
    (rows[0] * 1.0 + rows[2] * 2.0).sum().backward()
    assert x.grad.tolist() == [[1.0, 1.0], [0.0, 0.0], [2.0, 2.0]]
    with pytest.raises(TypeError, match="0-d"):
        iter(ag.tensor(1.0))


def test_tensor_to_the_power_of_a_tensor_matches_torch():
    torch = pytest.importorskip("torch")
    base, exponent = [0.0, 0.5, 2.0, 3.0], [2.0, -1.5, 0.5, 0.0]
    a, b = (ag.tensor(v, dtype=ag.float64, requires_grad=True) for v in (base, exponent))
    ta, tb = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (base, exponent))
    out, tout = a**b, ta**tb
    np.testing.assert_allclose(out.data, tout.detach().numpy())
    out.sum().backward()
    tout.sum().backward()
    np.testing.assert_allclose(a.grad.data, ta.grad.numpy())
    np.testing.assert_allclose(b.grad.data, tb.grad.numpy())


# ---- arithmetic edge cases ----------------------------------------------------------------


def run_both(line, **operands):
    """``line`` over the operands (numbers, or (values, dtype) / (values, dtype, True) for
    tensors) with chainrule and PyTorch: (ours, theirs), each a tensor or the exception."""
    torch = pytest.importorskip("torch")
    results = []
    for lib in (ag, torch):
        names = {"lib": lib}
        for name, value in operands.items():
            if isinstance(value, tuple):
                data, dtype, *grad = value
                value = lib.tensor(data, dtype=getattr(lib, dtype), requires_grad=bool(grad))
            names[name] = value
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                names["out"] = eval(line, names)
        except Exception as error:  # compared with PyTorch's
            names["out"] = error
        results.append(names)
    return results


def assert_same_result(ours, theirs):
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch."), (ours, theirs)
    np.testing.assert_array_equal(ours.detach().numpy(), theirs.detach().numpy())


@pytest.mark.parametrize(
    "line, dtype",
    [
        ("a + (-1)", "uint8"),
        ("a + 200", "int8"),
        ("a * 300", "uint8"),
        ("(-1) - a", "uint8"),
        ("a + 256", "uint8"),
        ("a // (-1)", "uint8"),
        ("a % (-1)", "uint8"),
        ("a + 2**63", "int64"),
        ("300 ** a", "uint8"),
    ],
)
def test_python_int_out_of_the_dtype_range_wraps_like_torch(line, dtype):
    ours, theirs = run_both(line, a=([1, 2, 5], dtype))
    assert_same_result(ours["out"], theirs["out"])


def test_python_int_beyond_64_bits_and_out_of_range_exponents_raise_like_torch():
    with pytest.raises(OverflowError, match="int64"):
        _ = ag.tensor([1]) + 2**64
    with pytest.raises(RuntimeError, match=r"300.*uint8"):
        _ = ag.tensor([1], dtype=ag.uint8) ** 300
    with pytest.raises(RuntimeError, match=r"negative integer powers.*int64"):
        _ = ag.tensor([1]) ** -1


@pytest.mark.parametrize(
    "a, b",
    [
        (([0, 1, -1, 2, -2], "int64"), ([-2], "int64")),
        (([0, 1, -1, 2, -2], "int8"), ([-1, -2, -3, -128, -127], "int8")),
        (([0, 1, 255, 2], "uint8"), ([-3], "int8")),
        (2, ([-1, 0, 2], "int64")),
        (-1, ([-1, -2], "int64")),
        (([True, False], "bool"), True),
        (([True, False], "bool"), False),
    ],
)
def test_integer_and_bool_powers_match_torch(a, b):
    ours, theirs = run_both("a ** b", a=a, b=b)
    assert_same_result(ours["out"], theirs["out"])


def test_pow_gradient_is_zero_where_a_tensor_exponent_is_zero():
    nan = float("nan")
    ours, theirs = run_both(
        "(a ** b).sum().backward()", a=([nan, 0.0, 2.0], "float64", True), b=([0, 0, 3], "int8")
    )
    assert not isinstance(ours["out"], Exception), ours["out"]
    assert_same_result(ours["a"].grad, theirs["a"].grad)
    ours, theirs = run_both("(a ** 0).sum().backward()", a=([nan, -1.0], "float64", True))
    assert_same_result(ours["a"].grad, theirs["a"].grad)


def test_pow_exponent_gradient_at_a_zero_or_negative_base_matches_torch():
    exponent = ([-1.0, -2.5, 0.5, 2.0, 0.0], "float64", True)
    for base in (0.0, -2.5, ([0.0, 0.0, -2.0, 3.0, 0.0], "float64", True)):
        ours, theirs = run_both("(a ** b).sum().backward()", a=base, b=exponent)
        assert not isinstance(ours["out"], Exception), ours["out"]
        assert_same_result(ours["b"].grad, theirs["b"].grad)


def test_remainder_gradient_uses_floor_division_like_torch():
    inf = float("inf")
    ours, theirs = run_both(
        "(a % b).sum().backward()", a=([1.0], "float32"), b=([-inf, 2.0, -3.0], "float64", True)
    )
    assert_same_result(ours["b"].grad, theirs["b"].grad)  # 1.0 // -inf is -1, not floor(-0.0)


def test_division_gradient_of_tiny_values_does_not_overflow():
    tiny = ([3e-295], "float64", True)
    ours, theirs = run_both("(a / b).sum().backward()", a=tiny, b=tiny)
    np.testing.assert_allclose(ours["b"].grad.numpy(), theirs["b"].grad.numpy(), rtol=1e-15)
    assert np.isfinite(ours["b"].grad.numpy()).all()


@pytest.mark.parametrize(
    "line",
    ["a // 0", "a % 0", "a // lib.tensor([0, 1, 2])", "lib.div(a, 0, rounding_mode='trunc')"],
)
def test_integer_division_by_zero_raises_like_torch(line):
    ours, theirs = run_both(line, a=([5, -5, 0], "int64"))
    assert isinstance(theirs["out"], RuntimeError)
    assert isinstance(ours["out"], RuntimeError) and "ZeroDivisionError" in str(ours["out"])
    empty, _ = run_both("a // 0", a=([], "int64"))  # no element is divided: no error
    assert empty["out"].shape == (0,)


@pytest.mark.parametrize("dtype", ["int8", "int64", "uint8"])
@pytest.mark.parametrize("divisor", [2, -2, 200, -1])
def test_integer_trunc_division_keeps_the_integer_dtype_like_torch(dtype, divisor):
    values = [7, 6, 0, 127] if dtype == "uint8" else [-7, 7, -6, 6, 0, -128]
    ours, theirs = run_both("lib.div(a, b, rounding_mode='trunc')", a=(values, dtype), b=divisor)
    assert_same_result(ours["out"], theirs["out"])
