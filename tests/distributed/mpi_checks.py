"""Checks that need two MPI ranks: ``tests/test_distributed.py`` runs this file with
``mpiexec -n 2 python -m pytest tests/distributed/mpi_checks.py`` (its name keeps plain
``pytest tests/`` from collecting it in one process).

Every assertion is made on gathered or rank-independent values, so both ranks pass or fail
together and neither is left waiting in a collective.
"""

import os

import numpy as np
import pytest

import autograd as ag
import nn
import optim
from autograd import distributed as dist
from nn.parallel import DistributedDataParallel

STEPS = 10
BATCH = 8


@pytest.fixture(scope="module", autouse=True)
def process_group():
    dist.init_process_group(backend="mpi")
    assert dist.get_world_size() == 2, "run with mpiexec -n 2"
    yield
    dist.destroy_process_group()


def gathered(array):
    """Every rank's copy of ``array``, rank by rank."""
    tensor = ag.from_numpy(np.ascontiguousarray(array))
    parts = [ag.zeros_like(tensor) for _ in range(dist.get_world_size())]
    dist.all_gather(parts, tensor)
    return [part.numpy() for part in parts]


def make_model(batch_norm=False):
    ag.manual_seed(0)
    layers = [nn.Linear(5, 16), nn.Tanh(), nn.Linear(16, 8), nn.Tanh(), nn.Linear(8, 3)]
    if batch_norm:
        layers.insert(1, nn.BatchNorm1d(16))
    return nn.Sequential(*layers).double()


def batches(count, size):
    generator = np.random.default_rng(1)
    return [
        (
            ag.from_numpy(generator.normal(size=(size, 5))),
            ag.from_numpy(generator.normal(size=(size, 3))),
        )
        for _ in range(count)
    ]


def rank_share(tensor):
    """This rank's half of a batch."""
    half = tensor.shape[0] // dist.get_world_size()
    return tensor[dist.get_rank() * half : (dist.get_rank() + 1) * half]


def train(model, optimizer, data, forward):
    loss_fn = nn.MSELoss()
    for inputs, targets in data:
        optimizer.zero_grad()
        loss_fn(forward(inputs), targets).backward()
        optimizer.step()


FULL_DISK = os.statvfs_result((4096, 4096, 1000, 0, 0, 100, 0, 0, 0, 255))  # f_bavail = 0

OPTIMIZERS = {
    "sgd": lambda params: optim.SGD(params, lr=0.1, momentum=0.9),
    "adam": lambda params: optim.Adam(params, lr=0.01),
}


@pytest.mark.parametrize("through", ["shared memory", "MPI messages"])
@pytest.mark.parametrize("bucket_cap_mb", [None, 0.0005])
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_two_halves_match_one_process_on_the_whole_batch(name, bucket_cap_mb, through, monkeypatch):
    if through == "MPI messages":  # as when /dev/shm is full, or the ranks on two machines
        monkeypatch.setattr(dist.os, "statvfs", lambda path: FULL_DISK)
    data = batches(STEPS, BATCH)
    reference = make_model()
    train(reference, OPTIMIZERS[name](reference.parameters()), data, reference)

    model = make_model()
    if dist.get_rank() != 0:  # construction must broadcast rank 0's weights
        for param in model.parameters():
            param.data[...] = 7.0
    ddp = DistributedDataParallel(model, bucket_cap_mb=bucket_cap_mb)
    if bucket_cap_mb is not None:
        assert len(ddp._buckets) > 2
    assert all(
        (bucket.shared is not None) == (through == "shared memory") for bucket in ddp._buckets
    )
    shares = [(rank_share(inputs), rank_share(targets)) for inputs, targets in data]
    train(model, OPTIMIZERS[name](ddp.parameters()), shares, ddp)

    for (name_, param), expected in zip(model.named_parameters(), reference.parameters()):
        for copy in gathered(param.data):
            np.testing.assert_allclose(copy, expected.data, rtol=0, atol=1e-6, err_msg=name_)


def test_no_sync_accumulates_locally_then_averages_the_sum():
    (first_x, first_y), (second_x, second_y) = batches(2, BATCH)
    loss_fn = nn.MSELoss()
    reference = make_model()
    loss_fn(reference(first_x), first_y).backward()
    loss_fn(reference(second_x), second_y).backward()

    local = make_model()
    loss_fn(local(rank_share(first_x)), rank_share(first_y)).backward()

    model = make_model()
    ddp = DistributedDataParallel(model)
    with ddp.no_sync():
        loss_fn(ddp(rank_share(first_x)), rank_share(first_y)).backward()
    for param, expected in zip(model.parameters(), local.parameters()):
        np.testing.assert_array_equal(param.grad.numpy(), expected.grad.numpy())
    loss_fn(ddp(rank_share(second_x)), rank_share(second_y)).backward()
    for param, expected in zip(model.parameters(), reference.parameters()):
        for copy in gathered(param.grad.data):
            np.testing.assert_allclose(copy, expected.grad.data, rtol=0, atol=1e-12)


def test_batch_norm_statistics_stay_per_rank():
    ((inputs, _),) = batches(1, BATCH)
    local = make_model(batch_norm=True)
    expected = local(rank_share(inputs))
    model = make_model(batch_norm=True)
    output = DistributedDataParallel(model)(rank_share(inputs))
    np.testing.assert_allclose(output.data, expected.data, rtol=0, atol=1e-12)
    running_mean = model[1].running_mean.numpy()
    np.testing.assert_allclose(running_mean, local[1].running_mean.numpy(), atol=1e-15)
    first, second = gathered(running_mean)
    assert not np.allclose(first, second)


def test_module_forward_and_state_dict_keys():
    model = make_model()
    ddp = DistributedDataParallel(model)
    assert ddp.module is model
    assert list(ddp.state_dict()) == [f"module.{key}" for key in model.state_dict()]
    inputs = ag.ones(2, 5, dtype=ag.float64)
    np.testing.assert_array_equal(ddp(inputs).data, model(inputs).data)


def test_unused_parameter_raises_at_the_next_forward():
    model = make_model()
    ddp = DistributedDataParallel(model, bucket_cap_mb=0.0005)
    inputs = ag.ones(2, 5, dtype=ag.float64)
    model[2](model[0](inputs)).sum().backward()  # the last Linear gets no gradient
    with pytest.raises(RuntimeError, match=r"received no gradient.*4\.weight"):
        ddp(inputs)


def test_ddp_argument_errors():
    with pytest.raises(TypeError, match=r"must be an nn\.Module"):
        DistributedDataParallel(lambda x: x)
    with pytest.raises(ValueError, match="bucket_cap_mb"):
        DistributedDataParallel(make_model(), bucket_cap_mb=0)


@pytest.mark.parametrize(
    ("op", "expected"),
    [
        (dist.ReduceOp.SUM, [3.0, -3.0]),
        (dist.ReduceOp.AVG, [1.5, -1.5]),
        (dist.ReduceOp.PRODUCT, [2.0, 2.0]),
        (dist.ReduceOp.MIN, [1.0, -2.0]),
        (dist.ReduceOp.MAX, [2.0, -1.0]),
    ],
)
def test_all_reduce_ops(op, expected):
    rank = dist.get_rank()
    tensor = ag.tensor([rank + 1.0, -(rank + 1.0)], dtype=ag.float64)
    dist.all_reduce(tensor, op=op)
    np.testing.assert_array_equal(tensor.numpy(), expected)


def test_all_reduce_dtypes_zero_d_and_strided_views():
    rank = dist.get_rank()
    integers = ag.tensor([rank, 10])
    dist.all_reduce(integers)
    np.testing.assert_array_equal(integers.numpy(), [1, 20])
    flags = ag.tensor([rank == 0, False])
    dist.all_reduce(flags, op=dist.ReduceOp.MAX)
    np.testing.assert_array_equal(flags.numpy(), [True, False])
    scalar = ag.tensor(float(rank))
    dist.all_reduce(scalar)
    assert scalar.shape == () and scalar.item() == 1.0
    base = np.arange(6.0).reshape(2, 3) * (rank + 1)
    view = ag.from_numpy(base.T)  # not C-contiguous: reduced through a copy, written back
    dist.all_reduce(view)
    np.testing.assert_array_equal(base, np.arange(6.0).reshape(2, 3) * 3)


def test_async_all_reduce_returns_work_done_after_wait():
    rank = dist.get_rank()
    base = np.arange(6.0).reshape(2, 3) * (rank + 1)
    view = ag.from_numpy(base.T)
    tensor = ag.tensor([rank + 1.0, 4.0])
    works = [
        dist.all_reduce(tensor, op=dist.ReduceOp.AVG, async_op=True),
        dist.all_reduce(view, async_op=True),
    ]
    assert dist.all_reduce(ag.zeros(1)) is None  # the blocking form returns nothing
    for work in works:
        assert work.wait() is True
        assert work.is_completed()
    np.testing.assert_array_equal(tensor.numpy(), [1.5, 4.0])
    np.testing.assert_array_equal(base, np.arange(6.0).reshape(2, 3) * 3)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_shared_sum_adds_every_rank_s_row_in_rank_order(dtype):
    rank = dist.get_rank()
    generator = np.random.default_rng(rank)
    shared = dist.SharedSum(1001, dtype)
    rows = []
    for step in range(4):  # the rows alternate between two sets: each is reused
        row = shared.local
        rows.append((generator.normal(size=1001) * 1e3 * (step + 1)).astype(dtype))
        row[...] = rows[-1]
        total = shared.sum()
        first, second = gathered(rows[-1])
        np.testing.assert_array_equal(total, first + second)
        assert total.dtype == dtype and not np.shares_memory(total, row)
        assert all(np.array_equal(copy, total) for copy in gathered(total))
        assert not np.shares_memory(shared.local, row)  # the next values go to the other set
        shared.local[...] = -1  # written at once: the other rank may still be reading `row`
        np.testing.assert_array_equal(row, rows[-1])
    total[...] = 0  # the result is this rank's own array
    np.testing.assert_array_equal(row, rows[-1])


def test_shared_sum_fits_only_on_one_machine_with_room(monkeypatch):
    assert dist.SharedSum.fits(1 << 20)  # mpiexec -n 2 on this machine
    assert not dist.SharedSum.fits(1 << 60)
    if dist.get_rank() == 1:  # one rank's doubt is everyone's answer

        def no_shm(path):
            raise FileNotFoundError(path)

        monkeypatch.setattr(dist.os, "statvfs", no_shm)
    assert not dist.SharedSum.fits(8)
    monkeypatch.undo()
    monkeypatch.setattr(dist._group, "one_node", False)
    assert not dist.SharedSum.fits(8)
    with pytest.raises(RuntimeError, match="do not all run on one machine"):
        dist.SharedSum(4, np.float32)


def test_destroying_the_group_frees_shared_memory_and_says_so():
    model = make_model()
    ddp = DistributedDataParallel(model)
    shared = ddp._buckets[0].shared
    assert shared.alive
    dist.destroy_process_group()
    dist.init_process_group(backend="mpi")  # a new group, for the tests after this one
    assert not shared.alive
    with pytest.raises(RuntimeError, match="process group was destroyed"):
        shared.sum()
    with pytest.raises(RuntimeError, match="process group was destroyed"):
        shared.local[...] = 0
    with pytest.raises(RuntimeError, match="has been destroyed"):
        model(ag.ones(2, 5, dtype=ag.float64)).sum().backward()


def test_broadcast_and_all_gather():
    rank = dist.get_rank()
    tensor = ag.full((2, 3), float(rank + 5))
    dist.broadcast(tensor, src=1)
    np.testing.assert_array_equal(tensor.numpy(), np.full((2, 3), 6.0))
    parts = [ag.zeros(2) for _ in range(2)]
    dist.all_gather(parts, ag.tensor([rank, rank * 10.0]))
    np.testing.assert_array_equal(np.stack([part.numpy() for part in parts]), [[0, 0], [1, 10]])


def test_collective_errors():
    tensor = ag.zeros(3)
    with pytest.raises(ValueError, match=r"src must be a rank in \[0, 2\)"):
        dist.broadcast(tensor, src=2)
    with pytest.raises(TypeError, match="AVG needs a floating-point"):
        dist.all_reduce(ag.tensor([1, 2]), op=dist.ReduceOp.AVG)
    with pytest.raises(TypeError, match="op must be a ReduceOp"):
        dist.all_reduce(tensor, op="sum")
    with pytest.raises(TypeError, match="expected a Tensor"):
        dist.all_reduce(np.zeros(3))
    with pytest.raises(ValueError, match="tensor_list has 1 tensors, the world size is 2"):
        dist.all_gather([ag.zeros(3)], tensor)
    with pytest.raises(ValueError, match=r"tensor_list\[1\] has shape \(2,\)"):
        dist.all_gather([ag.zeros(3), ag.zeros(2)], tensor)
    with pytest.raises(RuntimeError, match="read-only"):
        dist.all_reduce(ag.from_numpy(np.broadcast_to(np.zeros(1), (3,))))


def test_process_group_state_and_init_errors():
    assert dist.is_initialized() and dist.is_mpi_available()
    assert dist.get_backend() == "mpi"
    dist.barrier()
    with pytest.raises(RuntimeError, match="twice"):
        dist.init_process_group(backend="mpi")
    with pytest.raises(ValueError, match="backend must be 'mpi'"):
        dist.init_process_group(backend="nccl")
