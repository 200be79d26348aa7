"""Per-op overhead of the autograd engine (issue "The autograd core", performance).

1. chain16: x (16,16) requiring grad, 33 times ``y = (y * w + b).tanh()``, then
   ``y.sum().backward()``; microseconds per recorded op (forward + backward), for chainrule,
   PyTorch and a hand-written NumPy forward + backward of the same maths.
2. chain1000: the same chain on (1000,1000) arrays: time and peak memory (tracemalloc, which
   NumPy reports its allocations to) against the hand-written NumPy forward + backward.
3. setitem: ``out[t] = h * t`` then ``out[t] += h`` (a write through the view ``out[t]``)
   for each of 400 steps into a (400, 32, 64) buffer, then backward (a recurrent loop
   filling its outputs in place), chainrule vs PyTorch.
4. getitem: ``h = (0.5 * h + x[:, t]).tanh()`` for each of 800 steps of x (32, 800, 64),
   then backward (a recurrent loop reading its inputs by time step), chainrule vs PyTorch.
(The third target, micrograd's demo with 0-d tensors, is benchmarks/scalars.py.)

Usage: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/ops.py [--quick]
"""

import argparse
import gc
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


def setitem_loop(lib, h, steps=400):
    out = lib.zeros(steps, *h.shape)
    for step in range(steps):
        out[step] = h * float(step)
        out[step] += h
    out.sum().backward()
    h.grad = None


def getitem_loop(lib, x):
    h = x[:, 0] * 0.0
    for step in range(x.shape[1]):
        h = (h * 0.5 + x[:, step]).tanh()
    h.sum().backward()
    x.grad = None


def bench_loop(torch, repeats, loop, shape, what):
    """Time ``loop(lib, x)`` for a leaf x of ``shape`` (standard normal), against PyTorch."""
    print(f"\n[{loop.__name__.removesuffix('_loop')}] {what}")
    array = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    ours = ag.tensor(array, requires_grad=True)
    runs = [lambda: loop(ag, ours)]
    if torch is not None:
        theirs = torch.tensor(array, requires_grad=True)
        runs.append(lambda: loop(torch, theirs))
    times = interleaved_medians(runs, repeats, seconds=0)
    print(f"  chainrule     {times[0]:8.1f} ms")
    if torch is not None:
        print(f"  pytorch       {times[1]:8.1f} ms")
        print(f"  chainrule / pytorch: {ratio(times[0], times[1])}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    report_environment()
    torch = optional_torch()
    bench_chain16(torch, repeats)
    bench_chain1000(repeats)
    what = "out[t] = h * t; out[t] += h, 400 steps into (400, 32, 64), backward"
    bench_loop(torch, repeats, setitem_loop, (32, 64), what)
    what = "h = (0.5 h + x[:, t]).tanh(), 800 steps of x (32, 800, 64), backward"
    bench_loop(torch, repeats, getitem_loop, (32, 800, 64), what)


if __name__ == "__main__":
    main()
