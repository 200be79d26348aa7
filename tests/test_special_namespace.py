"""``ag.special`` against ``torch.special``: every name there, values and gradients in
float64, and dtypes for float32 and integer inputs."""

import numpy as np
import pytest

import autograd as ag

torch = pytest.importorskip("torch")

rng = np.random.default_rng(11)
X = rng.uniform(-2.5, 2.5, (3, 4))
UNIT = rng.uniform(-0.9, 0.9, (3, 4))
POSITIVE = rng.uniform(0.2, 3.0, (3, 4))
PROBABILITY = rng.uniform(0.05, 0.95, (3, 4))

CALLS = {  # name: (values, the call made of (special, x))
    "digamma": (POSITIVE, lambda sp, x: sp.digamma(x)),
    "psi": (POSITIVE, lambda sp, x: sp.psi(x)),
    "gammaln": (POSITIVE, lambda sp, x: sp.gammaln(x)),
    "polygamma": (POSITIVE, lambda sp, x: sp.polygamma(2, x)),
    "erf": (X, lambda sp, x: sp.erf(x)),
    "erfc": (X, lambda sp, x: sp.erfc(x)),
    "erfinv": (UNIT, lambda sp, x: sp.erfinv(x)),
    "expit": (X, lambda sp, x: sp.expit(x)),
    "logit": (PROBABILITY, lambda sp, x: sp.logit(x)),
    "logit eps": (PROBABILITY, lambda sp, x: sp.logit(x, eps=0.1)),
    "expm1": (X, lambda sp, x: sp.expm1(x)),
    "log1p": (POSITIVE, lambda sp, x: sp.log1p(x)),
    "exp2": (X, lambda sp, x: sp.exp2(x)),
    "ndtr": (X * 3, lambda sp, x: sp.ndtr(x)),
    "sinc": (X, lambda sp, x: sp.sinc(x)),
    "round": (X, lambda sp, x: sp.round(x, decimals=1)),
    "xlogy": (X, lambda sp, x: sp.xlogy(x, x.abs())),
    "softmax": (X, lambda sp, x: sp.softmax(x, 1)),
    "log_softmax": (X, lambda sp, x: sp.log_softmax(x, 0)),
    "logsumexp": (X, lambda sp, x: sp.logsumexp(x, 1)),
    "i0": (X, lambda sp, x: sp.i0(x)),
    "i0e": (X, lambda sp, x: sp.i0e(x)),
    "i1": (X, lambda sp, x: sp.i1(x)),
    "i1e": (X, lambda sp, x: sp.i1e(x)),
    "bessel_j0": (X, lambda sp, x: sp.bessel_j0(x)),
    "bessel_j1": (X, lambda sp, x: sp.bessel_j1(x)),
    # (below 1.5 and above -2: PyTorch's Y and Ai lose digits beyond, see tests/test_bessel.py)
    "bessel_y0": (POSITIVE / 2, lambda sp, x: sp.bessel_y0(x)),
    "bessel_y1": (POSITIVE / 2, lambda sp, x: sp.bessel_y1(x)),
    "modified_bessel_i0": (X, lambda sp, x: sp.modified_bessel_i0(x)),
    "modified_bessel_i1": (X, lambda sp, x: sp.modified_bessel_i1(x)),
    "modified_bessel_k0": (POSITIVE, lambda sp, x: sp.modified_bessel_k0(x)),
    "modified_bessel_k1": (POSITIVE, lambda sp, x: sp.modified_bessel_k1(x)),
    "scaled_modified_bessel_k0": (POSITIVE, lambda sp, x: sp.scaled_modified_bessel_k0(x)),
    "scaled_modified_bessel_k1": (POSITIVE, lambda sp, x: sp.scaled_modified_bessel_k1(x)),
    "spherical_bessel_j0": (X, lambda sp, x: sp.spherical_bessel_j0(x)),
    "airy_ai": (X / 2, lambda sp, x: sp.airy_ai(x)),
    "entr": (POSITIVE, lambda sp, x: sp.entr(x)),
    "xlog1py": (X, lambda sp, x: sp.xlog1py(x, x.abs())),
    "erfcx": (X, lambda sp, x: sp.erfcx(x)),
    "log_ndtr": (X * 3, lambda sp, x: sp.log_ndtr(x)),
    "ndtri": (PROBABILITY, lambda sp, x: sp.ndtri(x)),
    "multigammaln": (POSITIVE + 1, lambda sp, x: sp.multigammaln(x, 3)),
    # (differentiable in their second argument only)
    "gammainc": (POSITIVE, lambda sp, x: sp.gammainc(x.detach() + 1, x)),
    "gammaincc": (POSITIVE, lambda sp, x: sp.gammaincc(x.detach() + 1, x)),
    "zeta": (POSITIVE, lambda sp, x: sp.zeta(x.detach() + 2, x)),
}


def run(lib, name, dtype="float64"):
    values, call = CALLS[name]
    x = lib.tensor(values, dtype=getattr(lib, dtype), requires_grad=True)
    out = call(lib.special, x)
    if not out.requires_grad:  # a function PyTorch does not differentiate
        return out, None
    weights = lib.arange(1, out.numel() + 1, dtype=out.dtype).reshape(out.shape)
    (out * weights).sum().backward()
    return out, x.grad


def test_every_name_is_tested():
    polynomials = {name for name in ag.special.__all__ if "_polynomial_" in name}
    assert len(polynomials) == 12  # in tests/test_polynomials.py: they have no gradient
    assert set(ag.special.__all__) - polynomials == {name.split()[0] for name in CALLS}
    assert all(hasattr(torch.special, name) for name in ag.special.__all__)


@pytest.mark.parametrize("name", list(CALLS))
def test_values_and_gradients_as_torch_special(name):
    (ours, our_grad), (theirs, their_grad) = run(ag, name), run(torch, name)
    np.testing.assert_allclose(
        ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-12, atol=1e-14
    )
    if their_grad is None:
        assert our_grad is None and ours.grad_fn is None
    else:
        np.testing.assert_allclose(our_grad.numpy(), their_grad.numpy(), rtol=1e-9, atol=1e-14)


@pytest.mark.parametrize("name", list(CALLS))
def test_float32_stays_float32(name):
    (ours, _), (theirs, _) = run(ag, name, "float32"), run(torch, name, "float32")
    assert ours.dtype == theirs.detach().numpy().dtype == np.float32
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["ndtr", "exp2", "erfc", "gammaln", "expit"])
def test_integer_inputs_give_the_default_float_dtype(name):
    values = [-3, 0, 2]
    ours = getattr(ag.special, name)(ag.tensor(values))
    theirs = getattr(torch.special, name)(torch.tensor(values))
    assert ours.dtype == ag.float32 and theirs.dtype == torch.float32
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5)


@pytest.mark.parametrize("name", ["ndtr", "exp2"])
def test_a_non_tensor_is_refused_as_torch(name):
    for lib in (ag, torch):
        with pytest.raises(TypeError, match=f"{name}"):
            getattr(lib.special, name)([1.0, 2.0])
