"""The autograd power tools (issue "Autograd power tools", performance).

1. checkpoint: a 20-block residual MLP of width 1024 (each block x + W2 gelu(W1 LayerNorm(x))),
   batch 256: activation memory and time of forward + backward, plain and with every block
   checkpointed (``ag.checkpoint``); the gradients must agree to 1e-6 (relative).
   Activation memory is what the forward pass leaves alive for backward, and the peak of
   forward + backward while only the input requires grad (so no weight gradients share the
   peak); tracemalloc sees NumPy's allocations.
2. hessian: ``ag.functional.hessian`` of f(x) = sum(tanh(W x)) + |x|^4 for a 100-element x,
   chainrule vs ``torch.autograd.functional.hessian`` in the same run (target <= 3x).

Usage: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/power_tools.py [--quick]
"""

import argparse
import gc
import time
import tracemalloc

import numpy as np
from common import median_time, optional_torch, ratio, report_environment

import autograd as ag
import nn
import nn.functional as F

WIDTH, BATCH, BLOCKS = 1024, 256, 20


class Block(nn.Module):
    """x + W2 gelu(W1 LayerNorm(x))"""

    def __init__(self, width):
        super().__init__()
        self.norm = nn.LayerNorm(width)
        self.inner = nn.Linear(width, width)
        self.outer = nn.Linear(width, width)

    def forward(self, x):
        return x + self.outer(F.gelu(self.inner(self.norm(x))))


def run(blocks, x, use_checkpoint):
    h = x
    for block in blocks:
        h = ag.checkpoint(block, h) if use_checkpoint else block(h)
    return (h * h).mean()


def measure(blocks, x, use_checkpoint):
    """(activation bytes kept after forward, activation peak of forward + backward, seconds of
    forward + backward with every parameter trained, the parameters' gradients)."""
    parameters = [p for block in blocks for p in block.parameters()]
    for parameter in parameters:
        parameter.requires_grad_(False)
    x.grad = None
    gc.collect()
    tracemalloc.start()
    loss = run(blocks, x, use_checkpoint)
    kept = tracemalloc.get_traced_memory()[0]
    loss.backward()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    for parameter in parameters:
        parameter.requires_grad_(True)
        parameter.grad = None
    start = time.perf_counter()
    run(blocks, x, use_checkpoint).backward()
    elapsed = time.perf_counter() - start
    return kept, peak, elapsed, [p.grad.data.copy() for p in parameters]


def bench_checkpoint():
    print(f"\n[checkpoint] {BLOCKS} residual blocks, width {WIDTH}, batch {BATCH}")
    ag.manual_seed(0)
    blocks = [Block(WIDTH) for _ in range(BLOCKS)]
    x = ag.randn(BATCH, WIDTH, requires_grad=True)
    plain = measure(blocks, x, False)
    checkpointed = measure(blocks, x, True)
    for label, (kept, peak, elapsed, _) in (("plain", plain), ("checkpoint", checkpointed)):
        print(
            f"  {label:11s} kept after forward {kept / 2**20:7.1f} MiB   "
            f"peak {peak / 2**20:7.1f} MiB   forward + backward {elapsed:6.2f} s"
        )
    worst = max(
        float(np.max(np.abs(a - b)) / (np.max(np.abs(a)) + 1e-30))
        for a, b in zip(plain[3], checkpointed[3])
    )
    print(
        f"  activation memory: {ratio(plain[0], checkpointed[0])} less kept, "
        f"{ratio(plain[1], checkpointed[1])} lower peak (target >= 3x); "
        f"largest relative gradient difference {worst:.1e} (target <= 1e-6)"
    )


def hessian_function(lib, weight):
    def f(x):
        return (weight @ x).tanh().sum() + (x * x).sum() ** 2

    return f


def bench_hessian(torch, repeats):
    print("\n[hessian] of sum(tanh(W x)) + |x|^4, x with 100 elements, float64")
    rng = np.random.default_rng(0)
    weight = rng.standard_normal((100, 100)) / 10
    x = rng.standard_normal(100)
    ours_f = hessian_function(ag, ag.tensor(weight))
    ours_x = ag.tensor(x)
    ours_time = median_time(
        lambda: ag.functional.hessian(ours_f, ours_x), repeats=repeats, number=1
    )
    print(f"  chainrule {ours_time * 1e3:8.1f} ms")
    if torch is None:
        return
    theirs_f = hessian_function(torch, torch.tensor(weight))
    theirs_x = torch.tensor(x)
    torch_time = median_time(
        lambda: torch.autograd.functional.hessian(theirs_f, theirs_x), repeats=repeats, number=1
    )
    expected = torch.autograd.functional.hessian(theirs_f, theirs_x).numpy()
    error = np.max(np.abs(ag.functional.hessian(ours_f, ours_x).data - expected))
    print(f"  pytorch   {torch_time * 1e3:8.1f} ms   (max difference {error:.1e})")
    print(f"  chainrule / pytorch: {ratio(ours_time, torch_time)}  (target <= 3x)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    report_environment()
    bench_checkpoint()
    bench_hessian(optional_torch(), 3 if args.quick else 7)


if __name__ == "__main__":
    main()
