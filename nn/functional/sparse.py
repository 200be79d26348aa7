"""Lookups by integer index: embedding and one_hot."""

import numpy as np

from autograd import grad_mode, ops
from autograd.ops.common import as_tensor_arg
from autograd.tensor import Tensor, version_counter


def _check_indices(input, num_embeddings):  # noqa: A002 - PyTorch's parameter name
    if input.dtype.kind not in "iu":
        raise RuntimeError(
            f"embedding: expected indices of an integer dtype (int64 or int32), got {input.dtype}"
        )
    if input.numel() and (input.data.min() < 0 or input.data.max() >= num_embeddings):
        bad = input.data[(input.data < 0) | (input.data >= num_embeddings)].flat[0]
        raise IndexError(
            f"embedding: index {bad} is out of range for an embedding table of "
            f"{num_embeddings} rows"
        )


def _renorm_rows(weight, indices, max_norm, norm_type):
    """Scale the looked-up rows whose ``norm_type``-norm exceeds ``max_norm`` down to it,
    in place under no_grad (as PyTorch's ``embedding_renorm_``)."""
    rows = np.unique(indices)
    norms = np.linalg.norm(weight.data[rows], ord=norm_type, axis=1)
    scale = np.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0)
    weight.data[rows] *= scale.astype(weight.dtype)[:, None]
    version_counter(weight)[0] += 1


def embedding(
    input,  # noqa: A002
    weight,
    padding_idx=None,
    max_norm=None,
    norm_type=2.0,
    scale_grad_by_freq=False,
    sparse=False,
):
    """out[...] = weight[input[...]]: the rows of ``weight`` at the given indices.

    Shapes: input (*) integer, weight (num_embeddings, embedding_dim), output
    (*, embedding_dim). The row at ``padding_idx`` receives no gradient. With ``max_norm``,
    the rows looked up are first renormalised in place to at most that norm.

    >>> F.embedding(ag.tensor([[0, 2]]), ag.eye(3)).shape
    (1, 2, 3)
    """
    as_tensor_arg(input, "input", "embedding")
    as_tensor_arg(weight, "weight", "embedding")
    if scale_grad_by_freq or sparse:
        raise NotImplementedError("embedding: scale_grad_by_freq and sparse are not supported")
    if weight.ndim != 2:
        raise RuntimeError(f"embedding: weight must be 2-d, got shape {tuple(weight.shape)}")
    num_embeddings = weight.shape[0]
    _check_indices(input, num_embeddings)
    if padding_idx is not None:
        if not -num_embeddings <= padding_idx < num_embeddings:
            raise ValueError(
                f"embedding: padding_idx {padding_idx} must be within num_embeddings "
                f"{num_embeddings}"
            )
        padding_idx %= num_embeddings
    if max_norm is not None:
        with grad_mode.no_grad():
            _renorm_rows(weight, input.data, max_norm, norm_type)
    rows = weight[input]
    if padding_idx is None or not rows.requires_grad:
        return rows
    padding = input.data == padding_idx
    if not padding.any():
        return rows
    # Same values; the gradient of the padding positions is cut off.
    keep = Tensor._make(~padding[..., None])
    return ops.where(keep, rows, rows.detach())


def one_hot(tensor, num_classes=-1):
    """A (*, num_classes) int64 tensor with a 1 at each index of ``tensor`` (*); -1 means
    max(tensor) + 1 classes."""
    return ops.one_hot(tensor, num_classes)
