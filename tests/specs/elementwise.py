"""Cases for autograd/ops/elementwise.py."""

from . import Case, Const  # noqa: F401

CASES = []
