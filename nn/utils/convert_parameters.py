"""Flatten parameters into one vector and back (for line searches, second-order methods)."""

import numpy as np

from autograd import ops
from autograd.tensor import Tensor

from ..init import _copy_into


def parameters_to_vector(parameters):
    """One 1-d tensor: the parameters flattened and concatenated, in order (differentiable).

    >>> nn.utils.parameters_to_vector(nn.Linear(3, 2).parameters()).shape
    (8,)
    """
    if isinstance(parameters, Tensor):
        raise TypeError(
            "parameters_to_vector: expected an iterable of Tensors, got a single Tensor"
        )
    return ops.cat([param.reshape(-1) for param in parameters])


def vector_to_parameters(vec, parameters):
    """Copy consecutive slices of the 1-d ``vec`` into the parameters, in place."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"vector_to_parameters: expected a Tensor, got {type(vec).__name__}")
    if isinstance(parameters, Tensor):
        raise TypeError(
            "vector_to_parameters: expected an iterable of Tensors, got a single Tensor"
        )
    parameters = list(parameters)
    total = sum(param.numel() for param in parameters)
    if vec.ndim != 1 or vec.numel() != total:
        raise ValueError(
            f"vector_to_parameters: vec of shape {tuple(vec.shape)} does not hold the "
            f"{total} elements of the parameters"
        )
    offsets = np.cumsum([0] + [param.numel() for param in parameters])
    for param, start, end in zip(parameters, offsets[:-1], offsets[1:]):
        _copy_into(param, vec.data[start:end].reshape(param.shape))
