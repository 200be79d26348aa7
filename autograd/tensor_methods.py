"""Tensor methods that forward to the ops (one line each; the maths is in autograd/ops).

``Tensor`` inherits these, so ``x.exp()`` is ``autograd.ops.exp(x)``: the method list of
PyTorch's Tensor, kept apart from the storage and graph fields in ``tensor.py``.
"""

# autograd.ops, set by tensor.py once Tensor exists (the ops import Tensor, so this module
# cannot import them at load time).
_ops = None
_factories = None  # autograd.factories, set likewise


class TensorMethods:
    """Mixin of Tensor: math, reduction, linear-algebra, in-place and new-tensor methods
    (shape and indexing methods are in ``tensor_shape_methods.py``)."""

    __slots__ = ()

    def exp(self):
        return _ops.exp(self)

    def log(self):
        return _ops.log(self)

    def log1p(self):
        return _ops.log1p(self)

    def expm1(self):
        return _ops.expm1(self)

    def sqrt(self):
        return _ops.sqrt(self)

    def rsqrt(self):
        return _ops.rsqrt(self)

    def sin(self):
        return _ops.sin(self)

    def cos(self):
        return _ops.cos(self)

    def tan(self):
        return _ops.tan(self)

    def tanh(self):
        return _ops.tanh(self)

    def sigmoid(self):
        return _ops.sigmoid(self)

    def relu(self):
        return _ops.relu(self)

    def sign(self):
        return _ops.sign(self)

    def floor(self):
        return _ops.floor(self)

    def ceil(self):
        return _ops.ceil(self)

    def round(self, *, decimals=0):
        return _ops.round(self, decimals=decimals)

    def clamp(self, min=None, max=None):  # noqa: A002 - PyTorch's parameter names
        return _ops.clamp(self, min, max)

    clip = clamp

    def abs(self):
        return _ops.abs(self)

    def neg(self):
        return _ops.neg(self)

    def pow(self, exponent):
        return _ops.pow(self, exponent)

    def square(self):
        return _ops.square(self)

    def reciprocal(self):
        return _ops.reciprocal(self)

    def erf(self):
        return _ops.erf(self)

    def maximum(self, other):
        return _ops.maximum(self, other)

    def minimum(self, other):
        return _ops.minimum(self, other)

    def add(self, other, alpha=1):
        return _ops.add(self, other if alpha == 1 else _ops.mul(other, alpha))

    def sub(self, other, alpha=1):
        return _ops.sub(self, other if alpha == 1 else _ops.mul(other, alpha))

    def mul(self, other):
        return _ops.mul(self, other)

    def div(self, other):
        return _ops.div(self, other)

    def eq(self, other):
        return _ops.eq(self, other)

    def ne(self, other):
        return _ops.ne(self, other)

    def lt(self, other):
        return _ops.lt(self, other)

    def le(self, other):
        return _ops.le(self, other)

    def gt(self, other):
        return _ops.gt(self, other)

    def ge(self, other):
        return _ops.ge(self, other)

    def isnan(self):
        return _ops.isnan(self)

    def isinf(self):
        return _ops.isinf(self)

    def isfinite(self):
        return _ops.isfinite(self)

    def logical_not(self):
        return _ops.logical_not(self)

    def where(self, condition, other):
        return _ops.where(condition, self, other)

    def sum(self, dim=None, keepdim=False, dtype=None):
        return _ops.sum(self, dim, keepdim, dtype=dtype)

    def mean(self, dim=None, keepdim=False, dtype=None):
        return _ops.mean(self, dim, keepdim, dtype=dtype)

    # prod, max, min, median, nanmedian: PyTorch's overloads with and without a dim, which
    # refuse an explicit dim=None; the functions tell the two apart, so these pass all on.
    def prod(self, *args, **kwargs):
        return _ops.prod(self, *args, **kwargs)

    def var(self, dim=None, unbiased=None, keepdim=False, correction=None):
        return _ops.var(self, dim, unbiased, keepdim, correction=correction)

    def std(self, dim=None, unbiased=None, keepdim=False, correction=None):
        return _ops.std(self, dim, unbiased, keepdim, correction=correction)

    def max(self, *args, **kwargs):
        return _ops.max(self, *args, **kwargs)

    def min(self, *args, **kwargs):
        return _ops.min(self, *args, **kwargs)

    def median(self, *args, **kwargs):
        return _ops.median(self, *args, **kwargs)

    def nanmedian(self, *args, **kwargs):
        return _ops.nanmedian(self, *args, **kwargs)

    def kthvalue(self, k, dim=-1, keepdim=False):
        return _ops.kthvalue(self, k, dim, keepdim)

    def mode(self, dim=-1, keepdim=False):
        return _ops.mode(self, dim, keepdim)

    def amax(self, dim=(), keepdim=False):
        return _ops.amax(self, dim, keepdim)

    def amin(self, dim=(), keepdim=False):
        return _ops.amin(self, dim, keepdim)

    def argmax(self, dim=None, keepdim=False):
        return _ops.argmax(self, dim, keepdim)

    def argmin(self, dim=None, keepdim=False):
        return _ops.argmin(self, dim, keepdim)

    def logsumexp(self, dim, keepdim=False):
        return _ops.logsumexp(self, dim, keepdim)

    def norm(self, p="fro", dim=None, keepdim=False):
        return _ops.norm(self, p, dim, keepdim)

    def all(self, dim=None, keepdim=False):
        return _ops.all(self, dim, keepdim)

    def any(self, dim=None, keepdim=False):
        return _ops.any(self, dim, keepdim)

    def cumsum(self, dim, *, dtype=None):
        return _ops.cumsum(self, dim, dtype=dtype)

    def cumprod(self, dim, *, dtype=None):
        return _ops.cumprod(self, dim, dtype=dtype)

    def cummax(self, dim):
        return _ops.cummax(self, dim)

    def cummin(self, dim):
        return _ops.cummin(self, dim)

    def logcumsumexp(self, dim):
        return _ops.logcumsumexp(self, dim)

    def softmax(self, dim):
        return _ops.softmax(self, dim)

    def log_softmax(self, dim):
        return _ops.log_softmax(self, dim)

    def matmul(self, other):
        return _ops.matmul(self, other)

    def mm(self, other):
        return _ops.mm(self, other)

    def bmm(self, other):
        return _ops.bmm(self, other)

    def dot(self, other):
        return _ops.dot(self, other)

    def outer(self, other):
        return _ops.outer(self, other)

    def addcmul(self, tensor1, tensor2, *, value=1):
        return _ops.addcmul(self, tensor1, tensor2, value=value)

    def addcdiv(self, tensor1, tensor2, *, value=1):
        return _ops.addcdiv(self, tensor1, tensor2, value=value)

    def lerp(self, end, weight):
        return _ops.lerp(self, end, weight)

    def addmm(self, mat1, mat2, *, beta=1, alpha=1):
        return _ops.addmm(self, mat1, mat2, beta=beta, alpha=alpha)

    def remainder(self, other):
        return _ops.remainder(self, other)

    def fmod(self, other):
        return _ops.fmod(self, other)

    def floor_divide(self, other):
        return _ops.floor_divide(self, other)

    def true_divide(self, other):
        return _ops.true_divide(self, other)

    def type(self, dtype=None, non_blocking=False, **kwargs):
        return _ops.tensor_type(self, dtype)

    def equal(self, other):
        return _ops.equal(self, other)

    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        return _ops.allclose(self, other, rtol, atol, equal_nan)

    def log2(self):
        return _ops.log2(self)

    def log10(self):
        return _ops.log10(self)

    def sinh(self):
        return _ops.sinh(self)

    def cosh(self):
        return _ops.cosh(self)

    def asin(self):
        return _ops.asin(self)

    def acos(self):
        return _ops.acos(self)

    def atan(self):
        return _ops.atan(self)

    def atan2(self, other):
        return _ops.atan2(self, other)

    def hypot(self, other):
        return _ops.hypot(self, other)

    arcsin, arccos, arctan, arctan2 = asin, acos, atan, atan2

    def lgamma(self):
        return _ops.lgamma(self)

    def digamma(self):
        return _ops.digamma(self)

    def polygamma(self, n):
        return _ops.polygamma(n, self)

    def erfc(self):
        return _ops.erfc(self)

    def erfinv(self):
        return _ops.erfinv(self)

    def logit(self, eps=None):
        return _ops.logit(self, eps)

    def xlogy(self, other):
        return _ops.xlogy(self, other)

    def sinc(self):
        return _ops.sinc(self)

    def i0(self):
        return _ops.i0(self)

    def igamma(self, other):
        return _ops.igamma(self, other)

    def igammac(self, other):
        return _ops.igammac(self, other)

    def mvlgamma(self, p):
        return _ops.mvlgamma(self, p)

    def trunc(self):
        return _ops.trunc(self)

    def frac(self):
        return _ops.frac(self)

    def sgn(self):
        return _ops.sgn(self)

    def nan_to_num(self, nan=0.0, posinf=None, neginf=None):
        return _ops.nan_to_num(self, nan, posinf, neginf)

    def negative(self):
        return _ops.neg(self)

    def logical_and(self, other):
        return _ops.logical_and(self, other)

    def logical_or(self, other):
        return _ops.logical_or(self, other)

    def logical_xor(self, other):
        return _ops.logical_xor(self, other)

    def bitwise_and(self, other):
        return _ops.bitwise_and(self, other)

    def bitwise_or(self, other):
        return _ops.bitwise_or(self, other)

    def bitwise_xor(self, other):
        return _ops.bitwise_xor(self, other)

    def bitwise_not(self):
        return _ops.bitwise_not(self)

    # ---- new tensors of this one's dtype ---------------------------------------------------

    def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
        return _factories.zeros(*size, dtype=self._dtype_or(dtype), requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
        return _factories.ones(*size, dtype=self._dtype_or(dtype), requires_grad=requires_grad)

    def new_empty(self, *size, dtype=None, device=None, requires_grad=False):
        return _factories.empty(*size, dtype=self._dtype_or(dtype), requires_grad=requires_grad)

    def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
        dtype = self._dtype_or(dtype)
        return _factories.full(size, fill_value, dtype=dtype, requires_grad=requires_grad)

    def new_tensor(self, data, dtype=None, device=None, requires_grad=False):
        return _factories.tensor(data, dtype=self._dtype_or(dtype), requires_grad=requires_grad)

    def _dtype_or(self, dtype):
        """``dtype``, or this tensor's when None (the new_* methods' default)."""
        return self.data.dtype if dtype is None else dtype


def shape_args(args):
    """Accept both f(2, 3) and f((2, 3)) as PyTorch does."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    return tuple(args)
