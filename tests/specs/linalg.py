"""Cases for autograd/ops/linalg.py: matmul in every rank combination, mm, bmm, dot, outer,
einsum (explicit, implicit, ellipsis, broadcasting, repeated labels)."""

from . import Case

MATMUL_SHAPES = [
    ((3, 4), (4, 2)),  # 2-D @ 2-D
    ((4,), (4, 2)),  # 1-D @ 2-D
    ((3, 4), (4,)),  # 2-D @ 1-D
    ((2, 3, 4), (4, 2)),  # N-D @ 2-D (batch folded into rows)
    ((3, 4), (2, 4, 5)),  # 2-D @ N-D
    ((4,), (2, 4, 3)),  # 1-D @ N-D
    ((2, 3, 4), (4,)),  # N-D @ 1-D
    ((2, 1, 3, 4), (5, 4, 2)),  # broadcast batch dims
    ((2, 3, 4), (2, 4, 2)),  # batched
]

EINSUM = [
    ("ij,jk->ik", ((2, 3), (3, 4))),
    ("ij,jk", ((2, 3), (3, 4))),  # implicit output
    ("bij,bjk->bik", ((2, 2, 3), (2, 3, 2))),
    ("ii->i", ((3, 3),)),  # diagonal
    ("ii", ((3, 3),)),  # trace
    ("iij->ji", ((3, 3, 2),)),
    ("ij->", ((2, 3),)),
    ("ij->ji", ((2, 3),)),
    ("i,j->ij", ((3,), (4,))),
    ("i,i", ((3,), (3,))),
    ("...ij,...jk", ((2, 1, 2, 3), (5, 3, 2))),  # ellipsis with broadcasting
    ("...ij->...j", ((2, 3, 4),)),
    ("ij,ik->jk", ((1, 3), (5, 2))),  # a size-1 label broadcast
    ("bi,bj,bk->ijk", ((2, 3), (2, 2), (2, 2))),  # three operands
]

CASES = [
    *[Case("MatMul", lambda lib, a, b: lib.matmul(a, b), shapes) for shapes in MATMUL_SHAPES],
    Case("MatMul", lambda lib, a, b: a @ b, ((2, 3), (3, 2)), id="operator"),
    Case("MatMul", lambda lib, a: a @ a, ((3, 3),), id="same-input"),
    Case("MatMul", lambda lib, a, b: lib.mm(a, b), ((2, 3), (3, 4)), id="mm"),
    Case("MatMul", lambda lib, a, b: lib.bmm(a, b), ((2, 2, 3), (2, 3, 4)), id="bmm"),
    Case("Dot", lambda lib, a, b: lib.dot(a, b), ((4,), (4,))),
    Case("Dot", lambda lib, a, b: lib.matmul(a, b), ((3,), (3,)), id="matmul-1d"),
    Case("Mul", lambda lib, a, b: lib.outer(a, b), ((3,), (4,)), id="outer"),
    *[
        Case("Einsum", lambda lib, *xs, eq=equation: lib.einsum(eq, *xs), shapes, id=equation)
        for equation, shapes in EINSUM
    ],
    Case("Einsum", lambda lib, a, b: lib.einsum("ij,jk", [a, b]), ((2, 3), (3, 2)), id="list"),
]
