"""ag.distributed: collectives between processes over MPI, as ``torch.distributed``.

Start the same script on N processes with ``mpiexec -n N python train.py``; each calls
``init_process_group(backend="mpi")`` and then knows its ``get_rank()`` in
``0 .. get_world_size() - 1``. The collectives act in place on a tensor's NumPy array
through MPI's buffer interface (mpi4py's upper-case methods: no pickling, no copy when the
array is C-contiguous). They are not recorded by autograd.

mpi4py is an optional dependency (``pip install 'chainrule[mpi]'`` brings it and the MPICH
library with ``mpiexec``); it is imported only by ``init_process_group``.

>>> ag.distributed.init_process_group(backend="mpi")           # doctest: +SKIP
>>> x = ag.tensor([float(ag.distributed.get_rank())])           # doctest: +SKIP
>>> ag.distributed.all_reduce(x)                                # doctest: +SKIP
>>> x                             # 0 + 1 + ... + (N - 1) on every rank  # doctest: +SKIP
"""

import enum
import importlib.util
import math
import os
import sys
import time
import traceback

import numpy as np

from .tensor import Tensor, version_counter

_ABORT_DELAY = 1.0  # seconds
_SHARED_MEMORY_FILES = "/dev/shm"
_INSTALL_HINT = "install the MPI extra: pip install 'chainrule[mpi]' (mpi4py and MPICH)"
_NOT_INITIALIZED = (
    "Default process group has not been initialized, please make sure to call init_process_group."
)


class ReduceOp(enum.Enum):
    """How ``all_reduce`` combines the ranks' values (AVG: the sum divided by world size)."""

    SUM = "sum"
    AVG = "avg"
    PRODUCT = "product"
    MIN = "min"
    MAX = "max"


class _ProcessGroup:
    """The default group: a private duplicate of MPI's world communicator (so user code on
    ``COMM_WORLD`` cannot mix its messages with ours), whether all its ranks run on one
    machine (and so can share memory: ``SharedSum``), the shared-memory windows made for it
    (freed with it) and the excepthook it replaced."""

    def __init__(self, mpi, comm, previous_excepthook):
        self.mpi = mpi
        self.comm = comm
        self.rank = comm.Get_rank()
        self.size = comm.Get_size()
        node = comm.Split_type(mpi.COMM_TYPE_SHARED)
        self.one_node = node.Get_size() == self.size
        node.Free()
        self.windows = []
        self.previous_excepthook = previous_excepthook


_group = None


def is_available():
    """True: the package is importable without MPI (``is_mpi_available`` tells about MPI)."""
    return True


def is_mpi_available():
    """Whether mpi4py is installed, so ``init_process_group(backend="mpi")`` can work."""
    return importlib.util.find_spec("mpi4py") is not None


def is_initialized():
    """Whether ``init_process_group`` has run (and ``destroy_process_group`` has not)."""
    return _group is not None


def _import_mpi():
    try:
        from mpi4py import MPI
    except ImportError as error:
        raise RuntimeError(
            f"init_process_group(backend='mpi') needs mpi4py, which is not installed: "
            f"{_INSTALL_HINT}"
        ) from error
    return MPI


def init_process_group(backend=None, *, world_size=-1, rank=-1):
    """Join the default process group: every process started by ``mpiexec -n N``.

    ``backend`` is "mpi" (or None, meaning "mpi"). MPI decides each process's rank and the
    world size; ``world_size`` and ``rank``, when given, are checked against them. An
    uncaught exception on any rank from now on aborts the whole job (every rank exits
    non-zero) instead of leaving the others waiting forever in a collective.
    """
    global _group
    if backend not in (None, "mpi"):
        raise ValueError(
            f"init_process_group: backend must be 'mpi' (the only one chainrule has), "
            f"got {backend!r}"
        )
    if _group is not None:
        raise RuntimeError("trying to initialize the default process group twice!")
    mpi = _import_mpi()
    comm = mpi.COMM_WORLD.Dup()
    for name, given, actual in (
        ("world_size", world_size, comm.Get_size()),
        ("rank", rank, comm.Get_rank()),
    ):
        if given not in (-1, actual):
            comm.Free()
            raise ValueError(
                f"init_process_group: {name}={given} but MPI gives {actual} "
                f"(with the MPI backend, mpiexec -n decides the world size and ranks)"
            )
    _group = _ProcessGroup(mpi, comm, sys.excepthook)
    sys.excepthook = _abort_on_exception


def _abort_on_exception(exc_type, exc_value, exc_traceback):
    """Print the uncaught exception with this process's rank, then abort every rank."""
    group = _group
    if group is None:  # the group was destroyed: behave as the hook we replaced
        sys.__excepthook__(exc_type, exc_value, exc_traceback)
        return
    lines = traceback.format_exception(exc_type, exc_value, exc_traceback)
    sys.stderr.write(
        f"[rank {group.rank}] uncaught exception, aborting all ranks:\n{''.join(lines)}"
    )
    sys.stderr.flush()
    # The abort tears the job down at once, and mpiexec may then drop output it has not
    # forwarded yet: give it a moment to pass the traceback on.
    time.sleep(_ABORT_DELAY)
    group.mpi.COMM_WORLD.Abort(1)


def destroy_process_group():
    """Leave the default group (MPI itself is finalised when the process exits); the
    group's ``SharedSum`` memory is given back."""
    global _group
    group = _current_group()
    for window in group.windows:  # every rank made them in the same order: free in it
        window.Unlock_all()
        window.Free()
    group.comm.Free()
    sys.excepthook = group.previous_excepthook
    _group = None


def _current_group():
    if _group is None:
        raise ValueError(_NOT_INITIALIZED)
    return _group


def get_rank():
    """This process's rank, 0 .. world size - 1."""
    return _current_group().rank


def get_world_size():
    """The number of processes in the default group."""
    return _current_group().size


def get_backend():
    _current_group()
    return "mpi"


def barrier():
    """Wait until every rank has reached this call."""
    _current_group().comm.Barrier()


def _writable_array(tensor, name):
    """The tensor's array, which the collective ``name`` writes in place."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"{name}: expected a Tensor, got {type(tensor).__name__}")
    if not tensor.data.flags.writeable:
        raise RuntimeError(f"{name}: the tensor's data is read-only (an expanded view?)")
    return tensor.data


def _contiguous(array):
    """``array`` when it is one block of memory (MPI's buffer interface needs one), else a
    contiguous copy."""
    return array if array.flags.c_contiguous else np.ascontiguousarray(array)


def _in_contiguous_buffer(array, collective):
    """Run ``collective(buffer)`` on ``array``, through a contiguous copy when it is a
    strided view."""
    buffer = _contiguous(array)
    collective(buffer)
    if buffer is not array:
        np.copyto(array, buffer)


class Work:
    """A collective started with ``async_op=True``. ``wait()`` blocks until it has completed
    and the tensor holds the result; ``is_completed()`` asks without blocking."""

    def __init__(self, request, finish):
        self._request = request
        self._finish = finish

    def is_completed(self):
        if self._finish is not None and self._request.Test():
            self._complete()
        return self._finish is None

    def wait(self):
        if self._finish is not None:
            self._request.Wait()
            self._complete()
        return True

    def _complete(self):
        finish, self._finish = self._finish, None
        finish()


def _mpi_op(mpi, op, dtype):
    if dtype == np.bool_:  # MPI reduces C booleans only with logical operators
        return mpi.LAND if op in (ReduceOp.MIN, ReduceOp.PRODUCT) else mpi.LOR
    return {
        ReduceOp.SUM: mpi.SUM,
        ReduceOp.AVG: mpi.SUM,
        ReduceOp.PRODUCT: mpi.PROD,
        ReduceOp.MIN: mpi.MIN,
        ReduceOp.MAX: mpi.MAX,
    }[op]


def all_reduce(tensor, op=ReduceOp.SUM, async_op=False):
    """Replace ``tensor`` on every rank by the reduction (``op``) of all ranks' values.

    ``tensor`` must have the same shape and dtype on every rank. AVG divides the sum by the
    world size and needs a floating-point tensor. With ``async_op=True`` the reduction is
    started (MPI's non-blocking Iallreduce) and a ``Work`` is returned: ``tensor`` holds
    the result after its ``wait()``.
    """
    group = _current_group()
    array = _writable_array(tensor, "all_reduce")
    if not isinstance(op, ReduceOp):
        raise TypeError(f"all_reduce: op must be a ReduceOp, got {op!r}")
    if op is ReduceOp.AVG and not np.issubdtype(array.dtype, np.floating):
        raise TypeError(
            f"all_reduce: ReduceOp.AVG needs a floating-point tensor, got {array.dtype}"
        )
    mpi_op = _mpi_op(group.mpi, op, array.dtype)
    buffer = _contiguous(array)

    def finish():
        if op is ReduceOp.AVG:
            np.divide(buffer, group.size, out=buffer)
        if buffer is not array:
            np.copyto(array, buffer)
        version_counter(tensor)[0] += 1

    if async_op:
        return Work(group.comm.Iallreduce(group.mpi.IN_PLACE, buffer, mpi_op), finish)
    group.comm.Allreduce(group.mpi.IN_PLACE, buffer, mpi_op)
    finish()
    return None


def broadcast(tensor, src):
    """Copy rank ``src``'s ``tensor`` into ``tensor`` on every other rank."""
    group = _current_group()
    array = _writable_array(tensor, "broadcast")
    if isinstance(src, bool) or not isinstance(src, int) or not 0 <= src < group.size:
        raise ValueError(f"broadcast: src must be a rank in [0, {group.size}), got {src!r}")
    _in_contiguous_buffer(array, lambda buffer: group.comm.Bcast(buffer, root=src))
    version_counter(tensor)[0] += 1


def all_gather(tensor_list, tensor):
    """Fill ``tensor_list[r]`` with rank r's ``tensor``, on every rank.

    ``tensor_list`` holds world-size tensors of ``tensor``'s shape and dtype.
    """
    group = _current_group()
    if not isinstance(tensor, Tensor):
        raise TypeError(f"all_gather: expected a Tensor, got {type(tensor).__name__}")
    if len(tensor_list) != group.size:
        raise ValueError(
            f"all_gather: tensor_list has {len(tensor_list)} tensors, "
            f"the world size is {group.size}"
        )
    for index, output in enumerate(tensor_list):
        array = _writable_array(output, "all_gather")
        if array.shape != tensor.shape or array.dtype != tensor.dtype:
            raise ValueError(
                f"all_gather: tensor_list[{index}] has shape {tuple(array.shape)} and dtype "
                f"{array.dtype}, the input has shape {tuple(tensor.shape)} and dtype "
                f"{tensor.dtype}"
            )
    gathered = np.empty((group.size, *tensor.shape), dtype=tensor.dtype)
    group.comm.Allgather(np.ascontiguousarray(tensor.data), gathered)
    for output, part in zip(tensor_list, gathered):
        np.copyto(output.data, part)
        version_counter(output)[0] += 1


class SharedSum:
    """The sum over the ranks of one array per rank, through memory every rank maps instead
    of MPI's messages: DistributedDataParallel's gradient all-reduce when the ranks run on
    one machine with room in its shared memory (``SharedSum.fits``).

    An MPI-3 shared-memory window holds two sets of rows, one row of ``size`` elements of
    ``dtype`` per rank in each. Each rank writes its values into ``local`` (its row of the
    current set) and then calls ``sum()``: it waits for every rank (one barrier) and adds
    the set's rows, in rank order, into a new array, so every rank gets the same bits; then
    ``local`` moves to the other set. Alternating sets lets a rank write its next row while
    another still reads this set: a rank reaches the next sum's barrier only once it has
    read, so nobody writes a set before everyone has read it. Each rank reads every row
    once, where an all-reduce through MPI's message buffers also copies through them (for
    benchmarks/ddp.py's 2.1 MB of gradients on two ranks: 0.09-0.13 ms against 0.26-0.37).
    Creating one is collective, as is ``sum()``. ``destroy_process_group`` frees the window
    (a collective call too); the SharedSum is then no longer ``alive``.
    """

    def __init__(self, size, dtype):
        group = _current_group()
        if not group.one_node:
            raise RuntimeError("SharedSum: the ranks do not all run on one machine")
        itemsize = np.dtype(dtype).itemsize
        shape = (2, group.size, size)
        self._group = group
        self._window = group.mpi.Win.Allocate_shared(
            math.prod(shape) * itemsize if group.rank == 0 else 0, itemsize, comm=group.comm
        )
        group.windows.append(self._window)
        memory, _ = self._window.Shared_query(0)
        self._sets = np.ndarray(buffer=memory, dtype=dtype, shape=shape)
        self._current = 0
        # Passive access for the window's life: Sync() then orders this rank's memory
        # operations (MPI's unified model for shared windows), the barrier the ranks.
        self._window.Lock_all(group.mpi.MODE_NOCHECK)

    @staticmethod
    def fits(nbytes):
        """Whether SharedSums of ``nbytes`` per rank in all fit: the ranks run on one machine
        whose shared-memory file system (``/dev/shm``, where MPI keeps the windows) has
        twice the room they take (``2 x world size x nbytes``) free. Collective: every rank
        gets the same answer. Where it is False, sum through MPI's messages instead."""
        group = _current_group()
        try:
            status = os.statvfs(_SHARED_MEMORY_FILES)
            room = status.f_bavail * status.f_frsize >= 2 * 2 * group.size * nbytes
        except OSError:  # no /dev/shm: MPI may keep shared memory elsewhere; do not guess
            room = False
        verdict = np.array([group.one_node and room], dtype=np.bool_)
        group.comm.Allreduce(group.mpi.IN_PLACE, verdict, group.mpi.LAND)
        return bool(verdict[0])

    @property
    def local(self):
        """This rank's row of the current set: write the values to sum here."""
        self._check_alive()
        return self._sets[self._current, self._group.rank]

    @property
    def alive(self):
        """False once its process group is destroyed: the memory is gone, and with it the
        arrays that ``local`` gave."""
        return self._window != self._group.mpi.WIN_NULL

    def _check_alive(self):
        if not self.alive:
            raise RuntimeError(
                "SharedSum: its process group was destroyed (destroy_process_group), and "
                "its memory with it"
            )

    def sum(self):
        self._check_alive()
        rows = self._sets[self._current]
        self._window.Sync()
        self._group.comm.Barrier()  # every rank has written its row
        self._window.Sync()
        total = np.add(rows[0], rows[1]) if len(rows) > 1 else rows[0].copy()
        for row in rows[2:]:
            np.add(total, row, out=total)
        self._current = 1 - self._current
        return total
