"""Transformer encoder and decoder layers and stacks against PyTorch (float64, dropout 0):
outputs, input gradients, every parameter gradient; state_dict keys identical."""

import itertools

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F

torch = pytest.importorskip("torch")

D_MODEL, NHEAD, FF, N, S, T = 8, 2, 16, 2, 5, 4


def copy_weights(ours, theirs):
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: ag.tensor(v.numpy()) for k, v in theirs.state_dict().items()})


def close(ours, theirs):
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-8, atol=1e-10)


def pair(array):
    return ag.tensor(array, requires_grad=True), torch.tensor(array, requires_grad=True)


def compare_grads(inputs, ours, theirs):
    for a, b in inputs:
        close(a.grad, b.grad)
    theirs_params = dict(theirs.named_parameters())
    for name, param in ours.named_parameters():
        close(param.grad, theirs_params[name].grad)


def layer_options(norm_first, activation, batch_first):
    return {
        "dim_feedforward": FF,
        "dropout": 0.0,
        "activation": activation,
        "batch_first": batch_first,
        "norm_first": norm_first,
    }


def shaped(length, batch_first, seed):
    shape = (N, length, D_MODEL) if batch_first else (length, N, D_MODEL)
    return pair(np.random.default_rng(seed).standard_normal(shape))


def masks(lib, length):
    """A causal bool mask (True above the diagonal = masked out) and a key padding mask."""
    causal = lib.tensor(np.triu(np.ones((length, length), dtype=bool), 1))
    return causal, lib.tensor(padding_mask(length))


def padding_mask(length):
    return np.array([[False] * (length - 1) + [True], [False] * length])


@pytest.mark.parametrize(
    "norm_first, activation, batch_first",
    list(itertools.product((False, True), ("relu", "gelu"), (False, True))),
)
def test_encoder_stack_matches_torch(norm_first, activation, batch_first):
    options = layer_options(norm_first, activation, batch_first)
    theirs_layer = torch.nn.TransformerEncoderLayer(D_MODEL, NHEAD, **options).double()
    theirs = torch.nn.TransformerEncoder(
        theirs_layer, 2, norm=torch.nn.LayerNorm(D_MODEL).double(), enable_nested_tensor=False
    )
    ours_layer = nn.TransformerEncoderLayer(D_MODEL, NHEAD, **options, dtype=ag.float64)
    ours = nn.TransformerEncoder(ours_layer, 2, norm=nn.LayerNorm(D_MODEL, dtype=ag.float64))
    copy_weights(ours, theirs)
    x = shaped(S, batch_first, 0)
    mask_ours, padding_ours = masks(ag, S)
    mask_theirs, padding_theirs = masks(torch, S)
    out = ours(x[0], mask=mask_ours, src_key_padding_mask=padding_ours)
    expected = theirs(x[1], mask=mask_theirs, src_key_padding_mask=padding_theirs)
    close(out, expected)
    seed = np.random.default_rng(1).standard_normal(out.shape)
    out.backward(ag.tensor(seed))
    expected.backward(torch.tensor(seed))
    compare_grads([x], ours, theirs)


@pytest.mark.parametrize("norm_first", [False, True])
def test_decoder_stack_matches_torch(norm_first):
    options = layer_options(norm_first, "relu", True)
    theirs = torch.nn.TransformerDecoder(
        torch.nn.TransformerDecoderLayer(D_MODEL, NHEAD, **options).double(), 2
    )
    ours = nn.TransformerDecoder(
        nn.TransformerDecoderLayer(D_MODEL, NHEAD, **options, dtype=ag.float64), 2
    )
    copy_weights(ours, theirs)
    tgt, memory = shaped(T, True, 2), shaped(S, True, 3)
    causal = nn.modules.transformer.generate_square_subsequent_mask(T, dtype=ag.float64)
    memory_padding = padding_mask(S)
    out = ours(
        tgt[0], memory[0], tgt_mask=causal, memory_key_padding_mask=ag.tensor(memory_padding)
    )
    expected = theirs(
        tgt[1],
        memory[1],
        tgt_mask=torch.nn.Transformer.generate_square_subsequent_mask(T, dtype=torch.float64),
        memory_key_padding_mask=torch.tensor(memory_padding),
    )
    close(out, expected)
    out.sum().backward()
    expected.sum().backward()
    compare_grads([tgt, memory], ours, theirs)


def test_unbatched_and_causal_hint():
    options = layer_options(False, "relu", False)
    theirs = torch.nn.TransformerEncoderLayer(D_MODEL, NHEAD, **options).double()
    ours = nn.TransformerEncoderLayer(D_MODEL, NHEAD, **options, dtype=ag.float64)
    copy_weights(ours, theirs)
    x = np.random.default_rng(4).standard_normal((S, D_MODEL))
    causal_ours, _ = masks(ag, S)
    causal_theirs, _ = masks(torch, S)
    out = ours(ag.tensor(x), src_mask=causal_ours, is_causal=True)
    expected = theirs(torch.tensor(x), src_mask=causal_theirs, is_causal=True)
    assert out.shape == (S, D_MODEL)
    close(out, expected)


def test_callable_activation_dropout_and_copies():
    ag.manual_seed(0)
    layer = nn.TransformerEncoderLayer(D_MODEL, NHEAD, FF, activation=F.gelu, batch_first=True)
    encoder = nn.TransformerEncoder(layer, 3)
    assert len(encoder.layers) == 3
    first, second = encoder.layers[0], encoder.layers[1]
    assert first is not second and first.linear1.weight is not second.linear1.weight
    np.testing.assert_array_equal(first.linear1.weight.data, second.linear1.weight.data)
    x = ag.randn(2, S, D_MODEL)
    encoder.train()
    assert not np.allclose(encoder(x).data, encoder(x).data)  # dropout 0.1 by default
    encoder.eval()
    np.testing.assert_array_equal(encoder(x).data, encoder(x).data)
    with pytest.raises(RuntimeError, match="relu/gelu"):
        nn.TransformerEncoderLayer(D_MODEL, NHEAD, activation="tanh")
    with pytest.raises(RuntimeError, match=r"should be \(5, 5\)"):
        layer(x, src_mask=ag.zeros(4, 4))


def test_repr_matches_torch():
    ours = nn.TransformerEncoderLayer(D_MODEL, NHEAD, FF)
    theirs = torch.nn.TransformerEncoderLayer(D_MODEL, NHEAD, FF)
    assert repr(ours) == repr(theirs)
