"""cumprod, cummax, cummin, logcumsumexp, median, nanmedian, kthvalue, mode, msort, unique
and unique_consecutive, against PyTorch: values, indices, dtypes, every input's gradient
(cumprod's to third order at exact zeros), NaN and the errors; and the dim=None that max,
min, prod and logsumexp refuse, as PyTorch does."""

import numpy as np
import pytest

import autograd as ag

torch = pytest.importorskip("torch")

NAN, INF = float("nan"), float("inf")
rng = np.random.default_rng(5)
ARRAYS = {
    "plain": rng.standard_normal((3, 5)),
    "ties": np.array(
        [[3.0, 1.0, 2.0, 2.0, 5.0], [2.0, 2.0, 2.0, 2.0, 2.0], [1.0, 3.0, 3.0, 0.0, 3.0]]
    ),
    "zeros": np.array(
        [[2.0, 0.0, 3.0, 0.0, 5.0], [1.0, 2.0, 0.0, 4.0, 5.0], [0.0, 0.0, 2.0, 3.0, 0.0]]
    ),
    "nan": np.array(
        [[1.0, NAN, 3.0, NAN, 2.0], [NAN, NAN, 2.0, NAN, NAN], [4.0, 1.0, 1.0, 0.0, 2.0]]
    ),
    "all NaN": np.full((2, 5), NAN),
    "large": rng.uniform(995.0, 1005.0, (3, 5)),
    "-inf": np.array([[-INF, -INF, 1.0, 2.0, -INF], [0.5, -INF, 2.0, INF, 1.0], [3.0] * 5]),
    "0-d": np.array(1.5),
}

# name -> (fn(lib, x), the arrays it runs on); fn returns a tensor or a tuple of them.
CALLS = {
    "cumprod dim 1": (lambda lib, x: x.cumprod(1), ["plain", "zeros", "nan"]),
    "cumprod dim 0": (lambda lib, x: lib.cumprod(x, 0), ["plain", "zeros", "0-d"]),
    "cumprod float32 as float64": (
        lambda lib, x: x.float().cumprod(-1, dtype=lib.float64),
        ["plain", "zeros"],
    ),
    "cummax dim 1": (lambda lib, x: x.cummax(1), ["plain", "ties", "nan"]),
    "cummax dim 0": (lambda lib, x: lib.cummax(x, 0), ["ties", "nan"]),
    "cummin dim -1": (lambda lib, x: lib.cummin(x, -1), ["plain", "ties", "nan", "0-d"]),
    "cummin dim 0": (lambda lib, x: x.cummin(0), ["ties", "nan"]),
    "logcumsumexp dim 1": (lambda lib, x: x.logcumsumexp(1), ["plain", "large", "-inf", "nan"]),
    "logcumsumexp dim 0": (lambda lib, x: lib.logcumsumexp(x, 0), ["plain", "-inf", "0-d"]),
    "median": (lambda lib, x: x.median(), ["plain", "ties", "nan", "all NaN", "0-d"]),
    "median of one row": (lambda lib, x: lib.median(x[2]), ["ties", "nan"]),
    "median dim 1": (lambda lib, x: x.median(1), ["plain", "ties", "nan", "all NaN"]),
    "median dim 0 keepdim": (lambda lib, x: lib.median(x, 0, keepdim=True), ["ties", "nan"]),
    "median dim 0 of 0-d": (lambda lib, x: x.median(0), ["0-d"]),
    "nanmedian": (lambda lib, x: x.nanmedian(), ["plain", "ties", "nan", "all NaN", "0-d"]),
    "nanmedian dim 1": (lambda lib, x: lib.nanmedian(x, 1), ["plain", "ties", "nan"]),
    "nanmedian dim 0 keepdim": (lambda lib, x: x.nanmedian(dim=0, keepdim=True), ["nan"]),
    "kthvalue": (lambda lib, x: x.kthvalue(2), ["plain"]),
    "kthvalue dim 0 keepdim": (lambda lib, x: lib.kthvalue(x, 3, 0, True), ["plain"]),
    "kthvalue of 0-d": (lambda lib, x: x.kthvalue(1), ["0-d"]),
    "mode": (lambda lib, x: x.mode(), ["plain", "ties"]),
    "mode dim 0 keepdim": (lambda lib, x: lib.mode(x, 0, keepdim=True), ["ties"]),
    "mode of 0-d": (lambda lib, x: x.mode(0), ["0-d"]),
    "msort": (lambda lib, x: x.msort(), ["plain", "ties", "nan", "0-d"]),
    "msort function": (lambda lib, x: lib.msort(x.t()), ["plain"]),
}
RUNS = [(name, array) for name, (_, arrays) in CALLS.items() for array in arrays]


def _outcome(lib, name, array):
    """The outputs (as arrays, with dtype names) and the input's gradient under a weighted
    sum of the float outputs, the weights mixed in sign."""
    x = lib.tensor(array, requires_grad=True)
    results = CALLS[name][0](lib, x)
    results = list(results) if isinstance(results, tuple) else [results]
    loss = 0
    for out in results:
        if out.dtype in (lib.float32, lib.float64):
            weights = np.linspace(-1.0, 2.0, max(out.numel(), 1))[: out.numel()]
            loss = loss + (out * lib.tensor(weights.reshape(tuple(out.shape)))).sum()
    loss.backward()
    outputs = [(str(out.dtype).split(".")[-1], out.detach().numpy()) for out in results]
    return outputs, x.grad.numpy()


@pytest.mark.parametrize(("name", "array"), RUNS)
def test_values_indices_dtypes_and_gradients_match_torch(name, array):
    ours, theirs = (_outcome(lib, name, ARRAYS[array]) for lib in (ag, torch))
    assert [dtype for dtype, _ in ours[0]] == [dtype for dtype, _ in theirs[0]]
    tolerance = 1e-6 if "float32" in name else 1e-12  # a gradient rounded to float32
    for (_, a), (_, b) in zip(ours[0], theirs[0]):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12, equal_nan=True)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=tolerance, atol=1e-12, equal_nan=True)


def test_median_splits_the_gradient_among_ties_as_torch():
    for data in ([3.0, 1.0, 2.0, 2.0, 5.0, 2.0], [NAN, 1.0, NAN, 3.0], [2.0, 1.0, 2.0, NAN, 1.0]):
        grads = []
        for lib in (ag, torch):
            x = lib.tensor(data, requires_grad=True)
            (x.median() + 2 * x.nanmedian()).backward()
            grads.append(x.grad.numpy())
        np.testing.assert_allclose(grads[0], grads[1], rtol=1e-6)
        assert grads[0].sum() == pytest.approx(3.0)


def test_kthvalue_and_mode_pick_an_equal_element_where_torch_leaves_it_open():
    """With ties PyTorch's kthvalue index (and mode's, past 16 elements) depends on its sort:
    the values match, and each index names an element holding the value."""
    data = rng.integers(0, 4, (4, 40)).astype(float)
    for k in (1, 7, 20, 40):
        ours, theirs = ag.tensor(data).kthvalue(k), torch.tensor(data).kthvalue(k)
        np.testing.assert_array_equal(ours.values.numpy(), theirs.values.numpy())
        picked = np.take_along_axis(data, ours.indices.numpy()[:, None], 1)[:, 0]
        np.testing.assert_array_equal(picked, ours.values.numpy())
    ours, theirs = ag.tensor(data).mode(), torch.tensor(data).mode()
    np.testing.assert_array_equal(ours.values.numpy(), theirs.values.numpy())
    last = [np.flatnonzero(row == value)[-1] for row, value in zip(data, ours.values.tolist())]
    assert ours.indices.tolist() == last


def test_mode_and_median_indices_match_torch_on_small_slices_with_ties():
    data = rng.integers(-2, 3, (16, 9)).astype(float)  # (past 16, PyTorch's sort varies)
    for dim in (0, 1):
        for op in ("mode", "median", "nanmedian"):
            ours = getattr(ag.tensor(data), op)(dim)
            theirs = getattr(torch.tensor(data), op)(dim)
            assert ours.values.tolist() == theirs.values.tolist(), op
            assert ours.indices.tolist() == theirs.indices.tolist(), op


def test_mode_counts_nans_as_one_value():
    """PyTorch's result with NaN depends on where its sort leaves them: here NaNs count as one
    value, larger than every number."""
    result = ag.tensor([NAN, 1.0, NAN, 2.0, NAN, 1.0]).mode()
    assert np.isnan(result.values.item()) and result.indices.item() == 4
    assert ag.tensor([NAN, 1.0, NAN, 1.0]).mode().values.item() == 1.0


def _nested(lib, fn, x, vectors):
    """d/dx of <...<d fn/dx, v1>..., vk>: the k+1-th derivative of fn contracted with the
    vectors (every backward recorded)."""
    grad = lib.autograd.grad if lib is torch else lib.grad
    (out,) = grad(fn(x), x, create_graph=True)
    for vector in vectors:
        (out,) = grad((out * lib.tensor(vector)).sum(), x, create_graph=True)
    return out.detach().numpy()


@pytest.mark.parametrize("data", [ARRAYS["zeros"], ARRAYS["plain"], np.zeros((4, 3))])
@pytest.mark.parametrize("dim", [0, 1])
def test_cumprod_derivatives_to_third_order_match_torch_at_zeros(data, dim):
    weights = rng.standard_normal(data.shape)
    vectors = [rng.standard_normal(data.shape) for _ in range(2)]
    for order in range(3):
        ours, theirs = (
            _nested(
                lib,
                lambda x, lib=lib: (lib.cumprod(x, dim) * lib.tensor(weights)).sum(),
                lib.tensor(data, requires_grad=True),
                vectors[:order],
            )
            for lib in (ag, torch)
        )
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def test_cumprod_second_order_with_a_thousand_zeros_in_a_slice_matches_torch():
    """Zeros cost nothing extra in a recorded backward (a linear scan, no level per zero)."""
    data = rng.uniform(0.9, 1.1, (1, 2100))
    data[:, 1::2] = 0.0
    vector = rng.standard_normal(data.shape)
    hessian_vector = []
    for lib, grad in ((ag, ag.grad), (torch, torch.autograd.grad)):
        x = lib.tensor(data, requires_grad=True)
        (first,) = grad(x.cumprod(1).sum(), x, create_graph=True)
        hessian_vector.append(grad((first * lib.tensor(vector)).sum(), x)[0].numpy())
    np.testing.assert_allclose(*hessian_vector, rtol=1e-12, atol=1e-14)


def test_cumprod_passes_gradcheck_and_gradgradcheck_at_exact_zeros():
    for data in (ARRAYS["zeros"], np.array([0.0, 0.0, 0.0, 1.5])):
        x = ag.tensor(data, requires_grad=True)
        assert ag.gradcheck(lambda x: x.cumprod(-1), (x,))
        assert ag.gradgradcheck(lambda x: x.cumprod(-1), (x,))


def test_logcumsumexp_second_order_matches_torch():
    """(PyTorch's third order is NaN from the third element on, even at small values; ours is
    checked by gradgradcheck of the spec table's LogCumSumExpBackward cases.)"""
    data = np.array([[0.5, -1.0, 2.0, 1000.0], [-INF, 0.0, 1.0, 3.0], [1.0, -INF, 2.0, 3.0]])
    weights = np.array([1.0, -2.0, 0.5, 3.0])
    vector = rng.standard_normal(data.shape)
    for order in range(2):
        ours, theirs = (
            _nested(
                lib,
                lambda x, lib=lib: (lib.logcumsumexp(x, 1) * lib.tensor(weights)).sum(),
                lib.tensor(data, requires_grad=True),
                [vector][:order],
            )
            for lib in (ag, torch)
        )
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12, equal_nan=True)


def test_unique_keeps_nan_rows_apart():
    """Each NaN (or slice holding one) is its own value, as in PyTorch; PyTorch sorts slices
    with NaN where its sort happens to leave them, so only counts and inverse are compared."""
    values, inverse, counts = ag.unique(
        ag.tensor([[NAN, 1.0], [0.0, 2.0], [NAN, 1.0]]),
        dim=0,
        return_inverse=True,
        return_counts=True,
    )
    assert values.shape == (3, 2) and counts.tolist() == [1, 1, 1]
    assert inverse.tolist() == [1, 0, 2]


UNIQUE_DATA = {
    "floats": np.array([[2.0, 1.0, 2.0], [3.0, 1.0, 0.0]]),
    "ints": np.array([[1, 2, 1], [0, 5, 0], [1, 2, 1], [1, 1, 1]]),
    "bools": np.array([True, False, True, True]),
    "nan": np.array([NAN, 1.0, NAN, 1.0, -0.0, 0.0]),
    "nan rows": np.array([[NAN, 1.0], [NAN, 1.0], [0.0, 2.0]]),
    "0-d": np.array(3.0),
    "empty": np.zeros((0, 2)),
}
UNIQUE_CALLS = [
    ("unique", {}, ["floats", "ints", "bools", "nan", "0-d", "empty"]),
    ("unique", {"sorted": False, "return_inverse": True}, ["floats", "nan", "0-d", "empty"]),
    ("unique", {"return_inverse": True, "return_counts": True}, ["floats", "ints", "nan"]),
    ("unique", {"return_counts": True, "dim": 0}, ["ints", "empty"]),
    ("unique", {"return_inverse": True, "dim": -1}, ["ints", "floats"]),
    ("unique_consecutive", {}, ["floats", "ints", "bools", "nan", "0-d"]),
    ("unique_consecutive", {"return_inverse": True, "return_counts": True}, ["ints", "nan"]),
    ("unique_consecutive", {"return_counts": True, "dim": 0}, ["ints", "nan rows", "empty"]),
    ("unique_consecutive", {"return_inverse": True, "dim": 1}, ["ints"]),
]


@pytest.mark.parametrize(
    ("op", "options", "name"),
    [(op, options, name) for op, options, names in UNIQUE_CALLS for name in names],
)
@pytest.mark.parametrize("form", ["function", "method"])
def test_unique_matches_torch(op, options, name, form):
    results = []
    for lib in (ag, torch):
        x = lib.tensor(UNIQUE_DATA[name])
        out = getattr(lib, op)(x, **options) if form == "function" else getattr(x, op)(**options)
        assert isinstance(out, tuple) == bool({"return_inverse", "return_counts"} & set(options))
        results.append(out if isinstance(out, tuple) else (out,))
    for ours, theirs in zip(*results):
        assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
        assert ours.shape == tuple(theirs.shape)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_unique_has_no_gradient_as_torch():
    for lib in (ag, torch):
        x = lib.tensor([2.0, 1.0, 2.0], requires_grad=True)
        for out in (lib.unique(x), lib.unique_consecutive(x), lib.unique(x[None], dim=1)):
            assert out.requires_grad
            with pytest.raises(NotImplementedError, match=r"derivative for '\w+' is not impl"):
                out.sum().backward()


DTYPES = ["float16", "float32", "int32", "int64", "uint8", "bool"]
DTYPE_CALLS = {
    "cumprod": lambda lib, x: x.cumprod(0),
    "cumprod dtype int32": lambda lib, x: lib.cumprod(x, 0, dtype=lib.int32),
    "cumprod dtype float64": lambda lib, x: x.cumprod(0, dtype=lib.float64),
    "cummax": lambda lib, x: x.cummax(0),
    "cummin": lambda lib, x: lib.cummin(x, 0),
    "logcumsumexp": lambda lib, x: x.logcumsumexp(0),
    "median": lambda lib, x: x.median(),
    "median dim": lambda lib, x: x.median(0),
    "nanmedian": lambda lib, x: lib.nanmedian(x),
    "kthvalue": lambda lib, x: x.kthvalue(2),
    "mode": lambda lib, x: x.mode(),
    "msort": lambda lib, x: x.msort(),
    "unique": lambda lib, x: lib.unique(x, return_counts=True),
}


@pytest.mark.parametrize("name", list(DTYPE_CALLS))
@pytest.mark.parametrize("dtype", DTYPES)
def test_dtypes_as_torch(name, dtype):
    """Each result's dtype and value, or the same refusal (PyTorch refuses integer
    logcumsumexp, and median, nanmedian and kthvalue of bools)."""
    data = np.array([3, 1, 0, 2, 2]) if dtype != "bool" else np.array([1, 0, 1, 1, 0])
    outcomes = []
    for lib in (ag, torch):
        try:
            out = DTYPE_CALLS[name](lib, lib.tensor(data).to(getattr(lib, dtype)))
        except NotImplementedError:
            outcomes.append("NotImplementedError")
            continue
        out = out if isinstance(out, tuple) else (out,)
        outcomes.append(
            [(str(t.dtype).removeprefix("torch."), t.numpy().astype(float).tolist()) for t in out]
        )
    if outcomes[0] == "NotImplementedError" or outcomes[1] == "NotImplementedError":
        assert outcomes[0] == outcomes[1]
        return
    assert [dtype for dtype, _ in outcomes[0]] == [dtype for dtype, _ in outcomes[1]]
    for (_, ours), (_, theirs) in zip(*outcomes):  # logcumsumexp may differ in the last bit
        np.testing.assert_allclose(ours, theirs, rtol=1e-3 if dtype == "float16" else 1e-6)


ERRORS = [
    (lambda lib: lib.cumprod(lib.zeros(2, 3), 2), IndexError, "Dimension out of range"),
    (lambda lib: lib.cumprod(lib.zeros(2), None), TypeError, "dim"),
    (lambda lib: lib.cumprod([1.0, 2.0], 0), TypeError, "Tensor"),
    (lambda lib: lib.zeros(3).cummax(-2), IndexError, "Dimension out of range"),
    (lambda lib: lib.cummin(lib.zeros(3), None), TypeError, "dim"),
    (lambda lib: lib.logcumsumexp(lib.tensor([1, 2]), 0), NotImplementedError, "not implemented"),
    (lambda lib: lib.tensor(1.0).logcumsumexp(1), IndexError, "Dimension out of range"),
    (lambda lib: lib.zeros(3).median(None), TypeError, "dim"),
    (lambda lib: lib.median(lib.zeros(3), keepdim=True), TypeError, r"median\(\).*dim"),
    (lambda lib: lib.zeros(0, 3).median(0), IndexError, "Expected reduction dim 0 to have non"),
    (lambda lib: lib.zeros(3, 0).nanmedian(1), IndexError, "Expected reduction dim 1 to have"),
    (lambda lib: lib.tensor([True]).median(), NotImplementedError, "not implemented"),
    (lambda lib: lib.zeros(2, 3).kthvalue(4), RuntimeError, "k out of range"),
    (lambda lib: lib.zeros(2, 3).kthvalue(0, 0), RuntimeError, "k out of range"),
    (lambda lib: lib.tensor(1.0).kthvalue(2), RuntimeError, "k out of range"),
    (lambda lib: lib.zeros(3).kthvalue(1.0), TypeError, "'k'"),
    (lambda lib: lib.zeros(0).kthvalue(1), IndexError, "Expected reduction dim 0 to have non"),
    (lambda lib: lib.tensor([True]).kthvalue(1), NotImplementedError, "not implemented"),
    (lambda lib: lib.zeros(3).mode(None), TypeError, "dim"),
    (lambda lib: lib.zeros(2, 0).mode(), IndexError, "Expected reduction dim 1 to have non"),
    (lambda lib: lib.msort([1.0]), TypeError, "Tensor"),
    (lambda lib: lib.unique(lib.tensor(1.0), dim=0), IndexError, "Dimension specified as 0"),
    (lambda lib: lib.unique(lib.zeros(2, 0), dim=0), RuntimeError, "0 sized dimensions"),
    (lambda lib: lib.unique_consecutive(lib.zeros(0, 2), dim=1), RuntimeError, "0 sized"),
    (lambda lib: lib.unique(lib.zeros(2), dim=1), IndexError, "Dimension out of range"),
    (lambda lib: lib.unique(lib.zeros(2), return_counts=1), TypeError, "'return_counts'"),
    (lambda lib: lib.zeros(2).unique_consecutive(None), TypeError, "'return_inverse'"),
]


@pytest.mark.parametrize(("make", "error", "message"), ERRORS)
def test_errors_as_torch(make, error, message):
    for lib in (ag, torch):
        with pytest.raises(error, match=message):
            make(lib)


NO_DIM_NONE = {
    "max": lambda lib, x: lib.max(x, dim=None),
    "max method": lambda lib, x: x.max(None),
    "max keepdim without dim": lambda lib, x: lib.max(x, keepdim=True),
    "min": lambda lib, x: lib.min(x, None),
    "min method": lambda lib, x: x.min(dim=None, keepdim=True),
    "prod": lambda lib, x: lib.prod(x, dim=None),
    "prod method": lambda lib, x: x.prod(None),
    "prod keepdim without dim": lambda lib, x: x.prod(keepdim=True),
    "logsumexp": lambda lib, x: lib.logsumexp(x, None),
    "logsumexp method": lambda lib, x: x.logsumexp(dim=None, keepdim=True),
    "median": lambda lib, x: lib.median(x, dim=None),
    "nanmedian method": lambda lib, x: x.nanmedian(None),
}


@pytest.mark.parametrize("name", list(NO_DIM_NONE))
def test_an_explicit_dim_none_is_a_type_error_as_in_torch(name):
    for lib in (ag, torch):
        with pytest.raises(TypeError):
            NO_DIM_NONE[name](lib, lib.ones(2, 3))


def test_reductions_without_a_dim_still_reduce_everything():
    data = np.array([[1.5, -2.0, 3.0], [0.5, 4.0, -1.0]])
    for call in (
        lambda lib, x: x.max(),
        lambda lib, x: lib.min(x),
        lambda lib, x: x.prod(),
        lambda lib, x: lib.prod(x, dtype=lib.float32),
        lambda lib, x: x.max(1).values,
        lambda lib, x: x.min(dim=0, keepdim=True).indices,
        lambda lib, x: lib.prod(x, 1, True),
        lambda lib, x: x.max(x.flip(0)),
        lambda lib, x: lib.logsumexp(x, (0, 1)),
    ):
        ours, theirs = call(ag, ag.tensor(data)), call(torch, torch.tensor(data))
        assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)
