"""Tensor methods that write into the tensor itself (``exp_``, ``add_``, ``uniform_`` ...;
one line each, the maths is in autograd/ops and the write in ``ops/inplace.py``).
"""

_ops = None  # autograd.ops, set by tensor.py as in tensor_methods.py


class InplaceMethods:
    """Mixin of Tensor: the in-place forms of the elementwise, compound and random ops."""

    __slots__ = ()

    # ---- elementwise ops in place ---------------------------------------------------------

    def exp_(self):
        return _ops.inplace(self, _ops.exp)

    def log_(self):
        return _ops.inplace(self, _ops.log)

    def sqrt_(self):
        return _ops.inplace(self, _ops.sqrt)

    def tanh_(self):
        return _ops.inplace(self, _ops.tanh)

    def sigmoid_(self):
        return _ops.inplace(self, _ops.sigmoid)

    def abs_(self):
        return _ops.inplace(self, _ops.abs)

    def neg_(self):
        return _ops.inplace(self, _ops.neg)

    def square_(self):
        return _ops.inplace(self, _ops.square)

    def clamp_min(self, min):  # noqa: A002 - PyTorch's parameter name
        return _ops.clamp(self, min, None)

    def clamp_max(self, max):  # noqa: A002
        return _ops.clamp(self, None, max)

    def sin_(self):
        return _ops.inplace(self, _ops.sin)

    def cos_(self):
        return _ops.inplace(self, _ops.cos)

    def tan_(self):
        return _ops.inplace(self, _ops.tan)

    def sinh_(self):
        return _ops.inplace(self, _ops.sinh)

    def cosh_(self):
        return _ops.inplace(self, _ops.cosh)

    def asin_(self):
        return _ops.inplace(self, _ops.asin)

    def acos_(self):
        return _ops.inplace(self, _ops.acos)

    def atan_(self):
        return _ops.inplace(self, _ops.atan)

    def log1p_(self):
        return _ops.inplace(self, _ops.log1p)

    def expm1_(self):
        return _ops.inplace(self, _ops.expm1)

    def log2_(self):
        return _ops.inplace(self, _ops.log2)

    def log10_(self):
        return _ops.inplace(self, _ops.log10)

    def rsqrt_(self):
        return _ops.inplace(self, _ops.rsqrt)

    def reciprocal_(self):
        return _ops.inplace(self, _ops.reciprocal)

    def erf_(self):
        return _ops.inplace(self, _ops.erf)

    def floor_(self):
        return _ops.inplace(self, _ops.floor)

    def ceil_(self):
        return _ops.inplace(self, _ops.ceil)

    def trunc_(self):
        return _ops.inplace(self, _ops.trunc)

    def frac_(self):
        return _ops.inplace(self, _ops.frac)

    def sign_(self):
        return _ops.inplace(self, _ops.sign)

    def sgn_(self):
        return _ops.inplace(self, _ops.sgn)

    def atan2_(self, other):
        return _ops.inplace(self, _ops.atan2, other)

    def hypot_(self, other):
        return _ops.inplace(self, _ops.hypot, other)

    def remainder_(self, other):
        return _ops.inplace(self, _ops.remainder, other)

    def fmod_(self, other):
        return _ops.inplace(self, _ops.fmod, other)

    def floor_divide_(self, other):
        return _ops.inplace(self, _ops.floor_divide, other)

    arcsin_, arccos_, arctan_, arctan2_ = asin_, acos_, atan_, atan2_

    def round_(self, *, decimals=0):
        return _ops.inplace(self, _ops.round, decimals=decimals)

    def nan_to_num_(self, nan=0.0, posinf=None, neginf=None):
        return _ops.inplace(self, _ops.nan_to_num, nan, posinf, neginf)

    def clamp_min_(self, min):  # noqa: A002 - PyTorch's parameter name
        return _ops.inplace(self, _ops.clamp, min, None)

    def clamp_max_(self, max):  # noqa: A002
        return _ops.inplace(self, _ops.clamp, None, max)

    def true_divide_(self, other):
        return _ops.inplace(self, _ops.div, other)

    def negative_(self):
        return _ops.inplace(self, _ops.neg)

    def cumsum_(self, dim):
        return _ops.inplace(self, _ops.cumsum, dim)

    def cumprod_(self, dim):
        return _ops.inplace(self, _ops.cumprod, dim)

    def addmm_(self, mat1, mat2, *, beta=1, alpha=1):
        return _ops.inplace(self, _ops.addmm, mat1, mat2, beta=beta, alpha=alpha)

    # comparisons write 1 and 0 in the tensor's dtype, with a zero gradient (as PyTorch)
    def eq_(self, other):
        return _ops.inplace(self, _ops.compared, _ops.eq, other)

    def ne_(self, other):
        return _ops.inplace(self, _ops.compared, _ops.ne, other)

    def lt_(self, other):
        return _ops.inplace(self, _ops.compared, _ops.lt, other)

    def le_(self, other):
        return _ops.inplace(self, _ops.compared, _ops.le, other)

    def gt_(self, other):
        return _ops.inplace(self, _ops.compared, _ops.gt, other)

    def ge_(self, other):
        return _ops.inplace(self, _ops.compared, _ops.ge, other)

    # PyTorch records no in-place logical op: the graph stays the old value's
    def logical_and_(self, other):
        return _ops.unrecorded(self, _ops.logical_and, other)

    def logical_or_(self, other):
        return _ops.unrecorded(self, _ops.logical_or, other)

    def logical_xor_(self, other):
        return _ops.unrecorded(self, _ops.logical_xor, other)

    def logical_not_(self):
        return _ops.unrecorded(self, _ops.logical_not)

    def bitwise_and_(self, other):
        return _ops.inplace(self, _ops.bitwise_and, other)

    def bitwise_or_(self, other):
        return _ops.inplace(self, _ops.bitwise_or, other)

    def bitwise_xor_(self, other):
        return _ops.inplace(self, _ops.bitwise_xor, other)

    def bitwise_not_(self):
        return _ops.inplace(self, _ops.bitwise_not)

    def lgamma_(self):
        return _ops.inplace(self, _ops.lgamma)

    def digamma_(self):
        return _ops.inplace(self, _ops.digamma)

    def polygamma_(self, n):
        return _ops.inplace(self, _ops.polygamma_of, n)

    def erfc_(self):
        return _ops.inplace(self, _ops.erfc)

    def erfinv_(self):
        return _ops.inplace(self, _ops.erfinv)

    def logit_(self, eps=None):
        return _ops.inplace(self, _ops.logit, eps)

    def xlogy_(self, other):
        return _ops.inplace(self, _ops.xlogy, other)

    def sinc_(self):
        return _ops.inplace(self, _ops.sinc)

    def i0_(self):
        return _ops.inplace(self, _ops.i0)

    def igamma_(self, other):
        return _ops.inplace(self, _ops.igamma, other)

    def igammac_(self, other):
        return _ops.inplace(self, _ops.igammac, other)

    def mvlgamma_(self, p):
        return _ops.inplace(self, _ops.mvlgamma, p)

    # ---- random values in place (PyTorch names uniform_'s bounds ``from`` and ``to``) -----

    def uniform_(self, a=0.0, b=1.0, *, generator=None):
        return _ops.inplace(self, _ops.uniform, a, b, generator)

    def normal_(self, mean=0.0, std=1.0, *, generator=None):
        return _ops.inplace(self, _ops.normal, mean, std, generator)

    def bernoulli_(self, p=0.5, *, generator=None):
        return _ops.inplace(self, _ops.bernoulli, p, generator)

    def exponential_(self, lambd=1.0, *, generator=None):
        return _ops.inplace(self, _ops.exponential, lambd, generator)

    def random_(self, *bounds, to=None, generator=None):  # random_(to), random_(from, to)
        bounds = bounds if to is None else (*bounds, to)
        return _ops.inplace(self, _ops.random, bounds, generator)

    # ---- compound ops in place ------------------------------------------------------------

    def addcmul_(self, tensor1, tensor2, *, value=1):  # (value folded into tensor2)
        return _ops.inplace(self, _ops.addcmul, tensor1, _ops.mul(tensor2, value))

    def addcdiv_(self, tensor1, tensor2, *, value=1):  # (value folded into tensor1)
        return _ops.inplace(self, _ops.addcdiv, _ops.mul(tensor1, value), tensor2)

    def lerp_(self, end, weight):
        return _ops.inplace(self, _ops.lerp, end, weight)
