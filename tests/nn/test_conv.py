"""Conv1d, Conv2d, ConvTranspose2d against PyTorch: weights copied by name, then outputs and
the gradients of the input and of every parameter over the argument combinations; repr,
parameter names and shapes, default initialisation, double backward, and the errors."""

import math

import numpy as np
import pytest
import torch

import autograd as ag
import nn
import nn.functional as F


def _pair(ours, theirs, dtype=torch.float64):
    """Copy chainrule's parameters into the PyTorch module by name, in ``dtype``."""
    theirs.to(dtype)
    theirs.load_state_dict(
        {key: torch.tensor(value.data, dtype=dtype) for key, value in ours.state_dict().items()}
    )
    return ours, theirs


def check_against_torch(ours, theirs, shape, rng, rtol=1e-10, atol=1e-12):
    """Forward both on the same input, backward the same upstream gradient, compare the
    output, the input gradient and every parameter gradient by name."""
    dtype = np.float64 if rtol < 1e-6 else np.float32
    if dtype == np.float64:
        ours.double()
    array = rng.standard_normal(shape).astype(dtype)
    x = ag.tensor(array, requires_grad=True)
    tx = torch.tensor(array, requires_grad=True)
    out, expected = ours(x), theirs(tx)
    assert out.shape == tuple(expected.shape)
    assert out.dtype == dtype
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=rtol, atol=atol)
    upstream = rng.standard_normal(out.shape).astype(dtype)
    out.backward(ag.tensor(upstream))
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=rtol, atol=atol)
    their_params = dict(theirs.named_parameters())
    for name, param in ours.named_parameters():
        np.testing.assert_allclose(
            param.grad.data, their_params[name].grad.numpy(), rtol=rtol, atol=atol, err_msg=name
        )


CONV2D = [
    ({}, (2, 3, 7, 6)),
    ({"stride": 2}, (2, 3, 7, 6)),
    ({"stride": (2, 3), "padding": (1, 2)}, (2, 3, 7, 8)),
    ({"padding": 2}, (2, 3, 5, 5)),
    ({"padding": "same"}, (2, 3, 6, 5)),
    ({"padding": "same", "kernel_size": (2, 4), "dilation": (1, 2)}, (2, 3, 6, 7)),
    ({"padding": "valid"}, (2, 3, 6, 5)),
    ({"dilation": 2, "padding": 1}, (2, 3, 7, 7)),
    ({"groups": 3, "out_channels": 6}, (2, 3, 6, 6)),
    ({"groups": 3, "out_channels": 3, "padding": 1}, (2, 3, 5, 5)),  # depthwise
    ({"bias": False, "stride": 2, "padding": 1}, (2, 3, 6, 6)),
    ({"padding": 1, "padding_mode": "reflect"}, (2, 3, 5, 6)),
    ({"padding": (1, 2), "padding_mode": "circular"}, (2, 3, 5, 6)),
    ({"padding": "same", "padding_mode": "replicate"}, (2, 3, 5, 6)),
    ({"padding": 1}, (3, 5, 5)),  # unbatched
]


@pytest.mark.parametrize(("options", "shape"), CONV2D, ids=[str(o) for o, _ in CONV2D])
def test_conv2d_against_torch(rng, options, shape):
    options = {"in_channels": 3, "out_channels": 4, "kernel_size": 3, **options}
    ours, theirs = _pair(nn.Conv2d(**options), torch.nn.Conv2d(**options))
    check_against_torch(ours, theirs, shape, rng)


CONV1D = [
    ({}, (2, 3, 9)),
    ({"stride": 2, "padding": 1, "dilation": 2}, (2, 3, 9)),
    ({"padding": "same", "kernel_size": 4}, (2, 3, 8)),
    ({"groups": 3, "out_channels": 6, "bias": False}, (2, 3, 8)),
    ({"padding": 2, "padding_mode": "reflect"}, (3, 7)),
]


@pytest.mark.parametrize(("options", "shape"), CONV1D, ids=[str(o) for o, _ in CONV1D])
def test_conv1d_against_torch(rng, options, shape):
    options = {"in_channels": 3, "out_channels": 4, "kernel_size": 3, **options}
    ours, theirs = _pair(nn.Conv1d(**options), torch.nn.Conv1d(**options))
    check_against_torch(ours, theirs, shape, rng)


TRANSPOSE = [
    ({}, (2, 4, 4, 5)),
    ({"stride": 2}, (2, 4, 4, 5)),
    ({"stride": (2, 3), "padding": (1, 2), "output_padding": (1, 2)}, (2, 4, 4, 4)),
    ({"groups": 2, "stride": 2, "padding": 1}, (2, 4, 3, 3)),
    ({"dilation": 2, "stride": 2, "output_padding": 1}, (2, 4, 3, 3)),
    ({"bias": False, "kernel_size": (2, 3)}, (2, 4, 3, 3)),
    ({"stride": 2}, (4, 3, 3)),  # unbatched
]


@pytest.mark.parametrize(("options", "shape"), TRANSPOSE, ids=[str(o) for o, _ in TRANSPOSE])
def test_conv_transpose2d_against_torch(rng, options, shape):
    options = {"in_channels": 4, "out_channels": 2, "kernel_size": 3, **options}
    ours, theirs = _pair(nn.ConvTranspose2d(**options), torch.nn.ConvTranspose2d(**options))
    check_against_torch(ours, theirs, shape, rng)


def test_float32_stays_float32_and_matches_torch(rng):
    ours, theirs = _pair(
        nn.Conv2d(3, 8, 3, padding=1), torch.nn.Conv2d(3, 8, 3, padding=1), torch.float32
    )
    check_against_torch(ours, theirs, (4, 3, 9, 9), rng, rtol=1e-4, atol=1e-5)
    assert ours.weight.grad.dtype == np.float32


def test_double_backward_matches_torch(rng):
    """A gradient penalty: d/dw of |dL/dx|^2 through the conv's backward."""
    ours, theirs = _pair(
        nn.Conv2d(2, 3, 3, stride=2, padding=1), torch.nn.Conv2d(2, 3, 3, stride=2, padding=1)
    )
    ours.double()
    array = rng.standard_normal((2, 2, 5, 5))
    results = []
    for lib, module in ((ag, ours), (torch, theirs)):
        x = lib.tensor(array, requires_grad=True)
        out = (module(x) ** 2).sum()
        grad = (lib.autograd if lib is torch else ag).grad(out, x, create_graph=True)[0]
        (grad**2).sum().backward()
        results.append((module.weight.grad, module.bias.grad, x.grad))
    for mine, reference in zip(*results):
        np.testing.assert_allclose(np.asarray(mine.data), reference.numpy(), rtol=1e-10, atol=1e-12)


REPRS = [
    (nn.Conv2d, torch.nn.Conv2d, (1, 32, 3), {}),
    (
        nn.Conv2d,
        torch.nn.Conv2d,
        (4, 8, (3, 2)),
        {
            "stride": 2,
            "padding": 1,
            "dilation": 2,
            "groups": 2,
            "bias": False,
            "padding_mode": "reflect",
        },
    ),
    (nn.Conv2d, torch.nn.Conv2d, (3, 3, 3), {"padding": "same"}),
    (nn.Conv1d, torch.nn.Conv1d, (2, 4, 3), {"padding": "valid"}),
    (nn.Conv1d, torch.nn.Conv1d, (2, 4, 3), {"stride": 2, "padding": 1}),
    (
        nn.ConvTranspose2d,
        torch.nn.ConvTranspose2d,
        (4, 2, 3),
        {"stride": 2, "output_padding": 1, "groups": 2},
    ),
    (
        nn.ConvTranspose2d,
        torch.nn.ConvTranspose2d,
        (4, 6, (2, 3)),
        {"dilation": 2, "padding": (1, 0)},
    ),
]


@pytest.mark.parametrize(("ours", "theirs", "args", "kwargs"), REPRS)
def test_repr_parameters_and_state_dict_match_torch(ours, theirs, args, kwargs):
    mine, reference = ours(*args, **kwargs), theirs(*args, **kwargs)
    assert repr(mine) == repr(reference)
    assert [(name, p.shape) for name, p in mine.named_parameters()] == [
        (name, tuple(p.shape)) for name, p in reference.named_parameters()
    ]
    assert list(mine.state_dict()) == list(reference.state_dict())
    for name in ("in_channels", "out_channels", "kernel_size", "stride", "dilation", "groups"):
        assert getattr(mine, name) == getattr(reference, name), name
    assert mine.padding == reference.padding
    assert mine.output_padding == tuple(reference.output_padding)


@pytest.mark.parametrize(
    ("module", "fan_in"),
    [
        (nn.Conv2d(16, 64, 3), 16 * 9),
        (nn.Conv2d(16, 64, (3, 5), groups=4), 4 * 15),
        (nn.Conv1d(8, 32, 5), 8 * 5),
        # PyTorch's fan-in for the transposed layer: weight dim 1 = out_channels / groups.
        (nn.ConvTranspose2d(64, 16, 3), 16 * 9),
        (nn.ConvTranspose2d(64, 16, 3, groups=2), 8 * 9),
    ],
)
def test_default_init_is_kaiming_uniform_with_fan_in(module, fan_in):
    bound = 1 / math.sqrt(fan_in)  # kaiming_uniform_(a=sqrt(5)): gain sqrt(1/3), sqrt(3/fan_in)
    weight = module.weight.data
    assert weight.dtype == np.float32
    assert np.abs(weight).max() <= bound
    assert np.abs(weight).max() > 0.95 * bound
    assert weight.std() == pytest.approx(bound / math.sqrt(3), rel=0.1)
    bias = module.bias.data
    assert np.abs(bias).max() <= bound
    assert bias.std() == pytest.approx(bound / math.sqrt(3), rel=0.35)


def test_init_is_seeded():
    ag.manual_seed(3)
    first = nn.Conv2d(3, 4, 3).weight.data.copy()
    ag.manual_seed(3)
    np.testing.assert_array_equal(nn.Conv2d(3, 4, 3).weight.data, first)


# ---- errors ------------------------------------------------------------------------------


def test_layer_errors_name_the_layer_and_shapes():
    layer = nn.Conv2d(1, 32, 3)
    message = (
        r"Conv2d\(1, 32, kernel_size=\(3, 3\), stride=\(1, 1\)\) expected input with 1 channels, "
        r"got input of shape \(64, 3, 28, 28\)"
    )
    with pytest.raises(RuntimeError, match=message):
        layer(ag.zeros(64, 3, 28, 28))
    with pytest.raises(RuntimeError, match=r"Conv2d\(1, 32.*3-d \(unbatched\) or 4-d.*\(28, 28\)"):
        layer(ag.zeros(28, 28))
    with pytest.raises(
        RuntimeError, match=r"Conv1d\(2, 4.*expected input with 2 channels.*\(5, 3, 9\)"
    ):
        nn.Conv1d(2, 4, 3)(ag.zeros(5, 3, 9))
    with pytest.raises(
        RuntimeError, match=r"ConvTranspose2d\(4, 2.*expected input with 4 channels"
    ):
        nn.ConvTranspose2d(4, 2, 3)(ag.zeros(1, 2, 5, 5))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"groups": 2}, "in_channels must be divisible by groups"),
        ({"groups": 0}, "groups must be a positive integer"),
        ({"padding": "full"}, "Invalid padding string 'full'"),
        ({"padding": "same", "stride": 2}, "padding='same' is not supported for strided"),
        ({"padding_mode": "mirror"}, "padding_mode must be one of"),
    ],
)
def test_constructor_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        nn.Conv2d(3, 4, 3, **kwargs)


def test_constructor_errors_transposed():
    with pytest.raises(ValueError, match="out_channels must be divisible by groups"):
        nn.ConvTranspose2d(4, 3, 3, groups=2)
    with pytest.raises(ValueError, match='Only "zeros" padding mode'):
        nn.ConvTranspose2d(4, 2, 3, padding_mode="reflect")


X = ag.zeros(2, 3, 5, 5)
W = ag.zeros(4, 3, 3, 3)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: F.conv2d(X, ag.zeros(4, 3, 7, 7)),
            r"padded input size per channel: \(5, 5\). Kernel size \(dilated\): \(7, 7\)",
        ),
        (lambda: F.conv2d(X, W, dilation=3), r"Kernel size \(dilated\): \(7, 7\)"),
        (lambda: F.conv2d(X, W, stride=0), "non-positive stride"),
        (lambda: F.conv2d(X, W, stride=(1, -1)), "non-positive stride"),
        (
            lambda: F.conv2d(X, ag.zeros(4, 1, 3, 3), groups=2),
            "expected input\\[2, 3, 5, 5\\] to have 2 channels, but got 3",
        ),
        (
            lambda: F.conv2d(X, ag.zeros(3, 1, 3, 3), groups=2),
            "divisible by 2 at dimension 0",
        ),
        (lambda: F.conv2d(X, ag.zeros(4, 2, 3, 3)), "to have 2 channels, but got 3 channels"),
        (
            lambda: F.conv2d(X, W, padding="same", stride=2),
            "not supported for strided convolutions",
        ),
        (lambda: F.conv2d(X, W, padding="full"), "invalid padding string"),
        (lambda: F.conv2d(X, W, padding=-1), "negative padding"),
        (lambda: F.conv2d(X, W, groups=0), "non-positive groups"),
        (
            lambda: F.conv2d(X, W, bias=ag.zeros(3)),
            r"bias to be 1-dimensional with 4 elements, but got bias of size \[3\]",
        ),
        (lambda: F.conv2d(X.double(), W), "dtype float64, weight dtype float32"),
        (
            lambda: F.conv2d(ag.zeros(5, 5), W),
            r"Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but got input of "
            r"size: \[5, 5\]",
        ),
        (lambda: F.conv2d(X, ag.zeros(4, 3, 3)), "expected weight to be 4-dimensional"),
        (lambda: F.conv1d(X, W), "input to conv1d"),
        (
            lambda: F.conv_transpose2d(X, ag.zeros(3, 2, 3, 3), stride=2, output_padding=2),
            "output padding must be smaller than either stride or dilation",
        ),
        (
            lambda: F.conv_transpose2d(X, ag.zeros(3, 2, 3, 3), padding=5),
            "output size .* is too small",
        ),
        (lambda: F.conv_transpose2d(X, ag.zeros(2, 2, 3, 3)), "to have 2 channels, but got 3"),
    ],
)
def test_functional_errors(call, message):
    with pytest.raises(RuntimeError, match=message):
        call()


def test_functional_type_errors():
    with pytest.raises(TypeError, match="conv2d: input must be a Tensor, not ndarray"):
        F.conv2d(np.zeros((1, 3, 5, 5)), W)
    with pytest.raises(TypeError, match="stride must be an int or a tuple of 2 ints"):
        F.conv2d(X, W, stride=(1, 1, 1))


def test_second_backward_with_retain_graph_and_no_grad_forward(rng):
    """The forward's im2col columns, kept for the weight gradient, are rebuilt when needed."""
    layer = nn.Conv2d(2, 3, 3, padding=1)
    x = ag.tensor(rng.standard_normal((2, 2, 5, 5)).astype(np.float32))
    loss = layer(x).sum()
    loss.backward(retain_graph=True)
    first = layer.weight.grad.data.copy()
    loss.backward()
    np.testing.assert_allclose(layer.weight.grad.data, 2 * first, rtol=1e-6)
    with ag.no_grad():
        assert layer(x).requires_grad is False
