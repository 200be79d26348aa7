"""BatchNorm1d/2d, LayerNorm, GroupNorm and F.normalize against PyTorch: weights copied by
name, outputs and the gradients of inputs and parameters (float64), running statistics
after several training steps, eval mode, state dicts, reprs and errors."""

import numpy as np
import pytest
import torch

import autograd as ag
import nn
import nn.functional as F

TOLERANCE = {"rtol": 1e-9, "atol": 1e-11}


def make_pair(name, *args, **kwargs):
    """The same layer in both libraries, in float64, PyTorch's loaded from ours by name
    (weight and bias randomised first so that the affine part is exercised)."""
    ours = getattr(nn, name)(*args, **kwargs).double()
    theirs = getattr(torch.nn, name)(*args, **kwargs).double()
    rng = np.random.default_rng(1)
    with ag.no_grad():
        for param in ours.parameters():
            param.copy_(ag.tensor(rng.standard_normal(param.shape)))
    theirs.load_state_dict(
        {key: torch.tensor(value.data) for key, value in ours.state_dict().items()}
    )
    return ours, theirs


def check_step(ours, theirs, array, rng):
    """Forward and backward both on ``array``; compare outputs and all gradients."""
    x, x_t = ag.tensor(array, requires_grad=True), torch.tensor(array, requires_grad=True)
    out, expected = ours(x), theirs(x_t)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), **TOLERANCE)
    upstream = rng.standard_normal(expected.shape)
    out.backward(ag.tensor(upstream))
    expected.backward(torch.tensor(upstream))
    np.testing.assert_allclose(x.grad.data, x_t.grad.numpy(), **TOLERANCE)
    their_params = dict(theirs.named_parameters())
    for name, param in ours.named_parameters():
        np.testing.assert_allclose(
            param.grad.data, their_params[name].grad.numpy(), err_msg=name, **TOLERANCE
        )
        param.grad = None
        their_params[name].grad = None


def check_buffers(ours, theirs):
    their_buffers = dict(theirs.named_buffers())
    assert [name for name, _ in ours.named_buffers()] == list(their_buffers)
    for name, buffer in ours.named_buffers():
        assert buffer.dtype == their_buffers[name].numpy().dtype, name
        np.testing.assert_allclose(
            buffer.data, their_buffers[name].numpy(), err_msg=name, **TOLERANCE
        )


BATCH_NORMS = [
    ("BatchNorm1d", (6, 3)),
    ("BatchNorm1d", (4, 3, 5)),
    ("BatchNorm2d", (4, 3, 2, 5)),
]


@pytest.mark.parametrize(("name", "shape"), BATCH_NORMS)
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"momentum": None},
        {"momentum": 0.3, "eps": 1e-3},
        {"affine": False},
        {"track_running_stats": False},
    ],
    ids=["default", "cumulative", "momentum-eps", "no-affine", "no-running-stats"],
)
def test_batch_norm_training_steps_then_eval(rng, name, shape, options):
    ours, theirs = make_pair(name, shape[1], **options)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for _ in range(4):
        check_step(ours, theirs, rng.standard_normal(shape) * 3 + 1, rng)
        check_buffers(ours, theirs)
    ours.eval()
    theirs.eval()
    check_step(ours, theirs, rng.standard_normal(shape), rng)
    check_buffers(ours, theirs)


def test_batch_norm_buffers_and_repr():
    layer = nn.BatchNorm2d(3)
    assert layer.num_batches_tracked.dtype == ag.int64
    assert layer.running_var.tolist() == [1.0, 1.0, 1.0]
    layer(ag.randn(2, 3, 2, 2))
    assert layer.num_batches_tracked.item() == 1
    layer.eval()
    layer(ag.randn(2, 3, 2, 2))
    assert layer.num_batches_tracked.item() == 1
    assert repr(layer) == repr(torch.nn.BatchNorm2d(3))
    assert repr(nn.BatchNorm1d(4, momentum=None, affine=False)) == repr(
        torch.nn.BatchNorm1d(4, momentum=None, affine=False)
    )


def test_functional_batch_norm_updates_given_running_tensors(rng):
    array = rng.standard_normal((5, 3, 2))
    mean, var = ag.zeros(3, dtype=ag.float64), ag.ones(3, dtype=ag.float64)
    mean_t, var_t = torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64)
    F.batch_norm(ag.tensor(array), mean, var, training=True, momentum=0.2)
    torch.nn.functional.batch_norm(torch.tensor(array), mean_t, var_t, training=True, momentum=0.2)
    np.testing.assert_allclose(mean.data, mean_t.numpy(), **TOLERANCE)
    np.testing.assert_allclose(var.data, var_t.numpy(), **TOLERANCE)  # unbiased variance
    assert mean._version_number > 0


def test_batch_norm_errors():
    with pytest.raises(
        ValueError, match=r"BatchNorm1d: expected input of shape .* got shape \(2, 3, 4, 5\)"
    ):
        nn.BatchNorm1d(3)(ag.zeros(2, 3, 4, 5))
    with pytest.raises(
        ValueError, match=r"BatchNorm2d: expected input with 3 channels.*\(2, 4, 5, 5\)"
    ):
        nn.BatchNorm2d(3)(ag.zeros(2, 4, 5, 5))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        nn.BatchNorm1d(3)(ag.zeros(1, 3))
    with pytest.raises(RuntimeError, match="running_mean should contain 3 elements not 4"):
        F.batch_norm(ag.zeros(2, 3), ag.zeros(4), ag.ones(4))
    with pytest.raises(RuntimeError, match="must be given when not training"):
        F.batch_norm(ag.zeros(2, 3), None, None)


@pytest.mark.parametrize(
    ("normalized_shape", "shape", "options"),
    [
        (5, (3, 5), {}),
        ((4, 5), (2, 3, 4, 5), {}),
        ((5,), (2, 5), {"elementwise_affine": False}),
        (5, (2, 5), {"bias": False, "eps": 0.1}),
    ],
)
def test_layer_norm(rng, normalized_shape, shape, options):
    ours, theirs = make_pair("LayerNorm", normalized_shape, **options)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    check_step(ours, theirs, rng.standard_normal(shape), rng)


@pytest.mark.parametrize(
    ("groups", "channels", "shape", "options"),
    [
        (2, 4, (3, 4), {}),
        (3, 6, (2, 6, 5), {}),
        (1, 4, (2, 4, 3, 3), {"eps": 1e-3}),
        (4, 4, (2, 4, 3), {"affine": False}),
    ],
)
def test_group_norm(rng, groups, channels, shape, options):
    ours, theirs = make_pair("GroupNorm", groups, channels, **options)
    assert repr(ours) == repr(theirs)
    check_step(ours, theirs, rng.standard_normal(shape), rng)


def test_layer_and_group_norm_errors():
    with pytest.raises(
        ValueError, match=r"LayerNorm: expected input of shape \(\*, 4\), got shape \(2, 3\)"
    ):
        nn.LayerNorm(4)(ag.zeros(2, 3))
    with pytest.raises(RuntimeError, match=r"layer_norm: given normalized_shape=\[4\]"):
        F.layer_norm(ag.zeros(2, 3), (4,))
    with pytest.raises(
        ValueError, match=r"num_channels \(6\) must be divisible by num_groups \(4\)"
    ):
        nn.GroupNorm(4, 6)
    with pytest.raises(ValueError, match=r"GroupNorm: expected input of shape \(N, 6, \*\), got"):
        nn.GroupNorm(3, 6)(ag.zeros(2, 4, 3))
    with pytest.raises(ValueError, match="divisible by num_groups"):
        F.group_norm(ag.zeros(2, 6, 3), 4)


def test_constant_input_is_finite():
    """Zero variance: eps keeps the output finite (all zeros), gradient too."""
    x = ag.ones(4, 3, requires_grad=True)
    out = nn.LayerNorm(3)(x)
    out.sum().backward()
    assert np.all(out.data == 0) and np.all(np.isfinite(x.grad.data))


@pytest.mark.parametrize(("p", "dim"), [(2.0, 1), (1.0, 0), (3.0, -1)])
def test_normalize(rng, p, dim):
    array = rng.standard_normal((3, 4))
    array[0] = 0.0  # a zero row: eps guards the division
    x, x_t = ag.tensor(array, requires_grad=True), torch.tensor(array, requires_grad=True)
    out, expected = F.normalize(x, p, dim), torch.nn.functional.normalize(x_t, p, dim)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), **TOLERANCE)
    out.sum().backward()
    expected.sum().backward()
    np.testing.assert_allclose(x.grad.data, x_t.grad.numpy(), **TOLERANCE)
