"""Cases for autograd/ops/special_gamma.py: each function inside its domain on 0-d and larger
shapes; the binary ones also broadcast and take a number where PyTorch does. The incomplete
gamma functions and zeta are differentiable in their second argument only: their first is
a constant here, and a case with both differentiable checks PyTorch's error at backward."""

import numpy as np

from . import Case, Const

SHAPES = [(3, 4), (), (2, 3, 2)]
SHAPE_A = np.array([[0.5, 1.0, 2.5, 7.0], [0.1, 3.0, 12.0, 1.5], [4.0, 0.8, 2.0, 30.0]])
ORDERS = np.array([[1.5, 2.0, 2.5, 3.0], [4.0, 1.1, 6.5, 2.0], [3.0, 8.0, 1.7, 5.0]])


def _unary(op, fn, **options):
    return [Case(op, fn, (shape,), **options) for shape in SHAPES]


def _incomplete_gamma(op, name):
    """Cases of one incomplete gamma function (torch.special's ``name``)."""

    def call(lib, a, x):
        return getattr(lib.special, name)(a, x)

    return [
        Case(op, call, (Const(SHAPE_A), (3, 4)), low=0.2, high=6.0),
        Case(op, call, (Const(SHAPE_A[:, :1]), (4,)), low=0.2, high=6.0, id="bcast"),
        Case(op, call, (Const(np.array(2.5)), ()), low=0.2, high=6.0, id="0-d"),
        Case(
            op,
            call,
            ((3,), (3,)),
            low=0.5,
            high=3.0,
            backward_error=f"the derivative for '{op.lower()}: input' is not implemented",
            id="a differentiable",
        ),
    ]


CASES = [
    *_unary("Entr", lambda lib, x: lib.special.entr(x), low=0.1, high=3.0),
    *_unary("Erfcx", lambda lib, x: lib.special.erfcx(x), low=-3.0, high=3.0),
    *_unary("LogNdtr", lambda lib, x: lib.special.log_ndtr(x), low=-6.0, high=3.0),
    *_unary("Ndtri", lambda lib, x: lib.special.ndtri(x), low=0.02, high=0.98),
    *_unary("Mvlgamma", lambda lib, x: lib.special.multigammaln(x, 3), low=1.2, high=5.0),
    Case("Mvlgamma", lambda lib, x: x.mvlgamma(1), ((3, 4),), low=0.2, high=5.0, id="p=1"),
    Case("Xlog1py", lambda lib, a, b: lib.special.xlog1py(a, b), ((3, 4), (3, 4)), low=-0.5),
    Case(
        "Xlog1py",
        lambda lib, a, b: lib.special.xlog1py(a, b),
        ((2, 3), (3,)),
        low=-0.5,
        id="bcast",
    ),
    Case("Xlog1py", lambda lib, a: lib.special.xlog1py(a, 2.5), ((3,),), id="number y"),
    Case("Xlog1py", lambda lib, b: lib.special.xlog1py(-1.5, b), ((3,),), low=-0.5, id="number x"),
    *_incomplete_gamma("Igamma", "gammainc"),
    *_incomplete_gamma("Igammac", "gammaincc"),
    Case("Igamma", lambda lib, a, x: lib.igamma(a, x), (Const(SHAPE_A), (3, 4)), low=0.2, id="ag"),
    Case("Igammac", lambda lib, a, x: a.igammac(x), (Const(SHAPE_A), (3, 4)), low=0.2, id="method"),
    Case("Zeta", lambda lib, s, q: lib.special.zeta(s, q), (Const(ORDERS), (3, 4)), low=0.3),
    Case(
        "Zeta",
        lambda lib, s, q: lib.special.zeta(s, q),
        (Const(ORDERS[:1]), (3, 1)),
        low=0.3,
        id="bcast",
    ),
    Case("Zeta", lambda lib, q: lib.special.zeta(2.5, q), ((),), low=0.3, id="number x"),
    Case("Zeta", lambda lib, q: lib.special.zeta(3, q), ((2, 3),), low=0.3, id="int x"),
    Case(
        "Zeta",
        lambda lib, s, q: lib.special.zeta(s, q),
        ((3,), (3,)),
        low=1.5,
        high=3.0,
        backward_error="the derivative for 'zeta' is not implemented",
        id="x differentiable",
    ),
]
