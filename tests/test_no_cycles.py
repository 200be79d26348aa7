"""The graph makes no reference cycles: once the loss is dropped, reference counting alone
frees every Tensor, node and array, and Python's cyclic collector finds nothing to do
(micrograd's closures make cycles that cost it most of a training step)."""

import gc
import subprocess
import sys

import numpy as np
import pytest

import autograd as ag


def unreachable_after(run):
    """Run ``run()`` with the cyclic collector off; return what a collection then finds."""
    gc.collect()
    was_enabled = gc.isenabled()
    flags = gc.get_debug()
    gc.disable()
    try:
        run()
        gc.set_debug(flags | gc.DEBUG_SAVEALL)
        found = gc.collect()
        garbage = list(gc.garbage)
        gc.garbage.clear()
    finally:
        gc.set_debug(flags)
        if was_enabled:
            gc.enable()
    return found, garbage


def describe(garbage):
    names = sorted({f"{type(item).__module__}.{type(item).__qualname__}" for item in garbage})
    return f"{len(garbage)} objects in cycles: {names[:20]}"


def scalar_mlp_step(retain_graph):
    """A micrograd-style step on 0-d tensors: 2-4-1 MLP, max-margin loss plus L2, SGD."""
    rng = np.random.default_rng(0)
    layers = [
        [
            [ag.tensor(rng.uniform(-1, 1), requires_grad=True) for _ in range(fan_in + 1)]
            for _ in range(fan_out)
        ]
        for fan_in, fan_out in ((2, 4), (4, 1))
    ]
    points = rng.normal(size=(6, 2))
    labels = [1.0, -1.0, 1.0, -1.0, 1.0, -1.0]
    losses = []
    for point, label in zip(points, labels):
        activations = [ag.tensor(value) for value in point]
        for depth, layer in enumerate(layers):
            outputs = []
            for neuron in layer:
                total = neuron[-1]
                for weight, value in zip(neuron[:-1], activations):
                    total = total + weight * value
                outputs.append(total.tanh() if depth == 0 else total)
            activations = outputs
        margin = 1.0 - label * activations[0]
        losses.append((margin + margin * margin).exp().log())
    data_loss = losses[0]
    for loss in losses[1:]:
        data_loss = data_loss + loss
    params = [p for layer in layers for neuron in layer for p in neuron]
    l2 = params[0] * params[0]
    for p in params[1:]:
        l2 = l2 + p * p
    loss = data_loss / len(losses) + 1e-4 * l2
    loss.backward(retain_graph=retain_graph)
    with ag.no_grad():
        for p in params:
            p -= 0.1 * p.grad
            p.grad = None
    assert np.isfinite(loss.item())


def tensor_mlp_step(retain_graph):
    """The same with tensor ops: broadcasts, reshape/expand, matmul, a retained intermediate,
    an in-place op on a non-leaf and a hook."""
    w1 = ag.randn(3, 5, requires_grad=True)
    b1 = ag.zeros(5, requires_grad=True)
    w2 = ag.randn(5, 1, requires_grad=True)
    x = ag.randn(8, 3)
    target = ag.randn(8, 1)
    hidden = (x.reshape(8, 3, 1) * w1.reshape(1, 3, 5)).sum(1) + b1
    hidden.retain_grad()
    hidden = hidden.tanh() + 0.0
    hidden.register_hook(lambda grad: grad * 1.0)
    hidden *= 2.0
    out = (hidden.reshape(8, 5, 1) * w2.expand(8, 5, 1)).sum(1)
    out = out + (x @ w1).relu().mean(1, keepdim=True) @ w2.T @ w2 * hidden.sigmoid().mean()
    error = out - target
    loss = (error * error).sum() / 8 + (w1 * w1).sum() * 1e-3
    loss.backward(retain_graph=retain_graph)
    with ag.no_grad():
        for p in (w1, b1, w2):
            p -= 0.01 * p.grad
    assert np.isfinite(loss.item())


@pytest.mark.parametrize("retain_graph", [False, True])
@pytest.mark.parametrize("step", [scalar_mlp_step, tensor_mlp_step])
def test_a_training_step_leaves_nothing_for_the_cyclic_collector(step, retain_graph):
    step(retain_graph)  # warm up: lazy imports and caches are not the graph's cycles
    found, garbage = unreachable_after(lambda: step(retain_graph))
    assert found == 0, describe(garbage)


def test_a_graph_is_freed_by_reference_counting_before_backward():
    def run():
        x = ag.randn(4, requires_grad=True)
        loss = (x.exp() * x).tanh().sum()
        del loss, x

    found, garbage = unreachable_after(run)
    assert found == 0, describe(garbage)


def test_the_check_sees_a_cycle_through_tensors():
    def run():
        x = ag.randn(2, requires_grad=True)
        y = x * 2
        y.name = y  # a deliberate cycle: Tensor -> itself
        del x, y

    found, garbage = unreachable_after(run)
    assert found > 0
    assert any(isinstance(item, ag.Tensor) for item in garbage)


_LATE_INSTANCES = """
import gc
import autograd as ag

def has_own_dict(obj):
    return any(type(referent) is dict for referent in gc.get_referents(obj))

leaves = [ag.tensor(0.5, requires_grad=True) for _ in range(200)]  # data, _requires_grad only
weight, bias = leaves[0], leaves[1]
hidden = (bias + weight * 0.3).relu()  # its output is saved: it gets a version counter
product = weight * hidden
product.backward()
owners = [hidden, hidden.grad_fn, product, product.grad_fn, weight.grad]
print(sum(has_own_dict(obj) for obj in owners))
"""


def test_tensors_and_nodes_made_late_get_no_dict_of_their_own():
    """A class's instances share their attribute names only if the names are known early
    (autograd.tensor.share_instance_keys): otherwise a tensor or node made after the first
    few dozen gets a dict of its own, one more object for the cyclic collector. Checked in
    a fresh interpreter, since it depends on the first instances ever made."""
    result = subprocess.run(
        [sys.executable, "-c", _LATE_INSTANCES], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "0", result.stdout + result.stderr
