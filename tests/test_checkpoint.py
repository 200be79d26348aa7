"""ag.checkpoint: same gradients as the plain computation, inner graph not kept."""

import numpy as np

import autograd as ag


def block(h, w):
    return (h * w).tanh() * w + h


def test_checkpoint_gives_the_same_gradients():
    rng = np.random.default_rng(0)
    w = ag.tensor(rng.standard_normal((4,)), requires_grad=True)
    h0 = ag.tensor(rng.standard_normal((3, 4)), requires_grad=True)

    def run(use_checkpoint):
        w.grad = h0.grad = None
        h = h0
        for _ in range(3):
            h = ag.checkpoint(block, h, w) if use_checkpoint else block(h, w)
        h.sum().backward()
        return w.grad.data.copy(), h0.grad.data.copy()

    for plain, checkpointed in zip(run(False), run(True)):
        np.testing.assert_allclose(checkpointed, plain, rtol=1e-12)


def test_parameters_used_only_inside_the_function_get_gradients():
    rng = np.random.default_rng(1)
    w = ag.tensor(rng.standard_normal((4,)), requires_grad=True)
    h = ag.tensor(rng.standard_normal((2, 4)), requires_grad=True)
    ag.checkpoint(lambda h: block(h, w), h).sum().backward()
    expected_w = w.grad.data.copy()
    w.grad = h.grad = None
    block(h, w).sum().backward()
    np.testing.assert_allclose(expected_w, w.grad.data, rtol=1e-12)


def test_the_checkpointed_output_keeps_no_inner_graph():
    w = ag.randn(4, requires_grad=True)
    h = ag.randn(2, 4, requires_grad=True)
    out = ag.checkpoint(block, h, w)
    assert type(out.grad_fn).__name__ == "Checkpoint"
    assert all(producer is h or producer is w for producer in out.grad_fn._edges)


def test_checkpoint_under_no_grad_just_runs():
    with ag.no_grad():
        out = ag.checkpoint(block, ag.randn(2, 4), ag.randn(4))
    assert not out.requires_grad
