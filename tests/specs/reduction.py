"""Cases for autograd/ops/reduction.py."""

from . import Case, Const  # noqa: F401

CASES = []
