"""In-place ops: the version counter, modified saved tensors caught at backward, leaves,
recorded in-place ops on non-leaves, optimizer-style updates, and their errors."""

import numpy as np
import pytest

import autograd as ag


def version(tensor):
    return tensor._version_number


INPLACE_STEPS = [
    lambda t: t.add_(1.0),
    lambda t: t.sub_(0.5),
    lambda t: t.mul_(2.0),
    lambda t: t.div_(4.0),
    lambda t: t.add_(ag.ones(3), alpha=2),
    lambda t: t.sub_(ag.ones(1), alpha=3),
    lambda t: t.pow_(2),
    lambda t: t.clamp_(min=0.5),
    lambda t: t.relu_(),
    lambda t: t.__iadd__(1),
    lambda t: t.__isub__(ag.ones(3)),
    lambda t: t.__imul__(3),
    lambda t: t.__itruediv__(2),
]


def test_version_counter_increments_on_every_inplace_op():
    t = ag.tensor([1.0, 2.0, 3.0])
    expected = t.data.copy()
    references = [
        lambda a: a + 1.0,
        lambda a: a - 0.5,
        lambda a: a * 2.0,
        lambda a: a / 4.0,
        lambda a: a + 2,
        lambda a: a - 3,
        lambda a: a**2,
        lambda a: np.maximum(a, 0.5),
        lambda a: np.maximum(a, 0),
        lambda a: a + 1,
        lambda a: a - 1,
        lambda a: a * 3,
        lambda a: a / 2,
    ]
    assert version(t) == 0
    for count, (step, reference) in enumerate(zip(INPLACE_STEPS, references), start=1):
        data = t.data
        assert step(t) is t
        assert t.data is data, "an in-place op must write into the same array"
        expected = reference(expected).astype(np.float32)
        np.testing.assert_allclose(t.data, expected, rtol=1e-6)
        assert version(t) == count


def test_augmented_assignment_keeps_the_same_tensor():
    t = ag.tensor([1.0, 2.0])
    alias = t
    t += 1
    t *= 2
    assert t is alias and t.tolist() == [4.0, 6.0] and version(t) == 2


SAVED_AND_MODIFIED = {
    "exp output": (lambda x: x.exp(), lambda y: y, "ExpBackward"),
    "tanh output": (lambda x: x.tanh(), lambda y: y, "TanhBackward"),
    "log input": (lambda x: x * 1.0, lambda y: y.log(), "LogBackward"),
    "mul input": (lambda x: x * 2.0, lambda y: y * y, "MulBackward"),
    "div input": (lambda x: x + 1.0, lambda y: 1.0 / y, "DivBackward"),
}


@pytest.mark.parametrize("case", list(SAVED_AND_MODIFIED))
def test_modifying_a_saved_tensor_raises_at_backward_naming_the_op(case):
    make, use, op_name = SAVED_AND_MODIFIED[case]
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = make(x)
    out = use(y)
    y.add_(1)
    with pytest.raises(RuntimeError, match=rf"modified by an inplace operation.*{op_name}"):
        out.sum().backward()


def test_modifying_a_saved_constant_raises_at_backward():
    torch = pytest.importorskip("torch")
    for lib in (ag, torch):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        weight = lib.tensor([3.0, 4.0])
        out = (x * weight).sum()
        weight.add_(1)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            out.backward()


def test_modifying_an_unsaved_tensor_is_fine():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x + 1.0  # Add saves nothing
    out = (y + 2.0).sum()
    y.mul_(5.0)
    out.backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 1.0])


def test_modifying_a_saved_tensor_through_a_view_raises():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.exp()
    with ag.no_grad():
        y.reshape(3, 1).add_(1)
    with pytest.raises(RuntimeError, match="ExpBackward"):
        y.sum().backward()


SAVED_OUTPUT_WRITES = {
    # the node keeps its output as a bare array until the output gets a version counter
    "detached": lambda y: y.detach().add_(1),
    "view taken after the save": lambda y: y.reshape(3, 1).add_(1),
    "setitem": lambda y: y.__setitem__(0, 5.0),
    "twice": lambda y: (y.mul_(2), y.mul_(2)),
}


@pytest.mark.parametrize("case", list(SAVED_OUTPUT_WRITES))
def test_a_write_to_a_saved_output_after_the_save_raises_as_in_torch(case):
    torch = pytest.importorskip("torch")
    for lib in (ag, torch):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x.exp()
        loss = y.sum()
        with lib.no_grad():
            SAVED_OUTPUT_WRITES[case](y)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            loss.backward()


def test_a_saved_output_read_after_a_harmless_counter_is_still_checked():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x.tanh()
    loss = (y * 3.0).sum()
    y.detach()  # makes y's counter (the node now keeps an alias sharing it); no write
    loss.backward(retain_graph=True)
    np.testing.assert_allclose(x.grad.data, 3.0 * (1 - np.tanh([1.0, 2.0]) ** 2), rtol=1e-6)
    with ag.no_grad():
        y.add_(1)
    with pytest.raises(RuntimeError, match="TanhBackward"):
        loss.backward()


def test_a_saved_second_output_written_in_place_raises():
    class SplitExp(ag.Function):
        """(a, b) = (x, exp(x)); dx = ga + gb * b: saves its second output"""

        @staticmethod
        def forward(ctx, x):
            a, b = ag.tensor(x.data.copy()), ag.tensor(np.exp(x.data))
            ctx.save_for_backward(b)
            return a, b

        @staticmethod
        def backward(ctx, grad_a, grad_b):
            (b,) = ctx.saved_tensors
            return grad_a + grad_b * b

    x = ag.tensor([0.0, 1.0], requires_grad=True)
    a, b = SplitExp.apply(x)
    (a + b).sum().backward(retain_graph=True)
    np.testing.assert_allclose(x.grad.data, 1 + np.exp([0.0, 1.0]))
    with ag.no_grad():
        a.add_(1)  # the first output, not saved: still fine
    (a + b).sum().backward(retain_graph=True)
    with ag.no_grad():
        b.add_(1)
    with pytest.raises(RuntimeError, match="SplitExpBackward"):
        (a + b).sum().backward()


@pytest.mark.parametrize(
    "make_view",
    [
        lambda y: y.view(2, 2),
        lambda y: y.reshape(2, 2),
        lambda y: y.view(2, 2).t(),
        lambda y: y[1:],
        lambda y: y.unsqueeze(0),
    ],
    ids=["view", "reshape", "transpose", "slice", "unsqueeze"],
)
def test_a_view_taken_before_the_save_shares_the_version_counter(make_view):
    x = ag.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    y = x * 2
    view = make_view(y)  # y has no version counter yet: the view must share the one made
    loss = (y * y).sum()  # MulBackward saves y
    view.add_(1)  # recorded in y's graph as well; MulBackward's saved y is gone
    with pytest.raises(RuntimeError, match=r"modified by an inplace operation.*MulBackward"):
        loss.backward()


def test_inplace_on_a_leaf_that_requires_grad_raises():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    for step in (lambda: x.add_(1), lambda: x.mul_(2)):
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            step()
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        x += 1
    assert x.tolist() == [1.0, 2.0] and version(x) == 0


def test_optimizer_style_update_under_no_grad():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    with ag.no_grad():
        x -= 0.25 * x.grad
        x += 1
        x.mul_(2.0)
    assert x.is_leaf and x.requires_grad and x.grad_fn is None
    np.testing.assert_allclose(x.data, [3.0, 4.0])
    assert version(x) == 3
    (x * 1.0).sum().backward()
    np.testing.assert_allclose(x.grad.data, [3.0, 5.0])


RECORDED = {
    "mul_": lambda lib, x, w: (x * 2).mul_(3),
    "add_ tensor": lambda lib, x, w: (x * 1.0).add_(w),
    "add_ alpha": lambda lib, x, w: (x * x).add_(w, alpha=-2.0),
    "sub_ then div_": lambda lib, x, w: (x.exp() * 1.0).sub_(w).div_(x + 3.0),
    "pow_": lambda lib, x, w: (x + 1.0).pow_(3),
    "clamp_": lambda lib, x, w: (x * w).clamp_(-0.4, 0.6),
    "relu_ after matmul": lambda lib, x, w: (x.reshape(3, 1) @ w.reshape(1, 3)).relu_(),
    "chain": lambda lib, x, w: _chain(x, w),
    "iadd then reuse": lambda lib, x, w: _iadd_then_reuse(x, w),
}


def _chain(x, w):
    y = x * w
    y += x
    y *= w
    y /= 2.0
    return y.tanh()


def _iadd_then_reuse(x, w):
    y = x * 1.0
    z = y * w  # saves y at version 0
    y = x * 2.0
    y += w
    return z + y


@pytest.mark.parametrize("case", list(RECORDED))
def test_recorded_inplace_ops_on_non_leaves_match_torch(case):
    torch = pytest.importorskip("torch")
    make = RECORDED[case]
    values, weights = [0.5, -1.0, 2.0], [1.5, 0.25, -0.5]
    x = ag.tensor(values, dtype=ag.float64, requires_grad=True)
    w = ag.tensor(weights, dtype=ag.float64, requires_grad=True)
    tx = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    tw = torch.tensor(weights, dtype=torch.float64, requires_grad=True)
    out, tout = make(ag, x, w), make(torch, tx, tw)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-12)
    out.sum().backward()
    tout.sum().backward()
    for ours, theirs in ((x, tx), (w, tw)):
        if theirs.grad is None:
            assert ours.grad is None
        else:
            np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-12)


def test_recorded_inplace_op_rebases_the_grad_fn():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    first = y.grad_fn
    y.mul_(3)
    assert y.grad_fn is not first and y.grad_fn.name() == "MulBackward"
    assert y.tolist() == [6.0, 12.0]
    y.sum().backward()
    assert x.grad.tolist() == [6.0, 6.0]


def test_inplace_with_a_tensor_that_requires_grad_records_on_a_plain_tensor():
    w = ag.tensor([2.0, 3.0], requires_grad=True)
    y = ag.ones(2)
    y.mul_(w)
    assert y.requires_grad and not y.is_leaf
    (y * y).sum().backward()
    np.testing.assert_allclose(w.grad.data, [4.0, 6.0])


def test_integer_tensor_plus_float_in_place_raises():
    t = ag.tensor([1, 2])
    with pytest.raises(RuntimeError, match="can't be cast"):
        t += 1.5
    with pytest.raises(RuntimeError, match="can't be cast"):
        t.mul_(ag.tensor([0.5, 0.5]))
    assert t.tolist() == [1, 2] and t.dtype == ag.int64
    t += 2
    assert t.tolist() == [3, 4]


def test_float32_tensor_plus_float64_in_place_keeps_float32():
    t = ag.tensor([1.0, 2.0])
    t += ag.tensor([0.5, 0.5], dtype=ag.float64)
    assert t.dtype == ag.float32 and t.tolist() == [1.5, 2.5]


def test_inplace_shape_mismatch_raises_naming_both_shapes():
    t = ag.zeros(3)
    with pytest.raises(RuntimeError, match=r"\[3\].*\[2, 3\]"):
        t += ag.ones(2, 3)
    with pytest.raises(RuntimeError, match=r"\(3,\).*\(4,\)"):
        t.add_(ag.ones(4))
    broadcast_ok = ag.zeros(2, 3)
    broadcast_ok += ag.ones(3)
    assert broadcast_ok.tolist() == [[1.0] * 3] * 2


def test_inplace_on_an_expanded_view_raises():
    expanded = ag.zeros(1, 3).expand(4, 3)
    with pytest.raises(RuntimeError, match="expanded"):
        expanded.add_(1)


def test_fill_zero_copy_and_setitem_bump_the_version():
    t = ag.tensor([1.0, 2.0, 3.0])
    t.fill_(4.0)
    assert t.tolist() == [4.0, 4.0, 4.0] and version(t) == 1
    t[1] = 0.5
    assert t.tolist() == [4.0, 0.5, 4.0] and version(t) == 2
    t.copy_(ag.tensor([7.0, 8.0, 9.0], dtype=ag.float64))
    assert t.tolist() == [7.0, 8.0, 9.0] and t.dtype == ag.float32 and version(t) == 3
    t.zero_()
    assert t.tolist() == [0.0, 0.0, 0.0] and version(t) == 4


def test_recorded_setitem_on_a_non_leaf_matches_torch():
    torch = pytest.importorskip("torch")

    def run(lib):
        x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=lib.float64, requires_grad=True)
        w = lib.tensor([5.0, -6.0], dtype=lib.float64, requires_grad=True)
        y = x * 2.0
        y[0] = w * w
        (y * y).sum().backward()
        return y.tolist(), x.grad.tolist(), w.grad.tolist()

    assert run(ag) == run(torch)


# ---- retain_grad --------------------------------------------------------------------------------


def test_retain_grad_then_inplace_gives_the_new_values_grad():
    torch = pytest.importorskip("torch")
    grads = []
    for lib in (ag, torch):
        x = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64, requires_grad=True)
        y = x * 1.0
        y.retain_grad()
        y.mul_(2.0)
        (y * y).sum().backward()
        grads.append(y.grad.detach().numpy())
        z = x * 1.0
        z.retain_grad()
        z.add_(1.0)
        x.sum().backward()  # z's new value is not used: no gradient
        assert z.grad is None
    np.testing.assert_allclose(grads[0], grads[1])
