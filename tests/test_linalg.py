"""matmul, mm, bmm, dot, outer and einsum against PyTorch: every rank combination (values and
gradients), dtypes, higher-order gradients, and the error messages for bad shapes."""

import numpy as np
import pytest

import autograd as ag

torch = pytest.importorskip("torch")

RANKS = [
    ((3,), (3,)),
    ((3,), (3, 4)),
    ((2, 3), (3,)),
    ((2, 3), (3, 4)),
    ((5, 2, 3), (3, 4)),
    ((2, 3), (5, 3, 4)),
    ((3,), (5, 3, 4)),
    ((5, 2, 3), (3,)),
    ((5, 2, 3), (5, 3, 4)),
    ((2, 1, 2, 3), (5, 3, 4)),
    ((1, 2, 3), (4, 1, 3, 2)),
]


def both(fn, arrays):
    """fn's output and input gradients for chainrule and torch, with a random seed gradient."""
    ours = [ag.tensor(array, requires_grad=True) for array in arrays]
    theirs = [torch.tensor(array, requires_grad=True) for array in arrays]
    out, expected = fn(ag, *ours), fn(torch, *theirs)
    seed = np.random.default_rng(1).standard_normal(out.shape)
    out.backward(ag.tensor(seed))
    expected.backward(torch.tensor(seed))
    return out, expected, ours, theirs


def assert_same(fn, shapes, rng):
    arrays = [rng.standard_normal(shape) for shape in shapes]
    out, expected, ours, theirs = both(fn, arrays)
    assert out.shape == tuple(expected.shape)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-10, atol=1e-12)
    for mine, reference in zip(ours, theirs):
        np.testing.assert_allclose(mine.grad.data, reference.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("shapes", RANKS, ids=str)
def test_matmul_ranks_match_torch(shapes, rng):
    assert_same(lambda lib, a, b: lib.matmul(a, b), shapes, rng)
    assert_same(lambda lib, a, b: a @ b, shapes, rng)


@pytest.mark.parametrize("shapes", [((3, 0), (0,)), ((0, 0), (0,)), ((2, 3, 0), (0, 4))], ids=str)
def test_matmul_with_an_empty_inner_dim_gives_zeros(shapes, rng):
    assert_same(lambda lib, a, b: a @ b, shapes, rng)


def test_mm_bmm_dot_outer_match_torch(rng):
    assert_same(lambda lib, a, b: lib.mm(a, b), ((2, 3), (3, 4)), rng)
    assert_same(lambda lib, a, b: a.mm(b), ((2, 3), (3, 4)), rng)
    assert_same(lambda lib, a, b: lib.bmm(a, b), ((4, 2, 3), (4, 3, 5)), rng)
    assert_same(lambda lib, a, b: lib.dot(a, b), ((3,), (3,)), rng)
    assert_same(lambda lib, a, b: lib.outer(a, b), ((3,), (4,)), rng)


EINSUM = [
    ("ij,jk->ik", ((2, 3), (3, 4))),
    ("ij,jk", ((2, 3), (3, 4))),
    ("ba", ((2, 3),)),
    ("Ab,a", ((2, 3), (4,))),
    ("bij,bjk->bik", ((2, 2, 3), (2, 3, 4))),
    ("ii->i", ((3, 3),)),
    ("ii", ((3, 3),)),
    ("iij->ji", ((3, 3, 2),)),
    ("iii->", ((2, 2, 2),)),
    ("ij->", ((2, 3),)),
    ("i,j->ij", ((3,), (4,))),
    ("...ij,...jk", ((2, 1, 2, 3), (5, 3, 4))),
    ("...ij->...ji", ((2, 3, 4),)),
    ("i...->...", ((2, 3, 4),)),
    ("ij,ik->jk", ((1, 3), (5, 4))),
    ("bi,bj,bk->ijk", ((2, 3), (2, 4), (2, 2))),
    (" i j , j k -> i k ", ((2, 3), (3, 4))),
    ("->", ((),)),
]


@pytest.mark.parametrize("equation, shapes", EINSUM, ids=[item[0] for item in EINSUM])
def test_einsum_matches_torch(equation, shapes, rng):
    assert_same(lambda lib, *xs: lib.einsum(equation, *xs), shapes, rng)


def test_einsum_list_form_and_same_operand_twice(rng):
    assert_same(lambda lib, a, b: lib.einsum("ij,jk", [a, b]), ((2, 3), (3, 4)), rng)
    assert_same(lambda lib, a: lib.einsum("i,i", a, a), ((3,),), rng)


def test_gradient_of_2d_matmul_is_two_matmuls():
    a = ag.randn(3, 4, requires_grad=True)
    b = ag.randn(4, 5, requires_grad=True)
    grad_a, grad_b = ag.grad(a @ b, (a, b), ag.ones(3, 5), create_graph=True)
    assert grad_a.grad_fn.name() == "MatMulBackward"
    assert grad_b.grad_fn.name() == "MatMulBackward"


@pytest.mark.parametrize("shapes", [((2, 3), (3, 4)), ((2, 2, 3), (3,)), ((3,), (2, 3, 2))])
def test_matmul_second_order(shapes, rng):
    inputs = tuple(ag.tensor(rng.standard_normal(s), requires_grad=True) for s in shapes)
    assert ag.gradgradcheck(lambda a, b: ag.matmul(a, b), inputs)


def test_einsum_second_order(rng):
    inputs = (ag.tensor(rng.standard_normal((3, 3, 2)), requires_grad=True),)
    assert ag.gradgradcheck(lambda a: ag.einsum("iij->j", a) ** 2, inputs)


def test_dtypes():
    ints = ag.tensor([[1, 2], [3, 4]])
    assert (ints @ ints).dtype == ag.int64
    assert (ints @ ints).tolist() == [[7, 10], [15, 22]]
    assert ag.einsum("ij,jk", ints, ints).dtype == ag.int64
    mixed = ag.ones(2, 3, dtype=ag.float32) @ ag.ones(3, dtype=ag.float64)
    assert mixed.dtype == ag.float64
    assert (ag.ones(2, 2, dtype=ag.float32) @ ag.ones(2, 2, dtype=ag.float32)).dtype == ag.float32


def test_mixed_dtype_gradients_keep_input_dtypes():
    a = ag.ones(2, 3, dtype=ag.float32, requires_grad=True)
    b = ag.ones(3, 2, dtype=ag.float64, requires_grad=True)
    (a @ b).sum().backward()
    assert a.grad.dtype == ag.float32 and b.grad.dtype == ag.float64


ERRORS = [
    (
        lambda: ag.ones(2, 3) @ ag.ones(4, 5),
        r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)",
    ),
    (lambda: ag.ones(2, 2, 3) @ ag.ones(4, 5), r"cannot be multiplied \(4x3 and 4x5\)"),
    (lambda: ag.ones(3) @ ag.ones(4, 5), r"cannot be multiplied \(1x3 and 4x5\)"),
    (lambda: ag.ones(2, 3) @ ag.ones(4), r"size mismatch, got input \(2\), mat \(2x3\), vec \(4\)"),
    (lambda: ag.ones(3) @ ag.ones(4), r"expected tensor \[3\] and src \[4\]"),
    (
        lambda: ag.ones(7, 2, 3) @ ag.ones(5, 3, 4),
        r"size of tensor a \(7\) must match the size of tensor b \(5\)",
    ),
    (lambda: ag.tensor(2.0) @ ag.ones(3), "need to be at least 1D, but they are 0D and 1D"),
    (lambda: ag.mm(ag.ones(3), ag.ones(3, 2)), "self must be a matrix"),
    (
        lambda: ag.mm(ag.ones(2, 3), ag.ones(4, 2)),
        r"mm: mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x2\)",
    ),
    (lambda: ag.bmm(ag.ones(2, 3), ag.ones(2, 3, 4)), "batch1 must be a 3D tensor"),
    (
        lambda: ag.bmm(ag.ones(2, 2, 3), ag.ones(3, 3, 4)),
        r"batch2 tensor to be: \[2, 3\] but got: \[3, 3\]",
    ),
    (lambda: ag.dot(ag.ones(3, 1), ag.ones(3)), "1D tensors expected, but got 2D and 1D tensors"),
    (lambda: ag.outer(ag.ones(3), ag.ones(4, 1)), "Expected 1-D argument vec2, but got 2-D"),
    (
        lambda: ag.ones(2, 2, dtype=ag.bool) @ ag.ones(2, 2, dtype=ag.bool),
        "not implemented for bool",
    ),
    (
        lambda: ag.einsum("ii->i", ag.ones(3, 4)),
        "subscript i is repeated for operand 0 but the sizes don't match, 4 != 3",
    ),
    (
        lambda: ag.einsum("ij,jk", ag.ones(2, 3), ag.ones(4, 4)),
        "subscript j has size 4 for operand 1",
    ),
    (lambda: ag.einsum("ij->ik", ag.ones(2, 3)), "output subscript k does not appear"),
    (lambda: ag.einsum("i->ii", ag.ones(3)), "output subscript i appears more than once"),
    (lambda: ag.einsum("ij,jk", ag.ones(2, 3)), "fewer operands were provided"),
    (
        lambda: ag.einsum("ijk->ij", ag.ones(2, 3)),
        r"subscripts in the equation \(3\) does not match the number of dimensions \(2\)",
    ),
    (lambda: ag.einsum("i1->i", ag.ones(3, 1)), "invalid subscript given at index 1"),
]


@pytest.mark.parametrize("make, message", ERRORS, ids=[error[1][:40] for error in ERRORS])
def test_errors(make, message):
    with pytest.raises(RuntimeError, match=message):
        make()


def test_non_tensor_arguments_are_refused():
    with pytest.raises(TypeError, match="matmul\\(\\): argument 'other' must be a Tensor"):
        ag.matmul(ag.ones(2, 2), [[1.0, 0.0], [0.0, 1.0]])
    with pytest.raises(TypeError, match="einsum\\(\\): equation must be a str"):
        ag.einsum(ag.ones(2), "i")
