"""Cases for autograd/ops/bessel.py's differentiable ops (i0, i0e, i1, i1e) on 0-d and larger
shapes, over both signs and past the switch from power series to asymptotic series at
|x| = 20; i0e and i1e have a kink at 0 (the sign of x in their derivative)."""

from . import Case

SHAPES = [(3, 4), (), (2, 3, 2)]


def _cases(op, fn, **options):
    return [Case(op, fn, (shape,), **options) for shape in SHAPES] + [
        Case(op, fn, ((5,),), low=18.0, high=24.0, id="large"),
        Case(op, fn, ((5,),), low=-24.0, high=-18.0, id="large negative"),
    ]


CASES = [
    *_cases("I0", lambda lib, x: lib.i0(x), low=-4.0, high=4.0),
    *_cases("I0e", lambda lib, x: lib.special.i0e(x), low=-4.0, high=4.0, away_from=(0.0,)),
    *_cases("I1", lambda lib, x: lib.special.i1(x), low=-4.0, high=4.0),
    *_cases("I1e", lambda lib, x: lib.special.i1e(x), low=-4.0, high=4.0, away_from=(0.0,)),
    Case("I0", lambda lib, x: x.i0(), ((4,),), low=-1e-3, high=1e-3, id="near 0"),
    Case("I1", lambda lib, x: lib.special.i1(x), ((4,),), low=-1e-3, high=1e-3, id="near 0"),
]
