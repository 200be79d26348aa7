"""Cases for autograd/ops/arithmetic.py (binary ops: broadcasting, 0-d, scalars on each side)."""

from . import Case

BROADCAST = [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 4), (3, 1)), ((), (3,)), ((), ())]

CASES = [
    *[Case("Add", lambda lib, a, b: a + b, shapes) for shapes in BROADCAST],
    Case("Add", lambda lib, a: 2.5 + a, ((3,),), id="scalar-left"),
    Case("Add", lambda lib, a: lib.add(a, a, alpha=3), ((2, 3),), id="alpha"),
    *[Case("Sub", lambda lib, a, b: a - b, shapes) for shapes in BROADCAST],
    Case("Sub", lambda lib, a: 1 - a, ((3,),), id="scalar-left"),
    *[Case("Mul", lambda lib, a, b: a * b, shapes) for shapes in BROADCAST],
    Case("Mul", lambda lib, a: a * 3, ((3,),), id="scalar"),
    Case("Mul", lambda lib, a: a * a, ((3,),), id="same-input"),
    *[Case("Div", lambda lib, a, b: a / b, shapes, low=0.5, high=2.0) for shapes in BROADCAST],
    Case("Div", lambda lib, a: 2 / a, ((3,),), low=0.5, high=2.0, id="scalar-left"),
    Case("Neg", lambda lib, a: -a, ((3, 2),)),
    Case("Neg", lambda lib, a: -a, ((),)),
    Case("Pow", lambda lib, a: a**3, ((3, 2),)),
    Case("Pow", lambda lib, a: a**2.5, ((4,),), low=0.5, high=2.0, id="fractional"),
    Case("Pow", lambda lib, a: a**0, ((4,),), id="zero-exponent"),
    Case("Pow", lambda lib, a, b: a**b, ((3, 2), (2,)), low=0.5, high=2.0, id="tensor-exponent"),
    Case("Pow", lambda lib, b: 2.0**b, ((3,),), id="scalar-base"),
    Case(
        "FloorDivide",
        lambda lib, a, b: a // b,
        ((3,), (3,)),
        low=0.5,
        backward_error="derivative for floor_divide is not implemented",
    ),
    Case(
        "FloorDivide",
        lambda lib, a: a // 2,
        ((3,),),
        id="scalar",
        backward_error="derivative for floor_divide is not implemented",
    ),
    Case("Remainder", lambda lib, a: a % 1.5, ((5,),), away_from=(-1.5, 0.0, 1.5)),
    Case(
        "Remainder", lambda lib, a, b: a % b, ((5,), (5,)), low=0.5, high=3.0, id="tensor-divisor"
    ),
    Case("Fmod", lambda lib, a: a.fmod(1.5), ((5,),), away_from=(-1.5, 0.0, 1.5)),
    Case("Fmod", lambda lib, a: lib.fmod(a, -1.5), ((),), away_from=(-1.5, 0.0, 1.5), id="0d"),
    Case(
        "Fmod",
        lambda lib, a, b: lib.fmod(a, b),
        ((2, 5), (5,)),
        low=-3.0,
        high=3.0,
        away_from=(0.0,),
        id="tensor-divisor-bcast",
    ),
    Case("ToDtype", lambda lib, a: a.to(lib.float32), ((3,),), eps=1e-2, atol=1e-3),
    Case("Clone", lambda lib, a: a.clone() * 2, ((2, 3),)),
]
