"""Convolution layers: Conv1d, Conv2d, ConvTranspose2d (PyTorch's arguments, parameters,
initialisation and repr)."""

import math

import autograd as ag

from .. import functional as F
from .. import init
from ..module import Module
from ..parameter import Parameter

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _tuple(value, dims):
    return (value,) * dims if isinstance(value, int) else tuple(value)


class _ConvNd(Module):
    """Shared by the convolution layers: options, parameters, init, repr, input checks.

    The weight is (out_channels, in_channels / groups, *kernel_size), or for a transposed
    convolution (in_channels, out_channels / groups, *kernel_size). Initialisation is
    PyTorch's: kaiming_uniform_(a=sqrt(5)) on the weight, i.e. U(-1/sqrt(fan_in),
    1/sqrt(fan_in)) with fan_in = weight.shape[1] * prod(kernel_size) (for the transposed
    layer that is out_channels / groups, PyTorch's choice, kept), and the bias from the same
    bound.
    """

    _dims = 2
    transposed = False

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride,
        padding,
        dilation,
        groups,
        bias,
        padding_mode,
        output_padding,
        dtype,
    ):
        super().__init__()
        dims = self._dims
        if not isinstance(groups, int) or groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups:
            raise ValueError("out_channels must be divisible by groups")
        if isinstance(padding, str):
            if padding not in ("valid", "same"):
                raise ValueError(
                    f"Invalid padding string {padding!r}, should be one of {{'valid', 'same'}}"
                )
            if padding == "same" and any(step != 1 for step in _tuple(stride, dims)):
                raise ValueError("padding='same' is not supported for strided convolutions")
        else:
            padding = _tuple(padding, dims)
        if padding_mode not in _PADDING_MODES:
            raise ValueError(
                f"padding_mode must be one of {_PADDING_MODES}, but got "
                f"padding_mode={padding_mode!r}"
            )
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = _tuple(kernel_size, dims)
        self.stride = _tuple(stride, dims)
        self.padding = padding
        self.dilation = _tuple(dilation, dims)
        self.output_padding = _tuple(output_padding, dims)
        self.groups = groups
        self.padding_mode = padding_mode
        if self.transposed:
            shape = (in_channels, out_channels // groups, *self.kernel_size)
        else:
            shape = (out_channels, in_channels // groups, *self.kernel_size)
        self.weight = Parameter(ag.empty(shape, dtype=dtype))
        if bias:
            self.bias = Parameter(ag.empty(out_channels, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            if fan_in != 0:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def extra_repr(self):
        text = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}"
        )
        if isinstance(self.padding, str):
            text += f", padding={self.padding}"
        elif any(self.padding):
            text += f", padding={self.padding}"
        if self.dilation != (1,) * self._dims:
            text += f", dilation={self.dilation}"
        if any(self.output_padding):
            text += f", output_padding={self.output_padding}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text

    def _check_input(self, input):  # noqa: A002 - PyTorch's parameter name
        """A clear error naming this layer for a wrong rank or channel count."""
        dims = self._dims
        if input.ndim not in (dims + 1, dims + 2):
            raise RuntimeError(
                f"{self!r} expected a {dims + 1}-d (unbatched) or {dims + 2}-d (batched) input, "
                f"got input of shape {tuple(input.shape)}"
            )
        channels = input.shape[-dims - 1]
        if channels != self.in_channels:
            raise RuntimeError(
                f"{self!r} expected input with {self.in_channels} channels, got input of shape "
                f"{tuple(input.shape)}"
            )

    def _padded(self, input):  # noqa: A002
        """(input, padding for F): a non-'zeros' padding_mode pads here with F.pad."""
        if self.padding_mode == "zeros":
            return input, self.padding
        if self.padding == "same":
            totals = [jump * (size - 1) for size, jump in zip(self.kernel_size, self.dilation)]
            pairs = [(total // 2, total - total // 2) for total in totals]
        else:
            pairs = (
                [(0, 0)] * self._dims if self.padding == "valid" else [(p, p) for p in self.padding]
            )
        amounts = tuple(amount for pair in reversed(pairs) for amount in pair)
        return F.pad(input, amounts, mode=self.padding_mode), 0


class _Conv(_ConvNd):
    """Conv1d and Conv2d: PyTorch's constructor, and forward through ``_conv`` (the
    functional form of the subclass's dimension)."""

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride=1,
        padding=0,
        dilation=1,
        groups=1,
        bias=True,
        padding_mode="zeros",
        device=None,
        dtype=None,
    ):
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            groups,
            bias,
            padding_mode,
            0,
            dtype,
        )

    def forward(self, input):  # noqa: A002
        self._check_input(input)
        input, padding = self._padded(input)  # noqa: A001
        return type(self)._conv(
            input, self.weight, self.bias, self.stride, padding, self.dilation, self.groups
        )


class Conv1d(_Conv):
    """1-d convolution (cross-correlation) over (N, C_in, L) signals.

    Shape: input (N, C_in, L) or (C_in, L), output (N, C_out, L_out) or (C_out, L_out) with
    L_out = (L + 2 padding - dilation (kernel_size - 1) - 1) // stride + 1.

    >>> nn.Conv1d(16, 33, 3, stride=2)(ag.randn(20, 16, 50)).shape
    (20, 33, 24)
    """

    _dims = 1
    _conv = staticmethod(F.conv1d)


class Conv2d(_Conv):
    """2-d convolution (cross-correlation) over (N, C_in, H, W) images.

    Shape: input (N, C_in, H, W) or (C_in, H, W), output (N, C_out, H_out, W_out) with
    H_out = (H + 2 padding[0] - dilation[0] (kernel_size[0] - 1) - 1) // stride[0] + 1
    (likewise W_out); padding='same' keeps H and W.

    >>> nn.Conv2d(1, 32, 3)(ag.randn(64, 1, 28, 28)).shape
    (64, 32, 26, 26)
    """

    _conv = staticmethod(F.conv2d)


class ConvTranspose2d(_ConvNd):
    """2-d transposed convolution (the adjoint of Conv2d, a learnable upsampling).

    Shape: input (N, C_in, H, W) or (C_in, H, W), output (N, C_out, H_out, W_out) with
    H_out = (H - 1) stride[0] - 2 padding[0] + dilation[0] (kernel_size[0] - 1)
    + output_padding[0] + 1 (likewise W_out). Weight (C_in, C_out / groups, kH, kW).

    >>> nn.ConvTranspose2d(16, 8, 3, stride=2, output_padding=1)(ag.randn(2, 16, 5, 5)).shape
    (2, 8, 12, 12)
    """

    transposed = True

    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride=1,
        padding=0,
        output_padding=0,
        groups=1,
        bias=True,
        dilation=1,
        padding_mode="zeros",
        device=None,
        dtype=None,
    ):
        if padding_mode != "zeros":
            raise ValueError('Only "zeros" padding mode is supported for ConvTranspose2d')
        if isinstance(padding, str):
            raise ValueError("ConvTranspose2d: padding must be an int or a tuple of 2 ints")
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            groups,
            bias,
            padding_mode,
            output_padding,
            dtype,
        )

    def forward(self, input):  # noqa: A002
        self._check_input(input)
        return F.conv_transpose2d(
            input,
            self.weight,
            self.bias,
            self.stride,
            self.padding,
            self.output_padding,
            self.groups,
            self.dilation,
        )
