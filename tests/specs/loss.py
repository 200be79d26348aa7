"""Cases for autograd/ops/loss.py through nn.functional: cross_entropy and nll_loss over class
indices (given as Const) with each reduction, class weights, ignore_index, label smoothing,
spatial dims and an unbatched input; binary_cross_entropy with weights and a target that
requires grad."""

import numpy as np

import nn

from . import Case, Const

WEIGHT = np.array([0.5, 2.0, 1.0, 1.5, 0.25])


def functional(lib):
    """torch.nn.functional for torch, chainrule's nn.functional otherwise."""
    return lib.nn.functional if lib.__name__ == "torch" else nn.functional


def _weight(lib, x):
    return lib.tensor(WEIGHT[: x.shape[0 if x.ndim == 1 else 1]], dtype=x.dtype)


def _cross_entropy(reduction="mean", weighted=False, **options):
    def fn(lib, x, t):
        weight = _weight(lib, x) if weighted else None
        return functional(lib).cross_entropy(x, t, weight, reduction=reduction, **options)

    return fn


def _nll_loss(reduction="mean", weighted=False, **options):
    def fn(lib, x, t):
        weight = _weight(lib, x) if weighted else None
        logp = x.log_softmax(1)
        return functional(lib).nll_loss(logp, t, weight, reduction=reduction, **options)

    return fn


TARGET = Const(np.array([1, 0, 4, 2]))
IGNORED = Const(np.array([1, 3, -100, 2]))
SPATIAL = Const(np.array([[0, 4, 2], [3, 3, 1]]))

CASES = [
    *[
        Case("CrossEntropy", _cross_entropy(reduction), ((4, 5), TARGET), id=reduction)
        for reduction in ("mean", "sum", "none")
    ],
    Case(
        "CrossEntropy",
        _cross_entropy(weighted=True, label_smoothing=0.2),
        ((4, 5), IGNORED),
        id="weight-ignore-smoothing",
    ),
    Case(
        "CrossEntropy",
        _cross_entropy("none", weighted=True, ignore_index=3),
        ((2, 5, 3), SPATIAL),
        id="spatial-none-ignore3",
    ),
    Case(
        "CrossEntropy",
        _cross_entropy("sum", label_smoothing=0.1),
        ((2, 5, 3), SPATIAL),
        id="spatial-sum-smoothing",
    ),
    Case("CrossEntropy", _cross_entropy(), ((5,), Const(np.array(3))), id="unbatched"),
    Case(
        "CrossEntropy",
        _cross_entropy(),
        ((4, 5), TARGET),
        low=1000,
        high=1010,
        id="large-logits",
    ),
    Case("NllLoss", _nll_loss(), ((4, 5), TARGET)),
    Case("NllLoss", _nll_loss("sum", weighted=True), ((4, 5), IGNORED), id="sum-weight-ignore"),
    Case("NllLoss", _nll_loss("none", ignore_index=3), ((2, 5, 3), SPATIAL), id="spatial-none"),
    Case(
        "BinaryCrossEntropy",
        lambda lib, p, t: functional(lib).binary_cross_entropy(p, t),
        ((3, 4), (3, 4)),
        low=0.1,
        high=0.9,
    ),
    Case(
        "BinaryCrossEntropy",
        lambda lib, p, t: functional(lib).binary_cross_entropy(
            p, t, lib.tensor(WEIGHT[:4], dtype=p.dtype), reduction="none"
        ),
        ((3, 4), (3, 4)),
        low=0.1,
        high=0.9,
        id="weight-none",
    ),
]
