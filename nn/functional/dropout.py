"""Dropout: zero each element (or each channel) with probability p while training, and
scale the survivors by 1 / (1 - p) so the expected value is unchanged.

Masks are drawn from the one seeded generator (``ag.manual_seed``), so runs repeat.
"""

import numpy as np

from autograd import ops
from autograd.ops.common import as_tensor_arg
from autograd.random import numpy_generator
from autograd.tensor import Tensor


def _check_p(p, name):
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{name} probability has to be between 0 and 1, but got {p}")


def _apply_mask(input, p, mask_shape, inplace):  # noqa: A002 - PyTorch's parameter name
    """input * mask, the mask of shape ``mask_shape`` (broadcast) holding 0 or 1 / (1 - p)."""
    dtype = input.dtype
    if dtype.kind != "f":
        raise RuntimeError(f"dropout: expected a floating-point input, got dtype {dtype}")
    if p == 1.0:
        mask = np.zeros(mask_shape, dtype=dtype)
    else:
        keep = numpy_generator().random(mask_shape, dtype=np.float64) >= p
        mask = keep.astype(dtype) * dtype.type(1.0 / (1.0 - p))
    mask = Tensor._make(mask)
    if inplace:
        return ops.inplace(input, ops.mul, mask)
    return input * mask


def dropout(input, p=0.5, training=True, inplace=False):  # noqa: A002
    """Zero each element with probability ``p`` and scale the rest by 1 / (1 - p); the
    identity when not ``training``. As in PyTorch, ``training`` defaults to True here
    (``nn.Dropout`` passes its own mode).

    >>> x = ag.ones(4)
    >>> F.dropout(x, p=0.5, training=False) is x
    True
    """
    as_tensor_arg(input, "input", "dropout")
    _check_p(p, "dropout")
    if not training or p == 0.0:
        return input
    return _apply_mask(input, p, input.shape, inplace)


def dropout2d(input, p=0.5, training=True, inplace=False):  # noqa: A002
    """Zero whole channels: input (N, C, H, W) or unbatched (C, H, W), one draw per
    channel, survivors scaled by 1 / (1 - p).

    As PyTorch does today, a 3-d input is read as (N, C, L) (channel-wise 1-d dropout).
    """
    as_tensor_arg(input, "input", "dropout2d")
    _check_p(p, "dropout")
    if input.ndim not in (3, 4):
        raise RuntimeError(
            "dropout2d: expected a 3-d (N, C, L) or 4-d (N, C, H, W) input, got shape "
            f"{tuple(input.shape)}"
        )
    if not training or p == 0.0:
        return input
    return _apply_mask(input, p, input.shape[:2] + (1,) * (input.ndim - 2), inplace)
