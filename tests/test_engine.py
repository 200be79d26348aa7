"""The backward engine: accumulation, diamonds, broadcast reduction, errors, freeing,
long chains, ``ag.grad``, graph structure, and NaN/inf propagation."""

import gc
import time
import warnings
import weakref

import numpy as np
import pytest

import autograd as ag


def leaf(values, dtype=ag.float64):
    return ag.tensor(values, dtype=dtype, requires_grad=True)


def torch_leaf(torch, values, dtype="float64"):
    return torch.tensor(values, dtype=getattr(torch, dtype), requires_grad=True)


def assert_grad_like_torch(ours, theirs):
    assert ours.grad is not None and theirs.grad is not None
    assert ours.grad.shape == tuple(theirs.grad.shape)
    assert str(ours.grad.dtype) == str(theirs.grad.dtype).removeprefix("torch.")
    np.testing.assert_allclose(ours.grad.data, theirs.grad.numpy(), rtol=1e-6, atol=1e-7)


# ---- accumulation and graph shapes ----------------------------------------------------------


def test_grad_accumulates_across_backward_calls():
    x = leaf([1.0, 2.0, 3.0])
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 4.0, 6.0])
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [5.0, 7.0, 9.0])
    x.grad = None
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0, 3.0])


def test_leaf_used_twice_in_one_op_gets_both_gradients():
    x = leaf([1.5, -2.0])
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, -4.0])


def test_diamond_graph_matches_torch():
    torch = pytest.importorskip("torch")
    values = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]

    def diamond(lib, x):
        a = lib.exp(x) * 2.0
        b = lib.tanh(x) - x * x
        c = a * b + a / (b + 3.0)
        return (c * x).sum()

    x = leaf(values)
    tx = torch_leaf(torch, values)
    diamond(ag, x).backward()
    diamond(torch, tx).backward()
    assert_grad_like_torch(x, tx)


def test_intermediate_shared_by_many_consumers_matches_torch():
    torch = pytest.importorskip("torch")

    def fan(lib, x):
        h = lib.tanh(x * 0.5)
        outs = [h * k for k in range(1, 6)]
        total = outs[0]
        for out in outs[1:]:
            total = total + out * h
        return total.sum()

    x = leaf([0.1, 0.2, -0.3])
    tx = torch_leaf(torch, [0.1, 0.2, -0.3])
    fan(ag, x).backward()
    fan(torch, tx).backward()
    assert_grad_like_torch(x, tx)


BROADCAST_SHAPES = [
    ((3, 1), (1, 4)),
    ((4,), (2, 3, 4)),
    ((), (2, 3)),
    ((2, 3), ()),
    ((1,), (3,)),
    ((2, 1, 4), (3, 1)),
    ((1, 1), (5,)),
]


@pytest.mark.parametrize(("shape_a", "shape_b"), BROADCAST_SHAPES)
@pytest.mark.parametrize("op", ["add", "sub", "mul", "div"])
def test_broadcast_gradients_are_reduced_to_each_input_shape(shape_a, shape_b, op):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    a_values = rng.uniform(0.5, 2.0, shape_a)
    b_values = rng.uniform(0.5, 2.0, shape_b)
    a, b = leaf(a_values), leaf(b_values)
    ta, tb = torch_leaf(torch, a_values), torch_leaf(torch, b_values)
    out = getattr(ag, op)(a, b)
    tout = getattr(torch, op)(ta, tb)
    weights = rng.normal(size=tout.shape)
    (out * ag.tensor(weights)).sum().backward()
    (tout * torch.tensor(weights)).sum().backward()
    assert a.grad.shape == shape_a and b.grad.shape == shape_b
    assert_grad_like_torch(a, ta)
    assert_grad_like_torch(b, tb)


def test_broadcast_gradient_keeps_each_input_dtype():
    torch = pytest.importorskip("torch")
    a = leaf([[1.0, 2.0], [3.0, 4.0]], dtype=ag.float32)
    b = leaf(0.5, dtype=ag.float64)
    ta = torch_leaf(torch, [[1.0, 2.0], [3.0, 4.0]], "float32")
    tb = torch_leaf(torch, 0.5, "float64")
    out, tout = a * b, ta * tb
    assert str(out.dtype) == str(tout.dtype).removeprefix("torch.")
    out.sum().backward()
    tout.sum().backward()
    assert_grad_like_torch(a, ta)
    assert_grad_like_torch(b, tb)


# ---- errors -------------------------------------------------------------------------------


def test_backward_of_non_scalar_without_gradient_raises():
    y = leaf([1.0, 2.0]) * 2
    with pytest.raises(RuntimeError, match=r"scalar outputs.*\(2,\)"):
        y.backward()


def test_backward_with_gradient_of_wrong_shape_names_both_shapes():
    y = leaf([[1.0, 2.0, 3.0]]) * 2
    with pytest.raises(RuntimeError, match=r"\(3,\).*\(1, 3\)"):
        y.backward(ag.ones(3))


def test_backward_with_gradient_of_right_shape_weights_the_output():
    x = leaf([1.0, 2.0])
    (x * x).backward(ag.tensor([1.0, 10.0], dtype=ag.float64))
    np.testing.assert_array_equal(x.grad.data, [2.0, 40.0])


def test_backward_of_a_tensor_without_grad_raises():
    with pytest.raises(RuntimeError, match="does not require grad"):
        ag.tensor([1.0]).sum().backward()


def test_second_backward_through_freed_graph_says_retain_graph():
    x = leaf([1.0, 2.0])
    loss = (x.exp() * x).sum()
    loss.backward()
    with pytest.raises(RuntimeError, match=r"retain_graph=True"):
        loss.backward()


def test_retain_graph_allows_a_second_backward():
    x = leaf([1.0, 2.0])
    loss = (x.exp() * x).sum()
    loss.backward(retain_graph=True)
    first = x.grad.data.copy()
    loss.backward()
    np.testing.assert_allclose(x.grad.data, 2 * first)


def test_saved_tensors_are_released_after_backward():
    x = leaf([1.0, 2.0])
    y = x.exp()
    y.sum().backward()
    assert y.grad_fn._saved is None
    y = x.exp()
    y.sum().backward(retain_graph=True)
    assert y.grad_fn._saved is not None


@pytest.mark.parametrize("retain_graph", [False, True])
def test_saved_intermediate_array_is_freed_by_backward(retain_graph):
    x = leaf([1.0, 2.0, 3.0])
    hidden = x * 3.0
    array = weakref.ref(hidden.data)
    loss = (hidden * hidden).sum()  # MulBackward saves `hidden`
    del hidden
    gc.collect()
    assert array() is not None, "the graph should keep the saved array until backward"
    loss.backward(retain_graph=retain_graph)
    assert (array() is not None) == retain_graph
    np.testing.assert_allclose(x.grad.data, [18.0, 36.0, 54.0])


def _chain_backward_seconds(length):
    x = leaf(0.5)
    y = x
    for _ in range(length):
        y = y + 1.0
    start = time.perf_counter()
    y.backward()
    elapsed = time.perf_counter() - start
    assert x.grad.item() == 1.0
    return elapsed


def test_long_chain_backprops_without_recursion_error_in_linear_time():
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        short = min(_chain_backward_seconds(20_000) for _ in range(3))
        long = min(_chain_backward_seconds(100_000) for _ in range(3))
    finally:
        if gc_was_enabled:
            gc.enable()
    # Linear time gives a ratio near 5 and quadratic time about 25; 12 sits between them
    # (geometrically) with room for timer noise.
    assert long / short < 12, f"20k chain {short:.3f}s, 100k chain {long:.3f}s"


def test_long_chain_of_mixed_ops_matches_closed_form():
    x = leaf([0.3])
    y = x
    for _ in range(5_000):
        y = (y * 1.0).tanh() + 0.0
    y.sum().backward()
    value = 0.3
    grad = 1.0
    for _ in range(5_000):
        value = np.tanh(value)
        grad *= 1 - value * value
    np.testing.assert_allclose(x.grad.item(), grad, rtol=1e-9)


# ---- ag.grad ------------------------------------------------------------------------------


def test_grad_returns_gradients_without_touching_dot_grad():
    torch = pytest.importorskip("torch")
    x, w = leaf([1.0, 2.0]), leaf([0.5, -1.5])
    tx, tw = torch_leaf(torch, [1.0, 2.0]), torch_leaf(torch, [0.5, -1.5])
    dx, dw = ag.grad((x * w).exp().sum(), (x, w))
    tdx, tdw = torch.autograd.grad((tx * tw).exp().sum(), (tx, tw))
    assert x.grad is None and w.grad is None
    np.testing.assert_allclose(dx.data, tdx.numpy())
    np.testing.assert_allclose(dw.data, tdw.numpy())


def test_grad_with_respect_to_an_intermediate():
    x = leaf([1.0, 2.0])
    hidden = x * 3.0
    (dh,) = ag.grad((hidden * hidden).sum(), hidden)
    np.testing.assert_allclose(dh.data, [6.0, 12.0])
    assert x.grad is None


def test_grad_with_grad_outputs():
    x = leaf([1.0, 2.0])
    (dx,) = ag.grad(x * x, x, grad_outputs=ag.tensor([1.0, -1.0], dtype=ag.float64))
    np.testing.assert_allclose(dx.data, [2.0, -4.0])


def test_grad_of_unused_input_raises_unless_allowed():
    x, unused = leaf([1.0]), leaf([2.0])
    with pytest.raises(RuntimeError, match="allow_unused=True"):
        ag.grad((x * 2).sum(), (x, unused))
    dx, dunused = ag.grad((x * 2).sum(), (x, unused), allow_unused=True)
    np.testing.assert_allclose(dx.data, [2.0])
    assert dunused is None


def test_grad_with_respect_to_an_input_that_does_not_require_grad_raises():
    x = leaf([1.0])
    constant = ag.tensor([2.0])
    with pytest.raises(RuntimeError, match="does not require grad"):
        ag.grad((x * constant).sum(), (x, constant))


# ---- graph structure ----------------------------------------------------------------------


def test_grad_fn_names_match_torch_without_the_version_suffix():
    torch = pytest.importorskip("torch")
    x, tx = leaf([1.0, 2.0]), torch_leaf(torch, [1.0, 2.0])
    cases = {
        "add": lambda v: v + 1.0,
        "mul": lambda v: v * v,
        "div": lambda v: v / 2.0,
        "sub": lambda v: v - v,
        "neg": lambda v: -v,
        "exp": lambda v: v.exp(),
        "log": lambda v: v.log(),
        "tanh": lambda v: v.tanh(),
        "sum": lambda v: v.sum(),
        "expand": lambda v: v.expand(3, 2),
    }
    for name, fn in cases.items():
        ours, theirs = fn(x).grad_fn.name(), fn(tx).grad_fn.name()
        assert ours == theirs.rstrip("0123456789"), name


def test_leaves_have_no_grad_fn_and_results_do():
    x = leaf([1.0])
    y = x * 2
    assert x.is_leaf and x.grad_fn is None
    assert not y.is_leaf and y.grad_fn is not None
    assert "MulBackward" in repr(y.grad_fn)


def test_next_functions_follow_the_argument_order():
    x, w = leaf([1.0]), leaf([2.0])
    product = x * w
    out = product + 3.0
    ((node, output_nr), (constant, _)) = out.grad_fn.next_functions
    assert node is product.grad_fn and output_nr == 0
    assert constant is None
    (left, _), (right, _) = product.grad_fn.next_functions
    assert left is x and right is w
    without_grad = x * ag.tensor([2.0])
    assert without_grad.grad_fn.next_functions[1] == (None, 0)


# ---- NaN and inf --------------------------------------------------------------------------

SPECIAL = [np.nan, np.inf, -np.inf, 0.0, -1.0, 1e30, -1e30, 2.0]
SPECIAL_OPS = {
    "exp": (lambda t: t.exp(), np.exp),
    "log": (lambda t: t.log(), np.log),
    "tanh": (lambda t: t.tanh(), np.tanh),
    "neg": (lambda t: -t, np.negative),
    "mul_self": (lambda t: t * t, lambda a: a * a),
    "div_by_self": (lambda t: t / t, lambda a: a / a),
    "rdiv": (lambda t: 1.0 / t, lambda a: 1.0 / a),
    "add_inf": (lambda t: t + np.inf, lambda a: a + np.inf),
    "pow_half": (lambda t: t**0.5, lambda a: a**0.5),
    "rpow": (lambda t: 2.0**t, lambda a: 2.0**a),
    "sum": (lambda t: t.sum(), np.sum),
    "mean": (lambda t: t.mean(), np.mean),
    "sqrt": (lambda t: t.sqrt(), np.sqrt),
    "sigmoid": (lambda t: t.sigmoid(), lambda a: 1 / (1 + np.exp(-a))),
    "relu": (lambda t: t.relu(), lambda a: np.maximum(a, 0)),
    "matmul": (lambda t: t @ t, lambda a: a @ a),
}


@pytest.mark.parametrize("dtype", [ag.float32, ag.float64])
@pytest.mark.parametrize("name", list(SPECIAL_OPS))
def test_nan_and_inf_propagate_like_numpy_without_errors(name, dtype):
    fn, reference = SPECIAL_OPS[name]
    values = np.array(SPECIAL, dtype=dtype)
    with np.errstate(all="ignore"):
        expected = reference(values)
    x = ag.tensor(values, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy's own overflow/invalid notes
        out = fn(x)
        out.sum().backward()
    np.testing.assert_allclose(out.data, expected, rtol=1e-6)  # NaN and inf where NumPy has them
    assert out.dtype == dtype and x.grad.shape == values.shape


# ---- hooks and retain_grad ----------------------------------------------------------------


def _hooked_run(lib, retain_first):
    """Leaf and non-leaf hooks, a replacement, a removed hook, retain_grad, two backwards."""
    calls = []
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: calls.append(("leaf", g.tolist())))
    y = x * 2
    if retain_first:
        y.retain_grad()
    first = y.register_hook(lambda g: (calls.append(("first", g.tolist())), g * 10)[1])
    y.register_hook(lambda g: calls.append(("second", g.tolist())))
    if not retain_first:
        y.retain_grad()
    loss = (y * 3).sum()
    loss.backward(retain_graph=True)
    after_one = (y.grad.tolist(), x.grad.tolist())
    first.remove()
    loss.backward()
    return calls, after_one, y.grad.tolist(), x.grad.tolist()


@pytest.mark.parametrize("retain_first", [True, False])
def test_hooks_and_retain_grad_match_torch(retain_first):
    torch = pytest.importorskip("torch")
    assert _hooked_run(ag, retain_first) == _hooked_run(torch, retain_first)


def test_hooks_and_retain_grad_values():
    calls, after_one, y_grad, x_grad = _hooked_run(ag, retain_first=True)
    assert calls[:3] == [("first", [3.0, 3.0]), ("second", [30.0, 30.0]), ("leaf", [60.0, 60.0])]
    assert calls[3:] == [("second", [3.0, 3.0]), ("leaf", [6.0, 6.0])]
    assert after_one == ([30.0, 30.0], [60.0, 60.0])
    assert (y_grad, x_grad) == ([33.0, 33.0], [66.0, 66.0])


def test_leaf_hook_replacement_changes_the_accumulated_grad():
    x = leaf([1.0, 2.0])
    x.register_hook(lambda g: g * 0.5)
    (x * 4).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0])


def test_hook_sees_the_summed_gradient_of_a_tensor_used_twice():
    torch = pytest.importorskip("torch")

    def run(lib):
        seen = []
        x = lib.tensor([1.0, -1.0], requires_grad=True)
        y = x * 3
        y.register_hook(lambda g: seen.append(g.tolist()))
        (y * y + y.exp()).sum().backward()
        return seen, x.grad.tolist()

    ours, theirs = run(ag), run(torch)
    assert len(ours[0]) == 1
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-6)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-6)


def test_retain_grad_on_a_leaf_is_a_no_op_and_non_leaves_keep_no_grad_by_default():
    x = leaf([1.0])
    x.retain_grad()
    y = x * 2
    (y * 1.0).sum().backward()
    assert x.grad is not None and y.grad is None
    assert not y.retains_grad


def _retained_with_grad_and_inputs(lib):
    """Which .grad fields grad() and backward(inputs=) fill, for retained non-leaves on the
    path, retained captured inputs and captured non-leaves (each once)."""
    grad = lib.autograd.grad if lib is not ag else ag.grad
    x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
    y = x * 3.0
    y.retain_grad()
    z = y * 2.0
    z.retain_grad()
    grad((z * z).sum(), [x], retain_graph=True)  # y and z on the path: both get theirs
    found = [y.grad.tolist(), z.grad.tolist()]
    grad((z * z).sum(), [y])  # y is the input; z on the path
    found += [y.grad.tolist(), z.grad.tolist()]
    w = x * 1.0
    w.retain_grad()
    (w * 4.0).sum().backward(inputs=[w, x])  # w retained and captured: added once
    v = x * 1.0
    (v * 4.0).sum().backward(inputs=[v])  # a captured non-leaf gets .grad without retain_grad
    return [*found, w.grad.tolist(), x.grad.tolist(), v.grad.tolist()]


def test_grad_and_backward_inputs_fill_retained_gradients_as_torch():
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch: .grad of a non-leaf
        expected = _retained_with_grad_and_inputs(torch)
    assert _retained_with_grad_and_inputs(ag) == expected
    assert expected[4:] == [[4.0, 4.0], [4.0, 4.0], [4.0, 4.0]]


def test_hooks_and_retain_grad_refuse_tensors_without_grad():
    plain = ag.tensor([1.0])
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        plain.register_hook(lambda g: g)
    with pytest.raises(RuntimeError, match="requires_grad=False"):
        plain.retain_grad()


def test_a_gradient_passed_to_a_leaf_and_a_node_is_not_summed_into_twice():
    # Add's backward hands its incoming sum (y's consumers summed) to both x and y; y then
    # receives t's gradient too, and that sum must not be written into x's gradient.
    torch = pytest.importorskip("torch")

    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        t = y.sum()
        z = y + x
        (z.sum() + z.sum() + t).backward()
        return x.grad.tolist()

    assert run(ag) == run(torch) == [8.0, 8.0]


@pytest.mark.parametrize("op", ["gammainc", "gammaincc", "zeta"])
def test_grad_and_backward_inputs_compute_only_the_wanted_gradients(op):
    # these have no derivative in their first argument: asking for the second's alone works
    # in PyTorch (its ops compute only what leads to a captured input), and the first's raises
    torch = pytest.importorskip("torch")
    found = []
    for lib in (ag, torch):
        a = lib.tensor([2.5, 3.0], dtype=lib.float64, requires_grad=True)
        b = lib.tensor([1.5, 2.0], dtype=lib.float64, requires_grad=True)
        out = (getattr(lib.special, op)(a, b) * lib.tensor([1.0, 2.0], dtype=lib.float64)).sum()
        grad = lib.autograd.grad if lib is torch else ag.grad
        (wanted,) = grad(out, [b], retain_graph=True)
        out.backward(inputs=[b], retain_graph=True)
        with pytest.raises(RuntimeError, match="is not implemented"):
            grad(out, [a])
        found.append((wanted.tolist(), b.grad.tolist(), a.grad))
    np.testing.assert_allclose(found[0][0], found[1][0], rtol=1e-12)
    np.testing.assert_allclose(found[0][1], found[1][1], rtol=1e-12)
    assert found[0][2] is None and found[1][2] is None


def _custom_function_needs(lib):
    """What a custom Function's backward sees as needs_input_grad in grad() for one input,
    then in backward()."""
    seen = []

    class Product(lib.autograd.Function if lib is not ag else ag.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x, y)
            return x * y

        @staticmethod
        def backward(ctx, grad_output):
            seen.append(ctx.needs_input_grad)
            x, y = ctx.saved_tensors
            return grad_output * y, grad_output * x

    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = lib.tensor([3.0, 4.0], requires_grad=True)
    out = Product.apply(x * 1.0, y).sum()
    grad = lib.autograd.grad if lib is not ag else ag.grad
    (grad_y,) = grad(out, [y], retain_graph=True)
    out.backward()
    return seen, grad_y.tolist(), x.grad.tolist()


def test_a_custom_function_keeps_its_needs_input_grad_in_grad_as_torch():
    torch = pytest.importorskip("torch")
    ours = _custom_function_needs(ag)
    assert ours == _custom_function_needs(torch)
    assert ours[0] == [(True, True), (True, True)]


def test_a_gradient_from_grad_passed_back_as_a_seed_is_not_written_into():
    # x's two uses make its gradient a sum the engine added into in place; once returned,
    # it is the caller's: as the seed of z, which w's gradient is then added to, it must
    # not be the array that sum is written into
    x = leaf([1.0, 2.0])
    (g,) = ag.grad((x * 2.0 + x * 3.0).sum(), [x])
    z = x * 1.0
    w = z * 4.0
    ag.backward([z, w], [g, ag.ones(2, dtype=ag.float64)])
    np.testing.assert_array_equal(g.data, [5.0, 5.0])
    np.testing.assert_array_equal(x.grad.data, [9.0, 9.0])


def test_post_accumulate_grad_hook_sees_the_whole_gradient_once():
    torch = pytest.importorskip("torch")

    def run(lib):
        seen = []
        x = lib.tensor([1.0, -2.0], requires_grad=True)
        x.register_post_accumulate_grad_hook(lambda leaf: seen.append(leaf.grad.tolist()))
        (x * x + x.exp() + 3 * x).sum().backward()
        (x * 2).sum().backward()
        return seen

    ours, theirs = run(ag), run(torch)
    assert len(ours) == 2
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_post_accumulate_grad_hook_runs_as_soon_as_the_leaf_is_done():
    order = []
    x = ag.tensor([1.0, 2.0])
    w1 = leaf([0.5, -1.0])
    w2 = leaf([3.0, 4.0])
    h = x * w1
    h.register_hook(lambda grad: order.append("h"))
    w1.register_post_accumulate_grad_hook(lambda leaf: order.append("w1"))
    handle = w2.register_post_accumulate_grad_hook(lambda leaf: order.append("w2"))
    (h * w2).sum().backward(retain_graph=True)
    assert order == ["w2", "h", "w1"]  # w2 is complete before the walk reaches h
    handle.remove()
    (h * w2).sum().backward()
    assert order == ["w2", "h", "w1", "h", "w1"]
    np.testing.assert_array_equal(w1.grad.data, 2 * x.data * w2.data)


def test_post_accumulate_grad_hook_must_return_none():
    x = leaf([1.0])
    x.register_post_accumulate_grad_hook(lambda leaf: leaf.grad)
    with pytest.raises(RuntimeError, match="should return None"):
        (x * 2).sum().backward()


def test_post_accumulate_grad_hooks_only_on_leaves_that_require_grad():
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        ag.tensor([1.0]).register_post_accumulate_grad_hook(lambda leaf: None)
    with pytest.raises(RuntimeError, match="non-leaf"):
        (leaf([1.0]) * 2).register_post_accumulate_grad_hook(lambda leaf: None)


def test_create_graph_grads_are_copies_that_later_backwards_add_into():
    torch = pytest.importorskip("torch")

    def run(lib):
        x = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64, requires_grad=True)
        a = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64, requires_grad=True)
        b = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64, requires_grad=True)
        x.sum(dim=0).tanh().sum().backward(create_graph=True)  # x.grad: a broadcast gradient
        ((a + b) * 1.0).sum().backward(create_graph=True)  # add hands one gradient to both
        (x.grad * lib.tensor([1.0, 0.5, -0.5], dtype=lib.float64)).sum().backward()
        (a * 3).sum().backward()
        return [t.grad.detach().numpy().tolist() for t in (x, a, b)]

    np.testing.assert_allclose(run(ag), run(torch), rtol=1e-12)


def test_post_accumulate_hook_changing_grad_in_place_touches_no_other_gradient():
    torch = pytest.importorskip("torch")

    def run(lib):
        a = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64, requires_grad=True)
        b = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64, requires_grad=True)

        def halve(leaf):
            leaf.grad.mul_(0.5)

        a.register_post_accumulate_grad_hook(halve)
        (b + a).tanh().sum().backward()
        return [a.grad.numpy().tolist(), b.grad.numpy().tolist()]

    np.testing.assert_allclose(run(ag), run(torch), rtol=1e-12)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_summed_0d_gradients_round_like_torch(dtype):
    """A 0-d leaf used many times: the engine sums its gradients in Python floats (rounded
    once per sum to the dtype, as one add in the dtype rounds)."""
    torch = pytest.importorskip("torch")
    constants = [0.1 * (k + 1) ** 1.5 for k in range(40)]
    grads = []
    for lib in (ag, torch):
        x = lib.tensor(0.3, dtype=getattr(lib, dtype), requires_grad=True)
        total = x * constants[0]
        for constant in constants[1:]:
            total = total + x * constant
        total.backward()
        grads.append(float(x.grad))
    assert grads[0] == grads[1]
