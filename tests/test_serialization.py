"""ag.save / ag.load: round trips of nested containers, the exact path, no code on load."""

import io
import math
import pickle
import zipfile
from collections import OrderedDict

import numpy as np
import pytest

import autograd as ag
import nn


def test_round_trip_of_nested_structure(tmp_path):
    shared = ag.randn(3)
    obj = {
        "model": OrderedDict([("w", ag.randn(2, 3)), ("b", ag.zeros(3, dtype=ag.float64))]),
        "state": {0: {"step": 4, "exp_avg": shared}, 1: {"step": 4, "exp_avg": shared}},
        "param_groups": [{"lr": 0.1, "betas": (0.9, 0.999), "params": [0, 1], "nesterov": False}],
        "array": np.arange(6, dtype=np.int32).reshape(2, 3),
        "scalar": np.float32(1.5),
        "misc": [None, True, "text", -3, math.inf, 2.5, (), []],
        "int_tensor": ag.tensor([1, 2]),
        "bool_tensor": ag.tensor([True, False]),
        "grad": ag.ones(2, requires_grad=True),
    }
    path = tmp_path / "checkpoint.pt"
    ag.save(obj, path)
    assert [p.name for p in tmp_path.iterdir()] == ["checkpoint.pt"]  # no suffix added
    loaded = ag.load(str(path))

    assert type(loaded) is dict and type(loaded["model"]) is OrderedDict
    assert list(loaded["model"]) == ["w", "b"]
    for key, tensor in obj["model"].items():
        assert isinstance(loaded["model"][key], ag.Tensor)
        assert loaded["model"][key].dtype == tensor.dtype
        np.testing.assert_array_equal(loaded["model"][key].data, tensor.data)
    assert list(loaded["state"]) == [0, 1]  # int keys stay ints
    assert loaded["state"][0]["exp_avg"] is loaded["state"][1]["exp_avg"]  # stored once
    assert loaded["param_groups"] == [
        {"lr": 0.1, "betas": (0.9, 0.999), "params": [0, 1], "nesterov": False}
    ]
    assert loaded["array"].dtype == np.int32 and loaded["array"].shape == (2, 3)
    assert loaded["scalar"] == np.float32(1.5) and loaded["scalar"].dtype == np.float32
    assert loaded["misc"] == [None, True, "text", -3, math.inf, 2.5, (), []]
    assert isinstance(loaded["misc"][1], bool) and isinstance(loaded["misc"][6], tuple)
    assert loaded["int_tensor"].dtype == ag.int64 and loaded["bool_tensor"].dtype == ag.bool
    assert loaded["grad"].requires_grad


def test_parameters_stay_parameters_and_file_objects_work():
    buffer = io.BytesIO()
    param = nn.Parameter(ag.ones(2))
    ag.save({"p": param, "frozen": nn.Parameter(ag.ones(1), requires_grad=False)}, buffer)
    buffer.seek(0)
    loaded = ag.load(buffer)
    assert isinstance(loaded["p"], nn.Parameter) and loaded["p"].requires_grad
    assert isinstance(loaded["frozen"], nn.Parameter) and not loaded["frozen"].requires_grad


def test_model_state_dict_round_trip(tmp_path):
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    path = tmp_path / "model"
    ag.save(model.state_dict(), path)
    other = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    assert repr(other.load_state_dict(ag.load(path))) == "<All keys matched successfully>"
    x = ag.randn(5, 3)
    np.testing.assert_array_equal(model(x).data, other(x).data)


def test_loading_into_other_shapes_lists_each_mismatch(tmp_path):
    path = tmp_path / "small.ckpt"
    ag.save(nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2)).state_dict(), path)
    model = nn.Sequential(nn.Linear(3, 5), nn.Linear(5, 2))
    with pytest.raises(RuntimeError) as error:
        model.load_state_dict(ag.load(path))
    message = str(error.value)
    assert message.startswith("Error(s) in loading state_dict for Sequential:")
    assert "size mismatch for 0.weight: copying a param with shape (4, 3) from checkpoint, " in (
        message
    )
    assert "the shape in current model is (5, 3)." in message
    assert "size mismatch for 0.bias" in message and "size mismatch for 1.weight" in message
    assert "1.bias" not in message


def test_unsupported_objects_are_refused(tmp_path):
    with pytest.raises(TypeError, match=r"type set at obj\['a'\]\[1\]"):
        ag.save({"a": [1, {2}]}, tmp_path / "x")
    with pytest.raises(TypeError, match="dict keys"):
        ag.save({(1, 2): 3}, tmp_path / "x")
    with pytest.raises(TypeError, match="array of Python objects"):
        ag.save(np.array([None, 1]), tmp_path / "x")


def test_loading_never_unpickles(tmp_path):
    pickled = tmp_path / "pickled.pt"
    pickled.write_bytes(pickle.dumps({"a": 1}))
    with pytest.raises(RuntimeError, match=r"not a file written by ag\.save"):
        ag.load(pickled)
    object_array = tmp_path / "objects.npz"
    with open(object_array, "wb") as handle:
        structure = b'{"format": "chainrule-1", "root": {"type": "ndarray", "array": "a0"}}'
        np.savez(handle, __structure__=np.frombuffer(structure, np.uint8), a0=np.array([{}, 1]))
    with pytest.raises(RuntimeError, match="holds an array it cannot load"):
        ag.load(object_array)
    plain = tmp_path / "plain.npz"
    with open(plain, "wb") as handle:
        np.savez(handle, a=np.zeros(2))
    with pytest.raises(RuntimeError, match="no __structure__"):
        ag.load(plain)
    assert zipfile.is_zipfile(plain)
    with pytest.raises(ValueError, match="CPU only"):
        ag.load(plain, map_location="cuda")


def test_zero_dimensional_tensors_keep_their_shape(tmp_path):
    path = tmp_path / "scalar.ckpt"
    ag.save({"step": ag.tensor(3.0), "array": np.float64(2.0)}, path)
    loaded = ag.load(path)
    assert loaded["step"].shape == () and loaded["step"].item() == 3.0
    assert np.shape(loaded["array"]) == ()
