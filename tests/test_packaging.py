"""The packaging metadata: pyproject.toml names the distribution and ships every package.

Installing into a throwaway venv is too slow for the suite (CI's `make` does it for real);
these checks read pyproject.toml and run setuptools' package discovery on the tree.
"""

import fnmatch
import subprocess
import sys
from pathlib import Path

import pytest
import setuptools

try:
    import tomllib
except ImportError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parent.parent
TOP_LEVEL = ("autograd", "nn", "optim")


@pytest.fixture(scope="module")
def pyproject():
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)


@pytest.fixture(scope="module")
def packages(pyproject):
    find = pyproject["tool"]["setuptools"]["packages"]["find"]
    return set(setuptools.find_packages(where=str(ROOT), include=find["include"]))


def test_distribution_metadata(pyproject):
    project = pyproject["project"]
    assert project["name"] == "chainrule"
    assert project["requires-python"] == ">=3.10"
    assert project["dependencies"] == ["numpy"]
    extras = project["optional-dependencies"]
    assert {"test", "viz", "plots", "notebooks", "progress", "bench", "dev", "mpi"} <= set(extras)
    requirements = [r for group in extras.values() for r in group] + project["dependencies"]
    assert not any(r.startswith("torch") for r in requirements), "torch is the test oracle only"


def test_three_import_packages_found(packages):
    assert {"autograd", "autograd.ops", "nn", "optim"} <= packages
    assert all(name.split(".")[0] in TOP_LEVEL for name in packages), packages


def test_every_source_folder_is_a_package(packages):
    """A folder of modules without __init__.py would silently be left out of the wheel."""
    folders = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for top in TOP_LEVEL
        for path in (ROOT / top).rglob("*.py")
    }
    assert folders <= packages, folders - packages


def test_package_data_is_declared(pyproject):
    """Every data file inside a package matches a package-data pattern of that package."""
    package_data = pyproject["tool"]["setuptools"].get("package-data", {})
    assert {"*.csv.gz", "*.md"} <= set(package_data["nn.data"])
    for top in TOP_LEVEL:
        for path in (ROOT / top).rglob("*"):
            if path.is_dir() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
                continue
            package = ".".join(path.parent.relative_to(ROOT).parts)
            patterns = package_data.get(package, []) + package_data.get("*", [])
            assert any(fnmatch.fnmatch(path.name, p) for p in patterns), path


def test_packages_import_in_a_fresh_interpreter():
    result = subprocess.run(
        [sys.executable, "-c", "import autograd, nn, optim"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
