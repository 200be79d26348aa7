"""Cases for autograd/ops/linalg.py."""

from . import Case, Const  # noqa: F401

CASES = []
