"""Single-step recurrent cells: RNNCell, LSTMCell, GRUCell (PyTorch's parameters and maths).

Parameters: ``weight_ih`` (G*H, I), ``weight_hh`` (G*H, H), ``bias_ih``, ``bias_hh`` (G*H),
all ~ U(-1/sqrt(H), 1/sqrt(H)); G = 1, 4 (i, f, g, o) or 3 (r, z, n). A cell is one step;
loop over time yourself (the layers in ``rnn.py`` run the whole loop as one fused op).
"""

import math

import autograd as ag
from autograd import ops

from .. import init
from ..module import Module
from ..parameter import Parameter


class RNNCellBase(Module):
    """Parameters, initialisation and input checks shared by the cells."""

    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        gate_size = num_chunks * hidden_size
        self.weight_ih = Parameter(ag.empty((gate_size, input_size), dtype=dtype))
        self.weight_hh = Parameter(ag.empty((gate_size, hidden_size), dtype=dtype))
        if bias:
            self.bias_ih = Parameter(ag.empty(gate_size, dtype=dtype))
            self.bias_hh = Parameter(ag.empty(gate_size, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self):
        bound = 1 / math.sqrt(self.hidden_size)
        for weight in self.parameters():
            init.uniform_(weight, -bound, bound)

    def _checked(self, input, states):  # noqa: A002 - PyTorch's parameter name
        """(input as (B, I), states as (B, H) each (zeros when None), unbatched?)."""
        name = type(self).__name__
        if input.ndim not in (1, 2) or input.shape[-1] != self.input_size:
            raise ValueError(
                f"{name}: Expected input of shape (batch, {self.input_size}) or "
                f"({self.input_size},), got {tuple(input.shape)}"
            )
        unbatched = input.ndim == 1
        batch = 1 if unbatched else input.shape[0]
        expected = (self.hidden_size,) if unbatched else (batch, self.hidden_size)
        checked = []
        for state in states:
            if state is None:
                state = ag.zeros((batch, self.hidden_size), dtype=self.weight_ih.dtype)
            elif tuple(state.shape) != expected:
                raise RuntimeError(
                    f"{name}: Expected hidden state of shape {expected}, got {tuple(state.shape)}"
                )
            elif unbatched:
                state = state.unsqueeze(0)
            checked.append(state)
        return (input.unsqueeze(0) if unbatched else input), checked, unbatched

    def _weights(self):
        return self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh

    def extra_repr(self):
        text = f"{self.input_size}, {self.hidden_size}"
        if not self.bias:
            text += ", bias=False"
        nonlinearity = getattr(self, "nonlinearity", "tanh")
        return text if nonlinearity == "tanh" else text + f", nonlinearity={nonlinearity}"


def _squeezed(tensor, unbatched):
    return tensor.squeeze(0) if unbatched else tensor


class RNNCell(RNNCellBase):
    """h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh), act tanh or relu.

    Shape: input (N, I) or (I); hx (N, H) or (H), zeros by default; output like hx.

    >>> nn.RNNCell(10, 20)(ag.randn(3, 10)).shape
    (3, 20)
    """

    def __init__(
        self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None, dtype=None
    ):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity: {nonlinearity}")
        super().__init__(input_size, hidden_size, bias, 1, device, dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):  # noqa: A002
        batch, (hx,), unbatched = self._checked(input, [hx])
        cell = ops.rnn_tanh_cell if self.nonlinearity == "tanh" else ops.rnn_relu_cell
        return _squeezed(cell(batch, hx, *self._weights()), unbatched)


class LSTMCell(RNNCellBase):
    """[i, f, g, o] = x W_ih^T + b_ih + h W_hh^T + b_hh, c' = sigmoid(f) c + sigmoid(i)
    tanh(g), h' = sigmoid(o) tanh(c').

    Shape: input (N, I) or (I); hx a pair (h, c) of (N, H) or (H); returns (h', c').
    """

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 4, device, dtype)

    def forward(self, input, hx=None):  # noqa: A002
        states = [None, None] if hx is None else list(hx)
        batch, states, unbatched = self._checked(input, states)
        h, c = ops.lstm_cell(batch, tuple(states), *self._weights())
        return _squeezed(h, unbatched), _squeezed(c, unbatched)


class GRUCell(RNNCellBase):
    """r, z = sigmoid(x W_i{r,z}^T + b_i{r,z} + h W_h{r,z}^T + b_h{r,z}),
    n = tanh(x W_in^T + b_in + r (h W_hn^T + b_hn)), h' = (1 - z) n + z h.

    Shape: input (N, I) or (I); hx (N, H) or (H); output like hx.
    """

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, 3, device, dtype)

    def forward(self, input, hx=None):  # noqa: A002
        batch, (hx,), unbatched = self._checked(input, [hx])
        return _squeezed(ops.gru_cell(batch, hx, *self._weights()), unbatched)
