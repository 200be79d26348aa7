"""Grad mode: no_grad, enable_grad, set_grad_enabled and inference_mode as context managers,
decorators and (set_grad_enabled) a plain call; nesting, exceptions and threads."""

import threading

import numpy as np
import pytest

import autograd as ag


@pytest.fixture(autouse=True)
def _grad_mode_restored():
    assert ag.is_grad_enabled()
    yield
    ag.set_grad_enabled(True)


def records(x):
    """Whether an op on x (which requires grad) records a graph right now."""
    y = x * 2
    return y.requires_grad and y.grad_fn is not None


@pytest.fixture
def x():
    return ag.tensor([1.0, 2.0], requires_grad=True)


def test_no_grad_context(x):
    assert records(x)
    with ag.no_grad():
        assert not ag.is_grad_enabled()
        y = (x * 2).exp().sum()
        assert not y.requires_grad and y.grad_fn is None and y.is_leaf
    assert ag.is_grad_enabled() and records(x)


def test_enable_grad_inside_no_grad(x):
    with ag.no_grad():
        with ag.enable_grad():
            assert ag.is_grad_enabled() and records(x)
        assert not ag.is_grad_enabled() and not records(x)


def test_nesting_restores_every_level(x):
    with ag.no_grad():
        with ag.enable_grad():
            with ag.no_grad():
                with ag.set_grad_enabled(True):
                    assert records(x)
                assert not records(x)
            assert records(x)
        assert not records(x)
    assert records(x)


def test_state_is_restored_after_an_exception(x):
    with pytest.raises(ValueError, match="boom"), ag.no_grad():
        raise ValueError("boom")
    assert records(x)


@pytest.mark.parametrize(
    ("decorator", "inside"),
    [(ag.no_grad(), False), (ag.enable_grad(), True), (ag.inference_mode(), False)],
)
def test_decorators(x, decorator, inside):
    @decorator
    def compute(tensor):
        """docstring kept"""
        return ag.is_grad_enabled(), records(tensor)

    assert compute.__doc__ == "docstring kept"
    assert compute(x) == (inside, inside)
    with ag.no_grad():
        assert compute(x) == (inside, inside)
    assert ag.is_grad_enabled()


def test_set_grad_enabled_as_a_function(x):
    ag.set_grad_enabled(False)
    assert not ag.is_grad_enabled() and not records(x)
    ag.set_grad_enabled(True)
    assert ag.is_grad_enabled() and records(x)


@pytest.mark.parametrize("mode", [False, True])
def test_set_grad_enabled_as_a_context_manager(x, mode):
    with ag.no_grad():
        with ag.set_grad_enabled(mode):
            assert ag.is_grad_enabled() is mode and records(x) is mode
        assert not ag.is_grad_enabled()
    with ag.set_grad_enabled(mode):
        assert records(x) is mode
    assert ag.is_grad_enabled()


def test_set_grad_enabled_as_a_decorator(x):
    @ag.set_grad_enabled(False)
    def compute(tensor):
        return records(tensor)

    # PyTorch: decorating leaves the mode alone; only calls run with grad off.
    assert ag.is_grad_enabled(), "decorating must not change the current mode"
    assert compute(x) is False
    assert ag.is_grad_enabled() and records(x)


def test_inference_mode(x):
    with ag.inference_mode():
        assert not ag.is_grad_enabled() and not records(x)
    with ag.inference_mode(False):
        assert ag.is_grad_enabled() and records(x)
    with ag.no_grad(), ag.inference_mode(False):
        assert not ag.is_grad_enabled()
    assert records(x)


def test_backward_works_after_no_grad_and_ignores_what_was_computed_inside(x):
    with ag.no_grad():
        scale = x * 3
    (x * scale).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 6.0])


def test_backward_restores_the_grad_mode(x):
    (x * x).sum().backward()
    assert ag.is_grad_enabled()
    loss = x.exp().sum()
    with ag.no_grad():
        loss.backward()
        assert not ag.is_grad_enabled()
    np.testing.assert_allclose(x.grad.data, 2 * x.data + np.exp(x.data), rtol=1e-6)


def test_grad_mode_is_per_thread(x):
    seen = []

    def worker():
        seen.append((ag.is_grad_enabled(), records(x)))

    with ag.no_grad():
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
        assert not ag.is_grad_enabled()
    assert seen == [(True, True)]
