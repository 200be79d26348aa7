"""The classic XOR network, trained with chainrule's autograd.

A 2-2-1 network with sigmoid hidden and output units learns XOR by minimising the mean
squared error with plain full-batch gradient descent (lr 0.5, 5,000 steps), the update
written by hand. Prints the loss every 1,000 steps and the final predictions; exits with
status 1 if a prediction lands on the wrong side of 0.5.

    python examples/xor.py
"""

import sys

import autograd as ag

INPUTS = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
TARGETS = [[0.0], [1.0], [1.0], [0.0]]
SEED = 0


def train(steps=5000, lr=0.5, seed=SEED, log_every=1000):
    """Train the 2-2-1 sigmoid network on XOR; return the predictions, shape (4, 1).

    hidden = sigmoid(x @ w1 + b1), out = sigmoid(hidden @ w2 + b2),
    loss = mean((out - y) ** 2), and each step p <- p - lr * dloss/dp.
    """
    ag.manual_seed(seed)
    x, y = ag.tensor(INPUTS), ag.tensor(TARGETS)
    w1 = ag.randn(2, 2, requires_grad=True)
    b1 = ag.randn(2, requires_grad=True)
    w2 = ag.randn(2, 1, requires_grad=True)
    b2 = ag.randn(1, requires_grad=True)
    params = (w1, b1, w2, b2)

    def forward(inputs):
        hidden = (inputs @ w1 + b1).sigmoid()
        return (hidden @ w2 + b2).sigmoid()

    for step in range(1, steps + 1):
        loss = ((forward(x) - y) ** 2).mean()
        loss.backward()
        with ag.no_grad():
            for p in params:
                p -= lr * p.grad
                p.grad = None
        if log_every and step % log_every == 0:
            print(f"step {step:5d}  loss {loss.item():.6f}")
    with ag.no_grad():
        return forward(x)


def learned(predictions):
    """True when every prediction is on the target's side of 0.5."""
    rows = zip(predictions.tolist(), TARGETS)
    return all((prediction[0] > 0.5) == (target[0] > 0.5) for prediction, target in rows)


def main():
    predictions = train()
    for inputs, target, prediction in zip(INPUTS, TARGETS, predictions.tolist()):
        print(f"{inputs} -> {prediction[0]:.4f}  (target {target[0]:.0f})")
    if not learned(predictions):
        print("XOR was not learned", file=sys.stderr)
        return 1
    print("XOR learned")
    return 0


if __name__ == "__main__":
    sys.exit(main())
