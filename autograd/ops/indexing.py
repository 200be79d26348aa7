"""Indexing: ``x[index]``, ``x[index] = value`` (``index_put``), gather, scatter, scatter_add,
index_select, masked_fill, take_along_dim and one_hot.

An index is parsed once (``parse_index``) into the two steps PyTorch applies: a *basic* step
of ints, slices (negative steps too, as in NumPy), None and Ellipsis, which is a view of the
input, then, when the index holds integer or bool arrays, an *advanced* step on that view
(a copy). Ints are applied in the basic step, so ``x[0, :, [1, 2]]`` has PyTorch's shape,
not NumPy's. The gradient of ``x[index]`` writes the incoming gradient into zeros at the
index, adding it up where integer indices repeat.
"""

import builtins
from typing import NamedTuple

import numpy as np

from .. import dtypes
from ..function import Function, fresh_gradient, records_backward
from ..tensor import Tensor
from .common import as_tensor_arg, checked_number, normalize_dim, shape_of
from .indexed_values import IndexedGradient, put
from .registry import register
from .shape import view_of

_FULL = slice(None)


class Index(NamedTuple):
    """A parsed index: ``array[basic][advanced]``; ``repeats`` when integer arrays may
    address one element twice (writes must then accumulate)."""

    basic: tuple
    advanced: tuple | None
    repeats: bool


def parse_index(index, shape):
    """Parse a Python index for an array of ``shape`` into an ``Index``, with PyTorch's
    IndexErrors for out-of-range ints and arrays, bad masks, bad types and too many indices.
    """
    basic = _basic_index(index, shape)
    if basic is not None:
        return basic
    items = [_convert(item) for item in (index if isinstance(index, tuple) else (index,))]
    if builtins.sum(item is Ellipsis for item in items) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    consumed = builtins.sum(_dims_consumed(item) for item in items)
    if consumed > len(shape):
        if not shape:
            raise IndexError(
                "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number"
            )
        raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
    basic, advanced = [], []
    dim = 0
    repeats = False
    for item in items:
        if item is Ellipsis:
            count = len(shape) - consumed
            basic.extend([_FULL] * count)
            advanced.extend([_FULL] * count)
            dim += count
        elif item is None or isinstance(item, bool):
            basic.append(None)  # a new dim of size 1; False then empties it, True keeps it
            advanced.append(_FULL if item in (None, True) else slice(0, 0))
        elif isinstance(item, int):
            _check_bounds(item, item, shape[dim], dim)
            basic.append(item)
            dim += 1
        elif isinstance(item, slice):
            if item.step is not None and item.step == 0:
                raise ValueError("slice step cannot be zero")
            basic.append(item)
            advanced.append(_FULL)
            dim += 1
        elif item.dtype == np.bool_:
            _check_mask(item, shape, dim)
            basic.extend([_FULL] * item.ndim)
            advanced.append(item)
            dim += item.ndim
        else:
            if item.size:
                _check_bounds(item.min(), item.max(), shape[dim], dim)
            basic.append(_FULL)
            advanced.append(item)
            dim += 1
            repeats = True
    basic.append(Ellipsis)  # keeps every result an ndarray view, 0-d ones included
    while advanced and isinstance(advanced[-1], slice) and advanced[-1] == _FULL:
        advanced.pop()
    return Index(tuple(basic), tuple(advanced) if advanced else None, repeats)


def _basic_index(index, shape):
    """The Index of the commonest cases (``x[3]``, ``x[2:5]``, ``x[:, 0]``): Python ints
    and slices, no more than x has dims; None for any other index (parse_index parses it)."""
    items = index if type(index) is tuple else (index,)
    if len(items) > len(shape):
        return None
    for dim, item in enumerate(items):
        kind = type(item)
        if kind is int:
            _check_bounds(item, item, shape[dim], dim)
        elif kind is not slice or (item.step is not None and item.step == 0):
            return None
    return Index((*items, Ellipsis), None, False)


def _convert(item):
    """One index entry as an int, bool, slice, None, Ellipsis or an int/bool ndarray."""
    if isinstance(item, Tensor):
        item = item.data
    elif isinstance(item, list):
        item = np.asarray(item) if item else np.zeros(0, np.int64)
    if isinstance(item, (np.ndarray, np.generic)):
        kind = item.dtype.kind
        if kind not in "biu":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        if item.dtype == np.uint8:
            item = item.astype(np.bool_)  # PyTorch's (deprecated) byte masks
        if item.ndim == 0:
            return builtins.bool(item) if item.dtype == np.bool_ else builtins.int(item)
        return item
    if item is None or item is Ellipsis or isinstance(item, (bool, int, slice)):
        return item
    raise IndexError(
        "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
        f"valid indices (got {type(item).__name__})"
    )


def _dims_consumed(item):
    if item is None or item is Ellipsis or isinstance(item, bool):
        return 0
    if isinstance(item, np.ndarray) and item.dtype == np.bool_:
        return item.ndim
    return 1


def _check_bounds(low, high, size, dim):
    """Indices from ``low`` to ``high`` lie in [-size, size); else PyTorch's IndexError."""
    if high >= size or low < -size:
        bad = high if high >= size else low
        raise IndexError(f"index {bad} is out of bounds for dimension {dim} with size {size}")


def _check_mask(mask, shape, dim):
    for offset, (mask_size, size) in enumerate(zip(mask.shape, shape[dim:])):
        if mask_size != size:
            raise IndexError(
                f"The shape of the mask {list(mask.shape)} at index {offset} does not match the "
                f"shape of the indexed tensor {list(shape)} at index {dim + offset}"
            )


def _cast(value, dtype, op, overflow_to_inf=False):
    """A Tensor's or a number's values as an array of ``dtype`` (copied only to convert; a
    Tensor's values out of a float dtype's range become inf, a number's as ``checked_number``
    says)."""
    if isinstance(value, Tensor):
        with np.errstate(over="ignore", invalid="ignore"):
            return np.asarray(value.data, dtype=dtype)
    return np.asarray(checked_number(value, dtype, op, overflow_to_inf), dtype=dtype)


def _read(array, index):
    view = array[index.basic]
    return view if index.advanced is None else view[index.advanced]


@register
class GetItem(Function):
    """out = x[index]; dx = zeros of x's shape with g at index (summed where indices repeat)"""

    @staticmethod
    def forward(ctx, x, *, index):
        ctx.input_shape = x.data.shape
        ctx.index = index
        out = _read(x.data, index)
        if index.advanced is not None:  # a new tensor, laid out in order as PyTorch's (NumPy's
            # x[:, [0, 1]] is not, so a reshape of it would copy where PyTorch's is a view)
            return out if out.flags.c_contiguous else out.copy()
        # A view: it shares x's version counter, so writing through it is seen by x's users.
        return view_of(ctx, x, out, {"index": index})

    @staticmethod
    def backward(ctx, grad_output):
        if not records_backward():  # the engine adds g where it lands: no zeros of x's shape
            return IndexedGradient(ctx.input_shape, ctx.index, grad_output.data)
        return GetItemBackward.apply(grad_output, shape=ctx.input_shape, index=ctx.index)


@register
class GetItemBackward(Function):
    """out = zeros(shape) with g put at index (summed where indices repeat), the gradient of
    x[index]; dg = grad[index]"""

    @staticmethod
    def forward(ctx, grad, *, shape, index):
        ctx.index = index
        return IndexedGradient(shape, index, grad.data).dense()

    @staticmethod
    def backward(ctx, grad_output):
        return GetItem.apply(grad_output, index=ctx.index)


@register
class IndexPut(Function):
    """out = x with out[index] = value (+= with accumulate); dx = g with zeros at index (g
    when accumulating), dvalue = g[index] summed to value's shape. With ``into_input``, out
    is x's own array, written (``x[index] = value`` in place: nothing here reads x again)."""

    @staticmethod
    def forward(ctx, x, value, *, index, accumulate=False, into_input=False):
        ctx.index = index
        ctx.accumulate = accumulate
        ctx.value_ndim = len(shape_of(value))
        out = x.data if into_input else x.data.copy()
        try:
            put(out, index, _cast(value, out.dtype, "index_put", overflow_to_inf=True), accumulate)
        except ValueError:
            raise RuntimeError(
                f"index_put: shape mismatch: value tensor of shape {list(shape_of(value))} "
                f"cannot be broadcast to indexing result of shape {list(_read(out, index).shape)}"
            ) from None
        return out

    @staticmethod
    def backward(ctx, grad_output):
        needs_x, needs_value = ctx.needs_input_grad
        grad_x = grad_value = None
        if needs_x:
            if ctx.accumulate:
                grad_x = grad_output
            else:
                grad_x = _fresh(IndexPut.apply(grad_output, 0, index=ctx.index))
        if needs_value:
            grad_value = GetItem.apply(grad_output, index=ctx.index)
            extra = ctx.value_ndim - grad_value.ndim  # a value with leading 1s (x[0] = v[None])
            if extra > 0:
                grad_value = grad_value.reshape((1,) * extra + grad_value.shape)
        return grad_x, grad_value


def _fresh(grad_x):
    """x's gradient, made in a new array by the backward of an op that writes into x (the
    gradient with zeros where written): the engine's to add x's later gradients into, in
    place, when the pass is not recorded (see function.fresh_gradient)."""
    return grad_x if records_backward() else fresh_gradient(grad_x)


def _coordinates(index, dim):
    """The coordinates ``c`` with ``c[dim] = index`` and ``c[d]`` = position along d
    otherwise, so that ``a[c]`` is ``gather`` and ``a[c] = v`` is ``scatter``."""
    return tuple(
        index if axis == dim else np.arange(size).reshape((-1,) + (1,) * (index.ndim - axis - 1))
        for axis, size in enumerate(index.shape)
    )


def _leading(array, shape):
    """array[:shape[0], :shape[1], ...] (a view)."""
    return array[tuple(slice(0, size) for size in shape)]


def _as_1d(array):
    return array.reshape(1) if array.ndim == 0 else array


def _gather_src_grad(ctx, grad_output):
    """dsrc = gather(g, dim, index), zero-padded to src's shape where src is larger."""
    grad = Gather.apply(grad_output, dim=ctx.dim, index=ctx.index)
    if grad.shape == ctx.src_shape:
        return grad
    leading = Index((*(slice(0, size) for size in grad.shape), Ellipsis), None, False)
    return GetItemBackward.apply(grad, shape=ctx.src_shape, index=leading)


@register
class Gather(Function):
    """out[i][j] = x[index[i][j]][j] (dim 0; likewise for any dim);
    dx = scatter_add(zeros, dim, index, g)"""

    @staticmethod
    def forward(ctx, x, *, dim, index):
        ctx.input_shape = x.data.shape
        ctx.dim = dim
        ctx.index = index
        out = _as_1d(x.data)[_coordinates(_as_1d(index), dim)]
        return out.reshape(index.shape)

    @staticmethod
    def backward(ctx, grad_output):
        zeros = Tensor._make(np.zeros(ctx.input_shape, grad_output.dtype))
        return ScatterAdd.apply(zeros, grad_output, dim=ctx.dim, index=ctx.index)


@register
class ScatterAdd(Function):
    """out = x, then out[index[i][j]][j] += src[i][j] (dim 0);
    dx = g, dsrc = gather(g, dim, index)"""

    @staticmethod
    def forward(ctx, x, src, *, dim, index):
        ctx.dim = dim
        ctx.index = index
        ctx.src_shape = src.data.shape
        out = x.data.copy()
        values = _leading(_as_1d(_cast(src, out.dtype, "scatter_add")), _as_1d(index).shape)
        np.add.at(_as_1d(out), _coordinates(_as_1d(index), dim), values)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        needs_x, needs_src = ctx.needs_input_grad
        grad_src = _gather_src_grad(ctx, grad_output) if needs_src else None
        return (grad_output if needs_x else None), grad_src


@register
class Scatter(Function):
    """out = x, then out[index[i][j]][j] = src[i][j] (dim 0; src a tensor or a number);
    dx = g with zeros where written, dsrc = gather(g, dim, index). With reduce ('add' or
    'multiply') the elements are combined instead, and there is no gradient (as in PyTorch)."""

    @staticmethod
    def forward(ctx, x, src, *, dim, index, reduce=None):
        ctx.dim = dim
        ctx.index = index
        ctx.reduce = reduce
        ctx.src_shape = shape_of(src)
        out = x.data.copy()
        coordinates = _coordinates(_as_1d(index), dim)
        values = _cast(src, out.dtype, "scatter")
        if values.ndim:
            values = _leading(values, _as_1d(index).shape)
        if reduce is None:
            _as_1d(out)[coordinates] = values
        else:
            ufunc = np.add if reduce == "add" else np.multiply
            ufunc.at(_as_1d(out), coordinates, values)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        if ctx.reduce is not None:
            raise RuntimeError("derivative for aten::scatter is not implemented (with reduce)")
        needs_x, needs_src = ctx.needs_input_grad
        grad_x = None
        if needs_x:
            grad_x = _fresh(Scatter.apply(grad_output, 0, dim=ctx.dim, index=ctx.index))
        grad_src = _gather_src_grad(ctx, grad_output) if needs_src else None
        return grad_x, grad_src


@register
class MaskedFill(Function):
    """out = where(mask, value, x) (x's dtype, broadcast); dx = g with zeros where mask,
    dvalue = sum of g where mask"""

    @staticmethod
    def forward(ctx, x, value, *, mask):
        ctx.mask = mask
        return np.where(mask, _cast(value, x.data.dtype, "masked_fill"), x.data)

    @staticmethod
    def backward(ctx, grad_output):
        needs_x, needs_value = ctx.needs_input_grad
        grad_x = _fresh(MaskedFill.apply(grad_output, 0, mask=ctx.mask)) if needs_x else None
        grad_value = None
        if needs_value:
            grad_value = MaskedFill.apply(grad_output, 0, mask=~ctx.mask).sum()
        return grad_x, grad_value


def getitem(input, index):  # noqa: A002 - PyTorch's parameter name
    """``input[index]``: ints, slices (negative steps too), None, Ellipsis, integer lists,
    arrays and tensors, bool masks, in any combination.

    >>> ag.arange(6).reshape(2, 3)[:, [2, 0]]
    tensor([[2, 0],
            [5, 3]])
    """
    return GetItem.apply(input, index=parse_index(index, input.data.shape))


def index_put(input, indices, values, accumulate=False):  # noqa: A002
    """A copy of ``input`` with ``out[indices] = values`` (``values`` broadcast and cast to
    input's dtype), or ``+=`` with ``accumulate`` (repeated indices add up). ``x[i] = v``
    is this op written into ``x``."""
    index = parse_index(indices, input.data.shape)
    return IndexPut.apply(input, values, index=index, accumulate=accumulate)


def _index_tensor(op, index, dtype_message=None):
    as_tensor_arg(index, "index", op)
    if index.data.dtype not in (dtypes.int32, dtypes.int64):
        raise RuntimeError(
            dtype_message or f"{op}(): Expected dtype int32/int64 for index (got {index.dtype})"
        )
    return index.data


def _check_scatter_args(op, input, dim, index, src=None):  # noqa: A002
    """(dim, index array) after PyTorch's checks of ndim, sizes and index values."""
    as_tensor_arg(input, "input", op)
    dim = normalize_dim(dim, input.ndim, op)
    array = _index_tensor(op, index)
    shape, index_shape = _as_1d(input.data).shape, _as_1d(array).shape
    src_shape = None if src is None else _as_1d(src.data).shape
    if len(index_shape) != len(shape) or (src_shape and len(src_shape) != len(shape)):
        raise RuntimeError(
            f"{op}(): Index tensor must have the same number of dimensions as input tensor "
            f"(index {list(array.shape)}, input {list(input.shape)})"
        )
    too_big = any(size > shape[axis] for axis, size in enumerate(index_shape) if axis != dim)
    if src_shape and any(size > src_shape[axis] for axis, size in enumerate(index_shape)):
        too_big = True
    if too_big:
        message = f"{op}(): Expected index {list(array.shape)} to be no larger than self "
        message += f"{list(input.shape)} apart from dimension {dim}"
        if src_shape:
            message += f" and to be no larger size than src {list(src.shape)}"
        raise RuntimeError(message)
    if array.size and (array.min() < 0 or array.max() >= shape[dim]):
        bad = array.min() if array.min() < 0 else array.max()
        raise RuntimeError(
            f"{op}(): index {bad} is out of bounds for dimension {dim} with size {shape[dim]}"
        )
    return dim, array


def gather(input, dim, index):  # noqa: A002
    """out[i][j][k] = input[index[i][j][k]][j][k] for dim 0 (likewise for dims 1, 2);
    ``index`` has input's ndim and is no larger than input apart from ``dim``."""
    dim, array = _check_scatter_args("gather", input, dim, index)
    return Gather.apply(input, dim=dim, index=array)


def scatter(input, dim, index, src=None, value=None, reduce=None):  # noqa: A002
    """A copy of input with out[index[i][j]][j] = src[i][j] (dim 0); ``src`` may be a tensor
    or a number (``value``); ``reduce='add'|'multiply'`` combines instead of overwriting."""
    if (src is None) == (value is None):
        raise TypeError("scatter(): give exactly one of src (a Tensor or a number) and value")
    if src is None:
        src = value
    if isinstance(src, Tensor) and src.dtype != input.dtype:
        raise RuntimeError(
            f"scatter(): Expected self.dtype to be equal to src.dtype ({input.dtype} vs "
            f"{src.dtype})"
        )
    if reduce not in (None, "add", "multiply"):
        raise RuntimeError(
            f"scatter(): reduce argument must be either add or multiply, not {reduce!r}"
        )
    dim, array = _check_scatter_args(
        "scatter", input, dim, index, src if isinstance(src, Tensor) else None
    )
    return Scatter.apply(input, src, dim=dim, index=array, reduce=reduce)


def scatter_add(input, dim, index, src):  # noqa: A002
    """A copy of input with out[index[i][j]][j] += src[i][j] (dim 0), repeated indices
    adding up."""
    as_tensor_arg(src, "src", "scatter_add")
    dim, array = _check_scatter_args("scatter_add", input, dim, index, src)
    return ScatterAdd.apply(input, src, dim=dim, index=array)


def index_select(input, dim, index):  # noqa: A002
    """The entries of ``input`` at positions ``index`` (1-D) along ``dim``."""
    as_tensor_arg(input, "input", "index_select")
    array = _index_tensor(
        "index_select", index, "index_select(): Expected dtype int32 or int64 for index"
    )
    if array.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    dim = normalize_dim(dim, input.ndim, "index_select")
    if input.ndim == 0:
        return index_select(input.reshape((1,)), 0, index).reshape(())
    array = _as_1d(array)
    size = input.shape[dim]
    if array.size and (array.min() < 0 or array.max() >= size):
        raise IndexError(f"index_select(): index out of range in self (dim {dim} has size {size})")
    index = Index((Ellipsis,), (_FULL,) * dim + (array,), repeats=True)
    return GetItem.apply(input, index=index)


def masked_fill(input, mask, value):  # noqa: A002
    """``value`` where ``mask`` is True, ``input`` elsewhere (mask broadcasts; value is a
    number or a 0-d tensor, which gets a gradient)."""
    as_tensor_arg(input, "input", "masked_fill")
    as_tensor_arg(mask, "mask", "masked_fill")
    if mask.dtype != dtypes.bool_:
        raise RuntimeError(
            f"masked_fill_ only supports boolean masks, but got mask with dtype {mask.dtype}"
        )
    if isinstance(value, Tensor) and value.ndim:
        raise RuntimeError(
            "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
            f"{value.ndim} dimension(s)."
        )
    _broadcast_shape("masked_fill", input.shape, mask.shape)
    return MaskedFill.apply(input, value, mask=mask.data)


def _broadcast_shape(op, shape_a, shape_b, skip=None):
    """The broadcast of two shapes (ignoring dim ``skip``), or PyTorch's RuntimeError."""
    ndim = builtins.max(len(shape_a), len(shape_b))
    padded_a = (1,) * (ndim - len(shape_a)) + tuple(shape_a)
    padded_b = (1,) * (ndim - len(shape_b)) + tuple(shape_b)
    result = []
    for axis, (size_a, size_b) in enumerate(zip(padded_a, padded_b)):
        if axis != skip and size_a != size_b and 1 not in (size_a, size_b):
            raise RuntimeError(
                f"{op}: The size of tensor a ({size_a}) must match the size of tensor b "
                f"({size_b}) at non-singleton dimension {axis}"
            )
        result.append(builtins.max(size_a, size_b))
    return result


def take_along_dim(input, indices, dim=None):  # noqa: A002
    """``gather`` with input and indices broadcast against each other apart from ``dim``;
    with ``dim=None`` both are flattened first."""
    as_tensor_arg(input, "input", "take_along_dim")
    array = _index_tensor("take_along_dim", indices)
    if dim is None:
        flat = indices if indices.ndim == 1 else Tensor._make(array.reshape(-1))
        return gather(input.reshape((-1,)), 0, flat)
    if input.ndim != array.ndim:
        raise RuntimeError(
            "torch.take_along_dim(): input and indices should have the same number of "
            f"dimensions, but got {input.ndim} dimensions for input, and {array.ndim} "
            "dimensions for indices"
        )
    dim = normalize_dim(dim, input.ndim, "take_along_dim")
    shape = _broadcast_shape("take_along_dim", input.shape, array.shape, skip=dim)
    input_shape = tuple(shape[:dim]) + input.shape[dim : dim + 1] + tuple(shape[dim + 1 :])
    index_shape = tuple(shape[:dim]) + array.shape[dim : dim + 1] + tuple(shape[dim + 1 :])
    if input.shape != input_shape:
        input = input.expand(input_shape)  # noqa: A001
    return gather(input, dim, Tensor._make(np.broadcast_to(array, index_shape)))


def one_hot(tensor, num_classes=-1):
    """int64 tensor of shape ``tensor.shape + (num_classes,)`` with a 1 at each class index
    (``num_classes=-1``: one more than the largest class). No gradient.

    >>> F.one_hot(ag.tensor([0, 2]))
    tensor([[1, 0, 0],
            [0, 0, 1]])
    """
    as_tensor_arg(tensor, "tensor", "one_hot")
    if tensor.dtype != dtypes.int64:
        raise RuntimeError(
            f"one_hot is only applicable to index tensor of type LongTensor (got {tensor.dtype})."
        )
    data = tensor.data
    if num_classes == -1:
        if data.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = builtins.int(data.max()) + 1
    if data.size and data.min() < 0:
        raise RuntimeError("one_hot: Class values must be non-negative.")
    if data.size and data.max() >= num_classes:
        raise RuntimeError(
            f"one_hot: Class values must be smaller than num_classes ({num_classes})."
        )
    return Tensor._make((data[..., None] == np.arange(num_classes)).astype(np.int64))
