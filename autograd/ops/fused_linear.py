"""The affine map of ``nn.Linear`` in one op: out = x W^T + b.

Composed from primitives it takes three nodes (transpose, matmul, add) and a temporary for
x W^T before the bias is added; fused, the bias is added in place into the GEMM's output and
the backward is three BLAS-level products. Leading dims of x are folded into the rows, so
one GEMM serves any batch shape.
"""

import numpy as np

from .. import dtypes
from ..function import Function
from .common import as_array
from .linalg import MatMul
from .registry import register


@register
class Linear(Function):
    """out = x W^T + b, x (*, in), W (out, in), b (out) or None; with rows X = x folded to
    (n, in) and G = g folded to (n, out): dx = G W, dW = G^T X, db = sum of G's rows"""

    @staticmethod
    def forward(ctx, x, weight, bias):
        dtype = (
            dtypes.result_type(x, weight) if bias is None else dtypes.result_type(x, weight, bias)
        )
        rows = as_array(x, dtype).reshape(-1, weight.data.shape[1])
        out = np.matmul(rows, as_array(weight, dtype).T)
        if bias is not None:
            out += as_array(bias, dtype)
        ctx.save_for_backward(x, weight)
        return out.reshape(x.data.shape[:-1] + out.shape[-1:])

    @staticmethod
    def backward(ctx, grad_output):
        x, weight = ctx.saved_tensors
        needs_x, needs_weight, needs_bias = ctx.needs_input_grad
        out_features, in_features = weight.shape
        grad_rows = grad_output if grad_output.ndim == 2 else grad_output.reshape(-1, out_features)
        grad_x = grad_weight = grad_bias = None
        if needs_x:
            grad_x = MatMul.apply(grad_rows, weight)
            grad_x = grad_x if x.ndim == 2 else grad_x.reshape(x.shape)
        if needs_weight:
            rows = x if x.ndim == 2 else x.reshape(-1, in_features)
            grad_weight = MatMul.apply(grad_rows, rows, transpose_a=True)
        if needs_bias:
            grad_bias = grad_rows.sum(0)
        return grad_x, grad_weight, grad_bias


def linear(input, weight, bias=None):  # noqa: A002 - PyTorch's parameter name
    """x W^T + b for x (*, in_features), a 2-D weight (out_features, in_features) and an
    optional bias (out_features); the caller checks the shapes (``nn.functional.linear``).

    >>> ag.ops.linear(ag.ones(2, 3), ag.ones(4, 3), ag.zeros(4)).shape
    (2, 4)
    """
    return Linear.apply(input, weight, bias)
