"""One Adam ``step()``: chainrule against PyTorch (issue "optim", performance).

1. mlp: the parameters of a 784-512-256-10 MLP (PyTorch's Linear layout, float32),
   about 535k numbers in 6 tensors: bound by memory traffic.
2. small: 200 parameter tensors of shape (16,): bound by per-parameter Python overhead.

Each parameter has a fixed random gradient; the optimizer state exists (one warm-up step).
Milliseconds per step (median of several repeats) for chainrule, PyTorch with
``foreach=False``, PyTorch's default, and both on one thread (each splits a large update
over its threads by default: PyTorch each kernel, chainrule each optimizer's elementwise
update, see autograd.parallel); target: chainrule at most 1.2x PyTorch's default.

Usage: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/optimizer_step.py [--quick]
"""

import argparse
import os

import numpy as np
from common import interleaved_medians, optional_torch, ratio, report_environment

import autograd as ag
import optim

MODELS = {
    "mlp 784-512-256-10": [(512, 784), (512,), (256, 512), (256,), (10, 256), (10,)],
    "200 x (16,)": [(16,)] * 200,
}


def parameters(lib, shapes):
    """Leaf float32 tensors with a fixed gradient each (the same numbers for both libraries)."""
    rng = np.random.default_rng(0)
    params = []
    for shape in shapes:
        param = lib.tensor(rng.standard_normal(shape, dtype=np.float32), requires_grad=True)
        param.grad = lib.tensor(rng.standard_normal(shape, dtype=np.float32))
        params.append(param)
    return params


def on_one_thread(lib, step):
    """``step`` run with the library's intra-op threads set to one, then set back."""

    def run():
        threads = lib.get_num_threads()
        lib.set_num_threads(1)
        try:
            step()
        finally:
            lib.set_num_threads(threads)

    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeats = 5 if args.quick else 21
    report_environment()
    torch = optional_torch()
    print(f"chainrule threads {ag.get_num_threads()}")
    if torch is not None:
        print(f"torch threads {torch.get_num_threads()}")
    # Other processes on the cores slow the threaded steps most.
    print("load average " + " ".join(f"{load:.2f}" for load in os.getloadavg()))
    columns = ("chainrule", "torch loop", "torch dflt", "ours 1 thr", "torch 1 thr")
    print(f"{'Adam.step()':<22}" + "".join(f"{column:>12}" for column in columns) + "   ratio")
    for name, shapes in MODELS.items():
        steps = {
            "chainrule": optim.Adam(parameters(ag, shapes), lr=1e-3).step,
            "ours 1 thr": on_one_thread(ag, optim.Adam(parameters(ag, shapes), lr=1e-3).step),
        }
        if torch is not None:
            steps["torch loop"] = torch.optim.Adam(parameters(torch, shapes), foreach=False).step
            steps["torch dflt"] = torch.optim.Adam(parameters(torch, shapes)).step
            steps["torch 1 thr"] = on_one_thread(
                torch, torch.optim.Adam(parameters(torch, shapes)).step
            )
        times = dict(zip(steps, interleaved_medians(list(steps.values()), repeats, seconds=0.05)))
        cells = "".join(f"{times.get(column, float('nan')):>10.3f}ms" for column in columns)
        target = ratio(times["chainrule"], times.get("torch dflt", float("nan")))
        print(f"{name:<22}{cells}{target:>8}")


if __name__ == "__main__":
    main()
