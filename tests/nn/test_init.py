"""nn.init: fans and gains equal torch.nn.init's; distributions match their formulas
(bounds exactly, standard deviations statistically); seeded and in place."""

import math
import warnings

import numpy as np
import pytest
import torch

import autograd as ag
import nn
from nn import init

SHAPES = [(5, 3), (16, 8, 3, 3), (4, 6, 5), (7, 2, 1, 2, 3)]


@pytest.mark.parametrize("shape", SHAPES)
def test_fans_equal_torch(shape):
    ours = init._calculate_fan_in_and_fan_out(ag.empty(shape))
    assert ours == torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))


@pytest.mark.parametrize(
    "nonlinearity, param",
    [
        ("linear", None),
        ("conv2d", None),
        ("conv_transpose3d", None),
        ("sigmoid", None),
        ("tanh", None),
        ("relu", None),
        ("leaky_relu", None),
        ("leaky_relu", 0.2),
        ("leaky_relu", math.sqrt(5)),
        ("selu", None),
    ],
)
def test_gains_equal_torch(nonlinearity, param):
    ours = init.calculate_gain(nonlinearity, param)
    assert ours == pytest.approx(torch.nn.init.calculate_gain(nonlinearity, param), rel=1e-15)


def test_fan_and_gain_errors():
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init._calculate_fan_in_and_fan_out(ag.empty(3))
    with pytest.raises(ValueError, match="Unsupported nonlinearity softsign"):
        init.calculate_gain("softsign")
    with pytest.raises(ValueError, match="not a valid number"):
        init.calculate_gain("leaky_relu", True)
    with pytest.raises(ValueError, match="Mode fan_avg not supported"):
        init.kaiming_uniform_(ag.empty(3, 3), mode="fan_avg")


def _check_uniform(values, bound):
    assert values.min() >= -bound and values.max() <= bound
    assert values.min() < -0.95 * bound and values.max() > 0.95 * bound
    assert values.std() == pytest.approx(bound / math.sqrt(3), rel=0.03)
    assert abs(values.mean()) < 0.03 * bound


def _check_normal(values, std):
    assert values.std() == pytest.approx(std, rel=0.03)
    assert abs(values.mean()) < 0.03 * std


SHAPE = (300, 40, 3)  # fan_in 120, fan_out 900, 36,000 draws


def test_uniform_and_normal():
    values = init.uniform_(ag.empty(SHAPE), -0.5, 1.5).data
    assert values.min() >= -0.5 and values.max() <= 1.5
    assert values.mean() == pytest.approx(0.5, abs=0.02)
    _check_normal(init.normal_(ag.empty(SHAPE), 0.0, 0.3).data, 0.3)
    with pytest.raises(ValueError, match="a <= b"):
        init.uniform_(ag.empty(2), 1.0, 0.0)
    with pytest.raises(ValueError, match=r"std >= 0\.0"):
        init.normal_(ag.empty(2), 0.0, -1.0)


def test_xavier():
    gain = init.calculate_gain("tanh")
    std = gain * math.sqrt(2.0 / (120 + 900))
    _check_uniform(init.xavier_uniform_(ag.empty(SHAPE), gain=gain).data, math.sqrt(3) * std)
    _check_normal(init.xavier_normal_(ag.empty(SHAPE), gain=gain).data, std)


@pytest.mark.parametrize(
    "a, mode, nonlinearity, fan",
    [
        (0, "fan_in", "relu", 120),
        (math.sqrt(5), "fan_in", "leaky_relu", 120),
        (0.1, "fan_out", "leaky_relu", 900),
        (0, "FAN_OUT", "tanh", 900),
    ],
)
def test_kaiming(a, mode, nonlinearity, fan):
    std = init.calculate_gain(nonlinearity, a) / math.sqrt(fan)
    values = init.kaiming_uniform_(ag.empty(SHAPE), a=a, mode=mode, nonlinearity=nonlinearity)
    _check_uniform(values.data, math.sqrt(3) * std)
    values = init.kaiming_normal_(ag.empty(SHAPE), a=a, mode=mode, nonlinearity=nonlinearity)
    _check_normal(values.data, std)


def test_kaiming_on_empty_tensor_warns():
    with pytest.warns(UserWarning, match="zero-element"):
        init.kaiming_uniform_(ag.empty(0, 3))


def truncated_normal_moments(mean, std, a, b):
    """Mean and standard deviation of N(mean, std^2) conditioned on [a, b] (erfc keeps the
    mass of a far tail exact)."""
    alpha, beta = (a - mean) / std, (b - mean) / std
    pdf = [math.exp(-(x**2) / 2) / math.sqrt(2 * math.pi) for x in (alpha, beta)]
    if alpha + beta > 0:
        mass = 0.5 * (math.erfc(alpha / math.sqrt(2)) - math.erfc(beta / math.sqrt(2)))
    else:
        mass = 0.5 * (math.erfc(-beta / math.sqrt(2)) - math.erfc(-alpha / math.sqrt(2)))
    shift = (pdf[0] - pdf[1]) / mass
    variance = 1 + (alpha * pdf[0] - beta * pdf[1]) / mass - shift**2
    return mean + std * shift, std * math.sqrt(variance)


@pytest.mark.parametrize(
    ("mean", "std", "a", "b"),
    [
        (0.5, 1.0, -1.0, 1.5),  # most of the mass: redrawn until inside
        (0.0, 0.02, -2.0, 2.0),  # all of it (the usual call)
        (0.0, 1.0, 1.999, 2.0),  # a narrow interval: the inverse CDF
        (0.0, 1.0, 5.0, 6.0),  # far in the upper tail (PyTorch warns)
        (3.0, 1.0, -6.0, -5.0),  # and in the lower
    ],
)
def test_trunc_normal_draws_have_the_truncated_moments(mean, std, a, b):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        values = init.trunc_normal_(ag.empty(200_000, dtype=ag.float64), mean, std, a, b).data
    with warnings.catch_warnings(record=True) as caught_by_torch:
        warnings.simplefilter("always")
        torch.nn.init.trunc_normal_(torch.empty(2), mean, std, a, b)
    assert len(caught) == len(caught_by_torch)
    assert values.min() >= a and values.max() <= b
    assert np.mean((values == a) | (values == b)) < 1e-4  # none piled up at the ends
    expected_mean, expected_std = truncated_normal_moments(mean, std, a, b)
    assert values.mean() == pytest.approx(expected_mean, abs=0.01 * expected_std)
    assert values.std() == pytest.approx(expected_std, rel=0.02)


def test_trunc_normal_refuses_an_empty_interval():
    with pytest.raises(ValueError, match="a < b"):
        init.trunc_normal_(ag.empty(2), a=1.0, b=1.0)


def test_orthogonal():
    for shape in [(6, 4), (4, 6), (3, 2, 2)]:
        tensor = init.orthogonal_(ag.empty(shape, dtype=ag.float64), gain=2.0)
        matrix = tensor.data.reshape(shape[0], -1)
        gram = matrix @ matrix.T if shape[0] <= matrix.shape[1] else matrix.T @ matrix
        np.testing.assert_allclose(gram, 4.0 * np.eye(len(gram)), atol=1e-12)
    with pytest.raises(ValueError, match="2 or more dimensions"):
        init.orthogonal_(ag.empty(3))


def test_constant_ones_zeros_eye():
    tensor = ag.empty(2, 3)
    np.testing.assert_array_equal(init.constant_(tensor, 0.25).data, np.full((2, 3), 0.25))
    np.testing.assert_array_equal(init.ones_(tensor).data, np.ones((2, 3)))
    np.testing.assert_array_equal(init.zeros_(tensor).data, np.zeros((2, 3)))
    np.testing.assert_array_equal(init.eye_(tensor).data, torch.nn.init.eye_(torch.empty(2, 3)))
    with pytest.raises(ValueError, match="2 dimensions"):
        init.eye_(ag.empty(2, 2, 2))
    with pytest.raises(TypeError, match="expected a Tensor"):
        init.ones_(np.zeros(2))


def test_in_place_on_parameters_and_seeded():
    param = nn.Parameter(ag.empty(4, 4))
    version = param._version_number
    array = param.data
    init.xavier_uniform_(param)
    assert param.data is array and param._version_number == version + 1
    assert param.requires_grad and param.grad_fn is None
    ag.manual_seed(3)
    first = init.kaiming_normal_(ag.empty(5, 5)).data.copy()
    ag.manual_seed(3)
    np.testing.assert_array_equal(init.kaiming_normal_(ag.empty(5, 5)).data, first)
    generator = ag.Generator(7)
    other = init.normal_(ag.empty(5, 5), generator=generator).data.copy()
    np.testing.assert_array_equal(
        init.normal_(ag.empty(5, 5), generator=ag.Generator(7)).data, other
    )


def test_linear_and_bilinear_default_init_distribution():
    linear = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)  # kaiming_uniform_(a=sqrt(5)) gives the same bound
    _check_uniform(linear.weight.data.astype(np.float64), bound)
    assert np.abs(linear.bias.data).max() <= bound
    bilinear = nn.Bilinear(50, 20, 30)
    _check_uniform(bilinear.weight.data.astype(np.float64), 1 / math.sqrt(50))
    embedding = nn.Embedding(400, 100, padding_idx=3)
    assert not embedding.weight.data[3].any()
    _check_normal(np.delete(embedding.weight.data, 3, axis=0).astype(np.float64), 1.0)
