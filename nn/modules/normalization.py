"""Normalisation layers: BatchNorm1d, BatchNorm2d, LayerNorm, GroupNorm.

Each stores its hyperparameters, creates weight (ones) and bias (zeros) when affine, and
forwards to one ``F.*`` call. Batch norm also keeps ``running_mean``, ``running_var`` and
``num_batches_tracked`` buffers (with PyTorch's names, so state dicts interchange).
"""

import autograd as ag
from autograd import grad_mode

from .. import functional as F
from .. import init
from ..module import Module
from ..parameter import Parameter


def _affine_parameters(module, shape, affine, bias, dtype):
    """Register weight (ones) and bias (zeros) of ``shape``, or None when not affine."""
    if affine:
        module.weight = Parameter(ag.ones(shape, dtype=dtype))
    else:
        module.register_parameter("weight", None)
    if affine and bias:
        module.bias = Parameter(ag.zeros(shape, dtype=dtype))
    else:
        module.register_parameter("bias", None)


def _reset_affine(module):
    """weight <- 1, bias <- 0 (those that exist)."""
    if module.weight is not None:
        init.ones_(module.weight)
    if module.bias is not None:
        init.zeros_(module.bias)


class _BatchNorm(Module):
    """Batch normalisation over every dim but the channel dim 1.

    Training: y = (x - mean) / sqrt(var + eps) * weight + bias with the batch's statistics,
    and running_stat <- (1 - momentum) running_stat + momentum batch_stat (the unbiased
    variance for running_var; ``momentum=None``: a cumulative average over the batches).
    Evaluation (or no running statistics): the running statistics replace the batch's.
    """

    _expected_ranks = ()
    _shape_description = ""

    def __init__(
        self,
        num_features,
        eps=1e-5,
        momentum=0.1,
        affine=True,
        track_running_stats=True,
        device=None,
        dtype=None,
        *,
        bias=True,
    ):
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        _affine_parameters(self, num_features, affine, bias, dtype)
        if track_running_stats:
            self.register_buffer("running_mean", ag.zeros(num_features, dtype=dtype))
            self.register_buffer("running_var", ag.ones(num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", ag.tensor(0, dtype=ag.int64))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)
        self.reset_parameters()

    def reset_running_stats(self):
        if self.track_running_stats:
            with grad_mode.no_grad():
                self.running_mean.zero_()
                self.running_var.fill_(1)
                self.num_batches_tracked.zero_()

    def reset_parameters(self):
        self.reset_running_stats()
        _reset_affine(self)

    def _check_input(self, input):  # noqa: A002 - PyTorch's parameter name
        name = type(self).__name__
        if input.ndim not in self._expected_ranks:
            raise ValueError(
                f"{name}: expected input of shape {self._shape_description} "
                f"(a {' or '.join(f'{rank}D' for rank in self._expected_ranks)} input), got "
                f"shape {tuple(input.shape)} ({input.ndim}D)"
            )
        if input.shape[1] != self.num_features:
            raise ValueError(
                f"{name}: expected input with {self.num_features} channels in dim 1, shape "
                f"{self._shape_description} with C={self.num_features}, got shape "
                f"{tuple(input.shape)}"
            )

    def forward(self, input):  # noqa: A002
        self._check_input(input)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            with grad_mode.no_grad():
                self.num_batches_tracked.add_(1)
            if self.momentum is None:  # cumulative moving average
                factor = 1.0 / float(self.num_batches_tracked.item())
        use_batch_stats = self.training or (self.running_mean is None and self.running_var is None)
        track = not self.training or self.track_running_stats
        return F.batch_norm(
            input,
            self.running_mean if track else None,
            self.running_var if track else None,
            self.weight,
            self.bias,
            use_batch_stats,
            factor,
            self.eps,
        )

    def extra_repr(self):
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, bias={self.bias is not None}, "
            f"track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    """Batch norm of (N, C) or (N, C, L) inputs, per channel C.

    Shape: input (N, C) or (N, C, L), output the same.

    >>> nn.BatchNorm1d(4)(ag.randn(8, 4)).shape
    (8, 4)
    """

    _expected_ranks = (2, 3)
    _shape_description = "(N, C) or (N, C, L)"


class BatchNorm2d(_BatchNorm):
    """Batch norm of (N, C, H, W) inputs, per channel C.

    Shape: input (N, C, H, W), output the same.

    >>> nn.BatchNorm2d(3)(ag.randn(2, 3, 5, 5)).shape
    (2, 3, 5, 5)
    """

    _expected_ranks = (4,)
    _shape_description = "(N, C, H, W)"


class LayerNorm(Module):
    """y = (x - mean) / sqrt(var + eps) * weight + bias over the trailing dims
    ``normalized_shape`` (weight and bias have that shape when ``elementwise_affine``).

    Shape: input (*, *normalized_shape), output the same.

    >>> nn.LayerNorm(4)(ag.randn(2, 4)).shape
    (2, 4)
    """

    def __init__(
        self,
        normalized_shape,
        eps=1e-5,
        elementwise_affine=True,
        bias=True,
        device=None,
        dtype=None,
    ):
        super().__init__()
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        _affine_parameters(self, self.normalized_shape, elementwise_affine, bias, dtype)

    def reset_parameters(self):
        _reset_affine(self)

    def forward(self, input):  # noqa: A002
        count = len(self.normalized_shape)
        if input.ndim < count or tuple(input.shape[input.ndim - count :]) != self.normalized_shape:
            raise ValueError(
                f"LayerNorm: expected input of shape (*, "
                f"{', '.join(map(str, self.normalized_shape))}), got shape {tuple(input.shape)}"
            )
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (
            f"{self.normalized_shape}, eps={self.eps}, "
            f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}"
        )


class GroupNorm(Module):
    """Split the C channels into ``num_groups`` groups; normalise each group of each sample
    over its channels and remaining dims; then ``* weight + bias`` per channel.

    Shape: input (N, C, *), output the same.

    >>> nn.GroupNorm(2, 4)(ag.randn(3, 4, 5)).shape
    (3, 4, 5)
    """

    def __init__(
        self, num_groups, num_channels, eps=1e-5, affine=True, device=None, dtype=None, *, bias=True
    ):
        super().__init__()
        if num_groups <= 0 or num_channels % num_groups:
            raise ValueError(
                f"GroupNorm: num_channels ({num_channels}) must be divisible by num_groups "
                f"({num_groups})"
            )
        self.num_groups = num_groups
        self.num_channels = num_channels
        self.eps = eps
        self.affine = affine
        _affine_parameters(self, num_channels, affine, bias, dtype)

    def reset_parameters(self):
        _reset_affine(self)

    def forward(self, input):  # noqa: A002
        if input.ndim < 2 or input.shape[1] != self.num_channels:
            raise ValueError(
                f"GroupNorm: expected input of shape (N, {self.num_channels}, *), got shape "
                f"{tuple(input.shape)}"
            )
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (
            f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
            f"bias={self.bias is not None}"
        )
