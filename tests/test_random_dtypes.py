"""Random dtypes, shapes and Python-number operands run through chainrule and PyTorch, which
must agree.

Hypothesis writes one-op programs: the operands (tensors of every supported dtype, with 0-d,
size-1 and size-0 dims, or Python bools, ints and floats on either side), one op (binary
arithmetic, comparisons, logical ops, maximum/minimum here; where, matmul across ranks, unary
maths, reductions with dim/keepdim/dtype and the ``tensor`` factory in
test_random_dtypes_ops.py, which imports this module's machinery) and, when the result
requires grad, a backward. Each program runs once with ``lib = autograd`` and once with
``lib = torch`` from the same source text. What must agree:

* whether an error is raised, and its type (chainrule's message must name the dtypes,
  shapes or dims involved, and must not be a raw NumPy message);
* the result's dtype, shape and values (integers and bools exactly, floats to a few ulps,
  NaN and inf in the same places), and whether it requires grad;
* the gradients of the float32/float64 operands (integer operands never require grad).

chainrule must not let a NumPy warning escape (a ``RuntimeWarning`` where PyTorch silently
gives inf or NaN): every chainrule run records warnings, and any warning fails the test.

Integer division by zero (``//``, ``%``) raises in PyTorch on CPU (``RuntimeError:
ZeroDivisionError``); chainrule may raise the same error or return a value, but must not warn.

PyTorch quirks that are not asserted (``pytorch_quirk``): a CPU kernel missing for a dtype
(``NotImplementedError: "pow" not implemented for 'Bool'``, ``round`` of integers, ``argmax``
of bools) or skipped for an empty tensor; ``pow`` refusing a bool exponent tensor when the
base requires grad (its gradient formula subtracts 1 from the exponent); ``logsumexp(int,
dim=())`` failing on an output shape; ``sum(float, dtype=int)`` refused under autograd;
functions that accept Tensors only (``logical_and(t, 2)``); PyTorch's internal asserts
(``False ** t`` with t requiring grad: "unknown ivalue tag", where chainrule gives what
PyTorch gives for ``0.0 ** t``). There chainrule may return a result, or raise a
RuntimeError (which NotImplementedError is).

A failure prints the program as Python: put ``lib = autograd`` (or ``torch``) above it to run
it. More examples:
``RANDOM_DTYPE_EXAMPLES=3000 pytest tests/test_random_dtypes.py tests/test_random_dtypes_ops.py``.
"""

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from random_settings import random_settings

import autograd as ag

torch = pytest.importorskip("torch")


DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
FLOATS = ["float16", "float32", "float64"]
INTEGERS = ["uint8", "int8", "int16", "int32", "int64"]
GRAD_DTYPES = ("float32", "float64")  # the dtypes whose operands require grad
RTOL = {"float16": 2e-3, "float32": 2e-6, "float64": 1e-12}
GRAD_RTOL = {"float16": 5e-3, "float32": 1e-5, "float64": 1e-10}
SIZES = [0, 1, 2, 3]

random_cases = random_settings("RANDOM_DTYPE_EXAMPLES", 60)

# What NumPy says when chainrule hands it bad input unchecked: a user must never see these.
NUMPY_MESSAGES = (
    "operands could not be broadcast",
    "ufunc",
    "out of bounds for",
    "inhomogeneous",
    "setting an array element",
    "axis",
    "casting rule",
    "matmul: Input operand",
    "mismatch in its core dimension",
)
# An informative message names a dtype (or its kind), a shape, a size or a dim.
DTYPE_WORDS = ("bool", "int", "float", "half", "double", "long", "byte", "short", "dtype")


# ---- values and their source text -------------------------------------------------------------


def literal(value):
    """Python source for a number or a nested list of numbers (inf and NaN included)."""
    if isinstance(value, list):
        return "[" + ", ".join(literal(item) for item in value) + "]"
    if isinstance(value, float) and not math.isfinite(value):
        return f"float({str(value)!r})"
    return repr(value)


def nested(flat, shape):
    """A flat list of numbers as nested lists of ``shape``."""
    if not shape:
        return flat[0]
    step = len(flat) // shape[0]
    return [nested(flat[i * step : (i + 1) * step], shape[1:]) for i in range(shape[0])]


SPECIAL_FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, math.inf, -math.inf, math.nan]


def elements(dtype, finite=False):
    """Numbers exactly representable in ``dtype``, small but with the dtype's extremes."""
    if dtype == "bool":
        return st.booleans()
    if dtype in INTEGERS:
        info = np.iinfo(dtype)
        small = st.integers(max(info.min, -6), 6)
        return st.one_of(small, small, small, st.sampled_from([int(info.min), int(info.max)]))
    width = int(dtype[5:])
    specials = [v for v in SPECIAL_FLOATS if math.isfinite(v)] if finite else SPECIAL_FLOATS
    drawn = st.floats(-8, 8, width=width, allow_subnormal=False)
    return st.one_of(drawn, drawn, st.sampled_from(specials))


class Tensor:
    """A tensor operand: its dtype, shape, values and whether it requires grad."""

    def __init__(self, dtype, shape, values, requires_grad):
        self.dtype, self.shape, self.values = dtype, tuple(shape), values
        self.requires_grad = requires_grad

    def source(self):
        flag = ", requires_grad=True" if self.requires_grad else ""
        if 0 in self.shape:
            return f"lib.zeros({self.shape}, dtype=lib.{self.dtype}{flag})"
        data = literal(nested(self.values, self.shape))
        return f"lib.tensor({data}, dtype=lib.{self.dtype}{flag})"


@st.composite
def tensors(draw, shape, dtypes=tuple(DTYPES), finite=False, grad=True):
    dtype = draw(st.sampled_from(dtypes))
    count = math.prod(shape)
    values = draw(st.lists(elements(dtype, finite), min_size=count, max_size=count))
    requires_grad = grad and dtype in GRAD_DTYPES and draw(st.booleans())
    return Tensor(dtype, shape, values, requires_grad)


def python_numbers(kinds=("bool", "int", "float")):
    """Python operands. Ints fit every dtype (see test_python_int_outside_the_dtype_range)."""
    choices = {
        "bool": st.booleans(),
        "int": st.integers(0, 5),
        "float": st.one_of(st.sampled_from(SPECIAL_FLOATS), st.floats(-8, 8, width=16)),
    }
    return st.one_of(*(choices[kind] for kind in kinds))


# ---- shapes -----------------------------------------------------------------------------------


@st.composite
def broadcast_shapes(draw, count=2, max_ndim=3):
    """``count`` shapes that broadcast together (mostly) or, one time in eight, do not:
    each is the trailing dims of one broadcast shape, with some dims set to 1."""
    base = draw(st.lists(st.sampled_from(SIZES), max_size=max_ndim))
    shapes = []
    for _ in range(count):
        ndim = draw(st.integers(0, len(base)))
        shape = [size if draw(st.booleans()) else 1 for size in base[len(base) - ndim :]]
        shapes.append(tuple(shape))
    if draw(st.integers(0, 7)) == 0:
        which = draw(st.integers(0, count - 1))
        if shapes[which]:
            dim = draw(st.integers(0, len(shapes[which]) - 1))
            shape = list(shapes[which])
            shape[dim] = draw(st.sampled_from([0, 2, 3, 4]))
            shapes[which] = tuple(shape)
    return shapes


# ---- running a program with both libraries ------------------------------------------------------


class Program:
    """Operand lines, one op line ``out = ...``, and the name of what backward starts from.
    ``repr`` is the Python source (a plain class, so hypothesis prints it as source)."""

    def __init__(self, operands, line, target="out"):
        self.operands = operands  # name -> Tensor, or a Python number
        self.line = line
        self.target = target

    def lines(self):
        out = []
        for name, operand in self.operands.items():
            text = operand.source() if isinstance(operand, Tensor) else literal(operand)
            out.append(f"{name} = {text}")
        return [*out, self.line]

    def backward_lines(self):
        return [
            f"grad = lib.arange(1, {self.target}.numel() + 1, dtype={self.target}.dtype)",
            f"{self.target}.backward(grad.cos().reshape({self.target}.shape))",
        ]

    def __repr__(self):
        return (
            "\n"
            + "\n".join(self.lines())
            + "\n# if out requires grad:\n"
            + "\n".join(self.backward_lines())
        )

    @property
    def tensor_operands(self):
        return {name: v for name, v in self.operands.items() if isinstance(v, Tensor)}


def execute(lines, namespace):
    """Run source lines: None, or the exception raised."""
    if namespace["lib"] is torch:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PyTorch's own (var with no degrees of freedom)
            return _execute(lines, namespace)
    return _execute(lines, namespace)


def _execute(lines, namespace):
    try:
        exec(compile("\n".join(lines), "<random program>", "exec"), namespace)
    except Exception as error:  # any error is compared with PyTorch's
        return error
    return None


# A known limitation, not asserted here: the forward of + - * on float tensors lets NumPy's
# "invalid value" / "overflow" warnings through for inf - inf, inf * 0 and float overflow
# (an errstate per op costs about 1 us, as much as the op; the backward pass runs under one).
# test_forward_arithmetic_on_inf_warns_known_limitation pins it.
KNOWN_FORWARD_WARNINGS = tuple(
    f"RuntimeWarning: {kind} encountered in {ufunc}"
    for kind in ("invalid value", "overflow")
    for ufunc in ("add", "subtract", "multiply")
)


def run_chainrule(lines, namespace):
    """Like execute, and the warnings the lines let escape (but the known ones)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        error = execute(lines, namespace)
    messages = [f"{w.category.__name__}: {w.message}" for w in caught]
    return error, [message for message in messages if message not in KNOWN_FORWARD_WARNINGS]


def dtype_name(dtype):
    return str(dtype).removeprefix("torch.")


def assert_same_error(ours, theirs, program, extra_words=()):
    """chainrule raised where PyTorch raised, an exception of the same type (RuntimeError for
    PyTorch's NotImplementedError, its subclass, is accepted), with a message of its own that
    names what is wrong."""
    assert ours is not None, f"PyTorch raises {type(theirs).__name__}: {theirs}; chainrule does not"
    same = isinstance(ours, type(theirs)) or (
        isinstance(theirs, NotImplementedError) and type(ours) is RuntimeError
    )
    assert same, (
        f"PyTorch raises {type(theirs).__name__}: {theirs}\n"
        f"chainrule raises {type(ours).__name__}: {ours}"
    )
    message = str(ours)
    for numpy_message in NUMPY_MESSAGES:
        assert numpy_message not in message, f"a raw NumPy error: {type(ours).__name__}: {ours}"
    shapes = [operand.shape for operand in program.tensor_operands.values()]
    shape_texts = [str(s) for s in shapes if s] + [str(list(s)) for s in shapes if s]
    words = DTYPE_WORDS + tuple(shape_texts) + tuple(extra_words)
    assert any(word in message.lower() for word in words), (
        f"chainrule's message names no dtype, shape or dim: {type(ours).__name__}: {ours}"
    )


def results(value):
    """The tensors of an op's result: one, or the (values, indices) of max(dim)."""
    return list(value) if isinstance(value, tuple) else [value]


def assert_close(ours, theirs, what, rtol_table=RTOL, scale=1.0):
    """Same dtype, shape and values: exact for integers and bools, to rtol for floats (with an
    absolute tolerance of rtol * scale for sums that cancel), NaN and inf in the same places."""
    assert isinstance(ours, ag.Tensor), f"{what}: chainrule gives a {type(ours).__name__}"
    assert dtype_name(ours.dtype) == dtype_name(theirs.dtype), (
        f"{what}: dtype {ours.dtype} (chainrule) vs {dtype_name(theirs.dtype)} (PyTorch)"
    )
    assert tuple(ours.shape) == tuple(theirs.shape), (
        f"{what}: shape {tuple(ours.shape)} (chainrule) vs {tuple(theirs.shape)} (PyTorch)"
    )
    expected = theirs.detach().numpy()
    actual = np.asarray(ours.detach().numpy())
    if expected.dtype.kind in "biu":
        np.testing.assert_array_equal(actual, expected, err_msg=what)
        return
    rtol = rtol_table[dtype_name(theirs.dtype)]
    np.testing.assert_allclose(
        actual.astype(np.float64),
        expected.astype(np.float64),
        rtol=rtol,
        atol=rtol * scale,
        equal_nan=True,
        err_msg=what,
    )


def coarser_rtol(grad, out):
    """The gradient tolerance of the coarser of the gradient's and the result's dtypes."""
    rtol = GRAD_RTOL[dtype_name(grad.dtype)]
    return {name: max(rtol, GRAD_RTOL.get(dtype_name(out.dtype), rtol)) for name in GRAD_RTOL}


def magnitude(program):
    """The largest finite magnitude among the float operands times their element count: the
    absolute tolerance scale of a sum of them."""
    largest, count = 1.0, 1
    for operand in program.operands.values():
        values = operand.values if isinstance(operand, Tensor) else [operand]
        finite = [abs(float(v)) for v in values if math.isfinite(float(v))]
        largest = max([largest, *finite])
        count = max(count, len(values))
    return largest * count


QUIRKS = (
    "not implemented for '",  # a CPU kernel missing for a dtype
    "does not support bool input",  # argmax/argmin of bools
    "Subtraction, the `-` operator, with a bool tensor",  # pow's gradient formula, bool exponent
    "doesn't match the broadcast shape",  # logsumexp(int, dim=())
    "Autograd not support dtype",  # sum(float requiring grad, dtype=int)
    "must be Tensor, not",  # logical_and(t, 2): PyTorch takes Tensors only
    "derivative for aten::",  # 2.0 % t with t requiring grad: PyTorch has no formula
    "INTERNAL ASSERT FAILED",  # PyTorch's own bug: False ** t with t requiring grad
    "must have at least 2 dimensions",  # norm(0-d, dim=(0, 0, 1)): PyTorch's matrix_norm
)


def pytorch_quirk(torch_error, program):
    """True where PyTorch raises for a reason chainrule need not copy (module docstring)."""
    message = str(torch_error)
    if "Subtraction" in message and "**" not in program.line:
        return False
    return any(quirk in message for quirk in QUIRKS)


def has_empty_operand(program):
    return any(0 in operand.shape for operand in program.tensor_operands.values())


def check(program, *, scale=1.0, allow_integer_zero_division=False, extra_words=()):
    """Run ``program`` with both libraries and compare everything (see the module docstring)."""
    theirs = {"lib": torch}
    ours = {"lib": ag}
    torch_error = execute(program.lines(), theirs)
    our_error, caught = run_chainrule(program.lines(), ours)
    assert not caught, f"chainrule lets NumPy warnings escape: {caught}"
    if torch_error is not None:
        zero_division = allow_integer_zero_division and "ZeroDivisionError" in str(torch_error)
        if zero_division or pytorch_quirk(torch_error, program):
            # PyTorch raises; chainrule may raise the same or a RuntimeError, or return a value.
            allowed = (RuntimeError, IndexError, TypeError, ValueError)
            assert our_error is None or isinstance(our_error, allowed), (
                f"PyTorch raises {type(torch_error).__name__}: {torch_error}\n"
                f"chainrule raises {type(our_error).__name__}: {our_error}"
            )
            return
        assert_same_error(our_error, torch_error, program, extra_words)
        return
    if our_error is not None:
        if has_empty_operand(program) and "not implemented" in str(our_error):
            return  # PyTorch runs no kernel for an empty tensor, so misses no kernel
        message = f"chainrule raises where PyTorch does not: {our_error!r}"
        raise AssertionError(message) from our_error
    expected = results(theirs["out"])
    actual = results(ours["out"])
    assert len(actual) == len(expected), f"{len(actual)} results vs {len(expected)}"
    for index, (mine, reference) in enumerate(zip(actual, expected)):
        assert_close(mine, reference, f"result {index}", scale=scale)
        assert mine.requires_grad == reference.requires_grad, (
            f"result {index}: requires_grad {mine.requires_grad} vs {reference.requires_grad}"
        )
    target = theirs[program.target] if program.target == "out" else expected[0]
    if not target.requires_grad:
        return
    torch_error = execute(program.backward_lines(), theirs)
    our_error, caught = run_chainrule(program.backward_lines(), ours)
    assert not caught, f"chainrule's backward lets NumPy warnings escape: {caught}"
    if torch_error is not None:
        if not pytorch_quirk(torch_error, program):
            assert_same_error(our_error, torch_error, program, ("derivative", "grad"))
        return
    if our_error is not None:
        raise AssertionError(f"chainrule's backward raises: {our_error!r}") from our_error
    for name in program.tensor_operands:
        mine, reference = ours[name].grad, theirs[name].grad
        assert (mine is None) == (reference is None), (
            f"{name}.grad: chainrule {'None' if mine is None else 'a tensor'}, "
            f"PyTorch {'None' if reference is None else 'a tensor'}"
        )
        if reference is not None and not reciprocal_overflow(program, reference):
            # A float64 operand of a float32 result has a gradient of float32 precision.
            assert_close(mine, reference, f"{name}.grad", coarser_rtol(reference, target), scale)


def reciprocal_overflow(program, grad):
    """PyTorch computes ``number / t`` as ``t.reciprocal() * number``, whose gradient squares
    1 / t: for tiny t that overflows, giving inf, or NaN (0 * inf) for number 0, where the
    true gradient -g number / t^2 is finite and chainrule gives it (PyTorch's own formula for
    tensor / tensor). Such a PyTorch gradient is not compared."""
    number_over_tensor = " / " in program.line and "a" not in program.tensor_operands
    return number_over_tensor and not np.isfinite(grad.detach().numpy()).all()


# ---- binary ops, comparisons, logical ops --------------------------------------------------------

BINARY = {
    "add": "{a} + {b}",
    "sub": "{a} - {b}",
    "mul": "{a} * {b}",
    "div": "{a} / {b}",
    "floordiv": "{a} // {b}",
    "mod": "{a} % {b}",
    "pow": "{a} ** {b}",
    "eq": "{a} == {b}",
    "ne": "{a} != {b}",
    "lt": "{a} < {b}",
    "le": "{a} <= {b}",
    "gt": "{a} > {b}",
    "ge": "{a} >= {b}",
    "and": "{a} & {b}",
    "or": "{a} | {b}",
    "xor": "{a} ^ {b}",
    "logical_and": "lib.logical_and({a}, {b})",
    "logical_or": "lib.logical_or({a}, {b})",
    "logical_xor": "lib.logical_xor({a}, {b})",
    "maximum": "lib.maximum({a}, {b})",
    "minimum": "lib.minimum({a}, {b})",
}


@st.composite
def binary_programs(draw, ops=tuple(BINARY)):
    op = draw(st.sampled_from(ops))
    shapes = draw(broadcast_shapes(2))
    operands = {}
    python_side = draw(st.sampled_from([None, None, "a", "b"]))
    for name, shape in zip("ab", shapes):
        if name == python_side:
            operands[name] = draw(python_numbers())
        else:
            operands[name] = draw(tensors(shape))
    return Program(operands, "out = " + BINARY[op].format(a="a", b="b"))


def tensor(dtype, values, shape=None, requires_grad=False):
    """A Tensor operand for hand-written examples (``values`` flat, ``shape`` theirs)."""
    values = values if isinstance(values, list) else [values]
    return Tensor(dtype, (len(values),) if shape is None else shape, values, requires_grad)


def pinned(line, **operands):
    """A program written by hand for ``@example``: ``line`` over the named operands."""
    return Program(operands, f"out = {line}")


# Programs these tests found failing, kept as explicit examples (shrunk by hand).
LOGICAL_AND_OF_INTS = pinned(
    "lib.logical_and(a, b)", a=tensor("int64", [1, 2]), b=tensor("int64", [2, 1])
)
LOGICAL_OR_OF_FLOATS = pinned(
    "lib.logical_or(a, b)", a=tensor("float32", [0.5, 0.0]), b=tensor("float32", [0.0, 0.0])
)
INT_TO_NEGATIVE_INT_TENSOR = pinned(
    "a ** b", a=tensor("int64", [0, 1, -1, 2]), b=tensor("int64", -2, ())
)
INT32_MAX_MINUS_FLOAT16 = pinned(
    "a - b", a=tensor("float16", [0.0]), b=tensor("int32", 2**31 - 1, ())
)
INF_OVER_UINT8_ZEROS = pinned(
    "a / b", a=tensor("float64", math.inf, (), True), b=tensor("uint8", [0, 0])
)
NAN_TO_THE_INT_ZERO = pinned(
    "a ** b", a=tensor("float64", math.nan, (), True), b=tensor("int8", 0, ())
)
ONE_MOD_MINUS_INF = pinned(
    "a % b", a=tensor("float32", 1.0, ()), b=tensor("float64", [-math.inf], requires_grad=True)
)
TINY_OVER_TINY = pinned(
    "a / b", a=tensor("float64", 3e-295, (), True), b=tensor("float64", 3e-295, (), True)
)
REMAINDER_BY_PYTHON_FLOAT = pinned(
    "a % b", a=tensor("float32", [5.0, -1.5], requires_grad=True), b=2.0
)


ARITHMETIC = ("add", "sub", "mul", "div", "floordiv", "mod", "pow")
COMPARISONS = ("eq", "ne", "lt", "le", "gt", "ge", "maximum", "minimum")
BITWISE = ("and", "or", "xor", "logical_and", "logical_or", "logical_xor")


@random_cases
@given(binary_programs(ARITHMETIC))
@example(pinned("a - b", a=tensor("bool", True), b=tensor("bool", False)))
@example(INT_TO_NEGATIVE_INT_TENSOR)
@example(pinned("a ** b", a=2, b=tensor("int64", [-1])))
@example(pinned("a ** b", a=tensor("bool", [True, False]), b=True))
@example(INT32_MAX_MINUS_FLOAT16)
@example(INF_OVER_UINT8_ZEROS)
@example(REMAINDER_BY_PYTHON_FLOAT)
@example(pinned("a - b", a=0, b=tensor("bool", [True])))
@example(pinned("a * b", a=tensor("float32", [-math.inf]), b=False))
@example(NAN_TO_THE_INT_ZERO)
@example(ONE_MOD_MINUS_INF)
@example(TINY_OVER_TINY)
@example(pinned("a // b", a=tensor("float16", [4.71875]), b=tensor("float32", 4.720703125, ())))
def test_arithmetic_matches_torch(program):
    operands = program.operands.values()
    scale = magnitude(program)
    if any(getattr(operand, "dtype", None) == "float16" for operand in operands):
        # PyTorch computes float16 with a 0-d tensor or a number kept in float32, where
        # chainrule rounds it to float16 first (the dtype rules): the results agree to float16
        # precision, unless the number is 0 or inf in float16, or a quotient floors to 1 less.
        scalars = [o for o in operands if not isinstance(o, Tensor) or not o.shape]
        values = [v for o in scalars for v in (o.values if isinstance(o, Tensor) else [o])]
        with np.errstate(over="ignore"):
            rounded = [np.float16(v) for v in values if v and math.isfinite(v)]
        assume(all(0 < abs(r) < np.inf for r in rounded))
        scale = max(scale, 1 / RTOL["float16"]) if "//" in program.line else scale
    check(program, scale=scale, allow_integer_zero_division=True)


@pytest.mark.xfail(strict=True, reason="forward + - * let NumPy's inf/overflow warnings through")
def test_forward_arithmetic_on_inf_warns_known_limitation():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ag.tensor([-math.inf]) * False


@random_cases
@given(binary_programs(COMPARISONS))
@example(pinned("a == b", a=tensor("float16", [1.0]), b=tensor("int32", -(2**31), ())))
def test_comparisons_maximum_minimum_match_torch(program):
    check(program, scale=magnitude(program))


@random_cases
@given(binary_programs(BITWISE))
@example(LOGICAL_AND_OF_INTS)
@example(LOGICAL_OR_OF_FLOATS)
@example(pinned("a ^ b", a=3, b=tensor("int16", [5])))
@example(pinned("a & b", a=tensor("float32", [1.0]), b=tensor("float32", [1.0])))
@example(pinned("a ^ b", a=tensor("uint8", [4, 255]), b=tensor("int32", 1, ())))
def test_bitwise_and_logical_ops_match_torch(program):
    check(program)


@random_cases
@given(
    dtype=st.sampled_from(INTEGERS),
    number=st.sampled_from([-1, -129, 128, 200, 256, 300, 40000, -40000, 2**31, 2**40]),
    op=st.sampled_from(["add", "sub", "mul", "clamp", "eq", "lt"]),
    left=st.booleans(),
)
@example(dtype="uint8", number=-1, op="add", left=False)
def test_python_int_outside_the_dtype_range(dtype, number, op, left):
    """An int tensor with a Python int its dtype cannot hold. PyTorch mostly wraps the number
    to the dtype (``uint8 + (-1)`` is ``uint8 + 255``, and ``uint8 < -1`` is True), but not
    always (``uint8 + 256`` raises a RuntimeError); NumPy 2 raises an OverflowError for
    arithmetic and compares exactly. Not asserted: comparisons (NumPy's exact answer is
    arguably better than PyTorch's wrapped one). Asserted: no NumPy warning or OverflowError
    escapes; arithmetic either gives PyTorch's result or raises a RuntimeError naming the
    dtype (PyTorch's error type where it raises)."""
    if op == "clamp":
        line = "out = lib.clamp(a, min=n)"
    else:
        template = BINARY[op]
        line = "out = " + (template.format(a="n", b="a") if left else template.format(a="a", b="n"))
    program = Program({"a": Tensor(dtype, (3,), [0, 1, 2], False), "n": number}, line)
    ours = {"lib": ag}
    our_error, caught = run_chainrule(program.lines(), ours)
    assert not caught, f"chainrule lets NumPy warnings escape: {caught}"
    if op in ("eq", "lt"):
        assert our_error is None, f"chainrule raises {our_error!r}"
        return
    theirs = {"lib": torch}
    torch_error = execute(program.lines(), theirs)
    if our_error is not None:
        assert isinstance(our_error, RuntimeError) and dtype in str(our_error), (
            f"chainrule raises {type(our_error).__name__}: {our_error}\n"
            f"PyTorch {'raises ' + repr(torch_error) if torch_error else 'gives a result'}"
        )
        return
    assert torch_error is None, f"PyTorch raises {torch_error!r}; chainrule does not"
    assert_close(ours["out"], theirs["out"], "result")
