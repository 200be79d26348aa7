"""Cases for autograd/ops/fused_linear.py: nn.functional.linear with and without bias, 2-d,
1-d and batched (3-d) inputs."""

import nn

from . import Case


def functional(lib):
    """torch.nn.functional for torch, chainrule's nn.functional otherwise."""
    return lib.nn.functional if lib.__name__ == "torch" else nn.functional


CASES = [
    Case("Linear", lambda lib, x, w, b: functional(lib).linear(x, w, b), ((4, 3), (2, 3), (2,))),
    Case("Linear", lambda lib, x, w: functional(lib).linear(x, w), ((4, 3), (2, 3)), id="no-bias"),
    Case(
        "Linear",
        lambda lib, x, w, b: functional(lib).linear(x, w, b),
        ((3,), (2, 3), (2,)),
        id="1d-input",
    ),
    Case(
        "Linear",
        lambda lib, x, w, b: functional(lib).linear(x, w, b),
        ((2, 3, 4), (5, 4), (5,)),
        id="batched",
    ),
]
