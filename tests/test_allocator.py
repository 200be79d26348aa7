"""autograd.allocator: glibc keeps freed buffers for reuse, unless the user opts out."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def tuned_in_subprocess(**environment):
    env = {key: value for key, value in os.environ.items() if not key.startswith("MALLOC_")}
    env.update(environment, PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", "import autograd; print(autograd.allocator.tuned)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt is Linux-only")
def test_tuned_by_default_on_glibc():
    import ctypes.util

    if ctypes.util.find_library("c") is None:
        pytest.skip("no C library found")
    assert tuned_in_subprocess() == "True"


def test_opt_out_and_explicit_settings_are_respected():
    assert tuned_in_subprocess(CHAINRULE_MALLOC_TUNING="0") == "False"
    assert tuned_in_subprocess(MALLOC_MMAP_THRESHOLD_="1048576") == "False"
