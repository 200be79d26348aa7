"""RNN, LSTM, GRU and their cells against PyTorch, with PyTorch's weights loaded by name:
outputs, final states, input and initial-state gradients, every parameter gradient (float64).
Packed sequences are out of scope (the layers refuse them).
"""

import itertools
from collections import namedtuple

import numpy as np
import pytest

import autograd as ag
import nn

torch = pytest.importorskip("torch")

LAYERS = {
    "rnn_tanh": ("RNN", {}),
    "rnn_relu": ("RNN", {"nonlinearity": "relu"}),
    "lstm": ("LSTM", {}),
    "gru": ("GRU", {}),
}


def make_pair(kind, *args, **kwargs):
    """(ours, torch's) with torch's float64 parameters copied into ours by state_dict key."""
    name, extra = LAYERS[kind]
    theirs = getattr(torch.nn, name)(*args, **extra, **kwargs).double()
    ours = getattr(nn, name)(*args, **extra, **kwargs, dtype=ag.float64)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: ag.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    return ours, theirs


def leaf_pair(array):
    return ag.tensor(array, requires_grad=True), torch.tensor(array, requires_grad=True)


def close(ours, theirs, atol=1e-10):
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-9, atol=atol)


def flat_states(kind, state):
    return list(state) if kind == "lstm" else [state]


Config = namedtuple("Config", "kind num_layers bidirectional batch_first with_h0")
CONFIGS = [
    Config(*values)
    for values in itertools.product(LAYERS, (1, 2), (False, True), (False, True), (False, True))
]


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: "-".join(map(str, c)))
def test_matches_torch(config):
    kind, num_layers, bidirectional, batch_first, with_h0 = config
    ours, theirs = make_pair(
        kind, 3, 4, num_layers=num_layers, bidirectional=bidirectional, batch_first=batch_first
    )
    rng = np.random.default_rng(0)
    batch, steps = 2, 5
    x_ours, x_theirs = leaf_pair(
        rng.standard_normal((batch, steps, 3) if batch_first else (steps, batch, 3))
    )
    states = []
    if with_h0:
        shape = (num_layers * (2 if bidirectional else 1), batch, 4)
        states = [leaf_pair(rng.standard_normal(shape)) for _ in range(2 if kind == "lstm" else 1)]
    hx_ours = hx_theirs = None
    if states:
        hx_ours = tuple(s[0] for s in states) if kind == "lstm" else states[0][0]
        hx_theirs = tuple(s[1] for s in states) if kind == "lstm" else states[0][1]
    out_ours, final_ours = ours(x_ours, hx_ours)
    out_theirs, final_theirs = theirs(x_theirs, hx_theirs)
    close(out_ours, out_theirs)
    finals = list(zip(flat_states(kind, final_ours), flat_states(kind, final_theirs)))
    for a, b in finals:
        close(a, b)
    # One seed per output so every output and final state carries gradient.
    seed = np.random.default_rng(1)
    loss_ours, loss_theirs = 0, 0
    for a, b in [(out_ours, out_theirs), *finals]:
        weights = seed.standard_normal(a.shape)
        loss_ours = loss_ours + (a * ag.tensor(weights)).sum()
        loss_theirs = loss_theirs + (b * torch.tensor(weights)).sum()
    loss_ours.backward()
    loss_theirs.backward()
    close(x_ours.grad, x_theirs.grad)
    for a, b in states:
        close(a.grad, b.grad)
    theirs_params = dict(theirs.named_parameters())
    for name, param in ours.named_parameters():
        close(param.grad, theirs_params[name].grad)


@pytest.mark.parametrize("kind", LAYERS)
def test_unbatched_input_and_state(kind):
    ours, theirs = make_pair(kind, 3, 4, num_layers=2, bidirectional=True)
    rng = np.random.default_rng(2)
    x = rng.standard_normal((6, 3))
    h = rng.standard_normal((4, 4))
    hx_ours = (ag.tensor(h), ag.tensor(h)) if kind == "lstm" else ag.tensor(h)
    hx_theirs = (torch.tensor(h), torch.tensor(h)) if kind == "lstm" else torch.tensor(h)
    out_ours, final_ours = ours(ag.tensor(x), hx_ours)
    out_theirs, final_theirs = theirs(torch.tensor(x), hx_theirs)
    assert out_ours.shape == (6, 8)
    close(out_ours, out_theirs)
    for a, b in zip(flat_states(kind, final_ours), flat_states(kind, final_theirs)):
        assert a.shape == (4, 4)
        close(a, b)


@pytest.mark.parametrize("kind", ["rnn_tanh", "lstm", "gru"])
def test_no_bias(kind):
    ours, theirs = make_pair(kind, 3, 4, bias=False)
    assert [name for name, _ in ours.named_parameters()] == ["weight_ih_l0", "weight_hh_l0"]
    x = np.random.default_rng(3).standard_normal((4, 2, 3))
    close(ours(ag.tensor(x))[0], theirs(torch.tensor(x))[0])


@pytest.mark.parametrize(
    "name, torch_name, extra",
    [
        ("RNNCell", "RNNCell", {}),
        ("RNNCell", "RNNCell", {"nonlinearity": "relu"}),
        ("LSTMCell", "LSTMCell", {}),
        ("GRUCell", "GRUCell", {}),
    ],
)
@pytest.mark.parametrize("batched", [True, False])
def test_cells_match_torch(name, torch_name, extra, batched):
    theirs = getattr(torch.nn, torch_name)(3, 4, **extra).double()
    ours = getattr(nn, name)(3, 4, **extra, dtype=ag.float64)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: ag.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    rng = np.random.default_rng(4)
    lead = (2,) if batched else ()
    x_ours, x_theirs = leaf_pair(rng.standard_normal((*lead, 3)))
    h_ours, h_theirs = leaf_pair(rng.standard_normal((*lead, 4)))
    hx_ours, hx_theirs = (h_ours, h_theirs)
    if name == "LSTMCell":
        hx_ours, hx_theirs = (h_ours, h_ours * 0.5), (h_theirs, h_theirs * 0.5)
    out_ours = ours(x_ours, hx_ours)
    out_theirs = theirs(x_theirs, hx_theirs)
    outs = list(zip(*[(o if isinstance(o, tuple) else (o,)) for o in (out_ours, out_theirs)]))
    for a, b in outs:
        close(a, b)
    sum(a.sum() for a, _ in outs).backward()
    sum(b.sum() for _, b in outs).backward()
    close(x_ours.grad, x_theirs.grad)
    close(h_ours.grad, h_theirs.grad)
    for (_, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        close(p.grad, q.grad)
    # Without a state: zeros, as PyTorch.
    assert (ours(x_ours)[0] if name == "LSTMCell" else ours(x_ours)).shape == (*lead, 4)


def test_initialisation_range_and_names():
    lstm = nn.LSTM(5, 8, num_layers=2, bidirectional=True)
    names = [name for name, _ in lstm.named_parameters()]
    torch_names = [
        name for name, _ in torch.nn.LSTM(5, 8, num_layers=2, bidirectional=True).named_parameters()
    ]
    assert names == torch_names
    assert lstm.weight_ih_l1_reverse.shape == (32, 16)
    bound = 1 / np.sqrt(8)
    values = np.concatenate([p.data.ravel() for p in lstm.parameters()])
    assert values.min() >= -bound and values.max() <= bound
    assert values.min() < -0.9 * bound and values.max() > 0.9 * bound
    assert repr(nn.GRU(3, 4, num_layers=2, batch_first=True)) == repr(
        torch.nn.GRU(3, 4, num_layers=2, batch_first=True)
    )


def test_dropout_between_layers_only_in_training():
    ag.manual_seed(0)
    rnn = nn.GRU(3, 16, num_layers=2, dropout=0.5)
    x = ag.randn(4, 2, 3)
    rnn.eval()
    out_eval, _ = rnn(x)
    np.testing.assert_array_equal(out_eval.data, rnn(x)[0].data)
    rnn.train()
    out_a, _ = rnn(x)
    out_b, _ = rnn(x)
    assert not np.allclose(out_a.data, out_eval.data)
    assert not np.allclose(out_a.data, out_b.data)
    # The last layer's output is not dropped: a 1-layer model ignores dropout.
    single = nn.GRU(3, 4, dropout=0.5)
    np.testing.assert_array_equal(single(x)[0].data, single.eval()(x)[0].data)


def test_long_sequence_backpropagates_without_recursion_error():
    ag.manual_seed(0)
    lstm = nn.LSTM(2, 8)
    x = ag.randn(1000, 1, 2, requires_grad=True)
    out, _ = lstm(x)
    out[-1].sum().backward()
    assert np.isfinite(x.grad.data).all()
    assert np.abs(x.grad.data[0]).sum() >= 0  # the first step got a gradient array
    assert x.grad.shape == (1000, 1, 2)
    # Through the composite cell loop too (1,000 steps of Tensor ops).
    cell = nn.RNNCell(2, 4)
    h = None
    for t in range(1000):
        h = cell(x[t], h)
    h.sum().backward()


def test_second_order_gradients_through_the_fused_layer():
    rnn = nn.LSTM(2, 3, dtype=ag.float64)
    x = ag.randn(4, 1, 2, dtype=ag.float64, requires_grad=True)
    assert ag.gradgradcheck(lambda inp: rnn(inp)[0], (x,))


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda m: m(ag.randn(2, 3, 4, 5)), ValueError, "2D or 3D"),
        (lambda m: m(ag.randn(5, 2, 7)), RuntimeError, "input_size. Expected 3, got 7"),
        (lambda m: m(ag.randn(5, 2, 3), ag.zeros(1, 2, 4)), RuntimeError, r"\(2, 2, 4\)"),
        (lambda m: m(ag.randn(0, 2, 3)), RuntimeError, "larger than 0"),
    ],
)
def test_errors(call, error, message):
    with pytest.raises(error, match=message):
        call(nn.RNN(3, 4, num_layers=2))


def test_constructor_and_packed_errors():
    with pytest.raises(ValueError, match="nonlinearity"):
        nn.RNN(3, 4, nonlinearity="sigmoid")
    with pytest.raises(ValueError, match="dropout"):
        nn.LSTM(3, 4, dropout=1.5)
    with pytest.raises(NotImplementedError, match="proj_size"):
        nn.LSTM(3, 4, proj_size=2)
    with pytest.raises(TypeError, match=r"\(h_0, c_0\)"):
        nn.LSTM(3, 4)(ag.randn(2, 1, 3), ag.zeros(1, 1, 4))
    packed = torch.nn.utils.rnn.pack_padded_sequence(torch.randn(3, 2, 3), [3, 2])
    with pytest.raises(NotImplementedError, match="packed sequences"):
        nn.LSTM(3, 4)(packed)
    with pytest.raises(ValueError, match=r"\(batch, 3\)"):
        nn.GRUCell(3, 4)(ag.randn(2, 5))
    with pytest.raises(RuntimeError, match=r"\(2, 4\)"):
        nn.GRUCell(3, 4)(ag.randn(2, 3), ag.randn(3, 4))
