"""Random programs of in-place writes, views and optimizer-style updates, run by chainrule and
by PyTorch, which must agree.

In-place ops are where an autograd engine quietly goes wrong: a write through a view must
change the base and the base's graph, a write to a saved tensor must be caught at backward, an
update under ``no_grad`` must leave the graph alone. Hypothesis writes programs over one to
three float64 leaves (some requiring grad): out-of-place ops, views of intermediates (view,
reshape, transpose, t, movedim, swapaxes, diagonal, unsqueeze, squeeze, slices with steps,
integer selection, narrow, expand, detach), in-place ops on intermediates and on views (``add_
sub_ mul_ div_ zero_ fill_ copy_ clamp_ relu_``, ``x[index] = value`` with basic and advanced
indices, ``+= -= *=``), in-place updates of leaves under ``with lib.no_grad():``, then a loss
of several values and ``backward``. Each program runs step by step with ``lib = autograd`` and
with ``lib = torch`` from the same source text, and must agree on:

- whether a step raises, which step (a forward step or the backward), and the error type;
  chainrule's message must name the problem as PyTorch's does (in place, leaf, view ...);
- without an error: every tensor's final values (a write through a view shows in its base
  and the other way round), ``requires_grad``, ``is_leaf``, and the ``.grad`` of every leaf
  and every ``retain_grad`` tensor.

Version counters are not compared (chainrule's ``_version`` is internal); what they are
for, the error at backward after a saved tensor was written, is.

Writes through views are recorded in the base's graph and the base's other views take its
new graph, as PyTorch rebases them (autograd/ops/inplace.py); PyTorch's refusals (a view of
a leaf, an expanded view) are chainrule's too. One difference is allowed: PyTorch's backward
refuses an in-place op's saved output written afterwards where chainrule's is right (the
program is then checked against PyTorch written out of place). Any other difference fails;
``--hypothesis-show-statistics`` counts what happened.

A failure prints the program as Python (put ``lib = autograd`` or ``torch`` above it).
More examples: ``RANDOM_INPLACE_EXAMPLES=2000 pytest tests/test_random_inplace.py``.
"""

import math
import re
import warnings

import numpy as np
import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from inplace_programs import (
    GRAD_WRITTEN_THROUGH_A_VIEW_OF_A_PLAIN_TENSOR,
    RETAIN_GRAD_THEN_WRITE,
    SAVED_OUTPUT_OF_A_BASE_WRITTEN_THROUGH_A_VIEW,
    SAVED_THEN_WRITTEN,
    VIEW_READ_AFTER_THE_BASE_WAS_WRITTEN,
    VIEW_SQUARED_AFTER_ITS_BASE_GOT_A_GRAPH,
    VIEW_WRITTEN_AFTER_ITS_BASE_GOT_A_GRAPH,
    WRITE_THROUGH_A_RESHAPE,
    WRITE_THROUGH_A_VIEW_OF_A_LEAF,
    ZERO_D_EXPANDED_AND_FILLED,
    Program,
)
from random_settings import random_settings
from test_random_graphs import OPS, WEIGHTS, assert_same

import autograd as ag

torch = pytest.importorskip("torch")

RTOL = 1e-9
ATOL = 1e-12

LEAF_SHAPES = [(), (3,), (1, 3), (2, 3), (3, 1)]
# Shapes a view or reshape may take (a reshape picks one with the same number of elements).
SHAPES = [(), (1,), (2,), (3,), (6,), (1, 3), (3, 1), (2, 1), (1, 2), (2, 3), (3, 2)]
# Out-of-place ops taken from the random-graph tests (their views are drawn here instead).
OUT_OF_PLACE = [
    "add", "sub", "mul", "div", "neg", "scale", "tanh", "sigmoid", "exp", "sin", "square",
    "sum", "mean_dim", "mean", "rows", "columns", "clone",
]  # fmt: skip

random_programs = random_settings("RANDOM_INPLACE_EXAMPLES", 100)


# ---- programs --------------------------------------------------------------------------------


class Value:
    """A named tensor of the program as the generator sees it. ``memory`` is a NumPy array
    laid out as PyTorch lays the tensor out (views of a leaf's or an op's fresh array): it
    tells which values alias and whether ``view`` may be used, unless ``strided``: the
    output of an op on a strided operand (PyTorch lays it out as the operand, which is not
    modelled) or a view of one. ``expanded``: an expanded view or a view of one (its
    elements share memory)."""

    def __init__(self, name, memory, requires_grad, leaf=False, expanded=False, strided=False):
        self.name = name
        self.memory = memory
        self.requires_grad = requires_grad  # as PyTorch would have it, roughly: for choices
        self.leaf = leaf
        self.expanded = expanded
        self.strided = strided

    @property
    def shape(self):
        return self.memory.shape


def _fresh(shape):
    return np.zeros(shape)


def _overlaps(a, b):
    """Do two values share memory without being the very same elements? (PyTorch refuses or
    leaves undefined an in-place op reading memory it writes elsewhere.)"""
    if not np.shares_memory(a.memory, b.memory):
        return False
    same = (
        a.memory.shape == b.memory.shape
        and a.memory.strides == b.memory.strides
        and a.memory.__array_interface__["data"][0] == b.memory.__array_interface__["data"][0]
    )
    return not same


def _fits(shape, target):
    """Does ``shape`` broadcast to exactly ``target``?"""
    try:
        return np.broadcast_shapes(shape, target) == tuple(target)
    except ValueError:
        return False


# ---- views: (source, memory) from a value ----------------------------------------------------


def _view_choices(value):
    """The views PyTorch can take of ``value``: (source template, NumPy function on memory)."""
    shape = value.shape
    memory = value.memory
    choices = [("{x}.detach()", lambda m: m)]
    for target in SHAPES:
        if math.prod(target) != math.prod(shape):  # (the same shape too: a new view)
            continue
        choices.append((f"{{x}}.reshape({target})", lambda m, t=target: m.reshape(t)))
        if value.strided:
            continue
        try:
            memory.view().shape = target  # as torch.view: possible without a copy?
        except AttributeError:
            continue
        choices.append((f"{{x}}.view({target})", lambda m, t=target: m.reshape(t)))
    for dim in range(len(shape) + 1):
        choices.append((f"{{x}}.unsqueeze({dim})", lambda m, d=dim: np.expand_dims(m, d)))
    for dim, size in enumerate(shape):
        if size == 1:
            choices.append((f"{{x}}.squeeze({dim})", lambda m, d=dim: m.squeeze(d)))
    if len(shape) == 2:
        choices.append(("{x}.t()", lambda m: m.T))
        choices.append(("{x}.transpose(0, 1)", lambda m: m.T))
        choices.append(("{x}.movedim(0, -1)", lambda m: np.moveaxis(m, 0, -1)))
        choices.append(("{x}.swapaxes(1, 0)", lambda m: m.swapaxes(1, 0)))
        choices.append(("{x}.diagonal()", lambda m: m.diagonal()))
    if shape:
        indices = ["[0]", "[-1]", "[1:]", "[::2]", "[:2]"]
        if len(shape) == 2:
            indices += ["[:, 0]", "[:, 1:]", "[:, ::2]", "[1:, ::2]", "[..., -1]", "[0, 1:]"]
        for index in indices:
            if 0 not in eval(f"memory{index}", {"memory": memory}).shape:
                # m[0, ...]: a 0-d view where NumPy's m[0] of a 1-d m is a copy (torch: a view)
                as_view = index if "..." in index else index[:-1] + ", ...]"
                choices.append((f"{{x}}{index}", lambda m, i=as_view: eval(f"m{i}", {"m": m})))
        length = shape[-1] - 1 if shape[-1] > 1 else 1
        choices.append(
            (
                f"{{x}}.narrow({len(shape) - 1}, {shape[-1] - length}, {length})",
                lambda m, n=length: m[..., m.shape[-1] - n :],
            )
        )
    for target in [(2, 3), (3, 3), (2, 1, 3)]:
        if shape != target and _fits(shape, target):
            choices.append((f"{{x}}.expand{target}", lambda m, t=target: np.broadcast_to(m, t)))
    return choices


# ---- in-place writes -------------------------------------------------------------------------

# template over the target {t} and an operand {y} (None: no operand)
WRITES = {
    "add_": "{t}.add_({y})",
    "add_ alpha": "{t}.add_({y}, alpha=-0.5)",
    "sub_": "{t}.sub_({y})",
    "mul_": "{t}.mul_({y})",
    "div_": "{t}.div_(1.5 + {y} * {y})",
    "copy_": "{t}.copy_({y})",
    "+=": "{t} += {y}",
    "*=": "{t} *= {y}",
    "mul_ scalar": "{t}.mul_(-0.5)",
    "add_ scalar": "{t}.add_(0.25)",
    "-= scalar": "{t} -= 0.5",
    "zero_": "{t}.zero_()",
    "fill_": "{t}.fill_(0.75)",
    "clamp_": "{t}.clamp_(-0.5, 0.75)",
    "relu_": "{t}.relu_()",
    "setitem": "{t}[{index}] = {value}",
    "setitem +=": "{t}[{index}] += {value}",
}
# optimizer-style updates of a leaf under no_grad
UPDATES = ["{t}.sub_(0.1 * {y})", "{t}.mul_(0.9)", "{t}.add_({y}, alpha=-0.25)", "{t} -= 0.5 * {y}"]


def _indices(shape):
    """Indices for ``t[index] = value``, basic and advanced."""
    if not shape:
        return ["..."]
    indices = ["0", "-1", "1:", "::2"]
    if shape[0] >= 2:
        indices += ["[1, 0]"]
    indices += ["[0]"]
    if len(shape) == 2:
        indices += [":, 0", ":, ::2", "..., -1"]
        if shape[1] >= 3:
            indices += [":, [2, 0]", "0, [1, 2]"]
    return [index for index in indices if _read(shape, index).size > 0]


def _read(shape, index):
    return eval(f"memory[{index}]", {"memory": np.zeros(shape)})


@st.composite
def _operand(draw, values, target, fits, disjoint=False):
    """A value that broadcasts to ``fits`` and does not partly overlap ``target`` (not at all
    if ``disjoint``); None if there is none."""
    candidates = [
        v
        for v in values
        if _fits(v.shape, fits)
        and not _overlaps(v, target)
        and not (disjoint and np.shares_memory(v.memory, target.memory))
    ]
    return draw(st.sampled_from(candidates)) if candidates else None


@st.composite
def programs(draw, views=True, retain=True, max_steps=9):
    values = []
    steps = []
    expanded_writes = []
    for index in range(draw(st.integers(1, 3))):
        shape = draw(st.sampled_from(LEAF_SHAPES))
        data = draw(hnp.arrays(np.float64, shape, elements=st.floats(-2, 2, width=64)))
        requires_grad = index == 0 or draw(st.booleans())
        flag = ", requires_grad=True" if requires_grad else ""
        steps.append(f"x{index} = lib.tensor({data.tolist()!r}, dtype=lib.float64{flag})")
        values.append(Value(f"x{index}", _fresh(shape), requires_grad, leaf=True))

    def new_value(source, memory, requires_grad, expanded=False, strided=False):
        name = f"v{len(values)}"
        steps.append(f"{name} = {source}")
        values.append(Value(name, memory, requires_grad, expanded=expanded, strided=strided))
        if retain and requires_grad and draw(st.integers(0, 3)) == 0:
            steps.append(f"{name}.retain_grad()")

    kinds = ["op", "op", "write", "write", "write", "update"] + (["view"] * 3 if views else [])
    for _ in range(draw(st.integers(1, max_steps))):
        kind = draw(st.sampled_from(kinds))
        if kind == "op":
            x = draw(st.sampled_from(values))
            names = [
                n for n in OUT_OF_PLACE if OPS[n].arity == 2 or OPS[n].params(x.shape) is not None
            ]
            op = OPS[draw(st.sampled_from(names))]
            operands = {"x": x.name}
            y = None
            if op.arity == 2:
                y = draw(st.sampled_from([v for v in values if _compatible(v.shape, x.shape)]))
                operands["y"] = y.name
                params = {}
            else:
                params = draw(op.params(x.shape))
            shape = op.shape(x.shape, y and y.shape, params) if op.shape else x.shape
            requires_grad = x.requires_grad or bool(y and y.requires_grad)
            strided = any(
                v.strided or not v.memory.flags.c_contiguous for v in (x, y) if v is not None
            )
            new_value(
                op.template.format(**operands, **params),
                _fresh(shape),
                requires_grad,
                strided=strided,
            )
        elif kind == "view":
            x = draw(st.sampled_from(values))
            template, make = draw(st.sampled_from(_view_choices(x)))
            detach = template == "{x}.detach()"
            new_value(
                template.format(x=x.name),
                make(x.memory),
                x.requires_grad and not detach,
                expanded=x.expanded or ".expand" in template,
                strided=x.strided,
            )
        elif kind == "write":
            # Mostly not a leaf requiring grad (that raises in both libraries, a short test).
            plain = [v for v in values if not (v.leaf and v.requires_grad)]
            if draw(st.integers(0, 15)) == 7:
                plain = values
            elif not plain:
                continue
            target = draw(st.sampled_from(plain))
            name = draw(st.sampled_from(list(WRITES)))
            template = WRITES[name]
            fields = {"t": target.name}
            if name.startswith("setitem"):
                index = draw(st.sampled_from(_indices(target.shape)))
                part = _read(target.shape, index).shape
                # (PyTorch refuses a value sharing memory with the written elements)
                value = draw(_operand(values, target, part, disjoint=True))
                fields["index"] = index
                fields["value"] = value.name if value and draw(st.booleans()) else "0.5"
                y = value if fields["value"] != "0.5" else None
            elif "{y}" in template:
                y = draw(_operand(values, target, target.shape))
                if y is None:
                    continue
                fields["y"] = y.name
            else:
                y = None
            if target.expanded:
                expanded_writes.append(len(steps))
            steps.append(template.format(**fields))
            target.requires_grad = target.requires_grad or bool(y and y.requires_grad)
        else:  # an update under no_grad: of a leaf, now and then of any value
            leaves = [v for v in values if v.leaf]
            target = draw(st.sampled_from(leaves if draw(st.integers(0, 3)) else values))
            template = draw(st.sampled_from(UPDATES))
            y = draw(_operand(values, target, target.shape)) or target
            if target.expanded:
                expanded_writes.append(len(steps))
            steps.append("with lib.no_grad():\n    " + template.format(t=target.name, y=y.name))

    terms = [(values[-1], draw(st.sampled_from(WEIGHTS)))]
    for _ in range(draw(st.integers(1, 4))):
        terms.append((draw(st.sampled_from(values)), draw(st.sampled_from(WEIGHTS))))
    if not any(value.requires_grad for value, _ in terms):
        terms.append((values[0], 1.0))
    steps.append("loss = " + " + ".join(f"{w!r} * {v.name}.sum()" for v, w in terms))
    steps.append("loss.backward()")
    return Program(steps, expanded_writes)


def _compatible(a, b):
    try:
        np.broadcast_shapes(a, b)
    except ValueError:
        return False
    return True


# ---- comparing -------------------------------------------------------------------------------

# What an error is about: chainrule's message must fall in a group PyTorch's falls in.
TOPICS = {
    "in place": r"inplace|in-place|in place|modified|written",
    "leaf": r"leaf",
    "requires grad": r"require[sd]? grad|grad_fn",
    "memory": r"memory",
    "view": r"view",
    "shape": r"shape|size|broadcast",
    "freed graph": r"second time|freed",
}


def _topics(message):
    return {topic for topic, pattern in TOPICS.items() if re.search(pattern, message, re.I)}


def _tensors(namespace):
    return {
        name: value
        for name, value in namespace.items()
        if re.fullmatch(r"[xv]\d+|loss", name) and hasattr(value, "requires_grad")
    }


def assert_same_state(program, ours, theirs):
    """Every tensor's values, flags and (for leaves and retain_grad tensors) gradient."""
    our_tensors, their_tensors = _tensors(ours), _tensors(theirs)
    assert sorted(our_tensors) == sorted(their_tensors)
    for name, theirs_tensor in their_tensors.items():
        ours_tensor = our_tensors[name]
        np.testing.assert_allclose(
            ours_tensor.detach().numpy(),
            theirs_tensor.detach().numpy(),
            rtol=RTOL,
            atol=ATOL,
            err_msg=f"values of {name}",
        )
        assert ours_tensor.requires_grad == theirs_tensor.requires_grad, (
            f"{name}.requires_grad: chainrule {ours_tensor.requires_grad}, "
            f"torch {theirs_tensor.requires_grad}"
        )
        assert ours_tensor.is_leaf == theirs_tensor.is_leaf, f"{name}.is_leaf"
        if theirs_tensor.is_leaf or theirs_tensor.retains_grad:
            assert_same(ours_tensor.grad, theirs_tensor.grad, f"{name}.grad")


def check_against_torch(program):
    """Run ``program`` with both libraries and compare; returns what happened (for events)."""
    ours, our_step, our_error = program.run(ag)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs, their_step, their_error = program.run(torch)
    last = len(program.steps) - 1

    def where(step):
        if step is None:
            return "no error"
        return "the backward" if step == last else f"step {step}: {program.steps[step]!r}"

    if (
        our_step is None
        and their_step == last
        and program.expanded_writes
        and "more than one element of the written-to tensor" in str(their_error)
    ):  # (tests/test_inplace_views.py checks such gradients against the write into the base)
        return "torch refuses the backward through a number filled into an expanded view"
    quirk = _torch_quirk(their_error, their_step, last)
    if quirk and (our_step is None or our_step > their_step):  # compare with the twin then
        twin = _without_torch_quirks(program)
        if twin.steps != program.steps:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                theirs, their_step, their_error = twin.run(torch)
            if their_step is None and our_step is None:
                assert_same_state(program, ours, theirs)
                return f"torch refuses ({quirk}); chainrule is right"
    assert our_step == their_step, (
        f"chainrule: {where(our_step)} ({our_error!r}); torch: {where(their_step)} "
        f"({their_error!r})"
    )
    if our_error is not None:
        assert type(our_error) is type(their_error), (
            f"at {where(our_step)}: chainrule raised {our_error!r}, torch {their_error!r}"
        )
        expected = _topics(str(their_error))
        assert not expected or _topics(str(our_error)) & expected, (
            f"at {where(our_step)}: chainrule's message {str(our_error)!r} does not name the "
            f"problem ({sorted(expected)}); torch's: {str(their_error)!r}"
        )
        return "both raise at the backward" if our_step == last else "both raise at a forward step"
    assert_same_state(program, ours, theirs)
    return "no error; values and gradients agree"


def _torch_quirk(error, step, last):
    """Which of PyTorch's refusals that chainrule need not copy ``error`` is, if any:

    - at backward, a saved *output* of an in-place op written afterwards (chainrule saves the
      output before writing it into the tensor, so the later write is harmless);
    - at a write through a view whose base got a graph after the view was taken, "a leaf
      Variable ...": PyTorch regenerates the view's grad_fn only when something reads it, so
      the same write works once ``view.grad_fn`` has been read (chainrule retakes the view's
      graph when its base gets one)."""
    message = str(error)
    if step == last and "modified by an inplace" in message and "which is output" in message:
        return "it saved an in-place op's output"
    if step is not None and step < last and "a leaf Variable that requires grad" in message:
        return "a view's grad_fn not yet regenerated"
    return None


# The same programs as PyTorch differentiates them without its quirks. In-place ops whose
# backward uses their output, the written tensor itself, become ``t.copy_(t.clone().op())``;
# every write into a value first reads its grad_fn (which regenerates a view's).
OUTPUT_SAVING = [
    (re.compile(r"^(\w+)\.relu_\(\)$", re.M), r"\1.copy_(\1.clone().relu())"),
    (re.compile(r"^(\w+)\.clamp_\((.*)\)$", re.M), r"\1.copy_(\1.clone().clamp(\2))"),
]
WRITE_INTO_A_VALUE = re.compile(r"^(v\d+)(?=\.|\[| [-+*/]=)", re.M)


def _without_torch_quirks(program):
    steps = []
    for step in program.steps:
        for pattern, replacement in OUTPUT_SAVING:
            step = pattern.sub(replacement, step)
        steps.append(WRITE_INTO_A_VALUE.sub(r"\1.grad_fn; \1", step))
    return Program(steps)


# ---- properties ------------------------------------------------------------------------------


@random_programs
@given(programs(views=False, retain=False))
@example(SAVED_THEN_WRITTEN)
def test_inplace_writes_and_updates_match_torch(program):
    """Without views or retain_grad: writes to intermediates, setitem, no_grad updates."""
    event(check_against_torch(program))


@random_programs
@given(programs(views=False, retain=True))
@example(RETAIN_GRAD_THEN_WRITE)
def test_retain_grad_of_written_tensors_matches_torch(program):
    event(check_against_torch(program))


@random_programs
@given(programs(views=True, retain=False))
@example(WRITE_THROUGH_A_RESHAPE)
@example(WRITE_THROUGH_A_VIEW_OF_A_LEAF)
@example(VIEW_READ_AFTER_THE_BASE_WAS_WRITTEN)
@example(GRAD_WRITTEN_THROUGH_A_VIEW_OF_A_PLAIN_TENSOR)
@example(VIEW_WRITTEN_AFTER_ITS_BASE_GOT_A_GRAPH)
@example(SAVED_OUTPUT_OF_A_BASE_WRITTEN_THROUGH_A_VIEW)
@example(VIEW_SQUARED_AFTER_ITS_BASE_GOT_A_GRAPH)
@example(ZERO_D_EXPANDED_AND_FILLED)
def test_writes_through_views_match_torch(program):
    event(check_against_torch(program))


def test_modelled_views_share_memory_as_torch_views_do():
    for base in (np.zeros(3), np.zeros((2, 3))):  # x[0] of a 1-d x: a 0-d view in torch
        for source, make in _view_choices(Value("x", base, False)):
            assert np.shares_memory(make(base), base), source
