"""uniform_, normal_, bernoulli_, exponential_ as Tensor methods: the distributions (moments
of large draws), seeding, dtypes, and the graph rules and errors as in PyTorch."""

import numpy as np
import pytest

import autograd as ag

torch = pytest.importorskip("torch")

DRAWS = {  # method call, expected mean, expected standard deviation
    "uniform_": (lambda t: t.uniform_(-1.0, 3.0), 1.0, 4.0 / np.sqrt(12.0)),
    "normal_": (lambda t: t.normal_(2.0, 0.5), 2.0, 0.5),
    "bernoulli_": (lambda t: t.bernoulli_(0.25), 0.25, np.sqrt(0.25 * 0.75)),
    "exponential_": (lambda t: t.exponential_(4.0), 0.25, 0.25),
}


@pytest.mark.parametrize("name", list(DRAWS))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_moments_shape_dtype_and_seeding(name, dtype):
    draw, mean, std = DRAWS[name]
    ag.manual_seed(3)
    x = ag.zeros(200, 500, dtype=getattr(ag, dtype))
    version = x._version_number
    assert draw(x) is x and x.shape == (200, 500) and x.dtype == getattr(ag, dtype)
    assert x._version_number == version + 1
    values = x.numpy().astype(np.float64)
    assert abs(values.mean() - mean) < 0.01 and abs(values.std() - std) < 0.01
    ag.manual_seed(3)
    again = draw(ag.zeros(200, 500, dtype=getattr(ag, dtype)))
    np.testing.assert_array_equal(again.numpy(), x.numpy())
    drawn = [
        getattr(ag.zeros(50, dtype=getattr(ag, dtype)), name)(generator=ag.Generator(seed=5))
        for _ in range(2)
    ]  # from a generator of its own: the same seed, the same draws
    np.testing.assert_array_equal(drawn[0].numpy(), drawn[1].numpy())


@pytest.mark.parametrize("name", list(DRAWS))
def test_graph_rules_as_torch(name):
    draw = DRAWS[name][0]
    for lib in (ag, torch):
        leaf = lib.zeros(3, requires_grad=True)
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            draw(leaf)
        with lib.no_grad():
            draw(leaf)  # an initialisation: allowed, and leaf stays a leaf requiring grad
        assert leaf.requires_grad and leaf.grad_fn is None
        y = leaf * 1.0
        draw(y)
        assert y.requires_grad
        (y * 2.0).sum().backward()
        assert leaf.grad.tolist() == [0.0, 0.0, 0.0]


ERRORS = [
    (lambda t: t.uniform_(2.0, 1.0), "uniform_ expects to return a \\[from, to\\) range"),
    (lambda t: t.normal_(0.0, -1.0), "normal expects std >= 0.0"),
    (lambda t: t.bernoulli_(1.5), "bernoulli_ expects p to be in \\[0, 1\\]"),
    (lambda t: t.exponential_(0.0), "exponential_ expects lambda > 0.0"),
]


@pytest.mark.parametrize(("draw", "message"), ERRORS)
def test_errors_as_torch(draw, message):
    for lib in (ag, torch):
        with pytest.raises(RuntimeError, match=message):
            draw(lib.zeros(3))
