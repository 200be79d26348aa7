"""Cases for autograd/ops/activation.py, away from each kink; the fused backward ops
through a create_graph gradient. Activations are called as torch.nn.functional.<name>
in PyTorch and as autograd.ops.<name> here."""

from autograd import ops

from . import Case
from .elementwise import SHAPES, grad_of


def functional(lib):
    """torch.nn.functional for torch; autograd.ops, where the activations live, otherwise."""
    return lib.nn.functional if lib.__name__ == "torch" else ops


def log_sigmoid(lib, x):
    return functional(lib).logsigmoid(x) if lib.__name__ == "torch" else ops.log_sigmoid(x)


def _each_shape(op, fn, **options):
    return [Case(op, fn, (shape,), **options) for shape in SHAPES]


CASES = [
    *_each_shape("Relu", lambda lib, x: lib.relu(x), away_from=(0.0,)),
    Case("Relu", lambda lib, x: x.relu() * x, ((7,),), away_from=(0.0,), id="method"),
    Case(
        "ThresholdBackward",
        lambda lib, x, v: grad_of(lib, lib.relu(x) * x, x, v),
        ((3, 4), (3, 4)),
        away_from=(0.0,),
    ),
    Case(
        "ThresholdBackward",
        lambda lib, x, v: grad_of(lib, functional(lib).hardtanh(x), x, v) * x,
        ((), ()),
        away_from=(-1.0, 1.0),
        id="hardtanh",
    ),
    *_each_shape("Hardtanh", lambda lib, x: functional(lib).hardtanh(x), away_from=(-1.0, 1.0)),
    Case(
        "Hardtanh",
        lambda lib, x: functional(lib).hardtanh(x, -0.5, 1.5),
        ((9,),),
        away_from=(-0.5, 1.5),
        id="bounds",
    ),
    Case(
        "Hardtanh",
        lambda lib, x: functional(lib).relu6(x),
        ((3, 4),),
        low=-2.0,
        high=8.0,
        away_from=(0.0, 6.0),
        id="relu6",
    ),
    *_each_shape("LeakyRelu", lambda lib, x: functional(lib).leaky_relu(x), away_from=(0.0,)),
    Case(
        "LeakyRelu",
        lambda lib, x: functional(lib).leaky_relu(x, 0.3) * x,
        ((6,),),
        away_from=(0.0,),
        id="slope",
    ),
    *_each_shape("Elu", lambda lib, x: functional(lib).elu(x), low=-4.0, away_from=(0.0,)),
    Case("Elu", lambda lib, x: functional(lib).elu(x, 0.5), ((8,),), away_from=(0.0,), id="alpha"),
    Case(
        "EluBackward",
        lambda lib, x, v: grad_of(lib, functional(lib).elu(x, 0.7), x, v),
        ((3, 4), (3, 4)),
        low=-3.0,
        away_from=(0.0,),
    ),
    *_each_shape("Softplus", lambda lib, x: functional(lib).softplus(x), low=-5.0, high=5.0),
    Case(
        "Softplus",
        lambda lib, x: functional(lib).softplus(x, beta=2.0, threshold=3.0),
        ((4, 5),),
        away_from=(1.5,),
        id="threshold",
    ),
    *_each_shape("LogSigmoid", log_sigmoid, low=-6.0, high=6.0),
    Case("LogSigmoid", log_sigmoid, ((6,),), low=-40.0, high=40.0, id="wide"),
    *_each_shape("Silu", lambda lib, x: functional(lib).silu(x), low=-5.0, high=5.0),
    *_each_shape("Gelu", lambda lib, x: functional(lib).gelu(x), low=-4.0, high=4.0),
    Case(
        "Gelu",
        lambda lib, x: functional(lib).gelu(x, approximate="tanh"),
        ((3, 4),),
        low=-4.0,
        high=4.0,
        id="tanh",
    ),
    Case(
        "GeluBackward",
        lambda lib, x, v: grad_of(lib, functional(lib).gelu(x), x, v),
        ((3, 4), (3, 4)),
        low=-3.0,
        high=3.0,
    ),
    Case(
        "GeluBackward",
        lambda lib, x, v: grad_of(lib, functional(lib).gelu(x, approximate="tanh"), x, v),
        ((3, 4), (3, 4)),
        low=-3.0,
        high=3.0,
        id="tanh",
    ),
    Case(
        "GeluBackward",
        lambda lib, x, v: grad_of(lib, functional(lib).gelu(x, approximate="tanh"), x, v),
        ((), ()),
        low=-3.0,
        high=3.0,
        id="tanh-0d",
    ),
]
