"""Random where, matmul, unary, reduction and ``tensor`` factory programs run through chainrule
and PyTorch, which must agree: the machinery (program generation, ``check``, what must agree,
the PyTorch quirks not asserted) is in test_random_dtypes.py, which also covers the binary
ops, comparisons and logical ops.

Not generated: a uint8 ``where`` condition (deprecated in PyTorch), ``all``/``any`` with
``dim=()`` (PyTorch reduces nothing there, and every dim for ``sum``), ``var``/``std`` with
``dim=()`` (PyTorch's gradient is NaN) or over every element with a correction above their
count (PyTorch's gradient is then inf with the sign of the incoming gradient, where its
``dim=`` path and chainrule take the formula 2 (x - mean) / (n - correction)), and matmul of
two dtypes (PyTorch refuses).

More examples: ``RANDOM_DTYPE_EXAMPLES=3000 pytest tests/test_random_dtypes_ops.py``.
"""

import math

from hypothesis import example, given
from hypothesis import strategies as st

# Importing the shared machinery skips this module too when torch is missing.
from test_random_dtypes import (
    DTYPES,
    INTEGERS,
    SIZES,
    SPECIAL_FLOATS,
    Program,
    broadcast_shapes,
    check,
    literal,
    magnitude,
    nested,
    pinned,
    python_numbers,
    random_cases,
    run_chainrule,
    tensor,
    tensors,
)

import autograd as ag

# ---- where ---------------------------------------------------------------------------------------


@st.composite
def where_programs(draw):
    shapes = draw(broadcast_shapes(3))
    operands = {"condition": draw(tensors(shapes[0], dtypes=("bool",)))}
    for name, shape in zip("ab", shapes[1:]):
        operands[name] = (
            draw(python_numbers()) if draw(st.integers(0, 3)) == 0 else draw(tensors(shape))
        )
    return Program(operands, "out = lib.where(condition, a, b)")


@random_cases
@given(where_programs())
@example(pinned("lib.where(condition, a, b)", condition=tensor("bool", [True, False]), a=0.0, b=0))
@example(
    pinned(
        "lib.where(condition, a, b)",
        condition=tensor("bool", [True]),
        a=tensor("float16", [1.0]),
        b=tensor("int32", [-(2**31)]),
    )
)
def test_where_matches_torch(program):
    check(program)


# ---- matmul --------------------------------------------------------------------------------------


@st.composite
def matmul_programs(draw):
    """Operands of rank 0 to 4 with one dtype (PyTorch refuses mixed dtypes: see below); the
    inner sizes agree except one time in eight; batch dims broadcast or (rarely) do not."""
    rank_a, rank_b = draw(st.integers(0, 4)), draw(st.integers(0, 4))
    n, k, m = (draw(st.sampled_from(SIZES)) for _ in range(3))
    batch = draw(broadcast_shapes(2, max_ndim=2))
    shape_a = {0: (), 1: (k,), 2: (n, k)}.get(rank_a) or (*batch[0][-(rank_a - 2) :], n, k)
    shape_b = {0: (), 1: (k,), 2: (k, m)}.get(rank_b) or (*batch[1][-(rank_b - 2) :], k, m)
    shape_a = shape_a[-rank_a:] if rank_a else ()
    if rank_a > 2 and len(shape_a) < rank_a:
        shape_a = (1,) * (rank_a - len(shape_a)) + shape_a
    if rank_b > 2 and len(shape_b) < rank_b:
        shape_b = (1,) * (rank_b - len(shape_b)) + shape_b
    if draw(st.integers(0, 7)) == 0 and shape_b:
        inner = -2 if rank_b > 1 else -1
        shape_b = list(shape_b)
        shape_b[inner] += 1
        shape_b = tuple(shape_b)
    dtype = draw(st.sampled_from(DTYPES))
    a = draw(tensors(shape_a, dtypes=(dtype,), finite=True))
    b = draw(tensors(shape_b, dtypes=(dtype,), finite=True))
    return Program({"a": a, "b": b}, "out = a @ b")


@random_cases
@given(matmul_programs())
@example(pinned("a @ b", a=tensor("float32", [], (3, 0)), b=tensor("float32", [], (0,))))
def test_matmul_matches_torch(program):
    check(program, scale=magnitude(program) ** 2, extra_words=("size", "dim", "shape", "1d"))


# ---- unary ops -----------------------------------------------------------------------------------

UNARY = [
    "exp", "log", "log1p", "expm1", "sqrt", "rsqrt", "sin", "cos", "tan", "tanh", "sigmoid",
    "abs", "neg", "sign", "floor", "ceil", "trunc", "round", "reciprocal", "square", "erf",
    "relu", "logical_not", "isnan", "isinf", "isfinite",
]  # fmt: skip
UNARY_SOURCE = {"neg": "-a", "abs": "abs(a)", "invert": "~a"}


@st.composite
def unary_programs(draw):
    op = draw(st.sampled_from([*UNARY, "invert", "round_decimals"]))
    shape = tuple(draw(st.lists(st.sampled_from(SIZES), max_size=3)))
    a = draw(tensors(shape))
    if op == "round_decimals":
        line = f"out = lib.round(a, decimals={draw(st.integers(-1, 2))})"
    else:
        line = "out = " + UNARY_SOURCE.get(op, f"lib.{op}(a)")
    return Program({"a": a}, line)


@random_cases
@given(unary_programs())
@example(pinned("lib.logical_not(a)", a=tensor("int8", [1, 0])))
@example(pinned("lib.logical_not(a)", a=tensor("float64", [1.0, 0.0])))
@example(pinned("-a", a=tensor("bool", [True])))
def test_unary_ops_match_torch(program):
    check(program)


# ---- reductions ----------------------------------------------------------------------------------

# op -> (accepts a tuple of dims, accepts dtype=, dim may be omitted)
REDUCTIONS = {
    "sum": (True, True, True),
    "mean": (True, True, True),
    "prod": (False, True, True),
    "amax": (True, False, True),
    "amin": (True, False, True),
    "max": (False, False, True),
    "min": (False, False, True),
    "argmax": (False, False, True),
    "argmin": (False, False, True),
    "var": (True, False, True),
    "std": (True, False, True),
    "logsumexp": (True, False, False),
    "cumsum": (False, True, False),
    "all": (True, False, True),
    "any": (True, False, True),
    "norm": (True, False, True),
    "softmax": (False, True, False),
    "log_softmax": (False, True, False),
}


@st.composite
def reduction_programs(draw):
    op = draw(st.sampled_from(sorted(REDUCTIONS)))
    takes_tuple, takes_dtype, dim_optional = REDUCTIONS[op]
    shape = tuple(draw(st.lists(st.sampled_from(SIZES), max_size=3)))
    a = draw(tensors(shape))
    ndim = len(shape)
    dims = st.integers(-max(ndim, 1) - 1, max(ndim, 1))  # one past either end: an error
    choices = [dims]
    if takes_tuple:
        smallest = 1 if op in ("all", "any", "var", "std") else 0  # dim=(): see the docstring
        choices.append(st.lists(dims, min_size=smallest, max_size=3).map(tuple))
    if dim_optional:
        choices.append(st.none())
    dim = draw(st.one_of(*choices))
    arguments = [] if dim is None else [f"dim={dim!r}"]
    if dim is not None and op not in ("cumsum", "softmax", "log_softmax") and draw(st.booleans()):
        arguments.append("keepdim=True")
    if op in ("var", "std") and draw(st.booleans()):
        correction = draw(st.integers(0, 2))
        if dim is None or not ndim:  # every element: see the docstring
            correction = min(correction, math.prod(shape))
        arguments.append(f"correction={correction}")
    if op == "norm" and draw(st.booleans()):
        arguments.append(f"p={draw(st.sampled_from([1, 2, 3, 0.5]))!r}")
    if takes_dtype and draw(st.booleans()):
        arguments.append(f"dtype=lib.{draw(st.sampled_from(DTYPES))}")
    line = f"out = lib.{op}({', '.join(['a', *arguments])})"
    target = "out[0]" if op in ("max", "min") and dim is not None else "out"
    return Program({"a": a}, line, target=target)


@random_cases
@given(reduction_programs())
@example(pinned("lib.argmax(a)", a=tensor("float32", [], (0,))))
@example(pinned("lib.amin(a, dim=1)", a=tensor("uint8", [], (0, 0))))
@example(pinned("lib.softmax(a, dim=1)", a=tensor("int64", [1, 2])))
@example(pinned("lib.mean(a, dim=0)", a=tensor("float64", [], (0, 2))))
@example(pinned("lib.sum(a, dtype=lib.float16)", a=tensor("int32", [2**31 - 1, 2**31 - 1])))
@example(pinned("lib.var(a, dim=())", a=tensor("float64", 0.0, (), True)))
@example(pinned("lib.std(a, dim=(0, 0, 1))", a=tensor("float16", 0.0, ())))
@example(pinned("lib.sum(a, dim=0, dtype=lib.uint8)", a=tensor("float32", [0.0, math.inf])))
@example(pinned("lib.mean(a, dtype=lib.float16)", a=tensor("int16", [0, -32768, -32768])))
@example(pinned("lib.prod(a)", a=tensor("float32", math.inf, (), True)))
@example(pinned("lib.norm(a, dim=1)", a=tensor("float32", [math.inf, 1.0], (1, 2), True)))
def test_reductions_match_torch(program):
    check(program, scale=magnitude(program), extra_words=("dim", "reduction", "size"))


# ---- the tensor factory --------------------------------------------------------------------------

FACTORY_NUMBERS = {
    "bool": st.booleans(),
    "int": st.one_of(st.integers(-6, 300), st.sampled_from([2**31, 2**63, -(2**63) - 1])),
    "float": st.one_of(st.floats(-6, 6, width=16), st.sampled_from(SPECIAL_FLOATS)),
}


@st.composite
def factory_programs(draw):
    kinds = draw(st.lists(st.sampled_from(sorted(FACTORY_NUMBERS)), min_size=1, max_size=2))
    numbers = st.one_of(*(FACTORY_NUMBERS[kind] for kind in kinds))
    shape = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    count = math.prod(shape)
    data = nested(draw(st.lists(numbers, min_size=count, max_size=count)), shape)
    if shape and len(shape) == 2 and draw(st.integers(0, 7)) == 0:
        data[0] = data[0][:-1] if len(data[0]) > 1 else data[0] + data[0]  # ragged
    dtype = draw(st.one_of(st.none(), st.sampled_from(DTYPES)))
    arguments = [literal(data)]
    if dtype is not None:
        arguments.append(f"dtype=lib.{dtype}")
    if draw(st.integers(0, 3)) == 0:
        arguments.append("requires_grad=True")
    return Program({}, f"out = lib.tensor({', '.join(arguments)})"), data, dtype


def flatten(data):
    return [x for item in data for x in flatten(item)] if isinstance(data, list) else [data]


def factory_case(data, dtype=None):
    arguments = [literal(data)] + ([f"dtype=lib.{dtype}"] if dtype else [])
    return Program({}, f"out = lib.tensor({', '.join(arguments)})"), data, dtype


@random_cases
@given(factory_programs())
@example(factory_case([[1, 2], [3]]))
@example(factory_case([2**63]))
@example(factory_case([150], "int8"))
@example(factory_case([-(2**63) - 1], "float64"))
@example(factory_case([math.nan, 1.0], "int32"))
def test_tensor_factory_matches_torch(case):
    program, data, dtype = case
    # A non-finite float (or a negative one to uint8) cast to an integer dtype has no defined
    # value in PyTorch (C++ undefined behaviour): only the absence of errors and warnings counts.
    numbers = [float(x) for x in flatten(data)]
    undefined = dtype in INTEGERS and any(
        not math.isfinite(x) or (dtype == "uint8" and x < 0) for x in numbers
    )
    if undefined:
        _, caught = run_chainrule(program.lines(), {"lib": ag})
        assert not caught, f"chainrule lets NumPy warnings escape: {caught}"
        return
    check(program, extra_words=("sequence", "length", "overflow", "convert"))
