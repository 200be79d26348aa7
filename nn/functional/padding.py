"""Padding."""

from autograd import ops


def pad(input, pad, mode="constant", value=None):  # noqa: A002 - PyTorch's parameter names
    """Pad the last len(pad) // 2 dims; ``pad`` = (last_before, last_after, second_last_before,
    ...). Modes 'constant' (``value``, default 0), 'reflect', 'replicate', 'circular'.

    >>> F.pad(ag.zeros(2, 3), (1, 2)).shape
    (2, 6)
    """
    return ops.pad(input, pad, mode, value)
