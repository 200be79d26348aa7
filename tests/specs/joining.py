"""Cases for autograd/ops/joining.py (multi-output ops return tuples; some use only part)."""

import numpy as np

from autograd.ops.joining import PadBackward

from . import Case, Const


def functional_pad(lib):
    """F.pad: torch.nn.functional.pad for torch, autograd.ops.pad for autograd."""
    return lib.nn.functional.pad if lib.__name__ == "torch" else lib.ops.pad


def pad_case(shape, pad, mode="constant", value=None, case_id=""):
    def fn(lib, x):
        return functional_pad(lib)(x, pad, mode=mode, value=value) * 1.5

    return Case("Pad", fn, (shape,), id=case_id or f"{mode}-{pad}")


INTS = Const(np.arange(6).reshape(2, 3))

CASES = [
    Case("Cat", lambda lib, a, b: lib.cat([a, b]), ((2, 3), (1, 3))),
    Case("Cat", lambda lib, a, b, c: lib.cat((a, b, c), -1), ((2, 1), (2, 3), (2, 0)), id="last"),
    Case("Cat", lambda lib, a: lib.cat([a, a * a], dim=1), ((2, 2, 3),), id="same-input"),
    Case("Cat", lambda lib, a, b: lib.cat([a, b], 1), ((2, 3), INTS), id="int-promotes"),
    Case("Cat", lambda lib, a, b: lib.cat([a, b]), ((0,), (2, 3)), id="legacy-empty"),
    Case("Stack", lambda lib, a, b: lib.stack([a, b]), ((), ())),
    Case("Stack", lambda lib, a, b: lib.stack((a, b), dim=-1), ((2, 3), (2, 3)), id="last"),
    Case("Stack", lambda lib, a, b: lib.stack([a, b], 1), ((2, 3), INTS), id="int-promotes"),
    Case("Split", lambda lib, x: x.split(2), ((5, 2),)),
    Case("Split", lambda lib, x: lib.split(x, [1, 0, 3], -1), ((2, 4),), id="sections"),
    Case("Split", lambda lib, x: x.split(2, 1)[1] * 2, ((2, 5),), id="one-used"),
    Case("Split", lambda lib, x: x.split(3), ((3, 2),), id="single"),
    Case("Split", lambda lib, x: x.chunk(3, 1), ((2, 5),), id="chunk"),
    Case("Split", lambda lib, x: lib.chunk(x, 4, -1), ((2, 6),), id="chunk-fewer"),
    Case("Unbind", lambda lib, x: x.unbind(), ((3, 2),)),
    Case("Unbind", lambda lib, x: lib.unbind(x, -1), ((2, 3),), id="negative"),
    Case("Unbind", lambda lib, x: x.unbind(1)[2] * x.unbind(1)[0], ((2, 3),), id="some-used"),
    Case("Unbind", lambda lib, x: x.unbind(0), ((3,),), id="to-0d"),
    Case("Narrow", lambda lib, x: x.narrow(1, 1, 2), ((2, 4),)),
    Case(
        "Narrow",
        lambda lib, x: lib.narrow(x, -1, -3, 2) * lib.narrow(x, 1, 0, 2),
        ((2, 4),),
        id="neg",
    ),
    pad_case((2, 3), (1, 2)),
    pad_case((), (), case_id="0d"),
    pad_case((2, 3, 4), (1, 0, 0, 2, 2, 1), value=0.5, case_id="constant-3d"),
    pad_case((2, 5), (-1, 2, 1, -1), case_id="constant-crop"),
    pad_case((2, 3), (1, 2), "reflect"),
    pad_case((1, 3, 4), (2, 1, 0, 2), "reflect"),
    pad_case((2, 1, 3, 3, 3), (1, 2, 2, 0, 1, 1), "reflect"),
    pad_case((2, 5), (-1, 2), "reflect"),
    pad_case((2, 3), (2, 4), "replicate"),
    pad_case((1, 2, 2, 3), (1, 0, 0, 2, 1, 1), "replicate"),
    pad_case((2, 3, 3), (-1, 2, 1, 1), "replicate"),
    pad_case((2, 3), (1, 3), "circular"),
    pad_case((2, 2, 3, 4), (2, 1, 3, 0), "circular"),
    pad_case((1, 5), (-1, 3), "circular"),
    Case(
        "PadBackward",
        lambda lib, g: PadBackward.apply(g, pad=(1, 2), mode="reflect", input_shape=(2, 3)),
        ((2, 6),),
        torch=False,
        id="reflect",
    ),
    Case(
        "PadBackward",
        lambda lib, g: PadBackward.apply(
            g, pad=(-1, 2, 2, 0), mode="replicate", input_shape=(2, 4, 4)
        ),
        ((2, 6, 5),),
        torch=False,
        id="replicate-crop",
    ),
    Case(
        "PadBackward",
        lambda lib, g: PadBackward.apply(g, pad=(2, 1), mode="circular", input_shape=(1, 3)),
        ((1, 6),),
        torch=False,
        id="circular",
    ),
]
