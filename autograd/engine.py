"""The backward pass: an iterative topological walk of the graph applying the chain rule.

Functional core, imperative shell: ``grad(outputs, inputs, ...)`` returns gradients and
touches no ``.grad``; ``backward(tensors, ...)`` seeds the same walk and accumulates into
leaves, leaf hooks and ``retain_grad`` tensors.

The walk, iterative and deterministic:
1. visit nodes in decreasing creation order (a heap of sequence numbers): every node is
   created after the nodes producing its inputs, so each is reached only after all its
   consumers have added their gradients to its buffer;
2. call each node's ``backward`` with the summed gradients of its outputs, reduce each
   input gradient to that input's shape (broadcasting undone here, once, for every op),
   and add it to the buffer of the node it came from (or to the leaf's gradient);
3. drop every buffer once consumed and free each node's saved tensors unless
   ``retain_graph``.

Leaves take their gradients at the end of the walk, except leaves with post-accumulate
hooks: those are counted (their uses in the graph) before the walk and accumulated, and
their hooks run, as soon as their last use has passed its gradient on.
"""

from heapq import heappop, heappush

import numpy as np
from numpy import add as numpy_add  # (see tensor.py: np.add is not cached in the hot path)

from . import anomaly_mode, grad_mode
from .partial_gradient import PartialGradient
from .tensor import POST_ACCUMULATE_HOOKED, Tensor, version_counter


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate the gradients of ``tensors`` into the ``.grad`` of the graph's leaves."""
    tensors = _as_tuple(tensors)
    seeds = _seed_gradients(tensors, grad_tensors)
    if retain_graph is None:
        retain_graph = create_graph
    capture = None if inputs is None else _as_tuple(inputs)
    with _quiet_numpy():
        captured = _execute(tensors, seeds, retain_graph, create_graph, capture, accumulate=True)
    if capture is not None:
        for tensor, grad in zip(capture, captured):
            if grad is not None:
                _accumulate(tensor, grad, create_graph)


def grad(
    outputs,
    inputs,
    grad_outputs=None,
    retain_graph=None,
    create_graph=False,
    allow_unused=False,
    materialize_grads=False,
):
    """The gradients of ``outputs`` with respect to ``inputs``, as a tuple (PyTorch's
    ``torch.autograd.grad``). ``.grad`` fields are not touched.

    >>> x = ag.tensor(2.0, requires_grad=True)
    >>> (dx,) = ag.grad(x ** 3, x, create_graph=True)   # 3 x^2 = 12
    >>> ag.grad(dx, x)                                   # 6 x = 12
    """
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    for index, tensor in enumerate(inputs):
        if not isinstance(tensor, Tensor):
            raise TypeError(f"grad: inputs[{index}] is a {type(tensor).__name__}, not a Tensor")
        if not tensor._requires_grad:
            raise RuntimeError(
                f"One of the differentiated Tensors (inputs[{index}]) does not require grad"
            )
    seeds = _seed_gradients(outputs, grad_outputs)
    if retain_graph is None:
        retain_graph = create_graph
    with _quiet_numpy():
        result = _execute(outputs, seeds, retain_graph, create_graph, inputs, accumulate=False)
    for index, value in enumerate(result):
        if value is None and not (allow_unused or materialize_grads):
            raise RuntimeError(
                f"One of the differentiated Tensors (inputs[{index}]) appears to not have been "
                "used in the graph. Set allow_unused=True if this is the desired behavior."
            )
    if materialize_grads:
        result = [
            Tensor._make(np.zeros_like(inputs[i].data)) if value is None else value
            for i, value in enumerate(result)
        ]
    return tuple(result)


def _quiet_numpy():
    """For a whole backward pass (an errstate costs about a microsecond: too much per op): an
    inf or nan in a gradient is a value, as in PyTorch, not a NumPy warning."""
    return np.errstate(over="ignore", invalid="ignore", divide="ignore")


def _as_tuple(value):
    if isinstance(value, Tensor):
        return (value,)
    return tuple(value)


def _seed_gradients(tensors, grad_tensors):
    """The gradient each output starts with: given, or 1 for a scalar output."""
    if grad_tensors is None or isinstance(grad_tensors, Tensor):
        grad_tensors = (grad_tensors,) * len(tensors) if grad_tensors is None else (grad_tensors,)
    grad_tensors = tuple(grad_tensors)
    if len(grad_tensors) != len(tensors):
        raise RuntimeError(
            f"got {len(grad_tensors)} gradients for {len(tensors)} tensors to differentiate"
        )
    seeds = []
    for index, (tensor, seed) in enumerate(zip(tensors, grad_tensors)):
        if not isinstance(tensor, Tensor):
            raise TypeError(f"expected Tensors to differentiate, got {type(tensor).__name__}")
        if not tensor._requires_grad:
            raise RuntimeError(
                f"element {index} of tensors does not require grad and does not have a grad_fn"
            )
        if seed is None:
            if tensor.data.size != 1:
                raise RuntimeError(
                    "grad can be implicitly created only for scalar outputs; this output has "
                    f"shape {tuple(tensor.shape)}: pass gradient= (a tensor of that shape)"
                )
            seed = Tensor._make(np.ones(tensor.data.shape, tensor.data.dtype))
        else:
            if not isinstance(seed, Tensor):
                seed = Tensor(seed, dtype=tensor.dtype)
            if seed.shape != tensor.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{index}] has a shape of {tuple(seed.shape)} "
                    f"and output[{index}] has a shape of {tuple(tensor.shape)}."
                )
        seeds.append(seed)
    return seeds


def _execute(outputs, seeds, retain_graph, create_graph, capture, accumulate):
    """Run the backward walk. Returns the gradients of ``capture`` (or None).

    Nodes are visited in decreasing creation order (a heap keyed by each node's sequence
    number). A node is always created after the nodes that produced its inputs, so when a
    node is popped every node that consumes it has already passed on its gradient. The
    newest node a node passes a first gradient to skips the heap when it would be popped
    next anyway (in a chain, every node).
    """
    buffers = {}
    leaf_grads = {}
    ready = []
    for tensor, seed in zip(outputs, seeds):
        node = tensor.grad_fn
        if node is None:
            _add_leaf(leaf_grads, tensor, seed)
            continue
        if node not in buffers:
            heappush(ready, (-node._sequence, node))
        _add_to_buffer(buffers, node, tensor._output_nr, seed)

    captured_nodes = needed = results = None
    if capture is not None:
        captured_nodes = {}
        for index, tensor in enumerate(capture):
            if tensor.grad_fn is not None:
                captured_nodes.setdefault(tensor.grad_fn, []).append((tensor._output_nr, index))
        needed = _needed_nodes([entry[1] for entry in ready], capture, captured_nodes, accumulate)
        reached = needed.union(captured_nodes)  # the nodes that must be sent a gradient
        wanted_leaves = {id(tensor) for tensor in capture if tensor.grad_fn is None}
        results = [None] * len(capture)

    add = _add_recorded if create_graph else _add_arrays
    adopted = {id(seed.data) for seed in seeds}
    uses = None
    if POST_ACCUMULATE_HOOKED and capture is None:
        uses = _hooked_leaf_uses([entry[1] for entry in ready])
    detect_anomaly = anomaly_mode.state.enabled
    previous_mode = grad_mode.state.enabled
    grad_mode.state.enabled = create_graph
    following = None  # the newest node given a buffer by the last node: next, without the heap
    try:
        while following is not None or ready:
            if following is None:
                node = heappop(ready)[1]
            else:
                node, following = following, None
            grad_outputs = buffers.pop(node)
            # leaving the buffer, a sum is no longer the engine's to add into: a backward may
            # pass it on (one output, the common case: its slot is never empty)
            if node._num_outputs == 1:
                grad_output = grad_outputs[0]
                if type(grad_output) is not Tensor:
                    grad_outputs[0] = _landed(grad_output)
                elif grad_output._owned_sum:
                    grad_output._owned_sum = False
            else:
                for position, grad_output in enumerate(grad_outputs):
                    if grad_output is None:
                        continue
                    grad_outputs[position] = grad_output = _landed(grad_output)
                    if grad_output._owned_sum:
                        grad_output._owned_sum = False
            if needed is not None:
                if node in captured_nodes:
                    if node._tensor_hooks is not None:
                        _run_tensor_hooks(node, grad_outputs)
                    if node._retained is not None and not accumulate:
                        # grad() gives a retained input its gradient too, as PyTorch does;
                        # backward(inputs=) adds each captured one into .grad just once
                        _store_retained(node, grad_outputs)
                    for output_nr, index in captured_nodes[node]:
                        results[index] = grad_outputs[output_nr]
                if node not in needed:
                    continue
            if needed is None or node not in captured_nodes:
                if node._tensor_hooks is not None:
                    _run_tensor_hooks(node, grad_outputs)
                if node._retained is not None:  # in grad() too, as in PyTorch
                    _store_retained(node, grad_outputs)
            edges = node._edges
            if (
                needed is not None
                and node._numpy_forward  # a built-in op (a custom Function's needs stay)
                and _leads_nowhere(edges, reached, wanted_leaves)
            ):
                edges = _edges_wanted(edges, reached, wanted_leaves)
                input_grads = _backward_along(node, grad_outputs, edges)
            elif node._num_outputs == 1:  # one output: the common case, inline
                input_grads = node.backward(node, grad_outputs[0])  # (a * call costs 60 ns)
                if type(input_grads) is not tuple:
                    if type(input_grads) is Tensor and len(node._edges) == 1:
                        input_grads = (input_grads,)
                    else:
                        input_grads = _checked_gradients(node, input_grads)
                elif len(input_grads) != len(node._edges):
                    input_grads = _checked_gradients(node, input_grads)
            else:
                input_grads = _call_backward(node, grad_outputs)
            if detect_anomaly:
                anomaly_mode.check_gradients(node, [_landed(grad) for grad in input_grads])
            if not retain_graph and node._saved is not None:
                node._saved = node._saved_info = None
                node._freed = True
            for index, target in enumerate(edges):
                input_grad = input_grads[index]
                if target is None or input_grad is None:
                    continue
                leaf = isinstance(target, Tensor)
                if leaf:  # node.input_meta(index), inline: the hot loop
                    shape, dtype = target.data.shape, target.data.dtype
                else:
                    output_nr = 0 if node._edge_nrs is None else node._edge_nrs[index]
                    shape, dtype = target._output_meta[output_nr]
                if (
                    not isinstance(input_grad, Tensor)
                    or input_grad.data.shape != shape
                    or input_grad.data.dtype != dtype
                ):
                    input_grad = _fit_to_input(node, index, input_grad)
                if leaf:
                    key = id(target)
                    entry = leaf_grads.get(key)
                    leaf_grads[key] = (
                        target,
                        input_grad if entry is None else add(entry[1], input_grad),
                    )
                    if uses and key in uses:
                        uses[key] -= 1
                        if not uses[key]:
                            del uses[key]
                            target, leaf_grad = leaf_grads.pop(key)
                            leaf_grad = _landed(leaf_grad)
                            private = _computed_here(leaf_grad, input_grads, grad_outputs)
                            _accumulate(
                                target, leaf_grad, create_graph, adopted if private else None
                            )
                    continue
                slots = buffers.get(target)
                if slots is None:
                    slots = buffers[target] = [None] * target._num_outputs
                    if following is None:
                        following = target
                    else:  # the newer of the two stays next, the other waits in the heap
                        waiting = target
                        if waiting._sequence > following._sequence:
                            waiting, following = following, waiting
                        heappush(ready, (-waiting._sequence, waiting))
                current = slots[output_nr]
                slots[output_nr] = input_grad if current is None else add(current, input_grad)
            # the newest node this one gave a buffer runs next if the heap holds none newer
            if following is not None and ready and -ready[0][0] > following._sequence:
                heappush(ready, (-following._sequence, following))
                following = None
    finally:
        grad_mode.state.enabled = previous_mode

    if capture is not None:
        for index, tensor in enumerate(capture):
            if tensor.grad_fn is None and id(tensor) in leaf_grads:
                results[index] = grad = _landed(leaf_grads[id(tensor)][1])
                grad._owned_sum = False  # the caller's now (it may pass it back as a seed)
        return results
    for tensor, leaf_grad in leaf_grads.values():
        _accumulate(tensor, _landed(leaf_grad), create_graph, adopted)
    return None


def _wanted(edge, reached, wanted_leaves):
    """Does this edge lead to a captured input (grad() and backward(inputs=))?"""
    if isinstance(edge, Tensor):
        return id(edge) in wanted_leaves
    return edge is not None and edge in reached


def _leads_nowhere(edges, reached, wanted_leaves):
    """Has the node an input that needs a gradient but leads to no captured input?"""
    return any(edge is not None and not _wanted(edge, reached, wanted_leaves) for edge in edges)


def _edges_wanted(edges, reached, wanted_leaves):
    return tuple([edge if _wanted(edge, reached, wanted_leaves) else None for edge in edges])


def _backward_along(node, grad_outputs, edges):
    """node's backward for the inputs ``edges`` keeps (the others None), as PyTorch's
    built-in ops compute, in grad() and backward(inputs=), only the gradients that lead to
    a captured input: none is computed in vain, and an input without a derivative (igamma's
    first) raises only when its gradient is wanted. (A custom Function's
    ``needs_input_grad`` stays as recorded, as in PyTorch.)"""
    own = node._edges
    node._edges = edges
    try:
        return _call_backward(node, grad_outputs)
    finally:
        node._edges = own


def _needed_nodes(roots, capture, captured_nodes, accumulate):
    """The nodes whose backward leads to a captured input (``grad`` runs only these). As in
    PyTorch, grad() sends a captured non-leaf its gradient and runs its node only if that
    leads to another captured input; backward(inputs=) runs it (``accumulate``).

    An iterative depth-first search collects the reachable nodes; then, in increasing
    creation order (inputs before consumers), a node is needed when it feeds a captured
    leaf, a captured non-leaf's node or a needed node (or, with ``accumulate``, is a
    captured non-leaf's node).
    """
    reachable = []
    seen = set(roots)
    stack = list(roots)
    while stack:
        node = stack.pop()
        reachable.append(node)
        for producer in node._edges:
            if producer is not None and not isinstance(producer, Tensor) and producer not in seen:
                seen.add(producer)
                stack.append(producer)
    reachable.sort(key=lambda node: node._sequence)
    leaves = {id(tensor) for tensor in capture if tensor.grad_fn is None}
    needed = set()
    for node in reachable:
        for target in node._edges:
            if target is None:
                continue
            if isinstance(target, Tensor):
                if id(target) in leaves:
                    needed.add(node)
                    break
            elif target in needed or target in captured_nodes:
                needed.add(node)
                break
        else:
            if accumulate and node in captured_nodes:
                needed.add(node)
    return needed


def _hooked_leaf_uses(roots):
    """For each leaf with post-accumulate hooks, the number of edges from the nodes
    reachable from ``roots`` to it (id -> count): an iterative depth-first search."""
    uses = {}
    seen = set(roots)
    stack = list(roots)
    while stack:
        for target in stack.pop()._edges:
            if target is None:
                continue
            if isinstance(target, Tensor):
                if target._post_accumulate_hooks:
                    uses[id(target)] = uses.get(id(target), 0) + 1
            elif target not in seen:
                seen.add(target)
                stack.append(target)
    return uses


def _computed_here(grad, input_grads, grad_outputs):
    """Whether a leaf finished mid-walk may take ``grad``'s array as its ``.grad`` (else it
    gets a copy: the hooks may change ``.grad`` in place). Yes when the node's backward
    computed it for this input alone; no when it passed on a gradient it received (which
    may also wait in another node's buffer) or handed the same array to several inputs."""
    data = grad.data
    count = 0
    for other in input_grads:
        if isinstance(other, Tensor) and other.data is data:
            count += 1
    if count > 1:
        return False
    for received in grad_outputs:
        if received is not None and received.data is data:
            return False
    return True


def _add_recorded(a, b):
    """Sum two gradients with a recorded op (create_graph: the sum is differentiated too)."""
    return a + b


def _add_arrays(a, b):
    """Sum two gradients without recording; the first sum allocates, later ones add in place
    while the sum stays in its buffer slot (``_owned_sum``; cleared when the slot's node
    runs, since its backward may hand the same tensor to several inputs). A PartialGradient
    is added into the other gradient's elements (see ``_add_partial``)."""
    if type(b) is not Tensor and isinstance(b, PartialGradient):
        return _add_partial(a, b)
    if type(a) is not Tensor and isinstance(a, PartialGradient):
        return _add_partial(b, a)
    if b._owned_sum and not a._owned_sum:  # (a fresh gradient: see function.fresh_gradient)
        a, b = b, a
    if a._owned_sum:
        if a.data.ndim:
            numpy_add(a.data, b.data, out=a.data, casting="unsafe")
        else:  # 0-d: a Python float sum, rounded once to the dtype (a fifth of np.add's cost)
            a.data.fill(a.data.item() + b.data.item())
        return a
    total = Tensor._make(numpy_add(a.data, b.data))
    total._owned_sum = True
    return total


def _add_partial(total, partial):
    """``total + partial`` in total's array when the engine made it, else in a copy (a
    gradient a backward returned may be seen elsewhere); the sum is the engine's."""
    if isinstance(total, PartialGradient):
        total = _landed(total)
    elif not total._owned_sum:
        total = Tensor._make(total.data.copy())
    total._owned_sum = True
    partial.add_to(total.data)
    return total


def _landed(grad):
    """A gradient as a Tensor: a PartialGradient made dense (in a fresh array)."""
    if isinstance(grad, PartialGradient):
        return Tensor._make(grad.dense())
    return grad


def _add_to_buffer(buffers, node, output_nr, grad):
    slots = buffers.get(node)
    if slots is None:
        slots = buffers[node] = [None] * node._num_outputs
    slots[output_nr] = grad if slots[output_nr] is None else slots[output_nr] + grad


def _add_leaf(leaf_grads, tensor, grad):
    entry = leaf_grads.get(id(tensor))
    leaf_grads[id(tensor)] = (tensor, grad if entry is None else entry[1] + grad)


def _run_tensor_hooks(node, grad_outputs):
    for output_nr, hooks in node._tensor_hooks.items():
        grad = grad_outputs[output_nr]
        if grad is None:
            continue
        for hook in hooks:
            replaced = hook(grad)
            if replaced is not None:
                grad = replaced
        grad_outputs[output_nr] = grad


def _store_retained(node, grad_outputs):
    """Give non-leaf tensors that called retain_grad() their gradient (accumulating)."""
    for output_nr, reference in node._retained.items():
        tensor = reference()
        grad = grad_outputs[output_nr]
        if tensor is None or grad is None:
            continue
        kept = Tensor._make(grad.data.copy())
        tensor.grad = kept if tensor.grad is None else tensor.grad + kept


def _call_backward(node, grad_outputs):
    """Call node.backward with materialised gradients; check what it returns."""
    if node._materialize_grads:
        grad_outputs = [
            Tensor._make(np.zeros(shape, dtype)) if grad is None else grad
            for grad, (shape, dtype) in zip(grad_outputs, node._output_meta)
        ]
    return _checked_gradients(node, type(node).backward(node, *grad_outputs))


def _checked_gradients(node, input_grads):
    """backward's result as a tuple of one gradient per forward argument, or an error."""
    if not isinstance(input_grads, tuple):
        input_grads = (input_grads,)
    expected = len(node._edges)
    if len(input_grads) != expected:
        if len(input_grads) > expected and all(g is None for g in input_grads[expected:]):
            return input_grads[:expected]
        raise RuntimeError(
            f"function {node.name()} returned an incorrect number of gradients "
            f"(expected {expected}, got {len(input_grads)})"
        )
    return input_grads


def _fit_to_input(node, index, grad):
    """Reduce a broadcast gradient back to the input's shape and cast it to its dtype. (A
    PartialGradient, which built-in ops return, has them already.)"""
    if isinstance(grad, PartialGradient):
        return grad
    if not isinstance(grad, Tensor):
        if isinstance(grad, np.ndarray):
            grad = Tensor._make(grad)
        else:
            raise TypeError(
                f"function {node.name()} returned a {type(grad).__name__} as the gradient of "
                f"input {index}; expected a Tensor or None"
            )
    shape, dtype = node.input_meta(index)
    if grad.data.shape != shape:
        if not _broadcasts_to(shape, grad.data.shape):
            raise RuntimeError(
                f"function {node.name()} returned an invalid gradient at index {index} - got "
                f"{list(grad.data.shape)} but expected shape compatible with {list(shape)}"
            )
        grad = grad.sum_to_size(shape)
    if grad.data.dtype != dtype:
        grad = grad.to(dtype)
    return grad


def _broadcasts_to(shape, target):
    if len(shape) > len(target):
        return False
    for size, target_size in zip(reversed(shape), reversed(target)):
        if size != target_size and size != 1:
            return False
    return True


def _accumulate(tensor, grad, create_graph, adopted=None):
    """Leaf accumulation: run leaf hooks, then add into ``.grad`` (PyTorch's AccumulateGrad).

    A fresh gradient array becomes ``.grad`` without a copy, unless it may be seen elsewhere:
    a view, an array already given to another leaf (an add passes one gradient to both
    inputs) or one the caller passed in (``adopted`` holds the ids of those; without
    ``adopted`` it is always copied). Then the post-accumulate hooks see the leaf with its
    new ``.grad``.
    """
    if grad._owned_sum:  # from here on the caller's (hooks may keep it)
        grad._owned_sum = False
    if tensor._hooks:
        for hook in tensor._hooks:
            replaced = hook(grad)
            if replaced is not None:
                grad = replaced
    if tensor.grad is None:
        if create_graph:  # a recorded copy: later in-place sums must not reach other tensors
            tensor.grad = grad.clone()
        else:
            tensor.grad = Tensor._make(_adoptable(grad.data, adopted))
    elif create_graph:
        tensor.grad = tensor.grad + grad
    else:
        tensor.grad.data += grad.data
        version_counter(tensor.grad)[0] += 1
    if tensor._post_accumulate_hooks:
        for hook in tuple(tensor._post_accumulate_hooks):
            if hook(tensor) is not None:
                raise RuntimeError("Tensor post accumulate grad hooks should return None.")


def _adoptable(array, adopted):
    """``array`` itself when ``.grad`` may take it over, else a copy (see ``_accumulate``)."""
    if (
        adopted is None
        or array.base is not None
        or id(array) in adopted
        or not array.flags.writeable
    ):
        array = array.copy()
    if adopted is not None:
        adopted.add(id(array))
    return array
