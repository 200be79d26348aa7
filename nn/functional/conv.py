"""Convolutions: conv1d, conv2d, conv_transpose2d (PyTorch's arguments and checks).

Each validates its arguments and calls one fused op of ``autograd/ops/convolution.py``;
conv1d runs as a conv2d over a height-1 image.
"""

from autograd.ops.convolution import Geometry, convolution, convolution_transpose
from autograd.tensor import Tensor


def _tuple(value, dims, name, op):
    """An int or a sequence of ``dims`` ints as a tuple of ints."""
    items = (value,) * dims if isinstance(value, int) else tuple(value)
    if len(items) != dims or not all(isinstance(item, int) for item in items):
        raise TypeError(f"{op}: {name} must be an int or a tuple of {dims} ints, got {value!r}")
    return items


def _check_tensors(op, input, weight, bias, dims):  # noqa: A002 - PyTorch's parameter name
    for name, value in (("input", input), ("weight", weight)):
        if not isinstance(value, Tensor):
            raise TypeError(f"{op}: {name} must be a Tensor, not {type(value).__name__}")
    if input.ndim not in (dims + 1, dims + 2):
        raise RuntimeError(
            f"Expected {dims + 1}D (unbatched) or {dims + 2}D (batched) input to {op}, but got "
            f"input of size: {list(input.shape)}"
        )
    if weight.ndim != dims + 2:
        raise RuntimeError(
            f"{op}: expected weight to be {dims + 2}-dimensional, got weight of size "
            f"{list(weight.shape)}"
        )
    for value in (weight, bias):
        if value is not None and value.dtype != input.dtype:
            raise RuntimeError(
                f"{op}: input dtype {input.dtype}, weight dtype {weight.dtype} and bias dtype "
                f"{None if bias is None else bias.dtype} must be the same"
            )
    if input.dtype.kind != "f":
        raise RuntimeError(f"{op}: expected a floating-point input, got dtype {input.dtype}")


def _check_options(op, stride, dilation, groups):
    if any(step <= 0 for step in stride):
        raise RuntimeError(f"{op}: non-positive stride is not supported, got stride={stride}")
    if any(jump <= 0 for jump in dilation):
        raise RuntimeError(f"{op}: dilation should be greater than zero, got {dilation}")
    if not isinstance(groups, int) or groups <= 0:
        raise RuntimeError(f"{op}: non-positive groups is not supported, got groups={groups}")


def _check_channels(op, input, weight, groups, channels):  # noqa: A002
    """Weight dim 0 splits into groups, and the input has ``channels`` channels."""
    if weight.shape[0] % groups:
        raise RuntimeError(
            f"{op}: given groups={groups}, expected weight to be divisible by {groups} at "
            f"dimension 0, but got weight of size {list(weight.shape)} instead"
        )
    if input.shape[1] != channels:
        raise RuntimeError(
            f"{op}: given groups={groups}, weight of size {list(weight.shape)}, expected "
            f"input{list(input.shape)} to have {channels} channels, but got {input.shape[1]} "
            "channels instead"
        )


def _check_bias(op, weight, bias, channels):
    if bias is not None and bias.shape != (channels,):
        raise RuntimeError(
            f"{op}: given weight of size {list(weight.shape)}, expected bias to be 1-dimensional "
            f"with {channels} elements, but got bias of size {list(bias.shape)} instead"
        )


def _padding_pairs(op, padding, kernel, stride, dilation):
    """int / tuple / 'same' / 'valid' -> ((top, bottom), (left, right)); 'same' puts the odd
    pixel of an even kernel at the end, as PyTorch does."""
    if isinstance(padding, str):
        if padding == "valid":
            return tuple((0, 0) for _ in kernel)
        if padding != "same":
            raise RuntimeError(f"{op}: invalid padding string: {padding!r}")
        if any(step != 1 for step in stride):
            raise RuntimeError(f"{op}: padding='same' is not supported for strided convolutions")
        totals = [jump * (size - 1) for size, jump in zip(kernel, dilation)]
        return tuple((total // 2, total - total // 2) for total in totals)
    padding = _tuple(padding, len(kernel), "padding", op)
    if any(pad < 0 for pad in padding):
        raise RuntimeError(f"{op}: negative padding is not supported, got padding={padding}")
    return tuple((pad, pad) for pad in padding)


def _as_2d(dims, input, weight, stride, padding, dilation):  # noqa: A002
    """A 1-d convolution's arguments as those of a 2-d one over height-1 images."""
    if dims == 2:
        return input, weight, stride, padding, dilation
    return (
        input.unsqueeze(-2),
        weight.unsqueeze(-2),
        (1, *stride),
        ((0, 0), *padding),
        (1, *dilation),
    )


def _convolution(op, dims, input, weight, bias, stride, padding, dilation, groups):  # noqa: A002
    _check_tensors(op, input, weight, bias, dims)
    stride = _tuple(stride, dims, "stride", op)
    dilation = _tuple(dilation, dims, "dilation", op)
    _check_options(op, stride, dilation, groups)
    kernel = weight.shape[2:]
    pairs = _padding_pairs(op, padding, kernel, stride, dilation)
    batched = input.ndim == dims + 2
    if not batched:
        input = input.unsqueeze(0)  # noqa: A001
    _check_channels(op, input, weight, groups, weight.shape[1] * groups)
    _check_bias(op, weight, bias, weight.shape[0])
    padded = tuple(length + sum(pair) for length, pair in zip(input.shape[2:], pairs))
    dilated = tuple(jump * (size - 1) + 1 for size, jump in zip(kernel, dilation))
    if any(size > length for size, length in zip(dilated, padded)):
        raise RuntimeError(
            f"{op}: calculated padded input size per channel: {padded}. Kernel size "
            f"(dilated): {dilated}. Kernel size can't be greater than actual input size"
        )
    input, weight, stride, pairs, dilation = _as_2d(dims, input, weight, stride, pairs, dilation)  # noqa: A001
    out = convolution(input, weight, bias, Geometry(stride, pairs, dilation, groups))
    shape = out.shape[0 if batched else 1 :]  # one reshape drops the unbatched and 1-d dims
    if dims == 1:
        shape = (*shape[:-2], shape[-1])
    return out if shape == out.shape else out.reshape(shape)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):  # noqa: A002
    """2-d cross-correlation:
    out[n, o, y, x] = b[o] + sum_{c, i, j} w[o, c, i, j] x[n, c, y s + i d - p, x s + j d - p]
    over the C / groups channels c of o's group.

    Shapes: input (N, C, H, W) or (C, H, W), weight (O, C / groups, kH, kW), bias (O,),
    output (N, O, Ho, Wo) with Ho = (H + 2 p - d (kH - 1) - 1) // s + 1. ``padding`` is an
    int, a pair, 'valid' (0) or 'same' (output size = input size; stride 1 only).

    >>> F.conv2d(ag.randn(8, 3, 32, 32), ag.randn(16, 3, 5, 5), padding="same").shape
    (8, 16, 32, 32)
    """
    return _convolution("conv2d", 2, input, weight, bias, stride, padding, dilation, groups)


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):  # noqa: A002
    """1-d cross-correlation; shapes input (N, C, L) or (C, L), weight (O, C / groups, k),
    bias (O,), output (N, O, Lo) with Lo = (L + 2 p - d (k - 1) - 1) // s + 1.

    >>> F.conv1d(ag.randn(4, 2, 10), ag.randn(6, 2, 3)).shape
    (4, 6, 8)
    """
    return _convolution("conv1d", 1, input, weight, bias, stride, padding, dilation, groups)


def conv_transpose2d(
    input,  # noqa: A002
    weight,
    bias=None,
    stride=1,
    padding=0,
    output_padding=0,
    groups=1,
    dilation=1,
):
    """The adjoint of conv2d (its input gradient), a learnable upsampling.

    Shapes: input (N, C_in, H, W) or unbatched, weight (C_in, C_out / groups, kH, kW),
    bias (C_out,), output (N, C_out, Ho, Wo) with
    Ho = (H - 1) s - 2 p + d (kH - 1) + output_padding + 1.

    >>> F.conv_transpose2d(ag.randn(1, 4, 5, 5), ag.randn(4, 2, 3, 3), stride=2).shape
    (1, 2, 11, 11)
    """
    op = "conv_transpose2d"
    _check_tensors(op, input, weight, bias, 2)
    stride = _tuple(stride, 2, "stride", op)
    dilation = _tuple(dilation, 2, "dilation", op)
    output_padding = _tuple(output_padding, 2, "output_padding", op)
    _check_options(op, stride, dilation, groups)
    if isinstance(padding, str):
        raise TypeError(f"{op}: padding must be an int or a tuple of 2 ints, got {padding!r}")
    pairs = _padding_pairs(op, padding, weight.shape[2:], stride, dilation)
    limits = [max(step, jump) for step, jump in zip(stride, dilation)]
    if any(not 0 <= extra < limit for extra, limit in zip(output_padding, limits)):
        raise RuntimeError(
            f"{op}: output padding must be smaller than either stride or dilation, but got "
            f"output_padding={output_padding}, stride={stride}, dilation={dilation}"
        )
    batched = input.ndim == 4
    if not batched:
        input = input.unsqueeze(0)  # noqa: A001
    _check_channels(op, input, weight, groups, weight.shape[0])
    _check_bias(op, weight, bias, weight.shape[1] * groups)
    size = tuple(
        (length - 1) * step - 2 * pad + jump * (kernel - 1) + extra + 1
        for length, step, (pad, _), jump, kernel, extra in zip(
            input.shape[2:], stride, pairs, dilation, weight.shape[2:], output_padding
        )
    )
    if any(length <= 0 for length in size):
        raise RuntimeError(
            f"{op}: given input of size {list(input.shape)}, the calculated output size {size} "
            "is too small"
        )
    geometry = Geometry(stride, pairs, dilation, groups)
    out = convolution_transpose(input, weight, bias, geometry, size)
    return out if batched else out.squeeze(0)
