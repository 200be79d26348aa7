"""Writes through views, as PyTorch does them: a recorded in-place write through a view is
recorded in its root base (CopySlices), the root's other live views read its new graph, and
PyTorch's refusals (a view of a leaf, a view made in no_grad mode, an expanded view) are
kept. Every program runs with chainrule and with PyTorch and must give the same values and
gradients (tests/test_random_inplace.py draws many more such programs)."""

import numpy as np
import pytest

import autograd as ag

torch = pytest.importorskip("torch")

VIEWS = {
    "view": lambda y: y.view(3, 2),
    "reshape-t": lambda y: y.reshape(2, 3).t(),
    "unsqueeze": lambda y: y.unsqueeze(0),
    "narrow": lambda y: y.narrow(0, 1, 3),
    "slice-step": lambda y: y[::2],
    "select": lambda y: y.view(2, 3)[1],
    "diagonal": lambda y: y.view(2, 3).diagonal(),
    "view-of-view": lambda y: y.view(2, 3)[1:].permute(1, 0)[1:],
}

WRITES = {
    "mul_": lambda v, w: v.mul_(2.0),
    "add_ grad value": lambda v, w: v.add_(w.sum() * 0.5),
    "copy_ grad value": lambda v, w: v.copy_(w[: v.numel()].reshape(v.shape) * 3.0),
    "setitem": lambda v, w: v.__setitem__(..., w[0] * 2.0),
    "+=": lambda v, w: v.__iadd__(w.sum()),
    "relu_": lambda v, w: v.relu_(),
    "zero_": lambda v, w: v.zero_(),
}


def leaves(lib):
    x = lib.tensor([0.5, -1.0, 2.0, 1.5, -0.25, 3.0], dtype=lib.float64, requires_grad=True)
    w = lib.tensor([0.3, -0.7, 1.1, 0.2, 0.9, -1.3], dtype=lib.float64, requires_grad=True)
    return x, w


def outcome(lib, program):
    """Run ``program(lib, x, w)``; the values it returns, then x's and w's gradients."""
    x, w = leaves(lib)
    values, loss = program(lib, x, w)
    loss.backward()
    grads = [None if t.grad is None else t.grad.tolist() for t in (x, w)]
    return [value.detach().tolist() for value in values], grads


def assert_same_as_torch(program):
    ours, theirs = outcome(ag, program), outcome(torch, program)
    assert len(ours[0]) == len(theirs[0])
    for mine, expected in zip(ours[0], theirs[0]):
        np.testing.assert_allclose(mine, expected, rtol=1e-12)
    for mine, expected in zip(ours[1], theirs[1]):
        assert (mine is None) == (expected is None)
        if mine is not None:
            np.testing.assert_allclose(mine, expected, rtol=1e-12)


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize("view", list(VIEWS))
def test_a_write_through_a_view_of_a_recorded_tensor(view, write):
    def program(lib, x, w):
        y = x * w
        v = VIEWS[view](y)
        WRITES[write](v, w)
        return (y, v), (y * y).sum() + (v * v.detach()).sum()

    assert_same_as_torch(program)


@pytest.mark.parametrize("view", list(VIEWS))
def test_a_grad_value_written_through_a_view_of_a_plain_tensor(view):
    def program(lib, x, w):
        b = lib.arange(6, dtype=lib.float64)
        v = VIEWS[view](b)
        v.mul_(w[: v.numel()].reshape(v.shape))
        return (b, v), (b * b).sum() + v.sum()

    assert_same_as_torch(program)


def test_live_views_take_the_new_graph_of_their_base():
    def program(lib, x, w):
        y = x * 1.0
        rows = y.view(2, 3)
        column = rows[:, 1]
        tail = y[3:]
        column.mul_(w[:2])  # y, rows and tail read the new graph; column has its own
        y.add_(w)  # a write into the base itself: every view retakes its graph
        loss = (rows * rows).sum() + column.sum() * 3.0 + (tail * w[3:]).sum()
        return (y, rows, column, tail), loss

    assert_same_as_torch(program)


def test_a_view_taken_before_its_base_was_written_reads_the_new_graph():
    def program(lib, x, w):
        y = x * 1.0
        view = y[1:]
        earlier = y[2:].exp()  # computed from the old values: its graph stays the old one
        y.mul_(2.0)
        return (view, earlier), view.sum() + earlier.sum()

    assert_same_as_torch(program)


def test_a_plain_tensor_with_live_views_written_with_a_grad_value():
    def program(lib, x, w):
        b = lib.zeros(6, dtype=lib.float64)
        view = b.reshape(2, 3)
        b.add_(x)  # view now depends on x too
        return (b, view), (view * view).sum()

    assert_same_as_torch(program)


def test_retain_grad_on_a_view_written_through_another():
    def program(lib, x, w):
        y = x * 1.0
        head = y[:3]
        head.retain_grad()
        y[1:4].mul_(w[:3])
        (head * head).sum().backward(retain_graph=True)
        return (head.grad,), (y * 1.0).sum()

    assert_same_as_torch(program)


def test_a_write_under_no_grad_through_a_view_is_not_recorded():
    def program(lib, x, w):
        y = x * 1.0
        with lib.no_grad():
            y.view(2, 3)[0].fill_(4.0)
        return (y,), (y * y).sum()

    assert_same_as_torch(program)


EXPANDED_FILLS = {  # a fill of an expanded view of y, and the same write into y itself
    "zero_": ("v.zero_()", "y.zero_()"),
    "fill_": ("v.fill_(2.0)", "y.fill_(2.0)"),
    "setitem row": ("v[1] = 5.0", "y[...] = 5.0"),
    "setitem element": ("v[1, 0] = 7.0", "y[0] = 7.0"),
    "setitem advanced": ("v[[0, 1], 2] = 7.0", "y[2] = 7.0"),
    "view of it": ("v.t()[2:].fill_(-1.0)", "y[2] = -1.0"),
}


@pytest.mark.filterwarnings("ignore:Use of index_put_ on expanded tensors is deprecated")
@pytest.mark.parametrize("case", list(EXPANDED_FILLS))
def test_a_number_filled_into_an_expanded_view(case):
    """PyTorch allows a number written into memory that elements share. Into a plain
    tensor: as PyTorch. Into a recorded one: PyTorch's backward then refuses (its AsStrided
    backward); chainrule's gradients are those of the same write into the base."""
    write, into_base = EXPANDED_FILLS[case]
    for lib in (ag, torch):
        y = lib.arange(3, dtype=lib.float64)
        v = y.expand(2, 3)
        exec(write, {"y": y, "v": v})
        expected = lib.arange(3, dtype=lib.float64)
        exec(into_base, {"y": expected})
        assert y.tolist() == expected.tolist() and v.tolist() == [expected.tolist()] * 2

    def program(lib, x, w, through_view):
        y = x[:3] * w[:3]
        if through_view:
            v = y.expand(2, 3)
            exec(write, {"y": y, "v": v})
        else:  # the view taken after the write: PyTorch differentiates that
            exec(into_base, {"y": y})
            v = y.expand(2, 3)
        return (y, v), (y * y).sum() + (v * w[3:]).sum()

    ours = outcome(ag, lambda lib, x, w: program(lib, x, w, True))
    theirs = outcome(torch, lambda lib, x, w: program(lib, x, w, False))
    assert ours == theirs


EXPANDED_WRITES = [  # writes into elements of an expanded view that do not share memory
    "v[1] = lib.full((3,), 2.0, dtype=lib.float64)",
    "v[[1, 0]] = lib.arange(6.0, dtype=lib.float64).reshape(2, 3)",  # advanced: last wins
    "v[1] += 1.0",
    "v[0, 1] = lib.tensor(4.0, dtype=lib.float64)",
    "v.t()[:, 1].mul_(3.0)",
]


@pytest.mark.filterwarnings("ignore:Use of index_put_ on expanded tensors is deprecated")
@pytest.mark.parametrize("write", EXPANDED_WRITES)
def test_writes_into_an_expanded_view_where_pytorch_allows_them(write):
    results = []
    for lib in (ag, torch):
        y = lib.arange(1.0, 4.0, dtype=lib.float64)
        v = y.expand(2, 3)
        exec(write, {"lib": lib, "v": v})
        results.append((y.tolist(), v.tolist()))
    assert results[0] == results[1]

    def program(lib, x, w):
        y = x[:3] * w[:3]
        v = y.expand(2, 3)
        v[1] += w[3:]
        return (y, v), (y * y).sum() + (v * w[3:]).sum()

    assert_same_as_torch(program)


REFUSALS = {
    "view of a leaf": (
        lambda lib, x: x.view(2, 3).mul_(2.0),
        "a view of a leaf Variable that requires grad is being used in an in-place operation",
    ),
    "no_grad view of a recorded tensor": (
        lambda lib, x: _no_grad_view(lib, x * 1.0).mul_(2.0),
        "A view was created in no_grad mode and is being modified inplace",
    ),
    "no_grad view of a plain tensor, grad value": (
        lambda lib, x: _no_grad_view(lib, lib.zeros(6, dtype=lib.float64)).add_(x[1:]),
        "A view was created in no_grad mode and is being modified inplace",
    ),
    "view of a no_grad view": (
        lambda lib, x: _no_grad_view(lib, x * 1.0).view(5, 1).mul_(2.0),
        "created in no_grad mode and is being modified inplace",
    ),
    "expanded view": (
        lambda lib, x: (x * 1.0)[:1].expand(4).add_(1.0),
        "more than one element of the written-to tensor refers to a single memory location",
    ),
    "number into shared memory by a basic index": (
        lambda lib, x: lib.zeros(3).expand(2, 3).__setitem__((slice(None), 0), 7.0),
        "more than one element of the written-to tensor refers to a single memory location",
    ),
}


MULTIPLE_OUTPUTS = {
    "split": lambda y: y.split(4)[1],
    "chunk of a transpose": lambda y: y.view(3, 2).t().chunk(2)[1],
    "unbind": lambda y: y.view(2, 3).unbind(1)[2],
    "view of an unbind output": lambda y: y.view(2, 3).unbind(0)[1].view(3, 1),
}


@pytest.mark.parametrize("view", list(MULTIPLE_OUTPUTS))
def test_outputs_of_split_chunk_unbind_refuse_recorded_writes_as_in_pytorch(view):
    written = []
    for lib in (ag, torch):
        x, w = leaves(lib)
        plain = lib.arange(6, dtype=lib.float64)
        for base, value in ((x * 1.0, 2.0), (plain, w[0])):
            with pytest.raises(RuntimeError, match="is being modified inplace"):
                MULTIPLE_OUTPUTS[view](base).mul_(value)
        MULTIPLE_OUTPUTS[view](plain).mul_(-1.0)  # nothing recorded: written
        y = x * 1.0
        with lib.no_grad():
            MULTIPLE_OUTPUTS[view](y).mul_(-1.0)
        written.append((plain.tolist(), y.tolist()))
    assert written[0] == written[1]
    assert written[0][0] != list(range(6))


def test_a_result_that_does_not_fit_a_view_of_an_expanded_view_is_refused():
    for lib in (ag, torch):
        row = lib.zeros(3).expand(2, 3)[1]
        with pytest.raises(RuntimeError, match=r"output with shape \[3\] doesn't match"):
            row.add_(lib.ones(2, 3))


def _no_grad_view(lib, tensor):
    with lib.no_grad():
        return tensor[1:]


@pytest.mark.parametrize("case", list(REFUSALS))
def test_pytorchs_refusals(case):
    write, message = REFUSALS[case]
    for lib in (ag, torch):
        x, _ = leaves(lib)
        with pytest.raises(RuntimeError, match=message):
            write(lib, x)


def test_a_number_filled_into_an_expanded_view_of_a_0d_tensor():
    for lib in (ag, torch):
        y = lib.tensor(2.0, dtype=lib.float64)
        y.expand(2, 3).fill_(5.0)
        assert y.item() == 5.0


def test_no_grad_view_of_a_plain_tensor_with_a_plain_value_is_written():
    for lib in (ag, torch):
        b = lib.zeros(3, dtype=lib.float64)
        _no_grad_view(lib, b).add_(1.0)
        assert b.tolist() == [0.0, 1.0, 1.0]


IDENTITY_VIEWS = {
    "reshape": lambda y: y.reshape(2, 3),
    "view": lambda y: y.view(2, 3),
    "view_as": lambda y: y.view_as(y),
    "permute": lambda y: y.permute(0, 1),
    "transpose": lambda y: y.transpose(1, 1),
    "squeeze": lambda y: y.squeeze(),
    "expand": lambda y: y.expand(2, 3),
    "t of a row": lambda y: y[0].t(),
    "unflatten": lambda y: y.unflatten(1, (3,)),
}


@pytest.mark.parametrize("name", list(IDENTITY_VIEWS))
def test_a_view_that_changes_nothing_is_a_new_view_as_in_pytorch(name):
    """Not the tensor itself: hooks, retain_grad and writes through it behave as on any
    view (flatten and contiguous do return the tensor itself, in both libraries)."""
    for lib in (ag, torch):
        x, w = leaves(lib)
        y = (x * w).reshape(2, 3)
        view = IDENTITY_VIEWS[name](y)
        assert view is not y and view.grad_fn is not y.grad_fn
        assert y.flatten(1) is y and y.contiguous() is y

    def program(lib, x, w):
        y = (x * w).reshape(2, 3)
        view = IDENTITY_VIEWS[name](y)
        view.retain_grad()
        view.mul_(2.0)  # recorded in y's graph
        (view * view).sum().backward(retain_graph=True)
        return (y, view, view.grad), (y * y).sum()

    assert_same_as_torch(program)


# ``x[i] += v`` ends with ``x[i] = <the view x[i]>``: a write of a view back over its own
# elements, which changes no value and is not recorded (ops.setitem); the gradients, the
# retained gradients and the refusals must stay PyTorch's.
def _add_in_a_loop(lib, w, y):
    for t in range(3):
        y[t] += w[t]  # y[t].add_(w[t]), then y[t] = <that view>


def _multiply_the_last_row(lib, w, y):
    y[-2:] *= w[:2]


def _write_a_view_back(lib, w, y):
    y[1:4] = y[1:4].mul_(w[:3])


def _write_an_untouched_view_back(lib, w, y):
    y[..., 2:] = y[2:]


SELF_WRITES = {
    "+= in a loop": _add_in_a_loop,
    "*= on a negative index": _multiply_the_last_row,
    "a written view back": _write_a_view_back,
    "an untouched view back": _write_an_untouched_view_back,
}


@pytest.mark.parametrize("write", list(SELF_WRITES))
def test_a_view_written_back_over_its_own_elements(write):
    def program(lib, x, w):
        y = x * w
        head = y[:2]  # a live view of y: its graph follows y's
        SELF_WRITES[write](lib, w, y)
        return (y, head), (y * y).sum() + (head * w[:2]).sum()

    assert_same_as_torch(program)


def test_the_buffer_loop_out_t_plus_equals_h():
    def program(lib, x, w):
        out = lib.zeros(4, 6, dtype=lib.float64)
        for t in range(4):
            out[t] = x * float(t)
            out[t] += w * x
        return (out,), (out * out).sum()

    assert_same_as_torch(program)


def test_a_retained_view_written_back_keeps_its_gradient():
    def program(lib, x, w):
        y = x * 1.0
        v = y[1:4]
        v.retain_grad()
        v.mul_(w[:3])
        y[1:4] = v  # v gets y's new graph, as in PyTorch: its .grad is of its own uses
        (y.sum() * 2.0 + (v * v).sum()).backward(retain_graph=True)
        return (y, v.grad), (y * w).sum()

    assert_same_as_torch(program)


def test_a_view_written_back_is_a_write_to_tensors_saved_for_backward():
    for lib in (ag, torch):
        x, w = leaves(lib)
        y = x * w
        z = y * y  # saves y
        y[1:3] = y[1:3]
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            z.sum().backward()


def test_a_view_of_a_leaf_written_back_is_refused():
    for lib in (ag, torch):
        x, _ = leaves(lib)
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            x[1:3] = x[1:3]


def test_a_view_from_no_grad_written_back_replaces_the_elements():
    def program(lib, x, w):
        y = x * w
        with lib.no_grad():
            v = y[2:5]
        y[2:5] = v  # v carries no graph: y's elements there become constants
        return (y,), (y * y).sum()

    assert_same_as_torch(program)


def test_x_i_plus_equals_v_records_one_write_not_two():
    x, w = leaves(ag)
    out = ag.zeros(2, 6, dtype=ag.float64)
    out[0] = x * 1.0
    out[0] += w  # the add_ through out[0], written into out; then out[0] = out[0]: skipped
    write = out.grad_fn
    assert write.name() == "IndexPutBackward"
    assert write.next_functions[1][0].name() == "AddBackward"  # the value written: out[0] + w
    assert write.next_functions[0][0].next_functions[0][0] is None  # then the first write
