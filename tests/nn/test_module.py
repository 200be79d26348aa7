"""nn.Module and the containers: registration, traversal, state dicts, repr, modes, against
PyTorch where PyTorch defines the answer (names, order, repr, error text)."""

import copy
from collections import OrderedDict

import numpy as np
import pytest
import torch

import autograd as ag
import nn


def build_model(lib):
    """The same nested model in chainrule (lib=nn) and PyTorch (lib=torch.nn)."""

    class Block(lib.Module):
        def __init__(self):
            super().__init__()
            self.fc = lib.Linear(4, 3)
            self.act = lib.ReLU()
            self.register_buffer("steps", torch.zeros(2) if lib is torch.nn else ag.zeros(2))
            self.register_buffer(
                "cache", torch.ones(1) if lib is torch.nn else ag.ones(1), persistent=False
            )

        def forward(self, x):
            return self.act(self.fc(x))

    class Net(lib.Module):
        def __init__(self):
            super().__init__()
            self.embed = lib.Embedding(10, 4, padding_idx=0)
            self.blocks = lib.ModuleList([Block(), Block()])
            self.head = lib.Sequential(
                OrderedDict(
                    [
                        ("drop", lib.Dropout(0.25)),
                        ("out", lib.Bilinear(3, 3, 2)),
                        ("id", lib.Identity()),
                    ]
                )
            )
            self.extra = lib.ModuleDict({"norm": lib.Tanh(), "proj": lib.Linear(2, 2, bias=False)})
            self.scale = lib.Parameter(torch.ones(1) if lib is torch.nn else ag.ones(1))

        def forward(self, x):
            return x

    return Net()


def names_and_shapes(pairs):
    return [(name, tuple(value.shape)) for name, value in pairs]


def test_names_shapes_and_state_dict_keys_equal_torch():
    ours, theirs = build_model(nn), build_model(torch.nn)
    assert names_and_shapes(ours.named_parameters()) == names_and_shapes(theirs.named_parameters())
    assert names_and_shapes(ours.named_buffers()) == names_and_shapes(theirs.named_buffers())
    assert names_and_shapes(ours.state_dict().items()) == names_and_shapes(
        theirs.state_dict().items()
    )
    assert [name for name, _ in ours.named_modules()] == [
        name for name, _ in theirs.named_modules()
    ]
    assert [name for name, _ in ours.named_children()] == [
        name for name, _ in theirs.named_children()
    ]
    assert isinstance(ours.state_dict(), OrderedDict)


def test_repr_equals_torch_for_nested_model():
    assert repr(build_model(nn)) == repr(build_model(torch.nn))
    stack = [nn.Linear(2, 2), nn.Linear(2, 2), nn.GELU("tanh"), nn.ReLU(True)]
    torch_stack = [torch.nn.Linear(2, 2), torch.nn.Linear(2, 2), torch.nn.GELU("tanh")]
    assert repr(nn.ModuleList(stack)) == repr(
        torch.nn.ModuleList([*torch_stack, torch.nn.ReLU(True)])
    )
    assert repr(nn.Sequential()) == repr(torch.nn.Sequential()) == "Sequential()"


def test_state_dict_values_are_detached_and_shared_params_listed_twice():
    model = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2))
    model[1].weight = model[0].weight
    state = model.state_dict()
    assert list(state) == ["0.weight", "0.bias", "1.weight", "1.bias"]
    assert not state["0.weight"].requires_grad
    assert not isinstance(state["0.weight"], nn.Parameter)
    assert state["0.weight"].data is model[0].weight.data
    assert [name for name, _ in model.named_parameters()] == ["0.weight", "0.bias", "1.bias"]
    assert len(list(model.parameters())) == 3
    assert isinstance(model.state_dict(keep_vars=True)["0.weight"], nn.Parameter)


def test_load_state_dict_round_trip_copies_in_place():
    source, target = build_model(nn), build_model(nn)
    weight = target.blocks[0].fc.weight
    result = target.load_state_dict(source.state_dict())
    assert repr(result) == "<All keys matched successfully>"
    assert target.blocks[0].fc.weight is weight
    for (name, a), (_, b) in zip(source.state_dict().items(), target.state_dict().items()):
        np.testing.assert_array_equal(a.data, b.data, err_msg=name)


def test_load_state_dict_error_message_matches_torch():
    model = nn.Linear(2, 2)
    with pytest.raises(RuntimeError) as error:
        model.load_state_dict({"weight": ag.zeros(3, 2), "w": ag.zeros(1)})
    assert str(error.value) == (
        "Error(s) in loading state_dict for Linear:\n"
        '\tMissing key(s) in state_dict: "bias". \n'
        '\tUnexpected key(s) in state_dict: "w". \n'
        "\tsize mismatch for weight: copying a param with shape (3, 2) from checkpoint, "
        "the shape in current model is (2, 2)."
    )


def test_load_state_dict_lists_every_mismatch_even_when_not_strict():
    model = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
    state = nn.Sequential(nn.Linear(2, 4), nn.Linear(4, 1)).state_dict()
    with pytest.raises(RuntimeError) as error:
        model.load_state_dict(state, strict=False)
    message = str(error.value)
    for key, theirs, ours in [
        ("0.weight", (4, 2), (3, 2)),
        ("0.bias", (4,), (3,)),
        ("1.weight", (1, 4), (1, 3)),
    ]:
        assert f"size mismatch for {key}: copying a param with shape {theirs}" in message
        assert f"the shape in current model is {ours}." in message
    assert "1.bias" not in message


def test_load_state_dict_not_strict_returns_keys():
    model = nn.Sequential(nn.Linear(2, 2))
    state = {"0.weight": ag.zeros(2, 2), "1.weight": ag.zeros(1), "0.extra.x": ag.zeros(1)}
    result = model.load_state_dict(state, strict=False)
    assert result.missing_keys == ["0.bias"]
    assert result.unexpected_keys == ["1.weight", "0.extra.x"]
    assert repr(result) == (
        "_IncompatibleKeys(missing_keys=['0.bias'], unexpected_keys=['1.weight', '0.extra.x'])"
    )
    np.testing.assert_array_equal(model[0].weight.data, np.zeros((2, 2)))
    with pytest.raises(TypeError, match="dict-like"):
        model.load_state_dict([1, 2])


def test_load_state_dict_rejects_non_tensors_and_bumps_versions():
    model = nn.Linear(1, 1)
    with pytest.raises(RuntimeError, match='"weight", expected Tensor'):
        model.load_state_dict({"weight": 3.0, "bias": ag.zeros(1)})
    version = model.bias._version_number
    model.load_state_dict({"weight": np.ones((1, 1)), "bias": ag.zeros(1, dtype=ag.float64)})
    assert model.bias._version_number == version + 1
    assert model.weight.dtype == ag.float32 and model.weight.item() == 1.0


def test_non_persistent_buffer_and_buffer_assignment():
    module = nn.Module()
    module.register_buffer("kept", ag.zeros(2))
    module.register_buffer("temp", ag.ones(2), persistent=False)
    module.register_buffer("none", None)
    assert list(module.state_dict()) == ["kept"]
    assert [name for name, _ in module.named_buffers()] == ["kept", "temp"]
    module.kept = ag.ones(3)
    assert module._buffers["kept"].shape == (3,)
    with pytest.raises(TypeError, match="as buffer 'kept'"):
        module.kept = 5
    with pytest.raises(KeyError, match="attribute 'training' already exists"):
        module.register_buffer("training", ag.zeros(1))
    with pytest.raises(KeyError, match=r"buffer name can.*t contain"):
        module.register_buffer("a.b", ag.zeros(1))
    with pytest.raises(TypeError, match="cannot assign 'list' object to buffer"):
        module.register_buffer("bad", [1])


def test_registration_errors_and_reassignment():
    with pytest.raises(AttributeError, match=r"before Module\.__init__"):

        class Broken(nn.Module):
            def __init__(self):
                self.w = nn.Parameter(ag.zeros(1))

        Broken()
    model = nn.Linear(2, 2)
    with pytest.raises(TypeError, match="cannot assign 'Tensor' as parameter 'weight'"):
        model.weight = ag.zeros(2, 2)
    with pytest.raises(TypeError, match="cannot assign 'Tensor' object to parameter 'w2'"):
        model.register_parameter("w2", nn.Parameter(ag.zeros(1)) * 2)
    with pytest.raises(TypeError, match="not a Module subclass"):
        model.add_module("sub", 3)
    model.bias = None
    assert model.bias is None and [n for n, _ in model.named_parameters()] == ["weight"]
    model.sub = nn.ReLU()
    with pytest.raises(TypeError, match="as child module 'sub'"):
        model.sub = 3
    model.sub = nn.Parameter(ag.zeros(1))  # a new kind replaces the old registration
    assert "sub" not in model._modules and model.sub.shape == (1,)
    del model.sub
    assert not hasattr(model, "sub")
    with pytest.raises(AttributeError, match="'Linear' object has no attribute 'missing'"):
        _ = model.missing


def test_get_submodule_parameter_and_buffer():
    model = build_model(nn)
    assert model.get_submodule("blocks.1.fc") is model.blocks[1].fc
    assert model.get_submodule("") is model
    assert model.get_parameter("blocks.0.fc.bias") is model.blocks[0].fc.bias
    assert model.get_buffer("blocks.0.steps") is model.blocks[0].steps
    with pytest.raises(AttributeError, match="Block has no attribute `nope`"):
        model.get_submodule("blocks.0.nope")
    with pytest.raises(AttributeError, match=r"`act` is not an nn\.Parameter"):
        model.get_parameter("blocks.0.act")


def test_train_eval_requires_grad_apply_and_zero_grad():
    model = build_model(nn)
    assert model.eval() is model
    assert not any(module.training for module in model.modules())
    model.train()
    assert all(module.training for module in model.modules())
    with pytest.raises(ValueError, match="boolean"):
        model.train("yes")
    model.requires_grad_(False)
    assert not any(param.requires_grad for param in model.parameters())
    visited = []
    model.apply(lambda module: visited.append(type(module).__name__))
    assert visited[-1] == "Net" and visited[:3] == ["Embedding", "Linear", "ReLU"]

    linear = nn.Linear(3, 2)
    linear(ag.ones(4, 3)).sum().backward()
    grad = linear.weight.grad
    linear.zero_grad(set_to_none=False)
    assert linear.weight.grad is grad  # zeroed in place, as PyTorch
    np.testing.assert_array_equal(grad.data, np.zeros((2, 3)))
    linear.zero_grad()
    assert linear.weight.grad is None and linear.bias.grad is None


def test_to_dtype_keeps_parameter_objects():
    model = nn.Sequential(nn.Linear(2, 2))
    model.register_buffer("count", ag.tensor([1, 2]))
    weight = model[0].weight
    assert model.double() is model
    assert model[0].weight is weight and weight.dtype == ag.float64
    assert model.count.dtype == ag.int64
    model.to(ag.float32)
    assert weight.dtype == ag.float32
    model.to("cpu", dtype=ag.float64)
    assert weight.dtype == ag.float64
    model.to(ag.zeros(1, dtype=ag.float32))
    assert weight.dtype == ag.float32
    with pytest.raises(ValueError, match="CPU only"):
        model.to("cuda")
    with pytest.raises(TypeError, match="floating point"):
        model.to(ag.int64)


def test_forward_missing_and_hooks_and_module_path():
    with pytest.raises(NotImplementedError, match=r"Module \[Module\] is missing"):
        nn.Module()(1)
    seen = []

    class Probe(nn.Module):
        def forward(self, x):
            seen.append((nn.current_module_path(), nn.module_path_stack()))
            return x

    class Outer(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList([Probe(), nn.Sequential(Probe())])

        def forward(self, x):
            for layer in self.layers:
                x = layer(x)
            return x

    model = Outer()
    handle = model.register_forward_hook(lambda module, args, out: out + 1)
    model.register_forward_pre_hook(lambda module, args: (args[0] * 10,))
    assert model(ag.tensor(1.0)).item() == 11.0
    assert seen == [
        ("layers.0", ("", "layers.0")),
        ("layers.1.0", ("", "layers.1", "layers.1.0")),
    ]
    assert nn.current_module_path() is None
    handle.remove()
    assert model(ag.tensor(1.0)).item() == 10.0


def test_sequential_indexing_slicing_and_mutation():
    layers = [nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1)]
    model = nn.Sequential(*layers)
    assert len(model) == 3 and list(model) == layers
    assert model[-1] is layers[2]
    head = model[:2]
    assert isinstance(head, nn.Sequential) and list(head) == layers[:2]
    assert list(head._modules) == ["0", "1"]
    assert model[0:3:2][1] is layers[2]
    with pytest.raises(IndexError, match="out of range"):
        model[3]
    del model[0]
    assert list(model._modules) == ["0", "1"] and model[0] is layers[1]
    model.append(nn.Tanh())
    model.insert(0, nn.Identity())
    assert [type(m).__name__ for m in model] == ["Identity", "ReLU", "Linear", "Tanh"]
    assert isinstance(model.pop(1), nn.ReLU) and len(model) == 3
    model[0] = nn.Sigmoid()
    assert isinstance(model[0], nn.Sigmoid)
    named = nn.Sequential(OrderedDict([("first", nn.ReLU()), ("second", nn.Tanh())]))
    assert list(named.state_dict()) == [] and list(named._modules) == ["first", "second"]
    assert named[:1]._modules.keys() == {"first"}
    x = ag.tensor([[-1.0, 2.0]])
    np.testing.assert_allclose(named(x).data, np.tanh(np.maximum(x.data, 0)))


def test_module_list_and_module_dict():
    layers = nn.ModuleList([nn.Linear(1, 1) for _ in range(2)])
    layers += [nn.ReLU()]
    layers.extend([nn.Tanh()])
    assert len(layers) == 4 and isinstance(layers[1:], nn.ModuleList)
    assert len(layers + nn.ModuleList([nn.ReLU()])) == 5
    assert [name for name, _ in layers.named_parameters()] == [
        "0.weight",
        "0.bias",
        "1.weight",
        "1.bias",
    ]
    with pytest.raises(NotImplementedError):
        layers(ag.zeros(1))
    heads = nn.ModuleDict({"b": nn.Linear(1, 2)})
    heads.update([("a", nn.ReLU())])
    heads["c"] = nn.Tanh()
    assert list(heads) == ["b", "a", "c"] and "a" in heads and len(heads) == 3
    assert isinstance(heads.pop("a"), nn.ReLU) and list(heads.keys()) == ["b", "c"]
    assert [name for name, _ in heads.named_parameters()] == ["b.weight", "b.bias"]
    with pytest.raises(ValueError, match="pair"):
        heads.update([("x", nn.ReLU(), 3)])
    heads.clear()
    assert len(heads) == 0


def test_deepcopy_gives_independent_parameters():
    model = nn.Sequential(nn.Linear(2, 2))
    clone = copy.deepcopy(model)
    assert isinstance(clone[0].weight, nn.Parameter) and clone[0].weight.requires_grad
    clone[0].weight.data[...] = 0
    assert model[0].weight.data.any()


def test_parameter_shares_data_and_repr():
    data = ag.tensor([1.0, 2.0])
    param = nn.Parameter(data)
    assert param.data is data.data and param.requires_grad and param.is_leaf
    assert repr(param) == repr(torch.nn.Parameter(torch.tensor([1.0, 2.0])))
    assert not nn.Parameter(data, requires_grad=False).requires_grad
    assert nn.Parameter().shape == (0,)
    assert type(param * 2) is ag.Tensor
    with pytest.raises(RuntimeError, match="floating point"):
        nn.Parameter(ag.tensor([1, 2]))
    with pytest.raises(TypeError, match="must be a Tensor"):
        nn.Parameter([1.0])
