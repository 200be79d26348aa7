"""Cases for autograd/ops/trigonometric.py: each function inside its domain, on 0-d and
larger shapes; the binary ones also broadcast."""

from . import Case

SHAPES = [(3, 4), (), (2, 3, 2)]


def _unary(op, fn, **options):
    return [Case(op, fn, (shape,), **options) for shape in SHAPES]


CASES = [
    *_unary("Sinh", lambda lib, x: lib.sinh(x)),
    *_unary("Cosh", lambda lib, x: x.cosh()),
    *_unary("Asin", lambda lib, x: lib.asin(x), low=-0.9, high=0.9),
    *_unary("Acos", lambda lib, x: x.acos(), low=-0.9, high=0.9),
    *_unary("Atan", lambda lib, x: lib.atan(x), low=-4.0, high=4.0),
    Case("Atan2", lambda lib, a, b: lib.atan2(a, b), ((3, 4), (3, 4)), away_from=(0.0,)),
    Case("Atan2", lambda lib, a, b: a.atan2(b), ((2, 3), (3,)), away_from=(0.0,), id="bcast"),
    Case("Atan2", lambda lib, a, b: lib.atan2(a, b), ((), ()), away_from=(0.0,)),
    Case("Hypot", lambda lib, a, b: lib.hypot(a, b), ((3, 4), (3, 4)), away_from=(0.0,)),
    Case("Hypot", lambda lib, a, b: a.hypot(b), ((2, 3), (3,)), away_from=(0.0,), id="bcast"),
    Case("Hypot", lambda lib, a, b: lib.hypot(a, b), ((), ()), away_from=(0.0,)),
]
