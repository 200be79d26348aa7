"""Fused losses: cross_entropy over class indices (log-softmax, weighted nll and label
smoothing in one op), nll_loss, and binary_cross_entropy (PyTorch's clamped logs).

Shapes: input (N, C) or (N, C, d1, ..., dk), target (N) or (N, d1, ..., dk) of class
indices in [0, C) or ``ignore_index``; an unbatched input (C) takes a 0-d target. With
w_t = weight[target] (1 without weight; 0 where target == ignore_index), the per-element
loss of nll_loss is -w_t input[target]; cross_entropy's is, with logp = log_softmax(input),

    (1 - s) (-w_t logp[target]) + (s / C) sum_c (-w_c logp[c])      (s: label_smoothing)

(the smoothing term also 0 where ignored). ``reduction='mean'`` divides the sum by sum(w_t)
(a weighted mean, PyTorch's normalisation, also for the smoothing term); 'sum' sums; 'none'
keeps the (N, d1, ..., dk) losses. The gradient is the weighted target distribution q
(q[c] = (1 - s) w_t [c == target] + (s / C) w_c) against the softmax p:
d input = g (p sum_c q[c] - q) for cross_entropy and d input = -g q for nll_loss. Neither
rule saves more than the input: q depends on the targets alone.
"""

import numpy as np

from ..function import Function, records_backward
from ..tensor import Tensor
from .common import float_array
from .registry import register
from .selection import clamp, where
from .softmax import Softmax, softmax_array

REDUCTIONS = ("none", "mean", "sum")
# binary_cross_entropy's gradient floor on p (1 - p): PyTorch's 1e-12 is a C float, so the
# double it becomes is this one (not 1e-12), which shows in the gradient at p = 0 or 1.
BCE_EPSILON = float(np.float32(1e-12))


def check_reduction(reduction, op):
    """Refuse anything but 'none', 'mean' or 'sum', naming the op."""
    if reduction not in REDUCTIONS:
        raise ValueError(f"{op}: {reduction!r} is not a valid value for reduction")


class ClassTargets:
    """What both losses need from the targets: where each element's target class is (an
    index tuple for the (N, C, d1, ..., dk) input; ignored elements point at class 0), the
    weight per element w_t (0 where ignored), their sum, and the class weights."""

    def __init__(self, input_shape, dtype, target, weight, ignore_index, op):
        classes = input_shape[1]
        expected = input_shape[:1] + input_shape[2:]
        if target.shape != expected:
            raise ValueError(
                f"{op}: expected target of shape {expected} for input of shape {input_shape}, "
                f"got {target.shape}"
            )
        low = high = 0
        if target.size:
            low = np.minimum.reduce(target, axis=None)
            high = np.maximum.reduce(target, axis=None)
        if 0 <= low and high < classes and not low <= ignore_index <= high:  # nothing to skip
            kept = np.ones(target.shape, bool)
            index = target
            count = target.size
        else:
            kept = target != ignore_index
            valid = target[kept]
            outside = (valid < 0) | (valid >= classes)
            if outside.any():
                raise IndexError(
                    f"{op}: target {valid[outside][0]} is out of bounds: class indices must be "
                    f"in [0, {classes}) for an input with {classes} classes (or equal "
                    f"ignore_index={ignore_index})"
                )
            index = np.where(kept, target, 0)
            count = valid.size
        self.classes = classes
        self.kept = kept
        # input[where] is each element's target-class entry, shaped like the target
        if target.ndim == 1:
            self.where = (np.arange(target.size), index)
        else:
            grids = [
                np.arange(size).reshape([size if axis == at else 1 for axis in range(target.ndim)])
                for at, size in enumerate(target.shape)
            ]
            self.where = (grids[0], index, *grids[1:])
        if weight is None:
            self.weight = None
            self.picked = kept.astype(dtype)
            self.total_weight = np.asarray(count, dtype)
        else:
            self.weight = weight.astype(dtype, copy=False)
            self.picked = np.where(kept, self.weight[index], 0).astype(dtype)
            self.total_weight = np.add.reduce(self.picked, axis=None)

    def class_weights(self, ndim):
        """The class weights shaped (1, C, 1, ..., 1) to broadcast along the class dim."""
        shape = (1, self.classes) + (1,) * (ndim - 2)
        if self.weight is None:
            return np.ones(shape, self.picked.dtype)
        return self.weight.reshape(shape)

    def one_hot(self, shape):
        """w_t at each element's target class, 0 elsewhere: shape (N, C, d1, ..., dk)."""
        out = np.zeros(shape, self.picked.dtype)
        out[self.where] = self.picked
        return out

    def target_mask(self, shape):
        """True at each kept element's target class, False elsewhere: (N, C, d1, ..., dk)."""
        mask = np.zeros(shape, bool)
        mask[self.where] = self.kept
        return mask

    def mean_of(self, total):
        """total / sum(w_t): PyTorch's weighted mean (NaN, silently, when all are ignored)."""
        if not self.total_weight:  # 0 / 0 or x / 0 (errstate only here: it costs a microsecond)
            with np.errstate(invalid="ignore", divide="ignore"):
                return total / self.total_weight
        return total / self.total_weight


def reduce(losses, targets, reduction):
    """The per-element losses summed, weight-averaged, or kept."""
    if reduction == "none":
        return losses
    total = np.add.reduce(losses, axis=None)
    if reduction == "sum":
        return total
    return np.asarray(targets.mean_of(total), losses.dtype)


def scaled_gradient(ctx, grad_output, direction, only_targets=False):
    """``direction`` (an array of the input's shape, or a Tensor) times the incoming
    gradient, divided by sum(w_t) for the mean; with 'none' the gradient gets the class dim.
    Tensor ops when the backward pass is recorded, else NumPy.

    When sum(w_t) is 0, the mean's gradient is 0 / 0 = NaN where the loss reaches the input
    (every class of each kept element; with ``only_targets``, nll_loss's, just the target
    class) and 0 elsewhere, as PyTorch's (not 0 * inf everywhere)."""
    recorded = records_backward()
    if recorded and not isinstance(direction, Tensor):
        direction = Tensor._make(direction)
    if ctx.reduction == "mean":
        direction = direction * ctx.targets.mean_of(1)
        if not ctx.targets.total_weight:
            kept = ctx.targets.kept
            if only_targets:
                reached = ctx.targets.target_mask(direction.shape)
            else:
                reached = kept.reshape((*kept.shape[:1], 1, *kept.shape[1:]))
            if recorded:
                direction = where(Tensor._make(reached), direction, 0.0)
            else:
                direction = np.where(reached, direction, 0.0)
    if ctx.reduction == "none":
        grad_output = grad_output.unsqueeze(1)
    if not recorded:
        return Tensor._make(direction * grad_output.data)
    return direction * grad_output


@register
class NllLoss(Function):
    """out = reduce(-w_t x[target]); dx = -g w_t one_hot(target) (divided by sum(w_t) for
    the mean)"""

    @staticmethod
    def forward(ctx, x, *, targets, reduction):
        data = float_array(x)
        losses = -data[targets.where] * targets.picked
        ctx.targets, ctx.reduction, ctx.shape = targets, reduction, data.shape
        return reduce(losses, targets, reduction)

    @staticmethod
    def backward(ctx, grad_output):
        direction = -ctx.targets.one_hot(ctx.shape)
        return scaled_gradient(ctx, grad_output, direction, only_targets=True)


@register
class CrossEntropy(Function):
    """out = reduce((1 - s) (-w_t logp[target]) + (s / C) sum_c (-w_c logp[c])) with
    logp = log_softmax(x, 1); dx = g (softmax(x, 1) sum_c q[c] - q), q the weighted target
    distribution (see the module docstring)"""

    @staticmethod
    def forward(ctx, x, *, targets, reduction, label_smoothing):
        data = float_array(x)
        ctx.targets, ctx.reduction, ctx.label_smoothing = targets, reduction, label_smoothing
        ctx.save_for_backward(x)
        with np.errstate(over="ignore", invalid="ignore"):  # inf logits: NaN, silently
            logp = data - np.maximum.reduce(data, axis=1, keepdims=True)
            logp -= np.log(np.add.reduce(np.exp(logp), axis=1, keepdims=True))
            losses = logp[targets.where]
            losses *= -targets.picked
            if label_smoothing:
                logp *= targets.class_weights(data.ndim)
                smooth = np.add.reduce(logp, axis=1) * targets.kept
                losses *= 1 - label_smoothing
                losses -= label_smoothing / targets.classes * smooth
            return reduce(losses, targets, reduction)

    @staticmethod
    def backward(ctx, grad_output):
        targets, smoothing = ctx.targets, ctx.label_smoothing
        recorded = records_backward()
        (x,) = ctx.saved_tensors if recorded else ctx.saved_arrays()
        target_distribution = targets.one_hot(x.shape)
        if smoothing:
            spread = targets.class_weights(x.ndim) * np.expand_dims(targets.kept, 1)
            target_distribution *= 1 - smoothing
            target_distribution += smoothing / targets.classes * spread
        total = np.add.reduce(target_distribution, axis=1, keepdims=True)
        if recorded:
            probabilities = Softmax.apply(x, dim=1)
            direction = probabilities * Tensor._make(total) - Tensor._make(target_distribution)
        else:  # the same in NumPy
            direction = softmax_array(x, 1) * total - target_distribution
        return scaled_gradient(ctx, grad_output, direction)


def _class_index_loss(op, cls, input, target, weight, ignore_index, reduction, **options):  # noqa: A002
    """Check the arguments, add a batch dim to an unbatched input, apply the op."""
    check_reduction(reduction, op)
    if input.ndim == 0:
        raise ValueError(f"{op}: input must have a class dim, got a 0-d tensor")
    if target.dtype.kind not in "iu":
        raise TypeError(f"{op}: class-index target must be an integer tensor, got {target.dtype}")
    unbatched = input.ndim == 1
    if unbatched:
        input = input.unsqueeze(0)  # noqa: A001
    target_array = target.data.reshape(1) if unbatched and target.ndim == 0 else target.data
    classes = input.shape[1]
    if weight is not None and weight.shape != (classes,):
        raise RuntimeError(
            f"{op}: weight tensor should be defined either for all {classes} classes or no "
            f"classes but got weight tensor of shape: {tuple(weight.shape)}"
        )
    dtype = float_array(input).dtype
    weight_array = None if weight is None else weight.data
    targets = ClassTargets(input.shape, dtype, target_array, weight_array, ignore_index, op)
    out = cls.apply(input, targets=targets, reduction=reduction, **options)
    return out.reshape(()) if unbatched and reduction == "none" else out


def nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean"):  # noqa: A002
    """Negative log likelihood of class indices: -weight[t] input[n, t] per element, with
    ``input`` holding log-probabilities (N, C, d1, ...); see the module docstring.

    >>> ag.ops.nll_loss(ag.tensor([[-0.5, -1.0]]), ag.tensor([1]))
    tensor(1.)
    """
    return _class_index_loss("nll_loss", NllLoss, input, target, weight, ignore_index, reduction)


def cross_entropy_indices(
    input,  # noqa: A002 - PyTorch's parameter name
    target,
    weight=None,
    ignore_index=-100,
    reduction="mean",
    label_smoothing=0.0,
):
    """Cross-entropy of logits ``input`` (N, C, d1, ...) against class indices ``target``
    (N, d1, ...), with PyTorch's weight, ignore_index and label smoothing; stable for large
    logits. (``nn.functional.cross_entropy`` also takes class probabilities.)

    >>> ag.ops.cross_entropy_indices(ag.tensor([[1000.0, 0.0]]), ag.tensor([1]))
    tensor(1000.)
    """
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(
            f"cross_entropy: label_smoothing must be between 0.0 and 1.0, got {label_smoothing}"
        )
    return _class_index_loss(
        "cross_entropy",
        CrossEntropy,
        input,
        target,
        weight,
        ignore_index,
        reduction,
        label_smoothing=label_smoothing,
    )


@register
class BinaryCrossEntropy(Function):
    """out = -w (t max(log p, -100) + (1 - t) max(log(1 - p), -100)) elementwise;
    dp = g w (p - t) / max(p (1 - p), 1e-12), dt = g w (log(1 - p) - log p)"""

    @staticmethod
    def forward(ctx, p, t, *, weight=None):
        probabilities, target = float_array(p), float_array(t)
        with np.errstate(divide="ignore"):
            log_p = np.maximum(np.log(probabilities), -100)
            log_q = np.maximum(np.log1p(-probabilities), -100)
        out = -(target * log_p + (1 - target) * log_q)
        ctx.weight = weight
        ctx.save_for_backward(p, t)
        return out if weight is None else out * weight

    @staticmethod
    def backward(ctx, grad_output):
        p, t = ctx.saved_tensors
        if ctx.weight is not None:
            grad_output = grad_output * Tensor._make(ctx.weight)
        needs_p, needs_t = ctx.needs_input_grad
        grad_p = grad_t = None
        if needs_p:
            grad_p = grad_output * (p - t) / clamp(p * (1 - p), BCE_EPSILON)
        if needs_t:
            grad_t = grad_output * ((-p).log1p() - p.log())  # unclamped, as PyTorch
        return grad_p, grad_t


def binary_cross_entropy(input, target, weight=None):  # noqa: A002 - PyTorch's parameter name
    """Elementwise -weight (t log p + (1 - t) log(1 - p)) of probabilities ``input`` in
    [0, 1], each log clamped at -100 (PyTorch's quirk, kept: a confident wrong answer costs
    100, not inf). ``weight`` broadcasts against the input; it gets no gradient.

    >>> ag.ops.binary_cross_entropy(ag.tensor([0.0]), ag.tensor([1.0]))
    tensor([100.])
    """
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(
            f"binary_cross_entropy: target of shape {tuple(target.shape)} differs from input of "
            f"shape {tuple(input.shape)}; they must have the same shape"
        )
    data = input.data
    if not np.all((data >= 0) & (data <= 1)):
        raise RuntimeError("binary_cross_entropy: all elements of input should be between 0 and 1")
    weight_array = None
    if weight is not None:
        try:
            weight_array = np.broadcast_to(weight.data, data.shape).astype(data.dtype)
        except ValueError:
            raise RuntimeError(
                f"binary_cross_entropy: weight of shape {tuple(weight.shape)} does not broadcast "
                f"to the input's shape {tuple(data.shape)}"
            ) from None
    return BinaryCrossEntropy.apply(input, target, weight=weight_array)
