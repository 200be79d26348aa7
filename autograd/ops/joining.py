"""Joining and cutting: cat, stack, split, chunk, unbind, narrow, pad.

cat and stack take each tensor as a positional argument of ``apply``, so each gets its own
gradient. split and unbind are one node with several outputs (views of the input); their
backward joins the output gradients again (the engine gives zeros for unused outputs).
Each backward is the opposite op: cat <-> split, stack <-> unbind, narrow <-> pad.
"""

import math
import operator

import numpy as np

from .. import dtypes
from ..function import Function
from ..tensor import Tensor
from .common import as_tensor_arg, normalize_dim
from .registry import register
from .shape import as_int_tuple, view_of


def _along(dim, index):
    """An index tuple selecting ``index`` along ``dim`` and everything elsewhere."""
    return (slice(None),) * dim + (index,)


def _tensor_list(tensors, op):
    """The tensors of cat/stack as a tuple, with PyTorch's errors for anything else."""
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(
            f"{op}(): argument 'tensors' must be tuple of Tensors, not {type(tensors).__name__}"
        )
    for index, tensor in enumerate(tensors):
        if not isinstance(tensor, Tensor):
            raise TypeError(
                f"{op}(): expected Tensor as element {index} in argument 0, but got "
                f"{type(tensor).__name__}"
            )
    return tuple(tensors)


def _promoted(tensors, dtype):
    """The tensors' arrays cast to ``dtype`` (the result dtype of the whole list); values out
    of its range become inf, as in PyTorch (without NumPy's warning)."""
    arrays = [tensor.data for tensor in tensors]
    if all(array.dtype == dtype for array in arrays):  # the common case: no errstate needed
        return arrays
    with np.errstate(over="ignore", invalid="ignore"):
        return [array if array.dtype == dtype else array.astype(dtype) for array in arrays]


# ---- cat, stack --------------------------------------------------------------------------


@register
class Cat(Function):
    """out = (x_0, x_1, ...) joined along dim, dtypes promoted; dx_i = g's slice of x_i
    (legacy 1-D empty inputs, skipped when the others have more dims, get an empty dx_i)"""

    @staticmethod
    def forward(ctx, *tensors, dim):
        ndim = max(tensor.data.ndim for tensor in tensors)
        ctx.dim = dim
        ctx.sizes = tuple(t.data.shape[dim] if t.data.ndim == ndim else None for t in tensors)
        joined = [tensor for tensor in tensors if tensor.data.ndim == ndim]
        return np.concatenate(_promoted(joined, dtypes.result_type(*tensors)), axis=dim)

    @staticmethod
    def backward(ctx, grad_output):
        pieces = iter(split(grad_output, [s for s in ctx.sizes if s is not None], ctx.dim))
        empty = Tensor._make(np.zeros(0, grad_output.dtype))
        return tuple(empty if size is None else next(pieces) for size in ctx.sizes)


def cat(tensors, dim=0):
    """Join tensors of equal shape except along ``dim``; mixed dtypes promote as for ``+``.
    As in PyTorch, 1-D empty tensors are skipped whatever the others' shape.

    >>> ag.cat([ag.zeros(2, 3), ag.ones(1, 3)]).shape
    (3, 3)
    """
    tensors = _tensor_list(tensors, "cat")
    if not tensors:
        raise ValueError("cat(): expected a non-empty list of Tensors")
    for index, tensor in enumerate(tensors):
        if tensor.data.ndim == 0:
            raise RuntimeError(
                f"cat(): zero-dimensional tensor (at position {index}) cannot be concatenated"
            )
    joined = [tensor for tensor in tensors if tensor.data.shape != (0,)] or [tensors[0]]
    first = joined[0].data.shape
    dim = normalize_dim(dim, len(first), "cat")
    for index, tensor in enumerate(tensors):
        shape = tensor.data.shape
        if shape == (0,) and len(first) != 1:
            continue
        if len(shape) != len(first):
            raise RuntimeError(
                "cat(): Tensors must have same number of dimensions: got "
                f"{len(first)} and {len(shape)} (shapes {tuple(first)} and {tuple(shape)})"
            )
        for axis, (expected, got) in enumerate(zip(first, shape)):
            if axis != dim and expected != got:
                raise RuntimeError(
                    f"cat(): Sizes of tensors must match except in dimension {dim}. Expected "
                    f"size {expected} but got size {got} for tensor number {index} in the list "
                    f"(shapes {tuple(first)} and {tuple(shape)}, dimension {axis})"
                )
    return Cat.apply(*tensors, dim=dim)


concat = concatenate = cat


@register
class Stack(Function):
    """out = (x_0, x_1, ...) stacked along a new dim, dtypes promoted; dx_i = g[.., i, ..]"""

    @staticmethod
    def forward(ctx, *tensors, dim):
        ctx.dim = dim
        return np.stack(_promoted(tensors, dtypes.result_type(*tensors)), axis=dim)

    @staticmethod
    def backward(ctx, grad_output):
        return unbind(grad_output, ctx.dim)


def stack(tensors, dim=0):
    """Join tensors of one shape along a new dim ``dim`` (in [-ndim - 1, ndim])."""
    tensors = _tensor_list(tensors, "stack")
    if not tensors:
        raise RuntimeError("stack(): expects a non-empty TensorList")
    first = tensors[0].data.shape
    for index, tensor in enumerate(tensors[1:], 1):
        if tensor.data.shape != first:
            raise RuntimeError(
                f"stack(): expects each tensor to be equal size, but got {list(first)} at "
                f"entry 0 and {list(tensor.data.shape)} at entry {index}"
            )
    dim = normalize_dim(dim, len(first) + 1, "stack")
    return Stack.apply(*tensors, dim=dim)


# ---- split, chunk, unbind ----------------------------------------------------------------


@register
class Split(Function):
    """out_k = x[.., start_k : start_k + sizes[k], ..] along dim (views); dx = cat(g_k)"""

    @staticmethod
    def forward(ctx, x, *, sizes, dim):
        ctx.dim = dim
        ends = np.cumsum(sizes).tolist()
        options = {"sizes": sizes, "dim": dim}
        return tuple(
            view_of(ctx, x, x.data[_along(dim, slice(end - size, end))], options, output)
            for output, (size, end) in enumerate(zip(sizes, ends))
        )

    @staticmethod
    def backward(ctx, *grad_outputs):
        return cat(grad_outputs, ctx.dim)


def _split_dim(tensor, dim, op):
    if tensor.data.ndim == 0:
        raise RuntimeError(f"{op}(): expects at least a 1-dimensional tensor")
    return normalize_dim(dim, tensor.data.ndim, op)


def split(tensor, split_size_or_sections, dim=0):
    """Cut into pieces of ``split_size`` along ``dim`` (the last one smaller), or into pieces
    of the given sizes. Returns a tuple of views.

    >>> [piece.shape for piece in ag.arange(5).split(2)]
    [(2,), (2,), (1,)]
    """
    as_tensor_arg(tensor, "tensor", "split")
    dim = _split_dim(tensor, dim, "split")
    length = tensor.data.shape[dim]
    if isinstance(split_size_or_sections, (list, tuple)):
        sizes = as_int_tuple(split_size_or_sections, "split", "split_size_or_sections")
        if any(size < 0 for size in sizes) or sum(sizes) != length:
            raise RuntimeError(
                f"split_with_sizes(): expects split_sizes to be non-negative and to sum exactly "
                f"to {length} (input tensor's size at dimension {dim}), but got split_sizes="
                f"{list(sizes)}"
            )
    else:
        size = operator.index(split_size_or_sections)
        if size < 0 or (size == 0 and length):
            raise RuntimeError(
                f"split(): split_size can only be 0 if dimension size is 0 and must be "
                f"non-negative, but got split_size={size} for dimension size {length}"
            )
        sizes = (size,) * (length // size) + ((length % size,) if length % size else ())
        sizes = sizes or (0,)
    return Split.apply(tensor, sizes=sizes, dim=dim)


def chunk(input, chunks, dim=0):  # noqa: A002 - PyTorch's parameter name
    """Cut into ``chunks`` pieces of ceil(size / chunks) along ``dim`` (fewer when they run
    out, as PyTorch)."""
    as_tensor_arg(input, "input", "chunk")
    dim = _split_dim(input, dim, "chunk")
    chunks = operator.index(chunks)
    if chunks <= 0:
        raise RuntimeError(f"chunk(): expects `chunks` to be greater than 0, got: {chunks}")
    length = input.data.shape[dim]
    if length == 0:
        return Split.apply(input, sizes=(0,) * chunks, dim=dim)
    return split(input, math.ceil(length / chunks), dim)


@register
class Unbind(Function):
    """out_i = x[.., i, ..] along dim, that dim removed (views); dx = stack(g_i, dim)"""

    @staticmethod
    def forward(ctx, x, *, dim):
        ctx.dim = dim
        return tuple(
            view_of(ctx, x, x.data[(*_along(dim, index), Ellipsis)], {"dim": dim}, index)
            for index in range(x.data.shape[dim])
        )

    @staticmethod
    def backward(ctx, *grad_outputs):
        return stack(grad_outputs, ctx.dim)


def unbind(input, dim=0):  # noqa: A002
    """The slices along ``dim``, that dim removed, as a tuple of views."""
    as_tensor_arg(input, "input", "unbind")
    if input.data.ndim == 0:
        raise IndexError("unbind(): Dimension specified as 0 but tensor has no dimensions")
    return Unbind.apply(input, dim=normalize_dim(dim, input.data.ndim, "unbind"))


# ---- narrow, pad -------------------------------------------------------------------------


def _dim_pad(ndim, dim, before, after):
    """F.pad's flat list (pairs from the last dim backward) padding only ``dim``."""
    return (0, 0) * (ndim - 1 - dim) + (before, after)


@register
class Narrow(Function):
    """out = x[.., start : start + length, ..] along dim (a view); dx = g zero-padded back"""

    @staticmethod
    def forward(ctx, x, *, dim, start, length):
        size = x.data.shape[dim]
        ctx.pad = _dim_pad(x.data.ndim, dim, start, size - start - length)
        view = x.data[_along(dim, slice(start, start + length))]
        return view_of(ctx, x, view, {"dim": dim, "start": start, "length": length})

    @staticmethod
    def backward(ctx, grad_output):
        return pad(grad_output, ctx.pad)


def narrow(input, dim, start, length):  # noqa: A002
    """The ``length`` elements from ``start`` (negative counts from the end) along ``dim``."""
    if input.data.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    dim = normalize_dim(dim, input.data.ndim, "narrow")
    start, length = operator.index(start), operator.index(length)
    size = input.data.shape[dim]
    if not -size <= start <= size:
        raise IndexError(
            f"narrow(): start out of range (expected to be in range of [{-size}, {size}], but "
            f"got {start})"
        )
    start %= max(size, 1)
    if length < 0:
        raise RuntimeError(f"narrow(): length must be non-negative, got {length}")
    if start + length > size:
        raise RuntimeError(
            f"narrow(): start ({start}) + length ({length}) exceeds dimension size ({size})."
        )
    return Narrow.apply(input, dim=dim, start=start, length=length)


_NUMPY_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def _widths(pad, ndim):
    """(before, after) per dim from F.pad's flat list, which starts at the last dim."""
    pairs = [(0, 0)] * (ndim - len(pad) // 2)
    pairs += [(pad[index], pad[index + 1]) for index in range(len(pad) - 2, -1, -2)]
    return pairs


def pad_array(array, pad, mode, value):
    """F.pad on an ndarray: negative amounts crop first, then positive ones pad."""
    widths = _widths(pad, array.ndim)
    crop = tuple(slice(max(0, -b), size - max(0, -a)) for size, (b, a) in zip(array.shape, widths))
    cropped = array[crop]
    grow = [(max(0, b), max(0, a)) for b, a in widths]
    if mode != "constant":
        return np.pad(cropped, grow, mode=_NUMPY_MODES[mode])
    shape = tuple(size + b + a for size, (b, a) in zip(cropped.shape, grow))
    out = np.full(shape, value, dtype=array.dtype)
    out[tuple(slice(b, b + size) for size, (b, _) in zip(cropped.shape, grow))] = cropped
    return out


@register
class Pad(Function):
    """out = x with pad[2k], pad[2k+1] elements before/after dim -1-k, filled with ``value``
    (constant; negative amounts crop) or copied from x (reflect, replicate, circular);
    dx = g cropped back (constant) or with its padding added back where it came from"""

    @staticmethod
    def forward(ctx, x, *, pad, mode, value):
        ctx.pad, ctx.mode, ctx.input_shape = pad, mode, x.data.shape
        return pad_array(x.data, pad, mode, value)

    @staticmethod
    def backward(ctx, grad_output):
        if ctx.mode == "constant":
            return Pad.apply(grad_output, pad=tuple(-p for p in ctx.pad), mode="constant", value=0)
        return PadBackward.apply(
            grad_output, pad=ctx.pad, mode=ctx.mode, input_shape=ctx.input_shape
        )


@register
class PadBackward(Function):
    """out = the adjoint of a reflect/replicate/circular pad: each padded element of g added
    onto the element it copied, crops filled with zeros; dg = pad(grad, mode)"""

    @staticmethod
    def forward(ctx, grad, *, pad, mode, input_shape):
        ctx.pad, ctx.mode = pad, mode
        out = grad.data
        widths = _widths(pad, out.ndim)
        for axis, (before, after) in enumerate(widths):
            if before > 0 or after > 0:
                out = _fold(out, axis, max(0, before), max(0, after), mode)
        crops = [(max(0, -b), max(0, -a)) for b, a in widths]
        return np.pad(out, crops) if any(map(any, crops)) else out

    @staticmethod
    def backward(ctx, grad_output):
        return Pad.apply(grad_output, pad=ctx.pad, mode=ctx.mode, value=None)


def _fold(array, axis, before, after, mode):
    """Sum the ``before`` and ``after`` padded slices of ``array`` along ``axis`` onto the
    elements they were copied from (the transpose of one axis of np.pad)."""
    moved = np.moveaxis(array, axis, -1)
    size = moved.shape[-1] - before - after
    source = np.pad(np.arange(size), (before, after), mode=_NUMPY_MODES[mode])
    edges = np.r_[0:before, before + size : before + size + after]
    out = moved[..., before : before + size].copy()
    np.add.at(out, (Ellipsis, source[edges]), moved[..., edges])
    return np.moveaxis(out, -1, axis)


def pad(input, pad, mode="constant", value=None):  # noqa: A002
    """Pad (or, with negative amounts, crop) the last len(pad) // 2 dims: ``pad`` is
    (last_before, last_after, second_last_before, ...), as ``torch.nn.functional.pad``.
    Modes: 'constant' (``value``, default 0), 'reflect', 'replicate', 'circular'.

    >>> F.pad(ag.zeros(2, 3), (1, 2)).shape
    (2, 6)
    """
    amounts = as_int_tuple(pad, "pad", "pad")
    shape = input.data.shape
    if len(amounts) % 2:
        raise RuntimeError(f"pad(): Padding length must be divisible by 2, got pad={amounts}")
    if len(amounts) // 2 > len(shape):
        raise RuntimeError(
            "pad(): Padding length should be less than or equal to two times the input "
            f"dimension but got padding length {len(amounts)} and input of dimension {len(shape)}"
        )
    widths = _widths(amounts, len(shape))
    sizes = [size + min(0, b) + min(0, a) for size, (b, a) in zip(shape, widths)]
    for dim, size in enumerate(sizes):
        if size < 0:
            raise RuntimeError(
                f"pad(): padding {amounts} gives dimension {dim} of the input of shape "
                f"{list(shape)} a negative size"
            )
    if mode == "constant":
        return Pad.apply(input, pad=amounts, mode=mode, value=0 if value is None else value)
    if mode not in _NUMPY_MODES:
        raise NotImplementedError(f"pad(): Unrecognised padding mode {mode!r}")
    _check_non_constant(shape, sizes, widths, amounts, mode, value)
    return Pad.apply(input, pad=amounts, mode=mode, value=None)


def _check_non_constant(shape, sizes, widths, amounts, mode, value):
    """PyTorch's limits on reflect/replicate/circular padding."""
    if value is not None and value != 0:
        raise RuntimeError(f'pad(): Padding mode "{mode}" doesn\'t take in value argument')
    padded = len(amounts) // 2
    if padded not in (1, 2, 3) or len(shape) not in (padded + 1, padded + 2):
        raise NotImplementedError(
            f"pad(): Padding size {len(amounts)} is not supported for {len(shape)}D input "
            "tensor. Supported combinations for non-constant padding: 2D or 3D input with "
            "padding size 2, 3D or 4D input with padding size 4, 4D or 5D input with padding "
            "size 6"
        )
    for dim in range(len(shape) - padded, len(shape)):
        before, after = widths[dim]
        limit = sizes[dim] - 1 if mode == "reflect" else sizes[dim]
        if (mode != "replicate" and max(before, after) > limit) or sizes[dim] == 0:
            raise RuntimeError(
                f"pad(): {mode} padding ({before}, {after}) at dimension {dim} of input "
                f"{list(shape)} must be less than {'' if mode == 'reflect' else 'or equal to '}"
                "the (cropped) size of that dimension, and that size must be non-zero"
            )
