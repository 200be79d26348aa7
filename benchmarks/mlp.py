"""One training step of an MLP: chainrule against PyTorch (issue "nn", performance).

784-512-256-10 with ReLU, batch 128, float32, cross-entropy, ``optim.SGD`` (lr 0.01): the
forward pass, backward pass, zero_grad and step. Both libraries start from the same
weights and data. Prints milliseconds per step (the median of several repeats, timed in
turn so that load from other processes weighs on both alike) and the ratio; target:
chainrule at most 1.0x PyTorch.

Usage: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/mlp.py [--quick]
"""

import argparse
import itertools

import numpy as np
from common import interleaved_medians, optional_torch, ratio, report_environment

import autograd as ag
import nn
import optim

SIZES = (784, 512, 256, 10)
BATCH = 128


def build(lib_nn, lib_optim):
    """The MLP, its loss and its optimizer (SGD, lr 0.01)."""
    layers = []
    for fan_in, fan_out in itertools.pairwise(SIZES):
        layers += [lib_nn.Linear(fan_in, fan_out), lib_nn.ReLU()]
    model = lib_nn.Sequential(*layers[:-1])
    return model, lib_nn.CrossEntropyLoss(), lib_optim.SGD(model.parameters(), lr=0.01)


def training_step(model, loss_fn, optimizer, inputs, targets):
    """zero_grad, forward, loss, backward, step; returns the loss."""
    optimizer.zero_grad()
    loss = loss_fn(model(inputs), targets)
    loss.backward()
    optimizer.step()
    return loss


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    report_environment()
    rng = np.random.default_rng(0)
    inputs = rng.standard_normal((BATCH, SIZES[0]), dtype=np.float32)
    targets = rng.integers(0, SIZES[-1], BATCH)

    ag.manual_seed(0)
    model, loss_fn, optimizer = build(nn, optim)
    x, t = ag.tensor(inputs), ag.tensor(targets)
    functions = [lambda: training_step(model, loss_fn, optimizer, x, t)]
    names = ["chainrule"]
    torch = optional_torch()
    if torch is not None:
        weights = {name: p.data.copy() for name, p in model.named_parameters()}
        their_model, their_loss, their_optimizer = build(torch.nn, torch.optim)
        with torch.no_grad():
            for name, param in their_model.named_parameters():
                param.copy_(torch.from_numpy(weights[name]))
        x_t, t_t = torch.from_numpy(inputs), torch.from_numpy(targets)
        ours = training_step(model, loss_fn, optimizer, x, t).item()
        theirs = training_step(their_model, their_loss, their_optimizer, x_t, t_t).item()
        print(f"first-step loss: chainrule {ours:.6f}  PyTorch {theirs:.6f}")
        functions.append(lambda: training_step(their_model, their_loss, their_optimizer, x_t, t_t))
        names.append("PyTorch")
    medians = interleaved_medians(functions, repeats=5 if args.quick else 21)
    print(f"mlp {'-'.join(map(str, SIZES))}, batch {BATCH}, SGD step (median ms per step):")
    for name, milliseconds in zip(names, medians):
        print(f"  {name:10s} {milliseconds:8.3f} ms")
    if len(medians) == 2:
        print(f"  ratio      {ratio(*medians)} (target <= 1.00x)")


if __name__ == "__main__":
    main()
