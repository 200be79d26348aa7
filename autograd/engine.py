"""The backward pass: an iterative topological walk of the graph applying the chain rule.

Functional core, imperative shell: ``grad(outputs, inputs, ...)`` returns gradients and
touches no ``.grad``; ``backward(tensors, ...)`` seeds the same walk and accumulates into
leaves, leaf hooks and ``retain_grad`` tensors.

The walk:
1. order the nodes reachable from the outputs by an iterative depth-first search
   (reverse post-order, so every node comes after all nodes that consume its outputs);
2. visit them in that order, each with the summed gradients of its outputs, call its
   ``backward``, reduce each input gradient to that input's shape (broadcasting undone
   here, once, for every op), and add it to the buffer of the node it came from;
3. drop every buffer once consumed and free each node's saved tensors unless
   ``retain_graph``.
"""

import numpy as np

from . import grad_mode
from .tensor import Tensor


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate the gradients of ``tensors`` into the ``.grad`` of the graph's leaves."""
    tensors = _as_tuple(tensors)
    seeds = _seed_gradients(tensors, grad_tensors)
    if retain_graph is None:
        retain_graph = create_graph
    capture = None if inputs is None else _as_tuple(inputs)
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
            seed = Tensor._make(np.ones_like(tensor.data))
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
    """Run the backward walk. Returns the gradients of ``capture`` (or None)."""
    buffers = {}
    leaf_grads = {}
    roots = []
    for tensor, seed in zip(outputs, seeds):
        node = tensor.grad_fn
        if node is None:
            _add_leaf(leaf_grads, tensor, seed)
            continue
        roots.append(node)
        _add_to_buffer(buffers, node, tensor._output_nr, seed)

    captured_nodes = None
    if capture is not None:
        captured_nodes = {}
        for index, tensor in enumerate(capture):
            if tensor.grad_fn is not None:
                captured_nodes.setdefault(tensor.grad_fn, []).append((tensor._output_nr, index))
    order = _topological_order(roots)
    if capture is not None:
        order = _prune(order, capture, captured_nodes)
    results = [None] * len(capture) if capture is not None else None

    previous_mode = grad_mode.state.enabled
    grad_mode.state.enabled = create_graph
    try:
        for node in order:
            grad_outputs = buffers.pop(node, None)
            if grad_outputs is None:
                continue
            if node._tensor_hooks is not None:
                _run_tensor_hooks(node, grad_outputs)
            if accumulate and node._retained is not None:
                _store_retained(node, grad_outputs)
            if captured_nodes is not None and node in captured_nodes:
                for output_nr, index in captured_nodes[node]:
                    results[index] = grad_outputs[output_nr]
            input_grads = _call_backward(node, grad_outputs)
            if not retain_graph:
                node._release()
            for index, (edge, input_grad) in enumerate(zip(node._edges, input_grads)):
                if edge is None or input_grad is None:
                    continue
                input_grad = _fit_to_input(node, index, input_grad)
                target, output_nr = edge
                if isinstance(target, Tensor):
                    _add_leaf(leaf_grads, target, input_grad)
                else:
                    _add_to_buffer(buffers, target, output_nr, input_grad)
    finally:
        grad_mode.state.enabled = previous_mode

    if capture is not None:
        for index, tensor in enumerate(capture):
            if tensor.grad_fn is None and id(tensor) in leaf_grads:
                results[index] = leaf_grads[id(tensor)][1]
        return results
    for tensor, leaf_grad in leaf_grads.values():
        _accumulate(tensor, leaf_grad, create_graph)
    return None


def _topological_order(roots):
    """Nodes reachable from roots, each after every node that consumes it (iterative DFS)."""
    post_order = []
    visited = set()
    for root in roots:
        if root in visited:
            continue
        visited.add(root)
        stack = [(root, iter(root._edges))]
        while stack:
            node, edges = stack[-1]
            for edge in edges:
                if edge is None:
                    continue
                child = edge[0]
                if isinstance(child, Tensor) or child in visited:
                    continue
                visited.add(child)
                stack.append((child, iter(child._edges)))
                break
            else:
                stack.pop()
                post_order.append(node)
    post_order.reverse()
    return post_order


def _prune(order, capture, captured_nodes):
    """Keep only nodes on a path to one of the captured inputs (for ``grad``)."""
    leaves = {id(tensor) for tensor in capture if tensor.grad_fn is None}
    needed = set()
    for node in reversed(order):
        if node in captured_nodes:
            needed.add(node)
            continue
        for edge in node._edges:
            if edge is None:
                continue
            target = edge[0]
            if (id(target) in leaves) if isinstance(target, Tensor) else (target in needed):
                needed.add(node)
                break
    return [node for node in order if node in needed]


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
    if node._output_meta is not None and node._materialize_grads:
        grad_outputs = [
            Tensor._make(np.zeros(shape, dtype)) if grad is None else grad
            for grad, (shape, dtype) in zip(grad_outputs, node._output_meta)
        ]
    input_grads = type(node).backward(node, *grad_outputs)
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
    """Reduce a broadcast gradient back to the input's shape and cast it to its dtype."""
    if not isinstance(grad, Tensor):
        if isinstance(grad, np.ndarray):
            grad = Tensor._make(grad)
        else:
            raise TypeError(
                f"function {node.name()} returned a {type(grad).__name__} as the gradient of "
                f"input {index}; expected a Tensor or None"
            )
    shape, dtype = node._input_meta[index]
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


def _accumulate(tensor, grad, create_graph):
    """Leaf accumulation: run leaf hooks, then add into ``.grad`` (PyTorch's AccumulateGrad)."""
    if tensor._hooks:
        for hook in tensor._hooks:
            replaced = hook(grad)
            if replaced is not None:
                grad = replaced
    if tensor.grad is None:
        # Copied: the same gradient array may also reach another leaf (e.g. through an add).
        tensor.grad = grad if create_graph else Tensor._make(grad.data.copy())
    elif create_graph:
        tensor.grad = tensor.grad + grad
    else:
        tensor.grad.data += grad.data
        tensor.grad._version[0] += 1

