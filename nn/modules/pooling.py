"""Pooling layers: MaxPool2d, AvgPool2d, AdaptiveAvgPool2d (PyTorch's arguments and repr)."""

from .. import functional as F
from ..module import Module


class MaxPool2d(Module):
    """The maximum over each (dilated) window; the gradient goes to each window's first
    maximum. ``stride`` defaults to ``kernel_size``.

    Shape: input (N, C, H, W) or (C, H, W), output (N, C, H_out, W_out) with
    H_out = floor or ceil((H + 2 padding - dilation (kernel_size - 1) - 1) / stride) + 1
    (ceil with ``ceil_mode``); with ``return_indices`` also the flat H * W index of each max.

    >>> nn.MaxPool2d(2)(ag.randn(64, 32, 26, 26)).shape
    (64, 32, 13, 13)
    """

    def __init__(
        self,
        kernel_size,
        stride=None,
        padding=0,
        dilation=1,
        return_indices=False,
        ceil_mode=False,
    ):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def forward(self, input):  # noqa: A002 - PyTorch's parameter name
        return F.max_pool2d(
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.dilation,
            ceil_mode=self.ceil_mode,
            return_indices=self.return_indices,
        )

    def extra_repr(self):
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class AvgPool2d(Module):
    """The mean over each window (see F.avg_pool2d for the divisor). ``stride`` defaults to
    ``kernel_size``.

    Shape: input (N, C, H, W) or (C, H, W), output (N, C, H_out, W_out) with
    H_out = floor or ceil((H + 2 padding - kernel_size) / stride) + 1.

    >>> nn.AvgPool2d(3, stride=2, padding=1)(ag.randn(2, 4, 8, 8)).shape
    (2, 4, 4, 4)
    """

    def __init__(
        self,
        kernel_size,
        stride=None,
        padding=0,
        ceil_mode=False,
        count_include_pad=True,
        divisor_override=None,
    ):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def forward(self, input):  # noqa: A002
        return F.avg_pool2d(
            input,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
            self.divisor_override,
        )

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AdaptiveAvgPool2d(Module):
    """The mean over PyTorch's adaptive windows, whatever the input size: output row i
    averages input rows floor(i H / H_out) to ceil((i + 1) H / H_out) - 1.

    Shape: input (N, C, H, W) or (C, H, W), output (N, C, *output_size); an int means a
    square output, None keeps that input dim.

    >>> nn.AdaptiveAvgPool2d((5, 7))(ag.randn(1, 64, 8, 9)).shape
    (1, 64, 5, 7)
    """

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def forward(self, input):  # noqa: A002
        return F.adaptive_avg_pool2d(input, self.output_size)

    def extra_repr(self):
        return f"output_size={self.output_size}"
