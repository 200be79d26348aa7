"""Sinusoidal positional encoding ("Attention Is All You Need", section 3.5).

PyTorch has no such layer; this is the usual tutorial module, with a functional helper.
"""

import numpy as np

import autograd as ag

from .. import functional as F
from ..module import Module


def sinusoidal_positional_encoding(length, d_model, dtype=None):
    """(length, d_model) table: PE[p, 2i] = sin(p / 10000^(2i / d_model)),
    PE[p, 2i + 1] = cos(p / 10000^(2i / d_model)).

    >>> sinusoidal_positional_encoding(50, 16).shape
    (50, 16)
    """
    if length < 0 or d_model <= 0:
        raise ValueError(
            f"positional encoding: need length >= 0 and d_model > 0, got {length}, {d_model}"
        )
    position = np.arange(length, dtype=np.float64)[:, None]
    frequency = np.exp(np.arange(0, d_model, 2) * (-np.log(10000.0) / d_model))
    table = np.zeros((length, d_model))
    table[:, 0::2] = np.sin(position * frequency)
    table[:, 1::2] = np.cos(position * frequency[: d_model // 2])
    return ag.tensor(table, dtype=ag.get_default_dtype() if dtype is None else dtype)


class PositionalEncoding(Module):
    """x + PE[:L] (then dropout), PE the sinusoidal table of ``sinusoidal_positional_encoding``
    kept as a non-persistent buffer ``pe`` of shape (max_len, d_model).

    Shape: input (L, N, E) (``batch_first``: (N, L, E)) or (L, E); output the same.

    >>> PositionalEncoding(16, batch_first=True)(ag.zeros(2, 10, 16)).shape
    (2, 10, 16)
    """

    def __init__(self, d_model, max_len=5000, dropout=0.0, batch_first=False, dtype=None):
        super().__init__()
        self.d_model = d_model
        self.max_len = max_len
        self.dropout = dropout
        self.batch_first = batch_first
        self.register_buffer(
            "pe", sinusoidal_positional_encoding(max_len, d_model, dtype), persistent=False
        )

    def forward(self, x):
        length = x.shape[1] if self.batch_first and x.ndim == 3 else x.shape[0]
        if length > self.max_len or x.shape[-1] != self.d_model:
            raise ValueError(
                f"PositionalEncoding: input of shape {tuple(x.shape)} does not fit the table "
                f"(max_len={self.max_len}, d_model={self.d_model})"
            )
        table = self.pe[:length]
        if x.ndim == 3 and not self.batch_first:
            table = table.unsqueeze(1)
        return F.dropout(x + table, self.dropout, self.training)

    def extra_repr(self):
        return f"d_model={self.d_model}, max_len={self.max_len}, dropout={self.dropout}"
