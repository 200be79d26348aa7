"""Every loss module against PyTorch (float64): values and the gradients of the input (and of
a float target where PyTorch differentiates it) over reductions and options; stability at
extreme logits; state dicts; errors."""

import warnings

import numpy as np
import pytest
import torch

import autograd as ag
import nn
import nn.functional as F

TOLERANCE = {"rtol": 1e-9, "atol": 1e-12}
REDUCTIONS = ["mean", "sum", "none"]


def check(name, arrays, grads=(0,), buffers=None, **options):
    """Build ``nn.<name>`` and ``torch.nn.<name>`` (class weights etc. from ``buffers``),
    call both on ``arrays``, backward a random gradient, compare values and gradients."""
    buffers = buffers or {}
    ours = getattr(nn, name)(**{k: ag.tensor(v) for k, v in buffers.items()}, **options)
    theirs = getattr(torch.nn, name)(**{k: torch.tensor(v) for k, v in buffers.items()}, **options)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    mine = [ag.tensor(a, requires_grad=i in grads) for i, a in enumerate(arrays)]
    reference = [torch.tensor(a, requires_grad=i in grads) for i, a in enumerate(arrays)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out, expected = ours(*mine), theirs(*reference)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), **TOLERANCE)
    assert out.shape == tuple(expected.shape)
    upstream = np.random.default_rng(5).standard_normal(expected.shape)
    out.backward(ag.tensor(upstream))
    expected.backward(torch.tensor(upstream))
    for index in grads:
        np.testing.assert_allclose(
            mine[index].grad.data, reference[index].grad.numpy(), err_msg=str(index), **TOLERANCE
        )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("MSELoss", {}),
        ("L1Loss", {}),
        ("SmoothL1Loss", {}),
        ("SmoothL1Loss", {"beta": 0.3}),
        ("SmoothL1Loss", {"beta": 0.0}),
        ("HuberLoss", {}),
        ("HuberLoss", {"delta": 0.4}),
    ],
)
def test_regression_losses(rng, name, options, reduction):
    arrays = [rng.standard_normal((4, 3)), rng.standard_normal((4, 3))]
    check(name, arrays, grads=(0, 1), reduction=reduction, **options)


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "huber_loss"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_elementwise_weights(rng, name, reduction):
    arrays = [rng.standard_normal((4, 3)) for _ in range(2)] + [rng.uniform(0.1, 2, (4, 3))]
    ours = getattr(F, name)(
        *map(ag.tensor, arrays[:2]), reduction=reduction, weight=ag.tensor(arrays[2])
    )
    theirs = getattr(torch.nn.functional, name)(
        *map(torch.tensor, arrays[:2]), reduction=reduction, weight=torch.tensor(arrays[2])
    )
    np.testing.assert_allclose(ours.data, theirs.numpy(), **TOLERANCE)


INDEX_CASES = [
    ((6, 4), {}),
    ((6, 4), {"ignore_index": 2}),
    ((2, 4, 3), {}),
    ((2, 4, 3, 2), {"ignore_index": 0}),
    ((4,), {}),
]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(("shape", "options"), INDEX_CASES)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.25])
def test_cross_entropy_class_indices(rng, shape, options, reduction, weighted, smoothing):
    classes = shape[0] if len(shape) == 1 else shape[1]
    target_shape = () if len(shape) == 1 else shape[:1] + shape[2:]
    target = rng.integers(0, classes, target_shape)
    buffers = {"weight": rng.uniform(0.2, 2, classes)} if weighted else None
    arrays = [rng.standard_normal(shape) * 3, target]
    check(
        "CrossEntropyLoss",
        arrays,
        buffers=buffers,
        reduction=reduction,
        label_smoothing=smoothing,
        **options,
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(5, 4), (2, 4, 3), (4,)])
@pytest.mark.parametrize("smoothing", [0.0, 0.3])
def test_cross_entropy_class_probabilities(rng, shape, reduction, smoothing):
    axis = 0 if len(shape) == 1 else 1
    logits = rng.standard_normal(shape)
    target = np.exp(rng.standard_normal(shape))
    target /= target.sum(axis, keepdims=True)
    weight = {"weight": rng.uniform(0.2, 2, shape[axis])}
    check(
        "CrossEntropyLoss",
        [logits, target],
        grads=(0, 1),
        buffers=weight,
        reduction=reduction,
        label_smoothing=smoothing,
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize(("shape", "ignore_index"), [((5, 3), -100), ((2, 3, 4), 1)])
def test_nll_loss(rng, reduction, weighted, shape, ignore_index):
    log_probabilities = np.log(rng.dirichlet(np.ones(shape[1]), shape[:1] + shape[2:]))
    log_probabilities = np.moveaxis(log_probabilities, -1, 1)
    target = rng.integers(0, shape[1], shape[:1] + shape[2:])
    buffers = {"weight": rng.uniform(0.2, 2, shape[1])} if weighted else None
    check(
        "NLLLoss",
        [log_probabilities, target],
        buffers=buffers,
        reduction=reduction,
        ignore_index=ignore_index,
    )


def test_cross_entropy_is_stable_for_huge_logits():
    logits = ag.tensor([[1e4, 0.0, -1e4], [0.0, 1e4, 1e4]], dtype=ag.float32, requires_grad=True)
    loss = F.cross_entropy(logits, ag.tensor([1, 2]))
    expected = torch.nn.functional.cross_entropy(torch.tensor(logits.data), torch.tensor([1, 2]))
    np.testing.assert_allclose(loss.item(), expected.item(), rtol=1e-6)
    loss.backward()
    assert np.all(np.isfinite(logits.grad.data))


@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss"])
@pytest.mark.parametrize("shape", [(2, 3), (2, 3, 2)])
@pytest.mark.parametrize("create_graph", [False, True])
def test_all_ignored_is_a_nan_loss_with_zero_gradients_as_pytorch(name, shape, create_graph):
    logits = np.random.default_rng(0).standard_normal(shape)
    target = np.full(shape[:1] + shape[2:], -100)
    ours = ag.tensor(logits, requires_grad=True)
    loss = getattr(F, name)(ours, ag.tensor(target))
    (grad,) = ag.grad(loss, ours, create_graph=create_graph)
    theirs = torch.tensor(logits, requires_grad=True)
    (expected,) = torch.autograd.grad(
        getattr(torch.nn.functional, name)(theirs, torch.tensor(target)), theirs
    )
    assert np.isnan(loss.item())
    np.testing.assert_array_equal(grad.detach().numpy(), expected.numpy())
    np.testing.assert_array_equal(grad.detach().numpy(), 0)


@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss"])
@pytest.mark.parametrize("shape", [(3, 4), (3, 4, 2)])
@pytest.mark.parametrize("create_graph", [False, True])
def test_zero_total_weight_gives_nan_where_pytorch_does(name, shape, create_graph):
    """Every kept target's class weight 0 (one target ignored): the mean divides 0 by 0.
    PyTorch's gradient is NaN at the kept targets' entries for nll_loss and over the kept
    elements' classes for cross_entropy, 0 elsewhere."""
    rng = np.random.default_rng(1)
    logits = rng.standard_normal(shape)
    target = np.resize([0, 2, -100, 0], shape[:1] + shape[2:])
    weight = np.array([0.0, 1.0, 0.0, 1.0])
    ours = ag.tensor(logits, requires_grad=True)
    loss = getattr(F, name)(ours, ag.tensor(target), weight=ag.tensor(weight))
    (grad,) = ag.grad(loss, ours, create_graph=create_graph)
    theirs = torch.tensor(logits, requires_grad=True)
    reference = getattr(torch.nn.functional, name)(
        theirs, torch.tensor(target), weight=torch.tensor(weight)
    )
    (expected,) = torch.autograd.grad(reference, theirs)
    assert np.isnan(loss.item()) and np.isnan(reference.item())
    assert np.isnan(expected.numpy()).any() and (expected.numpy() == 0).any()
    np.testing.assert_array_equal(grad.detach().numpy(), expected.numpy())


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_bce_loss(rng, reduction, weighted):
    probabilities = rng.uniform(0.02, 0.98, (4, 3))
    probabilities[0, 0], probabilities[1, 1] = 0.0, 1.0  # logs clamped at -100
    target = rng.uniform(0, 1, (4, 3))
    target[0, 0], target[1, 1] = 1.0, 0.0
    buffers = {"weight": rng.uniform(0.5, 2, 3)} if weighted else None
    check("BCELoss", [probabilities, target], grads=(0, 1), buffers=buffers, reduction=reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    "buffers", [None, {"weight": [0.5, 1.0, 2.0]}, {"pos_weight": [0.5, 3.0, 1.0]}]
)
def test_bce_with_logits_loss(rng, reduction, buffers):
    logits = rng.standard_normal((4, 3)) * 3
    logits[0, 0], logits[1, 1] = 200.0, -200.0  # stable far out
    target = rng.uniform(0, 1, (4, 3))
    buffers = None if buffers is None else {k: np.array(v) for k, v in buffers.items()}
    check("BCEWithLogitsLoss", [logits, target], grads=(0, 1), buffers=buffers, reduction=reduction)


@pytest.mark.parametrize("reduction", [*REDUCTIONS, "batchmean"])
@pytest.mark.parametrize("log_target", [False, True])
@pytest.mark.parametrize("zero", [False, True])
def test_kl_div_loss(rng, reduction, log_target, zero):
    log_probabilities = np.log(rng.dirichlet(np.ones(4), 3))
    target = rng.dirichlet(np.ones(4), 3)
    if zero:  # 0 log 0 = 0 (the target's gradient is NaN there, in both)
        target[0, 1] = 0.0
    if log_target:
        target = np.log(target + 0.05)
    check(
        "KLDivLoss",
        [log_probabilities, target],
        grads=(0, 1),
        reduction=reduction,
        log_target=log_target,
    )


def test_kl_div_of_a_negative_target_is_nan_as_torch():
    log_probabilities = np.log([[0.2, 0.3, 0.5]])
    target = np.array([[-0.1, 0.6, 0.5]])
    ours = F.kl_div(ag.tensor(log_probabilities), ag.tensor(target), reduction="none")
    theirs = torch.nn.functional.kl_div(
        torch.tensor(log_probabilities), torch.tensor(target), reduction="none"
    )
    np.testing.assert_allclose(ours.numpy(), theirs.numpy())
    assert np.isnan(ours.numpy()[0, 0])


def test_legacy_reduction_flags(rng):
    arrays = [rng.standard_normal((3, 2)), rng.standard_normal((3, 2))]
    with pytest.warns(UserWarning, match="size_average and reduce"):
        out = F.mse_loss(*map(ag.tensor, arrays), size_average=False)
    np.testing.assert_allclose(out.item(), ((arrays[0] - arrays[1]) ** 2).sum())
    assert nn.L1Loss(reduce=False).reduction == "none"


def test_state_dict_keys_of_weighted_losses():
    assert list(nn.CrossEntropyLoss(weight=ag.ones(3)).state_dict()) == ["weight"]
    keys = list(nn.BCEWithLogitsLoss(pos_weight=ag.ones(3)).state_dict())
    assert keys == list(torch.nn.BCEWithLogitsLoss(pos_weight=torch.ones(3)).state_dict())


def test_loss_errors():
    logits = ag.zeros(3, 4)
    with pytest.raises(IndexError, match=r"target 7 is out of bounds.*4 classes"):
        F.cross_entropy(logits, ag.tensor([0, 7, 1]))
    with pytest.raises(IndexError, match=r"target -2 is out of bounds"):
        F.nll_loss(logits, ag.tensor([0, -2, 1]))
    with pytest.raises(ValueError, match=r"expected target of shape \(3,\)"):
        F.cross_entropy(logits, ag.tensor([0, 1]))
    with pytest.raises(ValueError, match="class-probability target of shape"):
        F.cross_entropy(logits, ag.zeros(3, 5))
    with pytest.raises(RuntimeError, match="weight tensor should be defined either for all 4"):
        F.cross_entropy(logits, ag.tensor([0, 1, 2]), weight=ag.ones(3))
    with pytest.raises(ValueError, match="label_smoothing must be between"):
        F.cross_entropy(logits, ag.tensor([0, 1, 2]), label_smoothing=1.5)
    with pytest.raises(ValueError, match="'average' is not a valid value for reduction"):
        F.mse_loss(logits, logits, reduction="average")
    with pytest.raises(RuntimeError, match="between 0 and 1"):
        F.binary_cross_entropy(ag.tensor([0.5, 1.5]), ag.tensor([0.0, 1.0]))
    with pytest.raises(RuntimeError, match="between 0 and 1"):
        F.binary_cross_entropy(ag.tensor([float("nan")]), ag.tensor([0.0]))
    with pytest.raises(ValueError, match="differs from input of shape"):
        F.binary_cross_entropy(ag.tensor([0.5, 0.5]), ag.tensor([0.0]))
    with pytest.raises(ValueError, match="target size"):
        F.binary_cross_entropy_with_logits(ag.zeros(2), ag.zeros(3))
    with pytest.raises(TypeError, match="integer tensor"):
        F.nll_loss(logits, ag.zeros(3))
    with pytest.warns(UserWarning, match="different to the input size"):
        F.mse_loss(ag.zeros(3, 1), ag.zeros(3))
    with pytest.raises(TypeError, match="delta must be a float or int, got NoneType"):
        nn.HuberLoss(delta=None)
