"""Cases for autograd/ops/special.py: each function inside its domain (the gamma family on
both sides of 0, away from the poles), on 0-d and larger shapes; xlogy also broadcasts and
takes a number on either side."""

from . import Case

SHAPES = [(3, 4), (), (2, 3, 2)]


def _unary(op, fn, **options):
    return [Case(op, fn, (shape,), **options) for shape in SHAPES]


def _polygamma(n):
    return lambda lib, x: lib.polygamma(n, x)


CASES = [
    *_unary("Lgamma", lambda lib, x: lib.lgamma(x), low=0.2, high=6.0),
    Case("Lgamma", lambda lib, x: x.lgamma(), ((3, 4),), low=-2.8, high=-2.2, id="negative"),
    *_unary("Polygamma", lambda lib, x: lib.digamma(x), low=0.2, high=6.0),
    Case("Polygamma", lambda lib, x: x.digamma(), ((3, 4),), low=-1.8, high=-1.2, id="negative"),
    Case("Polygamma", _polygamma(1), ((3, 4),), low=0.3, high=5.0, id="n=1"),
    Case("Polygamma", _polygamma(2), ((),), low=0.3, high=5.0, id="n=2"),
    Case("Polygamma", lambda lib, x: x.polygamma(3), ((2, 3),), low=0.5, high=5.0, id="n=3"),
    Case("Polygamma", _polygamma(1), ((2, 3),), low=-0.8, high=-0.2, id="n=1 negative"),
    *_unary("Erfc", lambda lib, x: lib.erfc(x), low=-3.0, high=3.0),
    *_unary("Erfinv", lambda lib, x: x.erfinv(), low=-0.9, high=0.9),
    *_unary("Logit", lambda lib, x: lib.logit(x), low=0.05, high=0.95),
    Case(
        "Logit",
        lambda lib, x: x.logit(0.2),
        ((3, 4),),
        low=0.0,
        high=1.0,
        away_from=(0.2, 0.8),
        id="eps",
    ),
    Case("Xlogy", lambda lib, a, b: lib.xlogy(a, b), ((3, 4), (3, 4)), low=0.2, high=3.0),
    Case("Xlogy", lambda lib, a, b: a.xlogy(b), ((2, 3), (3,)), low=0.2, high=3.0, id="bcast"),
    Case("Xlogy", lambda lib, a, b: lib.xlogy(a, b), ((), (2, 1)), low=0.2, high=3.0, id="bcast0d"),
    Case("Xlogy", lambda lib, a: lib.xlogy(a, 2.5), ((3,),), low=-2.0, high=2.0, id="number y"),
    Case("Xlogy", lambda lib, b: lib.xlogy(-1.5, b), ((3,),), low=0.2, high=3.0, id="number x"),
    *_unary("Sinc", lambda lib, x: lib.sinc(x), low=-3.0, high=3.0, away_from=(0.0,)),
]
