"""Every public function of ``autograd`` and ``nn.functional`` that PyTorch also has, given
None, a string, a list, a dict or a number where a tensor goes, raises an error a user can
act on (TypeError, ValueError, RuntimeError, IndexError) whenever PyTorch raises: never an
AttributeError, a KeyError or a NumPy error from inside."""

import inspect
import warnings

import numpy as np
import pytest

import autograd as ag
import nn.functional as F

torch = pytest.importorskip("torch")

BAD = {"None": None, "str": "abc", "list": [1.0, 2.0], "dict": {}, "float": 2.5}
ACCEPTED = (TypeError, ValueError, RuntimeError, IndexError)
# Not functions of tensors: state, modes and constructors whose first argument is data.
SKIPPED = set(
    "manual_seed set_default_dtype get_default_dtype load save set_grad_enabled no_grad "
    "enable_grad inference_mode is_grad_enabled is_inference_mode_enabled tensor as_tensor "
    "from_numpy is_tensor is_floating_point numel result_type promote_types can_cast "
    "set_printoptions get_rng_state".split()
)


def public_functions(ours, theirs, skipped=()):
    """(ours, theirs, name) for the functions both modules have."""
    return [
        (ours, theirs, name)
        for name in sorted(dir(ours))
        if not name.startswith("_")
        and name not in skipped
        and hasattr(theirs, name)
        and callable(getattr(ours, name))
        and not inspect.isclass(getattr(ours, name))
    ]


FUNCTIONS = public_functions(ag, torch, SKIPPED)
FUNCTIONS += public_functions(F, pytest.importorskip("torch.nn.functional"))


def calls(lib, bad):
    """The function's calls with ``bad`` as the first or the second of one or two
    arguments (the other a 2x2 float tensor)."""
    tensor = lib.tensor([[1.0, 2.0], [3.0, 4.0]])
    return [(bad,), (bad, tensor), (tensor, bad)]


@pytest.mark.parametrize(
    ("module", "torch_module", "name"),
    FUNCTIONS,
    ids=[f"{m.__name__}.{n}" for m, _, n in FUNCTIONS],
)
def test_bad_arguments_raise_what_a_user_can_act_on(module, torch_module, name):
    ours, theirs = getattr(module, name), getattr(torch_module, name)
    for label, bad in BAD.items():
        for our_args, their_args in zip(calls(ag, bad), calls(torch, bad)):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    theirs(*their_args)
                except Exception:  # any refusal of PyTorch's
                    pass
                else:
                    continue
                try:
                    ours(*our_args)
                except ACCEPTED:
                    continue
                except Exception as error:  # the failure to report
                    pytest.fail(
                        f"{name}{(label, *our_args[1:])!r}: {type(error).__name__}: {error}"
                    )


# Where chainrule accepts dim=None (every dim) and PyTorch asks for a dim; and methods whose
# argument is not a value (hooks, conversions).
LENIENT = {("squeeze", "None"), ("squeeze_", "None")}
NOT_VALUES = set(
    "backward register_hook register_post_accumulate_grad_hook apply_ map_ numpy tolist item "
    "new_tensor requires_grad_ retain_grad type to".split()
)
METHODS = [
    name
    for name in sorted(dir(ag.Tensor))
    if not name.startswith("_")
    and name not in NOT_VALUES
    and callable(getattr(ag.Tensor, name, None))
    and hasattr(torch.Tensor, name)
]


@pytest.mark.parametrize("name", METHODS)
def test_methods_given_bad_arguments_refuse_them_as_torch_does(name):
    for label, bad in BAD.items():
        try:
            getattr(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), name)(bad)
        except Exception:  # any refusal of PyTorch's
            pass
        else:
            continue
        if (name, label) in LENIENT:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(ACCEPTED):
                getattr(ag.tensor([[1.0, 2.0], [3.0, 4.0]]), name)(bad)


def test_equality_with_a_non_tensor_is_python_s_as_in_torch():
    for lib in (ag, torch):
        vector, scalar = lib.tensor([1.0, 2.0]), lib.tensor(1.0)
        assert (vector == None) is False and (vector != None) is True  # noqa: E711
        assert (vector == "a") is False and (None == vector) is False  # noqa: E711
        assert scalar not in [None, 3] and scalar in [None, 1.0]
        assert (vector == 1.0).tolist() == [True, False]
        assert (vector == np.array([1.0, 3.0])).tolist() == [True, False]
