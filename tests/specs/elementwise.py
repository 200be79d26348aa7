"""Cases for autograd/ops/elementwise.py: every unary op on 0-d and larger shapes, in its
domain, away from its kinks; the fused backward ops through a create_graph gradient."""

from . import Case

SHAPES = [(3, 4), (), (2, 3, 2)]
INTEGERS = tuple(range(-3, 4))  # the jumps of floor, ceil, trunc (and round's, shifted)


def grad_of(lib, out, x, seed):
    """d<seed, out>/dx with create_graph, in either library."""
    grad = lib.autograd.grad if lib.__name__ == "torch" else lib.grad
    return grad(out, x, seed, create_graph=True)[0]


def _unary(op, fn, **options):
    return [Case(op, fn, (shape,), **options) for shape in SHAPES]


CASES = [
    *_unary("Exp", lambda lib, x: lib.exp(x)),
    *_unary("Log", lambda lib, x: lib.log(x), low=0.3, high=3.0),
    *_unary("Log2", lambda lib, x: lib.log2(x), low=0.3, high=3.0),
    *_unary("Log10", lambda lib, x: x.log10(), low=0.3, high=3.0),
    *_unary("Log1p", lambda lib, x: lib.log1p(x), low=-0.7, high=3.0),
    *_unary("Expm1", lambda lib, x: x.expm1()),
    *_unary("Sqrt", lambda lib, x: lib.sqrt(x), low=0.3, high=3.0),
    *_unary("Rsqrt", lambda lib, x: x.rsqrt(), low=0.3, high=3.0),
    *_unary("Sin", lambda lib, x: lib.sin(x), low=-4.0, high=4.0),
    *_unary("Cos", lambda lib, x: x.cos(), low=-4.0, high=4.0),
    *_unary("Tan", lambda lib, x: lib.tan(x), low=-1.3, high=1.3),
    *_unary("Tanh", lambda lib, x: x.tanh(), low=-3.0, high=3.0),
    Case("TanhBackward", lambda lib, x, v: grad_of(lib, lib.tanh(x), x, v), ((3, 4), (3, 4))),
    Case("TanhBackward", lambda lib, x, v: grad_of(lib, x.tanh(), x, v), ((), ())),
    *_unary("Sigmoid", lambda lib, x: lib.sigmoid(x), low=-6.0, high=6.0),
    Case("Sigmoid", lambda lib, x: x.sigmoid(), ((5,),), low=-40.0, high=40.0, id="wide"),
    Case("SigmoidBackward", lambda lib, x, v: grad_of(lib, x.sigmoid(), x, v), ((3, 4), (3, 4))),
    Case("SigmoidBackward", lambda lib, x, v: grad_of(lib, lib.sigmoid(x), x, v), ((), ())),
    *_unary("Abs", lambda lib, x: lib.abs(x), away_from=(0.0,)),
    Case("Abs", lambda lib, x: abs(x) * 2, ((4,),), away_from=(0.0,), id="operator"),
    *_unary("Square", lambda lib, x: lib.square(x)),
    *_unary("Reciprocal", lambda lib, x: x.reciprocal(), low=0.4, high=3.0),
    Case("Reciprocal", lambda lib, x: lib.reciprocal(x), ((4,),), low=-3.0, high=-0.4, id="neg"),
    *_unary("Erf", lambda lib, x: lib.erf(x), low=-3.0, high=3.0),
    Case("Erf", lambda lib, x: x.erf(), ((20,),), low=-7.0, high=7.0, id="wide"),
    *_unary("Sign", lambda lib, x: lib.sign(x) * x, away_from=(0.0,)),
    *_unary("Floor", lambda lib, x: lib.floor(x) + x, low=-3.0, high=3.0, away_from=INTEGERS),
    *_unary("Ceil", lambda lib, x: x.ceil() * x, low=-3.0, high=3.0, away_from=INTEGERS),
    *_unary("Trunc", lambda lib, x: lib.trunc(x) + x, low=-3.0, high=3.0, away_from=INTEGERS),
    *_unary(
        "Round",
        lambda lib, x: lib.round(x) + x,
        low=-3.0,
        high=3.0,
        away_from=tuple(k + 0.5 for k in INTEGERS),
    ),
    Case(
        "Round",
        lambda lib, x: x.round(decimals=1) * 3,
        ((4, 5),),
        away_from=tuple(k / 10 + 0.05 for k in range(-20, 20)),
        id="decimals",
    ),
    Case("Round", lambda lib, x: lib.round(x * 100, decimals=-1), ((6,),), id="negative-decimals"),
]
