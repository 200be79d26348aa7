"""Anomaly detection names the op whose backward produced NaN/inf and its forward stack."""

import warnings

import numpy as np
import pytest

import autograd as ag


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def three_layer_model(x, weights):
    hidden = (x * weights[0]).tanh()
    hidden = (hidden * weights[1]).log()  # log of negative numbers: NaN in the forward pass
    return (hidden * weights[2]).sum()


def test_nan_from_log_of_a_negative_number_is_reported_with_op_and_stack():
    x = ag.tensor([[0.5, -1.0, 2.0]])
    weights = [ag.tensor([[1.0, 1.0, 1.0]], requires_grad=True) for _ in range(3)]
    with ag.detect_anomaly():
        loss = three_layer_model(x, weights)
        with pytest.raises(RuntimeError) as error:
            loss.backward()
    message = str(error.value)
    assert "returned nan values" in message
    assert "MulBackward" in message  # the weight gradient g * log(...) is the first NaN
    assert "three_layer_model" in message and "hidden * weights[2]" in message


def test_inf_gradient_of_log_at_zero_names_log():
    x = ag.tensor([1.0, 0.0], requires_grad=True)
    with ag.detect_anomaly():
        y = x.log().sum()
        with pytest.raises(RuntimeError, match=r"LogBackward' returned inf") as error:
            y.backward()
    assert "x.log().sum()" in str(error.value)


def test_without_anomaly_mode_nan_propagates_silently():
    x = ag.tensor([1.0, 0.0], requires_grad=True)
    x.log().sum().backward()
    assert np.isinf(x.grad.data[1])


def test_set_detect_anomaly_and_decorator():
    assert not ag.is_anomaly_enabled()
    with ag.set_detect_anomaly(True):
        assert ag.is_anomaly_enabled()
    assert not ag.is_anomaly_enabled()

    @ag.detect_anomaly()
    def inside():
        return ag.is_anomaly_enabled()

    assert inside() and not ag.is_anomaly_enabled()
