"""One training step of a recurrent model: chainrule against PyTorch (issue 6, performance).

tanh RNN and LSTM, input 32, hidden 128, sequence 50, batch 32, batch_first; Linear(128, 1)
on the last step, MSE loss, Adam. Milliseconds per step (forward, backward, Adam), median
of interleaved repeats; the machine is shared, so expect noise of up to 25%. Targets: rnn
at most 1.0x PyTorch, lstm at most 1.2x.

Usage: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/rnn.py [--quick]
"""

import argparse

import numpy as np
from common import interleaved_medians, optional_torch, ratio, report_environment

import autograd as ag
import nn
import optim

BATCH, STEPS, INPUT, HIDDEN = 32, 50, 32, 128


def training_step(lib, nn_module, optim_module, kind):
    """A closure running one step of forward, backward and Adam for ``lib`` (ag or torch)."""
    rng = np.random.default_rng(0)
    x = lib.tensor(rng.standard_normal((BATCH, STEPS, INPUT), dtype=np.float32))
    y = lib.tensor(rng.standard_normal((BATCH, 1), dtype=np.float32))
    recurrent = getattr(nn_module, kind)(INPUT, HIDDEN, batch_first=True)
    head = nn_module.Linear(HIDDEN, 1)
    params = list(recurrent.parameters()) + list(head.parameters())
    optimizer = optim_module.Adam(params, lr=1e-3)

    def step():
        optimizer.zero_grad()
        output, _ = recurrent(x)
        loss = ((head(output[:, -1]) - y) ** 2).mean()
        loss.backward()
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
    for name, kind in (("rnn", "RNN"), ("lstm", "LSTM")):
        steps = [training_step(ag, nn, optim, kind)]
        if torch is not None:
            steps.append(training_step(torch, torch.nn, torch.optim, kind))
        ours, theirs = [*interleaved_medians(steps, repeats), float("nan")][:2]
        print(f"{name:<12}{ours:>10.2f}ms{theirs:>10.2f}ms{ratio(ours, theirs):>8}")


if __name__ == "__main__":
    main()
