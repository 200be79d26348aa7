"""Shape ops on one tensor: reshape, view, flatten, squeeze, permute, expand, repeat, flip,
roll, tril, triu, diagonal. Joining and cutting (cat, stack, split, narrow, pad) live in
``joining.py``.

Where NumPy can, the output is a view of the input's array (no copy) and shares the input's
version counter, as PyTorch's views do: an in-place write through either is seen by a
backward that saved the other. The gradient is the inverse rearrangement of the incoming
gradient, written with these same ops, so second derivatives come for free.
"""

import math
import operator
import weakref

import numpy as np

from .. import grad_mode
from ..function import Function
from ..tensor import Tensor, version_counter
from .common import as_tensor_arg, broadcast_view, normalize_dim, normalize_dims
from .registry import register


def view_of(ctx, x, array, options, output=None):
    """``array`` as a Tensor; when it is a view of ``x``'s array it shares ``x``'s version.

    The view remembers its root base (the tensor owning the memory; ``x`` itself unless
    ``x`` is a view) and how to take it again from there: the steps, each a view op's class,
    its keyword ``options`` and, for an op with several outputs, which ``output``. An
    in-place write through the view is then recorded in the root's graph too, and the root's
    other live views, taken in grad mode, get its new graph (``inplace``), as PyTorch
    rebases views."""
    out = Tensor._make(array)
    if array.base is None or not np.may_share_memory(array, x.data):
        return out  # a copy
    out._version = version_counter(x)
    step = ((type(ctx), options, output),)
    made_in_grad_mode = grad_mode.state.enabled
    if x._view_of is None:
        root, steps = x, step
    else:  # a view of a view made in no_grad mode counts as made there too, as in PyTorch
        root, steps, parent_in_grad_mode = x._view_of
        steps += step
        made_in_grad_mode = made_in_grad_mode and parent_in_grad_mode
    out._view_of = (root, steps, made_in_grad_mode)
    if made_in_grad_mode:
        _note_view(root, out)
    return out


def replay_view(tensor, steps):
    """Take of ``tensor`` (shaped like a view's root) the view that ``steps`` took."""
    for cls, options, output in steps:
        tensor = cls.apply(tensor, **options)
        if output is not None:
            tensor = tensor[output]
    return tensor


def _note_view(base, view):
    """Keep a weak reference to ``view`` on its root ``base``, whose in-place writes give
    the view a new graph (see ``inplace``)."""
    views = base._views
    if views is None:
        base._views = [weakref.ref(view)]
        return
    if len(views) >= 8 and not len(views) & (len(views) - 1):  # at 8, 16, 32 ... entries
        views[:] = [ref for ref in views if ref() is not None]  # (linear time in all)
    views.append(weakref.ref(view))


def as_int_tuple(values, op, name):
    """A shape-like argument (ints, NumPy ints, 1-element integer Tensors) as a tuple of int."""
    if isinstance(values, (int, np.integer, Tensor)):
        values = (values,)
    try:
        return tuple(map(operator.index, values))
    except TypeError:
        raise TypeError(
            f"{op}(): argument '{name}' must be a tuple of ints, got {values!r}"
        ) from None


# ---- reshape family ----------------------------------------------------------------------


@register
class Reshape(Function):
    """out = x with shape ``shape`` (a view when the strides allow); dx = g reshaped back"""

    @staticmethod
    def forward(ctx, x, *, shape):
        ctx.input_shape = x.data.shape
        return view_of(ctx, x, x.data.reshape(shape), {"shape": shape})

    @staticmethod
    def backward(ctx, grad_output):
        return reshape(grad_output, ctx.input_shape)


def infer_size(shape, numel, op="reshape"):
    """``shape`` with its one -1 replaced so that the sizes multiply up to ``numel``."""
    shape = as_int_tuple(shape, op, "shape")
    if math.prod(shape) == numel and min(shape, default=0) >= 0:  # the common case
        return shape
    shape = list(shape)
    inferred = [index for index, size in enumerate(shape) if size == -1]
    if len(inferred) > 1:
        raise RuntimeError(f"{op}(): only one dimension can be inferred (shape {shape})")
    for size in shape:
        if size < -1:
            raise RuntimeError(f"{op}(): invalid shape dimension {size} in {shape}")
    known = math.prod(size for size in shape if size != -1)
    if inferred:
        if known == 0:
            raise RuntimeError(
                f"{op}(): cannot reshape tensor of {numel} elements into shape {shape} because "
                "the unspecified dimension size -1 can be any value and is ambiguous"
            )
        if numel % known == 0:
            shape[inferred[0]] = numel // known
            return tuple(shape)
    elif known == numel:
        return tuple(shape)
    raise RuntimeError(f"{op}(): shape '{shape}' is invalid for input of size {numel}")


def reshape(input, shape):  # noqa: A002 - PyTorch's parameter name
    """x with a new shape of the same number of elements; one size may be -1 (inferred).

    >>> ag.arange(6).reshape(2, -1).shape
    (2, 3)
    """
    as_tensor_arg(input, "input", "reshape")
    return Reshape.apply(input, shape=infer_size(shape, input.data.size))


def view(input, shape):  # noqa: A002
    """reshape. PyTorch refuses a view of non-contiguous strides; here ``contiguous()`` is a
    no-op, so ``view`` copies in that case (as ``reshape``) rather than breaking the usual
    ``x.transpose(0, 1).contiguous().view(-1)``."""
    return Reshape.apply(input, shape=infer_size(shape, input.data.size, "view"))


def flatten(input, start_dim=0, end_dim=-1):  # noqa: A002
    """Merge dims ``start_dim..end_dim`` into one; a 0-d tensor becomes shape (1,)."""
    as_tensor_arg(input, "input", "flatten")
    shape = input.data.shape
    start = normalize_dim(start_dim, len(shape), "flatten")
    end = normalize_dim(end_dim, len(shape), "flatten")
    if start > end:
        raise RuntimeError(
            f"flatten() has invalid args: start_dim ({start_dim}) cannot come after "
            f"end_dim ({end_dim})"
        )
    if not shape:
        return reshape(input, (1,))
    if start == end:
        return input  # as PyTorch: nothing to merge, the tensor itself
    return reshape(input, (*shape[:start], math.prod(shape[start : end + 1]), *shape[end + 1 :]))


def unflatten(input, dim, sizes):  # noqa: A002
    """Split dim ``dim`` into ``sizes`` (one of them may be -1)."""
    shape = input.data.shape
    dim = normalize_dim(dim, len(shape), "unflatten")
    sizes = as_int_tuple(sizes, "unflatten", "sizes")
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    try:
        sizes = infer_size(sizes, shape[dim], "unflatten")
    except RuntimeError:
        raise RuntimeError(
            f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim "
            f"{dim} ({shape[dim]}) in the input tensor of shape {list(shape)}"
        ) from None
    return reshape(input, shape[:dim] + sizes + shape[dim + 1 :])


def squeeze(input, dim=None):  # noqa: A002
    """Remove the size-1 dims among ``dim`` (every dim when None); other dims are kept."""
    as_tensor_arg(input, "input", "squeeze")
    shape = input.data.shape
    dims = normalize_dims(dim, len(shape), "squeeze")
    return reshape(input, tuple(s for i, s in enumerate(shape) if s != 1 or i not in dims))


def unsqueeze(input, dim):  # noqa: A002
    """Insert a size-1 dim at ``dim`` (in [-ndim - 1, ndim])."""
    as_tensor_arg(input, "input", "unsqueeze")
    shape = input.data.shape
    dim = normalize_dim(dim, len(shape) + 1, "unsqueeze")
    return Reshape.apply(input, shape=(*shape[:dim], 1, *shape[dim:]))


# ---- permutations ------------------------------------------------------------------------


@register
class Permute(Function):
    """out = x with its dims reordered as ``dims`` (a view); dx = g permuted back"""

    @staticmethod
    def forward(ctx, x, *, dims):
        ctx.dims = dims
        return view_of(ctx, x, x.data.transpose(dims), {"dims": dims})

    @staticmethod
    def backward(ctx, grad_output):
        return permute(grad_output, tuple(np.argsort(ctx.dims)))


def permute(input, dims):  # noqa: A002
    """Reorder the dims: out.shape[i] = x.shape[dims[i]].

    >>> ag.zeros(2, 3, 4).permute(2, 0, 1).shape
    (4, 2, 3)
    """
    as_tensor_arg(input, "input", "permute")
    ndim = input.data.ndim
    dims = as_int_tuple(dims, "permute", "dims")
    if len(dims) != ndim:
        raise RuntimeError(
            "permute(): number of dimensions in the tensor input does not match the length of "
            f"the desired ordering of dimensions i.e. input.dim() = {ndim} is not equal to "
            f"len(dims) = {len(dims)}"
        )
    dims = tuple(normalize_dim(d, ndim, "permute") for d in dims)
    if len(set(dims)) != ndim:
        raise RuntimeError(f"permute(): duplicate dims are not allowed (dims {dims})")
    return Permute.apply(input, dims=dims)


def transpose(input, dim0, dim1):  # noqa: A002
    """Swap dims ``dim0`` and ``dim1``."""
    as_tensor_arg(input, "input", "transpose")
    ndim = input.data.ndim
    dims = list(range(ndim))
    dim0 = normalize_dim(dim0, ndim, "transpose")
    dim1 = normalize_dim(dim1, ndim, "transpose")
    if ndim:  # (a 0-d tensor takes dims 0 and -1, and stays as it is)
        dims[dim0], dims[dim1] = dims[dim1], dims[dim0]
    return Permute.apply(input, dims=tuple(dims))


def swapaxes(input, axis0, axis1):  # noqa: A002
    """transpose, under NumPy's name (also PyTorch's ``swapdims``)."""
    return transpose(input, axis0, axis1)


swapdims = swapaxes


def movedim(input, source, destination):  # noqa: A002
    """Move the dims ``source`` (an int or a sequence) to the positions ``destination``; the
    other dims keep their order (a view). PyTorch also calls it ``moveaxis``.

    >>> ag.zeros(2, 3, 4).movedim(0, -1).shape
    (3, 4, 2)
    """
    as_tensor_arg(input, "input", "movedim")
    ndim = input.data.ndim
    source = as_int_tuple(source, "movedim", "source")
    destination = as_int_tuple(destination, "movedim", "destination")
    if len(source) != len(destination):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({list(source)} dims) should "
            f"contain the same number of dims as destination ({list(destination)} dims)"
        )
    moved = {}
    for name, dims in (("source", source), ("destination", destination)):
        normalized = [normalize_dim(dim, ndim, "movedim") for dim in dims]
        if len(set(normalized)) != len(normalized):
            raise RuntimeError(f"movedim: repeated dim in `{name}` ({list(dims)})")
        moved[name] = normalized
    if not ndim:
        return Permute.apply(input, dims=())
    order = [dim for dim in range(ndim) if dim not in moved["source"]]
    for position, dim in sorted(zip(moved["destination"], moved["source"])):
        order.insert(position, dim)
    return Permute.apply(input, dims=tuple(order))


moveaxis = movedim


def t(input):  # noqa: A002
    """Transpose a 2-D tensor; of a 0-d or 1-D tensor, a view as it is."""
    as_tensor_arg(input, "input", "t")
    if input.data.ndim > 2:
        raise RuntimeError(
            f"t() expects a tensor with <= 2 dimensions, but self is {input.data.ndim}D"
        )
    return transpose(input, 0, -1) if input.data.ndim else Permute.apply(input, dims=())


# ---- expand, repeat ----------------------------------------------------------------------


@register
class Expand(Function):
    """out = x broadcast to ``shape`` (a view, read-only where elements share memory);
    dx = g summed back to x's shape"""

    @staticmethod
    def forward(ctx, x, *, shape):
        ctx.input_shape = x.data.shape
        view = x.data.view() if shape == x.data.shape else broadcast_view(x.data, shape)
        return view_of(ctx, x, view, {"shape": shape})

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output.sum_to_size(ctx.input_shape)


def expand(input, shape):  # noqa: A002
    """Broadcast to ``shape`` without copying; -1 keeps a dim's size."""
    old = input.data.shape
    shape = as_int_tuple(shape, "expand", "size")
    lead = len(shape) - len(old)
    if lead < 0:
        raise RuntimeError(
            f"expand: the number of sizes provided ({len(shape)}) must be greater or equal to "
            f"the number of dimensions in the tensor ({len(old)})"
        )
    new = list(shape)
    for index, size in enumerate(shape):
        if index < lead:
            if size < 0:
                raise RuntimeError(
                    f"expand: the expanded size of the tensor ({size}) isn't allowed in a "
                    f"leading, non-existing dimension {index}"
                )
            continue
        existing = old[index - lead]
        if size == -1:
            new[index] = existing
        elif size != existing and existing != 1:
            raise RuntimeError(
                f"expand: the expanded size of the tensor ({size}) must match the existing size "
                f"({existing}) at non-singleton dimension {index}.  Target sizes: {list(shape)}."
                f"  Tensor sizes: {list(old)}"
            )
    return Expand.apply(input, shape=tuple(new))


@register
class Repeat(Function):
    """out = x tiled ``repeats[i]`` times along dim i; dx = g summed over the copies"""

    @staticmethod
    def forward(ctx, x, *, repeats):
        ctx.input_shape = x.data.shape
        ctx.repeats = repeats
        return np.tile(x.data, repeats)

    @staticmethod
    def backward(ctx, grad_output):
        # Dim i of grad_output is (repeat, size) flattened: split each, sum the repeat axes.
        sizes = (1,) * (len(ctx.repeats) - len(ctx.input_shape)) + ctx.input_shape
        split = tuple(item for pair in zip(ctx.repeats, sizes) for item in pair)
        summed = grad_output.reshape(split).sum(tuple(range(0, len(split), 2)))
        return reshape(summed, ctx.input_shape)


def repeat(input, repeats):  # noqa: A002
    """Tile x ``repeats[i]`` times along each dim (extra leading repeats add dims)."""
    repeats = as_int_tuple(repeats, "repeat", "repeats")
    if len(repeats) < input.data.ndim:
        raise RuntimeError(
            "repeat(): Number of dimensions of repeat dims can not be smaller than number of "
            f"dimensions of tensor (repeats {repeats}, tensor shape {tuple(input.data.shape)})"
        )
    if any(count < 0 for count in repeats):
        raise RuntimeError(f"repeat(): repeats must be non-negative, got {repeats}")
    return Repeat.apply(input, repeats=repeats)


def tile(input, dims):  # noqa: A002
    """repeat, where fewer ``dims`` than tensor dims are padded with leading 1s."""
    as_tensor_arg(input, "input", "tile")
    dims = as_int_tuple(dims, "tile", "dims")
    return repeat(input, (1,) * (input.data.ndim - len(dims)) + dims)


# ---- flip, roll --------------------------------------------------------------------------


@register
class Flip(Function):
    """out = x reversed along ``dims``; dx = g reversed along ``dims``"""

    @staticmethod
    def forward(ctx, x, *, dims):
        ctx.dims = dims
        # A copy, as PyTorch's flip: an in-place write to the result must not reach x.
        return np.flip(x.data, dims).copy()

    @staticmethod
    def backward(ctx, grad_output):
        return Flip.apply(grad_output, dims=ctx.dims)


def flip(input, dims):  # noqa: A002
    """Reverse the order of elements along ``dims``."""
    as_tensor_arg(input, "input", "flip")
    dims = normalize_dims(as_int_tuple(dims, "flip", "dims"), input.data.ndim, "flip")
    return Flip.apply(input, dims=dims if input.data.ndim else ())


@register
class Roll(Function):
    """out[(i + shift) % n] = x[i] along each dim (of the flattened x when dims is None);
    dx = roll(g, -shift)"""

    @staticmethod
    def forward(ctx, x, *, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        return np.roll(x.data, shifts, dims)

    @staticmethod
    def backward(ctx, grad_output):
        return Roll.apply(grad_output, shifts=tuple(-s for s in ctx.shifts), dims=ctx.dims)


def roll(input, shifts, dims=None):  # noqa: A002
    """Shift elements cyclically by ``shifts`` along ``dims`` (the flattened tensor if None)."""
    shifts = as_int_tuple(shifts, "roll", "shifts")
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(
                f"roll(): shifts and dimensions must align. shifts: {len(shifts)}, dims:0"
            )
        return Roll.apply(input, shifts=shifts, dims=None)
    dims = as_int_tuple(dims, "roll", "dims")
    if len(shifts) != len(dims):
        raise RuntimeError(
            f"roll(): shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}"
        )
    dims = tuple(normalize_dim(d, input.data.ndim, "roll") for d in dims)
    if not input.data.ndim:
        return Roll.apply(input, shifts=(0,), dims=None)
    return Roll.apply(input, shifts=shifts, dims=dims)


# ---- triangles and diagonals -------------------------------------------------------------


@register
class Tril(Function):
    """out = x with elements above diagonal ``diagonal`` zeroed (last two dims); dx = tril(g)"""

    @staticmethod
    def forward(ctx, x, *, diagonal):
        ctx.diagonal = diagonal
        return np.tril(x.data, diagonal)

    @staticmethod
    def backward(ctx, grad_output):
        return Tril.apply(grad_output, diagonal=ctx.diagonal)


@register
class Triu(Function):
    """out = x with elements below diagonal ``diagonal`` zeroed (last two dims); dx = triu(g)"""

    @staticmethod
    def forward(ctx, x, *, diagonal):
        ctx.diagonal = diagonal
        return np.triu(x.data, diagonal)

    @staticmethod
    def backward(ctx, grad_output):
        return Triu.apply(grad_output, diagonal=ctx.diagonal)


def _check_matrix(tensor, op):
    if tensor.data.ndim < 2:
        raise RuntimeError(
            f"{op}: input tensor must have at least 2 dimensions, got shape "
            f"{tuple(tensor.data.shape)}"
        )


def tril(input, diagonal=0):  # noqa: A002
    """The lower triangle of the last two dims: keeps x[..., i, j] where j - i <= diagonal."""
    as_tensor_arg(input, "input", "tril")
    _check_matrix(input, "tril")
    return Tril.apply(input, diagonal=operator.index(diagonal))


def triu(input, diagonal=0):  # noqa: A002
    """The upper triangle of the last two dims: keeps x[..., i, j] where j - i >= diagonal."""
    as_tensor_arg(input, "input", "triu")
    _check_matrix(input, "triu")
    return Triu.apply(input, diagonal=operator.index(diagonal))


def diagonal_view(array, offset, dim1, dim2):
    """The writable strided view of ``array``'s diagonal ``offset`` over dims dim1, dim2,
    appended as the last dim (PyTorch's layout; NumPy's own view is read-only)."""
    moved = np.moveaxis(array, (dim1, dim2), (-2, -1))
    corner = moved[..., max(0, -offset) :, max(0, offset) :]
    length = min(corner.shape[-2:])
    return np.lib.stride_tricks.as_strided(
        corner,
        (*corner.shape[:-2], length),
        (*corner.strides[:-2], corner.strides[-2] + corner.strides[-1]),
        writeable=corner.flags.writeable,
    )


@register
class Diagonal(Function):
    """out[..., k] = x[.., k + max(0, -offset), .., k + max(0, offset), ..] (a view);
    dx = diagonal_scatter(zeros, g)"""

    @staticmethod
    def forward(ctx, x, *, offset, dim1, dim2):
        ctx.input_shape = x.data.shape
        ctx.where = (offset, dim1, dim2)
        view = diagonal_view(x.data, offset, dim1, dim2)
        return view_of(ctx, x, view, {"offset": offset, "dim1": dim1, "dim2": dim2})

    @staticmethod
    def backward(ctx, grad_output):
        zeros = Tensor._make(np.zeros(ctx.input_shape, grad_output.dtype))
        return diagonal_scatter(zeros, grad_output, *ctx.where)


@register
class DiagonalScatter(Function):
    """out = x with its diagonal replaced by src; dx = g with that diagonal zeroed,
    dsrc = diagonal(g)"""

    @staticmethod
    def forward(ctx, x, src, *, offset, dim1, dim2):
        ctx.where = (offset, dim1, dim2)
        ctx.src_shape = src.data.shape
        out = x.data.copy()
        diagonal_view(out, offset, dim1, dim2)[...] = src.data
        return out

    @staticmethod
    def backward(ctx, grad_output):
        needs_x, needs_src = ctx.needs_input_grad
        grad_x = grad_src = None
        if needs_x:
            zeros = Tensor._make(np.zeros(ctx.src_shape, grad_output.dtype))
            grad_x = diagonal_scatter(grad_output, zeros, *ctx.where)
        if needs_src:
            grad_src = diagonal(grad_output, *ctx.where)
        return grad_x, grad_src


def _diagonal_dims(tensor, dim1, dim2, op):
    ndim = tensor.data.ndim
    first, second = normalize_dim(dim1, ndim, op), normalize_dim(dim2, ndim, op)
    if first == second:
        raise RuntimeError(f"{op}(): diagonal dimensions cannot be identical {dim1}, {dim2}")
    return first, second


def diagonal(input, offset=0, dim1=0, dim2=1):  # noqa: A002
    """The diagonal ``offset`` (above the main one when > 0) of the matrices over dims
    ``dim1``, ``dim2``, as a view whose last dim runs along it."""
    as_tensor_arg(input, "input", "diagonal")
    dim1, dim2 = _diagonal_dims(input, dim1, dim2, "diagonal")
    return Diagonal.apply(input, offset=operator.index(offset), dim1=dim1, dim2=dim2)


def diagonal_scatter(input, src, offset=0, dim1=0, dim2=1):  # noqa: A002
    """A copy of ``input`` with the diagonal that ``diagonal(input, offset, dim1, dim2)``
    selects replaced by ``src``."""
    as_tensor_arg(input, "input", "diagonal_scatter")
    as_tensor_arg(src, "src", "diagonal_scatter")
    dim1, dim2 = _diagonal_dims(input, dim1, dim2, "diagonal_scatter")
    offset = operator.index(offset)
    expected = diagonal_view(input.data, offset, dim1, dim2).shape
    if src.data.shape != expected:
        raise RuntimeError(
            "diagonal_scatter(): expected src to have a size equal to the slice of self. src "
            f"size = {list(src.data.shape)}, slice size = {list(expected)}"
        )
    if src.data.dtype != input.data.dtype:
        src = src.to(input.data.dtype)
    return DiagonalScatter.apply(input, src, offset=offset, dim1=dim1, dim2=dim2)
