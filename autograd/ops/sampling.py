"""Random values in place of a tensor's: what ``uniform_``, ``normal_``, ``bernoulli_`` and
``exponential_`` write (``Tensor`` methods, through ``inplace``). The draws come from the
seeded default generator (or the one given). As in PyTorch, a tensor whose graph is
recorded keeps requiring grad, with a zero gradient to its old value.
"""

import numpy as np

from ..random import numpy_generator
from ..tensor import Tensor
from .common import as_number_arg, as_tensor_arg
from .selection import replacing


def _drawn(input, array):  # noqa: A002 - PyTorch's parameter name
    """``array`` (a draw of input's shape) as input's new value, in input's dtype, recorded
    as replacing input when input requires grad (its old value gets a zero gradient)."""
    draw = Tensor._make(np.asarray(array).astype(input.data.dtype, copy=False))
    return replacing(draw, input) if input.requires_grad else draw


def uniform(input, low=0.0, high=1.0, generator=None):  # noqa: A002
    """Draws from U(low, high), in input's shape."""
    as_tensor_arg(input, "input", "uniform_")
    as_number_arg(low, "from", "uniform_")
    as_number_arg(high, "to", "uniform_")
    if low > high:
        raise RuntimeError(
            f"uniform_ expects to return a [from, to) range, but found from={low} > to={high}"
        )
    return _drawn(input, numpy_generator(generator).uniform(low, high, input.data.shape))


def normal(input, mean=0.0, std=1.0, generator=None):  # noqa: A002
    """Draws from N(mean, std^2), in input's shape."""
    as_tensor_arg(input, "input", "normal_")
    as_number_arg(mean, "mean", "normal_")
    as_number_arg(std, "std", "normal_")
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    return _drawn(input, numpy_generator(generator).normal(mean, std, input.data.shape))


def bernoulli(input, p=0.5, generator=None):  # noqa: A002
    """1 with probability p, else 0, in input's shape."""
    as_tensor_arg(input, "input", "bernoulli_")
    as_number_arg(p, "p", "bernoulli_")
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
    return _drawn(input, numpy_generator(generator).random(input.data.shape) < p)


def exponential(input, lambd=1.0, generator=None):  # noqa: A002
    """Draws from the exponential distribution of rate ``lambd``, in input's shape."""
    as_tensor_arg(input, "input", "exponential_")
    as_number_arg(lambd, "lambd", "exponential_")
    if lambd <= 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
    return _drawn(input, numpy_generator(generator).exponential(1 / lambd, input.data.shape))
