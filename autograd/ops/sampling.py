"""Random values in place of a tensor's: what ``uniform_``, ``normal_``, ``bernoulli_``,
``exponential_`` and ``random_`` write (``Tensor`` methods, through ``inplace``). The draws
come from the seeded default generator (or the one given). As in PyTorch, a tensor whose
graph is recorded keeps requiring grad, with a zero gradient to its old value.
"""

import builtins

import numpy as np

from ..random import numpy_generator
from ..tensor import Tensor
from .common import as_number_arg, as_tensor_arg, int_arg
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


# PyTorch's names of the dtypes' C types, in random_'s messages
_C_TYPE_NAMES = {
    "bool": "bool",
    "uint8": "unsigned char",
    "int8": "signed char",
    "int16": "short int",
    "int32": "int",
    "int64": "long int",
    "float16": "c10::Half",
    "float32": "float",
    "float64": "double",
}


def random(input, bounds=(), generator=None):  # noqa: A002
    """Integers drawn uniformly in input's shape and dtype: PyTorch's ``random_()``,
    ``random_(to)`` and ``random_(from, to)`` take ``bounds`` (), (to,) or (from, to) and draw
    from [from, to) (from 0 by default); without ``to`` (or None), up to the largest integer
    that input's dtype holds exactly, included: 2**24 for float32, 2**53 for float64, the
    largest value of an integer dtype."""
    as_tensor_arg(input, "input", "random_")
    if len(bounds) > 2:
        raise TypeError(f"random_() takes at most 2 bounds (from, to) but {len(bounds)} were given")
    low, high = 0, None
    if len(bounds) == 1:  # random_(to): no None there
        high = _bound(bounds[0], "to")
    elif bounds:
        low = _bound(bounds[0], "from")
        high = None if bounds[1] is None else _bound(bounds[1], "to")
    if high is not None and low >= high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    dtype = input.data.dtype
    least, most = _integer_range(dtype)
    if not least <= low <= most:
        raise RuntimeError(f"from is out of bounds for {_C_TYPE_NAMES[dtype.name]}")
    if high is None:
        top = 2 ** (np.finfo(dtype).nmant + 1) if dtype.kind == "f" else most
        if low > top:
            raise RuntimeError(
                "random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' "
                f"casted to dtype, but got from={low} > to_inc={top}"
            )
    else:
        top = high - 1
        if not least <= top <= most:
            raise RuntimeError(f"to - 1 is out of bounds for {_C_TYPE_NAMES[dtype.name]}")
    draw = numpy_generator(generator).integers(low, top, input.data.shape, endpoint=True)
    return _drawn(input, draw)


def _bound(value, name):
    """A bound of random_: an int (or a one-element integer tensor) of int64's range, as
    PyTorch takes it."""
    value = int_arg(value, name, "random_")
    if not -(2**63) <= value < 2**63:
        raise ValueError(f"random_(): Overflow when unpacking long long ({name}={value})")
    return value


def _integer_range(dtype):
    """The least and the largest value of ``dtype``, as ints."""
    if dtype.kind == "b":
        return 0, 1
    info = np.finfo(dtype) if dtype.kind == "f" else np.iinfo(dtype)
    return builtins.int(info.min), builtins.int(info.max)
