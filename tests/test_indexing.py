"""Indexing against PyTorch and NumPy: repeated-index accumulation, negative-step slices
(NumPy semantics, gradient included), setitem through the graph, bool masks, gather/scatter
and friends, one_hot, and the error messages."""

import numpy as np
import pytest

import autograd as ag
from autograd.ops import getitem, one_hot
from autograd.ops.indexed_values import add_at
from autograd.ops.indexing import parse_index

torch = pytest.importorskip("torch")


def pair(array):
    """The same float64 values as a chainrule and a torch leaf requiring grad."""
    return ag.tensor(array, requires_grad=True), torch.tensor(array, requires_grad=True)


def assert_close(ours, theirs):
    expected = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else theirs
    assert ours.shape == expected.shape
    np.testing.assert_allclose(ours.data, expected, rtol=1e-12, atol=1e-12)


INDICES = [
    ([0, 0, 2, 0],),
    (slice(None), [1, 1, 3]),
    ([[0, 0], [1, 0]], [[2, 2], [2, 2]]),
    ([1, 1], slice(1, None)),
    (Ellipsis, [0, 0]),
]


@pytest.mark.parametrize("index", INDICES, ids=str)
def test_repeated_indices_accumulate_like_torch(index, rng):
    ours, theirs = pair(rng.standard_normal((3, 4)))
    seed = rng.standard_normal(theirs[index].shape)
    ours[index].backward(ag.tensor(seed))
    theirs[index].backward(torch.tensor(seed))
    assert_close(ours.grad, theirs.grad)


def test_repeated_tensor_index_on_wide_rows_like_torch(rng):
    """The sorted, reduceat path (an embedding's gradient) against torch."""
    ours, theirs = pair(rng.standard_normal((10, 32)))
    index = rng.integers(-10, 10, size=(6, 7))
    seed = rng.standard_normal((6, 7, 32))
    ours[ag.tensor(index)].backward(ag.tensor(seed))
    theirs[torch.tensor(index)].backward(torch.tensor(seed))
    assert_close(ours.grad, theirs.grad)


def test_add_at_fast_path_matches_numpy(rng):
    index = (rng.integers(-5, 5, size=40),)
    values = rng.standard_normal((40, 3, 8))
    expected = np.zeros((5, 3, 8))
    np.add.at(expected, index, values)
    target = np.zeros((5, 3, 8))
    add_at(target, index, values)
    np.testing.assert_allclose(target, expected, rtol=1e-12)


NEGATIVE_STEPS = [
    slice(None, None, -1),
    (slice(None, None, -2), slice(3, 0, -1)),
    (Ellipsis, slice(None, None, -3)),
    ([2, 2, 0], slice(None, None, -1)),
    (slice(None, None, -1), 1),
]


@pytest.mark.parametrize("index", NEGATIVE_STEPS, ids=str)
def test_negative_steps_follow_numpy(index, rng):
    array = rng.standard_normal((3, 4))
    x = ag.tensor(array, requires_grad=True)
    out = x[index]
    np.testing.assert_array_equal(out.data, array[index])
    seed = rng.standard_normal(out.shape)
    out.backward(ag.tensor(seed))
    expected = np.zeros_like(array)
    np.add.at(expected, index, seed)
    np.testing.assert_allclose(x.grad.data, expected)


def test_shapes_follow_torch_where_numpy_differs():
    x = ag.zeros(2, 3, 4)
    reference = torch.zeros(2, 3, 4)
    for index in [(0, slice(None), [1, 2]), ([0, 1], None, 1), (None, [0, 1], 0, [1, 2])]:
        assert x[index].shape == tuple(reference[index].shape), index
    assert x[True].shape == (1, 2, 3, 4) and x[False].shape == (0, 2, 3, 4)
    assert x[ag.tensor(1)].shape == (3, 4)
    assert x[[]].shape == (0, 3, 4)


def test_bool_mask_gradient_like_torch(rng):
    array = rng.standard_normal((3, 4))
    ours, theirs = pair(array)
    (ours[ours > 0] ** 2).sum().backward()
    (theirs[theirs > 0] ** 2).sum().backward()
    assert_close(ours.grad, theirs.grad)
    mask = np.array([True, False, True])
    ours, theirs = pair(array)
    ours[ag.tensor(mask), 1:].sum().backward()
    theirs[torch.tensor(mask), 1:].sum().backward()
    assert_close(ours.grad, theirs.grad)


SETITEMS = [
    (0, ()),
    (0, (4,)),
    ((slice(None), 1), (3,)),
    ([0, 0], ()),  # repeated positions: each value position gets the gradient
    ((slice(1, None), [1, 3]), (2, 2)),
    (Ellipsis, (4,)),
]


@pytest.mark.parametrize("index, value_shape", SETITEMS, ids=str)
def test_setitem_through_the_graph_like_torch(index, value_shape, rng):
    x, x_torch = pair(rng.standard_normal((3, 4)))
    v, v_torch = pair(rng.standard_normal(value_shape))
    y, y_torch = x * 1, x_torch * 1
    y[index] = v
    y_torch[index] = v_torch
    assert_close(y, y_torch)
    weights = rng.standard_normal((3, 4))
    (y * ag.tensor(weights)).sum().backward()
    (y_torch * torch.tensor(weights)).sum().backward()
    assert_close(x.grad, x_torch.grad)
    assert_close(v.grad, v_torch.grad)


def test_setitem_with_mask_number_and_other_dtype(rng):
    x, x_torch = pair(rng.standard_normal((3, 4)))
    y, y_torch = x * 1, x_torch * 1
    y[y > 0] = 0.5
    y_torch[y_torch > 0] = 0.5
    y[1] = ag.tensor([1, 2, 3, 4])  # int64 values cast to float64
    y_torch[1] = torch.tensor([1, 2, 3, 4])
    assert_close(y, y_torch)
    y.sum().backward()
    y_torch.sum().backward()
    assert_close(x.grad, x_torch.grad)
    ints = ag.zeros(3, dtype=ag.int64)
    ints[1] = 2.7
    assert ints.tolist() == [0, 2, 0]


def test_fill_and_copy_record_gradients(rng):
    x, x_torch = pair(rng.standard_normal(3))
    v, v_torch = pair(np.array(0.5))
    source, source_torch = pair(rng.standard_normal(3))
    y, y_torch = x * 2, x_torch * 2
    y.fill_(v)
    y_torch.fill_(v_torch)
    z, z_torch = x * 1, x_torch * 1
    z.copy_(source)
    z_torch.copy_(source_torch)
    ((y * 3).sum() + (z * z).sum()).backward()
    ((y_torch * 3).sum() + (z_torch * z_torch).sum()).backward()
    for ours, theirs in [(x, x_torch), (v, v_torch), (source, source_torch)]:
        assert_close(ours.grad, theirs.grad)


def test_index_put_accumulate_like_torch(rng):
    x, x_torch = pair(rng.standard_normal((3, 4)))
    v, v_torch = pair(rng.standard_normal((3, 4)))
    rows = [2, 0, 2]
    out = ag.index_put(x, (ag.tensor(rows),), v, accumulate=True)
    expected = torch.index_put(x_torch, (torch.tensor(rows),), v_torch, accumulate=True)
    assert_close(out, expected)
    out.sum().backward()
    expected.sum().backward()
    assert_close(x.grad, x_torch.grad)
    assert_close(v.grad, v_torch.grad)


def test_basic_index_is_a_view_sharing_the_version_counter():
    x = ag.zeros(2, 3)
    row = x[0]
    row[1] = 5.0
    assert x.tolist() == [[0.0, 5.0, 0.0], [0.0, 0.0, 0.0]]
    assert x[[0]].data.base is not x.data  # advanced indexing copies
    saved = ag.ones(3, requires_grad=True).exp()  # saves its output ...
    with ag.no_grad():
        saved[1:].mul_(2)  # ... which a write through a view changes
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        saved.sum().backward()


def test_in_place_writes_through_indexing_views_of_a_recorded_tensor_match_torch():
    """The base's graph follows writes through its indexing views, as PyTorch rebases it."""
    torch = pytest.importorskip("torch")
    results = []
    for lib in (ag, torch):
        x = lib.tensor(np.arange(6.0).reshape(2, 3), dtype=lib.float64, requires_grad=True)
        y = x * 2
        y[0].fill_(1.0)
        y[:, 1:] += x[:, :2] ** 2
        (y * y).sum().backward()
        results.append((y.tolist(), x.grad.tolist()))
    assert results[0] == results[1]


def test_second_order_through_index_and_setitem(rng):
    x = ag.tensor(rng.standard_normal((3, 4)), requires_grad=True)
    assert ag.gradgradcheck(lambda t: t[[0, 0, 2], ::-1] ** 2, (x,))
    v = ag.tensor(rng.standard_normal(4), requires_grad=True)
    assert ag.gradgradcheck(lambda t, w: ag.index_put(t, 1, w * w) ** 2, (x, v))


INDEX_ERRORS = [
    (lambda x: x[5], IndexError, "index 5 is out of bounds for dimension 0 with size 3"),
    (lambda x: x[-4], IndexError, "index -4 is out of bounds for dimension 0 with size 3"),
    (lambda x: x[:, 7], IndexError, "index 7 is out of bounds for dimension 1 with size 4"),
    (lambda x: x[[0, 5]], IndexError, "index 5 is out of bounds for dimension 0 with size 3"),
    (lambda x: x[ag.tensor([0.0, 1.0])], IndexError, "must be long, int, byte or bool"),
    (lambda x: x[1.5], IndexError, r"only integers, slices .* \(got float\)"),
    (lambda x: x[1, 2, 3], IndexError, "too many indices for tensor of dimension 2"),
    (lambda x: x[..., ...], IndexError, "single ellipsis"),
    (lambda x: x[ag.tensor([True, False])], IndexError, r"shape of the mask \[2\] at index 0"),
    (lambda x: x[::0], ValueError, "slice step cannot be zero"),
    (lambda x: x[0, 0][0], IndexError, "invalid index of a 0-dim tensor"),
]


@pytest.mark.parametrize(
    "make, error, message", INDEX_ERRORS, ids=[e[2][:30] for e in INDEX_ERRORS]
)
def test_index_errors(make, error, message):
    with pytest.raises(error, match=message):
        make(ag.zeros(3, 4))


BASIC_INDICES = [3, -4, slice(2, 5), slice(None, None, -2), (slice(None), 0), (1, -1)]
BASIC_INDICES += [(slice(1, None), slice(None, 2)), (2, slice(None, None, 3)), (0, 0, 0)]


@pytest.mark.parametrize("index", BASIC_INDICES, ids=str)
def test_basic_indices_parse_as_the_general_parser_does(index):
    """x[3], x[2:5], x[:, 0] take a shortcut past the general parser, which NumPy ints
    still go through: both must give the same Index, or the same error."""
    items = index if isinstance(index, tuple) else (index,)
    general = tuple(np.int64(item) if isinstance(item, int) else item for item in items)
    for shape in [(4, 5), (5, 4, 3), (2, 2)]:
        outcomes = []
        for form in (index, general):
            try:
                outcomes.append(parse_index(form, shape))
            except IndexError as error:
                outcomes.append(str(error))
        assert outcomes[0] == outcomes[1], (index, shape)


def test_setitem_shape_mismatch():
    with pytest.raises(RuntimeError, match=r"value tensor of shape \[4\] cannot be broadcast to "):
        ag.zeros(3, 3)[0] = ag.ones(4)
    x = ag.zeros(3, 3)
    with pytest.raises(RuntimeError, match="shape mismatch"):
        x[0] = ag.ones(4)


TAKE = np.array([[0], [2], [2]])
MASK = np.array([[True, False, True], [False, False, False], [True, True, False]])


def test_gather_scatter_family_like_torch(rng):
    index = np.array([[0, 2, 1], [2, 2, 0]])
    ours, theirs = pair(rng.standard_normal((3, 3)))
    src, src_torch = pair(rng.standard_normal((2, 3)))
    results = [
        (ours.gather(0, ag.tensor(index)), theirs.gather(0, torch.tensor(index))),
        (
            ag.scatter_add(ours, 0, ag.tensor(index), src),
            theirs.scatter_add(0, torch.tensor(index), src_torch),
        ),
        (ag.index_select(ours, 1, ag.tensor([2, 2])), theirs.index_select(1, torch.tensor([2, 2]))),
        (
            ag.take_along_dim(ours, ag.tensor(TAKE), 1),
            torch.take_along_dim(theirs, torch.tensor(TAKE), 1),
        ),
        (
            ours.masked_fill(ag.tensor(MASK), 0.0),
            theirs.masked_fill(torch.tensor(MASK), 0.0),
        ),
    ]
    for out, expected in results:
        assert_close(out, expected)
    sum(out.sum() for out, _ in results).backward()
    sum(expected.sum() for _, expected in results).backward()
    assert_close(ours.grad, theirs.grad)
    assert_close(src.grad, src_torch.grad)


@pytest.mark.filterwarnings("ignore:The reduce argument of torch.scatter")
def test_scatter_forms_match_torch(rng):
    array = rng.standard_normal((3, 4))
    index = np.array([[0, 1, 2, 0]])
    src = rng.standard_normal((1, 4))
    x, x_torch = ag.tensor(array), torch.tensor(array)
    i, i_torch = ag.tensor(index), torch.tensor(index)
    s, s_torch = ag.tensor(src), torch.tensor(src)
    assert_close(x.scatter(0, i, s), x_torch.scatter(0, i_torch, s_torch))
    assert_close(x.scatter(0, i, 2.5), x_torch.scatter(0, i_torch, 2.5))
    assert_close(x.scatter(0, i, value=2.5), x_torch.scatter(0, i_torch, value=2.5))
    assert_close(
        x.scatter(0, i, s, reduce="add"), x_torch.scatter(0, i_torch, s_torch, reduce="add")
    )
    assert_close(
        x.scatter(0, i, 3.0, reduce="multiply"), x_torch.scatter(0, i_torch, 3.0, reduce="multiply")
    )


def test_masked_fill_value_gradient_and_dtype():
    x = ag.ones(2, 3, requires_grad=True)
    value = ag.tensor(2.0, dtype=ag.float64, requires_grad=True)
    mask = ag.tensor([[True, False, True], [False, False, True]])
    out = x.masked_fill(mask, value)
    assert out.dtype == ag.float32
    out.sum().backward()
    assert value.grad.item() == 3.0
    assert x.grad.tolist() == [[0.0, 1.0, 0.0], [1.0, 1.0, 0.0]]
    assert ag.tensor([1, 2]).masked_fill(ag.tensor([True, False]), 2.7).tolist() == [2, 2]


def test_one_hot_like_torch():
    labels = np.array([[0, 2], [1, 1]])
    expected = torch.nn.functional.one_hot(torch.tensor(labels))
    out = one_hot(ag.tensor(labels))
    assert out.dtype == ag.int64 and not out.requires_grad
    np.testing.assert_array_equal(out.data, expected.numpy())
    assert one_hot(ag.tensor([1]), 4).tolist() == [[0, 1, 0, 0]]
    assert one_hot(ag.tensor(2), 3).shape == (3,)
    assert one_hot(ag.tensor([], dtype=ag.int64), 3).shape == (0, 3)


OP_ERRORS = [
    (lambda: one_hot(ag.tensor([0, -2]), 5), RuntimeError, "Class values must be non-negative"),
    (
        lambda: one_hot(ag.tensor([0, 7]), 5),
        RuntimeError,
        "Class values must be smaller than num_classes",
    ),
    (
        lambda: one_hot(ag.tensor([0.0, 1.0])),
        RuntimeError,
        "only applicable to index tensor of type LongTensor",
    ),
    (
        lambda: one_hot(ag.tensor([], dtype=ag.int64)),
        RuntimeError,
        "Can not infer total number of classes",
    ),
    (
        lambda: ag.zeros(3, 4).gather(0, ag.tensor([[0.0]])),
        RuntimeError,
        "gather\\(\\): Expected dtype int32/int64",
    ),
    (lambda: ag.zeros(3, 4).gather(0, ag.tensor([0])), RuntimeError, "same number of dimensions"),
    (
        lambda: ag.zeros(3, 4).gather(0, ag.tensor([[5]])),
        RuntimeError,
        "index 5 is out of bounds for dimension 0 with size 3",
    ),
    (
        lambda: ag.zeros(3, 4).gather(1, ag.zeros(4, 4, dtype=ag.int64)),
        RuntimeError,
        r"Expected index \[4, 4\] to be no larger than self \[3, 4\] apart from dimension 1",
    ),
    (lambda: ag.zeros(3, 4).gather(2, ag.tensor([[0]])), IndexError, "Dimension out of range"),
    (
        lambda: ag.zeros(3, 4).scatter(0, ag.tensor([[0]]), ag.ones(1, 1, dtype=ag.float64)),
        RuntimeError,
        "Expected self.dtype to be equal to src.dtype",
    ),
    (
        lambda: ag.zeros(3, 4).scatter(0, ag.tensor([[0, 0]]), ag.ones(1, 1)),
        RuntimeError,
        r"no larger size than src \[1, 1\]",
    ),
    (
        lambda: ag.zeros(3, 4).scatter(0, ag.tensor([[0]]), 1.0, reduce="max"),
        RuntimeError,
        "reduce argument must be either add or multiply",
    ),
    (lambda: ag.zeros(3, 4).scatter(0, ag.tensor([[0]])), TypeError, "exactly one of src"),
    (
        lambda: ag.zeros(3, 4).index_select(0, ag.tensor([[0]])),
        IndexError,
        "Index is supposed to be a vector",
    ),
    (
        lambda: ag.zeros(3, 4).index_select(0, ag.tensor([3])),
        IndexError,
        "index out of range in self",
    ),
    (
        lambda: ag.zeros(3, 4).index_select(0, ag.tensor([1.0])),
        RuntimeError,
        "Expected dtype int32 or int64",
    ),
    (
        lambda: ag.zeros(3, 4).masked_fill(ag.tensor([1, 0, 1, 0]), 1.0),
        RuntimeError,
        "only supports boolean masks",
    ),
    (
        lambda: ag.zeros(3, 4).masked_fill(ag.tensor([True, False, True]), 1.0),
        RuntimeError,
        r"size of tensor a \(4\) must match the size of tensor b \(3\)",
    ),
    (
        lambda: ag.zeros(3, 4).masked_fill(ag.tensor([True] * 4), ag.ones(2)),
        RuntimeError,
        "only supports a 0-dimensional value tensor",
    ),
    (
        lambda: ag.take_along_dim(ag.zeros(3, 4), ag.tensor([[0, 1]]), 0),
        RuntimeError,
        r"size of tensor a \(4\) must match the size of tensor b \(2\)",
    ),
    (
        lambda: ag.take_along_dim(ag.zeros(3, 4), ag.tensor([0, 1]), 1),
        RuntimeError,
        "should have the same number of dimensions",
    ),
]


@pytest.mark.parametrize("make, error, message", OP_ERRORS, ids=[e[2][:30] for e in OP_ERRORS])
def test_op_errors(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_getitem_function_and_method_agree(rng):
    x = ag.tensor(rng.standard_normal((2, 3)))
    np.testing.assert_array_equal(getitem(x, (1, [0, 2])).data, x[1, [0, 2]].data)


ADVANCED = ["[:, [0, 0, 2]]", "[[1, 0]]", "[..., [2, 1]]", "[:, [True, False, True]]"]


@pytest.mark.parametrize("index", ADVANCED)
def test_advanced_index_result_is_laid_out_in_order_so_reshape_is_a_view(index):
    """PyTorch's x[:, idx] is a new tensor in row-major order, so its reshape is a view that
    sees later in-place writes; NumPy's result is column-ordered for x[:, idx]."""
    results = []
    for lib in (ag, torch):
        x = lib.arange(6.0, dtype=lib.float64).reshape(2, 3)
        picked = eval(f"x{index}", {"x": x})
        flat = picked.reshape(-1)
        picked.mul_(-0.5)
        results.append(flat.numpy())
    np.testing.assert_array_equal(*results)


@pytest.mark.parametrize("hooked", [False, True])
def test_writes_whose_input_gets_more_gradients_sum_them_like_torch(hooked):
    # masked_fill's, scatter's and index_put's backward make x's gradient in a new array,
    # which the engine then adds x's other gradients into: the seed, the hook's view of a
    # gradient and the other gradients stay as they were
    base = np.random.default_rng(3).standard_normal((3, 4))
    mask = base > 0.3
    index = np.array([[0, 2, 1, 0]])
    results = []
    for lib in (ag, torch):
        leaf = lib.tensor(base, requires_grad=True)
        x = leaf * 1.0
        seen = []
        if hooked:
            x.register_hook(lambda grad, seen=seen: seen.append((grad, grad.clone())))
        total = x.masked_fill(lib.tensor(mask), 0.5) * 2 + x.scatter(0, lib.tensor(index), 0.0)
        out = lib.zeros(3, 4, dtype=lib.float64)
        out = out.index_put((lib.tensor([1]),), x[1] * 3)
        seed = lib.ones(3, 4, dtype=lib.float64)
        seed_before = seed.clone()
        (total + out + x * x).backward(seed)
        assert seed.tolist() == seed_before.tolist()
        for grad, copy in seen:
            assert grad.tolist() == copy.tolist()
        results.append(leaf.grad)
    assert_close(*results)
