"""Function transforms with PyTorch's ``torch.autograd.functional`` signatures.

For f: inputs -> outputs,
    vjp(f, x, v)  = (f(x), v^T J)            one backward pass
    jvp(f, x, v)  = (f(x), J v)              the double-vjp trick: J v = d/du (u^T J) v
    jacobian(f, x)[i][j] = d outputs[i] / d inputs[j], shape outputs[i].shape + inputs[j].shape
    hessian(f, x)[i][j]  = d^2 f / d inputs[i] d inputs[j]   (f returns a scalar)
    hvp(f, x, v)  = (f(x), H v),  vhp(f, x, v) = (f(x), v^T H)

``create_graph=True`` keeps the results differentiable; ``strict=True`` raises when an
output does not depend on an input; ``vectorize`` is accepted (the rows are computed one
backward pass each, which is what PyTorch does without vmap).
"""

import numpy as np

from . import grad_mode
from .engine import grad as _grad
from .tensor import Tensor


def _tuple(value, name):
    is_tuple = isinstance(value, (tuple, list))
    values = tuple(value) if is_tuple else (value,)
    for index, item in enumerate(values):
        if not isinstance(item, Tensor):
            raise TypeError(
                f"The {name} given to the function must be a Tensor or a tuple of Tensors; "
                f"{name}[{index}] is a {type(item).__name__}."
            )
    return is_tuple, values


def _prepare(inputs, create_graph):
    """Inputs as fresh leaves requiring grad (views of the originals when create_graph)."""
    prepared = []
    for tensor in inputs:
        if create_graph and tensor.requires_grad:
            prepared.append(tensor.view_as(tensor))
        else:
            leaf = tensor.detach()
            leaf.requires_grad = True
            prepared.append(leaf)
    return tuple(prepared)


def _restore(is_tuple, values):
    return values if is_tuple else values[0]


def _grads(outputs, inputs, grad_outputs, create_graph, strict, what):
    """Gradients of outputs w.r.t. inputs; zeros (or a strict error) where unused."""
    differentiable = [(out, seed) for out, seed in zip(outputs, grad_outputs) if out.requires_grad]
    if not differentiable:
        grads = (None,) * len(inputs)
    else:
        outs, seeds = zip(*differentiable)
        grads = _grad(outs, inputs, seeds, create_graph=True, allow_unused=True)
    result = []
    for index, (value, tensor) in enumerate(zip(grads, inputs)):
        if value is None:
            if strict:
                raise RuntimeError(
                    f"The output of the user-provided function is independent of input {index}. "
                    f"This is not allowed in strict mode ({what})."
                )
            value = Tensor._make(np.zeros_like(tensor.data))
        result.append(value if create_graph else value.detach())
    return tuple(result)


def _check_same_shapes(vectors, tensors, name):
    if len(vectors) != len(tensors):
        raise RuntimeError(f"The {name} must have {len(tensors)} entries, got {len(vectors)}")
    for index, (vector, tensor) in enumerate(zip(vectors, tensors)):
        if vector.shape != tensor.shape:
            raise RuntimeError(
                f"Mismatch in shape: {name}[{index}] has shape {tuple(vector.shape)}, "
                f"expected {tuple(tensor.shape)}"
            )


def _outputs_of(func, inputs):
    is_tuple, outputs = _tuple(func(*inputs), "outputs")
    return is_tuple, outputs


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T J). ``v`` may be omitted when func returns one scalar."""
    with grad_mode.enable_grad():
        inputs_tuple, inputs = _tuple(inputs, "inputs")
        inputs = _prepare(inputs, create_graph)
        outputs_tuple, outputs = _outputs_of(func, inputs)
        if v is None:
            if len(outputs) != 1 or outputs[0].numel() != 1:
                raise RuntimeError(
                    "The vector v can only be None if the user-provided function returns a "
                    "single Tensor with a single element."
                )
            v = (Tensor._make(np.ones_like(outputs[0].data)),)
        else:
            _, v = _tuple(v, "v")
        _check_same_shapes(v, outputs, "v")
        grads = _grads(outputs, inputs, v, create_graph, strict, "vjp")
    outputs = tuple(out if create_graph else out.detach() for out in outputs)
    return _restore(outputs_tuple, outputs), _restore(inputs_tuple, grads)


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), J v), by differentiating u -> u^T J with respect to u."""
    with grad_mode.enable_grad():
        _, inputs = _tuple(inputs, "inputs")
        inputs = _prepare(inputs, create_graph)
        if v is None:
            if len(inputs) != 1 or inputs[0].numel() != 1:
                raise RuntimeError(
                    "The vector v can only be None if the input to the user-provided function "
                    "is a single Tensor with a single element."
                )
            v = (Tensor._make(np.ones_like(inputs[0].data)),)
        else:
            _, v = _tuple(v, "v")
        _check_same_shapes(v, inputs, "v")
        outputs_tuple, outputs = _outputs_of(func, inputs)
        dummies = tuple(Tensor(np.zeros_like(out.data), requires_grad=True) for out in outputs)
        vjps = _grads(outputs, inputs, dummies, True, strict, "jvp")
        products = _grads(vjps, dummies, v, create_graph, strict, "jvp")
    outputs = tuple(out if create_graph else out.detach() for out in outputs)
    return _restore(outputs_tuple, outputs), _restore(outputs_tuple, products)


def jacobian(
    func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"
):
    """The Jacobian blocks, nested as PyTorch nests them (by output, then by input)."""
    if strategy not in ("reverse-mode", "forward-mode"):
        raise ValueError(
            f"Expected strategy to be 'forward-mode' or 'reverse-mode', got {strategy!r}"
        )
    with grad_mode.enable_grad():
        inputs_tuple, inputs = _tuple(inputs, "inputs")
        inputs = _prepare(inputs, create_graph)
        outputs_tuple, outputs = _outputs_of(func, inputs)
        blocks = []
        for output in outputs:
            rows = [[] for _ in inputs]
            flat = output.reshape(-1)
            for element in range(flat.numel()):
                seed = Tensor._make(np.zeros(flat.shape, flat.dtype))
                seed.data[element] = 1
                row = _grads((flat,), inputs, (seed,), create_graph, strict, "jacobian")
                for index, value in enumerate(row):
                    rows[index].append(value)
            per_input = []
            for index, tensor in enumerate(inputs):
                stacked = _stack_rows(rows[index], tensor, flat.numel())
                per_input.append(stacked.reshape(tuple(output.shape) + tuple(tensor.shape)))
            blocks.append(tuple(per_input))
    if not outputs_tuple:
        return _restore(inputs_tuple, blocks[0])
    if not inputs_tuple:
        return tuple(block[0] for block in blocks)
    return tuple(blocks)


def _stack_rows(rows, tensor, count):
    if not rows:
        return Tensor._make(np.zeros((count, *tensor.shape), tensor.dtype))
    from . import ops

    return ops.stack(rows, 0)


def hessian(
    func,
    inputs,
    create_graph=False,
    strict=False,
    vectorize=False,
    outer_jacobian_strategy="reverse-mode",
):
    """The Hessian of a scalar function: nested by input pairs when inputs is a tuple."""
    inputs_tuple, inputs_values = _tuple(inputs, "inputs")

    def gradient(*values):
        _, outputs = _outputs_of(func, values)
        if len(outputs) != 1 or outputs[0].numel() != 1:
            raise RuntimeError(
                "The function given to hessian should return a single Tensor with a single "
                f"element, got {len(outputs)} outputs of shapes {[tuple(o.shape) for o in outputs]}"
            )
        (output,) = outputs
        seed = Tensor._make(np.ones_like(output.data))
        return _grads((output,), values, (seed,), True, strict, "hessian")

    result = jacobian(gradient, inputs_values, create_graph=create_graph, strict=strict)
    return result if inputs_tuple else result[0][0]


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T H): a vjp of the gradient."""
    return _second_order(func, inputs, v, create_graph, strict, "vhp")


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), H v). H is symmetric for smooth f, so this equals v^T H."""
    return _second_order(func, inputs, v, create_graph, strict, "hvp")


def _second_order(func, inputs, v, create_graph, strict, what):
    with grad_mode.enable_grad():
        inputs_tuple, inputs = _tuple(inputs, "inputs")
        inputs = _prepare(inputs, create_graph)
        _, outputs = _outputs_of(func, inputs)
        if len(outputs) != 1 or outputs[0].numel() != 1:
            raise RuntimeError(
                f"The function given to {what} should return a single Tensor with a single element"
            )
        if v is None:
            if len(inputs) != 1 or inputs[0].numel() != 1:
                raise RuntimeError(
                    "The vector v can only be None if the input to the user-provided function "
                    "is a single Tensor with a single element."
                )
            v = (Tensor._make(np.ones_like(inputs[0].data)),)
        else:
            _, v = _tuple(v, "v")
        _check_same_shapes(v, inputs, "v")
        (output,) = outputs
        seed = Tensor._make(np.ones_like(output.data))
        gradients = _grads((output,), inputs, (seed,), True, strict, what)
        products = _grads(gradients, inputs, v, create_graph, strict, what)
    value = output if create_graph else output.detach()
    return value, _restore(inputs_tuple, products)
