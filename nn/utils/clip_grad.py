"""Gradient clipping, applied in place to ``.grad`` after ``backward()``."""

import numpy as np

from autograd import grad_mode
from autograd.tensor import Tensor

from ..init import _copy_into


def _grads(parameters):
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [param.grad for param in parameters if param.grad is not None]


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Scale all gradients together so their joint norm is at most ``max_norm``.

    total = || (||g_1||_p, ..., ||g_n||_p) ||_p; each g_i *= min(1, max_norm / (total + 1e-6)).
    Returns ``total`` (a 0-d tensor, the norm before clipping). ``foreach`` is accepted for
    PyTorch compatibility and ignored.

    >>> total = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)  # doctest: +SKIP
    """
    grads = _grads(parameters)
    max_norm = float(max_norm)
    norm_type = float(norm_type)
    if not grads:
        return Tensor._make(np.asarray(0.0, dtype=np.float32))
    # inf and NaN gradients give an inf or NaN norm and scale, silently, as in PyTorch
    with grad_mode.no_grad(), np.errstate(all="ignore"):
        norms = np.stack([np.linalg.norm(grad.data.ravel(), ord=norm_type) for grad in grads])
        dtype = np.result_type(*[grad.dtype for grad in grads])
        total = np.linalg.norm(norms.astype(dtype, copy=False), ord=norm_type).astype(dtype)
        if error_if_nonfinite and not np.isfinite(total):
            raise RuntimeError(
                f"The total norm of order {norm_type} for gradients from `parameters` is "
                "non-finite, so it cannot be clipped. To disable this error and scale the "
                "gradients by the non-finite norm anyway, set `error_if_nonfinite=False`"
            )
        # min() keeps a NaN coefficient, so a NaN norm shows in the gradients, as in PyTorch.
        coefficient = min(max_norm / (float(total) + 1e-6), 1.0)
        for grad in grads:
            _copy_into(grad, grad.data * grad.dtype.type(coefficient))
    return Tensor._make(np.asarray(total))


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every gradient element to [-clip_value, clip_value], in place."""
    clip_value = float(clip_value)
    for grad in _grads(parameters):
        _copy_into(grad, np.clip(grad.data, -clip_value, clip_value))
