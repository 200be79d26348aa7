"""Linear algebra: matmul (every rank combination, batched and broadcast), mm, bmm, dot,
outer and einsum.

Forward passes call ``np.matmul`` / ``np.dot`` / ``np.einsum`` directly (BLAS). The gradient
of ``a @ b`` is two more matmuls, ``g @ b^T`` and ``a^T @ g``; the transposes are strided
views handed to BLAS (the ``transpose_a`` / ``transpose_b`` options of ``MatMul``), never
copies. Gradients come back at the broadcast batch shape and the engine sums them down to
each input's batch shape.
"""

import builtins
import math

import numpy as np

from .. import dtypes
from ..function import Function
from ..tensor import Tensor
from .arithmetic import save_for_each_other
from .common import as_array, as_tensor_arg, operands
from .registry import register


def _swap(array, transpose):
    return array.swapaxes(-1, -2) if transpose else array


@register
class MatMul(Function):
    """out = A' @ B' with A' = A^T if transpose_a else A (same for B); operands >= 2-D,
    batch dims broadcast. For out = A @ B: dA = g @ B^T, dB = A^T @ g."""

    @staticmethod
    def forward(ctx, a, b, *, transpose_a=False, transpose_b=False):
        if ctx._edges:  # recording
            save_for_each_other(ctx, a, b)
        ctx.transposes = (transpose_a, transpose_b)
        x, y = operands(a, b)
        return np.matmul(_swap(x, transpose_a), _swap(y, transpose_b))

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        transpose_a, transpose_b = ctx.transposes
        needs_a, needs_b = ctx.needs_input_grad
        grad_a = grad_b = None
        # d(A') = g @ B'^T; when A' = A^T, dA = (g @ B'^T)^T = B' @ g^T (and likewise for B).
        if needs_a:
            if transpose_a:
                grad_a = MatMul.apply(b, grad_output, transpose_a=transpose_b, transpose_b=True)
            else:
                grad_a = MatMul.apply(grad_output, b, transpose_b=not transpose_b)
        if needs_b:
            if transpose_b:
                grad_b = MatMul.apply(grad_output, a, transpose_a=True, transpose_b=transpose_a)
            else:
                grad_b = MatMul.apply(a, grad_output, transpose_a=not transpose_a)
        return grad_a, grad_b


@register
class Dot(Function):
    """out = sum_i a_i b_i (1-D a, b; a 0-d result); da = g * b, db = g * a"""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        x, y = operands(a, b)
        return np.asarray(np.dot(x, y))

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        needs_a, needs_b = ctx.needs_input_grad
        return (grad_output * b if needs_a else None), (grad_output * a if needs_b else None)


@register
class Einsum(Function):
    """out = einsum(equation, *operands); d(operand k) = einsum with the output's subscripts
    and operand k's swapped (see ``_gradient_equation``). ``equation`` is explicit, without
    ellipses or spaces (``einsum`` normalises it)."""

    @staticmethod
    def forward(ctx, *tensors, equation):
        ctx.save_for_backward(*tensors)
        ctx.equation = equation
        dtype = dtypes.result_type(*tensors)
        arrays = [as_array(tensor, dtype) for tensor in tensors]
        return np.asarray(np.einsum(equation, *arrays, optimize=len(arrays) > 1))

    @staticmethod
    def backward(ctx, grad_output):
        tensors = ctx.saved_tensors
        inputs, output = ctx.equation.split("->")
        subscripts = inputs.split(",")
        grads = []
        for index, needs in enumerate(ctx.needs_input_grad):
            if not needs:
                grads.append(None)
                continue
            others = [(subscripts[k], tensors[k]) for k in range(len(tensors)) if k != index]
            equation, operand_list = _gradient_equation(
                subscripts[index],
                tensors[index].shape,
                [(output, grad_output), *others],
                grad_output.dtype,
            )
            grad = Einsum.apply(*operand_list, equation=equation)
            # A label of size 1 in every other operand comes back at size 1: broadcast it
            # (labels this operand broadcast come back full size; the engine sums them).
            shape = np.broadcast_shapes(grad.shape, tensors[index].shape)
            grads.append(grad if grad.shape == shape else grad.expand(shape))
        return tuple(grads)


def _gradient_equation(target, shape, operands_with_subscripts, dtype):
    """The einsum giving the gradient of the operand with subscripts ``target`` and ``shape``.

    Its output is ``target``, with each repeated label renamed to a fresh one tied to the
    first by an identity-matrix operand (the gradient of a diagonal lives on the diagonal);
    a label no other operand has (summed out in forward) gets a ones-vector operand, which
    broadcasts the gradient along it. Returns (equation, operands).
    """
    used = set("".join(subscript for subscript, _ in operands_with_subscripts) + target)
    fresh = (letter for letter in _LETTERS if letter not in used)
    pairs = list(operands_with_subscripts)
    available = set("".join(subscript for subscript, _ in pairs))
    result = []
    sizes = dict(zip(target, shape))
    for label, size in zip(target, shape):
        if label in result:
            new_label = next(fresh)
            pairs.append((label + new_label, Tensor._make(np.eye(sizes[label], size, dtype=dtype))))
            result.append(new_label)
            continue
        if label not in available:
            pairs.append((label, Tensor._make(np.ones(size, dtype))))
            available.add(label)
        result.append(label)
    subscripts = ",".join(subscript for subscript, _ in pairs)
    return subscripts + "->" + "".join(result), [operand for _, operand in pairs]


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _parse_equation(equation, tensors):
    """Rewrite an einsum equation in explicit form with ellipses spelled out as letters.

    'ij,jk' -> 'ij,jk->ik'; '...ij->...j' with a 4-D operand -> 'Zaij->Zaj' (fresh letters).
    Raises torch's errors for bad subscripts, wrong operand counts and dimension mismatches.
    """
    equation = equation.replace(" ", "")
    inputs, arrow, output = equation.partition("->")
    subscripts = inputs.split(",")
    if len(subscripts) != len(tensors):
        fewer = "fewer" if len(tensors) < len(subscripts) else "more"
        raise RuntimeError(
            f"einsum(): {fewer} operands were provided than specified in the equation "
            f"('{equation}' has {len(subscripts)}, got {len(tensors)})"
        )
    for position, char in enumerate(equation):
        if char not in _LETTERS and char not in ".,->":
            raise RuntimeError(
                f"einsum(): invalid subscript given at index {position} in the equation "
                "string, subscripts must be in [a-zA-Z]"
            )
    spare = [letter for letter in reversed(_LETTERS) if letter not in equation]
    ellipsis_dims = 0
    expanded = []
    for index, (subscript, tensor) in enumerate(zip(subscripts, tensors)):
        labels = subscript.replace("...", "")
        ndim = tensor.ndim
        if "..." not in subscript and len(labels) != ndim:
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(labels)}) does not "
                f"match the number of dimensions ({ndim}) for operand {index} and no ellipsis "
                "was given"
            )
        if "..." in subscript and len(labels) > ndim:
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(labels)}) is more "
                f"than the number of dimensions ({ndim}) for operand {index}"
            )
        count = ndim - len(labels)
        ellipsis_dims = builtins.max(ellipsis_dims, count)
        expanded.append((subscript, count))
    ellipsis = "".join(spare[:ellipsis_dims][::-1])
    subscripts = [s.replace("...", ellipsis[len(ellipsis) - n :] if n else "") for s, n in expanded]
    if arrow:
        output = output.replace("...", ellipsis)
    else:
        labels = [label for label in "".join(subscripts) if label not in ellipsis]
        once = sorted(label for label in set(labels) if labels.count(label) == 1)
        output = ellipsis + "".join(once)
    _check_labels(subscripts, output, tensors)
    return ",".join(subscripts) + "->" + output


def _check_labels(subscripts, output, tensors):
    """Every output label appears once and in some input; equal labels have equal sizes."""
    sizes = {}
    for index, (subscript, tensor) in enumerate(zip(subscripts, tensors)):
        own = {}
        for label, size in zip(subscript, tensor.shape):
            if label in own and own[label] != size:
                raise RuntimeError(
                    f"einsum(): subscript {label} is repeated for operand {index} but the sizes "
                    f"don't match, {size} != {own[label]}"
                )
            own[label] = size
            seen = sizes.get(label, 1)
            if size != 1 and seen != 1 and size != seen:
                raise RuntimeError(
                    f"einsum(): subscript {label} has size {size} for operand {index} which "
                    f"does not broadcast with previously seen size {seen}"
                )
            sizes[label] = builtins.max(seen, size)
    for label in output:
        if label not in sizes:
            raise RuntimeError(
                f"einsum(): output subscript {label} does not appear in the equation for any "
                "input operand"
            )
        if output.count(label) > 1:
            raise RuntimeError(
                f"einsum(): output subscript {label} appears more than once in the output"
            )


def _shape_text(shape):
    return "x".join(map(str, shape))


def _mismatch(op, a_shape, b_shape):
    raise RuntimeError(
        f"{op}: mat1 and mat2 shapes cannot be multiplied ({_shape_text(a_shape)} and "
        f"{_shape_text(b_shape)})"
    )


def _refuse_bool(op, a, b):
    if a.data.dtype.kind == "b" and b.data.dtype.kind == "b":
        raise RuntimeError(f"{op}: not implemented for bool tensors (got two bool operands)")


def matmul(input, other):  # noqa: A002 - PyTorch's parameter names
    """The matrix product with NumPy/PyTorch rank rules: 1-D @ 1-D is a dot product (0-d),
    a 1-D operand is a row (left) or column (right) vector removed from the result, and
    the batch dims of N-D operands broadcast: (..., m, k) @ (..., k, n) -> (..., m, n).

    >>> ag.matmul(ag.ones(2, 3), ag.ones(3)).shape
    (2,)
    """
    as_tensor_arg(input, "input", "matmul")
    as_tensor_arg(other, "other", "matmul")
    _refuse_bool("matmul", input, other)
    a_shape, b_shape = input.shape, other.shape
    if not a_shape or not b_shape:
        raise RuntimeError(
            "both arguments to matmul need to be at least 1D, but they are "
            f"{len(a_shape)}D and {len(b_shape)}D"
        )
    if len(a_shape) == 1 and len(b_shape) == 1:
        return dot(input, other)
    k = a_shape[-1]
    if len(b_shape) == 1:
        if b_shape[0] != k:
            raise RuntimeError(
                f"matmul: size mismatch, got input ({a_shape[0]}), mat ({_shape_text(a_shape)}), "
                f"vec ({b_shape[0]})"
            )
        # (..., m, k) @ (k,): one GEMM of the folded rows with a column, the column dropped.
        # The row count is explicit: reshape cannot infer a -1 when k == 0.
        rows = math.prod(a_shape[:-1])
        out = MatMul.apply(input.reshape((rows, k)), other.reshape((k, 1)))
        return out.reshape(a_shape[:-1])
    if b_shape[-2] != k:
        if len(b_shape) == 2 or len(a_shape) == 1:
            rows = int(np.prod(a_shape[:-1]))  # N-D @ 2-D folds the batch into the rows
        else:
            rows = a_shape[-2]
        _mismatch("matmul", (rows, k), b_shape[-2:])
    if len(a_shape) == 1:
        out = MatMul.apply(input.reshape((1, k)), other)
        return out.reshape(b_shape[:-2] + b_shape[-1:])
    if len(b_shape) == 2 and len(a_shape) > 2:
        # Fold the batch into the rows: one large GEMM instead of a loop of small ones.
        out = MatMul.apply(input.reshape((math.prod(a_shape[:-1]), k)), other)
        return out.reshape(a_shape[:-1] + b_shape[-1:])
    if a_shape[:-2] != b_shape[:-2]:  # (equal batch dims need no check)
        _check_batch("matmul", a_shape[:-2], b_shape[:-2])
    return MatMul.apply(input, other)


def _check_batch(op, batch_a, batch_b):
    try:
        np.broadcast_shapes(batch_a, batch_b)
    except ValueError:
        for offset in range(1, builtins.min(len(batch_a), len(batch_b)) + 1):
            size_a, size_b = batch_a[-offset], batch_b[-offset]
            if size_a != size_b and 1 not in (size_a, size_b):
                dim = builtins.max(len(batch_a), len(batch_b)) - offset
                raise RuntimeError(
                    f"{op}: The size of tensor a ({size_a}) must match the size of tensor b "
                    f"({size_b}) at non-singleton dimension {dim} (batch shapes "
                    f"{tuple(batch_a)} and {tuple(batch_b)})"
                ) from None


def mm(input, mat2):  # noqa: A002
    """The product of two matrices: (n, m) @ (m, p) -> (n, p); no broadcasting."""
    for name, tensor in (("self", input), ("mat2", mat2)):
        if as_tensor_arg(tensor, name, "mm").ndim != 2:
            raise RuntimeError(f"mm: {name} must be a matrix (got shape {tuple(tensor.shape)})")
    if input.shape[1] != mat2.shape[0]:
        _mismatch("mm", input.shape, mat2.shape)
    _refuse_bool("mm", input, mat2)
    return MatMul.apply(input, mat2)


def bmm(input, mat2):  # noqa: A002
    """Batched matrix product: (b, n, m) @ (b, m, p) -> (b, n, p); no broadcasting."""
    for name, tensor in (("batch1", input), ("batch2", mat2)):
        if as_tensor_arg(tensor, name, "bmm").ndim != 3:
            raise RuntimeError(f"bmm: {name} must be a 3D tensor (got shape {tuple(tensor.shape)})")
    expected = [input.shape[0], input.shape[2]]
    if list(mat2.shape[:2]) != expected:
        raise RuntimeError(
            "bmm: Expected size for first two dimensions of batch2 tensor to be: "
            f"{expected} but got: {list(mat2.shape[:2])}."
        )
    return MatMul.apply(input, mat2)


def dot(input, other):  # noqa: A002
    """The inner product of two 1-D tensors of equal length (a 0-d tensor)."""
    as_tensor_arg(input, "input", "dot")
    as_tensor_arg(other, "other", "dot")
    if input.ndim != 1 or other.ndim != 1:
        raise RuntimeError(
            f"dot: 1D tensors expected, but got {input.ndim}D and {other.ndim}D tensors"
        )
    if input.shape != other.shape:
        raise RuntimeError(
            f"dot: inconsistent tensor size, expected tensor [{input.shape[0]}] and src "
            f"[{other.shape[0]}] to have the same number of elements, but got "
            f"{input.shape[0]} and {other.shape[0]} elements respectively"
        )
    _refuse_bool("dot", input, other)
    return Dot.apply(input, other)


def outer(input, vec2):  # noqa: A002
    """out[i, j] = input[i] * vec2[j] (1-D inputs)."""
    for name, tensor in (("input", input), ("vec2", vec2)):
        if as_tensor_arg(tensor, name, "outer").ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {tensor.ndim}-D")
    return input.reshape((input.shape[0], 1)) * vec2.reshape((1, vec2.shape[0]))


def einsum(equation, *operands):
    """Einstein summation: ``einsum("bij,bjk->bik", a, b)``; operands may also come as one
    list. Implicit output (``"ij,jk"``), ellipses (``"...ij->...ji"``), broadcasting and
    repeated labels within an operand (``"ii->i"``, the diagonal) are supported.

    >>> ag.einsum("ii", ag.eye(3))
    tensor(3.)
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not isinstance(equation, str):
        raise TypeError(f"einsum(): equation must be a str, not {type(equation).__name__}")
    for index, operand in enumerate(operands):
        as_tensor_arg(operand, f"operands[{index}]", "einsum")
    return Einsum.apply(*operands, equation=_parse_equation(equation, operands))
