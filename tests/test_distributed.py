"""ag.distributed and DistributedDataParallel: the checks that need two ranks run in
subprocesses under ``mpiexec -n 2`` (with a timeout, so a hang fails instead of blocking);
those that need no MPI run here. Without mpi4py or mpiexec the MPI runs are skipped, except
in CI (``CI=true``), which installs the ``mpi`` extra and must not skip them silently."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import autograd as ag
import nn
from autograd import distributed as dist
from nn.parallel import DistributedDataParallel

ROOT = Path(__file__).resolve().parent.parent
CHECKS = Path(__file__).resolve().parent / "distributed"
TIMEOUT = 300


def find_mpiexec():
    beside_python = Path(sys.executable).parent / "mpiexec"
    return str(beside_python) if beside_python.exists() else shutil.which("mpiexec")


def mpiexec_or_skip():
    mpiexec = find_mpiexec()
    missing = [
        name
        for name, present in (("mpi4py", dist.is_mpi_available()), ("mpiexec", mpiexec))
        if not present
    ]
    if missing:
        reason = f"{' and '.join(missing)} not installed: pip install 'chainrule[mpi]'"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the MPI tests, but {reason}")
        pytest.skip(reason)
    return mpiexec


def run_two_ranks(*arguments):
    command = [mpiexec_or_skip(), "-n", "2", sys.executable, *arguments]
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    return subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=TIMEOUT
    )


def test_two_rank_checks_pass_under_mpiexec():
    result = run_two_ranks("-m", "pytest", "-p", "no:cacheprovider", str(CHECKS / "mpi_checks.py"))
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "passed" in result.stdout and "failed" not in result.stdout


def test_a_raising_rank_aborts_the_whole_job():
    result = run_two_ranks(str(CHECKS / "raising_rank.py"))
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "[rank 1] uncaught exception" in output
    assert "ValueError: rank 1 fails on purpose" in output


def test_import_needs_no_mpi4py():
    code = (
        "import sys; sys.modules['mpi4py'] = None\n"
        "import autograd, nn, nn.parallel, nn.data\n"
        "assert 'mpi4py.MPI' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=TIMEOUT)


def test_init_without_mpi4py_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "mpi4py", None)
    with pytest.raises(RuntimeError, match=r"pip install 'chainrule\[mpi\]'"):
        dist.init_process_group(backend="mpi")
    assert not dist.is_initialized()


def test_uninitialized_group_errors():
    assert dist.is_available() and not dist.is_initialized()
    for function in (dist.get_rank, dist.get_world_size, dist.barrier, dist.destroy_process_group):
        with pytest.raises(ValueError, match="Default process group has not been initialized"):
            function()
    with pytest.raises(ValueError, match="has not been initialized"):
        dist.all_reduce(ag.zeros(2))
    with pytest.raises(ValueError, match="has not been initialized"):
        DistributedDataParallel(nn.Linear(2, 2))
    with pytest.raises(ValueError, match="backend must be 'mpi'"):
        dist.init_process_group(backend="gloo")
