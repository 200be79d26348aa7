"""In-place ops (``x += y``, ``x.mul_(y)``, ``x[i] = v``, ``fill_``, ``copy_``).

Every in-place op is its out-of-place op followed by a write into the tensor's own array,
so the maths and gradient are written once. The write bumps the version counter, which
makes a backward through a node that saved the old value raise.

When the graph is recorded, the old value becomes a separate node input (a copy, so the
saved value stays correct) and the tensor takes the new node as its ``grad_fn``, as
PyTorch rebases it; a ``retain_grad()`` moves to the new node.

Views (``shape.view_of``) know their root base and the view ops that took them. A recorded
write through a view is recorded in the root too: the root's new value is its old value
with the view's elements replaced (``_write_back``, PyTorch's CopySlices). Whenever a root
gets a new graph, its other live views taken in grad mode are taken again from it, so that
each reads the new graph (PyTorch regenerates such a view's grad_fn; for the outputs of
split, chunk and unbind it refuses to, and so raises where these give the gradient). As in
PyTorch, in grad mode a view of a leaf that requires grad, a view made in no_grad mode
when anything involved requires grad, and an output of split, chunk or unbind when the
write is recorded refuse in-place writes. NumPy keeps an expanded view (and views of it)
read-only: writes into one go into its root, as far as PyTorch allows writing into
elements that share memory (``_write_into_root``).

``squeeze_``, ``unsqueeze_``, ``transpose_`` and ``t_`` change a tensor's shape, not its
values (``inplace_view``): a root's views then start with the step back to its old shape.
"""

import numpy as np

from .. import dtypes, grad_mode
from ..tensor import Tensor, version_counter
from .indexing import GetItem, IndexPut, index_put, parse_index
from .selection import replacing
from .shape import Permute, Reshape, replay_view


def inplace(tensor, op, *args, **options):
    """Compute ``op(tensor, *args, **options)`` and write the result into ``tensor``; returns
    ``tensor``."""
    recording = grad_mode.state.enabled and (
        tensor._requires_grad or any(isinstance(arg, Tensor) and arg._requires_grad for arg in args)
    )
    if tensor._view_of is not None and grad_mode.state.enabled:
        _check_view_write(tensor, recording)
    if recording and tensor._requires_grad and tensor.grad_fn is None:
        raise RuntimeError(
            "a leaf Variable that requires grad is being used in an in-place operation."
        )
    # x[i] = v, x.copy_(v) and the write of a view's elements into its root: the elements
    # are written into the tensor's own array and the old value is not copied (index_put
    # reads no element of it again)
    into_input = _WRITERS_INTO_INPUT.get(op) if tensor.data.flags.writeable else None
    if recording:  # the old value with the tensor's graph: a private copy (or that alias)
        source = Tensor._make(tensor.data if into_input else tensor.data.copy())
        source.grad_fn = tensor.grad_fn
        source._output_nr = tensor._output_nr
        source._requires_grad = tensor._requires_grad
        # its own counter: a node keeping its output as a bare array must not take this
        # (it may hold other values, written since) for that output (_output_counted)
        source._version = [0]
    else:
        source = tensor
    with grad_mode.set_grad_enabled(recording):
        result = (into_input or op)(source, *args, **options)
    _check_result(tensor, result.data, op)
    if tensor._view_of is not None and not tensor.data.flags.writeable:
        return _write_into_root(tensor, op, args, result)
    _write(tensor, result.data, op)
    if recording:
        _take_graph(tensor, result)
        if tensor._view_of is not None:
            root, steps, _ = tensor._view_of
            inplace(root, _write_back, steps, tensor)
        elif tensor._views is not None:
            _retake_views(tensor, writer=args[-1] if op is _write_back else None)
    return tensor


def setitem(tensor, index, value):
    """``tensor[index] = value``. Python ends ``x[i] += v`` by writing the view ``x[i]``
    back into ``x[i]``: when ``value`` is a view of ``tensor`` over exactly those elements,
    following its graph, nothing changes but the version (the index_put PyTorch records
    there passes the gradient on unchanged, at the cost of a copy of it in backward)."""
    if _writes_itself(tensor, index, value):
        version_counter(tensor)[0] += 1
    else:
        inplace(tensor, index_put, index, value)


def _writes_itself(tensor, index, value):
    """Is ``value`` a view of the root ``tensor`` taken in grad mode (so its graph follows
    tensor's) over exactly the elements a basic ``index`` selects, and is the write one that
    ``inplace`` would allow? (A retained gradient must move to a new node: not then.)"""
    if not (isinstance(value, Tensor) and value._view_of is not None and tensor.data.ndim):
        return False
    root, _, made_in_grad_mode = value._view_of
    if root is not tensor or not made_in_grad_mode or value._retains_grad:
        return False
    if tensor._requires_grad and tensor.grad_fn is None and grad_mode.state.enabled:
        return False  # a leaf that requires grad: inplace refuses it
    basic = (int, slice, type(None), type(Ellipsis))
    parts = index if type(index) is tuple else (index,)
    if not tensor.data.flags.writeable or not all(
        isinstance(part, basic) and type(part) is not bool for part in parts
    ):
        return False
    try:
        region = tensor.data[index]
    except IndexError:
        return False  # inplace raises it, with the size
    array = value.data
    return (
        region.shape == array.shape
        and region.strides == array.strides
        and region.dtype == array.dtype
        and region.__array_interface__["data"][0] == array.__array_interface__["data"][0]
    )


def _index_put_into(input, indices, values):  # noqa: A002
    """``input[indices] = values`` written into input's own array, recorded as index_put:
    only the indexed elements are touched."""
    index = parse_index(indices, input.data.shape)
    return IndexPut.apply(input, values, index=index, into_input=True)


def _write_back_into(base, steps, view):
    """``_write_back`` written into base's own array: only the view's elements are touched
    (a loop of ``buf[t] += v`` over a big recorded ``buf`` stays linear)."""
    return _write_back(base, steps, view, into_input=True)


def _take_graph(tensor, result):
    """``tensor`` now holds ``result``'s value: it takes result's graph (and its retain_grad
    moves along, giving the gradient of the new value, as in PyTorch)."""
    node, output_nr = tensor.grad_fn, tensor._output_nr
    tensor.grad_fn = result.grad_fn
    tensor._output_nr = result._output_nr
    tensor._requires_grad = result._requires_grad
    if tensor._retains_grad:
        if node is not None and node._retained:
            node._retained.pop(output_nr, None)
        tensor._retains_grad = False
        tensor.retain_grad()


def _write_back(base, steps, view, into_input=False):
    """``base`` with the elements that ``view`` covers (the view that ``steps`` take of base)
    replaced by view's values: a recorded write through a view, recorded in its root base
    as an index_put. For a view taken by indexing alone, the elements are that index; else
    they are found by taking the same view of the flat indexes of base's elements."""
    if len(steps) == 1 and steps[0][0] is GetItem:
        index = steps[0][1]["index"]
    elif not base.data.ndim:  # a 0-d base: its one element, through its flat view
        return _put_at(base, _flat_elements(base, steps).data, view)
    else:
        shape = base.data.shape
        index = parse_index(np.unravel_index(_flat_elements(base, steps).data, shape), shape)
    return IndexPut.apply(base, view, index=index, into_input=into_input)


def _flat_elements(root, steps):
    """For each element of the view that ``steps`` take of ``root``, the flat (C-order)
    index of the root's element it is: the same view, taken of the indexes."""
    shape = root.data.shape
    with grad_mode.no_grad():
        return replay_view(Tensor._make(np.arange(root.data.size).reshape(shape)), steps)


def _put_at(base, elements, values):
    """``base`` with its elements at the flat indexes ``elements`` set to ``values``
    (broadcast to the shape of ``elements``; where an index repeats, the last value wins)."""
    flat = index_put(base.reshape(-1), (Tensor._make(elements),), values)
    return flat.reshape(base.data.shape)


def index_put_accumulate(input, indices, values):  # noqa: A002 - PyTorch's parameter name
    """``index_put`` adding ``values`` up (repeated indices too): ``index_put_`` with
    ``accumulate=True`` writes this."""
    return index_put(input, indices, values, accumulate=True)


def fill(input, value):  # noqa: A002 - PyTorch's parameter name
    """``input`` with every element ``value``: what ``fill_`` writes (told apart from
    ``t[...] = value``, which PyTorch refuses into elements that share memory)."""
    return index_put(input, Ellipsis, value)


def compared(input, comparison, other):  # noqa: A002 - PyTorch's parameter name
    """``comparison(input, other)`` (eq, lt ...) as 1 and 0 in input's dtype: what ``eq_``,
    ``lt_`` ... write. As in PyTorch, it is recorded, when input or other requires grad, with
    a zero gradient to each."""
    out = comparison(input, other).to(input.data.dtype)
    for operand in (input, other):
        if isinstance(operand, Tensor) and operand._requires_grad:
            out = replacing(out, operand)
    return out


def unrecorded(tensor, op, *args):
    """``inplace`` outside the graph: PyTorch does not record its in-place logical ops
    (``logical_and_`` ...), so the tensor keeps its graph (whose gradient then passes as if
    the values were the old ones), and a leaf that requires grad may take them."""
    with grad_mode.no_grad():
        return inplace(tensor, op, *args)


def inplace_view(tensor, view_op, *args):
    """``tensor`` takes the shape of ``view_op(tensor, *args)`` (a view by squeeze,
    unsqueeze, transpose or t) over the same memory, as PyTorch's ``squeeze_``, ``t_`` ...:
    recorded as that op when the tensor's graph is (a ``retain_grad`` stays with the old
    value, as in PyTorch). The version goes up, so a node that saved the tensor refuses to
    use it. A view stays a view of its root, one step further; a root's views (those taken
    in grad mode) now start with the step back to its old shape."""
    recording = grad_mode.state.enabled and tensor._requires_grad
    if tensor._view_of is not None and grad_mode.state.enabled:
        _check_view_write(tensor, recording)
    if recording and tensor.grad_fn is None:
        raise RuntimeError(
            "a view of a leaf Variable that requires grad is being used in an in-place operation."
        )
    old_shape = tensor.data.shape
    out = view_op(tensor, *args)
    step, back = _view_steps(out, old_shape)
    if tensor._view_of is not None:
        root, steps, made_in_grad_mode = tensor._view_of
        tensor._view_of = (root, (*steps, step), made_in_grad_mode)
    for reference in tensor._views or ():
        view = reference()
        if view is not None and view is not out:
            root, steps, made_in_grad_mode = view._view_of
            view._view_of = (root, (back, *steps), made_in_grad_mode)
    tensor.data = out.data
    if recording:
        tensor.grad_fn, tensor._output_nr = out.grad_fn, out._output_nr
    version_counter(tensor)[0] += 1
    return tensor


def _view_steps(out, old_shape):
    """The view step that took ``out`` of a tensor of ``old_shape``, and the step back."""
    if out._view_of is None:  # no elements (NumPy shares no memory): a reshape either way
        return (Reshape, {"shape": out.data.shape}, None), (Reshape, {"shape": old_shape}, None)
    step = out._view_of[1][-1]
    cls, options, _ = step
    if cls is Permute:
        return step, (Permute, {"dims": tuple(np.argsort(options["dims"]).tolist())}, None)
    return step, (Reshape, {"shape": old_shape}, None)


def _write_into_root(view, op, args, result):
    """Write into a view that NumPy keeps read-only (an expanded view, or a view of one) by
    writing into its root base, at the elements the view's refer to, as PyTorch allows: the
    elements written must not share memory, except for ``fill_`` with a number and
    ``index_put`` with an advanced index (the last value wins). The root's live views, this
    one too, then retake their graphs from it."""
    root, steps, _ = view._view_of
    elements = _flat_elements(root, steps)
    overlap_allowed = False
    values = result
    if op is index_put:
        index, values = args
        indexed = elements[index]
        overlap_allowed = not np.may_share_memory(indexed.data, elements.data)  # advanced
        elements = indexed
    elif op is fill:
        values = args[0]
        overlap_allowed = not isinstance(values, Tensor)
    elements = elements.data
    if not overlap_allowed and np.unique(elements).size < elements.size:
        raise _shared_memory_error(getattr(op, "__name__", "op"))
    inplace(root, _put_at, elements, values)
    return view


def _retake_views(base, writer):
    """``base`` got a new graph: its live views taken in grad mode (but ``writer``, the view
    just written through, which has its own) take theirs from it, each view taken again."""
    for reference in list(base._views):
        view = reference()
        if view is not None and view is not writer:
            _take_graph(view, replay_view(base, view._view_of[1]))
    base._views = [reference for reference in base._views if reference() is not None]


def _check_view_write(view, recording):
    """In grad mode, PyTorch's refusals of writes through a view: of a leaf that requires
    grad, made in no_grad mode when its root or the written value requires grad, or cut by
    an op with several outputs (split, chunk, unbind) when the write is recorded."""
    root, steps, made_in_grad_mode = view._view_of
    if not made_in_grad_mode:
        if recording or root._requires_grad:
            raise RuntimeError(
                "A view was created in no_grad mode and is being modified inplace with grad "
                f"mode enabled (a view of a tensor [{root.dtype} {list(root.shape)}]): its "
                "base's graph could not follow the write. Take the view outside no_grad, or "
                "write under no_grad."
            )
        return
    if root._requires_grad and root.grad_fn is None:
        raise RuntimeError(
            "a view of a leaf Variable that requires grad is being used in an in-place operation."
        )
    for cls, _, output in steps if recording else ():
        if output is not None:
            raise RuntimeError(
                f"Output {output} of {cls.__name__} is a view and is being modified inplace. "
                "This view is the output of a function that returns multiple views. Such "
                "functions do not allow the output views to be modified inplace. You should "
                "replace the inplace operation by an out-of-place one."
            )


def _check_result(tensor, array, op):
    """The result of the in-place op must fit the tensor: its shape, and a dtype of no higher
    category (PyTorch writes no float into an integer, no number into a bool; it does write
    int64 into uint8, which NumPy's same_kind refuses)."""
    name = getattr(op, "__name__", "op")
    if array.shape != tensor.data.shape:
        raise RuntimeError(
            f"{name}_: output with shape {list(tensor.data.shape)} doesn't match the broadcast "
            f"shape {list(array.shape)}"
        )
    if dtypes.category(array.dtype) > dtypes.category(tensor.data.dtype):
        raise RuntimeError(
            f"{name}_: result type {array.dtype} can't be cast to the desired output type "
            f"{tensor.data.dtype}"
        )


def _write(tensor, array, op):
    if not tensor.data.flags.writeable:
        raise _shared_memory_error(getattr(op, "__name__", "op"))
    if array is not tensor.data:  # (index_put_into wrote it there already)
        np.copyto(tensor.data, array, casting="unsafe")  # (checked by _check_result)
    version_counter(tensor)[0] += 1


def _shared_memory_error(name):
    return RuntimeError(
        f"{name}_: unsupported operation: more than one element of the written-to tensor "
        "refers to a single memory location (an expanded view), or its memory is read-only. "
        "Please clone() the tensor before performing the operation."
    )


# the in-place ops that write only some elements, each with its form that writes them into
# the input's own array (see inplace)
_WRITERS_INTO_INPUT = {index_put: _index_put_into, _write_back: _write_back_into}
