"""chainrule's autograd: Tensor, its ops, and reverse-mode differentiation.

``import autograd as ag`` gives a namespace that stands where ``torch`` stands:
``ag.tensor``, ``ag.zeros``, ``ag.exp``, ``ag.cat``, ``ag.float32``, ``ag.no_grad`` ...
"""

from . import allocator, dtypes

# PyTorch's public dtype names; ag.bool, ag.float and ag.int shadow the builtins in this
# module's namespace only, as torch.bool, torch.float and torch.int do.
from .dtypes import (
    bool_ as bool,
    float16,
    float32,
    float64,
    get_default_dtype,
    int8,
    int16,
    int32,
    int64,
    set_default_dtype,
    uint8,
)
from .dtypes import float16 as half
from .dtypes import float32 as float
from .dtypes import float64 as double
from .dtypes import int32 as int
from .dtypes import int64 as long
from . import functional, special, viz
from . import distributed  # collectives over MPI; mpi4py is imported only on use
from .anomaly_mode import detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from .checkpoint import checkpoint
from .engine import backward, grad
from .factories import (
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    normal,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from .function import Function
from .gradcheck import gradcheck, gradgradcheck
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .parallel import get_num_threads, set_num_threads
from .serialization import load, save

# ---- ops: one block per module of autograd/ops ----
from .ops.arithmetic import (
    add,
    clone,
    div,
    floor_divide,
    fmod,
    mul,
    neg,
    negative,
    pow,
    remainder,
    sub,
    true_divide,
)
from .ops.comparison import (
    allclose,
    bitwise_and,
    bitwise_not,
    bitwise_or,
    bitwise_xor,
    eq,
    equal,
    ge,
    gt,
    isfinite,
    isinf,
    isnan,
    le,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    lt,
    ne,
)
from .ops.activation import relu
from .ops.elementwise import (
    abs,
    ceil,
    cos,
    erf,
    exp,
    expm1,
    floor,
    log,
    log1p,
    log2,
    log10,
    reciprocal,
    round,
    rsqrt,
    sigmoid,
    sign,
    sin,
    sqrt,
    square,
    tan,
    tanh,
    trunc,
)
from .ops.reduction import (
    all,
    any,
    cumsum,
    logsumexp,
    mean,
    norm,
    prod,
    std,
    sum,
    var,
)
from .ops.softmax import log_softmax, softmax
from .ops.shape import (
    diagonal,
    diagonal_scatter,
    expand,
    flatten,
    flip,
    moveaxis,
    movedim,
    permute,
    reshape,
    roll,
    squeeze,
    swapaxes,
    swapdims,
    t,
    tile,
    transpose,
    tril,
    triu,
    unflatten,
    unsqueeze,
)
from .ops.joining import cat, chunk, concat, concatenate, narrow, split, stack, unbind

# selection.py
from .ops.selection import (
    amax,
    amin,
    argmax,
    argmin,
    clamp,
    clip,
    max,
    masked_select,
    maximum,
    min,
    minimum,
    nonzero,
    select,
    where,
)

from .ops.sorting import argsort, sort, topk
from .ops.scans import cummax, cummin, cumprod, logcumsumexp
from .ops.order_statistics import (
    kthvalue,
    median,
    mode,
    msort,
    nanmedian,
    unique,
    unique_consecutive,
)

# indexing.py
from .ops.indexing import (
    gather,
    index_put,
    index_select,
    masked_fill,
    scatter,
    scatter_add,
    take_along_dim,
)

# linalg.py
from .ops.linalg import bmm, dot, einsum, matmul, mm, outer
from .ops.compound import addcdiv, addcmul, addmm, frac, lerp, nan_to_num, sgn
from .ops.index_along_dim import index_add, index_copy, index_fill, repeat_interleave
from .ops.shape_extras import diag, masked_scatter, split_with_sizes
from .ops.trigonometric import (
    acos,
    arccos,
    arcsin,
    arctan,
    arctan2,
    asin,
    atan,
    atan2,
    cosh,
    hypot,
    sinh,
)
from .ops.bessel import i0
from .ops.special_gamma import igamma, igammac, mvlgamma
from .ops.special import (
    digamma,
    erfc,
    erfinv,
    lgamma,
    logit,
    polygamma,
    sinc,
    xlogy,
)

# ---- end of ops ----
from .random import Generator, get_rng_state, initial_seed, manual_seed, set_rng_state
from .tensor import Tensor
