"""Recurrent layers: RNN (tanh or relu), LSTM, GRU, and the single-step cells.

Parameters, their names, gate orders and initialisation are PyTorch's: for layer k and
direction suffix s ('' or '_reverse'), ``weight_ih_l{k}{s}`` (G*H, I), ``weight_hh_l{k}{s}``
(G*H, H), ``bias_ih_l{k}{s}``, ``bias_hh_l{k}{s}`` (G*H), all ~ U(-1/sqrt(H), 1/sqrt(H)),
with G = 1 (RNN), 4 (LSTM: i, f, g, o) or 3 (GRU: r, z, n).

Each layer computes its input projection x W_ih^T + b_ih for all steps in one matrix product,
then runs the fused time loop of ``autograd.ops.recurrent`` (one matrix product per step);
gradients flow through every step (full backpropagation through time). Truncated BPTT is
done by the caller, by detaching the carried state between chunks.

Packed (variable-length) sequences are not supported: pass padded tensors instead.
"""

import math

import autograd as ag
from autograd import ops

from .. import functional as F
from .. import init
from ..module import Module
from ..parameter import Parameter

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def _refuse_packed(input, name):  # noqa: A002 - PyTorch's parameter name
    if hasattr(input, "batch_sizes"):
        raise NotImplementedError(
            f"{name}: packed sequences (PackedSequence) are not supported; pass a padded tensor"
        )


class RNNBase(Module):
    """The shared machinery of RNN, LSTM and GRU: parameters, shapes, layers, directions."""

    def __init__(
        self,
        mode,
        input_size,
        hidden_size,
        num_layers=1,
        bias=True,
        batch_first=False,
        dropout=0.0,
        bidirectional=False,
        proj_size=0,
        device=None,
        dtype=None,
    ):
        super().__init__()
        if not isinstance(hidden_size, int) or hidden_size <= 0:
            raise ValueError(f"hidden_size must be a positive integer, got {hidden_size}")
        if not isinstance(num_layers, int) or num_layers <= 0:
            raise ValueError(f"num_layers must be a positive integer, got {num_layers}")
        if not 0 <= dropout <= 1 or isinstance(dropout, bool):
            raise ValueError(f"dropout should be a number in range [0, 1], got {dropout}")
        if proj_size != 0:
            raise NotImplementedError(f"{type(self).__name__}: proj_size is not supported")
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        gate_size = _GATES[mode] * hidden_size
        num_directions = 2 if bidirectional else 1
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else hidden_size * num_directions
            for suffix in ("", "_reverse")[:num_directions]:
                shapes = {
                    "weight_ih": (gate_size, layer_input),
                    "weight_hh": (gate_size, hidden_size),
                }
                if bias:
                    shapes.update(bias_ih=(gate_size,), bias_hh=(gate_size,))
                for name, shape in shapes.items():
                    param = Parameter(ag.empty(shape, dtype=dtype))
                    self.register_parameter(f"{name}_l{layer}{suffix}", param)
        self.reset_parameters()

    def reset_parameters(self):
        bound = 1 / math.sqrt(self.hidden_size)
        for weight in self.parameters():
            init.uniform_(weight, -bound, bound)

    def _layer_weights(self, layer, suffix):
        names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
        return [getattr(self, f"{name}_l{layer}{suffix}", None) for name in names]

    def _state_shape(self, batch):
        directions = 2 if self.bidirectional else 1
        return (self.num_layers * directions, batch, self.hidden_size)

    def _check_input(self, input):  # noqa: A002
        """The input as (T, B, I), whether it was unbatched, and checks with clear errors."""
        name = type(self).__name__
        _refuse_packed(input, name)
        if input.ndim not in (2, 3):
            raise ValueError(
                f"{name}: Expected input to be 2D or 3D, got {input.ndim}D tensor of shape "
                f"{tuple(input.shape)}"
            )
        if input.shape[-1] != self.input_size:
            raise RuntimeError(
                f"{name}: input.size(-1) must be equal to input_size. Expected "
                f"{self.input_size}, got {input.shape[-1]}"
            )
        unbatched = input.ndim == 2
        sequence = input
        if unbatched:
            sequence = input.unsqueeze(1)
        elif self.batch_first:
            sequence = input.transpose(0, 1)
        if sequence.shape[0] == 0:
            raise RuntimeError(f"{name}: Expected sequence length to be larger than 0")
        return sequence, unbatched

    def _check_state(self, state, batch, unbatched, what):
        """An initial state (layers * directions, B, H) (or without B when unbatched)."""
        expected = self._state_shape(batch)
        shown = (expected[0], expected[2]) if unbatched else expected
        if state is None:
            return ag.zeros(expected, dtype=self.weight_ih_l0.dtype)
        if tuple(state.shape) != shown:
            raise RuntimeError(
                f"{type(self).__name__}: Expected {what} size {shown}, got {tuple(state.shape)}"
            )
        return state.unsqueeze(1) if unbatched else state

    def _run_layers(self, sequence, states, run_direction):
        """Every layer and direction: ``run_direction(gates_input, states, weights, reverse)``
        gives (output (T, B, H), final states); returns the last layer's output and the
        final states stacked as (layers * directions, B, H)."""
        directions = ("", "_reverse") if self.bidirectional else ("",)
        finals = []
        for layer in range(self.num_layers):
            outputs = []
            for index, suffix in enumerate(directions):
                weight_ih, weight_hh, bias_ih, bias_hh = self._layer_weights(layer, suffix)
                gates_input = F.linear(sequence, weight_ih, bias_ih)  # every step at once
                start = [state[layer * len(directions) + index] for state in states]
                output, final = run_direction(gates_input, start, weight_hh, bias_hh, index == 1)
                outputs.append(output)
                finals.append(final)
            sequence = outputs[0] if len(outputs) == 1 else ops.cat(outputs, -1)
            if self.dropout and self.training and layer < self.num_layers - 1:
                sequence = F.dropout(sequence, self.dropout, training=True)
        return sequence, [ops.stack(list(parts)) for parts in zip(*finals)]

    def _forward(self, input, states, run_direction):  # noqa: A002
        """Shape handling shared by the three layers; ``states`` is a list of initial states."""
        sequence, unbatched = self._check_input(input)
        names = ("h_0", "c_0")
        states = [
            self._check_state(state, sequence.shape[1], unbatched, names[k])
            for k, state in enumerate(states)
        ]
        output, finals = self._run_layers(sequence, states, run_direction)
        if unbatched:
            return output.squeeze(1), [final.squeeze(1) for final in finals]
        if self.batch_first:
            output = output.transpose(0, 1)
        return output, finals

    def extra_repr(self):
        text = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        if not self.bias:
            text += ", bias=False"
        if self.batch_first:
            text += ", batch_first=True"
        if self.dropout:
            text += f", dropout={self.dropout}"
        if self.bidirectional:
            text += ", bidirectional=True"
        return text


def _last(output, reverse):
    """The final hidden state of a direction: the last step, or the first when reversed."""
    return output[0] if reverse else output[-1]


class RNN(RNNBase):
    """Elman RNN: h_t = act(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh), act tanh or relu.

    Shape: input (L, N, I) (``batch_first``: (N, L, I)) or unbatched (L, I); h_0
    (D * num_layers, N, H) or (D * num_layers, H), zeros by default; output (L, N, D * H)
    (``batch_first``: (N, L, D * H)); h_n like h_0. D = 2 if bidirectional else 1.

    >>> rnn = nn.RNN(10, 20, 2)
    >>> output, h_n = rnn(ag.randn(5, 3, 10))
    >>> output.shape, h_n.shape
    ((5, 3, 20), (2, 3, 20))
    """

    def __init__(self, *args, nonlinearity="tanh", **kwargs):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(
                f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'."
            )
        self.nonlinearity = nonlinearity
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", *args, **kwargs)

    def forward(self, input, hx=None):  # noqa: A002
        def run_direction(gates_input, states, weight_hh, bias_hh, reverse):
            output = ops.rnn_layer(
                gates_input, states[0], weight_hh, bias_hh, self.nonlinearity, reverse
            )
            return output, (_last(output, reverse),)

        output, (h_n,) = self._forward(input, [hx], run_direction)
        return output, h_n

    def extra_repr(self):
        text = super().extra_repr()
        return text if self.nonlinearity == "tanh" else text + ", nonlinearity='relu'"


class LSTM(RNNBase):
    """Long short-term memory: [i, f, g, o] = x W_ih^T + b_ih + h W_hh^T + b_hh,
    c' = sigmoid(f) c + sigmoid(i) tanh(g), h' = sigmoid(o) tanh(c').

    Shape: as RNN, with the state a pair (h_0, c_0) of that shape in and (h_n, c_n) out.
    ``proj_size`` is not supported.

    >>> output, (h_n, c_n) = nn.LSTM(10, 20, batch_first=True)(ag.randn(3, 5, 10))
    >>> output.shape, c_n.shape
    ((3, 5, 20), (1, 3, 20))
    """

    def __init__(self, *args, **kwargs):
        super().__init__("LSTM", *args, **kwargs)

    def forward(self, input, hx=None):  # noqa: A002
        def run_direction(gates_input, states, weight_hh, bias_hh, reverse):
            output, c_n = ops.lstm_layer(gates_input, *states, weight_hh, bias_hh, reverse)
            return output, (_last(output, reverse), c_n)

        if hx is not None and (not isinstance(hx, (tuple, list)) or len(hx) != 2):
            raise TypeError("LSTM: hx must be a tuple (h_0, c_0)")
        output, (h_n, c_n) = self._forward(input, list(hx or (None, None)), run_direction)
        return output, (h_n, c_n)


class GRU(RNNBase):
    """Gated recurrent unit (PyTorch's form): r, z = sigmoid(x W_i{r,z}^T + b_i{r,z} +
    h W_h{r,z}^T + b_h{r,z}), n = tanh(x W_in^T + b_in + r (h W_hn^T + b_hn)),
    h' = (1 - z) n + z h.

    Shape: as RNN.
    """

    def __init__(self, *args, **kwargs):
        super().__init__("GRU", *args, **kwargs)

    def forward(self, input, hx=None):  # noqa: A002
        def run_direction(gates_input, states, weight_hh, bias_hh, reverse):
            output = ops.gru_layer(gates_input, states[0], weight_hh, bias_hh, reverse)
            return output, (_last(output, reverse),)

        output, (h_n,) = self._forward(input, [hx], run_direction)
        return output, h_n
