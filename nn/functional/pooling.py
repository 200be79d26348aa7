"""Pooling: max_pool2d, avg_pool2d, adaptive_avg_pool2d (PyTorch's arguments and checks).

Each validates its arguments and calls one op of ``autograd/ops/pooling.py``. Inputs are
(N, C, H, W) or unbatched (C, H, W).
"""

from autograd.ops import pooling
from autograd.tensor import Tensor

from .conv import _tuple


def _check_input(op, input):  # noqa: A002 - PyTorch's parameter name
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: input must be a Tensor, not {type(input).__name__}")
    if input.ndim not in (3, 4) or input.data.size == 0:
        raise RuntimeError(
            f"{op}: non-empty 3D or 4D (batch mode) tensor expected for input, got input of "
            f"size {list(input.shape)}"
        )
    if input.dtype.kind != "f":
        raise RuntimeError(f"{op}: expected a floating-point input, got dtype {input.dtype}")


def _window_options(op, kernel_size, stride, padding, dilation):
    """The 2-tuples (kernel, stride, padding, dilation), checked; stride None -> kernel."""
    kernel = _tuple(kernel_size, 2, "kernel_size", op)
    stride = kernel if stride is None or stride == [] else _tuple(stride, 2, "stride", op)
    padding = _tuple(padding, 2, "padding", op)
    dilation = _tuple(dilation, 2, "dilation", op)
    if any(size <= 0 for size in kernel):
        raise RuntimeError(f"{op}: kernel_size must be greater than zero, got {kernel}")
    if any(step <= 0 for step in stride):
        raise RuntimeError(f"{op}: stride must be greater than zero, got {stride}")
    if any(jump <= 0 for jump in dilation):
        raise RuntimeError(f"{op}: dilation must be greater than zero, got {dilation}")
    if any(not 0 <= pad <= size // 2 for pad, size in zip(padding, kernel)):
        raise RuntimeError(
            f"{op}: pad should be at most half of kernel size, but got "
            f"pad={padding}, kernel_size={kernel} and dilation={dilation}"
        )
    return kernel, stride, padding, dilation


def _batched(input):  # noqa: A002
    return input if input.ndim == 4 else input.unsqueeze(0)


def _check_output_size(op, input, kernel, stride, padding, dilation, ceil_mode):  # noqa: A002
    size = tuple(
        pooling.pool_output_size(*options, ceil_mode)
        for options in zip(input.shape[-2:], kernel, stride, padding, dilation)
    )
    if any(length < 1 for length in size):
        raise RuntimeError(
            f"{op}: given input size {tuple(input.shape)}, calculated output size "
            f"{(*input.shape[:-2], *size)}: output size is too small (kernel_size={kernel}, "
            f"stride={stride}, padding={padding}, dilation={dilation})"
        )


def _unbatched_like(input, out):  # noqa: A002
    return out if input.ndim == 4 else out.squeeze(0)


def max_pool2d(
    input,  # noqa: A002
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode=False,
    return_indices=False,
):
    """The maximum of each (dilated) window; with ``return_indices`` also its flat index in
    each H * W input plane. The gradient goes to the first maximum of each window.

    Shapes: input (N, C, H, W), output (N, C, Ho, Wo) with
    Ho = floor or ceil((H + 2 p - d (k - 1) - 1) / s) + 1 (stride defaults to kernel_size).

    >>> F.max_pool2d(ag.randn(1, 3, 8, 8), 2).shape
    (1, 3, 4, 4)
    """
    op = "max_pool2d"
    _check_input(op, input)
    options = _window_options(op, kernel_size, stride, padding, dilation)
    _check_output_size(op, input, *options, ceil_mode)
    out = pooling.max_pool2d(_batched(input), *options, ceil_mode, return_indices)
    if return_indices:
        return _unbatched_like(input, out[0]), _unbatched_like(input, out[1])
    return _unbatched_like(input, out)


def avg_pool2d(
    input,  # noqa: A002
    kernel_size,
    stride=None,
    padding=0,
    ceil_mode=False,
    count_include_pad=True,
    divisor_override=None,
):
    """The mean of each window: window sum / divisor, where the divisor is
    ``divisor_override`` if given, else the window's size counting the zero padding
    (``count_include_pad``) or not; windows hanging past the padding (ceil_mode) count
    only their covered part.

    Shapes: input (N, C, H, W), output (N, C, Ho, Wo) as for max_pool2d with dilation 1.

    >>> F.avg_pool2d(ag.ones(1, 1, 4, 4), 2, padding=1, count_include_pad=False)[0, 0, 0, 0]
    tensor(1.)
    """
    op = "avg_pool2d"
    _check_input(op, input)
    kernel, stride, padding, dilation = _window_options(op, kernel_size, stride, padding, 1)
    _check_output_size(op, input, kernel, stride, padding, dilation, ceil_mode)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError(f"{op}: divisor must be not zero")
    out = pooling.avg_pool2d(
        _batched(input), kernel, stride, padding, ceil_mode, count_include_pad, divisor_override
    )
    return _unbatched_like(input, out)


def adaptive_avg_pool2d(input, output_size):  # noqa: A002
    """Average over PyTorch's adaptive windows: output row i averages input rows
    floor(i H / Ho) to ceil((i + 1) H / Ho) - 1 (likewise columns).

    Shapes: input (N, C, H, W), output (N, C, Ho, Wo); ``output_size`` is an int or a pair
    whose None entries keep the input size.

    >>> F.adaptive_avg_pool2d(ag.randn(2, 3, 7, 9), (2, 4)).shape
    (2, 3, 2, 4)
    """
    op = "adaptive_avg_pool2d"
    _check_input(op, input)
    single = output_size is None or isinstance(output_size, int)
    sizes = (output_size,) * 2 if single else tuple(output_size)
    if len(sizes) == 2:
        sizes = tuple(
            length if size is None else size for size, length in zip(sizes, input.shape[-2:])
        )
    sizes = _tuple(sizes, 2, "output_size", op)
    if any(size <= 0 for size in sizes):
        raise RuntimeError(f"{op}: output_size must be positive, got {output_size!r}")
    out = pooling.adaptive_avg_pool2d(_batched(input), sizes)
    return _unbatched_like(input, out)
