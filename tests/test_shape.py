"""Shape and joining ops beyond the spec table: views and memory, errors, split/chunk sizes,
multi-output gradients, 0-d tensors and dtypes, each against PyTorch."""

import numpy as np
import pytest

import autograd as ag
from autograd import ops

torch = pytest.importorskip("torch")


def functional_pad(lib):
    return lib.nn.functional.pad if lib is torch else ops.pad


def base(lib):
    return lib.arange(24.0).reshape(2, 3, 4)


# ---- views and memory --------------------------------------------------------------------

# Each result is written to in place; the base must change exactly when it does in PyTorch.
WRITES = {
    "view": lambda x: x.view(6, 4),
    "reshape": lambda x: x.reshape(-1),
    "flatten": lambda x: x.flatten(1),
    "unflatten": lambda x: x.unflatten(2, (2, 2)),
    "squeeze": lambda x: x.unsqueeze(0).squeeze(0),
    "unsqueeze": lambda x: x.unsqueeze(-1),
    "permute": lambda x: x.permute(2, 0, 1),
    "transpose": lambda x: x.transpose(0, 2),
    "swapaxes": lambda x: x.swapaxes(0, 1),
    "movedim": lambda x: x.movedim((0, 2), (2, 0)),
    "mT": lambda x: x.mT,
    "narrow": lambda x: x.narrow(1, 1, 2),
    "split": lambda x: x.split(2, 2)[1],
    "chunk": lambda x: x.chunk(3, 1)[2],
    "unbind": lambda x: x.unbind(1)[1],
    "diagonal": lambda x: x.diagonal(1, 1, 2),
    "flip (a copy)": lambda x: x.flip(0),
    "roll (a copy)": lambda x: x.roll(1, 2),
    "repeat (a copy)": lambda x: x.repeat(1, 1, 2),
    "tril (a copy)": lambda x: x.tril(),
    "cat (a copy)": lambda x: ag.cat([x, x]) if isinstance(x, ag.Tensor) else torch.cat([x, x]),
}


@pytest.mark.parametrize("name", sorted(WRITES))
def test_in_place_write_through_result_reaches_base_as_in_torch(name):
    ours, theirs = base(ag), base(torch)
    WRITES[name](ours).mul_(-1)
    WRITES[name](theirs).mul_(-1)
    np.testing.assert_array_equal(ours.data, theirs.numpy())


def test_views_share_memory_and_do_not_copy():
    x = ag.randn(4, 6)
    for view in (
        x.view(2, 12),
        x.t(),
        x.narrow(1, 2, 3),
        x.unbind(0)[1],
        x.diagonal(),
        x.expand(3, 4, 6),
        x.split(4, 1)[1],
        x.unsqueeze(0),
    ):
        assert np.shares_memory(view.data, x.data)


def test_write_through_view_bumps_the_shared_version_counter():
    x = ag.randn(3, requires_grad=True)
    y = x * 1
    z = y * y  # saves y
    with ag.no_grad():  # in grad mode a write through a recorded view is refused earlier
        y.view(3, 1).add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


def test_expanded_tensor_refuses_in_place_write():
    x = ag.zeros(3, 1).expand(3, 4)
    with pytest.raises(RuntimeError, match="clone"):
        x.add_(1)


# ---- errors (same exception type as PyTorch, message naming op and shapes) ---------------

ERRORS = [
    ("reshape", lambda lib: lib.zeros(2, 3).reshape(4, 2), RuntimeError, r"'\[4, 2\]'.*size 6"),
    ("view-two-inferred", lambda lib: lib.zeros(2, 3).view(-1, -1), RuntimeError, "one dim"),
    ("view-ambiguous", lambda lib: lib.zeros(0, 3).view(-1, 0), RuntimeError, "ambiguous"),
    ("flatten-order", lambda lib: lib.zeros(2, 3).flatten(1, 0), RuntimeError, "start_dim"),
    ("unflatten", lambda lib: lib.zeros(2, 3).unflatten(1, (2, 2)), RuntimeError, r"\(3\)"),
    ("squeeze-range", lambda lib: lib.zeros(2, 3).squeeze(2), IndexError, r"\[-2, 1\]"),
    ("squeeze-0d", lambda lib: lib.tensor(1.0).squeeze(1), IndexError, r"\[-1, 0\]"),
    ("unsqueeze-range", lambda lib: lib.zeros(2, 3).unsqueeze(3), IndexError, r"\[-3, 2\]"),
    ("unsqueeze-low", lambda lib: lib.zeros(2, 3).unsqueeze(-4), IndexError, "got -4"),
    ("t-3d", lambda lib: lib.zeros(2, 3, 4).t(), RuntimeError, "self is 3D"),
    ("permute-len", lambda lib: lib.zeros(2, 3).permute(0), RuntimeError, "len\\(dims\\) = 1"),
    ("permute-dup", lambda lib: lib.zeros(2, 3).permute(1, 1), RuntimeError, "duplicate"),
    ("transpose", lambda lib: lib.zeros(2, 3).transpose(0, 2), IndexError, "got 2"),
    ("expand", lambda lib: lib.zeros(2, 3).expand(2, 4), RuntimeError, "non-singleton"),
    ("expand-few", lambda lib: lib.zeros(2, 3).expand(3), RuntimeError, "greater or equal"),
    ("repeat-few", lambda lib: lib.zeros(2, 3).repeat(2), RuntimeError, r"\(2, 3\)"),
    ("flip-dup", lambda lib: lib.zeros(2, 3).flip(0, 0), RuntimeError, "multiple times"),
    ("roll-align", lambda lib: lib.zeros(2, 3).roll((1, 2), 0), RuntimeError, "must align"),
    ("roll-none", lambda lib: lib.zeros(2, 3).roll((1, 2)), RuntimeError, "must align"),
    (
        "cat-sizes",
        lambda lib: lib.cat([lib.zeros(2, 3), lib.zeros(2, 4)]),
        RuntimeError,
        r"dimension 0.*\(2, 3\) and \(2, 4\)",
    ),
    (
        "cat-ndim",
        lambda lib: lib.cat([lib.zeros(2, 3), lib.zeros(2, 3, 1)]),
        RuntimeError,
        "same number of dimensions",
    ),
    ("cat-0d", lambda lib: lib.cat([lib.tensor(1.0)]), RuntimeError, "zero-dimensional"),
    ("cat-empty", lambda lib: lib.cat([]), ValueError, "non-empty"),
    ("cat-tensor", lambda lib: lib.cat(lib.zeros(2, 3)), TypeError, "tuple of Tensors"),
    ("cat-number", lambda lib: lib.cat([lib.zeros(2), 3]), TypeError, "element 1"),
    ("cat-dim", lambda lib: lib.cat([lib.zeros(2, 3)], 2), IndexError, "got 2"),
    (
        "stack-sizes",
        lambda lib: lib.stack([lib.zeros(2, 3), lib.zeros(2, 4)]),
        RuntimeError,
        r"\[2, 3\] at entry 0 and \[2, 4\] at entry 1",
    ),
    ("stack-empty", lambda lib: lib.stack([]), RuntimeError, "non-empty"),
    ("split-sum", lambda lib: lib.zeros(2, 3).split([1, 1], 1), RuntimeError, "sum exactly to 3"),
    ("split-zero", lambda lib: lib.zeros(2, 3).split(0), RuntimeError, "split_size"),
    ("split-0d", lambda lib: lib.tensor(1.0).split(1), RuntimeError, "1-dimensional"),
    ("chunk-zero", lambda lib: lib.zeros(2, 3).chunk(0), RuntimeError, "greater than 0"),
    ("unbind-0d", lambda lib: lib.tensor(1.0).unbind(), IndexError, "no dimensions"),
    ("narrow-start", lambda lib: lib.zeros(2, 3).narrow(1, 4, 0), IndexError, r"\[-3, 3\]"),
    ("narrow-end", lambda lib: lib.zeros(2, 3).narrow(1, 2, 2), RuntimeError, "exceeds"),
    ("narrow-length", lambda lib: lib.zeros(2, 3).narrow(1, 1, -1), RuntimeError, "non-negative"),
    ("narrow-0d", lambda lib: lib.tensor(1.0).narrow(0, 0, 1), RuntimeError, "0-dim"),
    ("tril-1d", lambda lib: lib.zeros(3).tril(), RuntimeError, "at least 2 dimensions"),
    ("triu-1d", lambda lib: lib.zeros(3).triu(), RuntimeError, "at least 2 dimensions"),
    ("diagonal-same", lambda lib: lib.zeros(2, 3).diagonal(0, 1, -1), RuntimeError, "identical"),
    (
        "diagonal_scatter-src",
        lambda lib: lib.diagonal_scatter(lib.zeros(2, 3), lib.zeros(3)),
        RuntimeError,
        r"src size = \[3\], slice size = \[2\]",
    ),
    (
        "pad-odd",
        lambda lib: functional_pad(lib)(lib.zeros(2, 3), (1,)),
        RuntimeError,
        "divisible by 2",
    ),
    (
        "pad-long",
        lambda lib: functional_pad(lib)(lib.zeros(2), (1, 1, 1, 1)),
        RuntimeError,
        "padding length 4",
    ),
    (
        "pad-crop",
        lambda lib: functional_pad(lib)(lib.zeros(2, 3), (-2, -2)),
        RuntimeError,
        "negative size",
    ),
    (
        "pad-mode",
        lambda lib: functional_pad(lib)(lib.zeros(2, 3), (1, 1), mode="edge"),
        NotImplementedError,
        "edge",
    ),
    (
        "pad-reflect-size",
        lambda lib: functional_pad(lib)(lib.zeros(2, 3), (3, 1), mode="reflect"),
        RuntimeError,
        "reflect padding",
    ),
    (
        "pad-circular-size",
        lambda lib: functional_pad(lib)(lib.zeros(2, 3), (4, 0), "circular"),
        RuntimeError,
        "circular padding",
    ),
    (
        "pad-reflect-value",
        lambda lib: functional_pad(lib)(lib.zeros(2, 3), (1, 1), "reflect", 2.0),
        RuntimeError,
        "value",
    ),
    (
        "pad-replicate-dims",
        lambda lib: functional_pad(lib)(lib.zeros(3), (1, 1), "replicate"),
        NotImplementedError,
        "1D input",
    ),
    (
        "pad-reflect-5d",
        lambda lib: functional_pad(lib)(lib.zeros(1, 1, 1, 2, 3), (1, 1), "reflect"),
        NotImplementedError,
        "5D input",
    ),
]


@pytest.mark.parametrize("fn, error, message", [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_error_type_matches_torch_and_message_is_clear(fn, error, message):
    with pytest.raises(error):
        fn(torch)
    with pytest.raises(error, match=message):
        fn(ag)


# ---- split and chunk sizes ---------------------------------------------------------------


@pytest.mark.parametrize("length", range(8))
@pytest.mark.parametrize("size", [1, 2, 3, 5, 9])
def test_split_uneven_sizes_match_torch(length, size):
    ours = ag.arange(length * 2.0).reshape(2, length).split(size, 1)
    theirs = torch.arange(length * 2.0).reshape(2, length).split(size, 1)
    assert [piece.shape for piece in ours] == [tuple(piece.shape) for piece in theirs]
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a.data, b.numpy())


@pytest.mark.parametrize("length", range(8))
@pytest.mark.parametrize("chunks", [1, 2, 3, 4, 6, 9])
def test_chunk_sizes_match_torch(length, chunks):
    ours = ag.arange(float(length)).chunk(chunks)
    theirs = torch.arange(float(length)).chunk(chunks)
    assert [piece.shape for piece in ours] == [tuple(piece.shape) for piece in theirs]
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a.data, b.numpy())


def test_split_sections_and_unbind_of_empty_dim_match_torch():
    ours = ag.zeros(2, 5).split([2, 0, 3], -1)
    assert [p.shape for p in ours] == [(2, 2), (2, 0), (2, 3)]
    assert ag.zeros(2, 0).unbind(1) == ()
    assert len(torch.zeros(2, 0).unbind(1)) == 0


# ---- gradients of multi-output ops with some outputs unused ------------------------------


def _grad_both(fn, shape):
    values = np.random.default_rng(0).standard_normal(shape)
    ours = ag.tensor(values, requires_grad=True)
    theirs = torch.tensor(values, requires_grad=True)
    fn(ours).sum().backward()
    fn(theirs).sum().backward()
    return ours.grad.data, theirs.grad.numpy()


@pytest.mark.parametrize(
    "fn",
    [
        lambda x: x.unbind(1)[0] * 2 + x.unbind(1)[2] ** 2,
        lambda x: x.unbind(-1)[1],
        lambda x: x.split(2, 1)[-1].exp(),
        lambda x: x.chunk(2, 0)[0] * x.chunk(2, 0)[1],
    ],
    ids=["unbind-two-of-three", "unbind-one", "split-last", "chunk-product"],
)
def test_gradient_with_only_some_outputs_used(fn):
    ours, theirs = _grad_both(fn, (2, 3))
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_cat_and_stack_give_each_input_its_gradient_and_skip_constants():
    a = ag.randn(2, 3, requires_grad=True)
    b = ag.randn(1, 3)
    c = ag.randn(3, 3, requires_grad=True)
    weights = ag.arange(18.0).reshape(6, 3)
    (ag.cat([a, b, c]) * weights).sum().backward()
    np.testing.assert_array_equal(a.grad.data, weights.data[:2])
    np.testing.assert_array_equal(c.grad.data, weights.data[3:])
    assert b.grad is None
    d = ag.randn(3, requires_grad=True)
    (ag.stack([d, d], 1) * ag.tensor([1.0, 10.0])).sum().backward()
    np.testing.assert_array_equal(d.grad.data, np.full(3, 11.0, np.float32))


# ---- 0-d tensors, identity cases, dtypes, names ------------------------------------------

ZERO_D = {
    "permute": lambda lib, x: x.permute(()),
    "transpose": lambda lib, x: x.transpose(0, -1),
    "movedim": lambda lib, x: x.movedim(0, -1),
    "t": lambda lib, x: x.t(),
    "squeeze": lambda lib, x: x.squeeze(),
    "squeeze-0": lambda lib, x: x.squeeze(0),
    "flatten": lambda lib, x: lib.flatten(x),
    "unsqueeze": lambda lib, x: x.unsqueeze(0),
    "expand": lambda lib, x: x.expand(()),
    "repeat": lambda lib, x: x.repeat(()),
    "tile": lambda lib, x: x.tile(()),
    "flip": lambda lib, x: x.flip(-1),
    "roll": lambda lib, x: x.roll(3),
    "stack": lambda lib, x: lib.stack([x, x * 2], -1),
    "pad": lambda lib, x: functional_pad(lib)(x, ()),
}


@pytest.mark.parametrize("name", sorted(ZERO_D))
def test_zero_dim_inputs_match_torch(name):
    ours = ZERO_D[name](ag, ag.tensor(1.5, requires_grad=True))
    theirs = ZERO_D[name](torch, torch.tensor(1.5, requires_grad=True))
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_array_equal(ours.data, theirs.detach().numpy())


PROMOTIONS = [
    (np.bool_, np.int64),
    (np.int32, np.int64),
    (np.float32, np.float64),
    (np.bool_, np.float32),
    (np.uint8, np.int8),
    (np.int64, np.float32),
]


@pytest.mark.parametrize("first, second", PROMOTIONS)
@pytest.mark.parametrize("op", ["cat", "stack"])
def test_joining_promotes_dtypes_like_torch(op, first, second):
    arrays = [np.ones((2, 2), first), np.zeros((2, 2), second)]
    ours = getattr(ag, op)([ag.tensor(a) for a in arrays])
    theirs = getattr(torch, op)([torch.tensor(a) for a in arrays])
    assert ours.dtype == theirs.numpy().dtype


def test_cat_skips_legacy_empty_tensors_like_torch():
    empty = ag.zeros(0, requires_grad=True)
    x = ag.ones(2, 3, requires_grad=True)
    out = ag.cat([empty, x, empty], 1)
    assert out.shape == (2, 3)
    out.sum().backward()
    assert empty.grad.shape == (0,)
    assert tuple(torch.cat([torch.zeros(0), torch.ones(2, 3)], 1).shape) == (2, 3)


def test_public_names_follow_torch():
    for name in (
        "cat",
        "concat",
        "concatenate",
        "stack",
        "split",
        "chunk",
        "unbind",
        "flatten",
        "unflatten",
        "squeeze",
        "unsqueeze",
        "permute",
        "transpose",
        "t",
        "flip",
        "roll",
        "narrow",
        "tril",
        "triu",
        "diagonal",
        "diagonal_scatter",
        "tile",
        "reshape",
    ):
        assert callable(getattr(ag, name)), name
        assert hasattr(torch, name), name
    assert not hasattr(ag, "pad")  # F.pad only, as in PyTorch
    assert callable(ops.pad)


@pytest.mark.parametrize(
    ("shape", "target"),
    [((), (3, 4)), ((1, 4), (3, 4)), ((3, 1), (2, 3, 5)), ((4,), (2, 3, 4)), ((3,), (3,))],
)
def test_broadcast_view_equals_numpy_and_is_a_read_only_view(shape, target):
    from autograd.ops.common import broadcast_view

    array = np.arange(1, int(np.prod(shape)) + 1, dtype=np.float32).reshape(shape)
    view = broadcast_view(array, target)
    np.testing.assert_array_equal(view, np.broadcast_to(array, target))
    assert view.shape == target
    assert not view.flags.writeable
    assert np.shares_memory(view, array)


def test_broadcast_view_falls_back_to_numpy_for_other_layouts_and_bad_shapes():
    from autograd.ops.common import broadcast_view

    strided = np.arange(6.0).reshape(2, 3)[:, ::2]  # not contiguous
    np.testing.assert_array_equal(
        broadcast_view(strided, (4, 2, 2)), np.broadcast_to(strided, (4, 2, 2))
    )
    with pytest.raises(ValueError, match="broadcast"):
        broadcast_view(np.ones((1, 3)), (2, 4))


MOVES = {
    "movedim int": lambda lib, x: x.movedim(0, 2),
    "movedim negative": lambda lib, x: x.movedim(-1, 0),
    "movedim tuples": lambda lib, x: x.movedim((0, 1), (2, 0)),
    "movedim lists, function": lambda lib, x: lib.movedim(x, [2, 0], [0, 1]),
    "moveaxis": lambda lib, x: x.moveaxis(1, -1),
    "swapaxes": lambda lib, x: x.swapaxes(0, 2),
    "swapdims": lambda lib, x: x.swapdims(-1, 1),
}


@pytest.mark.parametrize("name", list(MOVES))
def test_movedim_and_swapaxes_match_torch(name):
    data = np.random.default_rng(3).standard_normal((2, 3, 4))
    upstream = np.random.default_rng(4).standard_normal((24,))
    results = []
    for lib in (ag, torch):
        x = lib.tensor(data, requires_grad=True)
        out = MOVES[name](lib, x)
        (out.reshape(-1) * lib.tensor(upstream)).sum().backward()
        results.append((tuple(out.shape), out.detach().numpy().tolist(), x.grad.numpy().tolist()))
    assert results[0] == results[1]


@pytest.mark.parametrize(
    ("source", "destination", "error", "message"),
    [
        ((0, 1), (2,), RuntimeError, "should contain the same number of dims"),
        (0, 3, IndexError, "Dimension out of range"),
        ((0, 0), (1, 2), RuntimeError, r"repeated dim in `source` \(\[0, 0\]\)"),
        ((0, 1), (1, 1), RuntimeError, r"repeated dim in `destination` \(\[1, 1\]\)"),
    ],
)
def test_movedim_errors_as_torch(source, destination, error, message):
    for lib in (ag, torch):
        with pytest.raises(error, match=message):
            lib.zeros(2, 3, 4).movedim(source, destination)
