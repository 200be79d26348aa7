"""Truncated backpropagation through time: a GRU language-model-style predictor of a long
sine wave, trained chunk by chunk.

The series (length 2,000) is cut into chunks of 25 steps. The hidden state is carried from
one chunk to the next, so the model sees the whole history in its forward pass, but it is
detached between chunks: each backward pass stops at the chunk boundary, so its cost and
memory do not grow with the length of the series. That is truncated BPTT.

    python examples/truncated_bptt.py

Prints the mean loss of each epoch; exits with status 1 if the final epoch's mean squared
error of next-step prediction is not below 0.01 (predicting the last value gives ~0.02).
"""

import sys

import numpy as np

import autograd as ag
import nn
import nn.functional as F
import optim

LENGTH, CHUNK, BATCH = 2000, 25, 8


def make_series(seed=0):
    """(BATCH, LENGTH + 1, 1): sine waves of random phase and period 20 to 40 steps."""
    rng = np.random.default_rng(seed)
    steps = np.arange(LENGTH + 1)
    periods = rng.uniform(20, 40, (BATCH, 1))
    phases = rng.uniform(0, 2 * np.pi, (BATCH, 1))
    return np.sin(2 * np.pi * steps / periods + phases)[..., None].astype(np.float32)


class Predictor(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.gru = nn.GRU(1, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x, h=None):
        output, h = self.gru(x, h)
        return self.head(output), h


def train(epochs=3, seed=0, log=print):
    """Train with truncated BPTT; return the mean loss of each epoch."""
    ag.manual_seed(seed)
    series = make_series(seed)
    model = Predictor()
    optimizer = optim.Adam(model.parameters(), lr=1e-2)
    history = []
    for epoch in range(epochs):
        h = None
        losses = []
        for start in range(0, LENGTH, CHUNK):
            x = ag.tensor(series[:, start : start + CHUNK])
            y = ag.tensor(series[:, start + 1 : start + CHUNK + 1])
            prediction, h = model(x, h)
            h = h.detach()  # carry the state forward, but cut the graph at the boundary
            loss = F.mse_loss(prediction, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        history.append(float(np.mean(losses)))
        log(f"epoch {epoch + 1}: mean loss {history[-1]:.5f}")
    return history


if __name__ == "__main__":
    losses = train()
    sys.exit(0 if losses[-1] < 0.01 else 1)
