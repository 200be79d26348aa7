"""Cases for autograd/ops/indexing.py: every index form (ints, slices, None, Ellipsis,
integer arrays with repeats, bool masks, 0-d), index_put, gather/scatter, masked_fill.
Negative-step slices, which PyTorch refuses, run without the torch comparison."""

import numpy as np

from . import Case, Const
from .elementwise import grad_of

ROWS = Const(np.array([[0, 2], [2, 2]]))  # repeated rows: gradients must add up
MASK = Const(np.array([[True, False, True, False], [False, False, True, True], [True] * 4]))
GATHER_INDEX = Const(np.array([[0, 1, 2, 0], [2, 2, 2, 1]]))
# scatter writes each position at most once (with repeats, which write wins is undefined)
SCATTER_ROWS = Const(np.array([[0, 1, 2, 0], [2, 0, 1, 1]]))
SCATTER_COLUMNS = Const(np.array([[0, 1, 2, 3], [3, 0, 2, 1]]))


def _getitem(index, shape=(3, 4), torch=True, id=""):  # noqa: A002 - Case's field name
    return Case("GetItem", lambda lib, a: a[index], (shape,), torch=torch, id=id or repr(index))


def _setitem(lib, a, value, index):
    out = a * 1
    out[index] = value
    return out


CASES = [
    _getitem(1),
    _getitem(-1, id="negative-int"),
    _getitem((slice(1, None), slice(None, None, 2))),
    _getitem((None, Ellipsis, 1)),
    _getitem((0, 1), id="scalar"),
    _getitem([0, 0, 2], id="list-repeated"),
    _getitem((slice(None), [3, 0, 3]), id="list-on-dim1"),
    _getitem(([0, 1], slice(None), [1, 1]), shape=(2, 3, 4), id="separated-arrays"),
    _getitem((0, slice(None), [1, 2]), shape=(2, 3, 4), id="int-then-array"),
    _getitem(([[0, 1], [1, 2]], [[3, 3], [0, 0]]), id="2d-arrays"),
    _getitem((), shape=(), id="0d-empty"),
    _getitem(None, shape=(), id="0d-none"),
    _getitem(Ellipsis, shape=(), id="0d-ellipsis"),
    _getitem(slice(None, None, -1), torch=False, id="reverse"),
    _getitem((slice(None, None, -2), slice(1, None, -1)), torch=False, id="negative-steps"),
    _getitem(([2, 2], slice(None, None, -1)), torch=False, id="array-and-negative-step"),
    Case("GetItem", lambda lib, a, i: a[i], ((3, 4), ROWS), id="tensor-rows"),
    Case("GetItem", lambda lib, a, i: a[i, 1:], ((3, 4), ROWS), id="tensor-and-slice"),
    Case("GetItem", lambda lib, a, i: a[:, i], ((3, 4), ROWS), id="tensor-on-dim1"),
    Case("GetItem", lambda lib, a, i: a[i], ((3, 4), Const(np.array(1))), id="0d-tensor"),
    Case("GetItem", lambda lib, a, m: a[m], ((3, 4), MASK), id="mask"),
    Case("GetItem", lambda lib, a, m: a[m[:, 0]], ((3, 4), MASK), id="row-mask"),
    Case("GetItem", lambda lib, a: a[a > 0], ((3, 4),), id="comparison-mask"),
    Case(
        "GetItemBackward",
        lambda lib, a, v: grad_of(lib, a[[0, 0, 2]], a, v),
        ((3, 4), (3, 4)),
    ),
    Case(
        "GetItemBackward",
        lambda lib, a, v: grad_of(lib, a[1:, None], a, v),
        ((3, 4), (2, 1, 4)),
        id="basic",
    ),
    Case("IndexPut", lambda lib, a, v: _setitem(lib, a, v, 0), ((3, 4), (4,))),
    Case("IndexPut", lambda lib, a, v: _setitem(lib, a, v, 0), ((3, 4), ()), id="0d-value"),
    Case("IndexPut", lambda lib, a, v: _setitem(lib, a, v, (slice(None), 1)), ((3, 4), (3,))),
    Case("IndexPut", lambda lib, a, v: _setitem(lib, a, v, [0, 2]), ((3, 4), (2, 1)), id="list"),
    Case("IndexPut", lambda lib, a, v, m: _setitem(lib, a, v, m), ((3, 4), (), MASK), id="mask"),
    Case("IndexPut", lambda lib, a, v: _setitem(lib, a, v, 1), ((3, 4), (1, 4)), id="lead-1"),
    Case("IndexPut", lambda lib, a: _setitem(lib, a, 2.0, (0, 1)), ((3, 4),), id="number"),
    Case(
        "IndexPut",
        lambda lib, a, v, i: lib.index_put(a, (i,), v, accumulate=True),
        ((3, 4), (2, 2, 4), ROWS),
        id="accumulate",
    ),
    Case("Gather", lambda lib, a, i: lib.gather(a, 0, i), ((3, 4), GATHER_INDEX)),
    Case("Gather", lambda lib, a, i: a.gather(1, i), ((3, 5), GATHER_INDEX), id="dim1"),
    Case("Gather", lambda lib, a, i: a.gather(-1, i), ((), Const(np.array(0))), id="0d"),
    Case(
        "Gather",
        lambda lib, a, i: lib.take_along_dim(a, i, 1),
        ((3, 4), Const(np.array([[0], [3], [3]]))),
        id="take_along_dim",
    ),
    Case(
        "Gather",
        lambda lib, a, i: lib.take_along_dim(a, i, 0),
        ((3, 1), Const(np.array([[0, 2, 2]]))),
        id="take_along_dim-broadcast",
    ),
    Case(
        "Gather",
        lambda lib, a, i: lib.take_along_dim(a, i),
        ((3, 4), Const(np.array([11, 0, 0]))),
        id="take_along_dim-flat",
    ),
    Case("Scatter", lambda lib, a, s, i: a.scatter(0, i, s), ((3, 4), (2, 4), SCATTER_ROWS)),
    Case("Scatter", lambda lib, a, i: a.scatter(1, i, 1.5), ((2, 4), SCATTER_COLUMNS), id="value"),
    Case(
        "Scatter",
        lambda lib, a, s, i: lib.scatter(a, 1, i, src=s),
        ((2, 5), (3, 6), SCATTER_COLUMNS),
        id="larger-src",
        torch=False,  # PyTorch's backward fails on a src larger than index
    ),
    Case(
        "Scatter",
        lambda lib, a, s, i: lib.scatter(a, 0, i, s, reduce="add"),
        ((3, 4), (2, 4), GATHER_INDEX),
        id="reduce",
        backward_error="derivative for aten::scatter is not implemented",
    ),
    Case(
        "ScatterAdd",
        lambda lib, a, s, i: a.scatter_add(0, i, s),
        ((3, 4), (2, 4), GATHER_INDEX),
    ),
    Case(
        "ScatterAdd",
        lambda lib, a, s, i: a.scatter_add(0, i, s),
        ((3, 4), (3, 5), GATHER_INDEX),
        id="larger-src",
        torch=False,  # PyTorch's backward fails on a src larger than index
    ),
    Case(
        "ScatterAdd",
        lambda lib, a, s, i: lib.scatter_add(a, 1, i, s),
        ((2, 3), (2, 3), Const(np.array([[0, 0, 2], [1, 1, 1]]))),
        id="dim1-repeated",
    ),
    Case("MaskedFill", lambda lib, a, m: a.masked_fill(m, -1.0), ((3, 4), MASK)),
    Case("MaskedFill", lambda lib, a, v, m: a.masked_fill(m, v), ((3, 4), (), MASK), id="0d"),
    Case(
        "MaskedFill",
        lambda lib, a, m: lib.masked_fill(a, m[0], 0.5),
        ((3, 4), MASK),
        id="broadcast-mask",
    ),
    Case(
        "MaskedFill",
        lambda lib, a, m: lib.masked_fill(a, m, 0.5),
        ((4,), MASK),
        id="broadcast-input",
    ),
    Case(
        "GetItem",
        lambda lib, a, i: lib.index_select(a, 1, i),
        ((3, 4), Const(np.array([3, 0, 3]))),
        id="index_select",
    ),
    Case(
        "GetItem",
        lambda lib, a, i: a.index_select(0, i),
        ((3, 4), Const(np.array(2))),
        id="index_select-0d-index",
    ),
]
