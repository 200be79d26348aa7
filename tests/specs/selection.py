"""Cases for autograd/ops/selection.py: where, maximum, minimum, clamp and the extreme
values (max, min, amax, amin), with broadcasting, numbers on either side and 0-d inputs.

Random inputs have no ties; tie-breaking is tested against PyTorch in
tests/test_reduction.py.
"""

import numpy as np

from . import Case, Const
from .reduction import over_dims

MASK = np.array([[True, False, True, True], [False, False, True, False], [True, True, False, True]])

CASES = [
    Case("Where", lambda lib, c, a, b: lib.where(c, a, b), (Const(MASK), (3, 4), (3, 4))),
    Case(
        "Where",
        lambda lib, c, a, b: lib.where(c, a, b),
        (Const(MASK), (4,), (3, 1)),
        id="broadcast",
    ),
    Case("Where", lambda lib, c, a: lib.where(c, a, 0.0), (Const(MASK), (3, 4)), id="scalar-other"),
    Case("Where", lambda lib, c, a: lib.where(c, 1.5, a), (Const(MASK), (3, 4)), id="scalar-input"),
    Case("Where", lambda lib, c, a: a.where(c, a * 2), (Const(MASK[0]), ()), id="0d-method"),
    Case("Maximum", lambda lib, a, b: lib.maximum(a, b), ((3, 4), (3, 4))),
    Case("Maximum", lambda lib, a, b: lib.maximum(a, b), ((2, 1, 4), (3, 1)), id="broadcast"),
    Case("Maximum", lambda lib, a, b: lib.max(a, b), ((), ()), id="0d-max"),
    Case("Minimum", lambda lib, a, b: lib.minimum(a, b), ((3, 4), (4,))),
    Case("Minimum", lambda lib, a, b: a.min(b), ((3,), ()), id="min-method"),
    Case("Clamp", lambda lib, a: a.clamp(-0.5, 0.5), ((3, 4),), away_from=(-0.5, 0.5)),
    Case("Clamp", lambda lib, a: lib.clamp(a, min=0.2), ((5,),), away_from=(0.2,), id="min"),
    Case("Clamp", lambda lib, a: lib.clip(a, max=-0.2), ((5,),), away_from=(-0.2,), id="max"),
    Case("Clamp", lambda lib, a: a.clamp(0.5, -0.5), ((5,),), id="min-above-max"),
    Case(
        "Clamp",
        lambda lib, a, low, high: lib.clamp(a, low, high),
        ((3, 4), (4,), (3, 1)),
        id="tensor-bounds",
    ),
    Case("Clamp", lambda lib, a, low: lib.clamp(a, min=low), ((), (3,)), id="0d-tensor-min"),
    *over_dims("Amax", "amax")[1:],
    Case("Amax", lambda lib, a: a.amax(), ((2, 3),), id="default"),
    Case("Amax", lambda lib, a: a.amax(0), ((),), id="0d"),
    *over_dims("Amin", "amin")[1:],
    Case("Amin", lambda lib, a: a.amin((), keepdim=True), ((2, 3),), id="empty-keepdim"),
    Case("Max", lambda lib, a: a.max(), ((3, 4),)),
    Case("Max", lambda lib, a: lib.max(a), ((),), id="0d"),
    Case("Min", lambda lib, a: a.min(), ((2, 3, 4),)),
    # A (values, indices) output: gradgradcheck would differentiate the int64 indices too.
    Case("MaxDim", lambda lib, a: a.max(1), ((3, 4),), second_order=False),
    Case(
        "MaxDim", lambda lib, a: lib.max(a, -1, keepdim=True).values, ((2, 3, 4),), id="neg-keepdim"
    ),
    Case("MaxDim", lambda lib, a: lib.max(a, dim=0).values, ((),), id="0d"),
    Case("MinDim", lambda lib, a: a.min(0), ((3, 4),), second_order=False),
    Case("MinDim", lambda lib, a: a.min(dim=-2, keepdim=True).values, ((2, 3, 4),), id="values"),
]
