"""Cases for autograd/ops/normalization.py: Standardize through each of batch_norm (training,
with and without affine, 2-d and 4-d), layer_norm (one and two normalised dims) and
group_norm, and its second output invstd directly (which PyTorch does not expose)."""

import numpy as np

import nn
from autograd.ops.normalization import Standardize

from . import Case, Const


def functional(lib):
    """torch.nn.functional for torch, chainrule's nn.functional otherwise."""
    return lib.nn.functional if lib.__name__ == "torch" else nn.functional


def _invstd(lib, x):
    return Standardize.apply(x, dims=(0, 2), eps=1e-5)[1]


RUNNING = np.array([0.5, -1.0, 2.0])

CASES = [
    Case(
        "Standardize",
        lambda lib, x: functional(lib).batch_norm(x, None, None, training=True),
        ((4, 3),),
        id="batch_norm-2d",
    ),
    Case(
        "Standardize",
        lambda lib, x, w, b: functional(lib).batch_norm(x, None, None, w, b, training=True),
        ((2, 3, 2, 2), (3,), (3,)),
        id="batch_norm-4d-affine",
    ),
    Case(
        "Standardize",
        lambda lib, x, w, m: functional(lib).batch_norm(
            x, m.to(x.dtype), lib.ones(3, dtype=x.dtype), w, training=True, eps=0.1
        ),
        ((3, 3, 2), (3,), Const(RUNNING)),
        id="batch_norm-running-eps",
    ),
    Case(
        "Standardize",
        lambda lib, x: functional(lib).layer_norm(x, (4,)),
        ((3, 4),),
        id="layer_norm",
    ),
    Case(
        "Standardize",
        lambda lib, x, w, b: functional(lib).layer_norm(x, (3, 2), w, b),
        ((2, 3, 2), (3, 2), (3, 2)),
        id="layer_norm-2dims-affine",
    ),
    Case(
        "Standardize",
        lambda lib, x, w, b: functional(lib).group_norm(x, 2, w, b),
        ((2, 4, 3), (4,), (4,)),
        id="group_norm",
    ),
    Case("Standardize", _invstd, ((3, 2, 2),), torch=False, id="invstd"),
]
