"""The Optimizer base: validation, groups, closure, zero_grad, skipping, state_dict resume."""

import copy

import numpy as np
import pytest
import torch

import autograd as ag
import optim

ALL = ["SGD", "Adam", "AdamW", "Adagrad", "RMSprop", "Adadelta", "Adamax", "NAdam", "RAdam"]
RICH_OPTIONS = {
    "SGD": {"lr": 0.05, "momentum": 0.9, "nesterov": True},
    "Adam": {"lr": 0.05, "amsgrad": True},
    "AdamW": {"lr": 0.05},
    "Adagrad": {"lr": 0.1, "lr_decay": 0.01},
    "RMSprop": {"lr": 0.01, "momentum": 0.5, "centered": True},
    "Adadelta": {},
    "Adamax": {},
    "NAdam": {"lr": 0.05},
    "RAdam": {"lr": 0.05},
}


def make_params():
    rng = np.random.default_rng(0)
    return [ag.tensor(rng.normal(size=shape), requires_grad=True) for shape in [(4,), (2, 3)]]


def loss_of(params):
    w, v = params
    return (ag.tensor([0.1, 1.0, 3.0, 0.5]) * (w - 1.0) ** 2).sum() + (v.tanh() ** 2).sum()


def run(optimizer, params, steps):
    for _ in range(steps):
        optimizer.zero_grad()
        loss_of(params).backward()
        optimizer.step()


def arrays(params):
    return [p.detach().numpy().copy() for p in params]


@pytest.mark.parametrize("name", ALL)
def test_state_dict_resume_is_bit_for_bit(name):
    cls, options = getattr(optim, name), RICH_OPTIONS[name]
    straight_params = make_params()
    straight = cls(straight_params, **options)
    run(straight, straight_params, 30)

    first_params = make_params()
    first = cls(first_params, **options)
    run(first, first_params, 15)
    saved = first.state_dict()
    resumed_params = [
        ag.tensor(p.detach().numpy().copy(), requires_grad=True) for p in first_params
    ]
    resumed = cls(make_params(), lr=123.0)  # options come from the state dict
    resumed.param_groups[0]["params"] = resumed_params
    resumed.load_state_dict(saved)
    run(first, first_params, 5)  # the loaded optimizer must not share buffers with this one
    run(resumed, resumed_params, 15)
    for a, b in zip(arrays(resumed_params), arrays(straight_params)):
        np.testing.assert_array_equal(a, b)


def test_state_dict_layout_matches_torch():
    params = make_params()
    reference = [torch.tensor(p.detach().numpy(), requires_grad=True) for p in params]
    ours = optim.Adam([{"params": params[:1]}, {"params": params[1:], "lr": 0.5}], amsgrad=True)
    theirs = torch.optim.Adam(
        [{"params": reference[:1]}, {"params": reference[1:], "lr": 0.5}], amsgrad=True
    )
    for p, q in zip(params, reference):
        p.grad = ag.ones_like(p)
        q.grad = torch.ones_like(q)
    ours.step()
    theirs.step()
    mine, torchs = ours.state_dict(), theirs.state_dict()
    assert [g["params"] for g in mine["param_groups"]] == [[0], [1]]
    assert [g["lr"] for g in mine["param_groups"]] == [g["lr"] for g in torchs["param_groups"]]
    assert sorted(mine["state"]) == sorted(torchs["state"])
    for index in torchs["state"]:
        assert sorted(mine["state"][index]) == sorted(torchs["state"][index])
        for key, value in torchs["state"][index].items():
            np.testing.assert_allclose(mine["state"][index][key].numpy(), value.numpy())


def test_load_state_dict_from_torch():
    params = make_params()
    reference = [torch.tensor(p.detach().numpy(), requires_grad=True) for p in params]
    theirs = torch.optim.SGD(reference, lr=0.1, momentum=0.9)
    for q in reference:
        q.grad = torch.ones_like(q)
    theirs.step()
    saved = theirs.state_dict()
    saved["state"] = {
        index: {key: ag.tensor(value.numpy()) for key, value in values.items()}
        for index, values in saved["state"].items()
    }
    ours = optim.SGD(params, lr=1.0)
    ours.load_state_dict(saved)
    assert ours.param_groups[0]["momentum"] == 0.9
    np.testing.assert_array_equal(ours.state[params[1]]["momentum_buffer"].numpy(), np.ones((2, 3)))


def test_load_state_dict_mismatch_raises():
    params = make_params()
    saved = optim.SGD(params, lr=0.1).state_dict()
    with pytest.raises(ValueError, match="different number of parameter groups"):
        optim.SGD([{"params": params[:1]}, {"params": params[1:]}], lr=0.1).load_state_dict(saved)
    with pytest.raises(ValueError, match="doesn't match the size"):
        optim.SGD(params[:1], lr=0.1).load_state_dict(saved)


def test_grad_none_is_skipped_and_gets_no_state():
    params = make_params()
    opt = optim.Adam(params, lr=0.1)
    params[0].grad = ag.ones_like(params[0])
    before = params[1].detach().numpy().copy()
    opt.step()
    np.testing.assert_array_equal(params[1].detach().numpy(), before)
    assert params[1] not in opt.state
    assert float(opt.state[params[0]]["step"]) == 1.0


def test_closure_is_called_with_grad_enabled_and_its_loss_returned():
    params = make_params()
    opt = optim.SGD(params, lr=0.1)

    def closure():
        opt.zero_grad()
        loss = loss_of(params)
        loss.backward()
        return loss

    with ag.no_grad():
        loss = opt.step(closure)
    assert loss.item() == pytest.approx(loss_of(make_params()).item())
    assert opt.step() is None


def test_zero_grad_to_none_and_to_zeros():
    params = make_params()
    opt = optim.SGD(params, lr=0.1)
    loss_of(params).backward()
    opt.zero_grad(set_to_none=False)
    assert all(np.all(p.grad.numpy() == 0) for p in params)
    opt.zero_grad()
    assert all(p.grad is None for p in params)


def test_step_bumps_the_version_so_a_stale_graph_refuses_backward():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.1)
    loss = (w * w).sum()
    w.grad = ag.ones_like(w)
    opt.step()
    with pytest.raises(RuntimeError):
        loss.backward()


def test_add_param_group_fills_defaults_and_is_stepped():
    first, second = make_params()
    opt = optim.SGD([first], lr=0.1, momentum=0.9)
    opt.add_param_group({"params": second, "lr": 0.5})
    assert opt.param_groups[1]["momentum"] == 0.9 and opt.param_groups[1]["lr"] == 0.5
    second.grad = ag.ones_like(second)
    before = second.detach().numpy().copy()
    opt.step()
    np.testing.assert_allclose(second.detach().numpy(), before - 0.5)


@pytest.mark.parametrize("name", ALL)
def test_complex_gradient_is_refused(name):
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    w.grad = ag.Tensor(np.array([1 + 1j, 2.0]))
    with pytest.raises(RuntimeError, match="complex gradients are not supported"):
        getattr(optim, name)([w]).step()


def test_complex_or_integer_parameter_is_refused():
    with pytest.raises(ValueError, match="complex parameters are not supported"):
        optim.Adam([ag.Tensor(np.array([1 + 1j]))])
    with pytest.raises(ValueError, match="int64"):
        optim.SGD([ag.tensor([1, 2])])


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda p: optim.SGD(p, lr=-0.1), "Invalid learning rate: -0.1"),
        (lambda p: optim.SGD(p, momentum=-0.5), "Invalid momentum value"),
        (lambda p: optim.SGD(p, weight_decay=-1), "Invalid weight_decay value"),
        (lambda p: optim.SGD(p, nesterov=True), "Nesterov momentum requires a momentum"),
        (
            lambda p: optim.SGD(p, momentum=0.9, dampening=0.1, nesterov=True),
            "zero dampening",
        ),
        (lambda p: optim.Adam(p, betas=(1.0, 0.999)), "beta parameter at index 0: 1.0"),
        (lambda p: optim.Adam(p, betas=(0.9, -0.1)), "beta parameter at index 1: -0.1"),
        (lambda p: optim.AdamW(p, eps=-1e-8), "Invalid epsilon value"),
        (lambda p: optim.Adagrad(p, lr_decay=-1), "Invalid lr_decay value"),
        (lambda p: optim.Adagrad(p, initial_accumulator_value=-1), "initial_accumulator_value"),
        (lambda p: optim.RMSprop(p, alpha=-0.1), "Invalid alpha value"),
        (lambda p: optim.Adadelta(p, rho=1.5), "Invalid rho value"),
        (lambda p: optim.NAdam(p, momentum_decay=-1), "Invalid momentum_decay value"),
        (lambda p: optim.RAdam(p, betas=(0.9, 1.0)), "beta parameter at index 1"),
        (lambda p: optim.Adamax(p, lr=-1), "Invalid learning rate"),
        (lambda p: optim.SGD([], lr=0.1), "empty parameter list"),
        (lambda p: optim.SGD([{"params": p}, {"params": p[:1]}]), "more than one parameter group"),
        (lambda p: optim.Optimizer(p, {"lr": optim.optimizer.required}), "required"),
        (lambda p: optim.SGD([(p[0] * 2)], lr=0.1), "non-leaf"),
    ],
)
def test_invalid_hyperparameters_raise_value_error(build, message):
    with pytest.raises(ValueError, match=message):
        build(make_params())


def test_invalid_params_argument_raises_type_error():
    with pytest.raises(TypeError, match="iterable of Tensors"):
        optim.SGD(make_params()[0], lr=0.1)
    with pytest.raises(TypeError, match="ordered collections"):
        optim.SGD([{"params": set(make_params())}], lr=0.1)
    with pytest.raises(TypeError, match="only optimize Tensors"):
        optim.SGD([np.zeros(3)], lr=0.1)


def test_torch_rejects_the_same_things():
    """The error cases above are PyTorch's own: check a few against torch itself."""
    w = torch.zeros(2, requires_grad=True)
    for build in [
        lambda: torch.optim.SGD([w], lr=-0.1),
        lambda: torch.optim.SGD([w], nesterov=True),
        lambda: torch.optim.Adam([w], betas=(1.0, 0.999)),
        lambda: torch.optim.SGD([], lr=0.1),
        lambda: torch.optim.SGD([{"params": [w]}, {"params": [w]}]),
    ]:
        with pytest.raises(ValueError):
            build()


def test_repr_lists_groups():
    text = repr(optim.SGD(make_params(), lr=0.1))
    assert text.startswith("SGD (") and "Parameter Group 0" in text and "lr: 0.1" in text


def test_state_dict_is_live_and_deepcopy_is_a_snapshot():
    params = make_params()
    opt = optim.Adam(params, lr=0.1)
    run(opt, params, 1)
    live, snapshot = opt.state_dict(), copy.deepcopy(opt.state_dict())
    run(opt, params, 1)
    assert float(live["state"][0]["step"]) == 2.0
    assert float(snapshot["state"][0]["step"]) == 1.0


def test_nesterov_momentum_beats_plain_sgd_on_an_ill_conditioned_quadratic():
    """The seed's classic question: same lr, same 100 steps, curvatures 1 to 100."""
    curvature = ag.tensor(np.logspace(0, 2, 10))

    def final_loss(**options):
        w = ag.ones(10, requires_grad=True)
        opt = optim.SGD([w], lr=0.009, **options)
        for _ in range(100):
            opt.zero_grad()
            loss = 0.5 * (curvature * w * w).sum()
            loss.backward()
            opt.step()
        return loss.item()

    plain = final_loss()
    nesterov = final_loss(momentum=0.9, nesterov=True)
    assert nesterov < 1e-3 * plain


def test_checkpoint_through_ag_save_resumes_exactly(tmp_path):
    """The user's path: ag.save the optimizer and scheduler state dicts, ag.load, go on."""
    straight_params = make_params()
    straight = optim.Adam(straight_params, lr=0.05, amsgrad=True)
    straight_schedule = optim.lr_scheduler.StepLR(straight, step_size=4, gamma=0.5)
    for _ in range(20):
        run(straight, straight_params, 1)
        straight_schedule.step()

    params = make_params()
    first = optim.Adam(params, lr=0.05, amsgrad=True)
    first_schedule = optim.lr_scheduler.StepLR(first, step_size=4, gamma=0.5)
    for _ in range(10):
        run(first, params, 1)
        first_schedule.step()
    path = tmp_path / "checkpoint"
    ag.save({"optimizer": first.state_dict(), "scheduler": first_schedule.state_dict()}, path)
    checkpoint = ag.load(path)
    resumed = optim.Adam(params, lr=0.05, amsgrad=True)
    schedule = optim.lr_scheduler.StepLR(resumed, step_size=4, gamma=0.5)
    resumed.load_state_dict(checkpoint["optimizer"])
    schedule.load_state_dict(checkpoint["scheduler"])
    for _ in range(10):
        run(resumed, params, 1)
        schedule.step()
    assert schedule.get_last_lr() == straight_schedule.get_last_lr()
    for a, b in zip(arrays(params), arrays(straight_params)):
        np.testing.assert_array_equal(a, b)


def test_named_parameters_keep_their_names_like_torch():
    model = torch.nn.Linear(2, 1)
    reference = torch.optim.SGD(model.named_parameters(), lr=0.1)
    w, b = ag.zeros(1, 2, requires_grad=True), ag.zeros(1, requires_grad=True)
    ours = optim.SGD([("weight", w), ("bias", b)], lr=0.1)
    grouped = optim.SGD([{"params": [("weight", w)]}], lr=0.1)
    names = reference.state_dict()["param_groups"][0]["param_names"]
    assert ours.state_dict()["param_groups"][0]["param_names"] == names
    assert grouped.param_groups[0]["param_names"] == ["weight"]
    kept = ours.param_groups[0]["params"]
    assert len(kept) == 2 and kept[0] is w and kept[1] is b
    with pytest.raises(ValueError, match="with/without names"):
        optim.SGD([("weight", w), b], lr=0.1)
