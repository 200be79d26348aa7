"""Pooling ops: max_pool2d, avg_pool2d (fused, with their own VJPs) and adaptive_avg_pool2d.

Input (N, C, H, W), output (N, C, Ho, Wo). Windows are read as strided slices of a padded
copy, one slice per kernel tap (kH * kW slices, never a loop over pixels). Output sizes are
PyTorch's: Ho = floor or ceil((H + 2 p - d (kH - 1) - 1) / s) + 1, and with ceil_mode a
last window that would start in the bottom/right padding is dropped.

Both pooling ops are linear maps of their input once the max pool's window choice is fixed,
so each pair of ops are each other's VJPs:

    MaxPool2d(x)            picks, per window, the first maximum (NaN counts as maximum)
    MaxPool2dBackward(g)    adds g back at the picked positions; its VJP is MaxPool2d at
                            the same picks
    AvgPool2d(x)            = window sums / divisor; its VJP AvgPool2dBackward(g) spreads
                            g / divisor over each window, and that one's VJP is AvgPool2d
"""

import itertools
import math

import numpy as np

from ..function import Function
from ..tensor import Tensor
from .activation import keep_where
from .convolution import Geometry, pad_zeros, tap_slice, tap_view
from .linalg import matmul
from .registry import register


def pool_output_size(length, kernel, stride, padding, dilation, ceil_mode):
    """PyTorch's pooled length of one spatial dim."""
    span = length + 2 * padding - dilation * (kernel - 1) - 1
    out = (-(-span // stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (out - 1) * stride >= length + padding:
        out -= 1  # the last window would start in the right padding
    return out


def pool_geometry(size, kernel_size, stride, padding, dilation, ceil_mode):
    """A Geometry whose bottom/right padding also covers ceil_mode's last partial window."""
    pairs = []
    for length, kernel, step, pad, jump in zip(size, kernel_size, stride, padding, dilation):
        out = pool_output_size(length, kernel, step, pad, jump, ceil_mode)
        extra = (out - 1) * step + jump * (kernel - 1) + 1 - (length + 2 * pad)
        pairs.append((pad, pad + max(extra, 0)))
    return Geometry(tuple(stride), tuple(pairs), tuple(dilation), 1)


def _taps(kernel_size):
    return enumerate(itertools.product(range(kernel_size[0]), range(kernel_size[1])))


def _first_maximum(padded, kernel_size, geometry, out_size):
    """(maximum, tap index of its first occurrence) over every window; a NaN is the maximum
    (PyTorch picks the last NaN of a window)."""
    windows = [
        padded[(..., *tap_slice(kernel_index, geometry.stride, geometry.dilation, out_size))]
        for _, kernel_index in _taps(kernel_size)
    ]
    best = windows[0].copy()
    for window in windows[1:]:
        np.maximum(best, window, out=best)  # NaN propagates, so a NaN window shows here
    dtype = np.min_scalar_type(len(windows))
    if np.isnan(best).any():
        return _first_maximum_with_nan(windows, dtype)
    # The first tap equal to the maximum, by branch-free arithmetic on small integers
    # (np.where and argmax over a short axis are several times slower here).
    last = len(windows) - 1
    picks = np.full(best.shape, last, dtype)
    undecided = np.ones(best.shape, np.bool_)
    for tap, window in enumerate(windows[:-1]):
        hit = np.equal(window, best)
        hit &= undecided
        picks -= hit.astype(dtype) * dtype.type(last - tap)
        undecided &= ~hit
    return best, picks


def _first_maximum_with_nan(windows, dtype):
    """_first_maximum's slow path: a window holding NaN picks its last NaN (as PyTorch)."""
    stacked = np.stack(windows, axis=-1)
    index = np.argmax(stacked, axis=-1)
    for tap, window in enumerate(windows):
        index[np.isnan(window)] = tap
    best = np.take_along_axis(stacked, index[..., None], axis=-1)[..., 0]
    return best, index.astype(dtype)


def _select(padded, picks, kernel_size, geometry, out_size):
    """out[n, c, y, x] = padded at window (y, x)'s tap picks[n, c, y, x]."""
    out = np.empty(picks.shape, padded.dtype)
    for tap, kernel_index in _taps(kernel_size):
        window = padded[
            (..., *tap_slice(kernel_index, geometry.stride, geometry.dilation, out_size))
        ]
        np.copyto(out, window, where=picks == tap)
    return out


def _flat_indices(picks, kernel_size, geometry, width):
    """The flat (H * W) input index of each picked tap, as return_indices gives it."""
    rows = np.arange(picks.shape[-2]).reshape(-1, 1) * geometry.stride[0] - geometry.padding[0][0]
    cols = np.arange(picks.shape[-1]) * geometry.stride[1] - geometry.padding[1][0]
    tap_row, tap_col = np.divmod(picks.astype(np.int64), kernel_size[1])
    return (rows + tap_row * geometry.dilation[0]) * width + cols + tap_col * geometry.dilation[1]


def _scatter(grad, picks, kernel_size, geometry, size):
    """The adjoint of _select (picks given) or of a window sum (picks None): add each
    window's gradient back at its taps, then crop the padding to ``size``."""
    (top, bottom), (left, right) = geometry.padding
    out_size = grad.shape[2:]
    padded = np.zeros((*grad.shape[:2], size[0] + top + bottom, size[1] + left + right), grad.dtype)
    for tap, kernel_index in _taps(kernel_size):
        window = padded[
            (..., *tap_slice(kernel_index, geometry.stride, geometry.dilation, out_size))
        ]
        # the gradient of the windows that picked this tap (exactly 0 elsewhere, even for NaN)
        window += grad if picks is None else keep_where(grad, picks == tap)
    return padded[:, :, top : top + size[0], left : left + size[1]]


@register
class MaxPool2d(Function):
    """out = max over each window (the first maximum, or the given picks); dx = g added at
    the picked positions (MaxPool2dBackward)"""

    @staticmethod
    def forward(ctx, input, *, kernel_size, geometry, picks=None, return_indices=False):  # noqa: A002
        out_size = geometry.output_size(input.shape[2:], kernel_size)
        if picks is None:
            padded = pad_zeros(input.data, geometry.padding, value=-np.inf)
            out, picks = _first_maximum(padded, kernel_size, geometry, out_size)
        else:
            padded = pad_zeros(input.data, geometry.padding)
            out = _select(padded, picks, kernel_size, geometry, out_size)
        ctx.options = (picks, kernel_size, geometry, input.shape[2:])
        if return_indices:
            return out, _flat_indices(picks, kernel_size, geometry, input.shape[3])
        return out

    @staticmethod
    def backward(ctx, grad_output, grad_indices=None):
        return MaxPool2dBackward.apply(grad_output, options=ctx.options)


@register
class MaxPool2dBackward(Function):
    """out = g added at the positions MaxPool2d picked (input-shaped); dg = MaxPool2d(grad)
    at the same picks"""

    @staticmethod
    def forward(ctx, grad, *, options):
        ctx.options = options
        picks, kernel_size, geometry, size = options
        return _scatter(grad.data, picks, kernel_size, geometry, size)

    @staticmethod
    def backward(ctx, grad_output):
        picks, kernel_size, geometry, _ = ctx.options
        return MaxPool2d.apply(grad_output, kernel_size=kernel_size, geometry=geometry, picks=picks)


@register
class AvgPool2d(Function):
    """out = (sum over each zero-padded window) / divisor; dx = AvgPool2dBackward(g)"""

    @staticmethod
    def forward(ctx, input, *, kernel_size, geometry, divisor):  # noqa: A002
        ctx.options = (kernel_size, geometry, divisor, input.shape[2:])
        out_size = geometry.output_size(input.shape[2:], kernel_size)
        padded = pad_zeros(input.data, geometry.padding)
        taps = tap_view(padded, kernel_size, geometry.stride, geometry.dilation, out_size)
        with np.errstate(over="ignore", invalid="ignore"):  # inf and NaN, silently
            out = taps.sum(axis=(2, 3))
            out /= divisor
        return out

    @staticmethod
    def backward(ctx, grad_output):
        return AvgPool2dBackward.apply(grad_output, options=ctx.options)


@register
class AvgPool2dBackward(Function):
    """out = g / divisor spread over each window's taps (input-shaped); dg = AvgPool2d(grad)"""

    @staticmethod
    def forward(ctx, grad, *, options):
        ctx.options = options
        kernel_size, geometry, divisor, size = options
        return _scatter(grad.data / divisor, None, kernel_size, geometry, size)

    @staticmethod
    def backward(ctx, grad_output):
        kernel_size, geometry, divisor, _ = ctx.options
        return AvgPool2d.apply(
            grad_output, kernel_size=kernel_size, geometry=geometry, divisor=divisor
        )


def max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices):  # noqa: A002
    """Max pooling for checked arguments (2-tuples); nn.functional.max_pool2d validates."""
    geometry = pool_geometry(input.shape[2:], kernel_size, stride, padding, dilation, ceil_mode)
    return MaxPool2d.apply(
        input, kernel_size=tuple(kernel_size), geometry=geometry, return_indices=return_indices
    )


def _window_counts(length, kernel, stride, padding, out, count_include_pad):
    """Per output position, how many elements of its window the divisor counts."""
    start = np.arange(out) * stride - padding
    end = np.minimum(start + kernel, length + padding)  # the ceil_mode overhang never counts
    if not count_include_pad:
        start, end = np.maximum(start, 0), np.minimum(end, length)
    return end - start


def avg_pool2d(
    input,  # noqa: A002 - PyTorch's parameter name
    kernel_size,
    stride,
    padding,
    ceil_mode,
    count_include_pad,
    divisor_override,
):
    """Average pooling for checked arguments (2-tuples); nn.functional.avg_pool2d validates."""
    size = input.shape[2:]
    geometry = pool_geometry(size, kernel_size, stride, padding, (1, 1), ceil_mode)
    out_size = geometry.output_size(size, kernel_size)
    if divisor_override:
        divisor = divisor_override
    else:
        counts = [
            _window_counts(*options, count_include_pad)
            for options in zip(size, kernel_size, stride, padding, out_size)
        ]
        divisor = np.multiply.outer(*counts).astype(input.dtype)
    return AvgPool2d.apply(
        input, kernel_size=tuple(kernel_size), geometry=geometry, divisor=divisor
    )


def _adaptive_sum_matrix(length, out, dtype):
    """(out, length) 0/1 matrix of PyTorch's adaptive windows: row i covers
    [floor(i L / out), ceil((i + 1) L / out))."""
    index = np.arange(out)
    start = index * length // out
    end = -(-(index + 1) * length // out)
    positions = np.arange(length)
    return ((positions >= start[:, None]) & (positions < end[:, None])).astype(dtype)


def adaptive_avg_pool2d(input, output_size):  # noqa: A002
    """Average over PyTorch's adaptive windows, output (N, C, *output_size) (2-tuple of ints).

    Windows of equal size are one AvgPool2d; otherwise out = (S_h x S_w^T) / counts, with
    0/1 window matrices S, through matmul.
    """
    size = input.shape[2:]
    if all(length % out == 0 for length, out in zip(size, output_size)):
        kernel = tuple(length // out for length, out in zip(size, output_size))
        return AvgPool2d.apply(
            input,
            kernel_size=kernel,
            geometry=Geometry(kernel, ((0, 0), (0, 0)), (1, 1), 1),
            divisor=math.prod(kernel),
        )
    rows, cols = (
        _adaptive_sum_matrix(length, out, input.dtype) for length, out in zip(size, output_size)
    )
    counts = np.multiply.outer(rows.sum(1), cols.sum(1)).astype(input.dtype)
    summed = matmul(matmul(Tensor._make(rows), input), Tensor._make(cols.T))
    return summed / Tensor._make(counts)
