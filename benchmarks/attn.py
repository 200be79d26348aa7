"""One training step of a TransformerEncoderLayer: chainrule against PyTorch (issue 6).

TransformerEncoderLayer(d_model=128, nhead=4, dim_feedforward=512, dropout=0.0,
batch_first=True), input (16, 64, 128), loss out.pow(2).mean(), Adam. Milliseconds per step
(forward, backward, Adam), median of interleaved repeats; the machine is shared, so expect
noise of up to 25%. Target: at most 1.5x PyTorch.

Usage: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/attn.py [--quick]
"""

import argparse

import numpy as np
from common import interleaved_medians, optional_torch, ratio, report_environment

import autograd as ag
import nn
import optim

SHAPE, D_MODEL = (16, 64, 128), 128


def training_step(lib, nn_module, optim_module):
    """A closure running one step of forward, backward and Adam for ``lib`` (ag or torch)."""
    x = lib.tensor(np.random.default_rng(0).standard_normal(SHAPE, dtype=np.float32))
    layer = nn_module.TransformerEncoderLayer(D_MODEL, 4, 512, dropout=0.0, batch_first=True)
    optimizer = optim_module.Adam(layer.parameters(), lr=1e-3)

    def step():
        optimizer.zero_grad()
        layer(x).pow(2).mean().backward()
        optimizer.step()

    return step


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    report_environment()
    torch = optional_torch()
    repeats = 3 if args.quick else 11
    print(f"{'train step':<12}{'chainrule':>12}{'torch':>12}{'ratio':>8}")
    steps = [training_step(ag, nn, optim)]
    if torch is not None:
        steps.append(training_step(torch, torch.nn, torch.optim))
    ours, theirs = [*interleaved_medians(steps, repeats), float("nan")][:2]
    print(f"{'attention':<12}{ours:>10.2f}ms{theirs:>10.2f}ms{ratio(ours, theirs):>8}")


if __name__ == "__main__":
    main()
