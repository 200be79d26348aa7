"""The models ``chainrule train --model`` builds, each sized from the dataset it trains on.

A dataset is described by ``input_shape`` (``(C, H, W)`` for images, ``(F,)`` for points)
and ``classes``. Every model maps a batch of inputs to ``classes`` logits.

- ``mlp``: flatten, two hidden ReLU layers of 128, a linear classifier.
- ``cnn`` (images only): conv 3x3 (32) ReLU, [max-pool 2 when the image is 16 pixels or
  more], conv 3x3 (64) ReLU, max-pool 2, dropout 0.25, linear 128 ReLU, linear classifier.
- ``rnn``: a GRU (hidden 64) reads an image row by row (a point coordinate by coordinate);
  its last hidden state feeds a linear classifier.
- ``transformer``: each row (coordinate) becomes a 32-wide token plus a learned position
  embedding, two encoder layers (4 heads), mean over tokens, linear classifier.
"""

import math

import autograd as ag
import nn

MODELS = ("mlp", "cnn", "rnn", "transformer")


class ModelError(ValueError):
    """A model that cannot be built for this dataset (or this build of chainrule)."""


def _require(*names):
    missing = [name for name in names if not hasattr(nn, name)]
    if missing:
        raise ModelError(f"this chainrule has no nn.{', nn.'.join(missing)} yet")
    return [getattr(nn, name) for name in names]


def mlp(input_shape, classes, hidden=128):
    return nn.Sequential(
        nn.Flatten(),
        nn.Linear(math.prod(input_shape), hidden),
        nn.ReLU(),
        nn.Linear(hidden, hidden),
        nn.ReLU(),
        nn.Linear(hidden, classes),
    )


def cnn(input_shape, classes):
    if len(input_shape) != 3:
        raise ModelError(f"cnn needs an image dataset, not inputs of shape {list(input_shape)}")
    conv2d, max_pool2d = _require("Conv2d", "MaxPool2d")
    channels, height, width = input_shape
    early_pool = [max_pool2d(2)] if min(height, width) >= 16 else []
    pools = 1 + len(early_pool)
    features = 64 * (height >> pools) * (width >> pools)
    return nn.Sequential(
        conv2d(channels, 32, 3, padding=1),
        nn.ReLU(),
        *early_pool,
        conv2d(32, 64, 3, padding=1),
        nn.ReLU(),
        max_pool2d(2),
        nn.Dropout(0.25),
        nn.Flatten(),
        nn.Linear(features, 128),
        nn.ReLU(),
        nn.Linear(128, classes),
    )


def _tokens(inputs):
    """(N, C, H, W) images -> (N, H, C * W) rows; (N, F) points -> (N, F, 1)."""
    if inputs.ndim == 2:
        return inputs.unsqueeze(-1)
    batch, channels, height, width = inputs.shape
    return inputs.permute(0, 2, 1, 3).reshape(batch, height, channels * width)


def _token_shape(input_shape):
    """(sequence length, features per token) of ``_tokens``."""
    if len(input_shape) == 1:
        return input_shape[0], 1
    channels, height, width = input_shape
    return height, channels * width


class RecurrentClassifier(nn.Module):
    """A GRU over the input's rows; the last hidden state is classified."""

    def __init__(self, input_shape, classes, hidden=64):
        super().__init__()
        (gru,) = _require("GRU")
        self.rnn = gru(_token_shape(input_shape)[1], hidden, batch_first=True)
        self.head = nn.Linear(hidden, classes)

    def forward(self, inputs):
        _, hidden = self.rnn(_tokens(inputs))
        return self.head(hidden[-1])


class TransformerClassifier(nn.Module):
    """Tokens from the input's rows, a TransformerEncoder, mean pooling, a classifier."""

    def __init__(self, input_shape, classes, width=32, heads=4, layers=2):
        super().__init__()
        layer_class, encoder_class = _require("TransformerEncoderLayer", "TransformerEncoder")
        length, features = _token_shape(input_shape)
        self.embed = nn.Linear(features, width)
        self.position = nn.Parameter(ag.randn(length, width) * 0.02)
        layer = layer_class(width, heads, dim_feedforward=2 * width, dropout=0.0, batch_first=True)
        self.encoder = encoder_class(layer, layers)
        self.head = nn.Linear(width, classes)

    def forward(self, inputs):
        tokens = self.embed(_tokens(inputs)) + self.position
        return self.head(self.encoder(tokens).mean(dim=1))


def build_model(name, input_shape, classes):
    """The model ``name`` (one of ``MODELS``) for inputs of ``input_shape`` and ``classes``
    classes; raises ModelError when it does not fit the data."""
    builders = {
        "mlp": mlp,
        "cnn": cnn,
        "rnn": RecurrentClassifier,
        "transformer": TransformerClassifier,
    }
    if name not in builders:
        raise ModelError(f"unknown model {name!r} (choose from {', '.join(MODELS)})")
    return builders[name](tuple(input_shape), classes)
