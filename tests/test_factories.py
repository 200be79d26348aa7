"""Factories: shapes, dtypes and values of filled, ranged and random tensors; the seeded
generator; size and argument errors."""

import math
import warnings

import numpy as np
import pytest

import autograd as ag

FILLED = {
    "zeros": lambda lib, **kw: lib.zeros(2, 3, **kw),
    "zeros_tuple": lambda lib, **kw: lib.zeros((2, 3), **kw),
    "ones": lambda lib, **kw: lib.ones([4], **kw),
    "empty": lambda lib, **kw: lib.empty(3, 1, **kw),
    "full": lambda lib, **kw: lib.full((2, 2), 1.5, **kw),
    "eye": lambda lib, **kw: lib.eye(3, **kw),
    "eye_rectangular": lambda lib, **kw: lib.eye(2, 4, **kw),
    "linspace": lambda lib, **kw: lib.linspace(-1, 1, 5, **kw),
    "rand": lambda lib, **kw: lib.rand(2, 5, **kw),
    "randn": lambda lib, **kw: lib.randn(3, **kw),
    "zeros_scalar": lambda lib, **kw: lib.zeros((), **kw),
}


@pytest.mark.parametrize("dtype", [None, "float64", "float16"])
@pytest.mark.parametrize("name", list(FILLED))
def test_float_factories_shape_and_dtype_like_torch(name, dtype):
    torch = pytest.importorskip("torch")
    make = FILLED[name]
    ours = make(ag) if dtype is None else make(ag, dtype=getattr(ag, dtype))
    theirs = make(torch) if dtype is None else make(torch, dtype=getattr(torch, dtype))
    assert ours.shape == tuple(theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    if name not in ("empty", "rand", "randn"):
        np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-3)


@pytest.mark.parametrize("name", list(FILLED))
def test_float_factories_default_dtype_and_requires_grad(name):
    t = FILLED[name](ag, requires_grad=True)
    assert t.dtype == ag.float32 and t.requires_grad and t.is_leaf


def test_filled_values():
    assert ag.zeros(2).tolist() == [0.0, 0.0]
    assert ag.ones(1, 2).tolist() == [[1.0, 1.0]]
    assert ag.full((2,), 7).tolist() == [7, 7]
    assert ag.eye(2).tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert ag.linspace(0, 1, 5).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert ag.arange(4).tolist() == [0, 1, 2, 3]
    assert ag.arange(1, 8, 3).tolist() == [1, 4, 7]
    assert ag.arange(5, 0, -2).tolist() == [5, 3, 1]
    assert ag.zeros().shape == ()


@pytest.mark.parametrize(
    ("value", "dtype"), [(1.5, ag.float32), (2, ag.int64), (True, ag.bool), (-1, ag.int64)]
)
def test_full_dtype_follows_the_fill_value(value, dtype):
    assert ag.full((2,), value).dtype == dtype
    assert ag.full((2,), value, dtype=ag.float64).dtype == ag.float64


@pytest.mark.parametrize(
    "args", [(0, 1, 0.1), (-3, 3, 0.5), (10,), (2, 11, 3), (1.0, 0.0, -0.25), (0, 5.5)]
)
def test_arange_values_like_torch(args):
    torch = pytest.importorskip("torch")
    ours, theirs = ag.arange(*args), torch.arange(*args)
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-6, atol=1e-7)


def test_arange_errors():
    with pytest.raises(RuntimeError, match="step must be nonzero"):
        ag.arange(0, 5, 0)
    with pytest.raises(RuntimeError, match="inconsistent with step sign"):
        ag.arange(5, 0, 1)


LIKE = {
    "zeros_like": lambda lib, t, **kw: lib.zeros_like(t, **kw),
    "ones_like": lambda lib, t, **kw: lib.ones_like(t, **kw),
    "empty_like": lambda lib, t, **kw: lib.empty_like(t, **kw),
    "full_like": lambda lib, t, **kw: lib.full_like(t, 3, **kw),
    "rand_like": lambda lib, t, **kw: lib.rand_like(t, **kw),
    "randn_like": lambda lib, t, **kw: lib.randn_like(t, **kw),
}


@pytest.mark.parametrize("source_dtype", ["float64", "float16", "float32"])
@pytest.mark.parametrize("name", list(LIKE))
def test_like_factories_keep_shape_and_dtype(name, source_dtype):
    source = ag.ones(2, 3, dtype=getattr(ag, source_dtype), requires_grad=True)
    out = LIKE[name](ag, source)
    assert out.shape == (2, 3) and out.dtype == source.dtype
    assert not out.requires_grad
    assert LIKE[name](ag, source, dtype=ag.float64).dtype == ag.float64
    assert LIKE[name](ag, source, requires_grad=True).requires_grad


def test_like_factories_of_integer_tensors_like_torch():
    torch = pytest.importorskip("torch")
    for name in ("zeros_like", "ones_like", "full_like"):
        ours = LIKE[name](ag, ag.tensor([[1, 2]]))
        theirs = LIKE[name](torch, torch.tensor([[1, 2]]))
        assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
        assert ours.tolist() == theirs.tolist()


# ---- random draws -------------------------------------------------------------------------

DRAWS = {
    "rand": lambda: ag.rand(3, 4),
    "randn": lambda: ag.randn(5),
    "randint": lambda: ag.randint(0, 10, (6,)),
    "normal": lambda: ag.normal(1.0, 2.0, size=(3,)),
    "normal_tensors": lambda: ag.normal(ag.zeros(4), ag.ones(4)),
    "randperm": lambda: ag.randperm(8),
    "rand_like": lambda: ag.rand_like(ag.zeros(2, 2)),
}


@pytest.mark.parametrize("name", list(DRAWS))
def test_manual_seed_makes_draws_repeat_exactly(name):
    draw = DRAWS[name]
    ag.manual_seed(1234)
    first = [draw().data for _ in range(3)]
    ag.manual_seed(1234)
    second = [draw().data for _ in range(3)]
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], first[1])
    ag.manual_seed(4321)
    assert not np.array_equal(draw().data, first[0])


def test_generator_argument_is_independent_of_the_default_generator():
    generator = ag.Generator(7)
    ag.manual_seed(0)
    a = ag.rand(4, generator=generator)
    b = ag.rand(4)
    ag.manual_seed(99)
    generator.manual_seed(7)
    np.testing.assert_array_equal(ag.rand(4, generator=generator).data, a.data)
    assert not np.array_equal(ag.rand(4).data, b.data)


def test_rng_state_round_trips():
    ag.manual_seed(3)
    state = ag.get_rng_state()
    a = ag.randn(4)
    ag.set_rng_state(state)
    np.testing.assert_array_equal(ag.randn(4).data, a.data)
    assert ag.initial_seed() == 3


def test_random_draws_have_the_right_ranges_and_moments():
    uniform = ag.rand(100_000).data
    assert uniform.min() >= 0.0 and uniform.max() < 1.0
    assert abs(uniform.mean() - 0.5) < 0.01
    normal = ag.randn(100_000).data
    assert abs(normal.mean()) < 0.02 and abs(normal.std() - 1) < 0.02
    shifted = ag.normal(3.0, 2.0, size=(100_000,)).data
    assert abs(shifted.mean() - 3) < 0.05 and abs(shifted.std() - 2) < 0.05
    integers = ag.randint(-2, 3, (10_000,))
    assert integers.dtype == ag.int64
    assert set(np.unique(integers.data).tolist()) == {-2, -1, 0, 1, 2}
    assert sorted(ag.randperm(6).tolist()) == list(range(6))


def test_randint_with_high_and_size_only():
    draws = ag.randint(5, (3, 2))
    assert draws.shape == (3, 2) and draws.data.min() >= 0 and draws.data.max() < 5


def test_random_factories_dtypes_like_torch():
    torch = pytest.importorskip("torch")
    pairs = [
        (ag.randint(0, 5, (2,)), torch.randint(0, 5, (2,))),
        (ag.randperm(3), torch.randperm(3)),
        (ag.normal(ag.zeros(2), 1.0), torch.normal(torch.zeros(2), 1.0)),
        (ag.normal(0.0, 1.0, size=(2,)), torch.normal(0.0, 1.0, size=(2,))),
        (ag.rand(2, dtype=ag.float64), torch.rand(2, dtype=torch.float64)),
    ]
    for ours, theirs in pairs:
        assert ours.shape == tuple(theirs.shape)
        assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")


# ---- errors -------------------------------------------------------------------------------

NEGATIVE_SIZES = {
    "zeros": lambda: ag.zeros(2, -1),
    "ones": lambda: ag.ones((-3,)),
    "empty": lambda: ag.empty(-1),
    "full": lambda: ag.full((2, -2), 1.0),
    "rand": lambda: ag.rand(-1, 2),
    "randn": lambda: ag.randn(-5),
    "randint": lambda: ag.randint(0, 3, (-1,)),
}


@pytest.mark.parametrize("name", list(NEGATIVE_SIZES))
def test_negative_sizes_raise(name):
    with pytest.raises(RuntimeError, match="negative dimension -"):
        NEGATIVE_SIZES[name]()


def test_bad_arguments_raise():
    with pytest.raises(TypeError, match="tuple of ints"):
        ag.zeros(2.5)
    with pytest.raises(RuntimeError, match="from=3 >= to=3"):
        ag.randint(3, 3, (2,))
    with pytest.raises(RuntimeError, match="std >= 0"):
        ag.normal(0.0, -1.0, size=(2,))
    with pytest.raises(TypeError, match="size"):
        ag.randint(0, 3)


RAGGED = [[[1, 2], [3]], [[[1], [2]], [[3], [4, 5]]], [[1, 2], [3, 4], [5]], [[1, 2], 3]]


@pytest.mark.parametrize("data", RAGGED, ids=str)
def test_tensor_of_ragged_lists_raises_like_torch(data):
    torch = pytest.importorskip("torch")
    with pytest.raises((TypeError, ValueError)) as expected:
        torch.tensor(data)
    with pytest.raises(expected.type, match="sequence") as raised:
        ag.tensor(data)
    assert "inhomogeneous" not in str(raised.value)


@pytest.mark.parametrize("data", [[[0, 300], [0, 0, 0]], [[0, 1], [0, 300, 0]]], ids=str)
def test_tensor_of_ragged_lists_checks_values_in_order_like_torch(data):
    torch = pytest.importorskip("torch")
    with pytest.raises((RuntimeError, ValueError)) as expected:
        torch.tensor(data, dtype=torch.uint8)
    with pytest.raises(expected.type, match=r"overflow|sequence"):
        ag.tensor(data, dtype=ag.uint8)


TENSOR_DATA = [
    ([2**63], None),
    ([2**64], None),
    ([2**63, -1], None),
    ([2**63], "int64"),
    ([0.0, 2**63], "int64"),
    ([0.0, 2**63], "uint8"),
    ([1e19, 5], "int64"),
    ([2**31, 2**63], "uint8"),
    ([150], "int8"),
    ([256], "uint8"),
    ([-1], "uint8"),
    ([-0.5], "uint8"),
    ([127.9], "int8"),
    (math.nan, "int64"),
    ([-(2**63) - 1], "float64"),
    ([2**63], "float32"),
    ([2**70, 1.5], None),
    ([2**63], "bool"),
    ([1e300], "float32"),
    ([70000], "float16"),
]


@pytest.mark.parametrize("data, dtype", TENSOR_DATA, ids=str)
def test_tensor_values_out_of_range_like_torch(data, dtype):
    torch = pytest.importorskip("torch")
    kwargs = {} if dtype is None else {"dtype": getattr(torch, dtype)}
    try:
        expected = torch.tensor(data, **kwargs)
    except (ValueError, RuntimeError) as error:
        with pytest.raises(type(error), match=r"[Oo]verflow"):
            ag.tensor(data, dtype=dtype and getattr(ag, dtype))
        return
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = ag.tensor(data, dtype=dtype and getattr(ag, dtype))
    assert ours.dtype == expected.numpy().dtype
    np.testing.assert_array_equal(ours.data, expected.numpy())
