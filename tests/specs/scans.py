"""Cases for autograd/ops/scans.py: cumprod (with zeros in a slice, one and several) and
the linear scan its recorded backward uses there, logcumsumexp (large values) and
logcumsumexp's backward op, along each kind of dim and on 0-d inputs.

A zero comes in through a constant mask, so finite differences never cross it; derivatives
at exact zeros, to third order, are compared with PyTorch in
tests/test_scans_and_order_statistics.py.
"""

from . import Case, Const
from .reduction import ONE_ZERO, TWO_ZEROS, grad_of

CASES = [
    Case("Cumprod", lambda lib, a: a.cumprod(0), ((4, 3),), low=0.5, high=1.5),
    Case(
        "Cumprod",
        lambda lib, a: lib.cumprod(a, -1),
        ((2, 3, 4),),
        low=-1.5,
        high=1.5,
        away_from=(0.0,),
        id="signs-neg-dim",
    ),
    Case("Cumprod", lambda lib, a: lib.cumprod(a, 0), ((),), id="0d"),
    Case("Cumprod", lambda lib, a: a.cumprod(1, dtype=lib.float64), ((2, 3),), id="dtype"),
    Case("Cumprod", lambda lib, a, m: (a * m).cumprod(1), ((3, 4), Const(ONE_ZERO)), id="one-zero"),
    Case(
        "Cumprod",
        lambda lib, a, m: (a * m).cumprod(-1),
        ((3, 4), Const(TWO_ZEROS)),
        id="two-zeros",
    ),
    Case(
        "Cumprod",
        lambda lib, a, m: (a * m.T).cumprod(0),
        ((4, 3), Const(TWO_ZEROS)),
        id="zeros-dim0",
    ),
    # A recorded backward through zeros is a linear scan (cumprod's second order).
    Case(
        "LinearScan",
        lambda lib, a, m, g: grad_of(lib, (a * m).cumprod(1), a, g),
        ((3, 4), Const(TWO_ZEROS), (3, 4)),
    ),
    Case(
        "LinearScan",
        lambda lib, a, m, g: grad_of(lib, (a * m.T).cumprod(0), a, g),
        ((4, 3), Const(ONE_ZERO), (4, 3)),
        id="dim0",
    ),
    Case("LogCumSumExp", lambda lib, a: a.logcumsumexp(1), ((3, 4),)),
    Case("LogCumSumExp", lambda lib, a: lib.logcumsumexp(a, 0), ((2, 3, 4),), id="dim0"),
    Case("LogCumSumExp", lambda lib, a: lib.logcumsumexp(a, -1), ((),), id="0d"),
    Case(
        "LogCumSumExp", lambda lib, a: a.logcumsumexp(0), ((5, 2),), low=1000, high=1004, id="large"
    ),
    Case(
        "LogCumSumExpBackward",
        lambda lib, a, g: grad_of(lib, a.logcumsumexp(1), a, g),
        ((3, 4), (3, 4)),
    ),
    Case(
        "LogCumSumExpBackward",
        lambda lib, a, g: grad_of(lib, lib.logcumsumexp(a, 0), a, g),
        ((4, 2), (4, 2)),
        low=-100,
        high=100,
        id="wide",
    ),
]
