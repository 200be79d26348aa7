"""Finite-difference checks of gradients: gradcheck and gradgradcheck (PyTorch's semantics).

gradcheck compares, for every (output, input) pair, the analytical Jacobian (one backward
pass per output element) with the numerical one (central differences in float64):

    J_num[i, j] = (f(x + eps e_j)_i - f(x - eps e_j)_i) / (2 eps)

and passes when |J_ana - J_num| <= atol + rtol |J_num| everywhere.
"""

import numpy as np

from .engine import grad as autograd_grad
from .tensor import Tensor


class GradcheckError(RuntimeError):
    """A failed gradcheck (a RuntimeError, as in PyTorch)."""


def _as_tuple(value):
    return value if isinstance(value, tuple) else (value,)


def _differentiable(inputs):
    return [
        index
        for index, value in enumerate(inputs)
        if isinstance(value, Tensor) and value.requires_grad
    ]


def _outputs(function, inputs):
    return [out for out in _as_tuple(function(*inputs)) if isinstance(out, Tensor)]


def _numerical_jacobians(function, inputs, input_index, eps):
    """Numerical Jacobian blocks, one per output: shape (output numel, input numel)."""
    tensor = inputs[input_index]
    flat = tensor.data.reshape(-1)  # a view: perturbing it perturbs the input in place
    columns = []
    for j in range(flat.size):
        original = flat[j]
        flat[j] = original + eps
        plus = [
            out.data.astype(np.float64).reshape(-1).copy() for out in _outputs(function, inputs)
        ]
        flat[j] = original - eps
        minus = [
            out.data.astype(np.float64).reshape(-1).copy() for out in _outputs(function, inputs)
        ]
        flat[j] = original
        columns.append([(p - m) / (2 * eps) for p, m in zip(plus, minus)])
    outputs = _outputs(function, inputs)
    return [
        np.stack([column[k] for column in columns], axis=1)
        if columns
        else np.zeros((out.data.size, 0))
        for k, out in enumerate(outputs)
    ]


def _analytical_jacobians(outputs, inputs, input_indices):
    """Analytical Jacobian blocks [output][input]: one backward pass per output element."""
    blocks = [
        [np.zeros((out.data.size, inputs[i].data.size)) for i in input_indices] for out in outputs
    ]
    targets = [inputs[i] for i in input_indices]
    for k, out in enumerate(outputs):
        if not out.requires_grad:
            continue
        for row in range(out.data.size):
            seed = np.zeros(out.data.size, dtype=out.data.dtype)
            seed[row] = 1
            grads = autograd_grad(
                out,
                targets,
                Tensor._make(seed.reshape(out.data.shape)),
                retain_graph=True,
                allow_unused=True,
            )
            for column, value in enumerate(grads):
                if value is not None:
                    blocks[k][column][row] = value.data.reshape(-1)
    return blocks


def gradcheck(
    func,
    inputs,
    *,
    eps=1e-6,
    atol=1e-5,
    rtol=1e-3,
    raise_exception=True,
    nondet_tol=0.0,
    check_undefined_grad=True,
    fast_mode=False,
):
    """Check analytical gradients of ``func`` against central differences.

    ``inputs`` is a Tensor or a tuple; Tensors with ``requires_grad`` are checked and must be
    float64. ``nondet_tol`` and ``check_undefined_grad`` are accepted for PyTorch
    compatibility; chainrule's backward is deterministic and always defines every gradient.
    Returns True, or raises a RuntimeError naming the input, the output, the worst element,
    and the analytical and numerical values there (returns False with
    ``raise_exception=False``).

    >>> x = ag.randn(3, dtype=ag.float64, requires_grad=True)
    >>> ag.gradcheck(ag.sin, (x,))
    True
    """
    inputs = _as_tuple(inputs)
    indices = _differentiable(inputs)
    for index in indices:
        if inputs[index].dtype != np.float64:
            raise GradcheckError(
                f"gradcheck: input {index} is {inputs[index].dtype}; finite differences need "
                "float64 to be meaningful (float32 rounding swamps the difference quotient). "
                "Pass inputs created with dtype=ag.float64."
            )
    if not indices:
        raise ValueError("gradcheck expects at least one input tensor to require gradient")
    outputs = _outputs(func, inputs)
    analytical = _analytical_jacobians(outputs, inputs, indices)
    for column, input_index in enumerate(indices):
        numerical = _numerical_jacobians(func, inputs, input_index, eps)
        for k in range(len(outputs)):
            failure = _compare(analytical[k][column], numerical[k], atol, rtol)
            if failure is None:
                continue
            row, col = failure
            message = (
                f"Jacobian mismatch for output {k} with respect to input {input_index},\n"
                f"worst element: d output[{k}].flat[{row}] / d input[{input_index}].flat[{col}] "
                f"(output index {_index(row, outputs[k].shape)}, "
                f"input index {_index(col, inputs[input_index].shape)})\n"
                f"analytical: {analytical[k][column][row, col]!r}\n"
                f"numerical:  {numerical[k][row, col]!r}\n"
                f"analytical Jacobian:\n{analytical[k][column]}\n"
                f"numerical Jacobian:\n{numerical[k]}"
            )
            if raise_exception:
                raise GradcheckError(message)
            return False
    return True


def _index(flat, shape):
    """A flat position as a tuple of plain ints (NumPy 2 would print np.int64(...))."""
    return tuple(int(i) for i in np.unravel_index(flat, shape)) if shape else ()


def _compare(analytical, numerical, atol, rtol):
    """(row, column) of the worst violation of |a - n| <= atol + rtol |n|, or None."""
    if analytical.shape != numerical.shape:
        return (0, 0)
    excess = np.abs(analytical - numerical) - (atol + rtol * np.abs(numerical))
    bad = ~(excess <= 0)  # NaN counts as a failure
    if not bad.any():
        return None
    excess = np.where(np.isnan(excess), np.inf, excess)
    return np.unravel_index(np.argmax(np.where(bad, excess, -np.inf)), excess.shape)


def gradgradcheck(
    func,
    inputs,
    grad_outputs=None,
    *,
    eps=1e-6,
    atol=1e-5,
    rtol=1e-3,
    gen_non_contig_grad_outputs=False,
    raise_exception=True,
    nondet_tol=0.0,
    check_undefined_grad=True,
    fast_mode=False,
):
    """Check second derivatives: gradcheck of the function (inputs, v) -> v^T J(inputs).

    ``grad_outputs`` (v) are drawn at random in float64 when not given, as in PyTorch.
    """
    inputs = _as_tuple(inputs)
    outputs = [out for out in _outputs(func, inputs) if out.requires_grad]
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = tuple(
            Tensor(rng.standard_normal(out.shape), requires_grad=True) for out in outputs
        )
    grad_outputs = _as_tuple(grad_outputs)
    indices = _differentiable(inputs)
    count = len(inputs)

    def first_derivative(*values):
        primal, seeds = values[:count], values[count:]
        outs = [out for out in _outputs(func, primal) if out.requires_grad]
        differentiable = [primal[i] for i in indices]
        grads = autograd_grad(outs, differentiable, seeds, create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(
        first_derivative,
        inputs + grad_outputs,
        eps=eps,
        atol=atol,
        rtol=rtol,
        raise_exception=raise_exception,
    )
