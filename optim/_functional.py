"""NumPy building blocks shared by the update functions: they work in place on arrays.

Each mirrors one in-place PyTorch tensor op an optimizer's update rule is written with, in
the same floating-point order, so trajectories agree with PyTorch's to rounding.
"""

import functools

import numpy as np

from autograd import dtypes
from autograd.tensor import Tensor


def quiet_non_finite(update):
    """Decorate an update function: it runs with NumPy's floating-point warnings off, so an
    inf or NaN gradient (a diverging run) makes the parameters inf or NaN silently, as in
    PyTorch, rather than warning at every step. One errstate per call, not per parameter."""

    @functools.wraps(update)
    def quiet_update(*args, **kwargs):
        with np.errstate(all="ignore"):
            return update(*args, **kwargs)

    return quiet_update


def scalar_tensor(value):
    """A 0-d counter tensor (``state["step"]``): float64 when the default dtype is float64,
    float32 otherwise, as PyTorch's optimizers keep it."""
    dtype = dtypes.float64 if dtypes.get_default_dtype() == dtypes.float64 else dtypes.float32
    return Tensor._make(np.array(value, dtype=dtype))


def zeros_state(param):
    """A zero buffer shaped like the parameter array, as a Tensor (``state["exp_avg"]``...)."""
    return Tensor._make(np.zeros_like(param))


def next_step(step):
    """Increment a 0-d counter array in place and return its new value as a Python float.

    ``fill`` rounds to the counter's dtype as an in-place add would, and reading the value
    back keeps float32's rounding past 2**24; it is several times faster than ``step += 1``
    on a 0-d array, which matters with many small parameters.
    """
    step.fill(step.item() + 1.0)
    return step.item()


def effective_grad(grad, param, weight_decay, maximize):
    """g' = (-g if maximize else g) + weight_decay * p: the gradient after the L2 penalty.

    Returns ``grad`` itself (never modified) when neither option is on.
    """
    if maximize:
        grad = np.negative(grad)
    if weight_decay != 0:
        grad = grad + weight_decay * param
    return grad


def decayed_grad(grad, param, lr, weight_decay, decoupled, maximize):
    """The gradient an Adam-family update uses. Decoupled (AdamW style): p <- p (1 - lr wd)
    in place, then the plain gradient; otherwise the L2 penalty is added to the gradient."""
    if not decoupled:
        return effective_grad(grad, param, weight_decay, maximize)
    if weight_decay != 0:
        param *= 1 - lr * weight_decay
    return effective_grad(grad, param, 0, maximize)


def lerp_(start, end, weight, scratch):
    """start <- start + weight * (end - start), evaluated as PyTorch's ``lerp_`` does
    (from the nearer end: ``end - (end - start) * (1 - weight)`` when weight >= 0.5)."""
    np.subtract(end, start, out=scratch)
    if abs(weight) < 0.5:
        scratch *= weight
        start += scratch
    else:
        scratch *= 1 - weight
        np.subtract(end, scratch, out=start)


def square_average_(average, x, decay, scratch):
    """average <- decay * average + (1 - decay) * x * x (PyTorch's ``mul_`` then ``addcmul_``)."""
    average *= decay
    np.multiply(x, 1 - decay, out=scratch)
    scratch *= x
    average += scratch


def implementation_options(**options):
    """PyTorch's options that choose among its implementations of an update (``foreach``,
    ``fused``, ``capturable``, ``differentiable``), for the optimizer's defaults: chainrule
    has one (NumPy, in place, not recorded), so they are accepted and kept in the groups as
    PyTorch keeps them. Refused, as PyTorch on the CPU refuses them (at its first step):
    capturable=True (for CUDA graphs) and differentiable=True (autograd through the step)."""
    if options.get("fused") and options.get("foreach"):
        raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
    if options.get("capturable"):
        raise RuntimeError(
            "capturable=True is for parameters on a CUDA-graph device ('cuda', 'xpu', ...); "
            "chainrule's parameters are NumPy arrays on the CPU"
        )
    if options.get("differentiable"):
        raise RuntimeError(
            "differentiable=True (autograd through the optimizer step) is not supported: "
            "chainrule's optimizers update the parameters in place without recording a graph"
        )
    return options


def check_nonnegative(label, value):
    """PyTorch's hyperparameter check: ``ValueError("Invalid <label>: <value>")`` if value < 0."""
    if not value >= 0.0:
        raise ValueError(f"Invalid {label}: {value}")


def check_betas(betas):
    """Both betas must lie in [0, 1)."""
    for index, beta in enumerate(betas):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {index}: {beta}")
