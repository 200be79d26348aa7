"""The example scripts run and do their job."""

import importlib.util
from pathlib import Path

import pytest

import autograd as ag

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def load_example(name):
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def xor():
    return load_example("xor")


def test_xor_learns_in_5000_steps(xor, capsys):
    predictions = xor.train(steps=5000)
    assert predictions.shape == (4, 1)
    assert xor.learned(predictions)
    for prediction, target in zip(predictions.tolist(), xor.TARGETS):
        assert abs(prediction[0] - target[0]) < 0.1
    assert capsys.readouterr().out.count("loss") == 5


def test_xor_learned_rejects_a_wrong_prediction(xor):
    assert not xor.learned(ag.tensor([[0.2], [0.9], [0.4], [0.1]]))
    assert not xor.learned(ag.tensor([[0.6], [0.9], [0.9], [0.1]]))
