"""Every registered op, checked by finite differences in float64 (first and second order)."""

import itertools

import pytest

import autograd as ag
from autograd import function
from autograd.ops.registry import OPS
from specs import CASES, Const, draw_inputs


def _tensors(case, rng):
    tensors = []
    for item, array in zip(case.inputs, draw_inputs(case, rng)):
        if isinstance(item, Const):
            tensors.append(ag.tensor(array))
        else:
            tensors.append(ag.tensor(array, dtype=ag.float64, requires_grad=True))
    return tensors


def test_every_registered_op_has_a_case():
    covered = {case.op for case in CASES}
    missing = sorted(set(OPS) - covered)
    assert not missing, f"registered ops without a case in tests/specs: {missing}"


def test_every_case_names_a_registered_op():
    unknown = sorted({case.op for case in CASES} - set(OPS))
    assert not unknown, f"cases for ops that are not registered: {unknown}"


@pytest.mark.parametrize("case", CASES, ids=[case.name() for case in CASES])
def test_gradcheck(case, rng):
    tensors = _tensors(case, rng)
    if case.backward_error:
        out = case.fn(ag, *tensors)
        with pytest.raises(RuntimeError, match=case.backward_error):
            out.sum().backward()
        return
    assert ag.gradcheck(
        lambda *xs: case.fn(ag, *xs), tuple(tensors), eps=case.eps, atol=case.atol, rtol=case.rtol
    )


@pytest.mark.parametrize("case", CASES, ids=[case.name() for case in CASES])
def test_forward_records_no_op(case, rng, monkeypatch):
    """Registered ops run forward with grad mode on (Function._numpy_forward), so a forward
    must not call ops on inputs that require grad: those would be recorded inside it. A
    recorded node takes a sequence number; none may be taken while a forward runs."""
    inside = []
    numbers = itertools.count()

    class CheckedNumbers:
        def __next__(self):
            assert not inside, f"{inside[-1]}.forward recorded an op"
            return next(numbers)

    def checked(name, forward):
        def forward_inside(ctx, *args, **kwargs):
            inside.append(name)
            try:
                return forward(ctx, *args, **kwargs)
            finally:
                inside.pop()

        return staticmethod(forward_inside)

    for name, op in OPS.items():
        monkeypatch.setattr(op, "forward", checked(name, op.forward))
    monkeypatch.setattr(function, "_sequence_numbers", CheckedNumbers())
    out = case.fn(ag, *_tensors(case, rng))
    assert any(tensor.grad_fn for tensor in (out if isinstance(out, tuple) else (out,)))


def test_forward_of_a_custom_function_runs_without_grad():
    seen = []

    class Probe(ag.Function):
        @staticmethod
        def forward(ctx, x):
            seen.append(ag.is_grad_enabled())
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    out = Probe.apply(ag.tensor([1.0], requires_grad=True))
    assert seen == [False]
    assert ag.is_grad_enabled()
    assert type(out.grad_fn) is Probe

    class DoubledTanh(OPS["Tanh"]):  # a subclass of a built-in op, with a forward of ops
        @staticmethod
        def forward(ctx, x):
            seen.append(ag.is_grad_enabled())
            return OPS["Tanh"].forward(ctx, x * 1.0)

    DoubledTanh.apply(ag.tensor([1.0], requires_grad=True))
    assert seen == [False, False]


@pytest.mark.parametrize("case", CASES, ids=[case.name() for case in CASES])
def test_case_records_its_op(case, rng):
    """The case really exercises the op it names (its class appears in the graph)."""
    outputs = case.fn(ag, *_tensors(case, rng))
    outputs = outputs if isinstance(outputs, tuple) else (outputs,)
    seen, visited = set(), set()
    stack = [out.grad_fn for out in outputs if isinstance(out, ag.Tensor) and out.grad_fn]
    while stack:
        node = stack.pop()
        if node in visited:
            continue
        visited.add(node)
        seen.add(type(node).__name__)
        stack.extend(
            producer
            for producer in node._edges
            if producer is not None and not isinstance(producer, ag.Tensor)
        )
    assert case.op in seen, f"{case.name()} builds {sorted(seen)}, not {case.op}"


SECOND_ORDER = [case for case in CASES if case.second_order and not case.backward_error]


@pytest.mark.parametrize("case", SECOND_ORDER, ids=[case.name() for case in SECOND_ORDER])
def test_gradgradcheck(case, rng):
    tensors = _tensors(case, rng)
    assert ag.gradgradcheck(
        lambda *xs: case.fn(ag, *xs), tuple(tensors), eps=case.eps, atol=case.atol, rtol=case.rtol
    )
