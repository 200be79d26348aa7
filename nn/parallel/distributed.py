"""DistributedDataParallel: the same model on every rank, gradients averaged after backward.

Each rank runs the wrapped module on its own share of the batch. At construction rank 0's
parameters and buffers are broadcast, so every rank starts from the same weights. The
parameters that require grad are laid out, in reverse registration order (roughly the order
backward produces their gradients), in a few flat buckets of at most ``bucket_cap_mb``
megabytes, one dtype each. A post-accumulate hook on every parameter copies its finished
gradient, divided by the world size, into its bucket slot while backward goes on; when a
bucket's last gradient arrives the bucket's sum over the ranks is started (one non-blocking
all-reduce; when the ranks run on one machine with room in its shared memory, a sum
through that memory instead, which copies less: ``ag.distributed.SharedSum``), and when the
last bucket has started, the reductions are awaited and the averages become the
parameters' ``.grad`` (views of an array made for that backward: no copy back). With the
loss averaged over each rank's share, the result is the gradient of the mean loss over the
whole batch, so ``optimizer.step()`` makes the same update on every rank.

Every parameter that requires grad must receive a gradient in each backward (as PyTorch's
default ``find_unused_parameters=False``); otherwise its bucket never completes and the next
forward raises.
"""

import contextlib

import numpy as np

from autograd import distributed as dist
from autograd.tensor import Tensor

from ..module import Module

_MEGABYTE = 1024 * 1024


class _Bucket:
    """Parameters of one dtype whose gradients are all-reduced together in one flat array.

    ``views[i]`` is parameter i's slot in ``flat``, shaped like it. When the ranks share a
    machine (``SharedSum.fits``), ``flat`` is this rank's row of a ``SharedSum`` (one of
    two arrays, in turn) and ``reduce`` returns the sum as a new array; otherwise ``flat``
    is made anew for every backward (the previous one became the parameters' ``.grad``) and
    summed in place by a non-blocking MPI all-reduce, ``work``.
    """

    def __init__(self, params, shared):
        self.params = params
        self.size = sum(param.data.size for param in params)
        self.shared = dist.SharedSum(self.size, params[0].dtype) if shared else None
        self.work = None
        self.total = None  # the summed gradients once reduced
        self.reset()

    def slots(self, flat):
        """``flat`` cut into one array per parameter, shaped like it."""
        views, offset = [], 0
        for param in self.params:
            views.append(flat[offset : offset + param.data.size].reshape(param.shape))
            offset += param.data.size
        return views

    def reset(self):
        if self.shared is not None:
            self.flat = self.shared.local
        else:
            self.flat = np.empty(self.size, dtype=self.params[0].dtype)
        self.views = self.slots(self.flat)
        self.ready = [False] * len(self.params)
        self.pending = len(self.params)

    def reduce(self):
        """Start (MPI) or do (shared memory) the sum over the ranks of ``flat``."""
        if self.shared is not None:
            self.total = self.shared.sum()
        else:
            self.work = dist.all_reduce(Tensor._make(self.flat), async_op=True)

    def wait(self):
        """The summed gradients, one array per parameter; the bucket is ready for the next
        backward."""
        if self.work is not None:
            self.work.wait()
            self.work, self.total = None, self.flat
        totals = self.slots(self.total)
        self.total = None
        self.reset()
        return totals


def _assign_buckets(params, cap_bytes, shared):
    """Group ``params`` (in the given order) into buckets of one dtype and at most
    ``cap_bytes`` bytes each (a single larger parameter gets a bucket of its own), summed
    through shared memory if ``shared``."""
    open_buckets = {}  # dtype -> (params, bytes) of the bucket being filled
    buckets = []
    for param in params:
        members, size = open_buckets.get(param.dtype, ([], 0))
        if members and size + param.data.nbytes > cap_bytes:
            buckets.append(members)
            members, size = [], 0
        members.append(param)
        open_buckets[param.dtype] = (members, size + param.data.nbytes)
    buckets.extend(members for members, _ in open_buckets.values())
    return [_Bucket(members, shared) for members in buckets]


def _broadcast_coalesced(tensors, src):
    """Broadcast the tensors' values from rank ``src``: one call per dtype, on a flat copy."""
    by_dtype = {}
    for tensor in tensors:
        by_dtype.setdefault(tensor.dtype, []).append(tensor)
    for group in by_dtype.values():
        flat = np.concatenate([tensor.data.ravel() for tensor in group])
        dist.broadcast(Tensor._make(flat), src)
        if dist.get_rank() == src:
            continue
        offset = 0
        for tensor in group:
            size = tensor.data.size
            np.copyto(tensor.data, flat[offset : offset + size].reshape(tensor.shape))
            offset += size


def _check_same_parameters(params):
    """Raise on every rank when the ranks' models differ in parameter count or shapes."""
    signature = np.array([len(params), *(param.data.size for param in params)], dtype=np.int64)
    lengths = [Tensor._make(np.zeros(1, dtype=np.int64)) for _ in range(dist.get_world_size())]
    dist.all_gather(lengths, Tensor._make(signature[:1].copy()))
    if any(int(length.data[0]) != len(params) for length in lengths):
        counts = [int(length.data[0]) for length in lengths]
        raise RuntimeError(f"DistributedDataParallel: the ranks' models differ: {counts} params")
    gathered = [Tensor._make(np.empty_like(signature)) for _ in lengths]
    dist.all_gather(gathered, Tensor._make(signature))
    if any(not np.array_equal(other.data, signature) for other in gathered):
        raise RuntimeError(
            "DistributedDataParallel: the ranks' models differ in their parameters' sizes"
        )


class DistributedDataParallel(Module):
    """Data parallelism over the default process group (``ag.distributed``).

    Args:
        module: the model; each rank builds the same one. ``self.module`` is that module,
            and ``state_dict()`` keys carry the ``module.`` prefix, as in PyTorch.
        broadcast_buffers: copy rank 0's buffers to every rank at the start of each forward
            (PyTorch's default). Batch statistics are still computed per rank.
        bucket_cap_mb: the size of a gradient bucket in megabytes (default 25).

    >>> ag.distributed.init_process_group(backend="mpi")            # doctest: +SKIP
    >>> model = nn.parallel.DistributedDataParallel(nn.Linear(4, 2))  # doctest: +SKIP
    >>> model(x_share).pow(2).mean().backward()    # .grad: the average over ranks  # +SKIP
    """

    def __init__(self, module, *, broadcast_buffers=True, bucket_cap_mb=None):
        super().__init__()
        if not isinstance(module, Module):
            raise TypeError(
                f"DistributedDataParallel: module must be an nn.Module, got {type(module).__name__}"
            )
        if bucket_cap_mb is None:
            bucket_cap_mb = 25
        if not bucket_cap_mb > 0:
            raise ValueError(
                f"DistributedDataParallel: bucket_cap_mb must be > 0, got {bucket_cap_mb}"
            )
        dist.get_world_size()  # raises when the process group is not initialised
        self.module = module
        self.broadcast_buffers = broadcast_buffers
        self.bucket_cap_mb = bucket_cap_mb
        self.require_backward_grad_sync = True
        self._sync_next_backward = True
        params = [param for param in module.parameters() if param.requires_grad]
        _check_same_parameters(params)
        _broadcast_coalesced([*module.parameters(), *module.buffers()], src=0)
        shared = dist.SharedSum.fits(sum(param.data.nbytes for param in params))
        self._buckets = _assign_buckets(params[::-1], bucket_cap_mb * _MEGABYTE, shared)
        self._started = 0  # buckets whose reduction has started in this backward
        self._hook_handles = [
            param.register_post_accumulate_grad_hook(self._make_hook(bucket, index))
            for bucket in self._buckets
            for index, param in enumerate(bucket.params)
        ]

    def forward(self, *inputs, **kwargs):
        self._check_previous_reduction()
        if self.broadcast_buffers and dist.get_world_size() > 1:
            buffers = list(self.module.buffers())
            if buffers:
                _broadcast_coalesced(buffers, src=0)
        self._sync_next_backward = self.require_backward_grad_sync
        return self.module(*inputs, **kwargs)

    @contextlib.contextmanager
    def no_sync(self):
        """Backward passes of forwards run inside this context only accumulate local
        gradients; the first backward after it averages the accumulated sums."""
        previous = self.require_backward_grad_sync
        self.require_backward_grad_sync = False
        try:
            yield
        finally:
            self.require_backward_grad_sync = previous

    def _check_previous_reduction(self):
        missing = [
            param
            for bucket in self._buckets
            if bucket.pending != len(bucket.params)
            for param, ready in zip(bucket.params, bucket.ready)
            if not ready
        ]
        if not missing:
            return
        names = {id(param): name for name, param in self.module.named_parameters()}
        listed = ", ".join(names.get(id(param), "?") for param in missing)
        raise RuntimeError(
            "DistributedDataParallel: expected to have finished reduction in the prior "
            "iteration before starting a new one: these parameters received no gradient in "
            f"the last backward: {listed}. Every parameter that requires grad must take part "
            "in the loss."
        )

    def _make_hook(self, bucket, index):
        def hook(param):
            if self._sync_next_backward:
                self._mark_ready(bucket, index)

        return hook

    def _mark_ready(self, bucket, index):
        """Put the parameter's finished local gradient, divided by the world size, in its
        slot; the last one in reduces the bucket (a sum: the average), and the last bucket
        to be reduced finishes them all."""
        if bucket.shared is not None and not bucket.shared.alive:
            raise RuntimeError(
                "DistributedDataParallel: the process group it was made in has been destroyed"
            )
        np.multiply(
            bucket.params[index].grad.data, 1.0 / dist.get_world_size(), out=bucket.views[index]
        )
        bucket.ready[index] = True
        bucket.pending -= 1
        if bucket.pending:
            return
        bucket.reduce()
        self._started += 1
        if self._started == len(self._buckets):
            self._finish_reduction()

    def _finish_reduction(self):
        """Wait for every bucket's sum; its slots become the ``.grad``s (no copy back)."""
        for bucket in self._buckets:
            for param, total in zip(bucket.params, bucket.wait()):
                param.grad = Tensor._make(total)
        self._started = 0
