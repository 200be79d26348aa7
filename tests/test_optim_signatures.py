"""Every optimizer takes PyTorch's arguments (names, order, kinds, defaults) and keeps
PyTorch's keys in its groups, so PyTorch code that names ``fused``, ``capturable`` or
``differentiable`` runs: the first is accepted as it changes nothing here, the other two
are refused when on, as PyTorch on the CPU refuses them."""

import inspect

import numpy as np
import pytest

import autograd as ag
import optim

torch = pytest.importorskip("torch")

NAMES = ["SGD", "Adam", "AdamW", "Adagrad", "RMSprop", "Adadelta", "Adamax", "NAdam", "RAdam"]


def arguments(function):
    return [
        (name, parameter.kind, repr(parameter.default))
        for name, parameter in inspect.signature(function).parameters.items()
    ]


@pytest.mark.parametrize("name", [*NAMES, "LBFGS"])
def test_signature_is_torchs(name):
    assert arguments(getattr(optim, name)) == arguments(getattr(torch.optim, name))


@pytest.mark.parametrize("name", [*NAMES, "LBFGS"])
def test_group_keys_are_torchs(name):
    ours = getattr(optim, name)([ag.ones(3, requires_grad=True)], lr=0.1)
    theirs = getattr(torch.optim, name)([torch.ones(3, requires_grad=True)], lr=0.1)
    assert ours.defaults == theirs.defaults
    assert set(ours.param_groups[0]) == set(theirs.param_groups[0])


def step_once(name, **options):
    param = ag.tensor([1.0, -2.0, 3.0], requires_grad=True)
    param.grad = ag.tensor([0.5, 0.25, -1.0])
    getattr(optim, name)([param], lr=0.1, **options).step()
    return param.detach().numpy()


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "Adagrad"])
@pytest.mark.parametrize("fused", [True, False])
def test_fused_is_accepted_and_changes_nothing(name, fused):
    np.testing.assert_array_equal(step_once(name, fused=fused), step_once(name))


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "Adagrad"])
def test_fused_and_foreach_together_are_refused_as_in_torch(name):
    with pytest.raises(RuntimeError, match="`fused` and `foreach` cannot be `True` together"):
        step_once(name, fused=True, foreach=True)
    with pytest.raises(RuntimeError, match="`fused` and `foreach` cannot be `True` together"):
        getattr(torch.optim, name)([torch.ones(3, requires_grad=True)], fused=True, foreach=True)


@pytest.mark.parametrize("name", NAMES)
def test_capturable_and_differentiable_work_off_and_are_refused_on(name):
    parameters = inspect.signature(getattr(optim, name)).parameters
    for option, message in [
        ("capturable", "capturable=True is for parameters on a CUDA-graph device"),
        ("differentiable", r"differentiable=True \(autograd through the optimizer step\)"),
    ]:
        if option not in parameters:
            continue
        np.testing.assert_array_equal(step_once(name, **{option: False}), step_once(name))
        with pytest.raises(RuntimeError, match=message):
            step_once(name, **{option: True})
