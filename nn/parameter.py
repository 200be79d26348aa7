"""Parameter: a Tensor that a Module registers as one of its learnable weights."""

import numpy as np

from autograd import dtypes
from autograd.tensor import Tensor, version_counter


class Parameter(Tensor):
    """A leaf Tensor that requires grad by default; assigning one to a Module attribute
    registers it, so it appears in ``parameters()`` and ``state_dict()``.

    It shares the given tensor's array (no copy). Ops on it return plain Tensors.

    >>> w = nn.Parameter(ag.ones(2))
    >>> w.requires_grad
    True
    """

    __slots__ = ()

    def __init__(self, data=None, requires_grad=True):
        if data is None:
            self.data = np.empty((0,), dtype=dtypes.get_default_dtype())
        elif isinstance(data, Tensor):
            self.data = data.data
            self._version = version_counter(data)
        else:
            raise TypeError(f"Parameter(): data must be a Tensor, not {type(data).__name__}")
        if requires_grad:
            self.requires_grad = True

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()
