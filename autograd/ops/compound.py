"""Ops written with other ops: addcmul, addcdiv, lerp and addmm (the updates of hand-written
optimizers and layers), frac, sgn and nan_to_num. Their gradients are those of the ops
they are made of.
"""

import numpy as np

from ..tensor import Tensor
from .arithmetic import add, div, mul, sub
from .common import as_number_arg, as_tensor_arg
from .elementwise import sign, trunc
from .linalg import mm
from .selection import replacing, where


def addcmul(input, tensor1, tensor2, *, value=1):  # noqa: A002 - PyTorch's parameter names
    """input + value * tensor1 * tensor2 (broadcast)"""
    product = mul(tensor1, tensor2)
    return add(input, product if value == 1 else mul(product, value))


def addcdiv(input, tensor1, tensor2, *, value=1):  # noqa: A002
    """input + value * tensor1 / tensor2 (broadcast); integer tensors are refused, as in
    PyTorch (its integer division here was removed)."""
    for tensor in (tensor1, tensor2):
        if isinstance(tensor, Tensor) and tensor.data.dtype.kind in "biu":
            raise RuntimeError(
                "Integer division with addcdiv is no longer supported: use a floating point "
                f"tensor1 and tensor2 (got {tensor1.dtype} and {tensor2.dtype})"
            )
    quotient = div(tensor1, tensor2)
    return add(input, quotient if value == 1 else mul(quotient, value))


def lerp(input, end, weight):  # noqa: A002
    """input + weight * (end - input), computed as PyTorch does for accuracy: from ``end``
    backward, end - (end - input) * (1 - weight), where weight >= 0.5."""
    as_tensor_arg(input, "input", "lerp")
    difference = sub(end, input)
    if not isinstance(weight, Tensor):
        if weight < 0.5:
            return add(input, mul(difference, weight))
        return sub(end, mul(difference, 1 - weight))
    near_input = add(input, mul(difference, weight))
    near_end = sub(end, mul(difference, sub(1, weight)))
    return where(weight < 0.5, near_input, near_end)


def addmm(input, mat1, mat2, *, beta=1, alpha=1):  # noqa: A002
    """beta * input + alpha * (mat1 @ mat2), input broadcast to (n, p); with beta = 0 the
    values of input are ignored (its NaN and inf too), as in PyTorch."""
    for name, tensor in (("mat1", mat1), ("mat2", mat2)):
        if as_tensor_arg(tensor, name, "addmm").ndim != 2:
            raise RuntimeError(f"{name} must be a matrix, got {tensor.ndim}-D tensor")
    as_tensor_arg(input, "input", "addmm")
    out = mm(mat1, mat2)
    try:
        fits = np.broadcast_shapes(input.shape, out.shape) == out.shape
    except ValueError:
        fits = False
    if not fits:
        raise RuntimeError(
            f"addmm: the input of shape {input.shape} does not broadcast to the product's "
            f"shape {out.shape}"
        )
    if alpha != 1:
        out = mul(out, alpha)
    if beta == 0:  # the product, and for input a gradient of 0 (beta * g), as in PyTorch
        return replacing(out, input)
    return add(input if beta == 1 else mul(input, beta), out)


def frac(input):  # noqa: A002
    """input - trunc(input): the fractional part, with input's sign (exact in floating
    point); d input = g."""
    return sub(input, trunc(input))


def sgn(input):  # noqa: A002
    """The sign of each element (for real tensors, ``sign``)."""
    return sign(input)


def nan_to_num(input, nan=0.0, posinf=None, neginf=None):  # noqa: A002
    """NaN, +inf and -inf replaced by ``nan``, ``posinf`` and ``neginf`` (by default 0 and
    the dtype's largest and smallest finite values); the gradient passes where input is
    finite and is 0 where a value was replaced."""
    as_tensor_arg(input, "input", "nan_to_num")
    for name, value in (("nan", nan), ("posinf", posinf), ("neginf", neginf)):
        if value is not None:
            as_number_arg(value, name, "nan_to_num")
    data = input.data
    if data.dtype.kind != "f":
        return input.clone()
    replaced = np.nan_to_num(data, nan=0.0 if nan is None else nan, posinf=posinf, neginf=neginf)
    finite = Tensor._make(np.isfinite(data))
    return where(finite, input, Tensor._make(replaced))
