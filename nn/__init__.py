"""chainrule's neural-network package: it stands where ``torch.nn`` stands.

``import nn``; ``import nn.functional as F``. Layers live in ``nn/modules`` by kind,
stateless forms in ``nn/functional``, initialisers in ``nn.init``, gradient utilities in
``nn.utils``.
"""

from . import functional, init, utils
from .module import Module, current_module_path, module_path_stack
from .parameter import Parameter

# ---- layers: one block per module of nn/modules ----
# activation.py
from .modules.activation import (
    ELU,
    GELU,
    Hardtanh,
    LeakyReLU,
    LogSigmoid,
    LogSoftmax,
    ReLU,
    ReLU6,
    SiLU,
    Sigmoid,
    Softmax,
    Softplus,
    Tanh,
)

# containers.py
from .modules.containers import ModuleDict, ModuleList, Sequential

# conv.py
from .modules.conv import Conv1d, Conv2d, ConvTranspose2d

# dropout.py
from .modules.dropout import Dropout, Dropout2d

# embedding.py
from .modules.embedding import Embedding

# flatten.py
from .modules.flatten import Flatten, Unflatten

# linear.py
from .modules.linear import Bilinear, Identity, Linear

# loss.py
from .modules.loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)

# normalization.py
from .modules.normalization import BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm

# pooling.py
from .modules.pooling import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d

# rnn.py, rnn_cell.py
from .modules.rnn import GRU, LSTM, RNN, RNNBase
from .modules.rnn_cell import GRUCell, LSTMCell, RNNCell, RNNCellBase

# attention.py
from .modules.attention import MultiheadAttention

# positional.py
from .modules.positional import PositionalEncoding, sinusoidal_positional_encoding

# transformer.py
from .modules.transformer import (
    TransformerDecoder,
    TransformerDecoderLayer,
    TransformerEncoder,
    TransformerEncoderLayer,
)
