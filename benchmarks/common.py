"""Shared by the benchmark scripts: medians of repeated timings, environment report.

Run benchmarks with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (``make bench`` does):
these machines set them, they slow NumPy, and users do not have them.
"""

import os
import platform
import statistics
import sys
import time

import numpy as np


def report_environment():
    """Print Python, NumPy, the BLAS kernel NumPy runs (threadpoolctl) and the OPENBLAS vars."""
    print(f"python {platform.python_version()}  numpy {np.__version__}  cores {os.cpu_count()}")
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if name in os.environ:
            print(f"WARNING: {name}={os.environ[name]} is set; it slows NumPy (unset it)")
    try:
        from threadpoolctl import threadpool_info

        for pool in threadpool_info():
            print(
                f"BLAS: {pool.get('internal_api')} {pool.get('version')} "
                f"kernel={pool.get('architecture')} threads={pool.get('num_threads')}"
            )
    except ImportError:
        print("BLAS: unknown (pip install threadpoolctl to see which kernel NumPy runs)")
    torch = optional_torch()
    print(f"torch {torch.__version__ if torch else 'not installed'}")
    sys.stdout.flush()


def optional_torch():
    try:
        import torch
    except ImportError:
        return None
    return torch


def median_time(function, repeats=7, number=None, warmup=1):
    """Median seconds per call of ``function`` over ``repeats`` batches of ``number`` calls."""
    for _ in range(warmup):
        function()
    if number is None:
        start = time.perf_counter()
        function()
        elapsed = time.perf_counter() - start
        number = max(1, int(0.2 / max(elapsed, 1e-9)))
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            function()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


def interleaved_medians(functions, repeats, seconds=0.1):
    """Median milliseconds per call of each function, timed in turn within every repeat (a
    batch of about ``seconds`` each), so that load from other processes or a machine slowing
    down mid-run weighs on all of them alike."""
    for function in functions:
        function()  # warm up (and create state, such as an optimizer's)
    numbers = [
        max(1, int(seconds / max(median_time(f, repeats=1, number=1, warmup=0), 1e-9)))
        for f in functions
    ]
    samples = [[] for _ in functions]
    for _ in range(repeats):
        for function, number, times in zip(functions, numbers, samples):
            start = time.perf_counter()
            for _ in range(number):
                function()
            times.append((time.perf_counter() - start) / number * 1e3)
    return [statistics.median(times) for times in samples]


def ratio(ours, theirs):
    return f"{ours / theirs:.2f}x" if theirs else "n/a"
