"""Every op, by kind. Each module holds Function classes (registered in ``registry.OPS``)
and the plain functions users call; Tensor methods forward to these functions.

One import block per module; whoever adds a public function to a module adds it to that
module's block here (and in ``autograd/__init__.py`` when it is public as ``ag.<name>``).
"""

from .registry import OPS, register

# arithmetic.py
from .arithmetic import (
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
    tensor_type,
    to_dtype,
    true_divide,
)

# comparison.py
from .comparison import (
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

# activation.py
from .activation import (
    elu,
    gelu,
    hardtanh,
    leaky_relu,
    log_sigmoid,
    relu,
    relu6,
    silu,
    softplus,
)

# elementwise.py
from .elementwise import (
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

# inplace.py
from .inplace import (
    compared,
    fill,
    index_put_accumulate,
    inplace,
    inplace_view,
    setitem,
    unrecorded,
)

# reduction.py
from .reduction import (
    all,
    any,
    cumsum,
    logsumexp,
    mean,
    norm,
    prod,
    std,
    sum,
    sum_to_size,
    var,
)

# softmax.py
from .softmax import log_softmax, softmax

# shape.py
from .shape import (
    diagonal,
    diagonal_scatter,
    expand,
    flatten,
    flip,
    moveaxis,
    movedim,
    permute,
    repeat,
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
    view,
)

# joining.py
from .joining import cat, chunk, concat, concatenate, narrow, pad, split, stack, unbind

# selection.py
from .selection import (
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

from .sorting import argsort, sort, topk

# scans.py
from .scans import cummax, cummin, cumprod, logcumsumexp

# order_statistics.py
from .order_statistics import (
    kthvalue,
    median,
    mode,
    msort,
    nanmedian,
    unique,
    unique_consecutive,
)

# indexing.py
from .indexing import (
    gather,
    getitem,
    index_put,
    index_select,
    masked_fill,
    one_hot,
    scatter,
    scatter_add,
    take_along_dim,
)

# linalg.py
from .linalg import bmm, dot, einsum, matmul, mm, outer
from .compound import addcdiv, addcmul, addmm, frac, lerp, nan_to_num, sgn
from .index_along_dim import index_add, index_copy, index_fill, repeat_interleave
from .sampling import bernoulli, exponential, normal, random, uniform
from .shape_extras import diag, fill_diagonal, masked_scatter, split_with_sizes, unfold
from .trigonometric import (
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
from .special import (
    digamma,
    erfc,
    erfinv,
    lgamma,
    logit,
    polygamma,
    polygamma_of,
    sinc,
    xlogy,
)

# special_gamma.py (igamma, igammac and mvlgamma are also ag.<name>; the rest public as
# ag.special.<name>, as in PyTorch)
from .special_gamma import (
    entr,
    erfcx,
    gammainc,
    gammaincc,
    igamma,
    igammac,
    log_ndtr,
    multigammaln,
    mvlgamma,
    ndtri,
    xlog1py,
    zeta,
)

# polynomials.py (public as ag.special.<name>, as in PyTorch)
from .polynomials import (
    chebyshev_polynomial_t,
    chebyshev_polynomial_u,
    chebyshev_polynomial_v,
    chebyshev_polynomial_w,
    hermite_polynomial_h,
    hermite_polynomial_he,
    laguerre_polynomial_l,
    legendre_polynomial_p,
    shifted_chebyshev_polynomial_t,
    shifted_chebyshev_polynomial_u,
    shifted_chebyshev_polynomial_v,
    shifted_chebyshev_polynomial_w,
)

# bessel.py (i0 is also ag.i0; the rest public as ag.special.<name>, as in PyTorch)
from .bessel import (
    airy_ai,
    bessel_j0,
    bessel_j1,
    bessel_y0,
    bessel_y1,
    i0,
    i0e,
    i1,
    i1e,
    modified_bessel_i0,
    modified_bessel_i1,
    modified_bessel_k0,
    modified_bessel_k1,
    scaled_modified_bessel_k0,
    scaled_modified_bessel_k1,
    spherical_bessel_j0,
)

# convolution.py
from .convolution import convolution, convolution_transpose

# pooling.py
from .pooling import adaptive_avg_pool2d, avg_pool2d, max_pool2d

# recurrent.py
from .recurrent import (
    gru_cell,
    gru_layer,
    lstm_cell,
    lstm_layer,
    rnn_layer,
    rnn_relu_cell,
    rnn_tanh_cell,
)

# normalization.py
from .normalization import standardize

# loss.py
from .loss import binary_cross_entropy, cross_entropy_indices, nll_loss

# fused_linear.py
from .fused_linear import linear
