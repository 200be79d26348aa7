"""Tensor methods that are a function's other form (x.trunc() is ag.trunc(x)) give what
PyTorch's methods give, and what the function gives."""

import numpy as np
import pytest

import autograd as ag

torch = pytest.importorskip("torch")

FLOATS = np.array([[1.5, -2.25, 0.0], [3.75, -0.5, 2.0]])
BOOLS = np.array([[True, False, True], [False, False, True]])
INTS = np.array([[5, 3, -2], [0, 7, 12]])

METHODS = {  # name: (array, arguments made from the library)
    "trunc": (FLOATS, lambda lib: ()),
    "negative": (FLOATS, lambda lib: ()),
    "logical_and": (BOOLS, lambda lib: (lib.tensor(BOOLS[::-1].copy()),)),
    "logical_or": (FLOATS, lambda lib: (lib.tensor(BOOLS),)),
    "logical_xor": (BOOLS, lambda lib: (lib.tensor(BOOLS[::-1].copy()),)),
    "bitwise_and": (INTS, lambda lib: (lib.tensor(INTS[::-1].copy()),)),
    "bitwise_or": (INTS, lambda lib: (lib.tensor(INTS[::-1].copy()),)),
    "bitwise_xor": (BOOLS, lambda lib: (lib.tensor(BOOLS[::-1].copy()),)),
    "bitwise_not": (INTS, lambda lib: ()),
    "diagonal_scatter": (FLOATS, lambda lib: (lib.tensor([9.0, 8.0], dtype=lib.float64), 1)),
}


@pytest.mark.parametrize("name", list(METHODS))
def test_method_matches_torch_and_the_function(name):
    array, arguments = METHODS[name]
    ours = getattr(ag.tensor(array), name)(*arguments(ag))
    theirs = getattr(torch.tensor(array), name)(*arguments(torch))
    function = getattr(ag, name)(ag.tensor(array), *arguments(ag))
    assert ours.tolist() == theirs.tolist() == function.tolist()
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
