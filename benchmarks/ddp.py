"""DistributedDataParallel training throughput (issue "Beyond one machine", performance).

The mlp workload: a 784-512-256-10 MLP (float32), cross-entropy, SGD, 128 samples per rank
per step, trained by 1 process (the plain model, no DDP) and by 2 ranks under
``mpiexec -n 2`` (DistributedDataParallel). Each rank is pinned to one BLAS thread. Prints
samples per second (median of repeats; a repeat's time is its slowest rank's) and the time
per step spent in the gradient all-reduce (including waiting for the slower rank).
Targets: all-reduce at most 10% of a step; 2 ranks at least 1.6x the samples per second of 1.

Usage: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/ddp.py [--quick]
(it launches itself under ``mpiexec``; needs ``pip install 'chainrule[mpi]'``).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from common import report_environment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import autograd as ag  # noqa: E402
import nn  # noqa: E402
import optim  # noqa: E402
from autograd import distributed as dist  # noqa: E402
from nn.parallel import DistributedDataParallel  # noqa: E402
from nn.parallel.launch import find_mpiexec  # noqa: E402

BATCH_PER_RANK = 128
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def time_reductions(ddp, totals):
    """Make every gradient bucket of ``ddp`` add the seconds it spends summing its gradients
    over the ranks to ``totals[0]``: starting the sum, and waiting for it (which includes
    waiting for the slower rank)."""

    def timed(function):
        def call():
            start = time.perf_counter()
            result = function()
            totals[0] += time.perf_counter() - start
            return result

        return call

    for bucket in ddp._buckets:
        bucket.reduce, bucket.wait = timed(bucket.reduce), timed(bucket.wait)


def isolated_reduction_seconds(ddp, repeats=30):
    """Median seconds of summing all gradient buckets as DDP does, when the ranks start it
    together: the transfer alone, without waiting for a slower rank."""
    seconds = []
    for _ in range(repeats):
        dist.barrier()
        start = time.perf_counter()
        for bucket in ddp._buckets:
            bucket.reduce()
        for bucket in ddp._buckets:
            bucket.wait()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def worker(steps, repeats):
    """One rank: train, then rank 0 prints a JSON line with the measurements."""
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # the OPENBLAS_NUM_THREADS=1 set by the launcher pins it anyway
        pass
    dist.init_process_group(backend="mpi")
    world_size = dist.get_world_size()
    ag.manual_seed(0)
    layers = [nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10)]
    model = nn.Sequential(*layers)
    trained = DistributedDataParallel(model) if world_size > 1 else model
    optimizer = optim.SGD(trained.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    rng = np.random.default_rng(dist.get_rank())
    inputs = ag.from_numpy(rng.standard_normal((BATCH_PER_RANK, 784), dtype=np.float32))
    targets = ag.from_numpy(rng.integers(0, 10, BATCH_PER_RANK))

    def step():
        optimizer.zero_grad()
        loss_fn(trained(inputs), targets).backward()
        optimizer.step()

    totals = [0.0]
    if world_size > 1:
        time_reductions(trained, totals)
    for _ in range(5):
        step()
    step_seconds, reduce_seconds = [], []
    for _ in range(repeats):
        dist.barrier()
        totals[0] = 0.0
        start = time.perf_counter()
        for _ in range(steps):
            step()
        elapsed = ag.tensor(time.perf_counter() - start, dtype=ag.float64)
        reduce_time = ag.tensor(totals[0], dtype=ag.float64)
        dist.all_reduce(elapsed, dist.ReduceOp.MAX)
        dist.all_reduce(reduce_time, dist.ReduceOp.AVG)
        step_seconds.append(elapsed.item() / steps)
        reduce_seconds.append(reduce_time.item() / steps)
    isolated = isolated_reduction_seconds(trained) if world_size > 1 else 0.0
    if dist.get_rank() == 0:
        step_time = statistics.median(step_seconds)
        result = {
            "ranks": world_size,
            "samples_per_second": world_size * BATCH_PER_RANK / step_time,
            "step_ms": 1e3 * step_time,
            "all_reduce_ms": 1e3 * statistics.median(reduce_seconds),
            "isolated_ms": 1e3 * isolated,
            "through": "shared memory" if world_size > 1 and trained._buckets[0].shared else "MPI",
        }
        print(json.dumps(result), flush=True)
    dist.destroy_process_group()


def launch(ranks, steps, repeats):
    mpiexec = find_mpiexec()
    if mpiexec is None:
        sys.exit("benchmarks/ddp.py needs mpiexec: pip install 'chainrule[mpi]'")
    command = [mpiexec, "-n", str(ranks), sys.executable, __file__, "--worker"]
    command += ["--steps", str(steps), "--repeats", str(repeats)]
    result = subprocess.run(
        command, env={**os.environ, **ONE_THREAD}, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps (a smoke test)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--steps", type=int, default=40, help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=7, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.steps, args.repeats)
        return
    if args.quick:
        args.steps, args.repeats = 5, 2
    if find_mpiexec() is None:
        # `make bench` runs every script; without the extra this one has nothing to measure.
        print("benchmarks/ddp.py skipped: no mpiexec (pip install 'chainrule[mpi]')")
        return
    report_environment()
    print(f"load average {os.getloadavg()[0]:.2f}; one BLAS thread per rank")
    print(
        f"{'ranks':>5} {'samples/s':>10} {'step ms':>8} {'all-reduce ms':>14} {'share':>6} "
        f"{'alone ms':>9}"
    )
    results = [launch(ranks, args.steps, args.repeats) for ranks in (1, 2)]
    for result in results:
        share = result["all_reduce_ms"] / result["step_ms"]
        print(
            f"{result['ranks']:>5} {result['samples_per_second']:>10.0f} "
            f"{result['step_ms']:>8.2f} {result['all_reduce_ms']:>14.3f} {share:>6.1%} "
            f"{result['isolated_ms']:>9.3f}"
        )
    print(
        f"all-reduce: DDP's sum of the gradients over the ranks (through {results[1]['through']}); "
        "alone: the same started together (the transfer, no waiting)"
    )
    speedup = results[1]["samples_per_second"] / results[0]["samples_per_second"]
    share = results[1]["all_reduce_ms"] / results[1]["step_ms"]
    print(f"2 ranks / 1 rank: {speedup:.2f}x samples/s (target >= 1.6x)")
    print(f"all-reduce share of a 2-rank step: {share:.1%} (target <= 10%)")


if __name__ == "__main__":
    main()
