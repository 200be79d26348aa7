"""Type promotion: PyTorch's rules (dimensioned tensors > 0-d tensors > Python numbers,
bool < integer < floating), checked against torch.result_type and real torch results."""

import itertools
import warnings

import numpy as np
import pytest

import autograd as ag

DTYPES = ["bool", "int32", "int64", "float16", "float32", "float64"]
PYTHON_NUMBERS = [True, 2, 2.5]
OPS = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b, "div": lambda a, b: a / b}


def make_operand(lib, kind, dtype):
    """A dimensioned or 0-d tensor of ``dtype`` with non-zero values (safe to divide by)."""
    values = [1, 2] if kind == "tensor" else 3
    if dtype == "bool":
        values = [True, True] if kind == "tensor" else True
    return lib.tensor(values, dtype=getattr(lib, dtype))


TENSOR_OPERANDS = [(kind, dtype) for kind in ("tensor", "0-d") for dtype in DTYPES]
OPERANDS = TENSOR_OPERANDS + [("python", number) for number in PYTHON_NUMBERS]
PAIRS = [
    (a, b) for a, b in itertools.product(OPERANDS, repeat=2) if a[0] != "python" or b[0] != "python"
]


def build(lib, operand):
    kind, value = operand
    return value if kind == "python" else make_operand(lib, kind, value)


def operand_id(operand):
    kind, value = operand
    return f"{kind}-{value}" if kind != "python" else f"py{type(value).__name__}"


def pair_params():
    for a, b in PAIRS:
        yield pytest.param(a, b, id=f"{operand_id(a)}-{operand_id(b)}")


@pytest.mark.parametrize(("a", "b"), list(pair_params()))
def test_promotion_matches_torch(a, b):
    torch = pytest.importorskip("torch")
    ours_a, ours_b = build(ag, a), build(ag, b)
    theirs_a, theirs_b = build(torch, a), build(torch, b)
    expected = str(torch.result_type(theirs_a, theirs_b)).removeprefix("torch.")
    assert str(ag.dtypes.result_type(ours_a, ours_b)) == expected
    for name, op in OPS.items():
        theirs = op(theirs_a, theirs_b)
        ours = op(ours_a, ours_b)
        assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch."), name
        np.testing.assert_allclose(ours.data.astype(float), theirs.numpy().astype(float), rtol=1e-3)


# The rules of API.md, written out so they are checked without PyTorch too.
RULES = [
    (lambda: ag.tensor([1, 2]) / ag.tensor([2, 4]), ag.float32),
    (lambda: ag.tensor([1, 2]) * 2.5, ag.float32),
    (lambda: ag.tensor([1, 2], dtype=ag.int32) * 2, ag.int32),
    (lambda: ag.tensor([True]) + 1, ag.int64),
    (lambda: ag.tensor([True]) + True, ag.bool),
    (lambda: ag.tensor([1.0]) * 2.5, ag.float32),
    (lambda: ag.tensor([1.0]) + ag.tensor(2.0, dtype=ag.float64), ag.float32),
    (lambda: ag.tensor([1.0], dtype=ag.float16) * 1e3, ag.float16),
    (lambda: ag.tensor([1, 2]) + ag.tensor(2.0, dtype=ag.float64), ag.float64),
    (lambda: ag.tensor([1.0], dtype=ag.float64) + ag.tensor([1.0]), ag.float64),
    (lambda: 2 / ag.tensor([1, 2]), ag.float32),
    (lambda: ag.tensor([7, 8]) // 2, ag.int64),
    (lambda: ag.tensor(3) + ag.tensor(2), ag.int64),
    (lambda: ag.tensor([1, 2]) + ag.tensor([1.0]), ag.float32),
]


@pytest.mark.parametrize(("make", "dtype"), RULES)
def test_documented_promotion_rules(make, dtype):
    assert make().dtype == dtype


ARANGE_CASES = [
    ((5,), ag.int64),
    ((1, 7, 2), ag.int64),
    ((0, 10, 3), ag.int64),
    ((0, 1, 0.25), ag.float32),
    ((0.0, 2), ag.float32),
    ((0.5, 2.5), ag.float32),
    ((2.0,), ag.float32),
]


@pytest.mark.parametrize(("args", "dtype"), ARANGE_CASES)
def test_arange_dtype(args, dtype):
    assert ag.arange(*args).dtype == dtype


@pytest.mark.parametrize(("args", "dtype"), ARANGE_CASES)
def test_arange_dtype_like_torch(args, dtype):
    torch = pytest.importorskip("torch")
    assert str(ag.arange(*args).dtype) == str(torch.arange(*args).dtype).removeprefix("torch.")


def float64_default_results():
    """What the default dtype float64 changes (and what it leaves alone)."""
    ag.set_default_dtype(ag.float64)
    results = {
        "tensor(2.5)": ag.tensor(2.5).dtype,
        "zeros": ag.zeros(2).dtype,
        "ones": ag.ones(2).dtype,
        "rand": ag.rand(2).dtype,
        "randn": ag.randn(2).dtype,
        "linspace": ag.linspace(0, 1, 3).dtype,
        "full float": ag.full((2,), 1.5).dtype,
        "full int": ag.full((2,), 1).dtype,
        "int / int": (ag.tensor([1]) / ag.tensor([2])).dtype,
        "int * float": (ag.tensor([1]) * 2.5).dtype,
        "float32 * float": (ag.tensor([1.0], dtype=ag.float32) * 2.5).dtype,
        "tensor(int)": ag.tensor(1).dtype,
    }
    ag.set_default_dtype(ag.float32)
    return {name: str(dtype) for name, dtype in results.items()}


def test_set_default_dtype_float64():
    assert ag.get_default_dtype() == ag.float32
    results = float64_default_results()
    assert ag.get_default_dtype() == ag.float32
    assert results == {
        "tensor(2.5)": "float64",
        "zeros": "float64",
        "ones": "float64",
        "rand": "float64",
        "randn": "float64",
        "linspace": "float64",
        "full float": "float64",
        "full int": "int64",
        "int / int": "float64",
        "int * float": "float64",
        "float32 * float": "float32",
        "tensor(int)": "int64",
    }


def test_set_default_dtype_matches_torch():
    torch = pytest.importorskip("torch")
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        arange_float = str(torch.arange(0, 1, 0.25).dtype).removeprefix("torch.")
        int_division = str((torch.tensor([1]) / torch.tensor([2])).dtype).removeprefix("torch.")
    finally:
        torch.set_default_dtype(previous)
    ag.set_default_dtype(ag.float64)
    assert str(ag.arange(0, 1, 0.25).dtype) == arange_float
    assert str((ag.tensor([1]) / ag.tensor([2])).dtype) == int_division


def test_set_default_dtype_refuses_non_float():
    with pytest.raises(TypeError, match="floating-point"):
        ag.set_default_dtype(ag.int64)
    assert ag.get_default_dtype() == ag.float32


SPELLINGS = [
    (ag.float64, ag.float64),
    ("float16", ag.float16),
    (np.int32, ag.int32),
    (float, ag.float32),
    (int, ag.int64),
    (bool, ag.bool),
]


@pytest.mark.parametrize(("given", "expected"), SPELLINGS)
def test_dtype_arguments_accept_the_usual_spellings(given, expected):
    assert ag.zeros(1, dtype=given).dtype == expected


def test_unsupported_dtypes_are_refused():
    with pytest.raises(TypeError, match="unsupported dtype"):
        ag.zeros(1, dtype=np.complex64)
    with pytest.raises(TypeError, match="not a dtype"):
        ag.zeros(1, dtype="not-a-dtype")


def test_dtype_aliases():
    assert ag.float is ag.float32 and ag.double is ag.float64 and ag.half is ag.float16
    assert ag.long is ag.int64 and ag.int is ag.int32
    assert ag.bool == np.dtype(bool)


# Python numbers (and tensors) outside a dtype's range: PyTorch refuses most of them with
# "value cannot be converted to type ... without overflow" and turns the rest into inf (or
# wraps a negative int into an unsigned type); never a NumPy warning or OverflowError.
# ``half``, ``int8``, ``uint8``: zeros(2) of those dtypes.
OUT_OF_RANGE = [
    "lib.full((2,), 300, dtype=lib.int8)",
    "lib.full((1,), 1e300, dtype=lib.float32)",
    "lib.full((1,), -1, dtype=lib.uint8)",
    "lib.full((1,), -0.5, dtype=lib.uint8)",
    "lib.full((1,), 127.9, dtype=lib.int8)",
    "lib.full((1,), float('nan'), dtype=lib.int8)",
    "lib.full_like(half, 7e4)",
    "lib.full_like(int8, 300)",
    "int8.fill_(300)",
    "half.fill_(7e4)",
    "uint8.fill_(-1)",
    "half.__setitem__(0, 7e4) or half",
    "int8.__setitem__(0, 300) or int8",
    "half.copy_(lib.tensor([7e4, 1.0]))",
    "half.clamp(min=7e4)",
    "int8.clamp(max=300)",
    "uint8.clamp(min=-1)",
    "half.masked_fill(lib.tensor([True, False]), 7e4)",
    "int8.masked_fill(lib.tensor([True, False]), 300)",
    "half.scatter(0, lib.tensor([0]), 7e4)",
    "lib.where(lib.tensor([True, False]), half, 7e4)",
    "lib.cat([lib.tensor([70000], dtype=lib.int32), half])",
    "lib.tensor([-(2**31)], dtype=lib.int32).to(lib.float16)",
    "(half + 1) + 7e4",
    "7e4 - (half + 1)",
    "(half + 1) / 1e39",
    "half < 7e4",
    "(half + 1) + 100000",
    "lib.ones(2) + 1e39",
]


def out_of_range(lib, source):
    names = {"half": lib.float16, "int8": lib.int8, "uint8": lib.uint8}
    namespace = {name: lib.zeros(2, dtype=dtype) for name, dtype in names.items()}
    return eval(source, {"lib": lib, **namespace})


@pytest.mark.parametrize("source", OUT_OF_RANGE)
def test_numbers_out_of_a_dtype_range_like_torch(source):
    torch = pytest.importorskip("torch")
    try:
        expected = out_of_range(torch, source).numpy()
    except RuntimeError as error:
        assert "without overflow" in str(error)
        with pytest.raises(RuntimeError, match=r"value .* cannot be converted to type \w+ without"):
            out_of_range(ag, source)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        actual = out_of_range(ag, source).numpy()
    assert actual.dtype == expected.dtype
    np.testing.assert_array_equal(actual, expected)


TWO_NUMBER_OPS = "add sub mul div true_divide floor_divide remainder pow eq lt bitwise_and"


@pytest.mark.parametrize("name", [*TWO_NUMBER_OPS.split(), "logical_and", "maximum"])
@pytest.mark.parametrize("numbers", [(2.0, 0.5), (7, 2), (True, 3)])
def test_binary_functions_of_two_numbers_like_torch(name, numbers):
    """add(2.0, 0.5) is a 0-d tensor of the promoted dtype in PyTorch; most other binary
    functions refuse two numbers with a TypeError (never an AttributeError from inside)."""
    torch = pytest.importorskip("torch")
    try:
        expected = getattr(torch, name)(*numbers)
    except (TypeError, RuntimeError) as error:  # and True - 3: bool subtraction
        with pytest.raises(type(error), match=name if type(error) is TypeError else "bool"):
            getattr(ag, name)(*numbers)
        return
    actual = getattr(ag, name)(*numbers)
    assert str(actual.dtype) == str(expected.dtype).removeprefix("torch.")
    assert actual.shape == () and actual.item() == expected.item()
