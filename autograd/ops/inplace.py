"""In-place ops (``x += y``, ``x.mul_(y)``, ``x[i] = v``, ``fill_``, ``copy_``).

Every in-place op is its out-of-place op followed by a write into the tensor's own array,
so the maths and gradient are written once. The write bumps the version counter, which
makes a backward through a node that saved the old value raise.

When the graph is recorded, the old value becomes a separate node input (a copy, so the
saved value stays correct) and the tensor takes the new node as its ``grad_fn``, as
PyTorch rebases it; a ``retain_grad()`` moves to the new node. The version counter notes
that version in ``counter[1]``: a recorded view taken before then still reads the old
graph, and its backward raises (``shape.check_base``).

Views: a view made by a recorded op is read-only (``shape.view_of``), so only views of
tensors that did not require grad (or made under ``no_grad``) are written here. A recorded
write through an indexing view ``v = b[index]`` is also recorded in its base, as
``b[index] = v``; a value requiring grad written through another view of such a tensor, or
any write in grad mode through a ``no_grad`` view of a tensor requiring grad, raises.
"""

import numpy as np

from .. import grad_mode
from ..tensor import Tensor, version_counter
from .indexing import IndexPut


def inplace(tensor, op, *args):
    """Compute ``op(tensor, *args)`` and write the result into ``tensor``; returns ``tensor``."""
    recording = grad_mode.state.enabled and (
        tensor._requires_grad or any(isinstance(arg, Tensor) and arg._requires_grad for arg in args)
    )
    if recording and tensor._requires_grad and tensor.grad_fn is None:
        raise RuntimeError(
            "a leaf Variable that requires grad is being used in an in-place operation."
        )
    if tensor._view_of is not None and grad_mode.state.enabled:
        _check_view_write(tensor, op, recording)
    if recording and tensor._views is not None and not tensor._requires_grad:
        _check_no_live_views(tensor, op, args)
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
        node, output_nr = tensor.grad_fn, tensor._output_nr
        tensor.grad_fn = result.grad_fn
        tensor._output_nr = result._output_nr
        tensor._requires_grad = result._requires_grad
        if tensor._retains_grad:  # .grad is that of the new value, as in PyTorch
            if node is not None and node._retained:
                node._retained.pop(output_nr, None)
            tensor._retains_grad = False
            tensor.retain_grad()
        counter = version_counter(tensor)
        counter[1:] = [counter[0]]  # a new graph from this version on (see check_base)
        if tensor._view_of is not None:
            base, index = tensor._view_of
            inplace(base, _write_back, index, tensor)
    return tensor


def _write_back(base, index, view):
    """base[index] = view: a recorded write through the indexing view ``view`` of ``base``,
    recorded in the base's graph too (``_check_view_write`` lets no other view get here)."""
    return IndexPut.apply(base, view, index=index)


def _check_no_live_views(tensor, op, args):
    """Refuse a recorded write into a tensor that did not require grad while views of it,
    taken unrecorded, are alive: they would keep reading it as a constant (PyTorch gives
    them the new graph). The view written by ``_write_back`` is exempt: it has its graph."""
    writer = args[-1] if op is _write_back else None
    for reference in tensor._views:
        view = reference()
        if view is not None and view is not writer:
            raise RuntimeError(
                f"{getattr(op, '__name__', 'op')}_: this tensor's memory cannot be written in "
                f"place with a value that requires grad: a view [{view.dtype} "
                f"{list(view.shape)}] of it, taken before it required grad, is alive and would "
                "not see its new graph. Take the views after the write, or clone() it first."
            )
    tensor._views = None


def _check_view_write(tensor, op, recording):
    """In grad mode, refuse the writes through an unrecorded view that its base's graph
    would miss: see the module docstring."""
    if tensor._requires_grad:  # a view that a recorded write through it already rebased
        return
    name = getattr(op, "__name__", "op")
    base, index = tensor._view_of
    if base._requires_grad:
        raise RuntimeError(
            f"{name}_: a view was created in no_grad mode (or before its base "
            f"[{base.dtype} {list(base.shape)}] required grad) and is being modified inplace "
            "with grad mode enabled; the base's graph would not see the write. Take the view "
            "again, outside no_grad."
        )
    if recording and index is None:
        raise RuntimeError(
            f"{name}_: this tensor's memory cannot be written in place with a value that "
            f"requires grad: it is a view of a tensor [{base.dtype} {list(base.shape)}] that "
            "does not require grad, and that tensor's graph would not see the write. Write "
            "into the base instead (base[...] = value, base.copy_(...)), or clone() the view."
        )


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
            "(writing through it would bypass that graph; a view of a leaf Variable that "
            "requires grad can never be written in place in grad mode); clone() it first"
        )
    np.copyto(tensor.data, array, casting="same_kind")
    version_counter(tensor)[0] += 1
