"""scaled_dot_product_attention and MultiheadAttention against PyTorch (float64): outputs,
weights and gradients with every mask kind, causal mode, fully masked rows, errors; the
sinusoidal positional encoding."""

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)


def pair(array, grad=True):
    return ag.tensor(array, requires_grad=grad), torch.tensor(array, requires_grad=grad)


def close(ours, theirs, atol=1e-10):
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-9, atol=atol)


def bool_mask(shape, seed):
    mask = np.random.default_rng(seed).random(shape) < 0.6
    mask[..., 0] = True  # no fully masked rows here
    return mask


SDPA_MASKS = {
    "none": lambda n, h, lq, s: None,
    "bool-2d": lambda n, h, lq, s: bool_mask((lq, s), 1),
    "bool-4d-broadcast": lambda n, h, lq, s: bool_mask((n, 1, lq, s), 2),
    "float-2d": lambda n, h, lq, s: np.random.default_rng(3).standard_normal((lq, s)),
    "float-neg-inf": lambda n, h, lq, s: np.where(bool_mask((n, h, lq, s), 4), 0.0, -np.inf),
}


@pytest.mark.parametrize("mask_kind", SDPA_MASKS)
@pytest.mark.parametrize("lengths", [(5, 5), (3, 6)])
@pytest.mark.parametrize("scale", [None, 0.3])
def test_sdpa_matches_torch(mask_kind, lengths, scale):
    n, h, e = 2, 3, 4
    lq, s = lengths
    q, k, v = (
        pair(RNG.standard_normal(shape)) for shape in [(n, h, lq, e), (n, h, s, e), (n, h, s, 5)]
    )
    mask = SDPA_MASKS[mask_kind](n, h, lq, s)
    masks = (None, None) if mask is None else pair(mask, grad=False)
    out = F.scaled_dot_product_attention(q[0], k[0], v[0], attn_mask=masks[0], scale=scale)
    expected = torch.nn.functional.scaled_dot_product_attention(
        q[1], k[1], v[1], attn_mask=masks[1], scale=scale
    )
    close(out, expected)
    seed = RNG.standard_normal(out.shape)
    out.backward(ag.tensor(seed))
    expected.backward(torch.tensor(seed))
    for ours, theirs in (q, k, v):
        close(ours.grad, theirs.grad)


@pytest.mark.parametrize("lengths", [(4, 4), (3, 5), (5, 3)])
def test_sdpa_causal(lengths):
    lq, s = lengths
    q, k, v = (pair(RNG.standard_normal(shape)) for shape in [(2, lq, 4), (2, s, 4), (2, s, 4)])
    out = F.scaled_dot_product_attention(q[0], k[0], v[0], is_causal=True)
    expected = torch.nn.functional.scaled_dot_product_attention(q[1], k[1], v[1], is_causal=True)
    close(out, expected)
    out.sum().backward()
    expected.sum().backward()
    close(q[0].grad, q[1].grad)
    close(k[0].grad, k[1].grad)


@pytest.mark.parametrize("additive", [False, True])
def test_sdpa_fully_masked_rows_give_zeros_and_zero_gradient(additive):
    q, k, v = (pair(RNG.standard_normal(shape)) for shape in [(2, 3, 4), (2, 5, 4), (2, 5, 4)])
    mask = np.ones((3, 5), dtype=bool)
    mask[1] = False
    if additive:
        mask = np.where(mask, 0.0, -np.inf)
    out = F.scaled_dot_product_attention(q[0], k[0], v[0], attn_mask=ag.tensor(mask))
    expected = torch.nn.functional.scaled_dot_product_attention(
        q[1], k[1], v[1], attn_mask=torch.tensor(mask)
    )
    close(out, expected)
    assert (out.data[:, 1] == 0).all()
    out.sum().backward()
    expected.sum().backward()
    for ours, theirs in (q, k, v):
        assert np.isfinite(ours.grad.data).all()
        close(ours.grad, theirs.grad)


def test_sdpa_dropout_is_seeded_and_scaled():
    q = ag.randn(1, 4, 8)
    ag.manual_seed(3)
    first = F.scaled_dot_product_attention(q, q, q, dropout_p=0.5)
    ag.manual_seed(3)
    again = F.scaled_dot_product_attention(q, q, q, dropout_p=0.5)
    np.testing.assert_array_equal(first.data, again.data)
    plain = F.scaled_dot_product_attention(q, q, q)
    assert not np.allclose(first.data, plain.data)
    assert (F.scaled_dot_product_attention(q, q, q, dropout_p=1.0).data == 0).all()


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"attn_mask": ag.ones(3, 4, dtype=ag.bool)}, RuntimeError, r"\(3, 4\).*\(3, 5\)"),
        ({"attn_mask": ag.ones(3, 5, dtype=ag.int64)}, TypeError, "bool or floating"),
        ({"attn_mask": ag.zeros(3, 5, dtype=ag.float32)}, TypeError, "query's dtype"),
        ({"attn_mask": ag.ones(3, 5, dtype=ag.bool), "is_causal": True}, RuntimeError, "is_causal"),
        ({"dropout_p": 1.5}, ValueError, "dropout_p"),
    ],
)
def test_sdpa_errors(kwargs, error, message):
    q = ag.randn(2, 3, 4, dtype=ag.float64)
    k = ag.randn(2, 5, 4, dtype=ag.float64)
    with pytest.raises(error, match=message):
        F.scaled_dot_product_attention(q, k, k, **kwargs)
    with pytest.raises(RuntimeError, match="do not fit"):
        F.scaled_dot_product_attention(q, ag.randn(2, 5, 3, dtype=ag.float64), k)


def make_mha(embed, heads, **kwargs):
    theirs = torch.nn.MultiheadAttention(embed, heads, **kwargs).double()
    ours = nn.MultiheadAttention(embed, heads, **kwargs, dtype=ag.float64)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: ag.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    return ours, theirs


L, S, N, E, HEADS = 4, 6, 2, 8, 2
MHA_MASKS = {
    "none": {},
    "attn-bool": {"attn_mask": bool_mask((L, S), 5) == False},  # noqa: E712 - True = masked out
    "attn-float": {"attn_mask": RNG.standard_normal((L, S))},
    "attn-3d": {"attn_mask": bool_mask((N * HEADS, L, S), 6) == False},  # noqa: E712
    "padding-bool": {"key_padding_mask": np.array([[False] * 4 + [True] * 2, [False] * 6])},
    "padding-float": {"key_padding_mask": RNG.standard_normal((N, S))},
    "both": {
        "attn_mask": bool_mask((L, S), 7) == False,  # noqa: E712
        "key_padding_mask": np.array([[False] * 5 + [True], [False] * 6]),
    },
}


def _run_mha(pair_of_modules, arrays, masks, **kwargs):
    results = []
    for module, lib, index in zip(pair_of_modules, (ag, torch), (0, 1)):
        inputs = [array[index] for array in arrays]
        converted = {name: lib.tensor(value) for name, value in masks.items()}
        results.append(module(*inputs, **converted, **kwargs))
    return results


@pytest.mark.parametrize("mask_kind", MHA_MASKS)
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("cross", [False, True])
def test_mha_matches_torch(mask_kind, batch_first, cross):
    extra = {"kdim": 5, "vdim": 3} if cross else {}
    modules = make_mha(E, HEADS, batch_first=batch_first, **extra)

    def shape(length, dim):
        return (N, length, dim) if batch_first else (length, N, dim)

    query = pair(RNG.standard_normal(shape(L, E)))
    if cross:
        arrays = [
            query,
            pair(RNG.standard_normal(shape(S, 5))),
            pair(RNG.standard_normal(shape(S, 3))),
        ]
    else:
        memory = pair(RNG.standard_normal(shape(S, E)))
        arrays = [query, memory, memory]
    (out, weights), (expected, expected_weights) = _run_mha(modules, arrays, MHA_MASKS[mask_kind])
    close(out, expected)
    close(weights, expected_weights)
    (out.sum() + weights.sum()).backward()
    (expected.sum() + expected_weights.sum()).backward()
    for ours, theirs in arrays:
        close(ours.grad, theirs.grad)
    theirs_params = dict(modules[1].named_parameters())
    for name, param in modules[0].named_parameters():
        close(param.grad, theirs_params[name].grad)


@pytest.mark.parametrize(
    "options, call",
    [
        ({"bias": False}, {}),
        ({"add_bias_kv": True}, {"attn_mask": np.triu(np.ones((L, L), dtype=bool), 1)}),
        ({}, {"need_weights": True, "average_attn_weights": False}),
        ({}, {"need_weights": False}),
        ({}, {"attn_mask": np.triu(np.ones((L, L), dtype=bool), 1), "is_causal": True}),
    ],
    ids=["no-bias", "bias-kv", "per-head-weights", "no-weights", "causal-hint"],
)
def test_mha_options_self_attention(options, call):
    modules = make_mha(E, HEADS, batch_first=True, **options)
    x = pair(RNG.standard_normal((N, L, E)))
    masks = {k: v for k, v in call.items() if k == "attn_mask"}
    flags = {k: v for k, v in call.items() if k != "attn_mask"}
    results = []
    for module, lib, index in zip(modules, (ag, torch), (0, 1)):
        converted = {name: lib.tensor(value) for name, value in masks.items()}
        results.append(module(x[index], x[index], x[index], **converted, **flags))
    (out, weights), (expected, expected_weights) = results
    close(out, expected)
    if expected_weights is None:
        assert weights is None
    else:
        assert weights.shape == tuple(expected_weights.shape)
        close(weights, expected_weights)
    out.sum().backward()
    expected.sum().backward()
    close(x[0].grad, x[1].grad)


def test_mha_unbatched():
    ours, theirs = make_mha(E, HEADS)
    x = RNG.standard_normal((L, E))
    mask = np.array([False, False, True, False])
    out, weights = ours(ag.tensor(x), ag.tensor(x), ag.tensor(x), key_padding_mask=ag.tensor(mask))
    expected, expected_weights = theirs(
        torch.tensor(x), torch.tensor(x), torch.tensor(x), key_padding_mask=torch.tensor(mask)
    )
    assert out.shape == (L, E) and weights.shape == (L, L)
    close(out, expected)
    close(weights, expected_weights)


def test_mha_fully_masked_rows_as_torch():
    """need_weights=True: NaN (PyTorch's explicit softmax); need_weights=False: zeros before
    out_proj (PyTorch's fused path), so out_proj's bias there."""
    modules = make_mha(E, HEADS, batch_first=True)
    x = RNG.standard_normal((1, L, E))
    mask = np.zeros((L, L), dtype=bool)
    mask[2] = True
    for need_weights in (True, False):
        results = [
            module(*(lib.tensor(x),) * 3, attn_mask=lib.tensor(mask), need_weights=need_weights)[0]
            for module, lib in zip(modules, (ag, torch))
        ]
        expected = results[1].detach().numpy()
        np.testing.assert_allclose(results[0].data, expected, rtol=1e-9, atol=1e-10)
        assert np.isnan(results[0].data[0, 2]).all() == need_weights


def test_mha_init_and_repr():
    ag.manual_seed(0)
    mha = nn.MultiheadAttention(16, 4, kdim=6, vdim=7)
    assert [n for n, _ in mha.named_parameters()] == [
        n for n, _ in torch.nn.MultiheadAttention(16, 4, kdim=6, vdim=7).named_parameters()
    ]
    assert mha.k_proj_weight.shape == (16, 6)
    assert (mha.in_proj_bias.data == 0).all() and (mha.out_proj.bias.data == 0).all()
    bound = np.sqrt(6 / (16 + 16))
    assert np.abs(mha.q_proj_weight.data).max() <= bound
    assert repr(nn.MultiheadAttention(8, 2)) == repr(torch.nn.MultiheadAttention(8, 2))


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"attn_mask": ag.zeros(L, L + 1, dtype=ag.bool)}, RuntimeError, r"should be \(4, 4\)"),
        ({"attn_mask": ag.zeros(3, L, L, dtype=ag.bool)}, RuntimeError, r"\(4, 4, 4\)"),
        ({"attn_mask": ag.zeros(L, L, dtype=ag.int64)}, TypeError, "bool or floating"),
        (
            {"key_padding_mask": ag.zeros(N, L + 1, dtype=ag.bool)},
            RuntimeError,
            r"\(N, S\) = \(2, 4\)",
        ),
        ({"is_causal": True}, RuntimeError, "Need attn_mask"),
    ],
)
def test_mha_mask_errors(kwargs, error, message):
    mha = nn.MultiheadAttention(E, HEADS, batch_first=True)
    x = ag.randn(N, L, E)
    with pytest.raises(error, match=message):
        mha(x, x, x, **kwargs)


def test_mha_constructor_errors():
    with pytest.raises(ValueError, match="divisible"):
        nn.MultiheadAttention(10, 3)
    with pytest.raises(NotImplementedError, match="add_zero_attn"):
        nn.MultiheadAttention(8, 2, add_zero_attn=True)
    with pytest.raises(RuntimeError, match="embedding dimension of 8"):
        nn.MultiheadAttention(8, 2)(ag.randn(3, 1, 6), ag.randn(3, 1, 6), ag.randn(3, 1, 6))


def test_sinusoidal_positional_encoding():
    table = nn.sinusoidal_positional_encoding(10, 6, dtype=ag.float64).data
    position, index = 7, 2  # the pair of columns (4, 5)
    angle = position / 10000 ** (2 * index / 6)
    np.testing.assert_allclose(table[position, 4:6], [np.sin(angle), np.cos(angle)])
    np.testing.assert_allclose(table[0], [0, 1] * 3)
    odd = nn.sinusoidal_positional_encoding(4, 5).data
    assert odd.shape == (4, 5) and odd.dtype == np.float32
    layer = nn.PositionalEncoding(6, max_len=10, batch_first=True)
    assert "pe" not in layer.state_dict()
    x = ag.randn(2, 7, 6)
    np.testing.assert_allclose(layer(x).data, x.data + layer.pe.data[:7], rtol=1e-6)
    seq_first = nn.PositionalEncoding(6, max_len=10)
    np.testing.assert_allclose(
        seq_first(x.transpose(0, 1)).data,
        (x.data + layer.pe.data[:7]).transpose(1, 0, 2),
        rtol=1e-6,
    )
    with pytest.raises(ValueError, match="max_len=10"):
        layer(ag.randn(1, 11, 6))
