"""Normalisation: batch_norm, layer_norm, group_norm, normalize.

The first three standardise over some dims with one fused op (``ag.ops.standardize``,
whose VJP is in ``autograd/ops/normalization.py``) and then apply a per-channel (or
per-element) affine map ``out * weight + bias``.

>>> F.layer_norm(ag.tensor([[1.0, 3.0]]), (2,))
tensor([[-1.,  1.]])
"""

import math

from autograd import grad_mode, ops
from autograd.ops.common import as_tensor_arg


def _channel_shape(input):  # noqa: A002 - PyTorch's parameter name
    """(1, C, 1, ..., 1): per-channel tensors broadcast along dim 1 of ``input``."""
    return (1, input.shape[1]) + (1,) * (input.ndim - 2)


def _affine(out, weight, bias, shape=None):
    """out * weight + bias (either may be None), each reshaped to ``shape`` when given."""
    if weight is not None:
        out = out * (weight if shape is None else weight.reshape(shape))
    if bias is not None:
        out = out + (bias if shape is None else bias.reshape(shape))
    return out


def _check_channels(name, tensor, channels):
    if tensor is not None and tensor.numel() != channels:
        raise RuntimeError(
            f"batch_norm: {name} should contain {channels} elements not {tensor.numel()} "
            f"(one per channel of the input's dim 1)"
        )


def _update_running(running, batch, momentum):
    """running <- (1 - momentum) running + momentum batch, in place (PyTorch's quirk: the
    tensors given to batch_norm change)."""
    with grad_mode.no_grad():
        running.mul_(1 - momentum).add_(batch.reshape(running.shape).to(running.dtype) * momentum)


def batch_norm(
    input,  # noqa: A002
    running_mean,
    running_var,
    weight=None,
    bias=None,
    training=False,
    momentum=0.1,
    eps=1e-5,
):
    """Normalise each channel (dim 1) over the batch and every other dim.

    Training: with the batch's mean and biased variance; ``running_mean`` and
    ``running_var`` (when given) are updated in place with ``momentum`` and the unbiased
    variance. Evaluation: with the running statistics. Then ``* weight + bias``.
    Shapes: input (N, C, *), the rest (C).
    """
    if input.ndim < 2:
        raise ValueError(
            f"batch_norm: expected an input of shape (N, C, *), got shape {tuple(input.shape)}"
        )
    channels = input.shape[1]
    for name, tensor in (
        ("running_mean", running_mean),
        ("running_var", running_var),
        ("weight", weight),
        ("bias", bias),
    ):
        _check_channels(name, tensor, channels)
    shape = _channel_shape(input)
    if not training:
        if running_mean is None or running_var is None:
            raise RuntimeError(
                "batch_norm: running_mean and running_var must be given when not training"
            )
        # PyTorch's evaluation form: x * alpha + beta, alpha = weight / sqrt(var + eps).
        scale = (running_var + eps).rsqrt()
        if weight is not None:
            scale = scale * weight
        shift = -running_mean * scale
        if bias is not None:
            shift = shift + bias
        return input * scale.reshape(shape) + shift.reshape(shape)
    dims = (0, *range(2, input.ndim))
    count = input.numel() // channels if channels else 0
    if count <= 1:
        raise ValueError(
            "batch_norm: expected more than 1 value per channel when training, got input of "
            f"shape {tuple(input.shape)}"
        )
    out, mean, var = ops.standardize(input, dims, eps)
    if running_mean is not None:
        _update_running(running_mean, mean, momentum)
    if running_var is not None:
        _update_running(running_var, var * (count / (count - 1)), momentum)
    return _affine(out, weight, bias, shape)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):  # noqa: A002
    """Normalise over the trailing dims ``normalized_shape``, then ``* weight + bias``
    (both of shape ``normalized_shape``). Shapes: input (*, *normalized_shape)."""
    as_tensor_arg(input, "input", "layer_norm")
    normalized_shape = (
        (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    )
    count = len(normalized_shape)
    if count == 0 or input.ndim < count or tuple(input.shape[-count:]) != normalized_shape:
        raise RuntimeError(
            f"layer_norm: given normalized_shape={list(normalized_shape)}, expected input with "
            f"shape (*, {', '.join(map(str, normalized_shape))}), but got input of shape "
            f"{tuple(input.shape)}"
        )
    for name, tensor in (("weight", weight), ("bias", bias)):
        if tensor is not None and tuple(tensor.shape) != normalized_shape:
            raise RuntimeError(
                f"layer_norm: {name} must have shape {normalized_shape}, got {tuple(tensor.shape)}"
            )
    out, _, _ = ops.standardize(input, tuple(range(input.ndim - count, input.ndim)), eps)
    return _affine(out, weight, bias)


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):  # noqa: A002
    """Split the channels (dim 1) into ``num_groups`` groups, normalise each group of each
    sample over its channels and other dims, then ``* weight + bias`` per channel.
    Shapes: input (N, C, *), weight and bias (C)."""
    as_tensor_arg(input, "input", "group_norm")
    if input.ndim < 2:
        raise ValueError(
            f"group_norm: expected an input of shape (N, C, *), got shape {tuple(input.shape)}"
        )
    batch, channels = input.shape[:2]
    if num_groups <= 0 or channels % num_groups:
        raise ValueError(
            f"group_norm: expected the number of channels in the input to be divisible by "
            f"num_groups, but got input of shape {tuple(input.shape)} and num_groups={num_groups}"
        )
    for name, tensor in (("weight", weight), ("bias", bias)):
        if tensor is not None and tensor.numel() != channels:
            raise RuntimeError(
                f"group_norm: {name} should contain {channels} elements, got shape "
                f"{tuple(tensor.shape)}"
            )
    grouped = input.reshape(batch, num_groups, math.prod(input.shape[1:]) // num_groups)
    out, _, _ = ops.standardize(grouped, 2, eps)
    return _affine(out.reshape(input.shape), weight, bias, _channel_shape(input))


def normalize(input, p=2.0, dim=1, eps=1e-12):  # noqa: A002
    """x / max(||x||_p, eps) along ``dim``.

    >>> F.normalize(ag.tensor([[3.0, 4.0]]))
    tensor([[0.6, 0.8]])
    """
    return input / ops.norm(input, p, dim, keepdim=True).clamp(min=eps)
