"""micrograd's demo with 0-d tensors (issue "The autograd core", performance target 3).

An MLP 2-16-16-1 on 100 two-moons points, max-margin loss plus L2, one full-batch forward +
backward per step, every number a 0-d tensor (about 65,000 recorded ops a step), with
Python's cyclic garbage collector on, as users run it.

1. Each library in a worker process of its own, as its users run it (chainrule's users do
   not import PyTorch), the two taking steps in turns: medians of interleaved steps. This
   is the target's comparison.
2. chainrule's step timed inside PyTorch's process as well. Every full collection of the
   cyclic collector walks every tracked object in the process, PyTorch's ~170,000 included;
   PyTorch's C++ graph nodes are not Python objects, chainrule's are (about 2.5 tracked
   objects per op), so each full collection during chainrule's step costs ~100-140 ms here.
   Printed with how long the collector ran inside one step.
3. The cycle check: after a step and ``del`` of the loss, a collection frees nothing.

Usage: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/scalars.py [--quick]
"""

import argparse
import gc
import importlib
import statistics
import subprocess
import sys
import time

import numpy as np
from common import interleaved_medians, optional_torch, ratio, report_environment

LIBRARIES = {"chainrule": "autograd", "pytorch": "torch"}


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


def serve_steps(library):
    """Worker process: import one library only, then time one step per line read."""
    lib = importlib.import_module(LIBRARIES[library])
    points, labels = moons(100)
    layers = scalar_mlp(lib)
    scalar_step(lib, layers, points, labels)  # warm up
    for _ in sys.stdin:
        start = time.perf_counter()
        scalar_step(lib, layers, points, labels)
        print((time.perf_counter() - start) * 1e3, flush=True)


def steps_in_own_processes(libraries, repeats):
    """Median ms per step of each library, each in its own worker, the workers in turns."""
    workers = [
        subprocess.Popen(
            [sys.executable, __file__, "--worker", library],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for library in libraries
    ]
    samples = [[] for _ in workers]
    try:
        for _ in range(repeats):
            for worker, times in zip(workers, samples):
                worker.stdin.write("step\n")
                worker.stdin.flush()
                times.append(float(worker.stdout.readline()))
    finally:
        for worker in workers:
            worker.stdin.close()
            worker.wait()
    return [statistics.median(times) for times in samples]


def collector_time(step):
    """Time Python's cyclic garbage collector spends inside one call of ``step``."""
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--worker", choices=LIBRARIES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        serve_steps(args.worker)
        return
    repeats = 5 if args.quick else 15
    report_environment()
    torch = optional_torch()
    libraries = ["chainrule"] + (["pytorch"] if torch is not None else [])

    print("\n[scalars] micrograd demo: MLP 2-16-16-1, 100 moons points, 0-d tensors, gc on")
    print(f"  each library in its own process, steps in turns ({repeats} each):")
    times = steps_in_own_processes(libraries, repeats)
    print(f"    chainrule {times[0]:8.1f} ms/step")
    if torch is not None:
        print(f"    pytorch   {times[1]:8.1f} ms/step")
        print(f"    chainrule / pytorch: {ratio(times[0], times[1])}  (target <= 1.0x)")

    import autograd as ag

    points, labels = moons(100)
    ours = scalar_mlp(ag)
    if torch is not None:
        theirs = scalar_mlp(torch)
        print("  both in this one process, PyTorch's objects in the heap, steps in turns:")
        runs = [
            lambda: scalar_step(ag, ours, points, labels),
            lambda: scalar_step(torch, theirs, points, labels),
        ]
        inside = interleaved_medians(runs, max(3, repeats // 2), seconds=0)
        print(f"    chainrule {inside[0]:8.1f} ms/step")
        print(f"    pytorch   {inside[1]:8.1f} ms/step")
        print(f"    chainrule / pytorch: {ratio(inside[0], inside[1])}")
    collector = collector_time(lambda: scalar_step(ag, ours, points, labels))
    print(
        f"  of one chainrule step here, the cyclic collector: {collector['ms']:.0f} ms in "
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


if __name__ == "__main__":
    main()
