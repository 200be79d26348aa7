"""ag.Function: user-written ops, their ctx API, and gradcheck catching a wrong backward."""

import numpy as np
import pytest

import autograd as ag


class Cube(ag.Function):
    """y = x^3; dx = 3 x^2 g (written with Tensor ops, so it composes with create_graph)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x * x

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return 3 * x * x * grad_output


class WrongCube(Cube):
    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return 2 * x * x * grad_output  # deliberately wrong


class ScaleShift(ag.Function):
    """Two outputs and a non-tensor argument: (a * k + b, a - b)."""

    @staticmethod
    def forward(ctx, a, b, k):
        ctx.k = k
        return a * k + b, a - b

    @staticmethod
    def backward(ctx, grad_first, grad_second):
        return grad_first * ctx.k + grad_second, grad_first - grad_second, None


def x64(*shape, seed=0):
    rng = np.random.default_rng(seed)
    return ag.tensor(rng.uniform(-1, 1, shape), dtype=ag.float64, requires_grad=True)


def test_correct_custom_function_passes_gradcheck_and_gradgradcheck():
    x = x64(3, 2)
    assert ag.gradcheck(Cube.apply, (x,))
    assert ag.gradgradcheck(Cube.apply, (x,))


def test_wrong_backward_fails_gradcheck_with_a_precise_message():
    x = x64(4)
    with pytest.raises(RuntimeError) as error:
        ag.gradcheck(WrongCube.apply, (x,))
    message = str(error.value)
    assert "output 0 with respect to input 0" in message
    assert "worst element" in message
    row = np.argmax(np.abs(x.data) ** 2)
    assert f"flat[{row}]" in message
    assert f"analytical: {2 * x.data[row] ** 2!r}"[:20] in message
    assert "numerical:" in message
    assert ag.gradcheck(WrongCube.apply, (x,), raise_exception=False) is False


def test_gradcheck_refuses_float32_inputs():
    x = ag.randn(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="float64"):
        ag.gradcheck(Cube.apply, (x,))


def test_two_outputs_and_a_non_tensor_argument():
    a, b = x64(3, seed=1), x64(3, seed=2)
    first, second = ScaleShift.apply(a, b, 2.5)
    assert first.grad_fn is second.grad_fn
    assert ag.gradcheck(lambda a, b: ScaleShift.apply(a, b, 2.5), (a, b))
    (first * 2 + second).sum().backward()
    np.testing.assert_allclose(a.grad.data, 2 * 2.5 + 1)
    np.testing.assert_allclose(b.grad.data, 2 - 1)


def test_unused_output_gets_materialised_zeros_or_none():
    seen = []

    class Pair(ag.Function):
        @staticmethod
        def forward(ctx, x, materialize):
            ctx.set_materialize_grads(materialize)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, grad_first, grad_second):
            seen.append(grad_second)
            grad_second = 0 if grad_second is None else grad_second
            return grad_first * 2 + grad_second * 3, None

    x = x64(2)
    Pair.apply(x, True)[0].sum().backward()
    assert isinstance(seen[-1], ag.Tensor) and not seen[-1].data.any()
    Pair.apply(x, False)[0].sum().backward()
    assert seen[-1] is None


def test_needs_input_grad_and_non_differentiable_outputs():
    flags = []

    class ArgMaxAndDouble(ag.Function):
        @staticmethod
        def forward(ctx, x, y):
            flags.append(ctx.needs_input_grad)
            index = ag.tensor(np.argmax(x.data))
            doubled = x * 2
            ctx.mark_non_differentiable(index)
            return doubled, index

        @staticmethod
        def backward(ctx, grad_doubled, grad_index):
            return grad_doubled * 2, None

    x = x64(3)
    y = ag.tensor([1.0, 2.0, 3.0], dtype=ag.float64)
    doubled, index = ArgMaxAndDouble.apply(x, y)
    assert flags[-1] == (True, False)
    assert doubled.requires_grad and not index.requires_grad


def test_backward_returning_the_wrong_number_of_gradients_names_the_function():
    class TooFew(ag.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output

    with pytest.raises(
        RuntimeError, match=r"TooFewBackward.*incorrect number of gradients.*expected 2, got 1"
    ):
        TooFew.apply(x64(2), x64(2)).sum().backward()


def test_backward_returning_a_wrongly_shaped_gradient_names_function_index_and_shapes():
    class BadShape(ag.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad_output):
            return ag.ones(5, dtype=ag.float64)

    with pytest.raises(RuntimeError, match=r"BadShapeBackward.*index 0.*\[5\].*\[3\]"):
        BadShape.apply(x64(3)).sum().backward()


def test_custom_backward_composes_with_create_graph():
    x = ag.tensor(1.5, dtype=ag.float64, requires_grad=True)
    (first,) = ag.grad(Cube.apply(x), x, create_graph=True)
    (second,) = ag.grad(first, x)
    assert first.item() == pytest.approx(3 * 1.5**2)
    assert second.item() == pytest.approx(6 * 1.5)


def test_returning_an_input_gives_a_new_tensor():
    class Identity(ag.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output

    x = x64(3)
    y = Identity.apply(x)
    assert y is not x and x.is_leaf and y.grad_fn is not None
    y.sum().backward()
    np.testing.assert_allclose(x.grad.data, 1.0)


class ScaledTanh(ag.Function):
    """y = tanh(x) * s for a learnable scale s; dx = g s (1 - tanh^2), ds = sum(g tanh(x))"""

    @staticmethod
    def forward(ctx, x, scale):
        activation = x.tanh()
        ctx.save_for_backward(activation, scale)
        return activation * scale

    @staticmethod
    def backward(ctx, grad_output):
        activation, scale = ctx.saved_tensors
        return grad_output * scale * (1 - activation * activation), grad_output * activation


def test_custom_function_inside_a_module_trains():
    import nn
    import optim

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.hidden = nn.Linear(2, 8)
            self.scale = nn.Parameter(ag.ones(8))
            self.out = nn.Linear(8, 1)

        def forward(self, x):
            return self.out(ScaledTanh.apply(self.hidden(x), self.scale))

    ag.manual_seed(0)
    inputs = ag.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    targets = ag.tensor([[0.0], [1.0], [1.0], [0.0]])
    model = Net()
    optimizer = optim.Adam(model.parameters(), lr=0.05)
    for _ in range(300):
        optimizer.zero_grad()
        loss = ((model(inputs) - targets) ** 2).mean()
        loss.backward()
        optimizer.step()
    assert loss.item() < 1e-2
    assert not np.allclose(model.scale.data, 1.0)  # the custom op's parameter was trained
    x = ag.tensor(np.random.default_rng(0).standard_normal((3, 8)), requires_grad=True)
    scale = ag.tensor(np.linspace(0.5, 2, 8), requires_grad=True)
    assert ag.gradcheck(ScaledTanh.apply, (x, scale))


UNARY = "abs ceil clone cos erf exp expm1 floor log log1p neg reciprocal relu round rsqrt sigmoid"


@pytest.mark.parametrize("name", [*UNARY.split(), "sign", "sin", "sqrt", "square", "tan", "tanh"])
@pytest.mark.parametrize("value", [None, [1.0, 2.0], "x", 2.5])
def test_an_op_given_no_tensor_raises_torchs_type_error(name, value):
    with pytest.raises(TypeError, match=rf"{name}\(\): argument 1 must be a Tensor, not"):
        getattr(ag, name)(value)


def test_an_attribute_error_inside_a_forward_of_tensors_stays_one():
    class Broken(ag.Function):
        @staticmethod
        def forward(ctx, x):
            return x.no_such_attribute

    for requires_grad in (False, True):
        with pytest.raises(AttributeError, match="no_such_attribute"):
            Broken.apply(ag.ones(2, requires_grad=requires_grad))


def logging_function(lib, calls):
    """A Function class of ``lib`` (ours or torch's) whose backward notes its name in calls:
    ``Logged.apply(name, *inputs)`` sums the inputs and passes the gradient on to each."""

    class Logged(lib.autograd.Function if lib is not ag else ag.Function):
        @staticmethod
        def forward(ctx, name, *inputs):
            ctx.name, ctx.count = name, len(inputs)
            return sum(inputs[1:], inputs[0] * 1.0)

        @staticmethod
        def backward(ctx, grad_output):
            calls.append(ctx.name)
            return (None, *[grad_output] * ctx.count)

    return Logged


@pytest.mark.parametrize("swapped", [False, True])
@pytest.mark.parametrize("lib_name", ["autograd", "torch"])
def test_backward_runs_nodes_newest_first_across_branches_and_chains(lib_name, swapped):
    # e runs before d (newer), and the chain e -> c waits while d (newer than c) runs: the
    # order the engine's heap gives, whether a node passes its gradient on to one or two
    lib = ag if lib_name == "autograd" else pytest.importorskip("torch")
    calls = []
    logged = logging_function(lib, calls).apply
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = logged("b", a)
    c = logged("c", a)
    d = logged("d", b)
    e = logged("e", c)
    f = logged("f", *((e, d) if swapped else (d, e)))
    logged("g", f).sum().backward()
    assert calls == ["g", "f", "e", "d", "c", "b"]
    assert a.grad.tolist() == [2.0, 2.0]


@pytest.mark.parametrize("lib_name", ["autograd", "torch"])
def test_grad_of_a_non_leaf_runs_no_backward_beyond_it(lib_name):
    # grad(z, [y]) sends y its gradient and stops: y's own node runs only when it leads to
    # another captured input; backward(inputs=[y]) runs it (as torch's engine does)
    lib = ag if lib_name == "autograd" else pytest.importorskip("torch")
    grad = ag.grad if lib is ag else lib.autograd.grad
    calls = []
    logged = logging_function(lib, calls).apply
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    y = logged("y", x)
    u = logged("u", y)
    (grad_y,) = grad((u * 3).sum(), [y], retain_graph=True)
    assert calls == ["u"]
    assert grad_y.tolist() == [3.0, 3.0]
    grad_y, grad_x = grad((u * 3).sum(), [y, x])
    assert calls == ["u", "u", "y"]
    assert grad_y.tolist() == grad_x.tolist() == [3.0, 3.0]
    out = logged("out", y)
    out.sum().backward(inputs=[y])
    assert calls == ["u", "u", "y", "out", "y"]
    assert y.grad.tolist() == [1.0, 1.0]
