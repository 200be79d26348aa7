"""Convolution ops: 2-D cross-correlation, its transpose, and its weight gradient.

Layouts are PyTorch's: input (N, C, H, W), weight (O, C / groups, kH, kW), output
(N, O, Ho, Wo) with Ho = (H + pad_top + pad_bottom - dilation (kH - 1) - 1) // stride + 1
(likewise Wo). Writing C_w for the convolution with weight w, the three ops are

    Convolution(x, w, b)          = C_w(x) + b
    ConvolutionTranspose(g, w, b) = C_w^T(g) + b      (conv's input gradient; conv_transpose2d)
    ConvolutionWeightGrad(x, g)   = dw with <dw, h> = <g, C_h(x)>   (conv's weight gradient)

and each one's VJP is made of the three, so gradients of every order need no extra code.

Kernels: a zero-padded copy of the input is read through a strided view (no copy) of every
kernel tap at every output position; one copy of that view gives the im2col matrix
(groups, C / groups * kH * kW, N * Ho * Wo), and one matrix product per group with the
weight (groups, O / groups, C / groups * kH * kW) gives the output as (O, N, Ho, Wo), copied
to (N, O, Ho, Wo) (one large product is faster than N small ones). The transpose multiplies
by the transposed weight and adds the columns back with one strided add per kernel tap
(kH * kW adds, never a loop over pixels).
"""

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..function import Function
from .registry import register


@dataclass(frozen=True)
class Geometry:
    """A convolution's options: stride (sh, sw), padding ((top, bottom), (left, right)),
    dilation (dh, dw), groups."""

    stride: tuple
    padding: tuple
    dilation: tuple
    groups: int

    def output_size(self, size, kernel_size):
        """(Ho, Wo) for an input of spatial size (H, W) and a (kH, kW) kernel."""
        return tuple(
            (length + before + after - dilation * (kernel - 1) - 1) // stride + 1
            for length, (before, after), kernel, stride, dilation in zip(
                size, self.padding, kernel_size, self.stride, self.dilation
            )
        )


def pad_zeros(array, padding, value=0):
    """array (N, C, H, W) with ``value`` rows and columns added: ((top, bottom), (left, right))."""
    (top, bottom), (left, right) = padding
    if not (top or bottom or left or right):
        return array
    n, c, h, w = array.shape
    out = np.full((n, c, h + top + bottom, w + left + right), value, dtype=array.dtype)
    out[:, :, top : top + h, left : left + w] = array
    return out


def tap_view(padded, kernel_size, stride, dilation, out_size):
    """The read-only view (N, C, kH, kW, Ho, Wo) of ``padded`` (N, C, Hp, Wp): element
    [n, c, i, j, y, x] is padded[n, c, y sh + i dh, x sw + j dw]. No copy."""
    stride_n, stride_c, stride_h, stride_w = padded.strides
    return as_strided(
        padded,
        (*padded.shape[:2], *kernel_size, *out_size),
        (
            stride_n,
            stride_c,
            stride_h * dilation[0],
            stride_w * dilation[1],
            stride_h * stride[0],
            stride_w * stride[1],
        ),
        writeable=False,
    )


def tap_slice(kernel_index, stride, dilation, out_size):
    """The (rows, columns) slices of a padded input that kernel tap (i, j) reads."""
    return tuple(
        slice(index * step, index * step + jump * (length - 1) + 1, jump)
        for index, step, jump, length in zip(kernel_index, dilation, stride, out_size)
    )


def _columns(x, kernel_size, geometry):
    """The im2col matrix (groups, C / groups * kH * kW, N * Ho * Wo) of x, batch inside the
    columns so that one matrix product per group serves the whole batch (one copy)."""
    c = x.shape[1]
    out_size = geometry.output_size(x.shape[2:], kernel_size)
    padded = pad_zeros(x, geometry.padding)
    taps = tap_view(padded, kernel_size, geometry.stride, geometry.dilation, out_size)
    rows = c // geometry.groups * kernel_size[0] * kernel_size[1]
    columns = taps.transpose(1, 2, 3, 0, 4, 5).reshape(geometry.groups, rows, -1)
    return columns, out_size


def correlate(x, weight, geometry):
    """(C_w(x), the im2col columns of x): (N, C, H, W), (O, C / groups, kH, kW) ->
    (N, O, Ho, Wo), (groups, C / groups * kH * kW, N * Ho * Wo)."""
    columns, out_size = _columns(x, weight.shape[2:], geometry)
    groups = geometry.groups
    out = np.matmul(weight.reshape(groups, weight.shape[0] // groups, -1), columns)
    out = out.reshape(weight.shape[0], x.shape[0], *out_size)  # (O, N, Ho, Wo)
    return np.ascontiguousarray(out.transpose(1, 0, 2, 3)), columns


def correlate_transpose(grad, weight, geometry, size):
    """C_w^T(g): (N, O, Ho, Wo), (O, C / groups, kH, kW) -> (N, C, H, W) with (H, W) = size.

    Computed batch-last: g as (groups, O / groups, Ho * Wo * N), one matrix product per group
    gives columns (C, kH, kW, Ho, Wo, N), whose kH * kW strided adds then run over long
    contiguous rows of Wo * N numbers (batch-first they would be rows of Wo, twice slower).
    """
    n, channels_out, *grad_size = grad.shape
    groups = geometry.groups
    kernel_size = weight.shape[2:]
    grouped = grad.reshape(n, groups, channels_out // groups, -1).transpose(1, 2, 3, 0)
    grouped = np.ascontiguousarray(grouped).reshape(groups, channels_out // groups, -1)
    matrix = weight.reshape(groups, channels_out // groups, -1).transpose(0, 2, 1)
    columns = np.matmul(matrix, grouped)
    columns = columns.reshape(weight.shape[1] * groups, *kernel_size, *grad_size, n)
    (top, bottom), (left, right) = geometry.padding
    height, width = size
    padded = np.zeros(
        (columns.shape[0], height + top + bottom, width + left + right, n), grad.dtype
    )
    for i in range(kernel_size[0]):
        for j in range(kernel_size[1]):
            rows, cols = tap_slice((i, j), geometry.stride, geometry.dilation, grad_size)
            padded[:, rows, cols] += columns[:, i, j]
    cropped = padded[:, top : top + height, left : left + width]
    return np.ascontiguousarray(cropped.transpose(3, 0, 1, 2))


def weight_gradient(x, grad, kernel_size, geometry, columns=None):
    """dw[o, c, i, j] = sum_{n, y, x} g[n, o, y, x] x_padded[n, c, y sh + i dh, x sw + j dw];
    ``columns``, x's im2col matrix if the forward kept it, saves building it again."""
    if columns is None:
        columns, _ = _columns(x, kernel_size, geometry)
    groups = geometry.groups
    n, channels_out = grad.shape[:2]
    # g as (groups, O / groups, N * Ho * Wo), the columns' order: one product per group
    grad = grad.reshape(n, groups, channels_out // groups, -1).transpose(1, 2, 0, 3)
    grad = np.ascontiguousarray(grad).reshape(groups, channels_out // groups, -1)
    out = np.matmul(grad, columns.transpose(0, 2, 1))
    return out.reshape(channels_out, x.shape[1] // groups, *kernel_size)


def _add_bias(out, bias):
    if bias is not None:
        out += bias.data.reshape(-1, 1, 1)
    return out


@register
class Convolution(Function):
    """out = C_w(x) + b, out[n, o] = b[o] + sum_{c, i, j} w[o, c, i, j] x[n, c, y s + i d, ...];
    dx = ConvolutionTranspose(g, w), dw = ConvolutionWeightGrad(x, g), db = sum_{n, y, x} g"""

    @staticmethod
    def forward(ctx, input, weight, bias=None, *, geometry):  # noqa: A002 - PyTorch's name
        ctx.save_for_backward(input, weight)
        ctx.geometry = geometry
        out, columns = correlate(input.data, weight.data, geometry)
        # The weight gradient contracts against the same columns: keep them when it will run.
        ctx.columns = columns if ctx.needs_input_grad[1:2] == (True,) else None
        return _add_bias(out, bias)

    @staticmethod
    def backward(ctx, grad_output):
        input, weight = ctx.saved_tensors  # noqa: A001
        needs_input, needs_weight, needs_bias = ctx.needs_input_grad
        geometry = ctx.geometry
        grad_input = grad_weight = grad_bias = None
        if needs_input:
            grad_input = ConvolutionTranspose.apply(
                grad_output, weight, None, geometry=geometry, output_size=input.shape[2:]
            )
        if needs_weight:
            grad_weight = ConvolutionWeightGrad.apply(
                input,
                grad_output,
                geometry=geometry,
                kernel_size=weight.shape[2:],
                columns=ctx.columns,
            )
        ctx.columns = None
        if needs_bias:
            grad_bias = grad_output.sum((0, 2, 3))
        return grad_input, grad_weight, grad_bias


@register
class ConvolutionTranspose(Function):
    """out = C_w^T(x) + b, the adjoint of Convolution with the same weight, cropped to
    output_size; dx = Convolution(g, w), dw = ConvolutionWeightGrad(g, x), db = sum g"""

    @staticmethod
    def forward(ctx, input, weight, bias=None, *, geometry, output_size):  # noqa: A002
        ctx.save_for_backward(input, weight)
        ctx.geometry = geometry
        out = correlate_transpose(input.data, weight.data, geometry, output_size)
        return _add_bias(out, bias)

    @staticmethod
    def backward(ctx, grad_output):
        input, weight = ctx.saved_tensors  # noqa: A001
        needs_input, needs_weight, needs_bias = ctx.needs_input_grad
        geometry = ctx.geometry
        grad_input = grad_weight = grad_bias = None
        if needs_input:
            grad_input = Convolution.apply(grad_output, weight, None, geometry=geometry)
        if needs_weight:
            grad_weight = ConvolutionWeightGrad.apply(
                grad_output, input, geometry=geometry, kernel_size=weight.shape[2:]
            )
        if needs_bias:
            grad_bias = grad_output.sum((0, 2, 3))
        return grad_input, grad_weight, grad_bias


@register
class ConvolutionWeightGrad(Function):
    """out = dw[o, c, i, j] = sum_{n, y, x} g[n, o, y, x] x[n, c, y s + i d, x s + j d];
    with upstream h: dx = ConvolutionTranspose(g, h), dg = Convolution(x, h)"""

    @staticmethod
    def forward(ctx, input, grad, *, geometry, kernel_size, columns=None):  # noqa: A002
        ctx.save_for_backward(input, grad)
        ctx.geometry = geometry
        return weight_gradient(input.data, grad.data, kernel_size, geometry, columns)

    @staticmethod
    def backward(ctx, grad_output):
        input, grad = ctx.saved_tensors  # noqa: A001
        needs_input, needs_grad = ctx.needs_input_grad
        geometry = ctx.geometry
        grad_input = grad_grad = None
        if needs_input:
            grad_input = ConvolutionTranspose.apply(
                grad, grad_output, None, geometry=geometry, output_size=input.shape[2:]
            )
        if needs_grad:
            grad_grad = Convolution.apply(input, grad_output, None, geometry=geometry)
        return grad_input, grad_grad


def convolution(input, weight, bias, geometry):  # noqa: A002
    """C_w(x) + b for checked arguments: input (N, C, H, W), weight (O, C / groups, kH, kW),
    bias (O,) or None, a ``Geometry``; nn.functional.conv2d validates and calls this."""
    return Convolution.apply(input, weight, bias, geometry=geometry)


def convolution_transpose(input, weight, bias, geometry, output_size):  # noqa: A002
    """C_w^T(x) + b for checked arguments: input (N, O, Hi, Wi), weight (O, C / groups, kH, kW),
    output (N, C, *output_size); nn.functional.conv_transpose2d validates and calls this."""
    return ConvolutionTranspose.apply(
        input, weight, bias, geometry=geometry, output_size=tuple(output_size)
    )
