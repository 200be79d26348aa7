"""Cases for autograd/ops/order_statistics.py: median() and nanmedian() of every element
(even and odd counts, NaNs skipped, 0-d), and unique / unique_consecutive, which have no
gradient.

Random inputs have no ties; ties, NaN and the ops along a dim (made of sort and gather) are
tested against PyTorch in tests/test_scans_and_order_statistics.py.
"""

import numpy as np

from . import Case, Const

NAN_MASK = np.array(
    [[True, False, True, True], [False, True, True, False], [True, True, False, True]]
)

CASES = [
    Case("Median", lambda lib, a: a.median(), ((3, 4),)),
    Case("Median", lambda lib, a: lib.median(a), ((5,),), id="odd"),
    Case("Median", lambda lib, a: a.median(), ((),), id="0d"),
    Case(
        "NanMedian",
        lambda lib, a, m: lib.where(m, a, float("nan")).nanmedian(),
        ((3, 4), Const(NAN_MASK)),
    ),
    Case("NanMedian", lambda lib, a: lib.nanmedian(a), ((2, 3),), id="no-nan"),
    Case("NanMedian", lambda lib, a: a.nanmedian(), ((),), id="0d"),
    Case(
        "Unique",
        lambda lib, a: lib.unique(a),
        ((3, 4),),
        backward_error="the derivative for 'unique' is not implemented",
    ),
    Case(
        "Unique",
        lambda lib, a: a.unique_consecutive(dim=1),
        ((2, 3),),
        id="consecutive-dim",
        backward_error="the derivative for 'unique_consecutive' is not implemented",
    ),
]
