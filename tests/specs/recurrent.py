"""Cases for autograd/ops/recurrent.py: the fused RNN (tanh, relu), LSTM and GRU layers, both
time directions, with and without bias_hh. PyTorch has no such op, so its side is the same
recurrence written as a loop of PyTorch ops (``reference_layer``)."""

from . import Case


def _sigmoid(lib, x):
    return lib.sigmoid(x)


def reference_layer(lib, kind, gates_input, states, weight_hh, bias_hh, reverse):
    """The layer as a time loop of plain ops (for torch): output (T, B, H) and final states."""
    steps = gates_input.shape[0]
    outputs = [None] * steps
    for t in range(steps - 1, -1, -1) if reverse else range(steps):
        projected = states[0] @ weight_hh.T
        if bias_hh is not None:
            projected = projected + bias_hh
        if kind == "lstm":
            i, f, g, o = (gates_input[t] + projected).chunk(4, -1)
            c = _sigmoid(lib, f) * states[1] + _sigmoid(lib, i) * lib.tanh(g)
            states = (_sigmoid(lib, o) * lib.tanh(c), c)
        elif kind == "gru":
            input_r, input_z, input_n = gates_input[t].chunk(3, -1)
            hidden_r, hidden_z, hidden_n = projected.chunk(3, -1)
            r = _sigmoid(lib, input_r + hidden_r)
            z = _sigmoid(lib, input_z + hidden_z)
            n = lib.tanh(input_n + r * hidden_n)
            states = ((1 - z) * n + z * states[0],)
        else:
            pre = gates_input[t] + projected
            states = (lib.tanh(pre) if kind == "tanh" else lib.relu(pre),)
        outputs[t] = states[0]
    return lib.stack(outputs), states


def layer(lib, kind, reverse, gates_input, *rest):
    """The fused op for chainrule, the reference loop for torch; rest = states, W_hh, b_hh."""
    num_states = 2 if kind == "lstm" else 1
    states, weights = rest[:num_states], rest[num_states:]
    weight_hh, bias_hh = weights if len(weights) == 2 else (weights[0], None)
    if lib.__name__ == "torch":
        output, final = reference_layer(lib, kind, gates_input, states, weight_hh, bias_hh, reverse)
        return (output, final[1]) if kind == "lstm" else output
    ops = lib.ops
    if kind == "lstm":
        return ops.lstm_layer(gates_input, *states, weight_hh, bias_hh, reverse)
    if kind == "gru":
        return ops.gru_layer(gates_input, *states, weight_hh, bias_hh, reverse)
    return ops.rnn_layer(gates_input, *states, weight_hh, bias_hh, kind, reverse)


T, B, H = 3, 2, 3
KINDS = {
    "tanh": ("RNNLayer", 1),
    "relu": ("RNNLayer", 1),
    "lstm": ("LSTMLayer", 4),
    "gru": ("GRULayer", 3),
}


def _case(kind, reverse, bias):
    op, gates = KINDS[kind]
    states = ((B, H),) * (2 if kind == "lstm" else 1)
    shapes = ((T, B, gates * H), *states, (gates * H, H)) + (((gates * H,),) if bias else ())
    return Case(
        op,
        lambda lib, *xs: layer(lib, kind, reverse, *xs),
        shapes,
        away_from=(0.0,) if kind == "relu" else (),
        id=f"{kind}{'-reverse' if reverse else ''}{'' if bias else '-nobias'}",
    )


CASES = [
    _case(kind, reverse, bias)
    for kind in KINDS
    for reverse in (False, True)
    for bias in (True, False)
]
