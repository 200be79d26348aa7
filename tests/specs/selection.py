"""Cases for autograd/ops/selection.py."""

from . import Case, Const  # noqa: F401

CASES = []
