"""ag.distributed and DistributedDataParallel: the checks that need two ranks run in
subprocesses under ``mpiexec -n 2`` (with a timeout, so a hang fails instead of blocking);
those that need no MPI run here. Without mpi4py or mpiexec the MPI runs are skipped, except
in CI (``CI=true``), which installs the ``mpi`` extra and must not skip them silently."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import autograd as ag
import nn
from autograd import distributed as dist
from nn.parallel import DistributedDataParallel, launch

ROOT = Path(__file__).resolve().parent.parent
CHECKS = Path(__file__).resolve().parent / "distributed"
TIMEOUT = 300


def mpiexec_or_skip():
    mpiexec = launch.find_mpiexec()
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


def run_cli(*arguments):
    mpiexec_or_skip()
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    return subprocess.run(
        [sys.executable, "-m", "nn.cli", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def test_cli_train_nproc_two_ranks_log_rank_zero_writes(tmp_path):
    out = tmp_path / "run"
    options = ["train", "--nproc", "2", "--model", "mlp", "--dataset", "moons", "--out", str(out)]
    first = run_cli(*options, "--epochs", "3", "--stop-after", "1")
    assert first.returncode == 0, first.stdout + first.stderr
    epoch_lines = [line for line in first.stdout.splitlines() if "epoch   1/3" in line]
    # every rank logs whole lines under its rank: its own train loss, the same validation
    assert sorted(line[:4] for line in epoch_lines) == ["[0] ", "[1] "], first.stdout
    assert all(line[4:].startswith("epoch   1/3") for line in epoch_lines), first.stdout
    assert len({line.split("val loss")[1] for line in epoch_lines}) == 1
    assert (out / "checkpoint.pt").is_file() and not (out / "metrics.png").exists()
    done = run_cli(*options, "--resume")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("test accuracy") == 1  # only rank 0 finishes the run
    assert len((out / "metrics.csv").read_text().splitlines()) == 1 + 3


def test_cli_nproc_errors(tmp_path, monkeypatch):
    refused = run_cli("train", "--nproc", "2", "--scheduler", "onecycle", "--out", str(tmp_path))
    assert refused.returncode == 2 and "onecycle" in refused.stderr
    monkeypatch.setattr(launch, "find_mpiexec", lambda: None)
    with pytest.raises(SystemExit, match=r"pip install 'chainrule\[mpi\]'"):
        launch.relaunch(2, ["-c", "pass"])


@pytest.mark.parametrize(("given", "expected"), [(None, "1"), ("3", "3")])
def test_ranks_get_one_thread_each_unless_told(monkeypatch, given, expected):
    launched = {}
    monkeypatch.setattr(launch, "find_mpiexec", lambda: "mpiexec")
    monkeypatch.setattr(launch.dist, "is_mpi_available", lambda: True)
    monkeypatch.setattr(
        launch.subprocess, "run", lambda command, env: launched.update(env) or Completed()
    )
    if given is None:
        monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    else:
        monkeypatch.setenv("OMP_NUM_THREADS", given)
    assert launch.relaunch(2, ["-c", "pass"]) == 0
    assert launched["OMP_NUM_THREADS"] == expected
    assert launched[launch.WORKER_VARIABLE] == "2"


class Completed:
    returncode = 0
