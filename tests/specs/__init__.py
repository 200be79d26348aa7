"""The op spec table: every registered op's test cases, one file per ops module.

A ``Case`` names the registered op class it covers, a function ``fn(lib, *inputs)`` written
once for both ``lib = autograd`` and ``lib = torch`` (the APIs are the same), and how to
draw its inputs. The tests in ``tests/test_ops_*.py`` run every case through gradcheck in
float64, gradgradcheck, and against PyTorch; a registered op with no case fails the suite.
"""

from dataclasses import dataclass, field
from collections.abc import Callable

import numpy as np


@dataclass(frozen=True)
class Const:
    """A non-differentiable input (indices, masks, integer tensors) given as an array."""

    array: np.ndarray


@dataclass
class Case:
    op: str  # the registered class name, e.g. "Exp"
    fn: Callable  # fn(lib, *inputs) -> Tensor or tuple of Tensors
    inputs: tuple  # per input: a shape tuple (float input requiring grad) or a Const
    low: float = -2.0  # float inputs are drawn uniformly on [low, high] ...
    high: float = 2.0
    away_from: tuple = ()  # ... and moved at least 0.1 away from these kinks
    torch: bool = True  # compare with PyTorch (False where PyTorch lacks the op)
    second_order: bool = True  # run gradgradcheck (False for ops with a zero/undefined one)
    atol: float = 1e-5
    rtol: float = 1e-3
    eps: float = 1e-6  # finite-difference step
    backward_error: str = ""  # the op has no gradient: backward must raise this message
    id: str = ""
    extra: dict = field(default_factory=dict)

    def name(self):
        shapes = "-".join(
            "x".join(map(str, item)) if isinstance(item, tuple) else "c" for item in self.inputs
        )
        return f"{self.op}[{self.id or shapes or 'noargs'}]"


def draw_inputs(case, rng, dtype=np.float64):
    """The case's inputs as NumPy arrays: floats on [low, high] away from kinks; constants."""
    arrays = []
    for item in case.inputs:
        if isinstance(item, Const):
            arrays.append(np.array(item.array))
            continue
        values = rng.uniform(case.low, case.high, size=item)
        for kink in case.away_from:
            near = np.abs(values - kink) < 0.1
            values = np.where(
                near, kink + np.where(values >= kink, 0.1, -0.1) + values - kink, values
            )
        arrays.append(np.asarray(values, dtype=dtype))
    return arrays


from . import (  # noqa: E402
    activation,
    arithmetic,
    bessel,
    convolution,
    elementwise,
    fused_linear,
    indexing,
    joining,
    linalg,
    loss,
    normalization,
    order_statistics,
    pooling,
    recurrent,
    reduction,
    scans,
    selection,
    shape,
    shape_extras,
    special,
    special_gamma,
    trigonometric,
)

CASES = (
    activation.CASES
    + arithmetic.CASES
    + bessel.CASES
    + convolution.CASES
    + elementwise.CASES
    + fused_linear.CASES
    + indexing.CASES
    + joining.CASES
    + linalg.CASES
    + loss.CASES
    + normalization.CASES
    + order_statistics.CASES
    + pooling.CASES
    + recurrent.CASES
    + reduction.CASES
    + scans.CASES
    + selection.CASES
    + shape.CASES
    + shape_extras.CASES
    + special.CASES
    + special_gamma.CASES
    + trigonometric.CASES
)
