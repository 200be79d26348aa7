"""Cases for autograd/ops/pooling.py, through nn.functional (torch.nn.functional in
PyTorch): max_pool2d over stride, padding, dilation, ceil_mode, return_indices, unbatched;
avg_pool2d over padding, ceil_mode, count_include_pad, divisor_override; the backward ops
through create_graph gradients; adaptive_avg_pool2d (even and uneven windows)."""

from . import Case
from .convolution import functional
from .elementwise import grad_of

IMAGE = (2, 3, 5, 5)
MAX_POOL = [
    ("plain", {"kernel_size": 2}),
    ("stride-padding", {"kernel_size": 3, "stride": 2, "padding": 1}),
    ("dilation", {"kernel_size": (2, 3), "stride": 1, "dilation": (2, 1)}),
    ("ceil", {"kernel_size": 2, "ceil_mode": True}),
    ("ceil-padding", {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}),
]
AVG_POOL = [
    ("plain", {"kernel_size": 2}),
    ("padding", {"kernel_size": 3, "stride": 2, "padding": 1}),
    ("exclude-pad", {"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False}),
    ("ceil", {"kernel_size": (2, 3), "stride": 2, "ceil_mode": True}),
    (
        "ceil-exclude-pad",
        {
            "kernel_size": 3,
            "stride": 2,
            "padding": 1,
            "ceil_mode": True,
            "count_include_pad": False,
        },
    ),
    ("divisor", {"kernel_size": 2, "stride": 1, "divisor_override": 3}),
]


def _max_pool(**options):
    return lambda lib, x: functional(lib).max_pool2d(x, **options)


def _avg_pool(**options):
    return lambda lib, x: functional(lib).avg_pool2d(x, **options)


CASES = [
    *[Case("MaxPool2d", _max_pool(**options), (IMAGE,), id=name) for name, options in MAX_POOL],
    Case("MaxPool2d", _max_pool(kernel_size=2, stride=1), ((3, 4, 4),), id="unbatched-overlap"),
    Case(
        "MaxPool2d",
        lambda lib, x: functional(lib).max_pool2d(x, 2, return_indices=True)[0],
        (IMAGE,),
        id="return-indices",
    ),
    Case(
        "MaxPool2dBackward",
        lambda lib, x, v: grad_of(lib, functional(lib).max_pool2d(x, 3, 2, 1), x, v) * x,
        (IMAGE, (2, 3, 3, 3)),
    ),
    *[Case("AvgPool2d", _avg_pool(**options), (IMAGE,), id=name) for name, options in AVG_POOL],
    Case(
        "AvgPool2dBackward",
        lambda lib, x, v: grad_of(lib, functional(lib).avg_pool2d(x, 3, 2, 1), x, v) * x,
        (IMAGE, (2, 3, 3, 3)),
    ),
    Case(
        "AvgPool2d",
        lambda lib, x: functional(lib).adaptive_avg_pool2d(x, (1, 5)),
        (IMAGE,),
        id="adaptive-even",
    ),
    Case(
        "MatMul",
        lambda lib, x: functional(lib).adaptive_avg_pool2d(x, (3, 2)),
        (IMAGE,),
        id="adaptive-uneven",
    ),
    Case(
        "Div",
        lambda lib, x: functional(lib).adaptive_avg_pool2d(x, (None, 4)),
        ((3, 5, 6),),
        id="adaptive-unbatched-none",
    ),
]
