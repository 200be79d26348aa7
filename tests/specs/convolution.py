"""Cases for autograd/ops/convolution.py, through nn.functional (torch.nn.functional in
PyTorch): conv2d over stride, padding (int, pair, 'same' with an even kernel, 'valid'),
dilation, groups (depthwise too), no bias, unbatched input; conv1d; conv_transpose2d with
stride, padding, output_padding, groups, dilation; the weight gradient through a
create_graph gradient."""

import nn.functional

from . import Case
from .elementwise import grad_of


def functional(lib):
    """torch.nn.functional for torch, chainrule's nn.functional otherwise."""
    return lib.nn.functional if lib.__name__ == "torch" else nn.functional


def _conv2d(**options):
    return lambda lib, x, w, b: functional(lib).conv2d(x, w, b, **options)


def _conv2d_no_bias(**options):
    return lambda lib, x, w: functional(lib).conv2d(x, w, **options)


def _conv_transpose2d(**options):
    return lambda lib, x, w, b: functional(lib).conv_transpose2d(x, w, b, **options)


IMAGE = (2, 3, 5, 5)
CONV2D = [
    ("plain", {}, IMAGE, (4, 3, 3, 3)),
    ("stride", {"stride": 2}, IMAGE, (2, 3, 3, 3)),
    ("stride-pair", {"stride": (2, 1), "padding": (1, 0)}, IMAGE, (2, 3, 3, 2)),
    ("padding", {"padding": 1}, IMAGE, (2, 3, 3, 3)),
    ("same-even", {"padding": "same"}, IMAGE, (2, 3, 2, 4)),
    ("same-dilated", {"padding": "same", "dilation": 2}, IMAGE, (2, 3, 2, 3)),
    ("valid", {"padding": "valid"}, IMAGE, (2, 3, 2, 2)),
    ("dilation", {"dilation": (2, 1), "padding": 1}, IMAGE, (2, 3, 3, 2)),
    ("groups", {"groups": 2, "stride": 2, "padding": 1}, (2, 4, 5, 5), (4, 2, 3, 3)),
    ("depthwise", {"groups": 3, "padding": 1}, IMAGE, (6, 1, 3, 3)),
    ("1x1", {}, IMAGE, (4, 3, 1, 1)),
    ("unbatched", {"padding": 1}, (3, 4, 4), (2, 3, 3, 3)),
]
TRANSPOSE = [
    ("plain", {}, (2, 3, 4, 4), (3, 2, 3, 3)),
    ("stride", {"stride": 2}, (2, 3, 3, 3), (3, 2, 3, 3)),
    (
        "padding-output-padding",
        {"stride": (2, 3), "padding": 1, "output_padding": (1, 2)},
        (2, 2, 3, 3),
        (2, 2, 3, 3),
    ),
    ("groups", {"groups": 2, "stride": 2}, (2, 4, 3, 3), (4, 1, 2, 3)),
    (
        "dilation",
        {"dilation": 2, "padding": (1, 2), "output_padding": 1, "stride": 2},
        (1, 2, 3, 3),
        (2, 3, 2, 2),
    ),
]

CASES = [
    *[
        Case("Convolution", _conv2d(**options), (x, w, (w[0],)), id=name)
        for name, options, x, w in CONV2D
    ],
    Case("Convolution", _conv2d_no_bias(stride=2), (IMAGE, (4, 3, 2, 2)), id="no-bias"),
    Case(
        "Convolution",
        lambda lib, x, w, b: functional(lib).conv1d(x, w, b, stride=2, padding=1, dilation=2),
        ((2, 3, 9), (4, 3, 3), (4,)),
        id="conv1d",
    ),
    Case(
        "Convolution",
        lambda lib, x, w: functional(lib).conv1d(x, w, padding="same", groups=3),
        ((3, 7), (3, 1, 4)),
        id="conv1d-unbatched-depthwise",
    ),
    *[
        Case(
            "ConvolutionTranspose",
            _conv_transpose2d(**options),
            (x, w, (w[1] * options.get("groups", 1),)),
            id=name,
        )
        for name, options, x, w in TRANSPOSE
    ],
    Case(
        "ConvolutionWeightGrad",
        lambda lib, x, w, v: grad_of(lib, functional(lib).conv2d(x, w, stride=2, padding=1), w, v),
        (IMAGE, (2, 3, 3, 3), (2, 2, 3, 3)),
        id="stride-padding",
    ),
    Case(
        "ConvolutionWeightGrad",
        lambda lib, x, w, v: grad_of(lib, functional(lib).conv2d(x, w, groups=3, dilation=2), w, v),
        (IMAGE, (3, 1, 2, 2), (2, 3, 3, 3)),
        id="groups-dilation",
    ),
]
