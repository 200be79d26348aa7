"""Activation checkpointing: trade compute for memory.

``checkpoint(fn, *args)`` runs ``fn`` without recording its inner graph and saves only
its inputs. During backward it runs ``fn`` again with recording on (restoring the random
generator, so dropout draws the same mask) and backpropagates through that fresh graph.
Peak memory then holds one segment's activations at a time instead of all of them.

>>> h = ag.checkpoint(block, h)   # block's activations are recomputed in backward
"""

from . import grad_mode
from .engine import backward as _backward
from .function import Function
from .random import default_generator
from .tensor import Tensor


class Checkpoint(Function):
    """out = fn(*inputs) computed twice: once without a graph, again in backward."""

    @staticmethod
    def forward(ctx, *inputs, function, preserve_rng_state, kwargs):
        ctx.function = function
        ctx.kwargs = kwargs
        ctx.rng_state = default_generator.get_state() if preserve_rng_state else None
        ctx.save_for_backward(*[value if isinstance(value, Tensor) else None for value in inputs])
        ctx.constants = inputs
        outputs = function(*inputs, **kwargs)
        ctx.is_tuple = isinstance(outputs, tuple)
        return tuple(_detached(out) for out in outputs) if ctx.is_tuple else _detached(outputs)

    @staticmethod
    def backward(ctx, *grad_outputs):
        saved = ctx.saved_tensors
        inputs = []
        for tensor, constant in zip(saved, ctx.constants):
            if tensor is None:
                inputs.append(constant)
                continue
            leaf = tensor.detach()
            leaf.requires_grad = tensor.requires_grad
            inputs.append(leaf)
        current_state = default_generator.get_state()
        if ctx.rng_state is not None:
            default_generator.set_state(ctx.rng_state)
        try:
            with grad_mode.enable_grad():
                outputs = ctx.function(*inputs, **ctx.kwargs)
        finally:
            default_generator.set_state(current_state)
        outputs = outputs if ctx.is_tuple else (outputs,)
        pairs = [
            (out, grad)
            for out, grad in zip(outputs, grad_outputs)
            if isinstance(out, Tensor) and out.requires_grad and grad is not None
        ]
        if pairs:
            # Parameters used inside fn get their .grad here; the inputs' gradients are
            # collected from the fresh leaves and passed on to the outer graph.
            _backward([out for out, _ in pairs], [grad for _, grad in pairs])
        return tuple(
            value.grad if isinstance(value, Tensor) and value.requires_grad else None
            for value in inputs
        )


def _detached(value):
    return value.detach() if isinstance(value, Tensor) else value


def checkpoint(function, *args, use_reentrant=None, preserve_rng_state=True, **kwargs):
    """Run ``function(*args, **kwargs)`` saving only its inputs; recompute it in backward.

    Gradients equal those of running ``function`` directly. ``use_reentrant`` is accepted
    for PyTorch compatibility; the recomputation backpropagates into parameters used
    inside ``function`` as PyTorch's checkpoint does. When no Tensor argument requires
    grad, the segment is recorded normally (nothing to save memory on).
    """
    if not grad_mode.state.enabled or not any(
        isinstance(value, Tensor) and value.requires_grad for value in args
    ):
        # Nothing flows back through the inputs: there is no graph to cut, so the segment is
        # recorded as usual (its parameters still get gradients).
        return function(*args, **kwargs)
    return Checkpoint.apply(
        *args, function=function, preserve_rng_state=preserve_rng_state, kwargs=kwargs
    )
