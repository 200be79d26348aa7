"""Intra-op threads: how many there are, and elementwise work split over them.

chainrule's ops run NumPy on the calling thread (matrix products use BLAS's own threads).
The optimizers' elementwise updates are split over ``get_num_threads()`` threads when they
are large, as PyTorch splits each CPU kernel over its intra-op threads: NumPy releases the
GIL inside its loops, so slices of one array are updated at the same time. The results do
not depend on the number of threads: every element goes through the same arithmetic.

The default is ``OMP_NUM_THREADS`` when set (as for PyTorch), else the cores this process
may run on (fewer when a container's CPU quota allows fewer). Use ``set_num_threads(1)`` in
processes that share the cores with others.
"""

import itertools
import math
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

# Handing a slice to a waiting thread and collecting it costs tens of microseconds (its
# wake-up), about what NumPy takes for a few passes over this many elements; below it a
# split costs more than it saves.
MIN_ELEMENTS_PER_THREAD = 1 << 16

_num_threads = None  # read from the environment on first use
_pool = None  # the threads beyond the caller's: get_num_threads() - 1 of them


def _default_num_threads():
    setting = os.environ.get("OMP_NUM_THREADS", "")
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    if hasattr(os, "sched_getaffinity"):
        cores = len(os.sched_getaffinity(0))
    else:
        cores = os.cpu_count() or 1
    return min(cores, _cpu_quota() or cores)


CPU_MAX = "/sys/fs/cgroup/cpu.max"  # cgroup v2: "<quota> <period>", or "max <period>"


def _cpu_quota():
    """The CPUs a container's cgroup quota allows (rounded up), or None without a quota: a
    container may see more cores than it may use."""
    try:
        with open(CPU_MAX) as file:
            quota, period = file.read().split()[:2]
        return max(1, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError):
        return None


def get_num_threads():
    """The number of threads large elementwise updates are split over."""
    global _num_threads
    if _num_threads is None:
        _num_threads = _default_num_threads()
    return _num_threads


def set_num_threads(count):
    """Split large elementwise updates over ``count`` threads (1: the caller's only)."""
    global _num_threads, _pool
    if type(count) is not int:
        raise RuntimeError(f"set_num_threads expects an int, but got {type(count).__name__}")
    if count < 1:
        raise RuntimeError(f"set_num_threads expects a positive integer, got {count}")
    if count != _num_threads and _pool is not None:
        _pool.shutdown(wait=False)
        _pool = None
    _num_threads = count


def _forget_pool():
    """In a forked child: the parent's threads do not exist there; make new ones on use."""
    global _pool
    _pool = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def map_slices(kernel, work):
    """Call ``kernel(*arrays, *numbers)`` for each ``(arrays, numbers)`` of ``work``.

    ``arrays`` are arrays of one shape (or None) that the kernel reads and updates
    elementwise; ``numbers`` go along as they are. When the items hold at least
    ``2 * MIN_ELEMENTS_PER_THREAD`` elements in all, they are cut into up to
    ``get_num_threads()`` runs of about equal size (the first a little larger, with every
    small item), a large array into blocks of rows (the same block of each of an item's
    arrays, along the axis with the largest stride: a contiguous array gives contiguous
    blocks), and the runs are done at once, the first on the calling thread. Each run keeps
    the caller's NumPy error settings. Returns when all are done; a kernel's exception is
    raised then.
    """
    total = 0
    for arrays, _ in work:
        total += arrays[0].size
    count = min(get_num_threads(), total // MIN_ELEMENTS_PER_THREAD)
    if count < 2:
        for arrays, numbers in work:
            kernel(*arrays, *numbers)
        return
    # The calling thread starts at once, the others when woken (tens of microseconds later):
    # it takes MIN_ELEMENTS_PER_THREAD more than their equal shares, among them the small
    # items (each costs more in Python than in NumPy), and the others cut up the large ones.
    small, large = [], []
    for item in work:
        (small if item[0][0].size < MIN_ELEMENTS_PER_THREAD // 4 else large).append(item)
    large_total = total - sum([item[0][0].size for item in small])
    share = (total - MIN_ELEMENTS_PER_THREAD) // count  # each other thread's
    own = max(large_total - share * (count - 1), 0)  # the calling thread's part of the large
    others = large_total - own
    runs = _cut(large, [0] + [own + others * k // (count - 1) for k in range(count - 1)])
    runs[0] += small
    futures = [_get_pool().submit(_run, kernel, run, np.geterr()) for run in runs[1:]]
    try:
        for arrays, numbers in runs[0]:
            kernel(*arrays, *numbers)
    finally:
        for future in futures:
            future.exception()  # wait for every run before anything is raised
    for future in futures:
        future.result()


def _get_pool():
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(get_num_threads() - 1, thread_name_prefix="chainrule")
    return _pool


def _run(kernel, run, settings):
    with np.errstate(**settings):
        for arrays, numbers in run:
            kernel(*arrays, *numbers)


def _cut(work, starts):
    """The items of ``work`` laid end to end, cut into runs beginning at the element offsets
    ``starts`` (the first 0): run ``k`` gets the rows (along an item's outermost axis) whose
    first element is at or past ``starts[k]`` and before ``starts[k + 1]``; an item within
    one run (or 0-d) goes to it whole."""
    runs = [[] for _ in starts]
    run = 0
    offset = 0
    for item in work:
        first = item[0][0]
        size = first.size
        while run + 1 < len(starts) and starts[run + 1] <= offset:
            run += 1
        if run + 1 == len(starts) or offset + size <= starts[run + 1] or not first.ndim:
            runs[run].append(item)
        else:
            _cut_item(item, runs, starts, run, offset)
        offset += size
    return runs


def _cut_item(item, runs, starts, run, offset):
    """Share an item that straddles runs ``run``, ``run + 1``, ... out among them."""
    arrays, numbers = item
    shape = arrays[0].shape
    axis = _outer_axis(arrays[0])
    rows = shape[axis]
    per_row = arrays[0].size // rows
    # each run's first row here: the first starting at or past the run's start
    firsts = [0] + [
        min(max(_ceil_div(start - offset, per_row), 0), rows) for start in starts[run + 1 :]
    ]
    firsts.append(rows)
    lead = (slice(None),) * axis
    for index, (first, stop) in enumerate(itertools.pairwise(firsts)):
        if first < stop:
            cut = (*lead, slice(first, stop))
            sliced = tuple([None if array is None else array[cut] for array in arrays])
            runs[run + index].append((sliced, numbers))


def _ceil_div(a, b):
    return -(-a // b)


def _outer_axis(array):
    """The axis to cut along: of those longer than 1, the one with the largest stride."""
    strides = [
        abs(stride) if length > 1 else -1 for length, stride in zip(array.shape, array.strides)
    ]
    return strides.index(max(strides))
