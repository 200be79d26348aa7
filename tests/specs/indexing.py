"""Cases for autograd/ops/indexing.py."""

from . import Case, Const  # noqa: F401

CASES = []
