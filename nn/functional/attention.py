"""Attention: scaled dot-product attention and the multi-head attention forward pass.

Mask conventions are PyTorch's, which differ between the two levels on purpose:
``scaled_dot_product_attention`` takes a bool ``attn_mask`` where True means "may attend",
``multi_head_attention_forward`` (and ``nn.MultiheadAttention``, the Transformer layers)
take bool masks where True means "masked out". Float masks are added to the scores.

Rows whose every score is masked: ``scaled_dot_product_attention`` returns zeros there (and
zero gradient), as PyTorch 2.x does; the multi-head path with ``need_weights=True`` gives
NaN there, as PyTorch's explicit softmax does.
"""

import math

import numpy as np

from autograd import ops
from autograd.tensor import Tensor

from .dropout import dropout


def _check_mask(mask, scores_shape, name, op):
    """A bool or floating mask that broadcasts to the scores' shape (..., L, S)."""
    if not isinstance(mask, Tensor):
        raise TypeError(f"{op}: {name} must be a Tensor, got {type(mask).__name__}")
    if mask.dtype != np.bool_ and mask.dtype.kind != "f":
        raise TypeError(f"{op}: {name} must be a bool or floating-point tensor, got {mask.dtype}")
    try:
        fits = np.broadcast_shapes(mask.shape, scores_shape) == tuple(scores_shape)
    except ValueError:
        fits = False
    if not fits:
        raise RuntimeError(
            f"{op}: {name} of shape {tuple(mask.shape)} does not broadcast to the attention "
            f"scores' shape {tuple(scores_shape)} (expected (L, S) = "
            f"{tuple(scores_shape[-2:])} or (..., L, S))"
        )


def _masked_softmax(scores, zero_masked_rows):
    """softmax over the last dim; rows that are -inf everywhere become 0 when asked (the
    scores are replaced by 0 there first, so no NaN reaches the gradient), else NaN."""
    if zero_masked_rows:
        dead = np.isneginf(scores.data).all(-1, keepdims=True)
        if dead.any():
            dead = Tensor._make(dead)
            return ops.masked_fill(ops.softmax(ops.masked_fill(scores, dead, 0.0), -1), dead, 0.0)
    return ops.softmax(scores, -1)


def attention(query, key, value, mask, dropout_p, scale, zero_masked_rows):
    """(softmax(q k^T scale + mask) v, the attention weights); ``mask`` is None, a bool mask
    (True = may attend) or an additive float mask, already checked."""
    scores = ops.matmul(query * scale, key.transpose(-2, -1))
    if mask is not None:
        if mask.dtype == np.bool_:
            scores = ops.masked_fill(scores, ops.logical_not(mask), -math.inf)
        else:
            scores = scores + mask
    weights = _masked_softmax(scores, zero_masked_rows)
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p, training=True)
    return ops.matmul(weights, value), weights


def scaled_dot_product_attention(
    query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None
):
    """softmax(Q K^T * scale + M) V with scale = 1 / sqrt(E) by default.

    Shapes: query (..., L, E), key (..., S, E), value (..., S, Ev), output (..., L, Ev);
    ``attn_mask`` broadcasts to (..., L, S): bool (True = may attend) or float (added).
    ``is_causal`` masks position j > i (with the top-left alignment PyTorch uses) and
    excludes ``attn_mask``. Fully masked rows give 0.

    >>> q = ag.randn(2, 4, 8)
    >>> F.scaled_dot_product_attention(q, q, q, is_causal=True).shape
    (2, 4, 8)
    """
    op = "scaled_dot_product_attention"
    for name, tensor in (("query", query), ("key", key), ("value", value)):
        if not isinstance(tensor, Tensor) or tensor.ndim < 2:
            raise ValueError(f"{op}: {name} must be a Tensor with at least 2 dims (..., L, E)")
    if query.shape[-1] != key.shape[-1] or key.shape[-2] != value.shape[-2]:
        raise RuntimeError(
            f"{op}: query {tuple(query.shape)}, key {tuple(key.shape)} and value "
            f"{tuple(value.shape)} do not fit: expected (..., L, E), (..., S, E), (..., S, Ev)"
        )
    if not 0.0 <= dropout_p <= 1.0:
        raise ValueError(f"{op}: dropout_p must be in [0, 1], got {dropout_p}")
    length, source = query.shape[-2], key.shape[-2]
    scores_shape = (*np.broadcast_shapes(query.shape[:-2], key.shape[:-2]), length, source)
    if is_causal:
        if attn_mask is not None:
            raise RuntimeError(f"{op}: Explicit attn_mask should not be set when is_causal=True")
        attn_mask = Tensor._make(np.tril(np.ones((length, source), dtype=bool)))
    elif attn_mask is not None:
        _check_mask(attn_mask, scores_shape, "attn_mask", op)
        if attn_mask.dtype != np.bool_ and attn_mask.dtype != query.dtype:
            raise TypeError(
                f"{op}: a float attn_mask must have the query's dtype {query.dtype}, got "
                f"{attn_mask.dtype}"
            )
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else scale
    return attention(query, key, value, attn_mask, dropout_p, scale, True)[0]


def _as_additive(mask, dtype):
    """A bool mask (True = masked out) as 0 / -inf in ``dtype``; a float mask as it is."""
    if mask.dtype == np.bool_:
        return Tensor._make(np.where(mask.data, -np.inf, 0.0).astype(dtype))
    return mask


def merge_masks(attn_mask, key_padding_mask, batch, num_heads, length, source, dtype, op):
    """attn_mask ((L, S) or (N * heads, L, S)) and key_padding_mask ((N, S)), both bool
    (True = masked out) or additive float, as one additive mask broadcasting to
    (N, heads, L, S), or None."""
    merged = None
    if attn_mask is not None:
        shapes = {2: (length, source), 3: (batch * num_heads, length, source)}
        if attn_mask.ndim not in shapes or tuple(attn_mask.shape) != shapes[attn_mask.ndim]:
            raise RuntimeError(
                f"{op}: attn_mask has shape {tuple(attn_mask.shape)}, but should be "
                f"{shapes[2]} (2-D) or {shapes[3]} (3-D: batch * num_heads, L, S)"
            )
        _check_mask(attn_mask, attn_mask.shape, "attn_mask", op)
        merged = _as_additive(attn_mask, dtype)
        if attn_mask.ndim == 3:
            merged = merged.reshape(batch, num_heads, length, source)
    if key_padding_mask is not None:
        if tuple(key_padding_mask.shape) != (batch, source):
            raise RuntimeError(
                f"{op}: expected key_padding_mask of shape (N, S) = {(batch, source)}, got "
                f"{tuple(key_padding_mask.shape)}"
            )
        _check_mask(key_padding_mask, key_padding_mask.shape, "key_padding_mask", op)
        padding = _as_additive(key_padding_mask, dtype).reshape(batch, 1, 1, source)
        merged = padding if merged is None else merged + padding
    return merged


def _heads(x, num_heads):
    """(N, L, E) -> (N, heads, L, E / heads)."""
    batch, length, embed = x.shape
    return x.reshape(batch, length, num_heads, embed // num_heads).transpose(1, 2)


def _pad_last(mask):
    """One more key position that nothing masks (for bias_k / bias_v), or None."""
    if mask is None:
        return None
    widths = [(0, 0)] * (mask.ndim - 1) + [(0, 1)]
    return Tensor._make(np.pad(mask.data, widths))


def _project(query, key, value, in_proj_weight, in_proj_bias, separate):
    """q, k, v = x W_{q,k,v}^T + b_{q,k,v}; one matrix product for self-attention."""
    biases = (None,) * 3 if in_proj_bias is None else ops.chunk(in_proj_bias, 3)
    if separate is not None:
        weights = separate
    elif query is key and key is value:
        packed = ops.matmul(query, in_proj_weight.t())
        if in_proj_bias is not None:
            packed = packed + in_proj_bias
        return ops.chunk(packed, 3, -1)
    else:
        weights = ops.chunk(in_proj_weight, 3)
    out = []
    for x, weight, bias in zip((query, key, value), weights, biases):
        projected = ops.matmul(x, weight.t())
        out.append(projected if bias is None else projected + bias)
    return out


def multi_head_attention_forward(
    query,
    key,
    value,
    embed_dim_to_check,
    num_heads,
    in_proj_weight,
    in_proj_bias,
    bias_k,
    bias_v,
    add_zero_attn,
    dropout_p,
    out_proj_weight,
    out_proj_bias,
    training=True,
    key_padding_mask=None,
    need_weights=True,
    attn_mask=None,
    use_separate_proj_weight=False,
    q_proj_weight=None,
    k_proj_weight=None,
    v_proj_weight=None,
    static_k=None,
    static_v=None,
    average_attn_weights=True,
    is_causal=False,
):
    """Multi-head attention, PyTorch's functional form and (L, N, E) layout.

    Shapes: query (L, N, E) or unbatched (L, E); key (S, N, Ek), value (S, N, Ev) (or
    unbatched); attn_mask (L, S) or (N * num_heads, L, S); key_padding_mask (N, S) (or (S)
    unbatched); bool masks mean True = masked out, float masks are added. Returns (output
    (L, N, E), weights (N, L, S) averaged over heads, or (N, heads, L, S), or None).
    ``is_causal`` is a hint that ``attn_mask`` is the causal mask (it must be given).
    """
    op = "multi_head_attention_forward"
    if add_zero_attn:
        raise NotImplementedError(f"{op}: add_zero_attn=True is not supported")
    if static_k is not None or static_v is not None:
        raise NotImplementedError(f"{op}: static_k and static_v are not supported")
    if is_causal and attn_mask is None:
        raise RuntimeError(
            f"{op}: Need attn_mask if specifying the is_causal hint (the causal mask itself)"
        )
    unbatched = query.ndim == 2
    if query.ndim not in (2, 3) or key.ndim != query.ndim or value.ndim != query.ndim:
        raise ValueError(
            f"{op}: query, key and value must all be 3-D (L, N, E) or all 2-D (L, E), got "
            f"{tuple(query.shape)}, {tuple(key.shape)}, {tuple(value.shape)}"
        )
    if unbatched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
        if attn_mask is not None and attn_mask.ndim == 3:
            raise RuntimeError(f"{op}: an unbatched query takes a 2-D attn_mask (L, S)")
    length, batch, embed = query.shape
    if embed != embed_dim_to_check:
        raise RuntimeError(
            f"{op}: was expecting embedding dimension of {embed_dim_to_check}, but got {embed}"
        )
    if key.shape[:2] != value.shape[:2] or key.shape[1] != batch:
        raise RuntimeError(
            f"{op}: key {tuple(key.shape)} and value {tuple(value.shape)} must be (S, N, *) "
            f"with N = {batch}"
        )
    # Work batch-first: (N, L, E).
    same = query is key and key is value
    query = query.transpose(0, 1)
    key = query if same else key.transpose(0, 1)
    value = query if same else value.transpose(0, 1)
    separate = (q_proj_weight, k_proj_weight, v_proj_weight) if use_separate_proj_weight else None
    q, k, v = _project(query, key, value, in_proj_weight, in_proj_bias, separate)
    if bias_k is not None:
        k = ops.cat([k, bias_k.reshape(1, 1, embed).expand(batch, 1, embed)], 1)
        v = ops.cat([v, bias_v.reshape(1, 1, embed).expand(batch, 1, embed)], 1)
        attn_mask = _pad_last(attn_mask)
        key_padding_mask = _pad_last(key_padding_mask)
    source = k.shape[1]
    mask = merge_masks(attn_mask, key_padding_mask, batch, num_heads, length, source, q.dtype, op)
    dropout_p = dropout_p if training else 0.0
    head_dim = embed // num_heads
    out, weights = attention(
        _heads(q, num_heads),
        _heads(k, num_heads),
        _heads(v, num_heads),
        mask,
        dropout_p,
        1.0 / math.sqrt(head_dim),
        not need_weights,
    )
    out = out.transpose(1, 2).reshape(batch, length, embed)
    out = ops.matmul(out, out_proj_weight.t())
    if out_proj_bias is not None:
        out = out + out_proj_bias
    out = out.transpose(0, 1)
    if not need_weights:
        weights = None
    elif average_attn_weights:
        weights = weights.mean(1)
    if unbatched:
        out = out.squeeze(1)
        weights = None if weights is None else weights.squeeze(0)
    return out, weights
