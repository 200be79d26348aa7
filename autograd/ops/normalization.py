"""Standardisation, the core of batch_norm, layer_norm and group_norm.

``Standardize`` maps x to (x - mean) / sqrt(var + eps), with the mean and the biased
variance taken over ``dims``, in one op. The three norms differ only in which dims they
reduce over (batch norm: every dim but the channel dim 1; layer norm: the trailing
``normalized_shape`` dims; group norm: each group of channels after a reshape) and in the
per-channel affine map that follows, which ``nn.functional`` composes from ``*`` and ``+``.

The op has a second output, invstd = 1 / sqrt(var + eps) (reduced dims kept as size 1).
Callers ignore it; it is there so that the VJP can be written on the op's own outputs, which
stay differentiable functions of x when the backward is recorded (``create_graph=True``):
second derivatives then need no extra code.
"""

import math

import numpy as np

from ..function import Function
from ..tensor import Tensor
from .common import float_array, normalize_dims
from .registry import register


def _moments(array, dims):
    """(mean, biased variance) of ``array`` over ``dims``, reduced dims kept as size 1 (inf
    and NaN where values overflow or are infinite, without NumPy's warnings)."""
    with np.errstate(over="ignore", invalid="ignore"):
        mean = np.mean(array, axis=dims, keepdims=True)
        centred = array - mean
        np.square(centred, out=centred)
        return mean, np.mean(centred, axis=dims, keepdims=True)


@register
class Standardize(Function):
    """out = (x - mean) * invstd, invstd = 1 / sqrt(var + eps), mean and biased var over dims
    (n elements); outputs (out, invstd). dx = invstd (g - mean(g) - out mean(g out))
    - g_invstd invstd^2 out / n"""

    @staticmethod
    def forward(ctx, x, *, dims, eps, moments=None):
        data = float_array(x)
        mean, var = _moments(data, dims) if moments is None else moments
        with np.errstate(over="ignore", invalid="ignore"):  # inf and NaN, silently
            invstd = 1 / np.sqrt(var + eps)
            out = data - mean
            out *= invstd
        out, invstd = Tensor._make(out), Tensor._make(invstd)
        ctx.dims = dims
        ctx.count = math.prod(data.shape[dim] for dim in dims)
        ctx.set_materialize_grads(False)
        ctx.save_for_backward(out, invstd)
        return out, invstd

    @staticmethod
    def backward(ctx, grad_output, grad_invstd):
        out, invstd = ctx.saved_tensors
        dims = ctx.dims
        grad = None
        if grad_output is not None:
            centred = grad_output - grad_output.mean(dims, keepdim=True)
            grad = (centred - out * (grad_output * out).mean(dims, keepdim=True)) * invstd
        if grad_invstd is not None:
            through_var = out * (grad_invstd * invstd * invstd * (-1 / ctx.count))
            grad = through_var if grad is None else grad + through_var
        return grad


def standardize(input, dim, eps=1e-5):  # noqa: A002 - PyTorch's parameter name
    """(x - mean) / sqrt(var + eps) over ``dim`` (an int or a tuple; biased variance), with
    the batch statistics: returns ``(out, mean, var)``, where ``mean`` and ``var`` have the
    reduced dims kept as size 1 and no gradient.

    >>> out, mean, var = ag.ops.standardize(ag.tensor([[1.0, 3.0]]), 1)
    >>> out
    tensor([[-1.,  1.]])
    """
    dims = normalize_dims(dim, input.ndim, "standardize")
    mean, var = _moments(float_array(input), dims)
    out, _ = Standardize.apply(input, dims=dims, eps=eps, moments=(mean, var))
    return out, Tensor._make(mean), Tensor._make(var)
