"""Affine maps: linear and bilinear."""

from autograd import ops
from autograd.ops.common import as_tensor_arg


def linear(input, weight, bias=None):  # noqa: A002 - PyTorch's parameter name
    """y = x W^T + b.

    Shapes: input (*, in_features), weight (out_features, in_features), bias (out_features),
    output (*, out_features).
    """
    as_tensor_arg(input, "input", "linear")
    as_tensor_arg(weight, "weight", "linear")
    if input.ndim == 0 or weight.ndim not in (1, 2) or input.shape[-1] != weight.shape[-1]:
        raise RuntimeError(
            f"linear: input of shape {tuple(input.shape)} and weight of shape "
            f"{tuple(weight.shape)} cannot be multiplied (the last dims must agree: "
            "weight is (out_features, in_features))"
        )
    if weight.ndim == 2:
        if bias is not None and tuple(bias.shape) not in ((weight.shape[0],), (), (1,)):
            raise RuntimeError(
                f"linear: bias of shape {tuple(bias.shape)} does not match weight of shape "
                f"{tuple(weight.shape)} (expected ({weight.shape[0]},))"
            )
        return ops.linear(input, weight, bias)  # one fused op (autograd/ops/fused_linear.py)
    out = ops.matmul(input, weight)
    return out if bias is None else out + bias


def bilinear(input1, input2, weight, bias=None):
    """y_k = x1^T A_k x2 + b_k.

    Shapes: input1 (*, in1), input2 (*, in2) with the same leading dims, weight
    (out, in1, in2), bias (out), output (*, out).
    """
    if weight.ndim != 3:
        raise RuntimeError(
            f"bilinear: weight must be 3-d (out, in1, in2), got shape {tuple(weight.shape)}"
        )
    out_features, in1, in2 = weight.shape
    lead = input1.shape[:-1]
    if input1.shape != (*lead, in1) or input2.shape != (*lead, in2):
        raise RuntimeError(
            f"bilinear: inputs of shapes {tuple(input1.shape)} and {tuple(input2.shape)} do not "
            f"match weight of shape {tuple(weight.shape)} (expected (*, {in1}) and (*, {in2}) "
            "with equal leading dims)"
        )
    # (*, in1) @ (in1, out * in2) -> (*, out, in2), then contract in2 against input2.
    projected = ops.matmul(input1, weight.permute(1, 0, 2).reshape(in1, out_features * in2))
    projected = projected.reshape(*input1.shape[:-1], out_features, in2)
    out = ops.matmul(projected, input2.unsqueeze(-1)).squeeze(-1)
    return out if bias is None else out + bias
