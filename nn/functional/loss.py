"""Losses, as ``torch.nn.functional``: regression (mse, l1, smooth_l1, huber), classification
(cross_entropy, nll_loss, binary_cross_entropy, binary_cross_entropy_with_logits) and kl_div.

``reduction`` is 'mean' (default), 'sum' or 'none' (per-element losses); the deprecated
``size_average`` and ``reduce`` are still honoured, as in PyTorch. Cross-entropy over class
indices, nll_loss and binary cross-entropy are fused ops (``autograd/ops/loss.py``); the
rest is composed from stable autograd ops (log_softmax, log_sigmoid).

>>> F.cross_entropy(ag.tensor([[2.0, 0.0]]), ag.tensor([0]))
tensor(0.126928)
"""

import warnings

from autograd import ops
from autograd.ops.common import as_tensor_arg


def _check_tensors(input, target, op):  # noqa: A002 - PyTorch's parameter name
    as_tensor_arg(input, "input", op)
    as_tensor_arg(target, "target", op)


def _reduction(size_average, reduce, reduction, op, allowed=ops.loss.REDUCTIONS):
    """The reduction string, from the legacy flags when either is given (with a warning)."""
    if size_average is not None or reduce is not None:
        warnings.warn(
            "size_average and reduce args will be deprecated, please use reduction instead.",
            stacklevel=3,
        )
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = "mean" if size_average and reduce else "sum" if reduce else "none"
    if reduction not in allowed:
        raise ValueError(f"{op}: {reduction!r} is not a valid value for reduction")
    return reduction


def _reduce(losses, reduction, weight=None, weighted_mean=False):
    """losses * weight, then summed, averaged (over the weights' sum when
    ``weighted_mean``, else over the elements) or kept."""
    if weight is not None:
        if tuple(weight.shape) != tuple(losses.shape):
            raise ValueError(
                f"weight of shape {tuple(weight.shape)} must match the input of shape "
                f"{tuple(losses.shape)}"
            )
        losses = losses * weight
    if reduction == "none":
        return losses
    if reduction == "sum":
        return losses.sum()
    return losses.sum() / weight.sum() if weighted_mean and weight is not None else losses.mean()


def _difference(input, target, op):  # noqa: A002 - PyTorch's parameter name
    """input - target, warning as PyTorch does when their shapes differ (broadcasting)."""
    if tuple(target.shape) != tuple(input.shape):
        warnings.warn(
            f"{op}: using a target size {tuple(target.shape)} that is different to the input "
            f"size {tuple(input.shape)}. This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size.",
            stacklevel=3,
        )
    return input - target


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):  # noqa: A002
    """(input - target)^2 per element; a ``weight``ed mean divides by sum(weight)."""
    _check_tensors(input, target, "mse_loss")
    reduction = _reduction(size_average, reduce, reduction, "mse_loss")
    difference = _difference(input, target, "mse_loss")
    return _reduce(difference * difference, reduction, weight, weighted_mean=True)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):  # noqa: A002
    """|input - target| per element; a ``weight``ed mean divides by sum(weight)."""
    _check_tensors(input, target, "l1_loss")
    reduction = _reduction(size_average, reduce, reduction, "l1_loss")
    return _reduce(_difference(input, target, "l1_loss").abs(), reduction, weight, True)


def _quadratic_then_linear(difference, threshold, quadratic_scale, linear_scale):
    """quadratic_scale d^2 / 2 where |d| < threshold, else linear_scale (|d| - threshold / 2)."""
    magnitude = difference.abs()
    quadratic = difference * difference * (0.5 * quadratic_scale)
    linear = (magnitude - 0.5 * threshold) * linear_scale
    return ops.where(magnitude < threshold, quadratic, linear)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):  # noqa: A002
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (d = input - target; beta = 0
    gives l1_loss)."""
    _check_tensors(input, target, "smooth_l1_loss")
    reduction = _reduction(size_average, reduce, reduction, "smooth_l1_loss")
    if beta < 0:
        raise ValueError(f"smooth_l1_loss: beta must be non-negative, got {beta}")
    difference = _difference(input, target, "smooth_l1_loss")
    if beta == 0:
        return _reduce(difference.abs(), reduction)
    return _reduce(_quadratic_then_linear(difference, beta, 1 / beta, 1.0), reduction)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):  # noqa: A002
    """0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta) (d = input - target); with
    ``weight``, the weighted losses are averaged over the elements (as PyTorch)."""
    _check_tensors(input, target, "huber_loss")
    reduction = _reduction(None, None, reduction, "huber_loss")
    if delta <= 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    difference = _difference(input, target, "huber_loss")
    return _reduce(_quadratic_then_linear(difference, delta, 1.0, delta), reduction, weight)


def nll_loss(
    input,  # noqa: A002
    target,
    weight=None,
    size_average=None,
    ignore_index=-100,
    reduce=None,
    reduction="mean",
):
    """Negative log likelihood: -weight[t] input[n, t] for log-probabilities ``input``
    (N, C, d1, ...) and class indices ``target`` (N, d1, ...); 'mean' divides by the sum of
    the weights of the targets not equal to ``ignore_index``."""
    _check_tensors(input, target, "nll_loss")
    reduction = _reduction(size_average, reduce, reduction, "nll_loss")
    return ops.nll_loss(input, target, weight, ignore_index, reduction)


def cross_entropy(
    input,  # noqa: A002
    target,
    weight=None,
    size_average=None,
    ignore_index=-100,
    reduce=None,
    reduction="mean",
    label_smoothing=0.0,
):
    """Cross-entropy of logits ``input`` (N, C, d1, ...) or (C) against ``target``: class
    indices (N, d1, ...) (integer; ``ignore_index`` skips elements) or class probabilities
    of the input's shape (float). With label smoothing s, the target becomes
    (1 - s) target + s / C. Stable for large logits (log-sum-exp)."""
    _check_tensors(input, target, "cross_entropy")
    reduction = _reduction(size_average, reduce, reduction, "cross_entropy")
    if target.dtype.kind in "iu":
        return ops.cross_entropy_indices(
            input, target, weight, ignore_index, reduction, label_smoothing
        )
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(
            f"cross_entropy: class-probability target of shape {tuple(target.shape)} must have "
            f"the input's shape {tuple(input.shape)} (class indices must be an integer tensor)"
        )
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(
            f"cross_entropy: label_smoothing must be between 0.0 and 1.0, got {label_smoothing}"
        )
    class_dim = 0 if input.ndim == 1 else 1
    classes = input.shape[class_dim]
    if label_smoothing:
        target = target * (1 - label_smoothing) + label_smoothing / classes
    products = input.log_softmax(class_dim) * target
    if weight is not None:
        products = products * weight.reshape((classes,) + (1,) * (input.ndim - class_dim - 1))
    losses = -products.sum(class_dim)
    return _reduce(losses, reduction)  # the mean is over elements, whatever the weights


def binary_cross_entropy(
    input,  # noqa: A002 - PyTorch's parameter name
    target,
    weight=None,
    size_average=None,
    reduce=None,
    reduction="mean",
):
    """-weight (t log p + (1 - t) log(1 - p)) for probabilities ``input`` in [0, 1] (else
    RuntimeError); each log is clamped at -100, PyTorch's kept quirk."""
    _check_tensors(input, target, "binary_cross_entropy")
    reduction = _reduction(size_average, reduce, reduction, "binary_cross_entropy")
    return _reduce(ops.binary_cross_entropy(input, target, weight), reduction)


def binary_cross_entropy_with_logits(
    input,  # noqa: A002
    target,
    weight=None,
    size_average=None,
    reduce=None,
    reduction="mean",
    pos_weight=None,
):
    """binary_cross_entropy(sigmoid(x), t) in the stable form
    (1 - t) x - (1 + (pos_weight - 1) t) log_sigmoid(x), times ``weight``; ``pos_weight``
    (broadcast along the last dim, one per class) weighs the positive term."""
    _check_tensors(input, target, "binary_cross_entropy_with_logits")
    reduction = _reduction(size_average, reduce, reduction, "binary_cross_entropy_with_logits")
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(
            f"binary_cross_entropy_with_logits: target size {tuple(target.shape)} must be the "
            f"same as input size {tuple(input.shape)}"
        )
    log_weight = 1 if pos_weight is None else (pos_weight - 1) * target + 1
    losses = (1 - target) * input - log_weight * ops.log_sigmoid(input)
    if weight is not None:
        losses = losses * weight
    return _reduce(losses, reduction)


def kl_div(
    input,  # noqa: A002 - PyTorch's parameter name
    target,
    size_average=None,
    reduce=None,
    reduction="mean",
    log_target=False,
):
    """Kullback-Leibler divergence with log-probabilities ``input``: t (log t - input) per
    element (0 where t = 0), or exp(t) (t - input) when ``log_target``. 'batchmean' divides
    the sum by the batch size (the mathematically right KL); 'mean' by the element count."""
    allowed = (*ops.loss.REDUCTIONS, "batchmean")
    reduction = _reduction(size_average, reduce, reduction, "kl_div", allowed)
    if reduction == "mean" and size_average is None and reduce is None:
        warnings.warn(
            "reduction: 'mean' divides the total loss by both the batch size and the support "
            "size. 'batchmean' divides only by the batch size, and aligns with the KL div math "
            "definition.",
            stacklevel=2,
        )
    if log_target:
        losses = target.exp() * (target - input)
    else:
        # t log t by xlogy, as PyTorch: 0 at t = 0 (where the target's gradient is NaN) and
        # NaN for a negative t
        losses = ops.xlogy(target, target) - target * input
    if reduction == "batchmean":
        return losses.sum() / input.shape[0] if input.ndim else losses.sum()
    return _reduce(losses, reduction)
