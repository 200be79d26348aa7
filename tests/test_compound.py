"""addcmul, addcdiv, lerp, addmm and their in-place forms, remainder / floor_divide /
true_divide / equal / allclose as methods, against PyTorch: values and every input's
gradient, a hand-written Adam step, and the errors."""

import numpy as np
import pytest

import autograd as ag

torch = pytest.importorskip("torch")

rng = np.random.default_rng(7)
ARRAYS = {
    "x": rng.standard_normal((3, 4)),
    "a": rng.standard_normal((3, 4)),
    "b": rng.uniform(0.5, 2.0, (4,)),  # broadcast, away from 0 (a divisor)
    "w": rng.uniform(0.0, 1.0, (3, 4)),  # lerp weights on both sides of 0.5
    "m": rng.standard_normal((4, 2)),
    "row": rng.standard_normal((2,)),
}

CASES = {
    "addcmul": lambda lib, t: lib.addcmul(t["x"], t["a"], t["b"]),
    "addcmul value": lambda lib, t: t["x"].addcmul(t["a"], t["b"], value=-0.5),
    "addcdiv": lambda lib, t: lib.addcdiv(t["x"], t["a"], t["b"], value=2.0),
    "lerp float low": lambda lib, t: lib.lerp(t["x"], t["a"], 0.25),
    "lerp float high": lambda lib, t: t["x"].lerp(t["a"], 0.75),
    "lerp tensor": lambda lib, t: lib.lerp(t["x"], t["a"], t["w"]),
    "addmm": lambda lib, t: lib.addmm(t["row"], t["x"], t["m"]),
    "addmm beta alpha": lambda lib, t: t["row"].addmm(t["a"], t["m"], beta=0.5, alpha=-2.0),
    "addmm beta 0": lambda lib, t: lib.addmm(t["row"] * float("nan"), t["x"], t["m"], beta=0),
    "remainder": lambda lib, t: t["x"].remainder(t["b"]) + t["x"],
    "floor_divide": lambda lib, t: t["x"].floor_divide(t["b"]).detach() * t["x"],
    "true_divide": lambda lib, t: t["x"].true_divide(t["b"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_values_and_gradients_match_torch(name):
    outcomes = []
    for lib in (ag, torch):
        tensors = {k: lib.tensor(v, requires_grad=True) for k, v in ARRAYS.items()}
        out = CASES[name](lib, tensors)
        (out * out).sum().backward()
        grads = {k: None if t.grad is None else t.grad.tolist() for k, t in tensors.items()}
        outcomes.append((out.tolist(), grads))
    np.testing.assert_allclose(outcomes[0][0], outcomes[1][0], rtol=1e-12, atol=1e-14)
    assert outcomes[0][1].keys() == outcomes[1][1].keys()
    for key, ours in outcomes[0][1].items():
        theirs = outcomes[1][1][key]
        assert (ours is None) == (theirs is None), key
        if ours is not None:
            np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-14, err_msg=key)


def adam_by_hand(lib, steps=3):
    """Adam written as PyTorch users write it: mul_, add_, addcmul_, addcdiv_, lerp_."""
    param = lib.tensor(ARRAYS["x"].copy())
    exp_avg, exp_avg_sq = lib.zeros_like(param), lib.zeros_like(param)
    for step in range(1, steps + 1):
        grad = param * 2 - 1
        exp_avg.lerp_(grad, 0.1)
        exp_avg_sq.mul_(0.999).addcmul_(grad, grad, value=0.001)
        denom = (exp_avg_sq / (1 - 0.999**step)).sqrt().add_(1e-8)
        param.addcdiv_(exp_avg, denom, value=-0.01 / (1 - 0.9**step))
    return param.tolist()


def test_a_hand_written_adam_step_matches_torch():
    np.testing.assert_allclose(adam_by_hand(ag), adam_by_hand(torch), rtol=1e-12)


def test_in_place_forms_record_their_graph():
    outcomes = []
    for lib in (ag, torch):
        x = lib.tensor(ARRAYS["x"], requires_grad=True)
        a = lib.tensor(ARRAYS["a"], requires_grad=True)
        y = x * 1.0
        y.addcmul_(a, a, value=0.5).addcdiv_(a, x + 3.0, value=2.0).lerp_(a, 0.75)
        (y * y).sum().backward()
        outcomes.append((y.tolist(), x.grad.tolist(), a.grad.tolist()))
    np.testing.assert_allclose(np.array(outcomes[0]), np.array(outcomes[1]), rtol=1e-12)


def test_equal_and_allclose_methods():
    for lib in (ag, torch):
        x = lib.tensor([1.0, 2.0])
        assert x.equal(x.clone()) and not x.equal(lib.tensor([1.0, 2.0, 3.0]))
        assert x.allclose(x + 1e-9) and not x.allclose(x + 1e-3)


ERRORS = [
    (lambda lib: lib.addcmul(lib.ones(3), lib.ones(3), lib.ones(2)), RuntimeError, "size"),
    (
        lambda lib: lib.addcdiv(
            lib.ones(3, dtype=lib.int64), lib.ones(3, dtype=lib.int64), lib.ones(3, dtype=lib.int64)
        ),
        RuntimeError,
        "Integer division with addcdiv is no longer supported",
    ),
    (lambda lib: lib.addmm(lib.ones(2), lib.ones(3), lib.ones(3, 2)), RuntimeError, "mat1 must"),
    (  # input that does not broadcast to the product: both name the product's shape
        lambda lib: lib.addmm(lib.ones(3), lib.ones(2, 3), lib.ones(3, 2)),
        RuntimeError,
        r"\[2, 2\]|\(2, 2\)",
    ),
    (lambda lib: lib.lerp(lib.ones(3), lib.ones(2), 0.5), RuntimeError, "size"),
]


@pytest.mark.parametrize(("make", "error", "message"), ERRORS)
def test_errors_as_torch(make, error, message):
    for lib in (ag, torch):
        with pytest.raises(error, match=message):
            make(lib)
