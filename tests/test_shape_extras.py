"""diag, split_with_sizes, unfold (a view: writes through it, its overlapping windows),
masked_scatter(_), fill_diagonal_ and the in-place shape methods squeeze_, unsqueeze_,
transpose_, swapaxes_, swapdims_ and t_, against PyTorch: values, dtypes, every input's
gradient, writes through views and the errors."""

import numpy as np
import pytest

import autograd as ag

torch = pytest.importorskip("torch")

rng = np.random.default_rng(11)
VECTOR = rng.standard_normal(4)
MATRIX = rng.standard_normal((3, 5))
CUBE = rng.standard_normal((2, 3, 7))


def outcome(lib, program, arrays):
    """Run ``program(lib, *leaves)`` on float64 leaves requiring grad; backward of every output
    that requires grad, weighted 1, 2, 3 ... Returns the outputs and the leaves' gradients."""
    leaves = [lib.tensor(array, dtype=lib.float64, requires_grad=True) for array in arrays]
    outputs = program(lib, *leaves)
    outputs = outputs if isinstance(outputs, (tuple, list)) else (outputs,)
    losses = [
        (out * lib.arange(1, out.numel() + 1, dtype=out.dtype).reshape(out.shape)).sum()
        for out in outputs
        if out.requires_grad
    ]
    if losses:
        sum(losses).backward()
    return outputs, [leaf.grad for leaf in leaves]


def assert_same(ours, theirs):
    """Tensors (or lists of them, or None) equal in shape, dtype and values (to 1e-12)."""
    if theirs is None:
        assert ours is None
        return
    if isinstance(theirs, (tuple, list)):
        assert len(ours) == len(theirs)
        for mine, expected in zip(ours, theirs):
            assert_same(mine, expected)
        return
    assert isinstance(ours, ag.Tensor)
    assert ours.shape == tuple(theirs.shape)
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    expected = theirs.detach().numpy()
    np.testing.assert_allclose(ours.detach().numpy(), expected, rtol=1e-12, atol=1e-14)


def assert_as_torch(program, *arrays):
    ours, theirs = outcome(ag, program, arrays), outcome(torch, program, arrays)
    assert_same(ours[0], theirs[0])
    assert_same(ours[1], theirs[1])


def assert_errors_as_torch(make, error, message):
    for lib in (ag, torch):
        with pytest.raises(error, match=message):
            make(lib)


# ---- diag --------------------------------------------------------------------------------

DIAG = {
    "vector": (lambda lib, x: lib.diag(x), VECTOR),
    "vector above": (lambda lib, x: lib.diag(x, 2), VECTOR),
    "vector below": (lambda lib, x: x.diag(-1), VECTOR),
    "vector, one element": (lambda lib, x: lib.diag(x, -3), VECTOR[:1]),
    "empty vector": (lambda lib, x: lib.diag(x, 1), VECTOR[:0]),
    "matrix": (lambda lib, x: lib.diag(x), MATRIX),
    "matrix above": (lambda lib, x: x.diag(3), MATRIX),
    "matrix below": (lambda lib, x: lib.diag(x, diagonal=-2), MATRIX),
    "matrix, off its corner": (lambda lib, x: lib.diag(x, 5), MATRIX),
    "transposed matrix": (lambda lib, x: lib.diag(x.t(), 1), MATRIX),
}


@pytest.mark.parametrize("name", list(DIAG))
def test_diag_values_and_gradients(name):
    program, array = DIAG[name]
    assert_as_torch(program, array)


@pytest.mark.parametrize("dtype", ["int64", "bool", "float32"])
def test_diag_keeps_the_dtype(dtype):
    ours = ag.diag(ag.tensor(VECTOR > 0).to(getattr(ag, dtype)), 1)
    theirs = torch.diag(torch.tensor(VECTOR > 0).to(getattr(torch, dtype)), 1)
    assert_same(ours, theirs)
    assert_same(ag.diag(ours, 1), torch.diag(theirs, 1))


def test_diag_of_a_matrix_is_a_copy():
    for lib in (ag, torch):
        x = lib.zeros(2, 2)
        lib.diag(x).fill_(1.0)
        assert x.tolist() == [[0.0, 0.0], [0.0, 0.0]]


DIAG_ERRORS = [
    (lambda lib: lib.diag(lib.tensor(1.0)), RuntimeError, "Supports 1D or 2D tensors. Got 0D"),
    (lambda lib: lib.diag(lib.zeros(2, 2, 2)), RuntimeError, "Supports 1D or 2D tensors. Got 3D"),
    (lambda lib: lib.diag(lib.zeros(2), 1.5), TypeError, "'diagonal' .* must be int, not float"),
    (lambda lib: lib.diag([1.0, 2.0]), TypeError, "must be .*Tensor, not list"),
]


@pytest.mark.parametrize(("make", "error", "message"), DIAG_ERRORS)
def test_diag_errors_as_torch(make, error, message):
    assert_errors_as_torch(make, error, message)


# ---- split_with_sizes --------------------------------------------------------------------

SPLITS = {
    "rows": lambda lib, x: x.split_with_sizes([1, 2]),
    "columns": lambda lib, x: lib.split_with_sizes(x, (2, 0, 3), dim=1),
    "negative dim": lambda lib, x: x.split_with_sizes([4, 1], -1),
    "one piece": lambda lib, x: lib.split_with_sizes(x, [3]),
    "pieces used twice": lambda lib, x: [p * p for p in x.split_with_sizes([2, 1])],
}


@pytest.mark.parametrize("name", list(SPLITS))
def test_split_with_sizes_values_and_gradients(name):
    assert_as_torch(SPLITS[name], MATRIX)


def test_split_with_sizes_gives_views():
    for lib in (ag, torch):
        x = lib.zeros(5)
        _, second = x.split_with_sizes([2, 3])
        second.add_(1.0)
        assert x.tolist() == [0.0, 0.0, 1.0, 1.0, 1.0]
        assert lib.zeros(0).split_with_sizes([]) == ()


SPLIT_ERRORS = [
    (
        lambda lib: lib.zeros(5, 2).split_with_sizes([2, 2]),
        RuntimeError,
        r"split_sizes to sum exactly to 5 \(input tensor's size at dimension 0\), but got "
        r"split_sizes=\[2, 2\]",
    ),
    (
        lambda lib: lib.zeros(5, 2).split_with_sizes([6, -1]),
        RuntimeError,
        r"have only non-negative entries, but got split_sizes=\[6, -1\]",
    ),
    (lambda lib: lib.zeros(5).split_with_sizes([]), RuntimeError, "sum exactly to 5"),
    (lambda lib: lib.zeros(5).split_with_sizes(2), TypeError, "must be tuple of ints, not int"),
    (lambda lib: lib.zeros(5).split_with_sizes([2.0, 3.0]), TypeError, "tuple of ints"),
    (lambda lib: lib.zeros(5).split_with_sizes([5], dim=1), IndexError, "out of range"),
    (lambda lib: lib.tensor(1.0).split_with_sizes([1]), RuntimeError, "at least a 1-dim"),
]


@pytest.mark.parametrize(("make", "error", "message"), SPLIT_ERRORS)
def test_split_with_sizes_errors_as_torch(make, error, message):
    assert_errors_as_torch(make, error, message)


# ---- unfold ------------------------------------------------------------------------------

UNFOLDS = {
    "overlapping": (lambda lib, x: x.unfold(0, 3, 1), VECTOR),
    "apart": (lambda lib, x: x.unfold(-1, 2, 3), CUBE),
    "one window": (lambda lib, x: x.unfold(1, 5, 2), MATRIX),
    "all of a dim": (lambda lib, x: x.unfold(0, 3, 7), MATRIX),
    "size 1": (lambda lib, x: x.unfold(1, 1, 1), CUBE),
    "size 0": (lambda lib, x: x.unfold(0, 0, 2), VECTOR),
    "0-d": (lambda lib, x: x.unfold(0, 1, 3), np.array(2.5)),
    "0-d size 0": (lambda lib, x: x.unfold(-1, 0, 1), np.array(2.5)),
    "twice": (lambda lib, x: x.unfold(2, 3, 1).unfold(2, 2, 2), CUBE),
    "transposed": (lambda lib, x: x.t().unfold(1, 2, 1), MATRIX),
    "empty dim": (lambda lib, x: x[:, :0].unfold(1, 0, 1), MATRIX),
}


@pytest.mark.parametrize("name", list(UNFOLDS))
def test_unfold_values_and_gradients(name):
    program, array = UNFOLDS[name]
    assert_as_torch(program, array)


def test_unfold_is_a_view_that_writes_reach_as_in_torch():
    for lib in (ag, torch):
        x = lib.arange(10.0)
        windows = x.unfold(0, 3, 3)  # apart: every element in one window at most
        windows.mul_(2.0)
        windows[1, 2] = -1.0
        x[0] = 7.0  # the other way round too
        assert x.tolist() == [7.0, 2.0, 4.0, 6.0, 8.0, -1.0, 12.0, 14.0, 16.0, 9.0]
        assert windows[0].tolist() == [7.0, 2.0, 4.0]


def write_program(write, size, step):
    """A recorded write through an unfold view of a recorded tensor."""

    def program(lib, x, w):
        y = x * 1.0
        windows = y.unfold(0, size, step)
        write(windows, w)
        return y, windows

    return program


APART_WRITES = {
    "mul_ by a grad value": lambda v, w: v.mul_(w[: v.shape[-1]]),
    "copy_": lambda v, w: v.copy_(w[: v.numel()].reshape(v.shape)),
    "one window": lambda v, w: v[1].add_(w[0]),
    "zero_": lambda v, w: v.zero_(),
}


@pytest.mark.parametrize("write", list(APART_WRITES))
@pytest.mark.parametrize(("size", "step"), [(2, 2), (2, 3)])
def test_recorded_writes_through_windows_apart(write, size, step):
    program = write_program(APART_WRITES[write], size, step)
    assert_as_torch(program, rng.standard_normal(7), rng.standard_normal(7))


OVERLAPPING_WRITES = {  # windows (2, 1) of 6 elements: each element twice but the ends
    "fill_ with a number": lambda v, w: v.fill_(0.5),
    "one window": lambda v, w: v[2].mul_(w[:2]),
    "one element": lambda v, w: v.__setitem__((3, 1), w[0]),
    "elements by an advanced index": lambda v, w: v.__setitem__(([0, 1], [1, 0]), w[1]),
}


@pytest.mark.parametrize("write", list(OVERLAPPING_WRITES))
def test_writes_into_overlapping_windows_where_each_element_gets_one_value(write):
    program = write_program(OVERLAPPING_WRITES[write], 2, 1)
    assert_as_torch(program, rng.standard_normal(6), rng.standard_normal(6))


@pytest.mark.parametrize(
    "write",
    [lambda v: v.mul_(2.0), lambda v: v.add_(v), lambda v: v.copy_(ag.ones(4, 3))],
)
def test_elementwise_writes_into_overlapping_windows_are_refused(write):
    # An element in several windows would be written once per window. PyTorch does not
    # notice: it writes it in turn, in an order of its own (x.unfold(0, 3, 2).mul_(2) makes
    # such an element 4 times itself); chainrule refuses, as for an expanded view.
    x = ag.arange(9.0)
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        write(x.unfold(0, 3, 2))
    assert x.tolist() == list(range(9))


def test_windows_take_the_new_graph_of_their_base():
    def program(lib, x, w):
        y = x * 1.0
        windows = y.unfold(0, 3, 1)
        y.mul_(w)  # windows now read x * w
        return (windows,)

    assert_as_torch(program, rng.standard_normal(5), rng.standard_normal(5))


UNFOLD_ERRORS = [
    (
        lambda lib: lib.arange(5.0).unfold(0, 6, 1),
        RuntimeError,
        "maximum size for tensor at dimension 0 is 5 but size is 6",
    ),
    (lambda lib: lib.arange(5.0).unfold(0, -1, 1), RuntimeError, "size is -1 but must be >= 0"),
    (lambda lib: lib.arange(5.0).unfold(0, 2, 0), RuntimeError, "step is 0 but must be > 0"),
    (lambda lib: lib.arange(5.0).unfold(1, 2, 1), IndexError, "Dimension out of range"),
    (
        lambda lib: lib.tensor(1.0).unfold(0, 2, 1),
        RuntimeError,
        "maximum size .* is 1 but size is 2",
    ),
    (lambda lib: lib.arange(5.0).unfold(0, 2.0, 1), TypeError, "argument 'size' .* must be int"),
]


@pytest.mark.parametrize(("make", "error", "message"), UNFOLD_ERRORS)
def test_unfold_errors_as_torch(make, error, message):
    assert_errors_as_torch(make, error, message)


# ---- masked_scatter ----------------------------------------------------------------------

MASK = np.array([[True, False, True, False, False], [False, True, True, False, True]] * 2)[:3]
SOURCE = rng.standard_normal((2, 5))

SCATTERS = {
    "same shape": lambda lib, x, s: x.masked_scatter(lib.tensor(MASK), s),
    "mask broadcast": lambda lib, x, s: lib.masked_scatter(x, lib.tensor(MASK[1]), s),
    "input broadcast": lambda lib, x, s: x[1].masked_scatter(lib.tensor(MASK), s),
    "source larger, any shape": lambda lib, x, s: x.masked_scatter(lib.tensor(MASK), s[:, :4]),
    "mask all False": lambda lib, x, s: x.masked_scatter(lib.zeros(3, 5, dtype=lib.bool), s),
    "0-d": lambda lib, x, s: x[0, 0].masked_scatter(lib.tensor(True), s[1]),
    "in place": lambda lib, x, s: (x * 1.0).masked_scatter_(lib.tensor(MASK), s * 2.0),
    "in place, mask broadcast": lambda lib, x, s: (x * 1.0).masked_scatter_(lib.tensor(MASK[2]), s),
}


@pytest.mark.parametrize("name", list(SCATTERS))
def test_masked_scatter_values_and_gradients(name):
    assert_as_torch(SCATTERS[name], MATRIX, SOURCE)


def test_masked_scatter_of_integers():
    values = [[1, 2, 3], [4, 5, 6]]
    ours = ag.zeros(2, 3, dtype=ag.int64).masked_scatter(ag.tensor(MASK[:2, :3]), ag.tensor(values))
    theirs = torch.zeros(2, 3, dtype=torch.int64).masked_scatter(
        torch.tensor(MASK[:2, :3]), torch.tensor(values)
    )
    assert_same(ours, theirs)


MASKED_SCATTER_ERRORS = [
    (
        lambda lib: lib.zeros(2, 3).masked_scatter(lib.tensor(MASK[:2, :3]), lib.zeros(2)),
        RuntimeError,
        "Number of elements of source < number of ones in mask",
    ),
    (
        lambda lib: lib.zeros(2, 3).masked_scatter(lib.ones(2, 3), lib.zeros(6)),
        RuntimeError,
        "masked_scatter_ only supports boolean masks, but got mask with dtype",
    ),
    (
        lambda lib: lib.zeros(2, 3).masked_scatter(
            lib.tensor(MASK[:2, :3]), lib.zeros(6, dtype=lib.float64)
        ),
        RuntimeError,
        "masked_scatter: expected self and source to have same dtypes",
    ),
    (
        lambda lib: lib.zeros(2, 3).masked_scatter(lib.ones(2, 2, dtype=lib.bool), lib.zeros(6)),
        RuntimeError,
        "size|shape",
    ),
    (
        lambda lib: lib.zeros(3).masked_scatter_(lib.ones(2, 3, dtype=lib.bool), lib.zeros(6)),
        RuntimeError,
        "shape|size",
    ),
    (
        lambda lib: lib.zeros(2).masked_scatter(lib.ones(2, dtype=lib.bool), 5.0),
        TypeError,
        "source",
    ),
    (
        lambda lib: lib.zeros(2, requires_grad=True).masked_scatter_(
            lib.ones(2, dtype=lib.bool), lib.zeros(2)
        ),
        RuntimeError,
        "leaf Variable that requires grad",
    ),
]


@pytest.mark.parametrize(("make", "error", "message"), MASKED_SCATTER_ERRORS)
def test_masked_scatter_errors_as_torch(make, error, message):
    assert_errors_as_torch(make, error, message)


# ---- fill_diagonal_ ----------------------------------------------------------------------

FILLS = {
    "square": ((3, 3), 5.0, False),
    "tall": ((7, 3), 5.0, False),
    "tall, wrapped": ((7, 3), 5.0, True),
    "tall by one more, wrapped": ((8, 3), -1.5, True),
    "wide, wrapped": ((3, 7), 2.0, True),
    "cube": ((2, 2, 2), 5.0, False),
    "4-d": ((3, 3, 3, 3), 1.0, True),
    "1x1": ((1, 1), 4.0, False),
    "empty": ((0, 3), 4.0, True),
    "nan": ((2, 2), float("nan"), False),
}


@pytest.mark.parametrize("name", list(FILLS))
def test_fill_diagonal_values_as_torch(name):
    shape, value, wrap = FILLS[name]
    ours, theirs = ag.zeros(*shape), torch.zeros(*shape)
    assert ours.fill_diagonal_(value, wrap) is ours
    theirs.fill_diagonal_(value, wrap)
    assert_same(ours, theirs)


@pytest.mark.parametrize(
    ("dtype", "value"),
    [("int64", 2.7), ("bool", 2), ("uint8", -1), ("float32", True), ("float32", 2)],
)
def test_fill_diagonal_values_in_other_dtypes(dtype, value):
    ours = ag.zeros(2, 2, dtype=getattr(ag, dtype)).fill_diagonal_(value)
    theirs = torch.zeros(2, 2, dtype=getattr(torch, dtype)).fill_diagonal_(value)
    assert_same(ours, theirs)
    assert_same(
        ag.zeros(2, 2).fill_diagonal_(ag.tensor(3.5)),
        torch.zeros(2, 2).fill_diagonal_(torch.tensor(3.5)),
    )


def test_fill_diagonal_gives_a_zero_gradient_there():
    assert_as_torch(lambda lib, x: (x * 2.0).fill_diagonal_(0.5, wrap=True), MATRIX.T)
    assert_as_torch(lambda lib, x: (x[:3, :3] * 2.0).fill_diagonal_(0.5).exp(), MATRIX)


FILL_DIAGONAL_ERRORS = [
    (lambda lib: lib.zeros(3).fill_diagonal_(1.0), RuntimeError, "dimensions must larger than 1"),
    (
        lambda lib: lib.zeros(2, 2, 3).fill_diagonal_(1.0),
        RuntimeError,
        "all dimensions of input must be of equal length",
    ),
    (
        lambda lib: lib.zeros(2, 2, dtype=lib.uint8).fill_diagonal_(300),
        RuntimeError,
        "cannot be converted to type",
    ),
    (lambda lib: lib.zeros(2, 2).fill_diagonal_("a"), TypeError, "must be Number, not str"),
    (
        lambda lib: lib.zeros(2, 2).fill_diagonal_(lib.ones(1)),
        TypeError,
        "must be Number, not Tensor",
    ),
    (lambda lib: lib.zeros(2, 2).fill_diagonal_(1.0, wrap=1), TypeError, "must be bool, not int"),
    (
        lambda lib: lib.ones(2, 2, requires_grad=True).fill_diagonal_(0.0),
        RuntimeError,
        "leaf Variable that requires grad",
    ),
]


@pytest.mark.parametrize(("make", "error", "message"), FILL_DIAGONAL_ERRORS)
def test_fill_diagonal_errors_as_torch(make, error, message):
    assert_errors_as_torch(make, error, message)


# ---- squeeze_, unsqueeze_, transpose_, swapaxes_, swapdims_, t_ --------------------------

RESHAPES = {  # each on x * 1.0 of shape (2, 1, 3)
    "squeeze_": lambda y: y.squeeze_(),
    "squeeze_ dim": lambda y: y.squeeze_(-2),
    "squeeze_ dims": lambda y: y.squeeze_((0, 1)),
    "squeeze_ a dim not of size 1": lambda y: y.squeeze_(0),
    "unsqueeze_": lambda y: y.unsqueeze_(-1),
    "transpose_": lambda y: y.transpose_(0, 2),
    "swapaxes_": lambda y: y.swapaxes_(1, 2),
    "swapdims_": lambda y: y.swapdims_(-1, 0),
    "t_": lambda y: y.squeeze_(1).t_(),
}


@pytest.mark.parametrize("name", list(RESHAPES))
def test_inplace_shape_methods_on_a_recorded_tensor(name):
    def program(lib, x):
        y = x * 1.0
        assert RESHAPES[name](y) is y
        return y, y * y

    assert_as_torch(program, CUBE[:, :1, :3])


@pytest.mark.parametrize("name", list(RESHAPES))
def test_inplace_shape_methods_refuse_a_leaf_that_requires_grad(name):
    for lib in (ag, torch):
        leaf = lib.tensor(CUBE[:, :1, :3], requires_grad=True)
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            RESHAPES[name](leaf)
        with lib.no_grad():
            RESHAPES[name](leaf)
        assert leaf.is_leaf and leaf.requires_grad
        plain = lib.tensor(CUBE[:, :1, :3])
        RESHAPES[name](plain)
        assert plain.shape == leaf.shape


def test_writes_through_views_taken_before_a_transpose_():
    def program(lib, x, w):
        y = x * 1.0
        row, corner = y[0], y[:, 1:]
        y.t_()  # row and corner keep their elements
        row.mul_(w[:3])
        corner.fill_(0.5)
        y.add_(w[3:5])  # row and corner read the new graph
        return y, row, corner

    assert_as_torch(program, MATRIX[:2, :3], VECTOR[:5])


def test_a_fill_through_an_expanded_view_taken_before_a_transpose_():
    for lib in (ag, torch):
        y = lib.zeros(2, 3)
        expanded = y[1:].expand(4, 3)  # read-only: its fill goes through y's elements
        y.t_()
        expanded.fill_(2.0)
        assert y.tolist() == [[0.0, 2.0], [0.0, 2.0], [0.0, 2.0]]


def test_inplace_shape_methods_on_views():
    def program(lib, x, w):
        y = x * 1.0
        top = y[:2]
        top.t_().unsqueeze_(0)  # still a view of y, one step further
        top.mul_(w[:2])
        later = y[2]
        y.mul_(2.0)
        return y, top, later

    assert_as_torch(program, MATRIX, VECTOR)


def test_a_saved_tensor_changed_by_an_inplace_shape_method_is_refused_at_backward():
    for lib in (ag, torch):
        w = lib.ones(2, 3, requires_grad=True)
        x = lib.arange(6.0).reshape(2, 3)
        y = x * w  # saves x
        x.t_()
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.sum().backward()


def test_retain_grad_stays_with_the_value_before_a_transpose_():
    shapes = []
    for lib in (ag, torch):
        x = lib.tensor(MATRIX, requires_grad=True)
        y = x * 2.0
        y.retain_grad()
        y.t_()
        (y * lib.arange(15.0, dtype=lib.float64).reshape(5, 3)).sum().backward()
        shapes.append((tuple(y.grad.shape), y.grad.tolist()))
    assert shapes[0] == shapes[1]


INPLACE_SHAPE_ERRORS = [
    (lambda lib: lib.zeros(2, 3, 4).t_(), RuntimeError, "expects a tensor with <= 2 dimensions"),
    (lambda lib: lib.zeros(2, 3).transpose_(0, 2), IndexError, "out of range"),
    (lambda lib: lib.zeros(2, 3).unsqueeze_(3), IndexError, "out of range"),
    (
        lambda lib: (lib.ones(2, 3, requires_grad=True) * 1.0).split(1)[0].t_(),
        RuntimeError,
        "Output 0 of Split.* is a view and is being modified inplace",
    ),
    (
        lambda lib: (lib.ones(2, 3, requires_grad=True)[0:1]).t_(),
        RuntimeError,
        "a view of a leaf Variable that requires grad",
    ),
]


@pytest.mark.parametrize(("make", "error", "message"), INPLACE_SHAPE_ERRORS)
def test_inplace_shape_errors_as_torch(make, error, message):
    assert_errors_as_torch(make, error, message)


def test_a_view_made_in_no_grad_mode_refuses_a_recorded_transpose_():
    for lib in (ag, torch):
        y = lib.ones(2, 3, requires_grad=True) * 1.0
        with lib.no_grad():
            view = y[:1]
        with pytest.raises(RuntimeError, match="A view was created in no_grad mode"):
            view.t_()


# ---- int arguments (common.int_arg) ------------------------------------------------------

INT_ARGUMENTS = {  # call(lib, the int argument): PyTorch takes a one-element integer tensor
    "diag diagonal": lambda lib, n: lib.diag(lib.arange(3.0), n),
    "unfold size": lambda lib, n: lib.arange(5.0).unfold(0, n, 1),
    "kthvalue k": lambda lib, n: lib.arange(5.0).kthvalue(n).values,
    "polygamma n": lambda lib, n: lib.polygamma(n, lib.ones(2, dtype=lib.float64)),
}


@pytest.mark.parametrize("case", list(INT_ARGUMENTS))
def test_int_arguments_take_an_integer_tensor_and_refuse_floats_and_bools_as_torch(case):
    call = INT_ARGUMENTS[case]
    name = case.split()[1]
    ours, theirs = call(ag, ag.tensor(2)), call(torch, torch.tensor(2))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy())
    for lib in (ag, torch):
        for bad in (2.0, True):
            with pytest.raises(TypeError, match=rf"argument '{name}' \(position \d\) must be int"):
                call(lib, bad)
