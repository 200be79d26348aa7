"""Tensor: a NumPy array plus what autograd needs (requires_grad, grad, grad_fn, version).

This file stays thin: storage, metadata, gradient fields and operators that forward to
the ops in ``autograd/ops``. The maths of every op lives there, next to its gradient.
"""

import numbers
import weakref

import numpy as np

# NumPy's module defines __getattr__, so CPython cannot cache a lookup of ``np.ndarray``
# (or of any ``np.`` name) where it runs: the hot paths use names imported from numpy.
from numpy import asarray, ndarray

from . import dtypes
from .tensor_inplace_methods import InplaceMethods
from .tensor_methods import TensorMethods
from .tensor_shape_methods import ShapeMethods


class Tensor(TensorMethods, ShapeMethods, InplaceMethods):
    """An n-dimensional array that records the ops applied to it when it requires grad.

    >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad
    tensor([2., 4.])
    """

    # Fields every tensor has; instances store only what differs from these defaults, so
    # creating a tensor (the ops' hottest path) sets one or two attributes.
    grad = None
    grad_fn = None
    name = None
    _requires_grad = False
    _output_nr = 0
    _version = None  # a shared one-element list, made on the first save or in-place write
    _hooks = None
    _post_accumulate_hooks = None
    _retains_grad = False
    # A view made while its op was not recorded: (base, its parsed index for an indexing
    # view, or None); a recorded write through it is then recorded in the base too.
    _view_of = None
    _views = None  # weak references to the views taken of it that way in grad mode
    _owned_sum = False  # the engine's: a gradient sum it may still add into in place

    __array_ufunc__ = None  # ndarray (op) Tensor defers to Tensor's reflected operators
    __hash__ = object.__hash__

    def __init__(self, data, requires_grad=False, dtype=None):
        array = data.data if isinstance(data, Tensor) else data
        self.data = np.asarray(array, dtype=dtypes.to_dtype(dtype))
        if requires_grad:
            self.requires_grad = True

    @staticmethod  # (a classmethod call costs 15 ns more, once for every op)
    def _make(array):
        """Wrap an ndarray without copies (the ops' fast path). NumPy ufuncs turn 0-d arrays
        into NumPy scalars; those are made 0-d arrays again here, once for every op."""
        tensor = _new(Tensor)
        tensor.data = array if type(array) is ndarray else asarray(array)
        return tensor

    @classmethod
    def _alias(cls, tensor):
        """A new Tensor over the same array and version counter, without graph history."""
        alias = _new(cls)
        alias.data = tensor.data
        alias._version = version_counter(tensor)
        return alias

    # ---- metadata ------------------------------------------------------------------------

    @property
    def shape(self):
        return self.data.shape

    @property
    def ndim(self):
        return self.data.ndim

    @property
    def dtype(self):
        return self.data.dtype

    @property
    def is_leaf(self):
        return self.grad_fn is None

    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        value = bool(value)
        if value and self.data.dtype.kind != "f":
            raise RuntimeError(
                "only Tensors of floating point dtype can require gradients "
                f"(this one is {self.data.dtype})"
            )
        if not value and self.grad_fn is not None:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use "
                "a computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach()."
            )
        self._requires_grad = value

    @property
    def T(self):  # noqa: N802 - PyTorch's name
        return self.permute(*range(self.data.ndim - 1, -1, -1))

    @property
    def mT(self):  # noqa: N802 - PyTorch's name
        return self.transpose(-2, -1)

    @property
    def _version_number(self):
        return 0 if self._version is None else self._version[0]

    def size(self, dim=None):
        """The shape, or its length along ``dim``."""
        if dim is None:
            return self.data.shape
        return self.data.shape[_check_dim(dim, self.data.ndim)]

    def dim(self):
        return self.data.ndim

    def numel(self):
        return self.data.size

    def __len__(self):
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.data.shape[0]

    def element_size(self):
        return self.data.itemsize

    def is_floating_point(self):
        return self.data.dtype.kind == "f"

    # ---- conversion ----------------------------------------------------------------------

    def numpy(self):
        """The ndarray (shares memory); refuses, as PyTorch does, when grad is required."""
        if self._requires_grad:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                "instead."
            )
        return self.data

    def __array__(self, dtype=None, copy=None):
        return self.data if dtype is None else self.data.astype(dtype)

    def item(self):
        if self.data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self.data.size} elements cannot be converted to Scalar"
            )
        return self.data.item()

    def tolist(self):
        return self.data.tolist()

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __bool__(self):
        if self.data.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with {self.data.size} values is ambiguous")
        return bool(self.data.item())

    def __index__(self):
        if self.data.dtype.kind not in "iub" or self.data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.data.item())

    def to(self, *args, dtype=None, device=None, **kwargs):
        """Cast to a dtype: ``to(dtype)``, ``to("cpu", dtype)``, ``to(other_tensor)``.
        chainrule runs on the CPU: any other device is refused."""
        for arg in args:
            if isinstance(arg, Tensor):
                dtype = arg.dtype
            elif isinstance(arg, str) and arg.split(":")[0] in (
                "cpu",
                "cuda",
                "mps",
                "meta",
                "xla",
            ):
                device = arg
            else:
                dtype = arg
        if device is not None and str(device).split(":")[0] != "cpu":
            raise ValueError(f"chainrule runs on the CPU only; cannot move a tensor to {device!r}")
        if dtype is None:
            return self
        return _ops.to_dtype(self, dtypes.to_dtype(dtype))

    def type_as(self, other):
        return self.to(_ops.common.as_tensor_arg(other, "other", "type_as").dtype)

    def float(self):
        return self.to(dtypes.float32)

    def double(self):
        return self.to(dtypes.float64)

    def half(self):
        return self.to(dtypes.float16)

    def long(self):
        return self.to(dtypes.int64)

    def int(self):
        return self.to(dtypes.int32)

    def bool(self):
        return self.to(dtypes.bool_)

    def cpu(self):
        return self

    def contiguous(self):
        return self

    # ---- graph ---------------------------------------------------------------------------

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad``; see ``engine.backward``."""
        from .engine import backward

        backward(
            (self,), None if gradient is None else (gradient,), retain_graph, create_graph, inputs
        )

    def detach(self):
        """A Tensor over the same data with no history (shares the version counter)."""
        return Tensor._alias(self)

    def detach_(self):
        self.grad_fn = None
        self._requires_grad = False
        return self

    def requires_grad_(self, requires_grad=True):
        self.requires_grad = requires_grad
        return self

    def retain_grad(self):
        """Keep ``.grad`` on this non-leaf tensor after backward."""
        if self.grad_fn is None:
            if not self._requires_grad:
                raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
            return
        if self._retains_grad:
            return
        self._retains_grad = True
        node = self.grad_fn
        if node._retained is None:
            node._retained = {}
        node._retained[self._output_nr] = weakref.ref(self)

    @property
    def retains_grad(self):
        return self._retains_grad

    def register_hook(self, hook):
        """Call ``hook(grad)`` when this tensor's gradient is computed; a returned Tensor
        replaces the gradient. Returns a handle with ``remove()``."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        hooks = _node_hooks(self) if self.grad_fn is not None else self._leaf_hooks()
        hooks.append(hook)
        return _HookHandle(hooks, hook)

    def register_post_accumulate_grad_hook(self, hook):
        """Call ``hook(self)`` on a leaf once a backward pass has accumulated its whole
        gradient into ``.grad`` (all its uses summed): as soon as the walk is done with the
        leaf, not at the end of the pass, so that work on finished gradients (data-parallel
        reduction, an optimizer step per parameter) can start while backward goes on.
        Returns a handle with ``remove()``."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            raise RuntimeError(
                "post accumulate grad hooks cannot be registered on non-leaf tensors"
            )
        if self._post_accumulate_hooks is None:
            self._post_accumulate_hooks = []
            key = id(self)
            POST_ACCUMULATE_HOOKED[key] = weakref.ref(
                self, lambda _, key=key: POST_ACCUMULATE_HOOKED.pop(key, None)
            )
        self._post_accumulate_hooks.append(hook)
        return _HookHandle(self._post_accumulate_hooks, hook)

    def _leaf_hooks(self):
        if self._hooks is None:
            self._hooks = []
        return self._hooks

    def clone(self):
        return _ops.clone(self)

    # ---- in-place ------------------------------------------------------------------------

    def zero_(self):
        return self.fill_(0)

    def fill_(self, value):
        _check_source(value, "fill_")
        if isinstance(value, Tensor) and value.ndim:
            raise RuntimeError(
                "fill_ only supports 0-dimension value tensor but got tensor with "
                f"{value.ndim} dimensions."
            )
        # PyTorch refuses a number out of the dtype's range here (t[...] = v makes it inf)
        _ops.common.checked_number(value, self.data.dtype, "fill_")
        return _ops.inplace(self, _ops.fill, value)

    def copy_(self, source):
        _check_source(source, "copy_")
        return _ops.inplace(self, _ops.index_put, Ellipsis, source)

    def add_(self, other, alpha=1):
        return _ops.inplace(self, _ops.add, other if alpha == 1 else _ops.mul(other, alpha))

    def sub_(self, other, alpha=1):
        return _ops.inplace(self, _ops.sub, other if alpha == 1 else _ops.mul(other, alpha))

    def mul_(self, other):
        return _ops.inplace(self, _ops.mul, other)

    def div_(self, other):
        return _ops.inplace(self, _ops.div, other)

    def pow_(self, exponent):
        return _ops.inplace(self, _ops.pow, exponent)

    def clamp_(self, min=None, max=None):  # noqa: A002 - PyTorch's parameter names
        return _ops.inplace(self, _ops.clamp, min, max)

    clip_ = clamp_

    def relu_(self):
        return _ops.inplace(self, _ops.relu)

    def masked_fill_(self, mask, value):
        return _ops.inplace(self, _ops.masked_fill, mask, value)

    def __iadd__(self, other):
        return self.add_(other)

    def __isub__(self, other):
        return self.sub_(other)

    def __imul__(self, other):
        return self.mul_(other)

    def __itruediv__(self, other):
        return self.div_(other)

    def __setitem__(self, index, value):
        _ops.setitem(self, index, value)

    # ---- operators -----------------------------------------------------------------------

    def __add__(self, other):
        return _add(self, other)

    def __radd__(self, other):
        return _add(other, self)

    def __sub__(self, other):
        return _sub(self, other)

    def __rsub__(self, other):
        return _sub(other, self)

    def __mul__(self, other):
        return _mul(self, other)

    def __rmul__(self, other):
        return _mul(other, self)

    def __truediv__(self, other):
        return _div(self, other)

    def __rtruediv__(self, other):
        return _div(other, self)

    def __floordiv__(self, other):
        return _ops.floor_divide(self, other)

    def __rfloordiv__(self, other):
        return _ops.floor_divide(other, self)

    def __mod__(self, other):
        return _ops.remainder(self, other)

    def __rmod__(self, other):
        return _ops.remainder(other, self)

    def __pow__(self, exponent):
        return _ops.pow(self, exponent)

    def __rpow__(self, base):
        return _ops.pow(base, self)

    def __matmul__(self, other):
        return _ops.matmul(self, other)

    def __rmatmul__(self, other):
        return _ops.matmul(other, self)

    def __neg__(self):
        return _ops.neg(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return _ops.abs(self)

    def __eq__(self, other):
        if not isinstance(other, _COMPARABLE):
            return NotImplemented  # t == None is False, as in PyTorch (and `t in [None]`)
        return _ops.eq(self, other)

    def __ne__(self, other):
        if not isinstance(other, _COMPARABLE):
            return NotImplemented
        return _ops.ne(self, other)

    def __lt__(self, other):
        return _ops.lt(self, other)

    def __le__(self, other):
        return _ops.le(self, other)

    def __gt__(self, other):
        return _ops.gt(self, other)

    def __ge__(self, other):
        return _ops.ge(self, other)

    def __and__(self, other):
        return _ops.bitwise_and(self, other)

    def __rand__(self, other):
        return _ops.bitwise_and(other, self)

    def __or__(self, other):
        return _ops.bitwise_or(self, other)

    def __ror__(self, other):
        return _ops.bitwise_or(other, self)

    def __xor__(self, other):
        return _ops.bitwise_xor(self, other)

    def __rxor__(self, other):
        return _ops.bitwise_xor(other, self)

    def __invert__(self):
        return _ops.bitwise_not(self)

    def __getitem__(self, index):
        return _ops.getitem(self, index)

    def __iter__(self):
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    # ---- representation ------------------------------------------------------------------

    def __repr__(self):
        body = np.array2string(self.data, separator=", ", prefix="tensor(")
        extras = []
        if self.data.dtype not in (dtypes.get_default_dtype(), dtypes.int64, dtypes.bool_):
            extras.append(f"dtype={self.data.dtype}")
        if self.grad_fn is not None:
            extras.append(f"grad_fn={self.grad_fn}")
        elif self._requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + ", ".join([body, *extras]) + ")"

    def __format__(self, spec):
        if self.data.ndim == 0:
            return format(self.data.item(), spec)
        return format(repr(self), spec)


class _HookHandle:
    """Returned by register_hook; ``remove()`` unregisters the hook."""

    def __init__(self, hooks, hook):
        self._hooks = hooks
        self._hook = hook

    def remove(self):
        for index, hook in enumerate(self._hooks):
            if hook is self._hook:
                del self._hooks[index]
                return


def _node_hooks(tensor):
    """The hook list kept on a non-leaf tensor's node, for that tensor's output slot."""
    node = tensor.grad_fn
    if node._tensor_hooks is None:
        node._tensor_hooks = {}
    return node._tensor_hooks.setdefault(tensor._output_nr, [])


_new = object.__new__


_COMPARABLE = (Tensor, numbers.Number, np.ndarray)  # what == compares elementwise


def _check_source(value, op):
    """fill_ and copy_ take a Tensor or a number, as PyTorch (None would write NaN)."""
    if not isinstance(value, (Tensor, numbers.Number)):
        raise TypeError(f"{op}(): expected a Tensor or a number, got {type(value).__name__}")


def share_instance_keys(cls, names):
    """Name the attributes ``cls``'s instances set, once, on a throwaway instance.

    CPython (3.11 on) keeps the attribute names of a class's instances in one table that
    they share, and stops adding names to it after the first few dozen instances: an
    instance that sets a name the table lacks then gets a dict of its own, an extra object
    for the cyclic garbage collector and slower attribute access. Tensors and graph nodes
    are made by the hundred thousand and set a field only when it differs from the class
    default (``grad_fn`` on op outputs, ``_saved`` on some nodes), so without this the
    first few dozen instances decide which later ones get a dict.
    """
    probe = _new(cls)
    for name in names:
        setattr(probe, name, None)


share_instance_keys(
    Tensor,
    "data grad_fn _requires_grad _output_nr _version grad _owned_sum _retains_grad _hooks "
    "_post_accumulate_hooks _view_of _views name".split(),
)

# The live leaves with post-accumulate hooks (id -> weak reference): while there are any,
# backward counts each hooked leaf's uses in the graph so it can finish its gradient early.
POST_ACCUMULATE_HOOKED = {}


def version_counter(tensor):
    """The tensor's version counter (a one-element list shared by aliases), made on demand."""
    counter = tensor._version
    if counter is None:
        counter = tensor._version = [0]
        node = tensor.grad_fn
        if node is not None and node._saved is not None:
            node._output_counted(tensor)  # it may keep tensor as a bare array: see there
    return counter


def _check_dim(dim, ndim):
    """Normalise a possibly negative dimension, with PyTorch's IndexError when out of range."""
    low, high = (-ndim, ndim - 1) if ndim else (-1, 0)
    if not low <= dim <= high:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})"
        )
    return dim % ndim if ndim else 0


from . import ops as _ops  # noqa: E402 - ops import Tensor; the cycle is broken here
from . import tensor_inplace_methods, tensor_methods, tensor_shape_methods  # noqa: E402

tensor_methods._ops = tensor_shape_methods._ops = tensor_inplace_methods._ops = _ops
from . import factories  # noqa: E402 - (imports Tensor too)

tensor_methods._factories = factories
from .ops.arithmetic import Add, Div, Mul, Sub  # noqa: E402 - the hottest operators, direct

_add, _sub, _mul, _div = Add.apply, Sub.apply, Mul.apply, Div.apply  # bound once, not per call
