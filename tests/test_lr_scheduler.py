"""Every learning-rate scheduler's sequence over 100 steps equals PyTorch's (1e-12 relative),
its state dict resumes it exactly, and its argument checks raise as PyTorch's do."""

import copy
import warnings

import numpy as np
import pytest
import torch

import autograd as ag
import optim

STEPS = 100


class Halving:
    """A callable object: LambdaLR keeps its attributes in the state dict."""

    def __init__(self):
        self.base = 0.5

    def __call__(self, epoch):
        return self.base ** (epoch // 10)


def sched(name, **options):
    """A scheduler built with either library: ``build(lib_scheduler_module, optimizer)``."""
    return name, lambda module, optimizer: getattr(module, name)(optimizer, **options)


CASES = [
    sched("LambdaLR", lr_lambda=lambda epoch: 0.95**epoch),
    sched("LambdaLR", lr_lambda=[lambda e: 1 / (e + 1), lambda e: 0.5 + 0.5 * (e % 3)]),
    sched("MultiplicativeLR", lr_lambda=lambda epoch: 0.97),
    sched("StepLR", step_size=7),
    sched("StepLR", step_size=30, gamma=0.5),
    sched("MultiStepLR", milestones=[10, 25, 25, 60], gamma=0.3),
    sched("ExponentialLR", gamma=0.93),
    sched("CosineAnnealingLR", T_max=30),
    sched("CosineAnnealingLR", T_max=17, eta_min=0.001),
    sched("CosineAnnealingWarmRestarts", T_0=10),
    sched("CosineAnnealingWarmRestarts", T_0=3, T_mult=2, eta_min=1e-4),
    sched("LinearLR"),
    sched("LinearLR", start_factor=0.1, end_factor=0.8, total_iters=40),
    sched("ConstantLR"),
    sched("ConstantLR", factor=0.25, total_iters=20),
    sched("PolynomialLR"),
    sched("PolynomialLR", total_iters=80, power=2.0),
    sched("OneCycleLR", max_lr=0.5, total_steps=STEPS),
    sched("OneCycleLR", max_lr=[0.5, 0.2], epochs=10, steps_per_epoch=10, anneal_strategy="linear"),
    sched("OneCycleLR", max_lr=0.3, total_steps=STEPS + 1, three_phase=True, pct_start=0.25),
    sched("CyclicLR", base_lr=0.01, max_lr=0.1, step_size_up=7),
    sched(
        "CyclicLR",
        base_lr=[0.01, 0.02],
        max_lr=0.2,
        step_size_up=5,
        step_size_down=12,
        mode="triangular2",
    ),
    sched("CyclicLR", base_lr=0.01, max_lr=0.1, step_size_up=6, mode="exp_range", gamma=0.98),
    sched(
        "CyclicLR",
        base_lr=0.01,
        max_lr=0.1,
        step_size_up=4,
        scale_fn=lambda x: 1 / x,
        cycle_momentum=False,
    ),
]


def make_optimizer(lib, kind="SGD"):
    params = [lib.zeros(2, requires_grad=True), lib.zeros(3, requires_grad=True)]
    groups = [{"params": params[:1]}, {"params": params[1:], "lr": 0.05}]
    module = optim if lib is ag else torch.optim
    if kind == "Adam":
        return module.Adam(groups, lr=0.1)
    return module.SGD(groups, lr=0.1, momentum=0.9)


def record(scheduler, optimizer, steps=STEPS, metric=None):
    """The learning rates (and momenta) of every group after construction and each step."""
    history = []
    for step in range(steps):
        momenta = [g.get("momentum", g.get("betas", (None,))[0]) for g in optimizer.param_groups]
        history.append((list(scheduler.get_last_lr()), momenta))
        optimizer.step()
        scheduler.step() if metric is None else scheduler.step(metric(step))
    return history


def assert_same_sequence(ours, theirs):
    for step, ((lr, momenta), (lr_ref, momenta_ref)) in enumerate(zip(ours, theirs)):
        np.testing.assert_allclose(lr, lr_ref, rtol=1e-12, atol=0, err_msg=f"lr at step {step}")
        assert momenta == pytest.approx(momenta_ref, rel=1e-12), f"momentum at step {step}"


@pytest.mark.parametrize("kind", ["SGD", "Adam"])
@pytest.mark.parametrize(("name", "build"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_sequence_matches_torch(name, build, kind):
    ours_opt, theirs_opt = make_optimizer(ag, kind), make_optimizer(torch, kind)
    ours = record(build(optim.lr_scheduler, ours_opt), ours_opt)
    theirs = record(build(torch.optim.lr_scheduler, theirs_opt), theirs_opt)
    assert len({round(lr[0][0], 12) for lr in ours}) > 1
    assert_same_sequence(ours, theirs)


PLATEAU_CASES = [
    {},
    {"mode": "max", "factor": 0.5, "patience": 3, "threshold": 0.01, "cooldown": 2},
    {"factor": 0.3, "patience": 2, "threshold_mode": "abs", "threshold": 0.05, "min_lr": [0.01, 0]},
    {"mode": "max", "threshold_mode": "abs", "patience": 0, "eps": 0.02},
]


@pytest.mark.parametrize("options", PLATEAU_CASES)
def test_reduce_lr_on_plateau_matches_torch(options):
    def metric(step):
        return 1.0 / (1 + step % 17) + 0.001 * step

    ours_opt, theirs_opt = make_optimizer(ag), make_optimizer(torch)
    ours = record(
        optim.lr_scheduler.ReduceLROnPlateau(ours_opt, **options), ours_opt, metric=metric
    )
    theirs = record(
        torch.optim.lr_scheduler.ReduceLROnPlateau(theirs_opt, **options), theirs_opt, metric=metric
    )
    assert len({lr[0][0] for lr in ours}) > 1
    assert_same_sequence(ours, theirs)


def composite(module, optimizer, kind):
    """SequentialLR (warm-up, then cosine, then exponential) or a ChainedScheduler."""
    if kind == "sequential":
        return module.SequentialLR(
            optimizer,
            [
                module.LinearLR(optimizer, start_factor=0.1, total_iters=10),
                module.CosineAnnealingLR(optimizer, T_max=20),
                module.ExponentialLR(optimizer, gamma=0.9),
            ],
            milestones=[10, 45],
        )
    if kind == "sequential-step":
        return module.SequentialLR(
            optimizer,
            [module.ConstantLR(optimizer, factor=0.5, total_iters=5), module.StepLR(optimizer, 9)],
            milestones=[20],
        )
    return module.ChainedScheduler(
        [
            module.ConstantLR(optimizer, factor=0.2, total_iters=12),
            module.ExponentialLR(optimizer, gamma=0.97),
            module.MultiStepLR(optimizer, milestones=[30, 70]),
        ]
    )


@pytest.mark.parametrize("kind", ["sequential", "sequential-step", "chained"])
def test_composite_schedulers_match_torch(kind):
    ours_opt, theirs_opt = make_optimizer(ag), make_optimizer(torch)
    ours = record(composite(optim.lr_scheduler, ours_opt, kind), ours_opt)
    theirs = record(composite(torch.optim.lr_scheduler, theirs_opt, kind), theirs_opt)
    assert_same_sequence(ours, theirs)


def test_lambda_lr_state_dict_keeps_callable_object_attributes():
    optimizer = make_optimizer(ag)
    halving = Halving()
    scheduler = optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=[halving, lambda e: 1.0])
    halving.base = 0.25
    state = scheduler.state_dict()
    assert state["lr_lambdas"] == [{"base": 0.25}, None]
    fresh = Halving()
    optim.lr_scheduler.LambdaLR(make_optimizer(ag), [fresh, lambda e: 1.0]).load_state_dict(state)
    assert fresh.base == 0.25


@pytest.mark.parametrize(("name", "build"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_state_dict_resume_continues_the_same_sequence(name, build):
    straight_opt = make_optimizer(ag)
    straight = record(build(optim.lr_scheduler, straight_opt), straight_opt, steps=60)

    first_opt = make_optimizer(ag)
    first = build(optim.lr_scheduler, first_opt)
    record(first, first_opt, steps=30)
    optimizer_state = copy.deepcopy(first_opt.state_dict())
    scheduler_state = copy.deepcopy(first.state_dict())
    resumed_opt = make_optimizer(ag)
    resumed = build(optim.lr_scheduler, resumed_opt)
    resumed_opt.load_state_dict(optimizer_state)
    resumed.load_state_dict(scheduler_state)
    assert record(resumed, resumed_opt, steps=30) == straight[30:]


def test_last_epoch_counts_steps_and_resuming_needs_initial_lr():
    optimizer = make_optimizer(ag)
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=2)
    assert scheduler.last_epoch == 0
    optimizer.step()
    scheduler.step()
    assert scheduler.last_epoch == 1
    with pytest.raises(KeyError, match="initial_lr"):
        optim.lr_scheduler.StepLR(make_optimizer(ag), step_size=2, last_epoch=5)


def test_step_with_epoch_uses_the_closed_form_like_torch():
    ours_opt, theirs_opt = make_optimizer(ag), make_optimizer(torch)
    ours = optim.lr_scheduler.ExponentialLR(ours_opt, gamma=0.5)
    theirs = torch.optim.lr_scheduler.ExponentialLR(theirs_opt, gamma=0.5)
    with pytest.warns(UserWarning):
        ours.step(3)
    with pytest.warns(UserWarning):
        theirs.step(3)
    assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-15)


def test_warm_restarts_fractional_epochs_match_torch():
    ours_opt, theirs_opt = make_optimizer(ag), make_optimizer(torch)
    ours = optim.lr_scheduler.CosineAnnealingWarmRestarts(ours_opt, T_0=4, T_mult=2)
    theirs = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(theirs_opt, T_0=4, T_mult=2)
    for epoch in np.arange(0, 30, 0.35):
        ours.step(float(epoch))
        theirs.step(float(epoch))
        assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-12)


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (lambda o, m: m.ConstantLR(o, factor=1.5), ValueError, "between 0 and 1"),
        (lambda o, m: m.LinearLR(o, start_factor=0), ValueError, "greater than 0"),
        (lambda o, m: m.LinearLR(o, end_factor=2), ValueError, "Ending multiplicative"),
        (lambda o, m: m.LambdaLR(o, [lambda e: 1.0]), ValueError, "Expected 2 lr_lambdas"),
        (lambda o, m: m.CosineAnnealingWarmRestarts(o, T_0=0), ValueError, "T_0"),
        (lambda o, m: m.CosineAnnealingWarmRestarts(o, 2, T_mult=0), ValueError, "T_mult"),
        (lambda o, m: m.OneCycleLR(o, 0.1), ValueError, "total_steps OR"),
        (lambda o, m: m.OneCycleLR(o, 0.1, total_steps=0), ValueError, "total_steps"),
        (lambda o, m: m.OneCycleLR(o, 0.1, 10, pct_start=1.5), ValueError, "pct_start"),
        (lambda o, m: m.OneCycleLR(o, 0.1, 10, anneal_strategy="x"), ValueError, "anneal"),
        (lambda o, m: m.OneCycleLR(o, [0.1], 10), ValueError, "same length"),
        (lambda o, m: m.CyclicLR(o, 0.1, 1.0, mode="x"), ValueError, "mode is invalid"),
        (lambda o, m: m.ReduceLROnPlateau(o, factor=1.0), ValueError, "Factor"),
        (lambda o, m: m.ReduceLROnPlateau(o, mode="x"), ValueError, "mode"),
        (lambda o, m: m.ReduceLROnPlateau(o, threshold_mode="x"), ValueError, "threshold mode"),
        (lambda o, m: m.ReduceLROnPlateau(o, min_lr=[0.1]), ValueError, "min_lrs"),
        (lambda o, m: m.SequentialLR(o, [m.StepLR(o, 2)], [3]), ValueError, "one more"),
        (lambda o, m: m.StepLR(object(), 2), TypeError, "not an Optimizer"),
    ],
)
def test_invalid_arguments_raise_like_torch(build, error, message):
    with pytest.raises(error, match=message):
        build(make_optimizer(ag), optim.lr_scheduler)
    with pytest.raises(error):
        build(make_optimizer(torch), torch.optim.lr_scheduler)


def test_cyclic_momentum_needs_a_momentum_option():
    optimizer = optim.Adagrad([ag.zeros(2, requires_grad=True)])
    with pytest.raises(ValueError, match="support momentum or beta1"):
        optim.lr_scheduler.CyclicLR(optimizer, 0.01, 0.1)


def test_one_cycle_refuses_steps_past_total():
    optimizer = make_optimizer(ag)
    scheduler = optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=3)
    optimizer.step()
    scheduler.step()
    scheduler.step()
    scheduler.step()
    with pytest.raises(ValueError, match="Tried to step 4 times"):
        scheduler.step()


def test_reduce_lr_on_plateau_resumes_from_its_state_dict():
    def metric(step):
        return 1.0 / (1 + step % 7)

    straight_opt = make_optimizer(ag)
    options = {"patience": 2, "cooldown": 1, "factor": 0.5}
    straight = optim.lr_scheduler.ReduceLROnPlateau(straight_opt, **options)
    expected = record(straight, straight_opt, steps=40, metric=metric)

    first_opt = make_optimizer(ag)
    first = optim.lr_scheduler.ReduceLROnPlateau(first_opt, **options)
    record(first, first_opt, steps=20, metric=metric)
    resumed_opt = make_optimizer(ag)
    resumed = optim.lr_scheduler.ReduceLROnPlateau(resumed_opt, **options)
    resumed_opt.load_state_dict(copy.deepcopy(first_opt.state_dict()))
    resumed.load_state_dict(copy.deepcopy(first.state_dict()))
    assert record(resumed, resumed_opt, steps=20, metric=lambda s: metric(s + 20)) == expected[20:]


def test_stepping_the_scheduler_first_warns_like_torch():
    for lib, module in ((ag, optim.lr_scheduler), (torch, torch.optim.lr_scheduler)):
        optimizer = make_optimizer(lib)
        scheduler = module.StepLR(optimizer, step_size=2)
        with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
            scheduler.step()
    optimizer = make_optimizer(ag)
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=2)
    optimizer.step()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scheduler.step()
        scheduler.step()
