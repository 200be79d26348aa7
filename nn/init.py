"""Parameter initialisation, as in ``torch.nn.init``: every function fills a tensor in place
(as under ``no_grad``), draws from the one seeded generator (``ag.manual_seed``) unless a
``generator`` is given, and returns the tensor.

Fans (PyTorch's): for a weight of shape ``(out, in, *kernel)``, ``fan_in = in * prod(kernel)``
and ``fan_out = out * prod(kernel)``.

>>> w = ag.empty(3, 5)
>>> nn.init.kaiming_uniform_(w, a=math.sqrt(5)) is w
True
"""

import math
import numbers
import warnings

import numpy as np

from autograd.ops.special_gamma_numerics import ndtri_array
from autograd.ops.special_numerics import erfc_array
from autograd.random import numpy_generator
from autograd.tensor import Tensor, version_counter

_LINEAR_GAINS = (
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "sigmoid",
)


def _copy_into(tensor, array):
    """Write ``array`` (broadcast, cast to the tensor's dtype) into ``tensor`` in place and
    bump its version counter, as an in-place op under ``no_grad`` does."""
    np.copyto(tensor.data, array, casting="unsafe")
    version_counter(tensor)[0] += 1
    return tensor


def _check_tensor(tensor, name):
    if not isinstance(tensor, Tensor):
        raise TypeError(f"nn.init.{name}: expected a Tensor, got {type(tensor).__name__}")
    return tensor


def calculate_gain(nonlinearity, param=None):
    """The recommended gain for a nonlinearity: 1 for linear/conv/sigmoid, 5/3 for tanh,
    sqrt(2) for relu, sqrt(2 / (1 + slope^2)) for leaky_relu (slope 0.01 by default),
    3/4 for selu."""
    if nonlinearity in _LINEAR_GAINS:
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            negative_slope = 0.01
        elif isinstance(param, numbers.Real) and not isinstance(param, bool):
            negative_slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + negative_slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor):
    """(fan_in, fan_out) of a weight of shape (out, in, *kernel); see the module docstring."""
    shape = tensor.shape
    if len(shape) < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions "
            f"(shape {tuple(shape)})"
        )
    receptive_field_size = math.prod(shape[2:])
    return shape[1] * receptive_field_size, shape[0] * receptive_field_size


def _calculate_correct_fan(tensor, mode):
    mode = mode.lower()
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of fan_in, fan_out")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _no_op_if_empty(tensor, name):
    if tensor.numel() == 0:
        warnings.warn(f"nn.init.{name}: initializing zero-element tensors is a no-op", stacklevel=3)
        return True
    return False


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    """Fill with draws from U(a, b)."""
    _check_tensor(tensor, "uniform_")
    if a > b:
        raise ValueError(f"nn.init.uniform_: expects a <= b, but got a={a}, b={b}")
    return _copy_into(tensor, numpy_generator(generator).uniform(a, b, size=tensor.shape))


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    """Fill with draws from N(mean, std^2)."""
    _check_tensor(tensor, "normal_")
    if std < 0:
        raise ValueError(f"nn.init.normal_: expects std >= 0.0, but found std {std}")
    return _copy_into(tensor, numpy_generator(generator).normal(mean, std, size=tensor.shape))


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=None):
    """Fill with draws from N(mean, std^2) conditioned on [a, b]: by rejection (redrawing
    those outside, vectorised) when [a, b] holds a quarter of the mass or more, else by
    inverting the normal CDF Phi, which stays right in a narrow interval or far in a tail."""
    _check_tensor(tensor, "trunc_normal_")
    if not a < b:
        raise ValueError(f"nn.init.trunc_normal_: expects a < b, but got a={a}, b={b}")
    if mean < a - 2 * std or mean > b + 2 * std:  # PyTorch's warning (these draws stay right)
        warnings.warn(
            "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. "
            "The distribution of values may be incorrect.",
            stacklevel=2,
        )
    rng = numpy_generator(generator)
    alpha, beta = (a - mean) / std, (b - mean) / std
    mirrored = alpha + beta > 0  # Phi of a lower tail is exact, 1 - Phi rounds to 0
    if mirrored:
        alpha, beta = -beta, -alpha
    low, high = 0.5 * erfc_array(-np.array([alpha, beta]) / math.sqrt(2))
    if high - low >= 0.25:
        values = rng.normal(mean, std, size=tensor.numel())
        outside = np.flatnonzero((values < a) | (values > b))
        while outside.size:  # each round redraws at most 3/4 of the last round's
            values[outside] = rng.normal(mean, std, size=outside.size)
            outside = outside[(values[outside] < a) | (values[outside] > b)]
    else:  # mean + std Phi^-1(u) for u uniform on [Phi(alpha), Phi(beta)]
        quantiles = ndtri_array(rng.uniform(low, high, size=tensor.numel()))
        values = mean + std * (-quantiles if mirrored else quantiles)
        np.clip(values, a, b, out=values)  # (rounding at the ends)
    return _copy_into(tensor, values.reshape(tensor.shape))


def constant_(tensor, val):
    """Fill with ``val``."""
    return _copy_into(_check_tensor(tensor, "constant_"), val)


def ones_(tensor):
    return constant_(tensor, 1.0)


def zeros_(tensor):
    return constant_(tensor, 0.0)


def eye_(tensor):
    """Fill a 2-d tensor with the identity (ones on the diagonal, as many as fit)."""
    _check_tensor(tensor, "eye_")
    if tensor.ndim != 2:
        raise ValueError(f"Only tensors with 2 dimensions are supported (got shape {tensor.shape})")
    return _copy_into(tensor, np.eye(*tensor.shape))


def xavier_uniform_(tensor, gain=1.0, generator=None):
    """Glorot: U(-bound, bound) with bound = gain * sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(_check_tensor(tensor, "xavier_uniform_"))
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor, gain=1.0, generator=None):
    """Glorot: N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(_check_tensor(tensor, "xavier_normal_"))
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def _kaiming_std(tensor, a, mode, nonlinearity):
    fan = _calculate_correct_fan(tensor, mode)
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He: U(-bound, bound) with bound = sqrt(3) * gain / sqrt(fan), gain from
    ``calculate_gain(nonlinearity, a)`` and fan the fan_in or fan_out (``mode``)."""
    _check_tensor(tensor, "kaiming_uniform_")
    if _no_op_if_empty(tensor, "kaiming_uniform_"):
        return tensor
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """He: N(0, std^2) with std = gain / sqrt(fan); see ``kaiming_uniform_``."""
    _check_tensor(tensor, "kaiming_normal_")
    if _no_op_if_empty(tensor, "kaiming_normal_"):
        return tensor
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity), generator)


def orthogonal_(tensor, gain=1, generator=None):
    """Fill with a (semi-)orthogonal matrix times ``gain``: the Q of the QR decomposition of
    a normal draw of shape (rows, numel / rows), signs fixed so R has a positive diagonal."""
    _check_tensor(tensor, "orthogonal_")
    if tensor.ndim < 2:
        raise ValueError(
            f"Only tensors with 2 or more dimensions are supported (got shape {tensor.shape})"
        )
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    flattened = numpy_generator(generator).normal(0.0, 1.0, size=(rows, cols))
    if rows < cols:
        flattened = flattened.T
    q, r = np.linalg.qr(flattened)
    q *= np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return _copy_into(tensor, (gain * q).reshape(tensor.shape))
