"""Linear, Bilinear, Embedding, activations, Flatten and Dropout against PyTorch: weights
copied by name, then outputs and the gradients of inputs and of every parameter."""

import warnings

import numpy as np
import pytest
import torch

import autograd as ag
import nn
import nn.functional as F


def copy_into_torch(ours, theirs):
    """Load chainrule's parameters into the PyTorch module, by name; both in float64."""
    ours.double()
    theirs.double()
    theirs.load_state_dict(
        {key: torch.tensor(value.data) for key, value in ours.state_dict().items()}
    )


def run_both(ours, theirs, arrays, rng, grad_inputs=True):
    """Forward both modules on the same inputs and backward the same random gradient;
    compare outputs, input gradients and parameter gradients by name."""
    our_inputs = [ag.tensor(a, requires_grad=grad_inputs and a.dtype.kind == "f") for a in arrays]
    their_inputs = [
        torch.tensor(a, requires_grad=grad_inputs and a.dtype.kind == "f") for a in arrays
    ]
    out = ours(*our_inputs)
    expected = theirs(*their_inputs)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-10, atol=1e-12)
    upstream = rng.standard_normal(expected.shape)
    out.backward(ag.tensor(upstream))
    expected.backward(torch.tensor(upstream))
    for index, (mine, reference) in enumerate(zip(our_inputs, their_inputs)):
        if reference.requires_grad:
            np.testing.assert_allclose(
                mine.grad.data, reference.grad.numpy(), rtol=1e-10, atol=1e-12, err_msg=str(index)
            )
    their_params = dict(theirs.named_parameters())
    for name, param in ours.named_parameters():
        np.testing.assert_allclose(
            param.grad.data, their_params[name].grad.numpy(), rtol=1e-10, atol=1e-12, err_msg=name
        )
    return out


@pytest.mark.parametrize("shape", [(4, 5), (2, 3, 5), (5,)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear(rng, shape, bias):
    ours, theirs = nn.Linear(5, 3, bias=bias), torch.nn.Linear(5, 3, bias=bias)
    copy_into_torch(ours, theirs)
    run_both(ours, theirs, [rng.standard_normal(shape)], rng)


@pytest.mark.parametrize("lead", [(6,), (2, 3)])
@pytest.mark.parametrize("bias", [True, False])
def test_bilinear(rng, lead, bias):
    ours, theirs = nn.Bilinear(4, 3, 2, bias=bias), torch.nn.Bilinear(4, 3, 2, bias=bias)
    copy_into_torch(ours, theirs)
    inputs = [rng.standard_normal((*lead, 4)), rng.standard_normal((*lead, 3))]
    run_both(ours, theirs, inputs, rng)


def test_linear_and_bilinear_errors():
    with pytest.raises(RuntimeError, match=r"linear: input of shape \(2, 4\) and weight"):
        nn.Linear(3, 2)(ag.zeros(2, 4))
    with pytest.raises(RuntimeError, match="bilinear: inputs of shapes"):
        nn.Bilinear(3, 2, 1)(ag.zeros(4, 3), ag.zeros(5, 2))


def test_unflatten_sizes_must_be_ints():
    with pytest.raises(TypeError, match="element of type float at pos 0"):
        nn.Unflatten(1, [1.0])


def test_hardtanh_bounds_must_be_ordered():
    with pytest.raises(ValueError, match=r"max_val \(1.0\) must be greater than min_val \(2.0\)"):
        nn.Hardtanh(2.0, 1.0)


def test_hardtanh_takes_the_deprecated_bound_names_with_torchs_warning(rng):
    with pytest.warns(FutureWarning) as ours_warned:
        ours = nn.Hardtanh(min_value=-0.5, max_value=1.5)
    with pytest.warns(FutureWarning) as theirs_warned:
        theirs = torch.nn.Hardtanh(min_value=-0.5, max_value=1.5)
    assert [str(w.message) for w in ours_warned] == [str(w.message) for w in theirs_warned]
    assert repr(ours) == repr(theirs) == "Hardtanh(min_val=-0.5, max_val=1.5)"
    run_both(ours, theirs, [rng.uniform(-3, 3, size=(3, 4))], rng)


@pytest.mark.parametrize("padding_idx", [None, 0, -2])
def test_embedding(rng, padding_idx):
    ours = nn.Embedding(6, 3, padding_idx=padding_idx)
    theirs = torch.nn.Embedding(6, 3, padding_idx=padding_idx)
    copy_into_torch(ours, theirs)
    indices = np.array([[0, 4, 4, 1], [3, 0, 5, 4]])
    run_both(ours, theirs, [indices], rng)
    if padding_idx is not None:
        row = padding_idx % 6
        assert ours.padding_idx == theirs.padding_idx == row
        assert not ours.weight.grad.data[row].any()


def test_embedding_max_norm_renormalises_like_torch(rng):
    ours = nn.Embedding(5, 4, max_norm=1.0)
    theirs = torch.nn.Embedding(5, 4, max_norm=1.0)
    copy_into_torch(ours, theirs)
    indices = np.array([1, 3, 3])
    run_both(ours, theirs, [indices], rng)
    np.testing.assert_allclose(ours.weight.data, theirs.weight.detach().numpy(), rtol=1e-12)
    assert np.linalg.norm(ours.weight.data[1]) <= 1.0


def test_embedding_from_pretrained_and_errors():
    weights = ag.tensor([[1.0, 2.0], [3.0, 4.0]])
    frozen = nn.Embedding.from_pretrained(weights)
    assert not frozen.weight.requires_grad
    np.testing.assert_array_equal(frozen(ag.tensor([1])).data, [[3.0, 4.0]])
    assert repr(nn.Embedding(10, 3, padding_idx=0)) == repr(
        torch.nn.Embedding(10, 3, padding_idx=0)
    )
    with pytest.raises(IndexError, match="index 6 is out of range"):
        nn.Embedding(6, 2)(ag.tensor([1, 6]))
    with pytest.raises(IndexError, match="index -1 is out of range"):
        nn.Embedding(6, 2)(ag.tensor([-1]))
    with pytest.raises(RuntimeError, match="integer dtype"):
        nn.Embedding(6, 2)(ag.tensor([1.0]))
    with pytest.raises(ValueError, match="padding_idx 7 must be within"):
        nn.Embedding(6, 2, padding_idx=7)


ACTIVATIONS = [
    ("ReLU", {}),
    ("ReLU6", {}),
    ("Hardtanh", {"min_val": -0.5, "max_val": 1.5}),
    ("LeakyReLU", {"negative_slope": 0.2}),
    ("ELU", {"alpha": 0.7}),
    ("GELU", {}),
    ("GELU", {"approximate": "tanh"}),
    ("SiLU", {}),
    ("Sigmoid", {}),
    ("LogSigmoid", {}),
    ("Tanh", {}),
    ("Softplus", {"beta": 2.0, "threshold": 1.5}),
    ("Softmax", {"dim": 1}),
    ("Softmax", {"dim": 0}),
    ("LogSoftmax", {"dim": -1}),
    ("Identity", {}),
    ("Flatten", {}),
    ("Flatten", {"start_dim": 0, "end_dim": 1}),
    ("Unflatten", {"dim": 1, "unflattened_size": (2, 2)}),
]


@pytest.mark.parametrize("name, kwargs", ACTIVATIONS, ids=lambda value: str(value))
def test_parameterless_layers(rng, name, kwargs):
    ours, theirs = getattr(nn, name)(**kwargs), getattr(torch.nn, name)(**kwargs)
    assert repr(ours) == repr(theirs)
    values = rng.uniform(-3, 3, size=(3, 4))
    values[np.abs(values) < 0.05] = 0.5  # away from the kinks at 0
    run_both(ours, theirs, [values], rng)


@pytest.mark.parametrize("name", ["ReLU", "LeakyReLU", "ELU", "SiLU", "ReLU6"])
def test_inplace_activations(rng, name):
    ours, theirs = getattr(nn, name)(inplace=True), getattr(torch.nn, name)(inplace=True)
    assert repr(ours) == repr(theirs)
    values = rng.uniform(-3, 3, size=(4, 5))
    x, reference = ag.tensor(values, requires_grad=True), torch.tensor(values, requires_grad=True)
    hidden, hidden_reference = x * 2, reference * 2
    out, expected = ours(hidden), theirs(hidden_reference)
    assert out is hidden
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12)
    out.sum().backward()
    expected.sum().backward()
    np.testing.assert_allclose(x.grad.data, reference.grad.numpy(), rtol=1e-12)


def test_softmax_implicit_dim_warns_like_torch():
    x = ag.randn(2, 3)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax"):
        out = nn.Softmax()(x)
    np.testing.assert_allclose(out.data.sum(axis=1), np.ones(2), rtol=1e-6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = torch.nn.functional.log_softmax(torch.tensor(x.data[0]), dim=None)
        ours = F.log_softmax(x[0])
    np.testing.assert_allclose(ours.data, expected.numpy(), rtol=1e-6)
    assert F.softmax(ag.tensor([1, 2]), dim=0, dtype=ag.float64).dtype == ag.float64


def test_mlp_end_to_end_matches_torch(rng):
    def build(lib):
        return lib.Sequential(
            lib.Linear(6, 8), lib.GELU(), lib.Linear(8, 8), lib.Tanh(), lib.Linear(8, 3)
        )

    ours, theirs = build(nn), build(torch.nn)
    copy_into_torch(ours, theirs)
    run_both(ours, theirs, [rng.standard_normal((5, 6))], rng)


def test_dropout_eval_is_identity_and_zero_p():
    x = ag.randn(10, 10)
    layer = nn.Dropout(0.5).eval()
    assert layer(x) is x
    assert F.dropout(x, 0.0) is x
    assert F.dropout(x, 0.7, training=False) is x
    assert nn.Dropout2d(0.3).eval()(ag.zeros(2, 3, 4, 4)).shape == (2, 3, 4, 4)
    assert not F.dropout(x, 1.0).data.any()


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_dropout_train_statistics_and_gradient(p):
    x = ag.ones(400, 250, requires_grad=True)
    out = nn.Dropout(p)(x)
    zeroed = out.data == 0
    assert zeroed.mean() == pytest.approx(p, abs=0.01)
    np.testing.assert_allclose(out.data[~zeroed], 1 / (1 - p), rtol=1e-6)
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, out.data)  # gradient = the same mask


def test_dropout_is_seeded_and_repeatable():
    x = ag.ones(50, 50)
    ag.manual_seed(11)
    first = F.dropout(x, 0.3).data
    second = F.dropout(x, 0.3).data
    ag.manual_seed(11)
    np.testing.assert_array_equal(F.dropout(x, 0.3).data, first)
    assert not np.array_equal(first, second)


def test_dropout2d_drops_whole_channels():
    x = ag.ones(40, 50, 3, 3)
    out = nn.Dropout2d(0.4)(x).data
    per_channel = out.reshape(40, 50, 9)
    assert (per_channel == per_channel[..., :1]).all()  # one decision per channel
    assert (per_channel[..., 0] == 0).mean() == pytest.approx(0.4, abs=0.03)
    np.testing.assert_allclose(per_channel[per_channel != 0], 1 / 0.6, rtol=1e-6)
    assert F.dropout2d(ag.ones(4, 5, 6), 0.5).data.reshape(4, 5, 6).std(axis=2).max() == 0


def test_dropout_in_place_and_errors():
    hidden = ag.ones(8, 8, requires_grad=True) * 1
    assert F.dropout(hidden, 0.5, inplace=True) is hidden
    assert set(np.unique(hidden.data)) <= {0.0, 2.0}
    assert repr(nn.Dropout(0.2)) == repr(torch.nn.Dropout(0.2))
    with pytest.raises(ValueError, match=r"between 0 and 1, but got 1\.5"):
        nn.Dropout(1.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        F.dropout(ag.ones(2), -0.1)
    with pytest.raises(RuntimeError, match=r"dropout2d: expected a 3-d .* got shape \(2, 3\)"):
        F.dropout2d(ag.ones(2, 3))
    with pytest.raises(RuntimeError, match="floating-point input"):
        F.dropout(ag.tensor([1, 2]))


def test_functional_one_hot_and_pad_match_torch():
    labels = np.array([[0, 2], [1, 3]])
    np.testing.assert_array_equal(
        F.one_hot(ag.tensor(labels), 5).data,
        torch.nn.functional.one_hot(torch.tensor(labels), 5).numpy(),
    )
    x = np.arange(12.0).reshape(1, 3, 4)
    np.testing.assert_array_equal(
        F.pad(ag.tensor(x), (1, 2), mode="reflect").data,
        torch.nn.functional.pad(torch.tensor(x), (1, 2), mode="reflect").numpy(),
    )
