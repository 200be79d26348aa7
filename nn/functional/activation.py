"""Activation functions: thin wrappers over the autograd ops, with PyTorch's signatures
(``inplace`` writes the result into ``input`` through the recorded in-place path).

>>> F.relu(ag.tensor([-1.0, 2.0]))
tensor([0., 2.])
"""

import warnings

from autograd import dtypes, ops
from autograd.ops.common import as_tensor_arg


def _maybe_inplace(input, inplace, op, *args):  # noqa: A002 - PyTorch's parameter name
    """``op(input, *args)``, or the same written into ``input`` when ``inplace``."""
    if inplace:
        return ops.inplace(input, op, *args)
    return op(input, *args)


def relu(input, inplace=False):  # noqa: A002
    """max(x, 0) elementwise; gradient 0 at 0."""
    return _maybe_inplace(input, inplace, ops.relu)


def relu6(input, inplace=False):  # noqa: A002
    """min(max(x, 0), 6) elementwise."""
    return _maybe_inplace(input, inplace, ops.relu6)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):  # noqa: A002
    """clamp(x, min_val, max_val) elementwise."""
    return _maybe_inplace(input, inplace, ops.hardtanh, min_val, max_val)


def leaky_relu(input, negative_slope=0.01, inplace=False):  # noqa: A002
    """x if x > 0 else negative_slope * x."""
    return _maybe_inplace(input, inplace, ops.leaky_relu, negative_slope)


def elu(input, alpha=1.0, inplace=False):  # noqa: A002
    """x if x > 0 else alpha * (exp(x) - 1)."""
    return _maybe_inplace(input, inplace, ops.elu, alpha)


def gelu(input, approximate="none"):  # noqa: A002
    """x * Phi(x) (Phi the standard normal CDF); ``approximate='tanh'`` uses
    0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))."""
    return ops.gelu(input, approximate)


def silu(input, inplace=False):  # noqa: A002
    """x * sigmoid(x) (swish)."""
    return _maybe_inplace(input, inplace, ops.silu)


def softplus(input, beta=1.0, threshold=20.0):  # noqa: A002
    """log(1 + exp(beta x)) / beta, and x where beta x > threshold."""
    return ops.softplus(input, beta, threshold)


def logsigmoid(input):  # noqa: A002
    """log(sigmoid(x)), computed stably."""
    return ops.log_sigmoid(input)


def sigmoid(input):  # noqa: A002
    """1 / (1 + exp(-x))."""
    return ops.sigmoid(input)


def tanh(input):  # noqa: A002
    return ops.tanh(input)


def _softmax_dim(ndim, name):
    """PyTorch's legacy choice of dim when none is given (with its deprecation warning)."""
    warnings.warn(
        f"Implicit dimension choice for {name} has been deprecated. "
        "Change the call to include dim=X as an argument.",
        stacklevel=3,
    )
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):  # noqa: A002
    """exp(x_i) / sum_j exp(x_j) along ``dim`` (computed stably); ``dtype`` casts first."""
    as_tensor_arg(input, "input", "softmax")
    if dim is None:
        dim = _softmax_dim(input.ndim, "softmax")
    if dtype is not None:
        input = input.to(dtypes.to_dtype(dtype))  # noqa: A001
    return ops.softmax(input, dim)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):  # noqa: A002
    """x_i - logsumexp(x) along ``dim``; ``dtype`` casts first."""
    as_tensor_arg(input, "input", "log_softmax")
    if dim is None:
        dim = _softmax_dim(input.ndim, "log_softmax")
    if dtype is not None:
        input = input.to(dtypes.to_dtype(dtype))  # noqa: A001
    return ops.log_softmax(input, dim)
