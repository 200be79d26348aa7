"""Values at an index of an array: writing them (``put``), adding them up where integer
indices repeat (``add_at``), and ``IndexedGradient``, the gradient of ``x[index]``: zero but
at the index, kept as the index and the values until the engine adds it where it lands."""

import numpy as np

from ..partial_gradient import PartialGradient


def put(array, index, values, accumulate):
    """array[index] = values, or += values (adding up repeated integer indices); ``index``
    is a parsed ``indexing.Index``."""
    if index.advanced is None:
        if accumulate:
            array[index.basic] += values
        else:
            array[index.basic] = values
        return
    target = array[index.basic]
    if not accumulate:
        target[index.advanced] = values
    elif index.repeats:
        add_at(target, index.advanced, values)
    else:
        target[index.advanced] += values


def add_at(target, advanced, values):
    """target[advanced] += values with repeated indices adding up (``np.add.at``). For one
    integer array over wide rows (an embedding's gradient), sorting the indices and summing
    each run with ``np.add.reduceat`` is faster than ``np.add.at``."""
    index = advanced[0]
    if len(advanced) > 1 or target.ndim < 2 or target[0].size < 16 or index.size == 0:
        np.add.at(target, advanced, values)
        return
    rows = np.broadcast_to(values, index.shape + target.shape[1:])
    rows = rows.reshape((index.size, *target.shape[1:]))
    flat = index.ravel() % target.shape[0]
    order = np.argsort(flat, kind="stable")
    ordered = flat[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    target[ordered[starts]] += np.add.reduceat(rows[order], starts, axis=0)


class IndexedGradient(PartialGradient):
    """Zeros of ``shape`` with ``values`` at ``index`` (summed where indices repeat): the
    gradient of ``x[index]`` for x of that shape."""

    __slots__ = ("dtype", "index", "shape", "values")

    def __init__(self, shape, index, values):
        self.shape = shape
        self.dtype = values.dtype
        self.index = index
        self.values = values

    def add_to(self, array):
        put(array, self.index, self.values, accumulate=True)
