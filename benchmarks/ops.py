"""Per-op overhead of the autograd engine (issue "The autograd core", performance).

1. chain16: x (16,16) requiring grad, 33 times ``y = (y * w + b).tanh()``, then
   ``y.sum().backward()``; microseconds per recorded op (forward + backward), for chainrule,
   PyTorch and a hand-written NumPy forward + backward of the same maths.
2. chain1000: the same chain on (1000,1000) arrays: time and peak memory (tracemalloc, which
   NumPy reports its allocations to) against the hand-written NumPy forward + backward.
3. scalars: micrograd's demo (MLP 2-16-16-1 on 100 two-moons points, max-margin loss plus
   L2, one full-batch step) written with 0-d tensors, chainrule vs PyTorch, with Python's
   cyclic garbage collector on (as users run it); also chainrule's step in a child process
   without PyTorch's objects (which each full collection walks too), and how long the
   collector ran inside one of chainrule's steps.

Usage: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/ops.py [--quick]
"""

import argparse
import gc
import subprocess
import sys
import time
import tracemalloc

import numpy as np
from common import interleaved_medians, median_time, optional_torch, ratio, report_environment

import autograd as ag

STEPS = 33
OPS_PER_RUN = 3 * STEPS + 1  # mul, add, tanh per step, then sum


def chain(lib, x, w, b):
    y = x
    for _ in range(STEPS):
        y = (y * w + b).tanh()
    y.sum().backward()


def chain_numpy(x, w, b):
    """The same maths by hand: forward keeping what backward needs, then backward."""
    inputs, outputs = [], []
    y = x
    for _ in range(STEPS):
        inputs.append(y)
        y = np.tanh(y * w + b)
        outputs.append(y)
    grad_y = np.ones_like(y)
    grad_w = np.zeros_like(w)
    grad_b = np.zeros_like(b)
    for step in reversed(range(STEPS)):
        out = outputs.pop()
        grad_pre = grad_y * (1 - out * out)
        del out
        grad_b += grad_pre
        grad_w += grad_pre * inputs[step]
        grad_y = grad_pre * w
        inputs.pop()
    return grad_y, grad_w, grad_b


def leaves(lib, size, seed, dtype):
    rng = np.random.default_rng(seed)
    return [
        lib.tensor(rng.standard_normal((size, size)).astype(dtype) * 0.5, requires_grad=True)
        for _ in range(3)
    ]


def bench_chain16(torch, repeats):
    print("\n[chain16] 33 x (y * w + b).tanh() on (16,16), then sum().backward()")
    arrays = [
        np.random.default_rng(i).standard_normal((16, 16)).astype(np.float32) for i in range(3)
    ]
    ours = [ag.tensor(a, requires_grad=True) for a in arrays]
    runs = [lambda: chain(ag, *ours), lambda: chain_numpy(*arrays)]
    if torch is not None:
        theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
        runs.append(lambda: chain(torch, *theirs))
    # timed in turns (ours, numpy, torch, ours, ...): load that comes and goes hits all alike
    times = interleaved_medians(runs, 3 * repeats)
    per_op = 1e3 / OPS_PER_RUN  # ms per run -> us per op
    print(f"  chainrule       {times[0] * per_op:7.2f} us/op")
    print(f"  numpy by hand   {times[1] * per_op:7.2f} us/op")
    if torch is not None:
        print(f"  pytorch         {times[2] * per_op:7.2f} us/op")
        print(f"  chainrule / pytorch: {ratio(times[0], times[2])}  (target <= 1.0x)")


def peak_memory(function):
    gc.collect()
    tracemalloc.start()
    function()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def bench_chain1000(repeats):
    print("\n[chain1000] the same chain on (1000,1000) float32")
    arrays = [
        (np.random.default_rng(i).standard_normal((1000, 1000)) * 0.5).astype(np.float32)
        for i in range(3)
    ]
    ours = [ag.tensor(a, requires_grad=True) for a in arrays]

    def run_ours():
        for tensor in ours:
            tensor.grad = None
        chain(ag, *ours)

    ours_time = median_time(run_ours, repeats=repeats, number=1)
    numpy_time = median_time(lambda: chain_numpy(*arrays), repeats=repeats, number=1)
    ours_peak = peak_memory(run_ours)
    numpy_peak = peak_memory(lambda: chain_numpy(*arrays))
    print(f"  chainrule     {ours_time * 1e3:8.1f} ms   peak {ours_peak / 2**20:7.1f} MiB")
    print(f"  numpy by hand {numpy_time * 1e3:8.1f} ms   peak {numpy_peak / 2**20:7.1f} MiB")
    print(
        f"  time {ratio(ours_time, numpy_time)} (target <= 1.2x), "
        f"memory {ratio(ours_peak, numpy_peak)} (target <= 1.2x)"
    )


def moons(count, seed=0):
    """Two interleaving half circles with noise 0.1 (labels -1 and +1, as micrograd's demo)."""
    rng = np.random.default_rng(seed)
    half = count // 2
    angle_outer = np.linspace(0, np.pi, half)
    angle_inner = np.linspace(0, np.pi, count - half)
    points = np.concatenate(
        [
            np.stack([np.cos(angle_outer), np.sin(angle_outer)], 1),
            np.stack([1 - np.cos(angle_inner), 0.5 - np.sin(angle_inner)], 1),
        ]
    )
    points += rng.normal(scale=0.1, size=points.shape)
    labels = np.concatenate([-np.ones(half), np.ones(count - half)])
    return points, labels


def scalar_mlp(lib, seed=1337):
    """micrograd's MLP(2, [16, 16, 1]) as nested lists of 0-d tensors."""
    rng = np.random.default_rng(seed)
    layers = []
    for fan_in, fan_out in ((2, 16), (16, 16), (16, 1)):
        neurons = [
            (
                [lib.tensor(rng.uniform(-1, 1), requires_grad=True) for _ in range(fan_in)],
                lib.tensor(0.0, requires_grad=True),
            )
            for _ in range(fan_out)
        ]
        layers.append(neurons)
    return layers


def scalar_step(lib, layers, points, labels):
    """One full-batch forward + backward of micrograd's demo loss."""
    parameters = [p for layer in layers for weights, bias in layer for p in (*weights, bias)]
    for parameter in parameters:
        parameter.grad = None
    scores = []
    for row in points:
        activations = [float(value) for value in row]
        for depth, layer in enumerate(layers):
            outputs = []
            for weights, bias in layer:
                total = bias
                for weight, value in zip(weights, activations):
                    total = total + weight * value
                outputs.append(total.relu() if depth < len(layers) - 1 else total)
            activations = outputs
        scores.append(activations[0])
    losses = [(1 + -float(label) * score).relu() for label, score in zip(labels, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in parameters)
    total = data_loss + reg_loss
    total.backward()
    return total


def bench_scalars(torch, repeats):
    print("\n[scalars] micrograd demo: MLP 2-16-16-1, 100 moons points, 0-d tensors, gc on")
    points, labels = moons(100)
    gc.enable()
    ours = scalar_mlp(ag)
    runs = [lambda: scalar_step(ag, ours, points, labels)]
    if torch is not None:
        theirs = scalar_mlp(torch)
        runs.append(lambda: scalar_step(torch, theirs, points, labels))
    times = interleaved_medians(runs, repeats, seconds=0)  # one step a sample, in turns
    print(f"  chainrule {times[0]:8.1f} ms/step")
    if torch is not None:
        print(f"  pytorch   {times[1]:8.1f} ms/step")
        print(f"  chainrule / pytorch: {ratio(times[0], times[1])}  (target <= 1.0x)")
    # PyTorch's modules add ~150,000 objects that every full collection walks: the step as
    # chainrule's users run it, without PyTorch in the process, timed in a child process.
    alone = subprocess.run(
        [sys.executable, __file__, "--scalar-steps-alone", str(repeats)],
        capture_output=True,
        text=True,
        check=True,
    )
    alone_time = float(alone.stdout)
    print(f"  chainrule in a process without PyTorch {alone_time:8.1f} ms/step", end="")
    print(f" ({ratio(alone_time, times[1])} PyTorch's)" if torch is not None else "")
    collector = collector_time(lambda: scalar_step(ag, ours, points, labels))
    print(
        f"  of chainrule's step, the cyclic collector: {collector['ms']:.0f} ms in "
        f"{collector['full']} full collections (of the whole heap: "
        f"{collector['objects']} tracked objects before the step) and "
        f"{collector['young']} young ones"
    )
    gc.collect()
    gc.disable()
    try:
        loss = scalar_step(ag, ours, points, labels)
        del loss
        freed = gc.collect()
    finally:
        gc.enable()
    print(f"  objects the cyclic collector freed after a step: {freed} (target 0: no cycles)")


def collector_time(step):
    """Time Python's cyclic garbage collector spends inside one call of ``step`` (full
    collections traverse every tracked object in the process, PyTorch's included)."""
    gc.collect()
    found = {"ms": 0.0, "full": 0, "young": 0, "objects": len(gc.get_objects())}
    started = []

    def watch(phase, info):
        if phase == "start":
            started.append(time.perf_counter())
            return
        found["ms"] += (time.perf_counter() - started.pop()) * 1e3
        found["full" if info["generation"] == 2 else "young"] += 1

    gc.callbacks.append(watch)
    try:
        step()
    finally:
        gc.callbacks.remove(watch)
    return found


def scalar_steps_alone(repeats):
    """Median ms of chainrule's scalar step, in this process (which must not import torch)."""
    points, labels = moons(100)
    layers = scalar_mlp(ag)
    return interleaved_medians(
        [lambda: scalar_step(ag, layers, points, labels)], repeats, seconds=0
    )[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--scalar-steps-alone", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scalar_steps_alone:  # the child process of bench_scalars
        print(scalar_steps_alone(args.scalar_steps_alone))
        return
    repeats = 3 if args.quick else 7
    report_environment()
    torch = optional_torch()
    bench_chain16(torch, repeats)
    bench_chain1000(repeats)
    bench_scalars(torch, repeats)


if __name__ == "__main__":
    main()
