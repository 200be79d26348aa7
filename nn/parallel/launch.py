"""``chainrule train --nproc N``: the same training on N processes under ``mpiexec``.

The command re-runs itself as ``mpiexec -n N python -m nn.cli ...`` with
``CHAINRULE_NPROC=N`` set, which marks the processes as workers. Each worker joins the
process group, averages its gradients with ``DistributedDataParallel`` and trains on its
``DistributedSampler`` share of every epoch (``--batch-size`` samples per rank and step);
every rank logs (``log``: whole lines under the rank, ``[1] epoch ...``), only rank 0 writes
the checkpoint, metrics and plots.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from autograd import distributed as dist
from nn.data import DataLoader, DistributedSampler

from .distributed import DistributedDataParallel

WORKER_VARIABLE = "CHAINRULE_NPROC"


def is_worker():
    """Whether this process was started by ``relaunch`` (one rank of a distributed run)."""
    return WORKER_VARIABLE in os.environ


def is_writer():
    """Whether this process writes the run's files: rank 0, or the only process."""
    return not dist.is_initialized() or dist.get_rank() == 0


def log(message):
    """Print one line of this process's log; in a distributed run prefixed with the rank and
    written in one piece, so that the lines of ranks sharing mpiexec's output never run into
    each other (mpiexec's own ``-prepend-rank`` splits lines that arrive in two writes)."""
    prefix = f"[{dist.get_rank()}] " if dist.is_initialized() else ""
    sys.stdout.write(f"{prefix}{message}\n")
    sys.stdout.flush()


def find_mpiexec():
    """The ``mpiexec`` installed beside this Python (the MPICH wheel's), else on PATH."""
    beside_python = Path(sys.executable).parent / "mpiexec"
    return str(beside_python) if beside_python.exists() else shutil.which("mpiexec")


def relaunch(nproc, arguments):
    """Run ``python arguments...`` on ``nproc`` ranks under mpiexec; its exit status.
    Without MPI, exit with a message that says how to install it."""
    mpiexec = find_mpiexec()
    if mpiexec is None or not dist.is_mpi_available():
        sys.exit(
            f"chainrule: --nproc {nproc} runs the training under mpiexec, which is not "
            "installed: pip install 'chainrule[mpi]' (mpi4py and MPICH)"
        )
    command = [mpiexec, "-n", str(nproc), sys.executable, *arguments]
    # One thread per rank unless the user says otherwise, as torchrun does: N ranks each
    # splitting its work over every core would fight for the cores (BLAS and
    # autograd.parallel both read OMP_NUM_THREADS).
    environment = {"OMP_NUM_THREADS": "1", **os.environ, WORKER_VARIABLE: str(nproc)}
    return subprocess.run(command, env=environment).returncode


class _EpochSampler(DistributedSampler):
    """A DistributedSampler that takes its epoch from the run, so that every epoch (also
    after ``--resume``) has its own order without the training loop calling ``set_epoch``."""

    def __init__(self, run):
        super().__init__(run.splits.train, seed=run.config["seed"])
        self.run = run

    def __iter__(self):
        self.set_epoch(self.run.epoch)
        return super().__iter__()


def distribute(run):
    """Make a CLI ``Run`` train data-parallel: join the process group, average the model's
    gradients across ranks (hooks on its parameters; ``run.model`` stays the plain model, so
    the checkpoint's keys are unchanged) and give each rank its share of the batches."""
    dist.init_process_group(backend="mpi")
    run.ddp = DistributedDataParallel(run.model)
    run.loader = DataLoader(
        run.splits.train, batch_size=run.config["batch_size"], sampler=_EpochSampler(run)
    )
