"""nn.utils against torch.nn.utils: gradient clipping and parameter/vector conversion."""

import math

import numpy as np
import pytest
import torch

import autograd as ag
import nn

SHAPES = [(3, 4), (4,), (2, 2, 2)]


def paired_parameters(rng, scale=1.0):
    """The same parameters with the same gradients, in chainrule and in PyTorch."""
    ours, theirs = [], []
    for shape in SHAPES:
        value = rng.standard_normal(shape).astype(np.float32)
        grad = (scale * rng.standard_normal(shape)).astype(np.float32)
        param = nn.Parameter(ag.tensor(value))
        param.grad = ag.tensor(grad)
        reference = torch.nn.Parameter(torch.tensor(value))
        reference.grad = torch.tensor(grad)
        ours.append(param)
        theirs.append(reference)
    return ours, theirs


def assert_grads_equal(ours, theirs):
    for param, reference in zip(ours, theirs):
        np.testing.assert_allclose(param.grad.data, reference.grad.numpy(), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.5, math.inf])
@pytest.mark.parametrize("max_norm", [0.5, 100.0])
def test_clip_grad_norm_matches_torch(rng, norm_type, max_norm):
    ours, theirs = paired_parameters(rng)
    total = nn.utils.clip_grad_norm_(ours, max_norm, norm_type=norm_type)
    expected = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=norm_type)
    assert isinstance(total, ag.Tensor) and total.shape == () and total.dtype == ag.float32
    assert total.item() == pytest.approx(expected.item(), rel=1e-6)
    assert_grads_equal(ours, theirs)


def test_clip_grad_norm_single_tensor_no_grads_and_nonfinite(rng):
    ours, theirs = paired_parameters(rng)
    total = nn.utils.clip_grad_norm_(ours[0], 0.1)
    assert total.item() == pytest.approx(torch.nn.utils.clip_grad_norm_(theirs[0], 0.1).item())
    assert_grads_equal(ours, theirs)
    assert nn.utils.clip_grad_norm_([nn.Parameter(ag.ones(2))], 1.0).item() == 0.0
    ours[1].grad.data[0] = np.inf
    with pytest.raises(RuntimeError, match="non-finite"):
        nn.utils.clip_grad_norm_(ours, 1.0, error_if_nonfinite=True)
    ours[1].grad.data[0] = np.nan
    assert math.isnan(nn.utils.clip_grad_norm_(ours, 1.0).item())
    assert np.isnan(ours[0].grad.data).all()


def test_clip_grad_value_matches_torch(rng):
    ours, theirs = paired_parameters(rng, scale=2.0)
    nn.utils.clip_grad_value_(ours, 0.7)
    torch.nn.utils.clip_grad_value_(theirs, 0.7)
    assert_grads_equal(ours, theirs)
    assert max(np.abs(param.grad.data).max() for param in ours) == pytest.approx(0.7)


def test_clipping_is_in_place_and_bumps_versions(rng):
    ours, _ = paired_parameters(rng, scale=5.0)
    grad = ours[0].grad
    version = grad._version_number
    nn.utils.clip_grad_norm_(ours, 1.0)
    assert ours[0].grad is grad and grad._version_number == version + 1


def test_parameters_to_vector_and_back_match_torch():
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    reference = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    reference.load_state_dict({k: torch.tensor(v.data) for k, v in model.state_dict().items()})
    vector = nn.utils.parameters_to_vector(model.parameters())
    expected = torch.nn.utils.parameters_to_vector(reference.parameters())
    np.testing.assert_array_equal(vector.data, expected.detach().numpy())
    assert vector.requires_grad  # differentiable, as in PyTorch
    (vector * ag.arange(vector.shape[0], dtype=ag.float32)).sum().backward()
    np.testing.assert_array_equal(model[0].bias.grad.data, np.arange(12, 16))

    new = ag.arange(vector.shape[0], dtype=ag.float32)
    nn.utils.vector_to_parameters(new, model.parameters())
    torch.nn.utils.vector_to_parameters(torch.tensor(new.data), reference.parameters())
    for (name, ours), (_, theirs) in zip(model.named_parameters(), reference.named_parameters()):
        np.testing.assert_array_equal(ours.data, theirs.detach().numpy(), err_msg=name)


def test_vector_conversion_errors():
    params = list(nn.Linear(2, 2).parameters())
    with pytest.raises(TypeError, match="expected a Tensor, got ndarray"):
        nn.utils.vector_to_parameters(np.zeros(6), params)
    with pytest.raises(ValueError, match="does not hold the 6 elements"):
        nn.utils.vector_to_parameters(ag.zeros(5), params)
    with pytest.raises(TypeError, match="single Tensor"):
        nn.utils.parameters_to_vector(params[0])
