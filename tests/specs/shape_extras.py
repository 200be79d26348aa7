"""Cases for autograd/ops/shape_extras.py: Unfold, its windows overlapping (gradients add
up), apart (gaps get none), on a 0-d tensor and taken twice."""

from . import Case

CASES = [
    Case("Unfold", lambda lib, x: x.unfold(0, 3, 2), ((7,),), id="overlapping"),
    Case("Unfold", lambda lib, x: x.unfold(1, 2, 3), ((2, 7, 3),), id="gaps"),
    Case("Unfold", lambda lib, x: x.unfold(-1, 2, 1) * 2.0, ((3, 4),), id="last-dim"),
    Case("Unfold", lambda lib, x: x.unfold(0, 1, 1), ((),), id="0d"),
    Case("Unfold", lambda lib, x: x.unfold(0, 3, 1).unfold(1, 2, 1), ((5, 2),), id="twice"),
    Case("Unfold", lambda lib, x: x.t().unfold(0, 2, 1), ((3, 4),), id="non-contiguous"),
]
