"""CNN training step (issue "nn", performance): chainrule against PyTorch in one run.

Input (64, 1, 28, 28) float32, Conv2d(1, 32, 3) ReLU MaxPool2d(2) Conv2d(32, 64, 3) ReLU
MaxPool2d(2) Flatten Linear(1600, 64) ReLU Linear(64, 10), cross-entropy, Adam (lr 1e-3).
Both models start from the same weights; prints the median ms per training step (zero_grad,
forward, loss, backward, step) and the ratio. Target: at most 2.0x PyTorch.

Usage: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/cnn.py [--profile]
"""

import argparse
import cProfile
import pstats
import statistics

import numpy as np
from common import median_time, optional_torch, ratio, report_environment

import autograd as ag
import nn
import nn.functional as F
import optim

BATCH = 64


def build(lib_nn):
    return lib_nn.Sequential(
        lib_nn.Conv2d(1, 32, 3),
        lib_nn.ReLU(),
        lib_nn.MaxPool2d(2),
        lib_nn.Conv2d(32, 64, 3),
        lib_nn.ReLU(),
        lib_nn.MaxPool2d(2),
        lib_nn.Flatten(),
        lib_nn.Linear(1600, 64),
        lib_nn.ReLU(),
        lib_nn.Linear(64, 10),
    )


def cross_entropy(logits, target):
    """F.cross_entropy where it exists, else the mean negative log_softmax at the targets."""
    if hasattr(F, "cross_entropy"):
        return F.cross_entropy(logits, target)
    rows = ag.arange(logits.shape[0])
    return -F.log_softmax(logits, dim=1)[rows, target].mean()


def chainrule_step(model, optimizer, x, target):
    def step():
        optimizer.zero_grad()
        loss = cross_entropy(model(x), target)
        loss.backward()
        optimizer.step()
        return loss

    return step


def torch_step(torch, model, optimizer, x, target):
    def step():
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), target)
        loss.backward()
        optimizer.step()
        return loss

    return step


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true", help="cProfile chainrule's step")
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    report_environment()
    rng = np.random.default_rng(0)
    images = rng.standard_normal((BATCH, 1, 28, 28)).astype(np.float32)
    labels = rng.integers(0, 10, BATCH)

    ag.manual_seed(0)
    model = build(nn)
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    ours = chainrule_step(model, optimizer, ag.tensor(images), ag.tensor(labels))
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [ours() for _ in range(20)])
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return
    torch = optional_torch()
    if torch is None:
        print(f"chainrule  {median_time(ours, repeats=args.repeats) * 1e3:7.2f} ms/step")
        return
    reference = build(torch.nn)
    reference.load_state_dict(
        {key: torch.tensor(value.data) for key, value in model.state_dict().items()}
    )
    reference_optimizer = torch.optim.Adam(reference.parameters(), lr=1e-3)
    theirs = torch_step(
        torch, reference, reference_optimizer, torch.tensor(images), torch.tensor(labels)
    )
    # Alternate the two in rounds so that load from other processes hits both alike.
    ours_times, theirs_times = [], []
    for _ in range(args.repeats):
        ours_times.append(median_time(ours, repeats=3, number=3))
        theirs_times.append(median_time(theirs, repeats=3, number=3))
    ours_time, theirs_time = statistics.median(ours_times), statistics.median(theirs_times)
    print(f"chainrule  {ours_time * 1e3:7.2f} ms/step")
    print(f"PyTorch    {theirs_time * 1e3:7.2f} ms/step  ({torch.get_num_threads()} threads)")
    print(f"ratio      {ratio(ours_time, theirs_time)} (target <= 2.0x; medians, noisy machine)")


if __name__ == "__main__":
    main()
