"""Cases for autograd/ops/shape.py."""

from . import Case, Const

CASES = [
    # Reshape: reshape, view, flatten, unflatten, squeeze, unsqueeze all record it.
    Case("Reshape", lambda lib, x: x.reshape(3, -1), ((2, 3),)),
    Case("Reshape", lambda lib, x: x.reshape(1, 1), ((),), id="0d"),
    Case("Reshape", lambda lib, x: x.reshape(()), ((1, 1),), id="to-0d"),
    Case("Reshape", lambda lib, x: x.view(-1), ((2, 3, 2),), id="view"),
    Case("Reshape", lambda lib, x: x.transpose(0, 1).reshape(-1), ((2, 3),), id="non-contiguous"),
    Case("Reshape", lambda lib, x: lib.flatten(x, 1), ((2, 3, 4),), id="flatten"),
    Case("Reshape", lambda lib, x: x.flatten(-3, -2), ((2, 3, 4),), id="flatten-negative"),
    Case("Reshape", lambda lib, x: x.flatten(), ((),), id="flatten-0d"),
    Case("Reshape", lambda lib, x: x.unflatten(-1, (2, -1)), ((3, 4),), id="unflatten"),
    Case("Reshape", lambda lib, x: x.squeeze(), ((1, 3, 1),), id="squeeze"),
    Case("Reshape", lambda lib, x: lib.squeeze(x, (0, -1)), ((1, 3, 1, 1),), id="squeeze-tuple"),
    Case("Reshape", lambda lib, x: x.squeeze(-1), ((3, 1),), id="squeeze-negative"),
    Case("Reshape", lambda lib, x: x.unsqueeze(-1), ((),), id="unsqueeze-0d"),
    Case("Reshape", lambda lib, x: lib.unsqueeze(x, -2), ((2, 3),), id="unsqueeze-negative"),
    # Permute: permute, transpose, t, .T, .mT.
    Case("Permute", lambda lib, x: x.permute(2, 0, 1), ((2, 3, 4),)),
    Case("Permute", lambda lib, x: lib.permute(x, (-1, 0, -2)), ((2, 3, 4),), id="negative"),
    Case("Permute", lambda lib, x: lib.transpose(x, -1, 0), ((2, 3, 4),), id="transpose"),
    Case("Permute", lambda lib, x: x.t(), ((2, 3),), id="t"),
    Case("Permute", lambda lib, x: x.mT, ((2, 3, 4),), id="mT"),
    Case("Permute", lambda lib, x: x.permute(1, 0) * x.t(), ((3, 3),), id="square"),
    # Expand, Repeat (tile).
    Case("Expand", lambda lib, x: x.expand(2, 3, 4), ((3, 1),)),
    Case("Expand", lambda lib, x: x.expand(2, 3), ((),), id="0d"),
    Case("Expand", lambda lib, x: x.expand(2, -1, 4) * 2, ((3, 1),), id="minus-one"),
    Case("Expand", lambda lib, x, y: x.expand_as(y) * y, ((1, 3), (2, 3)), id="expand_as"),
    Case("Repeat", lambda lib, x: x.repeat(2, 1, 3), ((2, 3),)),
    Case("Repeat", lambda lib, x: x.repeat(2, 3), ((),), id="0d"),
    Case("Repeat", lambda lib, x: x.repeat(2, 0), ((2, 3),), id="zero"),
    Case("Repeat", lambda lib, x: lib.tile(x, (2,)), ((2, 3),), id="tile"),
    Case("Repeat", lambda lib, x: x.tile(2, 1, 2), ((3,),), id="tile-more"),
    # Flip, Roll.
    Case("Flip", lambda lib, x: x.flip(0, -1), ((2, 3, 4),)),
    Case("Flip", lambda lib, x: lib.flip(x, (0,)), ((),), id="0d"),
    Case("Flip", lambda lib, x: x.flip(1) * x, ((2, 3),), id="product"),
    Case("Roll", lambda lib, x: x.roll(4), ((2, 3),), id="flattened"),
    Case("Roll", lambda lib, x: lib.roll(x, (1, -2), (0, -1)), ((2, 3, 4),), id="dims"),
    Case("Roll", lambda lib, x: x.roll(1), ((),), id="0d"),
    # Tril, Triu.
    Case("Tril", lambda lib, x: x.tril(), ((3, 4),)),
    Case("Tril", lambda lib, x: lib.tril(x, -1), ((2, 3, 3),), id="batched-negative"),
    Case("Triu", lambda lib, x: x.triu(), ((4, 3),)),
    Case("Triu", lambda lib, x: lib.triu(x, 2), ((2, 3, 4),), id="batched-positive"),
    # Diagonal, DiagonalScatter.
    Case("Diagonal", lambda lib, x: x.diagonal(), ((3, 4),)),
    Case("Diagonal", lambda lib, x: lib.diagonal(x, 1), ((3, 4),), id="offset"),
    Case("Diagonal", lambda lib, x: x.diagonal(-1, -1, 0), ((3, 2, 4),), id="negative"),
    Case("Diagonal", lambda lib, x: x.diagonal(5), ((3, 4),), id="empty"),
    Case("Diagonal", lambda lib, x: x.diagonal() * x.diagonal(), ((3, 3),), id="square"),
    Case("DiagonalScatter", lambda lib, x, s: lib.diagonal_scatter(x, s, 1), ((3, 4), (3,))),
    Case(
        "DiagonalScatter",
        lambda lib, x, s: lib.diagonal_scatter(x, s, -1, 2, 0) * x,
        ((3, 2, 4), (2, 3)),
        id="batched",
    ),
    Case(
        "DiagonalScatter",
        lambda lib, x, s: lib.diagonal_scatter(x, s.double() * 2),
        ((2, 2), Const([1, 2])),
        id="constant-src",
    ),
]
