"""Run by ``tests/test_distributed.py`` under ``mpiexec -n 2``: rank 1 raises while rank 0
waits in a barrier that rank 1 never reaches. The excepthook that ``init_process_group``
installs must abort the whole job, so ``mpiexec`` exits non-zero instead of hanging."""

from autograd import distributed as dist

dist.init_process_group(backend="mpi")
if dist.get_rank() == 1:
    raise ValueError("rank 1 fails on purpose")
dist.barrier()
