"""Reductions and selection ops against PyTorch where finite differences cannot go: ties,
kinks, zeros, NaN and inf, large logits, dtypes, named tuples and error messages."""

import math
import warnings

import numpy as np
import pytest

import autograd as ag

torch = pytest.importorskip("torch")

NAN, INF = math.nan, math.inf


def both(fn, *arrays, grad=True):
    """fn(lib, *tensors) run in both libraries on float64 copies of ``arrays``; checks the
    outputs (values, dtypes, shapes) and, with ``grad``, the input gradients of a random
    weighted sum of the first output."""
    ours = [ag.tensor(np.array(a, dtype=np.float64), requires_grad=grad) for a in arrays]
    theirs = [torch.tensor(np.array(a, dtype=np.float64), requires_grad=grad) for a in arrays]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out_ours, out_theirs = fn(ag, *ours), fn(torch, *theirs)
    pairs = (
        list(zip(out_ours, out_theirs)) if isinstance(out_ours, tuple) else [(out_ours, out_theirs)]
    )
    for a, b in pairs:
        expected = b.detach().numpy()
        assert a.shape == expected.shape and a.dtype == expected.dtype
        np.testing.assert_allclose(a.data, expected, rtol=1e-12, atol=1e-12, equal_nan=True)
    if grad:
        first_ours, first_theirs = pairs[0]
        seed = np.random.default_rng(0).standard_normal(first_ours.shape)
        first_ours.backward(ag.tensor(seed))
        first_theirs.backward(torch.tensor(seed))
        for a, b in zip(ours, theirs):
            expected = np.zeros(a.shape) if b.grad is None else b.grad.numpy()
            actual = np.zeros(a.shape) if a.grad is None else a.grad.data
            np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-12, equal_nan=True)
    return out_ours


# ---- ties and kinks ----------------------------------------------------------------------

TIES = np.array([[1.0, 3.0, 3.0, 2.0], [5.0, 5.0, 5.0, -1.0], [0.0, -2.0, 0.0, -2.0]])


@pytest.mark.parametrize(
    "fn",
    [
        lambda lib, a: a.max(),
        lambda lib, a: a.min(),
        lambda lib, a: a.amax(1),
        lambda lib, a: a.amin((0, 1), keepdim=True),
        lambda lib, a: lib.amax(a, -2),
        lambda lib, a: a.max(1),
        lambda lib, a: a.min(0, keepdim=True),
        lambda lib, a: a.norm(float("inf"), dim=1),
        lambda lib, a: a.norm(float("-inf")),
        lambda lib, a: lib.maximum(a, a.flip(1)),
        lambda lib, a: lib.minimum(a, lib.ones(4, dtype=lib.float64) * 3),
    ],
    ids=[
        "max",
        "min",
        "amax",
        "amin-tuple",
        "amax-neg",
        "max-dim",
        "min-dim-keepdim",
        "norm-inf",
        "norm-neg-inf",
        "maximum",
        "minimum",
    ],
)
def test_ties_split_like_torch(fn):
    both(fn, TIES)


def test_max_without_dim_splits_evenly():
    x = ag.tensor([1.0, 3.0, 3.0, 3.0], requires_grad=True)
    x.max().backward()
    np.testing.assert_allclose(x.grad.data, [0, 1 / 3, 1 / 3, 1 / 3])


def test_max_dim_sends_gradient_to_first_index():
    x = ag.tensor([[2.0, 7.0, 7.0]], requires_grad=True)
    values, indices = x.max(1)
    values.sum().backward()
    assert indices.tolist() == [1]
    assert x.grad.tolist() == [[0.0, 1.0, 0.0]]


@pytest.mark.parametrize(
    "bounds",
    [(1.0, 2.0), (1.0, None), (None, 2.0), (2.0, 1.0), (1.0, 1.0)],
    ids=["both", "min", "max", "min-above-max", "equal"],
)
def test_clamp_passes_gradient_at_bounds(bounds):
    both(lambda lib, a: a.clamp(*bounds), [-1.0, 1.0, 1.5, 2.0, 3.0])


def test_clamp_tensor_bounds_like_torch():
    x = [0.0, 1.0, 2.0, 3.0, 1.5, 0.5, 1.0]
    low = [0.0, 0.0, 0.0, 0.0, 2.0, 1.0, 1.0]
    high = [2.0, 2.0, 2.0, 2.0, 1.0, 1.0, 1.0]
    both(lambda lib, a, lo, hi: lib.clamp(a, lo, hi), x, low, high)


@pytest.mark.parametrize(
    "dtype, low", [("uint8", -1), ("uint8", -200), ("uint8", 256), ("uint8", -300), ("int8", 128)]
)
def test_clamp_integer_bounds_out_of_the_dtype_range_like_torch(dtype, low):
    values = [1, 100]
    try:
        expected = torch.clamp(torch.tensor(values, dtype=getattr(torch, dtype)), min=low)
    except RuntimeError:
        with pytest.raises(RuntimeError, match=f"value {low} cannot be converted to type {dtype}"):
            ag.clamp(ag.tensor(values, dtype=dtype), min=low)
        return
    assert ag.clamp(ag.tensor(values, dtype=dtype), min=low).tolist() == expected.tolist()


def test_where_gradient_masks_each_side():
    condition = np.array([True, False, True])
    both(lambda lib, a, b: lib.where(lib.tensor(condition), a, b), [1.0, 2.0, 3.0], [4.0, 5, 6])


@pytest.mark.parametrize("a, b", [(0.0, 0), (1, 2), (True, False), (True, 2), (1.5, True)])
def test_where_of_two_python_numbers_like_torch(a, b):
    ours = ag.where(ag.tensor([True, False]), a, b)
    theirs = torch.where(torch.tensor([True, False]), a, b)
    assert ours.dtype == theirs.numpy().dtype and ours.tolist() == theirs.tolist()


# ---- named tuples ------------------------------------------------------------------------


def test_max_dim_returns_named_tuple():
    x = ag.tensor([[1.0, 5.0], [7.0, 2.0]])
    result = x.max(1)
    values, indices = result
    assert type(result).__name__ == "max" and result._fields == ("values", "indices")
    assert result.values is values and result.indices is indices
    assert values.tolist() == [5.0, 7.0] and indices.tolist() == [1, 0]
    assert indices.dtype == ag.int64 and not indices.requires_grad
    assert repr(result).startswith("max(values=tensor(")
    low = ag.min(x, dim=0, keepdim=True)
    assert type(low).__name__ == "min" and low.indices.tolist() == [[0, 1]]


def test_max_of_two_tensors_is_maximum():
    a, b = ag.tensor([1.0, 4.0]), ag.tensor([3.0, 2.0])
    assert ag.max(a, b).tolist() == [3.0, 4.0] and ag.min(a, b).tolist() == [1.0, 2.0]


def test_argmax_first_index_and_flattening():
    x = ag.tensor([[1.0, 9.0, 9.0], [9.0, 0.0, 0.0]])
    assert x.argmax().item() == 1 and x.argmin().item() == 4
    assert x.argmax(1).tolist() == [1, 0] and x.argmax(0, keepdim=True).tolist() == [[1, 0, 0]]
    assert x.argmax(keepdim=True).shape == (1, 1)
    assert x.argmax().dtype == ag.int64 and ag.tensor(3.0).argmax(0).item() == 0


# ---- var, std ----------------------------------------------------------------------------

DATA = np.array([[0.3, -1.2, 2.5, 0.7], [1.1, 0.4, -0.9, 2.2], [-0.5, 1.9, 0.1, 0.6]])


@pytest.mark.parametrize("op", ["var", "std"])
@pytest.mark.parametrize(
    "call",
    [
        lambda f, a: f(a),
        lambda f, a: f(a, 0),
        lambda f, a: f(a, 1, False),
        lambda f, a: f(a, 1, True, True),
        lambda f, a: f(a, unbiased=False),
        lambda f, a: f(a, dim=(0, 1), correction=0),
        lambda f, a: f(a, dim=-1, correction=2, keepdim=True),
        lambda f, a: f(a, 0, correction=1.5),
        lambda f, a: f(a, dim=0, correction=3),  # n - correction == 0: inf
        lambda f, a: f(a, dim=0, correction=5),  # n - correction < 0: inf, as in PyTorch
    ],
    ids=[
        "default",
        "dim",
        "biased",
        "unbiased-keepdim",
        "unbiased-kw",
        "tuple-c0",
        "keepdim-c2",
        "c1.5",
        "c=n",
        "c>n",
    ],
)
def test_var_std_corrections_like_torch(op, call):
    both(lambda lib, a: call(getattr(lib, op), a), DATA)


def test_var_legacy_unbiased_overload():
    both(lambda lib, a: a.var(False), DATA)
    both(lambda lib, a: a.std(True), DATA)


@pytest.mark.parametrize("op", ["var", "std"])
def test_var_std_of_constant_and_single_element(op):
    both(lambda lib, a: getattr(a, op)(1), [[2.0, 2.0, 2.0], [1.0, 3.0, 5.0]])  # std grad 0 at 0
    both(lambda lib, a: getattr(a, op)(), [4.0])  # n - 1 == 0: NaN value and gradient


def test_var_unbiased_and_correction_together_is_refused():
    with pytest.raises(TypeError, match="either unbiased or correction"):
        ag.tensor(DATA).var(0, True, correction=1)


# ---- prod with zeros ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "array",
    [
        [[0.0, 2.0, 3.0], [1.0, 0.0, 0.0], [2.0, 4.0, 0.5]],
        [[0.0, 0.0, 0.0], [0.0, 5.0, 0.0], [1.0, 1.0, 0.0]],
        [[1.5, 2.0, -3.0], [0.0, 0.5, 4.0], [2.0, -1.0, 1.0]],
    ],
    ids=["mixed", "many-zeros", "one-zero"],
)
@pytest.mark.parametrize(
    "fn",
    [lambda lib, a: a.prod(), lambda lib, a: a.prod(1), lambda lib, a: a.prod(0, keepdim=True)],
    ids=["all", "dim1", "dim0-keepdim"],
)
def test_prod_with_zeros_like_torch(array, fn):
    both(fn, array)


@pytest.mark.parametrize(
    "array",
    [
        [[0.0, 0.0, 0.0], [0.0, 0.0, INF]],
        [[0.0, 2.0, INF], [INF, 2.0, 3.0]],
        [[NAN, 0.0, 1.0], [0.0, INF, 1.0]],
        [[0.0, 1e30, 1e30], [1e-30, 0.0, 1e30]],
    ],
    ids=["zeros-and-inf", "zero-inf-product", "nan-next-to-zero", "overflow"],
)
@pytest.mark.parametrize(
    "fn",
    [lambda lib, a: a.prod(), lambda lib, a: a.prod(1), lambda lib, a: a.prod(0)],
    ids=["all", "dim1", "dim0"],
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_prod_gradient_next_to_zeros_inf_and_nan_like_torch(array, fn, dtype):
    """Each gradient is the product of the others, not out / x (0 * inf is NaN, 0 * 2 is 0),
    and PyTorch's prod() of every element with two zeros or more has gradient 0."""
    results = []
    for lib in (ag, torch):
        x = lib.tensor(array, dtype=getattr(lib, dtype), requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no NumPy overflow warning either
            fn(lib, x).sum().backward()
        results.append(np.asarray(x.grad.tolist()))
    np.testing.assert_allclose(results[0], results[1], rtol=1e-6)


@pytest.mark.parametrize(
    "array",
    [
        [[0.0, 2.0, 3.0], [1.5, -1.0, 4.0]],
        [[2.0, 0.0, 3.0], [0.0, 5.0, 1.0]],  # two zeros in a column
        [[0.0, 0.0, 3.0], [2.0, 5.0, 1.0]],  # two in a row
    ],
    ids=["one-zero", "zeros-in-dim0", "zeros-in-dim1"],
)
@pytest.mark.parametrize(
    "fn",
    [lambda a: a.prod(1), lambda a: a.prod(0), lambda a: a.prod()],
    ids=["dim1", "dim0", "all"],
)
def test_prod_second_derivatives_with_zeros_like_torch(array, fn):
    """The whole Hessian of sum(prod) at zeros: two zeros in a slice still have a nonzero
    mixed derivative (the product of the rest)."""

    def hessian(lib, grad):
        x = lib.tensor(array, dtype=lib.float64, requires_grad=True)
        (first,) = grad(fn(x).sum(), x, create_graph=True)
        rows = []
        for flat in range(x.numel()):
            pick = np.zeros(np.shape(array))
            pick.flat[flat] = 1.0
            rows.append(np.asarray(grad(first, x, lib.tensor(pick), retain_graph=True)[0].tolist()))
        return np.stack(rows)

    ours, theirs = hessian(ag, ag.grad), hessian(torch, torch.autograd.grad)
    assert np.abs(theirs).sum() > 0
    np.testing.assert_allclose(ours, theirs)


def test_prod_integer_dtype():
    assert ag.tensor([2, 3, 4]).prod().dtype == ag.int64
    assert ag.tensor([True, True]).prod().item() == 1


# ---- norm --------------------------------------------------------------------------------

VECTORS = np.array([[3.0, -4.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0], [-2.0, 2.0, 0.5, -1.0]])


@pytest.mark.parametrize(
    "p", ["fro", 2, 1, 3, 0.5, -1, 0, float("inf"), float("-inf")], ids=lambda p: f"p={p}"
)
@pytest.mark.parametrize(
    "where", [{}, {"dim": 1}, {"dim": -1, "keepdim": True}], ids=["all", "dim", "keepdim"]
)
def test_norm_like_torch_with_zeros(p, where):
    """Zero rows and zero entries: the gradient is 0 there, as in PyTorch."""
    both(lambda lib, a: a.norm(p, **where), VECTORS)


def test_norm_gradient_zero_at_zero():
    x = ag.zeros(3, dtype=ag.float64, requires_grad=True)
    x.norm().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


def test_norm_refuses_integers_and_unknown_orders():
    with pytest.raises(RuntimeError, match="floating point"):
        ag.tensor([1, 2]).norm()
    with pytest.raises(RuntimeError, match="'nuc'"):
        ag.ones(2, 2).norm("nuc")
    assert ag.norm(ag.tensor([3, 4]), dtype=ag.float64).item() == 5.0


# ---- softmax, log_softmax, logsumexp: stability and infinities ---------------------------


@pytest.mark.parametrize(
    "fn",
    [
        lambda lib, a: a.softmax(1),
        lambda lib, a: a.log_softmax(1),
        lambda lib, a: a.logsumexp(1),
        lambda lib, a: lib.logsumexp(a, (0, 1), keepdim=True),
    ],
    ids=["softmax", "log_softmax", "logsumexp", "logsumexp-all"],
)
@pytest.mark.parametrize(
    "array",
    [
        [[1e4, 1e4 + 1.0, -1e4], [-1e4, -1e4 - 2.0, -1e4 + 3.0]],
        [[0.5, -INF, 1.0], [-INF, 2.0, -INF]],
        [[-1e308, 1e308, 0.0], [700.0, 710.0, 720.0]],
    ],
    ids=["large", "minus-inf", "extreme"],
)
def test_softmax_family_is_stable(fn, array):
    both(fn, array)


def test_softmax_large_logits_are_finite():
    x = ag.tensor([1000.0, 1001.0, 999.0])
    assert np.isfinite(x.softmax(0).data).all() and np.isfinite(x.log_softmax(0).data).all()
    assert abs(x.logsumexp(0).item() - (1001 + math.log1p(math.exp(-1) + math.exp(-2)))) < 1e-3


def test_logsumexp_of_all_minus_inf_and_inf():
    both(lambda lib, a: a.logsumexp(1), [[-INF, -INF], [INF, 1.0]], grad=False)


def test_softmax_refuses_integers_unless_dtype():
    with pytest.raises(RuntimeError, match="softmax"):
        ag.tensor([1, 2]).softmax(0)
    both(lambda lib, a: lib.softmax(a.long(), 0, dtype=lib.float64), [1.0, 2.0], grad=False)


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
def test_softmax_checks_the_dim_before_the_dtype(op):
    with pytest.raises(IndexError, match="Dimension out of range"):
        getattr(torch, op)(torch.tensor(0, dtype=torch.uint8), dim=1)
    with pytest.raises(IndexError, match="Dimension out of range"):
        getattr(ag, op)(ag.tensor(0, dtype=ag.uint8), dim=1)


# ---- NaN propagation ---------------------------------------------------------------------

WITH_NAN = np.array([[1.0, NAN, 3.0, NAN], [2.0, 0.5, -1.0, 4.0]])


@pytest.mark.parametrize(
    "fn",
    [
        lambda lib, a: a.sum(1),
        lambda lib, a: a.mean(),
        lambda lib, a: a.prod(1),
        lambda lib, a: a.var(1),
        lambda lib, a: a.max(),
        lambda lib, a: a.amax(1),
        lambda lib, a: a.max(1),
        lambda lib, a: a.min(1),
        lambda lib, a: a.logsumexp(1),
        lambda lib, a: a.norm(dim=1),
        lambda lib, a: a.cumsum(1),
        lambda lib, a: a.softmax(1),
        lambda lib, a: a.log_softmax(1),
        lambda lib, a: lib.maximum(a, lib.zeros(4, dtype=lib.float64)),
        lambda lib, a: a.clamp(0.0, 2.0),
        lambda lib, a: lib.where(a > 1, a, -a),
    ],
    ids=[
        "sum",
        "mean",
        "prod",
        "var",
        "max",
        "amax",
        "max-dim",
        "min-dim",
        "logsumexp",
        "norm",
        "cumsum",
        "softmax",
        "log_softmax",
        "maximum",
        "clamp",
        "where",
    ],
)
def test_nan_propagates_like_torch(fn):
    both(fn, WITH_NAN)


def test_argmax_points_at_nan_like_torch():
    x = WITH_NAN
    assert ag.tensor(x).argmax().item() == torch.tensor(x).argmax().item()
    assert ag.tensor(x).argmin(1).tolist() == torch.tensor(x).argmin(1).tolist()


# ---- dtypes, empty and 0-d inputs --------------------------------------------------------


@pytest.mark.parametrize(
    "fn",
    [
        lambda lib, a: a.sum(),
        lambda lib, a: a.bool().sum(0),
        lambda lib, a: a.int().sum(dtype=lib.float32),
        lambda lib, a: a.cumsum(0),
        lambda lib, a: a.bool().cumsum(0),
        lambda lib, a: a.cumsum(1, dtype=lib.float64),
        lambda lib, a: a.cumprod(1, dtype=lib.int32),
        lambda lib, a: a.prod(),
        lambda lib, a: a.mean(dtype=lib.float64),
        lambda lib, a: a.all(),
        lambda lib, a: a.any(0, keepdim=True),
        lambda lib, a: a.to(lib.uint8).all(),
        lambda lib, a: a.argmax(),
        lambda lib, a: a.amax(),
        lambda lib, a: a.max(0),
    ],
)
def test_integer_dtypes_like_torch(fn):
    ours, theirs = fn(ag, ag.tensor([[0, 2], [3, 4]])), fn(torch, torch.tensor([[0, 2], [3, 4]]))
    ours, theirs = (ours, theirs) if isinstance(ours, tuple) else ((ours,), (theirs,))
    for a, b in zip(ours, theirs):
        assert a.dtype == b.numpy().dtype and a.tolist() == b.tolist()


@pytest.mark.parametrize("method", ["cumsum", "cumprod"])
def test_scan_methods_take_dtype_by_keyword_only(method):
    for lib in (ag, torch):
        with pytest.raises(TypeError, match="positional argument"):
            getattr(lib.ones(2, 2), method)(1, lib.float64)


def test_all_any_over_dims():
    x = ag.tensor([[True, False], [True, True]])
    assert x.all(1).tolist() == [False, True] and x.any(0).tolist() == [True, True]
    assert x.all((0, 1)).item() is False and x.any(dim=-1, keepdim=True).shape == (2, 1)


def test_empty_reductions_like_torch():
    both(lambda lib, a: (a.sum(), a.prod(), a.mean(), a.logsumexp(0), a.norm()), [], grad=False)


def nan_and_inf_results(lib):
    """Results that are NaN or inf in PyTorch, which gives them without a warning."""
    results = [
        lib.mean(lib.zeros(0, 2, dtype=lib.float64), dim=0),
        lib.std(lib.zeros(0)),
        lib.var(lib.zeros(2, 0), dim=1, keepdim=True),
        lib.sum(lib.tensor([100000]), dtype=lib.float16),
        lib.tensor([60000.0, 60000.0], dtype=lib.float16).sum(),
        lib.cumsum(lib.tensor(-(2**31), dtype=lib.int32), dim=0, dtype=lib.float16),
        lib.tensor([60000.0, 60000.0], dtype=lib.float16).cumsum(0),
        lib.prod(lib.tensor([1e200, 1e200], dtype=lib.float64)),  # overflow: inf
        lib.prod(lib.tensor([[0, -(2**31)]], dtype=lib.int32), dtype=lib.float16),  # inf * 0
    ]
    for p in (2, 3):
        x = lib.tensor([[math.inf, 1.0]], requires_grad=True)
        lib.norm(x, p=p, dim=1).backward()
        results.append(x.grad)
    for fn in (lib.var, lib.std):
        x = lib.tensor(0.0, dtype=lib.float64, requires_grad=True)
        fn(x, dim=()).backward()
        results.append(x.grad)
    x = lib.tensor([-1e308, 1e308], dtype=lib.float64, requires_grad=True)
    lib.logsumexp(x, 0).backward()
    results.append(x.grad)
    x = lib.tensor([math.inf, 1.0], requires_grad=True)
    lib.var(x).backward()
    return [*results, x.grad]


def test_nan_and_inf_results_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch's own (var with no degrees of freedom)
        expected = nan_and_inf_results(torch)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = nan_and_inf_results(ag)
    for a, b in zip(ours, expected):
        assert a.dtype == b.numpy().dtype and a.shape == tuple(b.shape)
        np.testing.assert_array_equal(a.data, b.detach().numpy())


@pytest.mark.parametrize("op", ["max", "amax", "argmax", "min", "amin", "argmin"])
def test_extremum_of_empty_is_refused_like_torch(op):
    cases = [((0,), (), "numel\\(\\) == 0"), ((2, 0), (1,), "dim 1 to have non-zero size")]
    cases.append(((0, 0), (1,), "dim 1 to have non-zero size"))
    if op in ("amax", "amin"):
        cases.append(((3, 0), ((0, 1),), "dim 1 to have non-zero size"))
        cases.append(((0,), ((0, 0),), "dim 0 to have non-zero size"))  # before repeated dims
    for shape, args, message in cases:
        with pytest.raises(Exception) as expected:
            getattr(torch.zeros(shape, dtype=torch.uint8), op)(*args)
        with pytest.raises(expected.type, match=message):
            getattr(ag.zeros(shape, dtype=ag.uint8), op)(*args)


def test_zero_dim_inputs():
    x = ag.tensor(2.5, dtype=ag.float64, requires_grad=True)
    for out in (x.sum(0), x.mean(-1), x.amax(0), x.logsumexp(0), x.cumsum(0), x.norm(dim=0)):
        assert out.shape == ()
    assert x.max(0).indices.item() == 0 and x.sum(0, keepdim=True).shape == ()
    assert x.softmax(0).item() == 1.0 and x.log_softmax(-1).item() == 0.0


# ---- errors ------------------------------------------------------------------------------

RANGE = r"Dimension out of range \(expected to be in range of \[-2, 1\], but got {}\)"


@pytest.mark.parametrize(
    "call",
    [
        lambda x, d: x.sum(d),
        lambda x, d: x.mean((0, d)),
        lambda x, d: x.prod(d),
        lambda x, d: x.var(d),
        lambda x, d: x.std(d),
        lambda x, d: x.max(d),
        lambda x, d: x.min(d),
        lambda x, d: x.amax(d),
        lambda x, d: x.amin(d),
        lambda x, d: x.argmax(d),
        lambda x, d: x.argmin(d),
        lambda x, d: x.logsumexp(d),
        lambda x, d: x.norm(dim=d),
        lambda x, d: x.all(d),
        lambda x, d: x.any(d),
        lambda x, d: x.cumsum(d),
        lambda x, d: x.softmax(d),
        lambda x, d: x.log_softmax(d),
    ],
)
@pytest.mark.parametrize("dim", [2, -3])
def test_bad_dim_raises_index_error_with_range(call, dim):
    with pytest.raises(IndexError, match=RANGE.format(dim)):
        call(ag.ones(2, 3), dim)


def test_repeated_dims_are_refused():
    with pytest.raises(RuntimeError, match="appears multiple times"):
        ag.ones(2, 3).sum((1, -1))


def test_dtype_errors_like_torch():
    with pytest.raises(RuntimeError, match=r"mean\(\): could not infer output dtype"):
        ag.tensor([1, 2]).mean()
    with pytest.raises(RuntimeError, match="std and var only support floating point"):
        ag.tensor([1, 2]).var()
    with pytest.raises(RuntimeError, match="boolean tensor"):
        ag.where(ag.tensor([1.0, 0.0]), 1.0, 2.0)
    with pytest.raises(RuntimeError, match="At least one of 'min' or 'max'"):
        ag.ones(2).clamp()
    with pytest.raises(TypeError, match=r"maximum.*'other' must be a Tensor"):
        ag.maximum(ag.ones(2), 1.0)


def test_broadcast_errors_name_the_op():
    with pytest.raises(RuntimeError, match="where"):
        ag.where(ag.ones(2).bool(), ag.ones(3), 0.0)
    with pytest.raises(RuntimeError, match="maximum"):
        ag.maximum(ag.ones(2), ag.ones(3))
    with pytest.raises(RuntimeError, match="clamp"):
        ag.clamp(ag.ones(2), ag.zeros(3))


def test_where_with_condition_only_gives_indices():
    rows, columns = ag.where(ag.tensor([[True, False], [False, True]]))
    assert rows.tolist() == [0, 1] and columns.tolist() == [0, 1]
