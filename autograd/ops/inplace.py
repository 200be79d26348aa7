"""In-place ops (``x += y``, ``x.mul_(y)``, ``x[i] = v``, ``fill_``, ``copy_``).

Every in-place op is its out-of-place op followed by a write into the tensor's own array,
so the maths and gradient are written once. The write bumps the version counter, which
makes a backward through a node that saved the old value raise.

When the graph is recorded, the old value becomes a separate node input (a copy, so the
saved value stays correct) and the tensor takes the new node as its ``grad_fn``, as
PyTorch rebases it.
"""

import numpy as np

from .. import grad_mode
from ..tensor import Tensor, version_counter


def inplace(tensor, op, *args):
    """Compute ``op(tensor, *args)`` and write the result into ``tensor``; returns ``tensor``."""
    recording = grad_mode.state.enabled and (
        tensor._requires_grad or any(isinstance(arg, Tensor) and arg._requires_grad for arg in args)
    )
    if recording and tensor._requires_grad and tensor.grad_fn is None:
        raise RuntimeError(
            "a leaf Variable that requires grad is being used in an in-place operation."
        )
    if recording:
        source = Tensor._make(tensor.data.copy())
        source.grad_fn = tensor.grad_fn
        source._output_nr = tensor._output_nr
        source._requires_grad = tensor._requires_grad
    else:
        source = tensor
    with grad_mode.set_grad_enabled(recording):
        result = op(source, *args)
    _write(tensor, result.data, op)
    if recording:
        tensor.grad_fn = result.grad_fn
        tensor._output_nr = result._output_nr
        tensor._requires_grad = result._requires_grad
    return tensor


def _write(tensor, array, op):
    name = getattr(op, "__name__", "op")
    if array.shape != tensor.data.shape:
        raise RuntimeError(
            f"{name}_: output with shape {list(tensor.data.shape)} doesn't match the broadcast "
            f"shape {list(array.shape)}"
        )
    if not np.can_cast(array.dtype, tensor.data.dtype, casting="same_kind"):
        raise RuntimeError(
            f"{name}_: result type {array.dtype} can't be cast to the desired output type "
            f"{tensor.data.dtype}"
        )
    if not tensor.data.flags.writeable:
        raise RuntimeError(
            f"{name}_: this tensor's memory cannot be written in place: it is an expanded "
            "(broadcast) view, or a view of a tensor taken while its graph was being recorded "
            "(writing through it would bypass that graph); clone() it first"
        )
    np.copyto(tensor.data, array, casting="same_kind")
    version_counter(tensor)[0] += 1
