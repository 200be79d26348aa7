"""Elementwise updates split over threads (autograd.parallel, used by every optimizer but
LBFGS): the same numbers on any number of threads, cuts that cover every element once, the
caller's NumPy error settings in every thread, errors raised, and the thread-count setting.
"""

import multiprocessing
import os
import threading
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from optim_cases import CASES

import autograd as ag
import optim
from autograd import parallel


@pytest.fixture
def split_everything(monkeypatch):
    """Split even the smallest update over three threads; lists the threads that ran a run
    handed to the pool, one entry per run."""
    count = parallel.get_num_threads()
    monkeypatch.setattr(parallel, "MIN_ELEMENTS_PER_THREAD", 1)
    parallel.set_num_threads(3)
    ran_on = []
    run = parallel._run

    def noting_run(*args):
        ran_on.append(threading.current_thread().name)
        run(*args)

    monkeypatch.setattr(parallel, "_run", noting_run)
    yield ran_on
    parallel.set_num_threads(count)


def normal(rng, shape):
    return rng.standard_normal(shape, dtype=np.float32)


def layouts(rng):
    """Parameter arrays of every kind the cuts must handle, each with a gradient of another
    memory layout: C and Fortran order, a single row, 0-d, empty, a vector."""
    params = [
        normal(rng, (7, 5)),
        np.asfortranarray(normal(rng, (6, 4))),
        normal(rng, (1, 9)),
        normal(rng, ()),
        np.zeros((0, 3), np.float32),
        normal(rng, 11),
    ]
    grads = [
        np.asfortranarray(normal(rng, (7, 5))),
        np.ascontiguousarray(normal(rng, (6, 4))),
        normal(rng, (9, 1)).T,
        normal(rng, ()),
        np.zeros((0, 3), np.float32),
        normal(rng, 22)[::2],
    ]
    return params, grads


def run_optimizer(name, options, steps=4):
    """Parameters and state arrays after ``steps`` steps on fixed gradients."""
    rng = np.random.default_rng(5)
    arrays, _ = layouts(rng)
    params = [ag.from_numpy(array).requires_grad_() for array in arrays]
    optimizer = getattr(optim, name)(params, **options)
    for _ in range(steps):
        _, grads = layouts(rng)
        for param, grad in zip(params, grads):
            param.grad = ag.from_numpy(grad)
        optimizer.step()
    states = [
        value.numpy()
        for param in params
        for key, value in sorted(optimizer.state[param].items())
        if isinstance(value, ag.Tensor)
    ]
    return [param.detach().numpy() for param in params] + states


def test_layouts_are_what_they_say():
    params, grads = layouts(np.random.default_rng(0))
    tensors = [ag.from_numpy(array) for array in params + grads]
    assert tensors[1].numpy().flags.f_contiguous and not tensors[1].numpy().flags.c_contiguous
    assert tensors[6].numpy().flags.f_contiguous and not tensors[6].numpy().flags.c_contiguous
    assert not tensors[11].numpy().flags.contiguous


@pytest.mark.parametrize(("name", "options"), CASES, ids=lambda c: str(c))
def test_optimizers_give_the_same_numbers_on_any_thread_count(name, options, split_everything):
    parallel.set_num_threads(1)
    alone = run_optimizer(name, options)
    assert not split_everything
    parallel.set_num_threads(3)
    split = run_optimizer(name, options)
    # at each of the 4 steps, two runs of three went to other threads
    assert len(split_everything) == 8 and "MainThread" not in split_everything
    assert len(alone) == len(split)
    for a, b in zip(alone, split):
        np.testing.assert_array_equal(a, b)


shapes = st.lists(
    st.lists(st.integers(0, 6), min_size=0, max_size=3).map(tuple), min_size=1, max_size=5
)


@settings(max_examples=80, deadline=None)
@given(shapes=shapes, count=st.integers(2, 5), fortran=st.booleans(), head=st.integers(0, 9))
def test_cuts_cover_every_element_once_in_runs_of_the_asked_sizes(shapes, count, fortran, head):
    order = "F" if fortran else "C"
    arrays = [np.zeros(shape, order=order) for shape in shapes]
    work = [((array, None), (1.0,)) for array in arrays]
    total = sum(array.size for array in arrays)
    starts = sorted({0, *[min(head + k * total // count, total) for k in range(1, count)]})
    runs = parallel._cut(work, starts)
    assert len(runs) == len(starts)
    for run in runs:
        for (piece, nothing), numbers in run:
            assert nothing is None and numbers == (1.0,)
            piece += 1
    for array in arrays:
        np.testing.assert_array_equal(array, 1)
    # each run is within a row (of an item it cuts; a 0-d item is one) of its share
    row = max(
        [
            array.size // array.shape[parallel._outer_axis(array)]
            for array in arrays
            if array.size and array.ndim
        ],
        default=1,
    )
    for run, start, stop in zip(runs, starts, [*starts[1:], total]):
        size = sum(arrays_[0].size for arrays_, _ in run)
        assert abs(size - (stop - start)) <= 2 * row


def test_a_contiguous_parameter_is_cut_into_contiguous_blocks():
    param = np.zeros((8, 3))
    runs = parallel._cut([((param, param.T.T), ())], [0, 12])
    pieces = [arrays[0] for run in runs for arrays, _ in run]
    assert [piece.shape for piece in pieces] == [(4, 3), (4, 3)]
    assert all(piece.flags.c_contiguous for piece in pieces)
    fortran = np.zeros((3, 8), order="F")
    runs = parallel._cut([((fortran,), ())], [0, 12])
    pieces = [arrays[0] for run in runs for arrays, _ in run]
    assert [piece.shape for piece in pieces] == [(3, 4), (3, 4)]
    assert all(piece.flags.f_contiguous for piece in pieces)


def test_the_calling_thread_takes_a_head_start_more(monkeypatch):
    count = parallel.get_num_threads()
    parallel.set_num_threads(2)
    cut = parallel._cut
    starts = []
    monkeypatch.setattr(parallel, "_cut", lambda work, at: starts.append(at) or cut(work, at))
    try:
        size = 10 * parallel.MIN_ELEMENTS_PER_THREAD
        parallel.map_slices(np.negative, [((np.zeros(size),), ())])
    finally:
        parallel.set_num_threads(count)
    assert starts == [[0, (size + parallel.MIN_ELEMENTS_PER_THREAD) // 2]]


def test_small_items_stay_with_the_calling_thread(monkeypatch):
    count = parallel.get_num_threads()
    monkeypatch.setattr(parallel, "MIN_ELEMENTS_PER_THREAD", 64)  # small: under 16
    handed = []
    run = parallel._run
    monkeypatch.setattr(parallel, "_run", lambda *args: handed.append(args[1]) or run(*args))
    parallel.set_num_threads(2)
    try:
        arrays = [np.zeros(size) for size in (300, 4, 300, 2, 15)]
        parallel.map_slices(np.negative, [((array, array), ()) for array in arrays])
        parallel.map_slices(lambda array: np.add(array, 1, out=array), [((a,), ()) for a in arrays])
    finally:
        parallel.set_num_threads(count)
    assert len(handed) == 2
    assert all(item[0][0].size >= 16 for run in handed for item in run)
    for array in arrays:
        np.testing.assert_array_equal(array, 1)


def raise_on_marked(array, marked):
    if marked:
        raise ValueError("a kernel failed")
    array += 1


def test_a_kernel_error_in_another_thread_is_raised_after_every_run(split_everything):
    arrays = [np.zeros(4) for _ in range(3)]
    work = [((arrays[0],), (False,)), ((arrays[1],), (False,)), ((arrays[2],), (True,))]
    with pytest.raises(ValueError, match="a kernel failed"):
        parallel.map_slices(raise_on_marked, work)
    assert len(split_everything) == 2
    np.testing.assert_array_equal(arrays[0], 1)
    np.testing.assert_array_equal(arrays[1], 1)


def reciprocal(array):
    np.divide(1.0, array, out=array)


def test_every_thread_runs_under_the_callers_numpy_error_settings(split_everything):
    arrays = [np.ones(3), np.ones(3), np.zeros(3)]  # the zeros go to another thread's run
    with np.errstate(divide="raise"), pytest.raises(FloatingPointError):
        parallel.map_slices(reciprocal, [((array,), ()) for array in arrays])
    assert len(split_everything) == 2
    arrays = [np.zeros(3) for _ in range(3)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="ignore"):
            parallel.map_slices(reciprocal, [((array,), ()) for array in arrays])
    np.testing.assert_array_equal(np.concatenate(arrays), np.inf)


def test_an_inf_gradient_updates_quietly_on_every_thread(split_everything):
    params = [ag.tensor(np.ones(4, np.float32), requires_grad=True) for _ in range(3)]
    for param in params:
        param.grad = ag.tensor(np.full(4, np.inf, np.float32))
    optimizer = optim.Adam(params)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        optimizer.step()
    assert len(split_everything) == 2
    assert all(np.isnan(param.detach().numpy()).all() for param in params)


def test_small_updates_stay_on_the_calling_thread(monkeypatch):
    count = parallel.get_num_threads()
    parallel.set_num_threads(4)
    try:
        cut = []
        monkeypatch.setattr(parallel, "_cut", lambda *args: cut.append(args))
        arrays = [np.zeros(parallel.MIN_ELEMENTS_PER_THREAD) for _ in range(2)]
        parallel.map_slices(np.negative, [((array[:-1],), ()) for array in arrays])
        assert not cut
    finally:
        parallel.set_num_threads(count)


@pytest.mark.parametrize("value", [0, -2])
def test_set_num_threads_wants_a_positive_count(value):
    with pytest.raises(RuntimeError, match=f"positive integer, got {value}"):
        ag.set_num_threads(value)


@pytest.mark.parametrize("value", [1.5, "2", True, None])
def test_set_num_threads_wants_an_int(value):
    with pytest.raises(RuntimeError, match=f"expects an int, but got {type(value).__name__}"):
        ag.set_num_threads(value)


def test_the_default_thread_count_honours_omp_num_threads(monkeypatch):
    monkeypatch.setattr(parallel, "_num_threads", None)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert ag.get_num_threads() == 3
    monkeypatch.setattr(parallel, "_num_threads", None)
    monkeypatch.setenv("OMP_NUM_THREADS", "many")
    assert ag.get_num_threads() == parallel._default_num_threads() >= 1
    monkeypatch.delenv("OMP_NUM_THREADS")
    monkeypatch.setattr(parallel, "_num_threads", None)
    assert ag.get_num_threads() >= 1


@pytest.mark.parametrize(
    ("cpu_max", "expected"),
    [("150000 100000\n", 2), ("50000 100000\n", 1), ("max 100000\n", None), (None, None)],
)
def test_a_container_cpu_quota_caps_the_default(tmp_path, monkeypatch, cpu_max, expected):
    path = tmp_path / "cpu.max"
    if cpu_max is not None:
        path.write_text(cpu_max)
    monkeypatch.setattr(parallel, "CPU_MAX", str(path))
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    assert parallel._cpu_quota() == expected
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(8)), raising=False)
    assert parallel._default_num_threads() == (expected or 8)


def step_in_child(queue):
    arrays = [np.zeros(5) for _ in range(3)]
    parallel.map_slices(np.add, [((array, array, array), ()) for array in arrays])
    queue.put(threading.active_count())


def test_a_forked_child_makes_its_own_threads(split_everything):
    # the parent's pool with both its threads started (each waits for the other)
    both = threading.Barrier(2)
    for future in [parallel._get_pool().submit(both.wait, 10) for _ in range(2)]:
        future.result()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=step_in_child, args=(queue,))
    child.start()
    child.join(60)
    if child.exitcode is None:
        child.kill()
    assert child.exitcode == 0
    assert queue.get(timeout=5) >= 2  # the caller's thread and a new one at least
