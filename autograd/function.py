"""Function: one differentiable op, its forward and its vector-Jacobian product side by side.

A subclass defines two static methods and is called through ``apply``::

    class Exp(Function):
        '''y = exp(x); dx = g * y'''

        @staticmethod
        def forward(ctx, x):
            out = Tensor(np.exp(x.data))
            ctx.save_for_backward(out)
            return out

        @staticmethod
        def backward(ctx, grad_output):
            (out,) = ctx.saved_tensors
            return grad_output * out

    y = Exp.apply(x)

``forward`` receives the positional arguments as given (Tensors stay Tensors) and returns a
Tensor, an ndarray, or a tuple of them. Keyword arguments are options, never differentiated.
``backward`` receives one gradient per output and returns one gradient (a Tensor or None)
per positional argument of ``forward``. It is written with Tensor ops: the engine runs it
under ``no_grad`` unless ``create_graph=True``, when the same code records a graph of the
backward pass, so gradients of gradients need no second code path.

The object ``apply`` makes is both the ``ctx`` the two methods share and the graph node:
``y.grad_fn`` is it. Broadcast gradients are reduced to each input's shape by the engine,
not by each op.
"""

import functools
import itertools

from numpy import asarray, generic, ndarray  # (see tensor.py: np. names are not cached)

from . import anomaly_mode, grad_mode
from .tensor import Tensor, share_instance_keys

_FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward."
)


class Function:
    """Base class of every op; see the module docstring. Call ops through ``apply``."""

    # Set on the instance by apply; class defaults keep unrecorded ctx objects cheap.
    # What save_for_backward kept: a tuple of Tensors (or None), and beside it, in a tuple of
    # plain ints that the cyclic garbage collector soon stops tracking, each one's
    # (version, output index or -1). Kept apart so a big graph holds fewer tracked objects.
    _saved = None
    _saved_info = None
    _freed = False
    _materialize_grads = True
    _non_differentiable = ()
    _tensor_hooks = None
    _retained = None
    _output_meta = None  # per output: (shape, dtype), what consumers' gradients must have
    _edges = ()  # per forward argument: its producer (node or leaf Tensor) or None
    _edge_nrs = None  # per forward argument: the producer's output index (None: all 0)
    _num_outputs = 1
    _module_path = None  # the nn.Module call that created the node (see grad_mode.state)
    # True for the built-in ops (``@register`` sets it): their forward is NumPy and calls no
    # op on inputs that require grad, so apply need not switch grad mode off around it (two
    # thread-local writes, a tenth of a microsecond per op; tests/test_ops_gradcheck.py
    # checks the claim for every registered op). A custom Function's forward runs under
    # no_grad, as in PyTorch.
    _numpy_forward = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        share_instance_keys(cls, _NODE_FIELDS)
        cls._numpy_forward = False  # not inherited: a subclass's forward may call ops

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("a Function subclass must define a static forward(ctx, *args)")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("a Function subclass must define a static backward(ctx, *grads)")

    # ---- ctx API -------------------------------------------------------------------------

    def save_for_backward(self, *tensors):
        """Keep these Tensors (or None) for backward; in-place changes to them are caught."""
        self._saved = tensors

    @property
    def saved_tensors(self):
        """The tensors given to save_for_backward, checked against their version counters."""
        saved = self._saved
        if saved is None:
            if self._freed:
                raise RuntimeError(_FREED_MESSAGE)
            return ()
        if self._saved_info is None:  # not recorded: forward's own tensors, unchecked
            return tuple(saved)
        return tuple(
            [
                tensor
                if tensor is None
                or (info[1] < 0 and (tensor._version or _NEVER_WRITTEN)[0] == info[0])
                else self._unpack(tensor, info)
                for tensor, info in zip(saved, self._saved_info)
            ]
        )

    def saved_arrays(self):
        """The saved tensors' NumPy arrays (None stays None), checked against their version
        counters like ``saved_tensors`` but without building Tensors: for the backward hot
        paths that compute in NumPy when the pass is not recorded (``records_backward()``)."""
        saved = self._saved
        info = self._saved_info
        if info is _SAVED_FIRST_OUTPUT and type(saved[0]) is ndarray:
            return saved  # save_output's array, never written (else an alias is kept)
        if info is UNWRITTEN_PAIR:  # two inputs (or None) without counters when saved
            a, b = saved
            if (a is None or a._version is None) and (b is None or b._version is None):
                return (None if a is None else a.data), (None if b is None else b.data)
        if saved is None or info is None:
            return [None if tensor is None else tensor.data for tensor in self.saved_tensors]
        arrays = []
        for tensor, entry in zip(saved, info):
            if tensor is None or type(tensor) is ndarray:  # an output never written
                arrays.append(tensor)
            else:  # a tensor without a counter was never written: still at version 0
                version = tensor._version
                if version is not None and version[0] != entry[0]:
                    self._unpack(tensor, entry)  # raises, naming the op and both versions
                arrays.append(tensor.data)
        return arrays

    def save_output(self, array):
        """Save for backward the op's only output, given as the array that forward then
        returns, and return that array (a NumPy scalar made a 0-d array). The built-in ops'
        fast path: the array is kept bare, as ``_pack_saved`` keeps an output never written
        (a new output has no version counter yet), and saved_arrays returns it as it is."""
        if type(array) is not ndarray:
            array = asarray(array)
        self._saved = (array,)
        self._saved_info = _SAVED_FIRST_OUTPUT
        return array

    def mark_non_differentiable(self, *tensors):
        """These outputs get no grad_fn and never require grad."""
        self._non_differentiable = tensors

    def set_materialize_grads(self, value):
        """With False, backward receives None (not zeros) for outputs that got no gradient."""
        self._materialize_grads = bool(value)

    def mark_dirty(self, *tensors):
        """Accepted for PyTorch compatibility; in-place writes are tracked by version counters."""

    # ---- graph node API ------------------------------------------------------------------

    def name(self):
        """The node's name as shown in graphs, e.g. ``MulBackward``."""
        return type(self).__name__ + "Backward"

    def __repr__(self):
        return f"<{self.name()}>"

    @property
    def next_functions(self):
        """One ``(node, output_nr)`` pair per forward argument; leaves appear as the Tensor."""
        return tuple((producer, self.edge_nr(index)) for index, producer in enumerate(self._edges))

    def edge_nr(self, index):
        """Which output of its producer forward argument ``index`` is (0 for a leaf)."""
        return 0 if self._edge_nrs is None else self._edge_nrs[index]

    def input_meta(self, index):
        """(shape, dtype) of forward argument ``index`` as recorded, or None when it needs no
        gradient: a gradient for it must have these. The producer keeps them: a leaf is the
        Tensor itself, a node notes each output's in ``_output_meta``."""
        producer = self._edges[index]
        if producer is None:
            return None
        if isinstance(producer, Tensor):
            return producer.data.shape, producer.data.dtype
        return producer._output_meta[self.edge_nr(index)]

    def register_hook(self, hook):
        raise NotImplementedError("register hooks on tensors: tensor.register_hook(fn)")

    # ---- apply ---------------------------------------------------------------------------

    @classmethod
    def apply(cls, *args, **kwargs):
        """Run forward; when grad mode is on and an input requires grad, record the node.

        The hot path of every op, written out in one function (each call saved is a tenth
        of a microsecond on small tensors)."""
        ctx = cls()
        # Per argument: its producer (its node, or the tensor itself for a leaf), or None
        # when it needs no gradient; output indexes only when one is not 0 (rare).
        edges = []
        recording = renumbered = False
        if _grad_state.enabled:
            for arg in args:
                if isinstance(arg, Tensor) and arg._requires_grad:
                    edges.append(arg.grad_fn or arg)
                    recording = True
                    if arg._output_nr:
                        renumbered = True
                else:
                    edges.append(None)
        if recording:
            ctx._edges = tuple(edges)
            if renumbered:
                ctx._edge_nrs = tuple(
                    [arg._output_nr if edge is not None else 0 for arg, edge in zip(args, edges)]
                )
            ctx._sequence = next(_sequence_numbers)
            if _anomaly_state.enabled:
                ctx._creation_stack = anomaly_mode.creation_stack()
            if _grad_state.module_path is not None:
                ctx._module_path = _grad_state.module_path
        try:
            if recording and not cls._numpy_forward:
                _grad_state.enabled = False
                try:
                    result = cls.forward(ctx, *args, **kwargs)
                finally:
                    _grad_state.enabled = True
            elif kwargs:
                result = cls.forward(ctx, *args, **kwargs)
            elif len(args) == 2:  # (a * call costs 50 ns more; an empty ** a dict)
                result = cls.forward(ctx, args[0], args[1])
            elif len(args) == 1:
                result = cls.forward(ctx, args[0])
            else:
                result = cls.forward(ctx, *args)
        except AttributeError:  # free until raised: a forward given a None, a list ...
            _refuse_non_tensor(cls, args)
            raise
        if not recording:
            if type(result) is ndarray or isinstance(result, generic):
                return _make(result)
            if isinstance(result, tuple):
                return tuple(map(_as_output, result))
            return _as_output(result)
        if type(result) is ndarray:
            out = _new(Tensor)
            out.data = data = result
        elif isinstance(result, generic):
            out = _make(result)  # NumPy scalars (ufuncs on 0-d arrays) become 0-d arrays
            data = out.data
        elif isinstance(result, Tensor):
            for arg in args:
                if arg is result:  # an input returned as output: _connect makes it fresh
                    return ctx._connect(result, args)
            out = result
            data = out.data
        else:
            return ctx._connect(result, args)
        # The common case, one fresh output: connect it here without the general machinery.
        if data.dtype.kind == "f" and not ctx._non_differentiable:
            out.grad_fn = ctx
            out._requires_grad = True
            meta = _OUTPUT_METAS.get(data.shape)
            if meta is None or meta[0][1] is not data.dtype:
                meta = _new_output_meta(data)
            ctx._output_meta = meta
        if ctx._saved is not None and ctx._saved_info is None:
            ctx._pack_saved()
        return out

    @property
    def needs_input_grad(self):
        """One bool per forward argument: does backward need to compute its gradient?"""
        return tuple([edge is not None for edge in self._edges])

    def _connect(self, result, args):
        """Make the forward outputs (Tensors or a tuple) this node's outputs."""
        single = not isinstance(result, tuple)
        outputs = (result,) if single else result
        outputs = tuple([_fresh(_as_output(out), args) for out in outputs])
        self._num_outputs = len(outputs)
        self._output_meta = tuple([(out.data.shape, out.data.dtype) for out in outputs])
        for index, out in enumerate(outputs):
            if (
                out is None
                or out.data.dtype.kind != "f"
                or _is_one_of(out, self._non_differentiable)
            ):
                continue
            out.grad_fn = self
            out._output_nr = index
            out._requires_grad = True
        if self._saved is not None and self._saved_info is None:
            self._pack_saved()
        return outputs[0] if single else outputs

    def _pack_saved(self):
        """Note each saved tensor's version (0 for one never written, which has no counter
        yet: its first in-place write makes one and counts 1). A saved output (it has this
        node as grad_fn; keeping it would make a reference cycle, out -> node -> out) is kept
        as its bare array while it has no counter, else as a grad_fn-free alias sharing its
        counter: ``version_counter`` swaps in that alias when it makes the output's counter
        (before any in-place write), so a write is still caught."""
        saved = self._saved
        for tensor in saved:  # the common case first: inputs never written in place
            if tensor is not None and (
                not isinstance(tensor, Tensor)
                or tensor._version is not None
                or tensor.grad_fn is self
            ):
                break
        else:
            self._saved_info = _unwritten_inputs(len(saved))
            return
        kept = []
        info = []
        for tensor in saved:
            if tensor is None:
                kept.append(None)
                info.append(None)
            elif not isinstance(tensor, Tensor):
                raise TypeError(
                    f"save_for_backward takes Tensors or None, got {type(tensor).__name__}"
                )
            elif tensor.grad_fn is self:
                output_nr = tensor._output_nr
                if tensor._version is None:  # the common case: its bare array (see below)
                    kept.append(tensor.data)
                    info.append((0, output_nr) if output_nr else _FIRST_OUTPUT)
                else:
                    alias = _alias(tensor)
                    kept.append(alias)
                    info.append((alias._version[0], output_nr))
            else:
                counter = tensor._version
                kept.append(tensor)
                info.append((counter[0], -1) if counter and counter[0] else _UNWRITTEN_INPUT)
        self._saved = tuple(kept)
        self._saved_info = tuple(info)

    def _unpack(self, tensor, info):
        version, output_nr = info
        if type(tensor) is ndarray:  # an output never written (see _pack_saved)
            return self._rebuilt_output(_make(tensor), output_nr)
        current = (tensor._version or _NEVER_WRITTEN)[0]
        if current != version:
            raise RuntimeError(
                "one of the variables needed for gradient computation has been modified by an "
                f"inplace operation: [{tensor.dtype} {list(tensor.shape)}], saved by "
                f"{self.name()}, is at version {current}; expected version {version} instead."
            )
        if output_nr < 0:
            return tensor
        return self._rebuilt_output(Tensor._alias(tensor), output_nr)

    def _rebuilt_output(self, tensor, output_nr):
        """A saved output, stored without its grad_fn (see _pack_saved), made one again."""
        tensor.grad_fn = self
        tensor._output_nr = output_nr
        tensor._requires_grad = True
        return tensor

    def _output_counted(self, out):
        """``out``, one of this node's outputs, has just got a version counter: if the node
        keeps it as a bare array, keep an alias sharing the counter instead (_pack_saved)."""
        info = self._saved_info
        if info is None:
            return
        output_nr = out._output_nr
        self._saved = tuple(
            [
                _alias(out) if type(tensor) is ndarray and entry[1] == output_nr else tensor
                for tensor, entry in zip(self._saved, info)
            ]
        )

    def _release(self):
        """Free the saved tensors after backward (unless retain_graph)."""
        if self._saved is not None:
            self._saved = self._saved_info = None
            self._freed = True


_make = Tensor._make
# What apply, the engine and the shared op helpers set on nodes (see share_instance_keys).
_NODE_FIELDS = (
    "_edges _edge_nrs _sequence _creation_stack _module_path _saved _saved_info _output_meta "
    "_num_outputs _freed _non_differentiable _materialize_grads _tensor_hooks _retained "
    "constants"
).split()
_alias = Tensor._alias
_new = object.__new__
_grad_state = grad_mode.state
_anomaly_state = anomaly_mode.state
_NEVER_WRITTEN = (0,)  # the version of a tensor without a counter
_UNWRITTEN_INPUT = (0, -1)  # the saved info of most saved inputs: shared, not rebuilt
_FIRST_OUTPUT = (0, 0)  # and of a saved (single) output
_SAVED_FIRST_OUTPUT = (_FIRST_OUTPUT,)  # the saved info after save_output


def _new_output_meta(array):
    """``((shape, dtype),)`` of a node's one output, kept in _OUTPUT_METAS by shape (for the
    last dtype seen with it; a dtype's hash is not cached) and shared by every node whose
    output has that shape and dtype (apply looks it up): each object a graph keeps alive is
    one more for Python's cyclic collector to count and walk (a graph of 0-d ops made 1.5
    times fewer full collections; a new one per node slowed micrograd's demo by a fifth)."""
    meta = ((array.shape, array.dtype),)
    if len(_OUTPUT_METAS) >= 4096:  # many shapes (varying lengths): start afresh
        _OUTPUT_METAS.clear()
    _OUTPUT_METAS[array.shape] = meta
    return meta


_OUTPUT_METAS = {}


def _refuse_non_tensor(cls, args):
    """PyTorch's TypeError for an op given something else where it needs a Tensor: raised
    when its forward failed on an attribute and an argument is not a Tensor (else the
    AttributeError is a bug, and stays)."""
    for position, arg in enumerate(args, start=1):
        if not isinstance(arg, Tensor):
            raise TypeError(
                f"{cls.__name__.lower()}(): argument {position} must be a Tensor, "
                f"not {type(arg).__name__}"
            ) from None


@functools.cache
def _unwritten_inputs(count):
    """The saved info of ``count`` inputs never written in place: one shared tuple."""
    return (_UNWRITTEN_INPUT,) * count


UNWRITTEN_PAIR = _unwritten_inputs(2)  # for save_operands, which notes it itself


def records_backward():
    """Inside a backward pass: is the pass itself being recorded (``create_graph=True``)?

    Hot ops use this to compute a plain backward directly in NumPy, skipping the op
    machinery; with create_graph they take the Tensor-op path, which gradgradcheck checks.
    """
    return _grad_state.enabled


def fresh_gradient(tensor):
    """Mark a gradient that a backward has just made, in a new array and for one input
    alone, as the engine's (``Tensor._owned_sum``): the engine then adds that input's other
    gradients into it in place instead of into a new array. Only when the pass is not
    recorded (``records_backward()`` is False). Returns ``tensor``."""
    tensor._owned_sum = True
    return tensor


_sequence_numbers = itertools.count()  # creation order of nodes: a topological order


def _as_output(value):
    if value is None or isinstance(value, Tensor):
        return value
    if isinstance(value, ndarray):
        return _make(value)
    if isinstance(value, (generic, int, float, bool)):
        return _make(asarray(value))
    raise TypeError(f"Function.forward must return Tensors or arrays, got {type(value).__name__}")


def _fresh(out, args):
    """An output that is one of the inputs is returned as a new Tensor sharing its data."""
    if out is None:
        return None
    for arg in args:
        if out is arg:
            return Tensor._alias(out)
    return out


def _is_one_of(value, candidates):
    for candidate in candidates:
        if candidate is value:
            return True
    return False
