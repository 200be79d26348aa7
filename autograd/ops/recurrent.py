"""Recurrent layers: the single-step cells as Tensor ops, and a whole layer's time loop
(RNN tanh/relu, LSTM, GRU) as one fused op each.

Shapes: ``gates_input`` (T, B, G*H) is x W_ih^T + b_ih for every step at once (one matrix
product, made by the caller); ``h0``, ``c0`` (B, H); ``weight_hh`` (G*H, H); ``bias_hh``
(G*H) or None; G = 1 (RNN), 4 (LSTM, gates i, f, g, o) or 3 (GRU, gates r, z, n), PyTorch's
layouts. ``output`` (T, B, H) holds the hidden state of every step in input time order,
also when ``reverse`` runs the recurrence from the last step to the first.

The fused forward and its first-order backward loop over time in NumPy with one matrix
product per step (h W_hh^T for all gates at once); everything that does not depend on the
carried gradient is computed for all steps outside the loop, and the weight gradient is one
matrix product over all steps. When the backward itself is recorded (``create_graph=True``)
the layer is rebuilt from the cell functions below and that graph is differentiated, so
second-order gradients need no hand-written code.
"""

import numpy as np

from .. import engine, grad_mode
from ..function import Function
from ..tensor import Tensor
from .activation import relu
from .elementwise import sigmoid, tanh
from .joining import chunk, stack
from .linalg import matmul
from .registry import register

# ---- cells (Tensor ops) -------------------------------------------------------------------


def _linear(x, weight, bias):
    out = matmul(x, weight.t())
    return out if bias is None else out + bias


def _rnn_step(gates_input, h, weight_hh, bias_hh, nonlinearity):
    pre = gates_input + _linear(h, weight_hh, bias_hh)
    return tanh(pre) if nonlinearity == "tanh" else relu(pre)


def _lstm_step(gates_input, h, c, weight_hh, bias_hh):
    gate_i, gate_f, gate_g, gate_o = chunk(gates_input + _linear(h, weight_hh, bias_hh), 4, -1)
    c = sigmoid(gate_f) * c + sigmoid(gate_i) * tanh(gate_g)
    return sigmoid(gate_o) * tanh(c), c


def _gru_step(gates_input, h, weight_hh, bias_hh):
    input_r, input_z, input_n = chunk(gates_input, 3, -1)
    hidden_r, hidden_z, hidden_n = chunk(_linear(h, weight_hh, bias_hh), 3, -1)
    r = sigmoid(input_r + hidden_r)
    z = sigmoid(input_z + hidden_z)
    n = tanh(input_n + r * hidden_n)
    return (1 - z) * n + z * h


def rnn_tanh_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):  # noqa: A002 - torch's names
    """h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh); input (B, I) or (I), hx like h'."""
    return _rnn_step(_linear(input, w_ih, b_ih), hx, w_hh, b_hh, "tanh")


def rnn_relu_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):  # noqa: A002
    """h' = relu(x W_ih^T + b_ih + h W_hh^T + b_hh)."""
    return _rnn_step(_linear(input, w_ih, b_ih), hx, w_hh, b_hh, "relu")


def lstm_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):  # noqa: A002
    """(h', c') from hx = (h, c): [i, f, g, o] = x W_ih^T + b_ih + h W_hh^T + b_hh,
    c' = sigmoid(f) c + sigmoid(i) tanh(g), h' = sigmoid(o) tanh(c')."""
    h, c = hx
    return _lstm_step(_linear(input, w_ih, b_ih), h, c, w_hh, b_hh)


def gru_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):  # noqa: A002
    """h' = (1 - z) n + z h with r, z = sigmoid(x W_i{r,z}^T + b_i{r,z} + h W_h{r,z}^T +
    b_h{r,z}) and n = tanh(x W_in^T + b_in + r (h W_hn^T + b_hn)) (PyTorch's form)."""
    return _gru_step(_linear(input, w_ih, b_ih), hx, w_hh, b_hh)


# ---- fused layers --------------------------------------------------------------------------


def _sigmoid(x):
    """1 / (1 + exp(-x)) as 0.5 tanh(x / 2) + 0.5: no overflow, no warnings."""
    return np.tanh(0.5 * x) * 0.5 + 0.5


def _order(steps, reverse):
    return range(steps - 1, -1, -1) if reverse else range(steps)


def _previous(states, first, reverse):
    """The state each step started from: (T, B, H), ``first`` at the first step run."""
    if reverse:
        return np.concatenate([states[1:], first[None]])
    return np.concatenate([first[None], states[:-1]])


def _hidden_projection(h, weight_t, bias):
    out = h @ weight_t
    if bias is not None:
        out += bias
    return out


def _weight_grads(ctx, grad_gates, h_previous, weight_index):
    """Gradients of weight_hh (one product over every step) and bias_hh, where needed."""
    needs = ctx.needs_input_grad
    width = grad_gates.shape[-1]
    grad_weight = grad_bias = None
    if needs[weight_index]:
        flat = grad_gates.reshape(-1, width)
        grad_weight = Tensor._make(flat.T @ h_previous.reshape(-1, h_previous.shape[-1]))
    if needs[weight_index + 1]:
        grad_bias = Tensor._make(grad_gates.sum((0, 1)))
    return grad_weight, grad_bias


def _recorded_backward(ctx, composite, inputs, grad_outputs):
    """Gradients as a recorded graph (create_graph=True): differentiate the layer rebuilt
    from the cell functions, so that the gradients can be differentiated again."""
    wanted = [x for x, needed in zip(inputs, ctx.needs_input_grad) if needed]
    outputs = composite(*inputs)
    grads = iter(engine.grad(outputs, wanted, grad_outputs, create_graph=True, allow_unused=True))
    return tuple(next(grads) if needed else None for needed in ctx.needs_input_grad)


def _composite_loop(step, gates_input, states, reverse):
    """Run ``step(gates_input[t], *states) -> states`` over time with Tensor ops; the output
    is the first state of every step, stacked in input time order."""
    outputs = {}
    for t in _order(gates_input.shape[0], reverse):
        states = step(gates_input[t], *states)
        outputs[t] = states[0]
    return stack([outputs[t] for t in range(gates_input.shape[0])]), states


@register
class RNNLayer(Function):
    """h_t = act(a_t + h_{t-1} W^T + b) for every step (a = gates_input);
    dpre_t = (g_t + dpre_{t+1} W) act'(h_t), da = dpre, dW = sum_t dpre_t^T h_{t-1}"""

    @staticmethod
    def forward(ctx, gates_input, h0, weight_hh, bias_hh, *, nonlinearity="tanh", reverse=False):
        x = gates_input.data
        weight_t = np.ascontiguousarray(weight_hh.data.T)  # C order: faster h @ W^T
        bias = None if bias_hh is None else bias_hh.data
        out = np.empty((*x.shape[:2], weight_t.shape[0]), dtype=x.dtype)
        h = h0.data
        for t in _order(x.shape[0], reverse):
            pre = _hidden_projection(h, weight_t, bias)
            pre += x[t]
            h = (
                np.tanh(pre, out=out[t])
                if nonlinearity == "tanh"
                else np.maximum(pre, 0, out=out[t])
            )
        output = Tensor._make(out)
        ctx.nonlinearity, ctx.reverse = nonlinearity, reverse
        ctx.save_for_backward(gates_input, h0, weight_hh, bias_hh, output)
        return output

    @staticmethod
    def backward(ctx, grad_output):
        gates_input, h0, weight_hh, bias_hh, output = ctx.saved_tensors
        if grad_mode.state.enabled:
            return _recorded_backward(
                ctx, _rnn_composite(ctx), (gates_input, h0, weight_hh, bias_hh), (grad_output,)
            )
        out, grad, weight = output.data, grad_output.data, weight_hh.data
        slope = 1 - out * out if ctx.nonlinearity == "tanh" else (out > 0).astype(out.dtype)
        grad_pre = np.empty_like(out)
        grad_h = np.zeros_like(out[0])
        for t in reversed(_order(out.shape[0], ctx.reverse)):
            np.multiply(grad_h + grad[t], slope[t], out=grad_pre[t])
            grad_h = grad_pre[t] @ weight
        h_previous = _previous(out, h0.data, ctx.reverse)
        grad_weight, grad_bias = _weight_grads(ctx, grad_pre, h_previous, 2)
        return Tensor._make(grad_pre), Tensor._make(grad_h), grad_weight, grad_bias


def _rnn_composite(ctx):
    def composite(gates_input, h0, weight_hh, bias_hh):
        def step(gates, h):
            return (_rnn_step(gates, h, weight_hh, bias_hh, ctx.nonlinearity),)

        return _composite_loop(step, gates_input, (h0,), ctx.reverse)[0]

    return composite


@register
class LSTMLayer(Function):
    """[i, f, g, o]_t = a_t + h_{t-1} W^T + b, c_t = s(f) c_{t-1} + s(i) tanh(g),
    h_t = s(o) tanh(c_t); returns (h for every step, c_T); backward: BPTT on h and c"""

    @staticmethod
    def forward(ctx, gates_input, h0, c0, weight_hh, bias_hh, *, reverse=False):
        x = gates_input.data
        weight_t = np.ascontiguousarray(weight_hh.data.T)  # C order: faster h @ W^T
        bias = None if bias_hh is None else bias_hh.data
        hidden = weight_t.shape[0]
        out = np.empty((*x.shape[:2], hidden), dtype=x.dtype)
        cells = np.empty_like(out)
        acts = np.empty(x.shape, dtype=x.dtype)  # s(i), s(f), tanh(g), s(o)
        h, c = h0.data, c0.data
        for t in _order(x.shape[0], reverse):
            gates = _hidden_projection(h, weight_t, bias)
            gates += x[t]
            act = acts[t]
            np.copyto(act, _sigmoid(gates))
            np.tanh(gates[:, 2 * hidden : 3 * hidden], out=act[:, 2 * hidden : 3 * hidden])
            c = np.multiply(act[:, hidden : 2 * hidden], c, out=cells[t])
            c += act[:, :hidden] * act[:, 2 * hidden : 3 * hidden]
            h = np.multiply(act[:, 3 * hidden :], np.tanh(c), out=out[t])
        output = Tensor._make(out)
        cell_last = Tensor._make(c.copy())
        ctx.reverse = reverse
        ctx.save_for_backward(
            gates_input, h0, c0, weight_hh, bias_hh, Tensor._make(acts), Tensor._make(cells)
        )
        return output, cell_last

    @staticmethod
    def backward(ctx, grad_output, grad_cell):
        gates_input, h0, c0, weight_hh, bias_hh, acts, cells = ctx.saved_tensors
        if grad_mode.state.enabled:
            inputs = (gates_input, h0, c0, weight_hh, bias_hh)
            return _recorded_backward(ctx, _lstm_composite(ctx), inputs, (grad_output, grad_cell))
        acts, cells, grad, weight = acts.data, cells.data, grad_output.data, weight_hh.data
        hidden = cells.shape[-1]
        gate_i, gate_f, gate_g, gate_o = (
            acts[..., k * hidden : (k + 1) * hidden] for k in range(4)
        )
        tanh_c = np.tanh(cells)
        # d pre-activation / d c for the gates i, f, g, and d pre-activation / d h for o.
        slopes_c = np.concatenate(
            [
                gate_g * gate_i * (1 - gate_i),
                _previous(cells, c0.data, ctx.reverse) * gate_f * (1 - gate_f),
                gate_i * (1 - gate_g * gate_g),
            ],
            axis=-1,
        )
        slope_o = tanh_c * gate_o * (1 - gate_o)
        through_c = gate_o * (1 - tanh_c * tanh_c)  # dc_t / dh_t
        grad_gates = np.empty_like(acts)
        grad_h = np.zeros_like(cells[0])
        grad_c = grad_cell.data.copy()
        for t in reversed(_order(cells.shape[0], ctx.reverse)):
            grad_h += grad[t]
            grad_c += grad_h * through_c[t]
            np.multiply(np.tile(grad_c, 3), slopes_c[t], out=grad_gates[t, :, : 3 * hidden])
            np.multiply(grad_h, slope_o[t], out=grad_gates[t, :, 3 * hidden :])
            grad_c *= gate_f[t]
            grad_h = grad_gates[t] @ weight
        h_previous = _previous(gate_o * tanh_c, h0.data, ctx.reverse)
        grad_weight, grad_bias = _weight_grads(ctx, grad_gates, h_previous, 3)
        return (
            Tensor._make(grad_gates),
            Tensor._make(grad_h),
            Tensor._make(grad_c),
            grad_weight,
            grad_bias,
        )


def _lstm_composite(ctx):
    def composite(gates_input, h0, c0, weight_hh, bias_hh):
        def step(gates, h, c):
            return _lstm_step(gates, h, c, weight_hh, bias_hh)

        output, (_, cell_last) = _composite_loop(step, gates_input, (h0, c0), ctx.reverse)
        return output, cell_last

    return composite


@register
class GRULayer(Function):
    """[r, z]_t = s(a^{r,z}_t + h_{t-1} W^{r,z T} + b^{r,z}), n_t = tanh(a^n_t + r_t (h_{t-1}
    W^{n T} + b^n)), h_t = (1 - z_t) n_t + z_t h_{t-1}; backward: BPTT on h"""

    @staticmethod
    def forward(ctx, gates_input, h0, weight_hh, bias_hh, *, reverse=False):
        x = gates_input.data
        weight_t = np.ascontiguousarray(weight_hh.data.T)  # C order: faster h @ W^T
        bias = None if bias_hh is None else bias_hh.data
        hidden = weight_t.shape[0]
        out = np.empty((*x.shape[:2], hidden), dtype=x.dtype)
        acts = np.empty(x.shape, dtype=x.dtype)  # r, z, n
        hidden_n = np.empty_like(out)  # h W^{n T} + b^n
        h = h0.data
        for t in _order(x.shape[0], reverse):
            projected = _hidden_projection(h, weight_t, bias)
            act = acts[t]
            np.copyto(
                act[:, : 2 * hidden], _sigmoid(x[t, :, : 2 * hidden] + projected[:, : 2 * hidden])
            )
            hidden_n[t] = projected[:, 2 * hidden :]
            n = act[:, 2 * hidden :]
            np.tanh(x[t, :, 2 * hidden :] + act[:, :hidden] * hidden_n[t], out=n)
            h = np.add(n, act[:, hidden : 2 * hidden] * (h - n), out=out[t])
        output = Tensor._make(out)
        ctx.reverse = reverse
        ctx.save_for_backward(
            gates_input, h0, weight_hh, bias_hh, output, Tensor._make(acts), Tensor._make(hidden_n)
        )
        return output

    @staticmethod
    def backward(ctx, grad_output):
        gates_input, h0, weight_hh, bias_hh, output, acts, hidden_n = ctx.saved_tensors
        if grad_mode.state.enabled:
            inputs = (gates_input, h0, weight_hh, bias_hh)
            return _recorded_backward(ctx, _gru_composite(ctx), inputs, (grad_output,))
        out, acts, hidden_n = output.data, acts.data, hidden_n.data
        grad, weight = grad_output.data, weight_hh.data
        hidden = out.shape[-1]
        r, z, n = (acts[..., k * hidden : (k + 1) * hidden] for k in range(3))
        h_previous = _previous(out, h0.data, ctx.reverse)
        grad_n_pre = (1 - z) * (1 - n * n)  # d n-pre-activation / d h_t
        # d (h W_hh^T + b_hh) / d h_t for the gates r, z, n, for every step at once.
        slopes = np.concatenate(
            [grad_n_pre * hidden_n * r * (1 - r), (h_previous - n) * z * (1 - z), grad_n_pre * r],
            axis=-1,
        )
        grad_projected = np.empty_like(acts)
        grad_hs = np.empty_like(out)  # the total gradient of each h_t
        grad_h = np.zeros_like(out[0])
        for t in reversed(_order(out.shape[0], ctx.reverse)):
            grad_h = np.add(grad_h, grad[t], out=grad_hs[t])
            np.multiply(np.tile(grad_h, 3), slopes[t], out=grad_projected[t])
            grad_h = grad_h * z[t] + grad_projected[t] @ weight
        grad_gates = np.concatenate(
            [grad_projected[..., : 2 * hidden], grad_hs * grad_n_pre], axis=-1
        )
        grad_weight, grad_bias = _weight_grads(ctx, grad_projected, h_previous, 2)
        return Tensor._make(grad_gates), Tensor._make(grad_h), grad_weight, grad_bias


def _gru_composite(ctx):
    def composite(gates_input, h0, weight_hh, bias_hh):
        def step(gates, h):
            return (_gru_step(gates, h, weight_hh, bias_hh),)

        return _composite_loop(step, gates_input, (h0,), ctx.reverse)[0]

    return composite


def rnn_layer(gates_input, h0, weight_hh, bias_hh=None, nonlinearity="tanh", reverse=False):
    """One RNN layer over a whole sequence (see the module docstring): output (T, B, H)."""
    if nonlinearity not in ("tanh", "relu"):
        raise ValueError(f"rnn_layer: unknown nonlinearity '{nonlinearity}' (tanh or relu)")
    return RNNLayer.apply(
        gates_input, h0, weight_hh, bias_hh, nonlinearity=nonlinearity, reverse=reverse
    )


def lstm_layer(gates_input, h0, c0, weight_hh, bias_hh=None, reverse=False):
    """One LSTM layer over a whole sequence: (output (T, B, H), c_T (B, H))."""
    return LSTMLayer.apply(gates_input, h0, c0, weight_hh, bias_hh, reverse=reverse)


def gru_layer(gates_input, h0, weight_hh, bias_hh=None, reverse=False):
    """One GRU layer over a whole sequence: output (T, B, H)."""
    return GRULayer.apply(gates_input, h0, weight_hh, bias_hh, reverse=reverse)
