"""Infinite and overflowing values through reductions, normalisation and losses: the results
PyTorch gives (inf and NaN in the same places), and no NumPy warning on the way, forward or
backward. (The forward of ``+ - *`` is the documented exception: README, "Where chainrule
differs from PyTorch".)"""

import warnings

import numpy as np
import pytest

import autograd as ag
import nn

torch = pytest.importorskip("torch")

INF = float("inf")
VALUES = {
    "inf - inf": [[INF, -INF, 1.0], [2.0, -1.0, 0.5]],
    "overflow": [[3e38, 3e38, 1.0], [3e38, 2e38, 2.0]],  # in any order of summing
    "nan": [[float("nan"), 1.0, 2.0], [INF, 1.0, 0.0]],
}


def _targets(lib):
    return lib.tensor([0, 2])


OPS = {
    "sum": lambda lib, x: x.sum(),
    "sum(1)": lambda lib, x: x.sum(1),
    "mean": lambda lib, x: x.mean(),
    "mean(1)": lambda lib, x: x.mean(1),
    "var(1)": lambda lib, x: x.var(1),
    "std": lambda lib, x: x.std(),
    "logsumexp(1)": lambda lib, x: x.logsumexp(1),
    "softmax(1)": lambda lib, x: x.softmax(1),
    "log_softmax(1)": lambda lib, x: x.log_softmax(1),
    "layer_norm": lambda lib, x: lib.nn.functional.layer_norm(x, (3,)),
    "cross_entropy": lambda lib, x: lib.nn.functional.cross_entropy(x, _targets(lib)),
    "cross_entropy smoothed": lambda lib, x: lib.nn.functional.cross_entropy(
        x, _targets(lib), label_smoothing=0.1
    ),
}


class _Ours:
    """chainrule under the names the OPS use for torch (``lib.nn.functional``)."""

    nn = nn
    tensor = staticmethod(ag.tensor)
    float32 = ag.float32


def _run(lib, op, values, dtype):
    x = lib.tensor(values, dtype=dtype, requires_grad=True)
    out = op(lib, x)
    out.sum().backward()
    return np.asarray(out.tolist()), np.asarray(x.grad.tolist())


@pytest.mark.parametrize("case", list(VALUES))
@pytest.mark.parametrize("name", list(OPS))
def test_non_finite_values_like_torch_without_numpy_warnings(name, case):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = _run(_Ours, OPS[name], VALUES[case], ag.float32)
    theirs = _run(torch, OPS[name], VALUES[case], torch.float32)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-5, err_msg="forward")
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-5, err_msg="gradient")
