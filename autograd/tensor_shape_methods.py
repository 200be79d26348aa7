"""Tensor methods that reshape, view, join, split and index (one line each; the maths is in
autograd/ops): the second half of PyTorch's Tensor method list, ``tensor_methods.py`` holds
the first (math, reductions, linear algebra, in-place and new-tensor methods).
"""

from .tensor_methods import shape_args

_ops = None  # autograd.ops, set by tensor.py as in tensor_methods.py


class ShapeMethods:
    """Mixin of Tensor: shape, view, indexing, gather/scatter and sorting methods."""

    __slots__ = ()

    def reshape(self, *shape):
        return _ops.reshape(self, shape_args(shape))

    def view(self, *shape):
        return _ops.view(self, shape_args(shape))

    def view_as(self, other):
        return _ops.view(self, _ops.common.as_tensor_arg(other, "other", "view_as").shape)

    def reshape_as(self, other):
        return _ops.reshape(self, _ops.common.as_tensor_arg(other, "other", "reshape_as").shape)

    def flatten(self, start_dim=0, end_dim=-1):
        return _ops.flatten(self, start_dim, end_dim)

    def unflatten(self, dim, sizes):
        return _ops.unflatten(self, dim, sizes)

    def squeeze(self, dim=None):
        return _ops.squeeze(self, dim)

    def unsqueeze(self, dim):
        return _ops.unsqueeze(self, dim)

    def transpose(self, dim0, dim1):
        return _ops.transpose(self, dim0, dim1)

    def permute(self, *dims):
        return _ops.permute(self, shape_args(dims))

    def t(self):
        return _ops.t(self)

    def squeeze_(self, dim=None):
        return _ops.inplace_view(self, _ops.squeeze, dim)

    def unsqueeze_(self, dim):
        return _ops.inplace_view(self, _ops.unsqueeze, dim)

    def transpose_(self, dim0, dim1):
        return _ops.inplace_view(self, _ops.transpose, dim0, dim1)

    swapaxes_ = swapdims_ = transpose_

    def t_(self):
        return _ops.inplace_view(self, _ops.t)

    def unfold(self, dimension, size, step):
        return _ops.unfold(self, dimension, size, step)

    def ravel(self):
        return _ops.reshape(self, (-1,))

    def is_contiguous(self):
        return self.data.flags.c_contiguous

    def swapaxes(self, axis0, axis1):
        return _ops.swapaxes(self, axis0, axis1)

    def swapdims(self, dim0, dim1):
        return _ops.swapaxes(self, dim0, dim1)

    def movedim(self, source, destination):
        return _ops.movedim(self, source, destination)

    def moveaxis(self, source, destination):
        return _ops.movedim(self, source, destination)

    def expand(self, *sizes):
        return _ops.expand(self, shape_args(sizes))

    def expand_as(self, other):
        return _ops.expand(self, _ops.common.as_tensor_arg(other, "other", "expand_as").shape)

    def repeat(self, *sizes):
        return _ops.repeat(self, shape_args(sizes))

    def tile(self, *dims):
        return _ops.tile(self, shape_args(dims))

    def flip(self, *dims):
        return _ops.flip(self, shape_args(dims))

    def roll(self, shifts, dims=None):
        return _ops.roll(self, shifts, dims)

    def split(self, split_size_or_sections, dim=0):
        return _ops.split(self, split_size_or_sections, dim)

    def split_with_sizes(self, split_sizes, dim=0):
        return _ops.split_with_sizes(self, split_sizes, dim)

    def chunk(self, chunks, dim=0):
        return _ops.chunk(self, chunks, dim)

    def unbind(self, dim=0):
        return _ops.unbind(self, dim)

    def narrow(self, dim, start, length):
        return _ops.narrow(self, dim, start, length)

    def tril(self, diagonal=0):
        return _ops.tril(self, diagonal)

    def triu(self, diagonal=0):
        return _ops.triu(self, diagonal)

    def tril_(self, diagonal=0):
        return _ops.inplace(self, _ops.tril, diagonal)

    def triu_(self, diagonal=0):
        return _ops.inplace(self, _ops.triu, diagonal)

    def diag(self, diagonal=0):
        return _ops.diag(self, diagonal)

    def fill_diagonal_(self, fill_value, wrap=False):
        return _ops.inplace(self, _ops.fill_diagonal, fill_value, wrap)

    def diagonal(self, offset=0, dim1=0, dim2=1):
        return _ops.diagonal(self, offset, dim1, dim2)

    def sum_to_size(self, *size):
        return _ops.sum_to_size(self, shape_args(size))

    def gather(self, dim, index):
        return _ops.gather(self, dim, index)

    def scatter(self, dim, index, src=None, value=None, reduce=None):
        return _ops.scatter(self, dim, index, src=src, value=value, reduce=reduce)

    def scatter_add(self, dim, index, src):
        return _ops.scatter_add(self, dim, index, src)

    def index_select(self, dim, index):
        return _ops.index_select(self, dim, index)

    def index_put(self, indices, values, accumulate=False):
        return _ops.index_put(self, indices, values, accumulate)

    def index_put_(self, indices, values, accumulate=False):
        op = _ops.index_put_accumulate if accumulate else _ops.index_put
        return _ops.inplace(self, op, indices, values)

    def scatter_(self, dim, index, src=None, value=None, reduce=None):
        return _ops.inplace(self, _ops.scatter, dim, index, src, value, reduce)

    def scatter_add_(self, dim, index, src):
        return _ops.inplace(self, _ops.scatter_add, dim, index, src)

    def index_add(self, dim, index, source, *, alpha=1):
        return _ops.index_add(self, dim, index, source, alpha=alpha)

    def index_add_(self, dim, index, source, *, alpha=1):  # (alpha folded into source)
        return _ops.inplace(self, _ops.index_add, dim, index, _ops.mul(source, alpha))

    def index_copy(self, dim, index, source):
        return _ops.index_copy(self, dim, index, source)

    def index_copy_(self, dim, index, source):
        return _ops.inplace(self, _ops.index_copy, dim, index, source)

    def index_fill(self, dim, index, value):
        return _ops.index_fill(self, dim, index, value)

    def index_fill_(self, dim, index, value):
        return _ops.inplace(self, _ops.index_fill, dim, index, value)

    def repeat_interleave(self, repeats=None, dim=None, *, output_size=None):
        return _ops.repeat_interleave(self, repeats, dim, output_size=output_size)

    def select(self, dim, index):
        return _ops.select(self, dim, index)

    def masked_select(self, mask):
        return _ops.masked_select(self, mask)

    def nonzero(self, *, as_tuple=False):
        return _ops.nonzero(self, as_tuple=as_tuple)

    def sort(self, dim=-1, descending=False, *, stable=False):
        return _ops.sort(self, dim, descending, stable=stable)

    def argsort(self, dim=-1, descending=False, *, stable=False):
        return _ops.argsort(self, dim, descending, stable=stable)

    def topk(self, k, dim=-1, largest=True, sorted=True):  # noqa: A002 - PyTorch's name
        return _ops.topk(self, k, dim, largest, sorted)

    def msort(self):
        return _ops.msort(self)

    def unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None):  # noqa: A002
        return _ops.unique(self, sorted, return_inverse, return_counts, dim)

    def unique_consecutive(self, return_inverse=False, return_counts=False, dim=None):
        return _ops.unique_consecutive(self, return_inverse, return_counts, dim)

    def masked_fill(self, mask, value):
        return _ops.masked_fill(self, mask, value)

    def masked_scatter(self, mask, source):
        return _ops.masked_scatter(self, mask, source)

    def masked_scatter_(self, mask, source):
        return _ops.inplace(self, _ops.masked_scatter, mask, source)

    def take_along_dim(self, indices, dim=None):
        return _ops.take_along_dim(self, indices, dim)

    def diagonal_scatter(self, src, offset=0, dim1=0, dim2=1):
        return _ops.diagonal_scatter(self, src, offset, dim1, dim2)
