"""Random small programs differentiated by chainrule and by PyTorch, which must agree.

Hand-written graphs miss the shapes that break an engine: one gradient tensor handed to a
leaf and to a node, an intermediate read by consumers created at different times, the same
value as both operands, a gradient that stops at a detach. Hypothesis writes programs over
one to three float64 leaves (some requiring grad); each runs once with ``lib = autograd``
and once with ``lib = torch`` from the same source text, and every leaf's ``.grad`` (None
or not) and every ``retain_grad`` intermediate's ``.grad`` are compared. The variants cover
a second backward through a retained graph, ``grad``, second order (through ``grad`` and
through ``.grad`` after ``backward(create_graph=True)``) and post-accumulate grad hooks.

A failure prints the program as Python: put ``lib = autograd`` (or ``torch``) above it to
run it. More examples: ``RANDOM_GRAPH_EXAMPLES=2000 pytest tests/test_random_graphs.py``.
"""

import math
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from random_settings import random_settings

import autograd as ag

torch = pytest.importorskip("torch")

RTOL = 1e-9
ATOL = 1e-12

LEAF_SHAPES = [(), (3,), (1, 3), (2, 3)]
# Every shape a value can take; reshape picks another one with the same number of elements.
SHAPES = [(), (1,), (2,), (3,), (6,), (1, 3), (3, 1), (2, 1), (1, 2), (2, 3), (3, 2)]
WEIGHTS = [1.0, -0.5, 2.0, 0.25, -1.5]
# Drawn more often: ops whose backward hands its incoming gradient on unchanged (to two
# inputs for add), where gradient buffers get shared.
ROUTING = ["add", "add", "sub", "clone"]

random_programs = random_settings("RANDOM_GRAPH_EXAMPLES", 100)


# ---- the op table ----------------------------------------------------------------------------
# Each op is source text over {x} (and {y}) and its parameters: the same text runs with
# autograd and with torch, and is what a failure prints.


@dataclass(frozen=True)
class Op:
    template: str
    arity: int = 1
    params: object = None  # shape -> strategy of a parameter dict, or None if it does not apply
    shape: object = None  # (x shape, y shape, params) -> output shape; None: the shape of x


def _one(**params):
    return st.just(params)


def _dims(shape):
    if not shape:
        return None
    return st.fixed_dictionaries({"dim": st.integers(0, len(shape) - 1), "keepdim": st.booleans()})


def _reduced(shape, _, params):
    if params["keepdim"]:
        return tuple(1 if i == params["dim"] else n for i, n in enumerate(shape))
    return tuple(n for i, n in enumerate(shape) if i != params["dim"])


def _reshapes(shape):
    targets = [t for t in SHAPES if math.prod(t) == math.prod(shape) and t != shape]
    return st.sampled_from(targets).map(lambda t: {"size": t}) if targets else None


def _expands(shape):
    if shape == (2, 3) or not _broadcasts(shape, (2, 3)):
        return None
    return _one(size=(2, 3))


def _rows(shape):
    if not shape:
        return None
    return st.lists(st.integers(0, shape[0] - 1), min_size=1, max_size=4).map(
        lambda index: {"index": index}
    )


def _columns(shape):
    if len(shape) != 2:
        return None
    return st.lists(st.integers(0, shape[1] - 1), min_size=1, max_size=4).map(
        lambda index: {"index": index}
    )


def _always(shape):
    return _one()


def _matrix(shape):
    return _one() if len(shape) == 2 else None


def _broadcast(x, y, params):
    return np.broadcast_shapes(x, y)


OPS = {
    "add": Op("{x} + {y}", 2, _always, _broadcast),
    "sub": Op("{x} - {y}", 2, _always, _broadcast),
    "mul": Op("{x} * {y}", 2, _always, _broadcast),
    "div": Op("{x} / (1.5 + {y} * {y})", 2, _always, _broadcast),
    "neg": Op("-{x}", params=_always),
    "scale": Op("0.75 * {x} - 0.5", params=_always),
    "tanh": Op("{x}.tanh()", params=_always),
    "sigmoid": Op("{x}.sigmoid()", params=_always),
    "exp": Op("{x}.tanh().exp()", params=_always),
    "sin": Op("{x}.sin()", params=_always),
    "square": Op("{x} * {x}", params=_always),
    "sum": Op("{x}.sum(dim={dim}, keepdim={keepdim})", params=_dims, shape=_reduced),
    "mean_dim": Op("{x}.mean(dim={dim}, keepdim={keepdim})", params=_dims, shape=_reduced),
    "mean": Op("{x}.mean()", params=_always, shape=lambda x, y, p: ()),
    "expand": Op("{x}.expand{size}", params=_expands, shape=lambda x, y, p: p["size"]),
    "reshape": Op("{x}.reshape({size})", params=_reshapes, shape=lambda x, y, p: p["size"]),
    "transpose": Op("{x}.transpose(0, 1)", params=_matrix, shape=lambda x, y, p: x[::-1]),
    "rows": Op("{x}[{index}]", params=_rows, shape=lambda x, y, p: (len(p["index"]), *x[1:])),
    "columns": Op(
        "{x}[:, {index}]", params=_columns, shape=lambda x, y, p: (x[0], len(p["index"]))
    ),
    "clone": Op("{x}.clone()", params=_always),
    "detach": Op("{x}.detach()", params=_always),
}


def _broadcasts(shape, target):
    try:
        return np.broadcast_shapes(shape, target) == tuple(target)
    except ValueError:
        return False


def _compatible(a, b):
    try:
        np.broadcast_shapes(a, b)
    except ValueError:
        return False
    return True


# ---- programs --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    name: str
    shape: tuple
    requires_grad: bool  # as both libraries must compute it
    retained: bool = False


class Program:
    """Leaves ``x0 ..`` and values ``v<i> = op(earlier values)``; ``loss`` is a weighted sum
    of several of them. ``repr`` is the Python source, run with ``lib`` bound to a library.
    (A plain class: hypothesis would print a dataclass field by field, not as source.)"""

    def __init__(self, values, lines):
        self.values = values  # of Value, leaves first
        self.lines = lines  # source lines, the leaves' included

    def __repr__(self):
        return "\n" + "\n".join(self.lines) + "\n"

    def run(self, lib):
        """Execute the program with ``lib``: ({name: tensor}, loss)."""
        namespace = {"lib": lib}
        exec(compile("\n".join(self.lines), "<random program>", "exec"), namespace)
        tensors = {value.name: namespace[value.name] for value in self.values}
        for value in self.values:
            assert tensors[value.name].requires_grad == value.requires_grad, value.name
        return tensors, namespace["loss"]

    @property
    def grad_leaves(self):
        return [value.name for value in self.values if value.name[0] == "x" and value.requires_grad]

    def some_grad_leaves(self, mask):
        """The leaves requiring grad whose bit is set in ``mask`` (the first if none is)."""
        leaves = self.grad_leaves
        return [name for i, name in enumerate(leaves) if mask >> i & 1] or leaves[:1]

    @classmethod
    def from_source(cls, *lines):
        """A program written by hand (for ``@example``): its values are read off a run."""
        namespace = {"lib": ag}
        exec(compile("\n".join(lines), "<program>", "exec"), namespace)
        values = tuple(
            Value(name, tensor.shape, tensor.requires_grad, tensor.retains_grad)
            for name, tensor in namespace.items()
            if name[0] in "xv" and name[1:].isdigit()
        )
        return cls(values, lines)

    @property
    def retained(self):
        return [value.name for value in self.values if value.retained]


def _operand(draw, leaves, values):
    """A value to compute with: half the time a leaf, so that leaves have many consumers."""
    leaves = [value for value in leaves if value in values]
    return draw(st.sampled_from(leaves if leaves and draw(st.booleans()) else values))


@st.composite
def programs(draw, max_instructions=8):
    values = []
    lines = []
    for index in range(draw(st.integers(1, 3))):
        shape = draw(st.sampled_from(LEAF_SHAPES))
        data = draw(hnp.arrays(np.float64, shape, elements=st.floats(-2, 2, width=64)))
        requires_grad = index == 0 or draw(st.booleans())
        flag = ", requires_grad=True" if requires_grad else ""
        lines.append(f"x{index} = lib.tensor({data.tolist()!r}, dtype=lib.float64{flag})")
        values.append(Value(f"x{index}", shape, requires_grad))
    leaves = list(values)
    for _ in range(draw(st.integers(1, max_instructions))):
        x = _operand(draw, leaves, values)
        names = [
            name for name, op in OPS.items() if op.arity == 2 or op.params(x.shape) is not None
        ]
        op = OPS[draw(st.sampled_from(names + ROUTING))]
        operands = {"x": x.name}
        y = None
        if op.arity == 2:
            partners = [v for v in values if _compatible(v.shape, x.shape)]
            y = x if draw(st.booleans()) else _operand(draw, leaves, partners)
            operands["y"] = y.name
            params = {}
        else:
            params = draw(op.params(x.shape))
        shape = op.shape(x.shape, y and y.shape, params) if op.shape else x.shape
        requires_grad = op is not OPS["detach"] and (x.requires_grad or bool(y and y.requires_grad))
        retained = requires_grad and draw(st.sampled_from([False, False, False, True]))
        name = f"v{len(values)}"
        lines.append(f"{name} = " + op.template.format(**operands, **params))
        if retained:
            lines.append(f"{name}.retain_grad()")
        values.append(Value(name, shape, requires_grad, retained))
    # The loss reads the last value and a few others, so values have consumers of all ages.
    terms = [(values[-1], draw(st.sampled_from(WEIGHTS)))]
    for _ in range(draw(st.integers(1, 4))):
        terms.append((_operand(draw, values[-3:], values), draw(st.sampled_from(WEIGHTS))))
    if not any(value.requires_grad for value, _ in terms):
        terms.append((values[0], 1.0))
    lines.append("loss = " + " + ".join(f"{w!r} * {v.name}.sum()" for v, w in terms))
    return Program(tuple(values), tuple(lines))


# ---- comparing -------------------------------------------------------------------------------


def assert_same(ours, theirs, what):
    """Two gradients (Tensors or None) agree: both None, or same shape and values."""
    assert (ours is None) == (theirs is None), (
        f"{what}: chainrule {'None' if ours is None else 'a tensor'}, "
        f"torch {'None' if theirs is None else 'a tensor'}"
    )
    if ours is None:
        return
    assert ours.shape == tuple(theirs.shape), f"{what}: shape {ours.shape} vs {theirs.shape}"
    np.testing.assert_allclose(
        ours.detach().numpy(), theirs.detach().numpy(), rtol=RTOL, atol=ATOL, err_msg=what
    )


def assert_grads_match(program, ours, theirs):
    for name in program.grad_leaves + program.retained:
        assert_same(ours[name].grad, theirs[name].grad, f"{name}.grad")


def fixed_weights(shape, offset):
    """Deterministic weights of a gradient's shape, different for each leaf."""
    return np.cos(np.arange(math.prod(shape), dtype=np.float64) + offset).reshape(shape)


# ---- properties ------------------------------------------------------------------------------

LEAF_MASKS = st.integers(1, 7)  # which of the leaves requiring grad a test picks

# Programs that once failed, kept as explicit examples.
ADD_OF_TWO_LEAVES = Program.from_source(
    "x0 = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64, requires_grad=True)",
    "x1 = lib.tensor([1.5, 0.25, -0.75], dtype=lib.float64, requires_grad=True)",
    "v2 = x0 + x1",
    "loss = 1.0 * v2.tanh().sum()",
)
SUM_THEN_TANH = Program.from_source(
    "x0 = lib.tensor([0.5, -1.0, 2.0], dtype=lib.float64, requires_grad=True)",
    "v1 = x0.sum(dim=0, keepdim=False)",
    "v2 = v1.tanh()",
    "loss = 1.0 * v2.sum()",
)


@random_programs
@given(programs())
def test_backward_matches_torch(program):
    ours, loss = program.run(ag)
    theirs, torch_loss = program.run(torch)
    np.testing.assert_allclose(loss.item(), torch_loss.item(), rtol=RTOL, atol=ATOL)
    loss.backward()
    torch_loss.backward()
    assert_grads_match(program, ours, theirs)


@random_programs
@given(programs())
def test_second_backward_through_a_retained_graph_accumulates(program):
    ours, loss = program.run(ag)
    theirs, torch_loss = program.run(torch)
    loss.backward(retain_graph=True)
    torch_loss.backward(retain_graph=True)
    assert_grads_match(program, ours, theirs)
    loss.backward(ag.tensor(0.5, dtype=ag.float64))
    torch_loss.backward(torch.tensor(0.5, dtype=torch.float64))
    assert_grads_match(program, ours, theirs)


@random_programs
@given(programs())
def test_grad_matches_torch_and_fills_only_retained_dot_grads(program):
    ours, loss = program.run(ag)
    theirs, torch_loss = program.run(torch)
    inputs = program.grad_leaves + program.retained
    grads = ag.grad(loss, [ours[name] for name in inputs], allow_unused=True)
    expected = torch.autograd.grad(torch_loss, [theirs[name] for name in inputs], allow_unused=True)
    for name, grad, torch_grad in zip(inputs, grads, expected):
        assert_same(grad, torch_grad, f"grad of {name}")
    for name in inputs:  # leaves keep no .grad; a retained non-leaf gets its gradient, as
        # PyTorch's retain_grad hook gives it in grad() too
        if theirs[name].grad is None:
            assert ours[name].grad is None, f"{name}.grad was set by grad()"
        else:
            assert name in program.retained
            assert_same(ours[name].grad, theirs[name].grad, f".grad of {name}")


@random_programs
@given(program=programs(), mask=LEAF_MASKS)
def test_backward_with_inputs_fills_only_their_grads(program, mask):
    chosen = program.some_grad_leaves(mask)
    ours, loss = program.run(ag)
    theirs, torch_loss = program.run(torch)
    loss.backward(inputs=[ours[name] for name in chosen])
    torch_loss.backward(inputs=[theirs[name] for name in chosen])
    assert_grads_match(program, ours, theirs)


def _first_order_penalty(lib, grads, leaves):
    """sum over the leaves of (first-order gradient * fixed weights), or None if no term."""
    total = None
    for index, grad in enumerate(grads):
        if grad is None:
            continue
        weights = lib.tensor(fixed_weights(tuple(grad.shape), index), dtype=lib.float64)
        term = (grad * weights).sum()
        total = term if total is None else total + term
    return total


@random_programs
@given(programs())
def test_second_order_grad_matches_torch(program):
    ours, loss = program.run(ag)
    theirs, torch_loss = program.run(torch)
    leaves = program.grad_leaves
    first = ag.grad(loss, [ours[n] for n in leaves], create_graph=True, allow_unused=True)
    torch_first = torch.autograd.grad(
        torch_loss, [theirs[n] for n in leaves], create_graph=True, allow_unused=True
    )
    for name, grad, torch_grad in zip(leaves, first, torch_first):
        assert_same(grad, torch_grad, f"first-order grad of {name}")
    penalty = _first_order_penalty(ag, first, leaves)
    torch_penalty = _first_order_penalty(torch, torch_first, leaves)
    assert (penalty is None) == (torch_penalty is None)
    if penalty is not None:
        assert penalty.requires_grad == torch_penalty.requires_grad
    if torch_penalty is None or not torch_penalty.requires_grad:
        return  # the first-order gradients are constants: nothing to differentiate
    second = ag.grad(penalty, [ours[n] for n in leaves], allow_unused=True)
    torch_second = torch.autograd.grad(
        torch_penalty, [theirs[n] for n in leaves], allow_unused=True
    )
    for name, grad, torch_grad in zip(leaves, second, torch_second):
        assert_same(grad, torch_grad, f"second-order grad of {name}")


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
@random_programs
@given(programs())
@example(SUM_THEN_TANH)  # found by this test: x0.grad is a read-only broadcast
@example(ADD_OF_TWO_LEAVES)  # found by this test: x0.grad is x1.grad
def test_backward_with_create_graph_then_backward_of_the_grads_matches_torch(program):
    """``.grad`` after ``backward(create_graph=True)`` is differentiable, and a second
    backward accumulates into it: PyTorch's double-backward idiom (gradient penalties)."""
    ours, loss = program.run(ag)
    theirs, torch_loss = program.run(torch)
    leaves = program.grad_leaves
    loss.backward(create_graph=True)
    torch_loss.backward(create_graph=True)
    assert_grads_match(program, ours, theirs)
    penalty = _first_order_penalty(ag, [ours[n].grad for n in leaves], leaves)
    torch_penalty = _first_order_penalty(torch, [theirs[n].grad for n in leaves], leaves)
    assert (penalty is None) == (torch_penalty is None)
    if penalty is not None:
        assert penalty.requires_grad == torch_penalty.requires_grad
    if torch_penalty is None or not torch_penalty.requires_grad:
        return
    penalty.backward()
    torch_penalty.backward()
    for name in leaves:
        assert_same(ours[name].grad, theirs[name].grad, f"{name}.grad after the second backward")


def _record_and_scale(seen, name, scale):
    def hook(leaf):
        seen.append((name, leaf.grad.detach().numpy().copy()))
        if scale is not None:
            leaf.grad.mul_(scale)

    return hook


@pytest.mark.parametrize("scale", [None, 0.5], ids=["observing", "scaling-in-place"])
@random_programs
@given(program=programs(), mask=LEAF_MASKS)
@example(program=ADD_OF_TWO_LEAVES, mask=1)  # found by this test
def test_post_accumulate_grad_hook_sees_the_whole_grad(program, mask, scale):
    """The hook runs once a backward, with ``.grad`` complete; a hook may change ``.grad``
    in place (as DDP's scales it by 1/world) without touching any other gradient."""
    hooked = program.some_grad_leaves(mask)
    runs = []
    for lib in (ag, torch):
        tensors, loss = program.run(lib)
        seen = []
        for name in sorted(hooked):
            tensors[name].register_post_accumulate_grad_hook(_record_and_scale(seen, name, scale))
        loss.backward(retain_graph=True)
        loss.backward()
        runs.append((tensors, seen))
    (ours, seen), (theirs, torch_seen) = runs
    assert sorted(name for name, _ in seen) == sorted(name for name, _ in torch_seen)
    for (name, grad), (_, torch_grad) in zip(
        sorted(seen, key=_by_name), sorted(torch_seen, key=_by_name)
    ):
        np.testing.assert_allclose(
            grad, torch_grad, rtol=RTOL, atol=ATOL, err_msg=f"hook on {name}"
        )
    assert_grads_match(program, ours, theirs)


def _by_name(entry):
    return entry[0]
