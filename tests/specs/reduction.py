"""Cases for autograd/ops/reduction.py: every reduction with dim None, an int, a negative
dim, a tuple of dims, keepdim both ways, and 0-d inputs.

Inputs are drawn without ties, so finite differences are valid; tie-breaking is tested
against PyTorch in tests/test_reduction.py.
"""

import numpy as np

from . import Case, Const

# (id, fn(lib, a)) for a (2, 3, 4) input; each reduction below runs all of them.
DIMS = [
    ("all", lambda lib, f, a: f(a)),
    ("dim1", lambda lib, f, a: f(a, dim=1)),
    ("neg-keepdim", lambda lib, f, a: f(a, dim=-1, keepdim=True)),
    ("tuple", lambda lib, f, a: f(a, dim=(0, -1))),
    ("tuple-keepdim", lambda lib, f, a: f(a, dim=(2, 0), keepdim=True)),
]


def over_dims(op, name, **options):
    """One case per entry of DIMS, calling ``lib.<name>`` on a (2, 3, 4) input."""
    return [
        Case(
            op,
            lambda lib, a, call=call: call(lib, getattr(lib, name), a),
            ((2, 3, 4),),
            id=case_id,
            **options,
        )
        for case_id, call in DIMS
    ]


def grad_of(lib, out, inputs, grad_outputs):
    """d(out)/d(inputs) with create_graph=True, in either library (a recorded backward)."""
    grad = lib.autograd.grad if lib.__name__ == "torch" else lib.grad
    return grad(out, inputs, grad_outputs, create_graph=True)[0]


ONE_ZERO = np.array([[1.0, 0.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0], [0.0, 1.0, 1.0, 1.0]])
TWO_ZEROS = np.array([[0.0, 1.0, 0.0, 1.0], [1.0, 1.0, 1.0, 1.0], [1.0, 0.0, 1.0, 1.0]])

CASES = [
    *over_dims("Sum", "sum"),
    Case("Sum", lambda lib, a: a.sum(), ((),), id="0d"),
    Case("Sum", lambda lib, a: a.sum(-1, keepdim=True), ((),), id="0d-dim"),
    Case("Sum", lambda lib, a: a.sum(dim=()), ((2, 3),), id="empty-dims"),
    Case("Sum", lambda lib, a: a.sum(1, dtype=lib.float64), ((2, 3),), id="dtype"),
    Case("SumToSize", lambda lib, a: a.sum_to_size(1, 4), ((3, 4),)),
    Case("SumToSize", lambda lib, a: a.sum_to_size(4), ((2, 3, 4),), id="leading"),
    *over_dims("Mean", "mean"),
    Case("Mean", lambda lib, a: a.mean(), ((),), id="0d"),
    *over_dims("Prod", "prod", low=0.5, high=1.5)[:3],  # torch.prod takes one dim only
    Case(
        "Prod",
        lambda lib, a: a.prod((0, 2)),
        ((2, 3, 4),),
        low=0.5,
        high=1.5,
        torch=False,
        id="tuple",
    ),
    Case("Prod", lambda lib, a: a.prod(), ((),), id="0d"),
    Case(
        "Prod",
        lambda lib, a: a.prod(1),
        ((3, 4),),
        low=-1.5,
        high=1.5,
        away_from=(0.0,),
        id="signs",
    ),
    Case("Prod", lambda lib, a, m: (a * m).prod(1), ((3, 4), Const(ONE_ZERO)), id="one-zero"),
    Case("Prod", lambda lib, a, m: (a * m).prod(), ((3, 4), Const(ONE_ZERO)), id="one-zero-all"),
    Case(
        "Prod",
        lambda lib, a, m: (a * m).prod(1, keepdim=True),
        ((3, 4), Const(TWO_ZEROS)),
        id="two-zeros",
    ),
    *over_dims("Var", "var"),
    Case("Var", lambda lib, a: a.var(1, unbiased=False), ((3, 4),), id="biased"),
    Case("Var", lambda lib, a: a.var(0, correction=2), ((5, 2),), id="correction2"),
    Case("Var", lambda lib, a: a.var(False), ((5, 2),), id="legacy-unbiased"),
    Case("Var", lambda lib, a: a.var(correction=0), ((),), id="0d"),
    *over_dims("Std", "std"),
    Case("Std", lambda lib, a: a.std(-1, correction=0, keepdim=True), ((3, 4),), id="correction0"),
    Case("Std", lambda lib, a: lib.std(a, 0, True), ((4, 2),), id="positional-unbiased"),
    *over_dims("LogSumExp", "logsumexp")[1:],  # dim is required
    Case("LogSumExp", lambda lib, a: a.logsumexp(0), ((),), id="0d"),
    Case("LogSumExp", lambda lib, a: a.logsumexp(1), ((3, 4),), low=500, high=510, id="large"),
    *over_dims("Norm", "norm"),
    Case("Norm", lambda lib, a: a.norm(), ((),), id="0d"),
    *[
        Case("Norm", lambda lib, a, p=p: a.norm(p, dim=1), ((3, 4),), away_from=(0.0,), id=f"p{p}")
        for p in (1, 3, 0.5, -1, float("inf"), float("-inf"))
    ],
    Case("Norm", lambda lib, a: a.norm(4, dim=(0, 1), keepdim=True), ((3, 4),), id="p4-tuple"),
    Case("Norm", lambda lib, a: a.norm("fro", dim=(0, -1)), ((2, 3, 4),), id="fro-tuple"),
    Case("Norm", lambda lib, a: a.norm(0, dim=1), ((3, 4),), second_order=False, id="p0"),
    Case("Cumsum", lambda lib, a: a.cumsum(0), ((4, 3),)),
    Case("Cumsum", lambda lib, a: a.cumsum(-1), ((2, 3, 4),), id="neg-dim"),
    Case("Cumsum", lambda lib, a: lib.cumsum(a, 0), ((),), id="0d"),
    Case("Softmax", lambda lib, a: a.softmax(1), ((3, 4),)),
    Case("Softmax", lambda lib, a: lib.softmax(a, -1), ((2, 3, 4),), id="neg-dim"),
    Case("Softmax", lambda lib, a: a.softmax(0), ((),), id="0d"),
    Case("Softmax", lambda lib, a: a.softmax(0), ((5,),), low=1000, high=1004, id="large"),
    Case("SoftmaxBackward", lambda lib, a, g: grad_of(lib, a.softmax(1), a, g), ((3, 4), (3, 4))),
    Case("LogSoftmax", lambda lib, a: a.log_softmax(1), ((3, 4),)),
    Case("LogSoftmax", lambda lib, a: lib.log_softmax(a, 0), ((2, 3, 4),), id="dim0"),
    Case("LogSoftmax", lambda lib, a: a.log_softmax(-1), ((),), id="0d"),
    Case("LogSoftmax", lambda lib, a: a.log_softmax(0), ((5,),), low=1000, high=1004, id="large"),
    Case(
        "LogSoftmaxBackward",
        lambda lib, a, g: grad_of(lib, a.log_softmax(-1), a, g),
        ((3, 4), (3, 4)),
    ),
]
