"""Cases for autograd/ops/shape.py."""

from . import Case, Const  # noqa: F401

CASES = []
