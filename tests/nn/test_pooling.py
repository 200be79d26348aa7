"""MaxPool2d, AvgPool2d, AdaptiveAvgPool2d against PyTorch: outputs, indices and input
gradients over the argument combinations, ties (the gradient goes to the first maximum),
NaN, repr, and the errors."""

import numpy as np
import pytest
import torch

import autograd as ag
import nn
import nn.functional as F


def check_against_torch(ours, theirs, array, rng, rtol=1e-12, atol=1e-12):
    """Forward both on ``array``, backward the same upstream gradient; compare the outputs
    (and indices, if any) and the input gradients."""
    x = ag.tensor(array, requires_grad=True)
    tx = torch.tensor(array, requires_grad=True)
    out, expected = ours(x), theirs(tx)
    if isinstance(expected, tuple):
        np.testing.assert_array_equal(out[1].data, expected[1].numpy())
        assert out[1].dtype == np.int64
        out, expected = out[0], expected[0]
    assert out.shape == tuple(expected.shape)
    assert out.dtype == array.dtype
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=rtol, atol=atol)
    upstream = rng.standard_normal(out.shape).astype(array.dtype)
    out.backward(ag.tensor(upstream))
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(x.grad.data, tx.grad.numpy(), rtol=rtol, atol=atol)


MAX_POOL = [
    ({"kernel_size": 2}, (2, 3, 8, 8)),
    ({"kernel_size": 2}, (2, 3, 7, 9)),
    ({"kernel_size": 3, "stride": 2, "padding": 1}, (2, 3, 8, 7)),
    ({"kernel_size": (2, 3), "stride": (1, 2), "padding": (1, 0)}, (2, 3, 6, 7)),
    ({"kernel_size": 3, "stride": 1, "dilation": 2, "padding": 1}, (2, 2, 7, 6)),
    ({"kernel_size": 2, "ceil_mode": True}, (2, 3, 7, 9)),
    ({"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}, (2, 3, 6, 8)),
    ({"kernel_size": 2, "return_indices": True}, (2, 3, 6, 6)),
    (
        {
            "kernel_size": 3,
            "stride": 2,
            "padding": 1,
            "dilation": (1, 2),
            "return_indices": True,
            "ceil_mode": True,
        },
        (2, 3, 7, 8),
    ),
    ({"kernel_size": 2, "stride": 1}, (3, 5, 5)),  # unbatched, overlapping windows
]


@pytest.mark.parametrize(("options", "shape"), MAX_POOL, ids=[str(o) for o, _ in MAX_POOL])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_max_pool2d_against_torch(rng, options, shape, dtype):
    array = rng.standard_normal(shape).astype(dtype)
    tolerance = 1e-12 if dtype == np.float64 else 1e-6  # overlapping windows add in any order
    ours, theirs = nn.MaxPool2d(**options), torch.nn.MaxPool2d(**options)
    check_against_torch(ours, theirs, array, rng, tolerance, tolerance)


@pytest.mark.parametrize(
    "options", [{"kernel_size": 2}, {"kernel_size": 3, "stride": 1, "padding": 1}]
)
def test_max_pool2d_ties_send_the_gradient_to_the_first_maximum(rng, options):
    array = rng.integers(0, 2, size=(2, 2, 6, 6)).astype(np.float64)  # many ties
    check_against_torch(nn.MaxPool2d(**options), torch.nn.MaxPool2d(**options), array, rng)


def test_max_pool2d_propagates_nan_like_torch(rng):
    array = rng.standard_normal((1, 1, 4, 4))
    array[0, 0, 1, 0] = np.nan
    out, indices = F.max_pool2d(ag.tensor(array), 2, return_indices=True)
    expected, expected_indices = torch.nn.functional.max_pool2d(
        torch.tensor(array), 2, return_indices=True
    )
    np.testing.assert_array_equal(out.data, expected.numpy())
    np.testing.assert_array_equal(indices.data, expected_indices.numpy())


@pytest.mark.parametrize(
    "options", [{"kernel_size": 2}, {"kernel_size": 3, "stride": 1, "padding": 1}]
)
def test_max_pool2d_backward_sends_a_nan_gradient_only_to_the_picked_input(rng, options):
    array = rng.standard_normal((1, 2, 5, 5))
    x, expected_x = ag.tensor(array, requires_grad=True), torch.tensor(array, requires_grad=True)
    out = F.max_pool2d(x, **options)
    grad = rng.standard_normal(out.shape)
    grad[0, 1, 1, 1] = np.nan
    out.backward(ag.tensor(grad))
    torch.nn.functional.max_pool2d(expected_x, **options).backward(torch.tensor(grad))
    np.testing.assert_allclose(x.grad.data, expected_x.grad.numpy(), rtol=1e-12, equal_nan=True)
    assert np.isnan(x.grad.data).sum() == np.isnan(expected_x.grad.numpy()).sum() >= 1


AVG_POOL = [
    ({"kernel_size": 2}, (2, 3, 8, 8)),
    ({"kernel_size": 3, "stride": 2, "padding": 1}, (2, 3, 8, 7)),
    ({"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False}, (2, 3, 8, 7)),
    ({"kernel_size": (2, 3), "stride": 2, "ceil_mode": True}, (2, 3, 7, 8)),
    ({"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}, (2, 3, 6, 8)),
    (
        {
            "kernel_size": 3,
            "stride": 2,
            "padding": 1,
            "ceil_mode": True,
            "count_include_pad": False,
        },
        (2, 3, 6, 8),
    ),
    ({"kernel_size": 2, "stride": 1, "divisor_override": 3}, (2, 3, 5, 5)),
    ({"kernel_size": 3, "padding": 1, "divisor_override": 2, "ceil_mode": True}, (3, 5, 7)),
]


@pytest.mark.parametrize(("options", "shape"), AVG_POOL, ids=[str(o) for o, _ in AVG_POOL])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_avg_pool2d_against_torch(rng, options, shape, dtype):
    array = rng.standard_normal(shape).astype(dtype)
    tolerance = 1e-12 if dtype == np.float64 else 1e-6
    check_against_torch(
        nn.AvgPool2d(**options), torch.nn.AvgPool2d(**options), array, rng, tolerance, tolerance
    )


ADAPTIVE = [
    ((1, 1), (2, 3, 6, 7)),
    ((3, 7), (2, 3, 6, 7)),  # equal windows
    ((4, 3), (2, 3, 6, 7)),  # uneven, overlapping windows
    (5, (2, 3, 7, 7)),
    ((None, 2), (2, 3, 5, 7)),
    ((8, 9), (2, 3, 5, 7)),  # larger than the input
    ((2, 3), (3, 5, 7)),  # unbatched
]


@pytest.mark.parametrize(("size", "shape"), ADAPTIVE, ids=[str(s) for s, _ in ADAPTIVE])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_adaptive_avg_pool2d_against_torch(rng, size, shape, dtype):
    array = rng.standard_normal(shape).astype(dtype)
    tolerance = 1e-12 if dtype == np.float64 else 1e-6
    check_against_torch(
        nn.AdaptiveAvgPool2d(size),
        torch.nn.AdaptiveAvgPool2d(size),
        array,
        rng,
        tolerance,
        tolerance,
    )


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (nn.MaxPool2d(2), torch.nn.MaxPool2d(2)),
        (
            nn.MaxPool2d((2, 3), 1, 1, 2, True, True),
            torch.nn.MaxPool2d((2, 3), 1, 1, 2, True, True),
        ),
        (nn.AvgPool2d(2), torch.nn.AvgPool2d(2)),
        (nn.AvgPool2d(3, 2, 1, True, False, 2), torch.nn.AvgPool2d(3, 2, 1, True, False, 2)),
        (nn.AdaptiveAvgPool2d((5, 7)), torch.nn.AdaptiveAvgPool2d((5, 7))),
        (nn.AdaptiveAvgPool2d(3), torch.nn.AdaptiveAvgPool2d(3)),
        (nn.AdaptiveAvgPool2d((None, 3)), torch.nn.AdaptiveAvgPool2d((None, 3))),
    ],
)
def test_repr_matches_torch(ours, theirs):
    assert repr(ours) == repr(theirs)
    assert list(ours.parameters()) == []


X = ag.zeros(2, 3, 5, 5)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: F.max_pool2d(X, 3, padding=2),
            r"pad should be at most half of kernel size, but got pad=\(2, 2\)",
        ),
        (lambda: F.max_pool2d(X, 2, padding=(0, -1)), "pad should be at most half"),
        (lambda: F.avg_pool2d(X, 3, padding=2), "pad should be at most half"),
        (lambda: F.max_pool2d(X, 7), r"output size .*too small"),
        (lambda: F.avg_pool2d(X, (2, 7)), r"output size .*too small"),
        (lambda: F.max_pool2d(X, 3, dilation=3), r"output size .*too small"),
        (lambda: F.max_pool2d(X, 2, stride=0), "stride must be greater than zero"),
        (lambda: F.avg_pool2d(X, 2, stride=-1), "stride must be greater than zero"),
        (lambda: F.max_pool2d(X, 0), "kernel_size must be greater than zero"),
        (lambda: F.max_pool2d(X, 2, dilation=0), "dilation must be greater than zero"),
        (lambda: F.avg_pool2d(X, 2, divisor_override=0), "divisor must be not zero"),
        (
            lambda: F.max_pool2d(ag.zeros(5, 5), 2),
            r"3D or 4D \(batch mode\) tensor expected.*\[5, 5\]",
        ),
        (lambda: F.avg_pool2d(ag.zeros(1, 2, 3, 4, 5), 2), r"3D or 4D.*\[1, 2, 3, 4, 5\]"),
        (lambda: F.adaptive_avg_pool2d(X, (0, 2)), "output_size must be positive"),
        (lambda: F.max_pool2d(ag.zeros(1, 1, 4, 4, dtype=ag.int64), 2), "floating-point input"),
    ],
)
def test_functional_errors(call, message):
    with pytest.raises(RuntimeError, match=message):
        call()


def test_layer_errors_name_the_op_and_shape():
    with pytest.raises(RuntimeError, match=r"max_pool2d: .*\[28, 28\]"):
        nn.MaxPool2d(2)(ag.zeros(28, 28))
    with pytest.raises(TypeError, match="kernel_size must be an int or a tuple of 2 ints"):
        nn.AvgPool2d((2, 2, 2))(X)
    with pytest.raises(TypeError, match="output_size must be an int or a tuple of 2 ints"):
        nn.AdaptiveAvgPool2d((2, 2, 2))(X)
