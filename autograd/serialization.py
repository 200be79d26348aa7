"""ag.save / ag.load: state dicts and nested containers of tensors in a file whose loading
runs no code.

The file is a NumPy ``.npz`` archive (a zip of ``.npy`` arrays, read with
``allow_pickle=False``): one entry per tensor or array, plus ``__structure__``, a JSON
document that rebuilds the containers. Supported values: Tensors (Parameters stay
Parameters), ndarrays, NumPy scalars, int, float, bool, str, None, and dicts (any of those
scalars as keys), OrderedDicts, lists and tuples of them. A tensor reached twice is stored
once and comes back as one object.

>>> ag.save(model.state_dict(), "model.pt")                # doctest: +SKIP
>>> model.load_state_dict(ag.load("model.pt"))              # doctest: +SKIP
"""

import json
import os
import zipfile
from collections import OrderedDict

import numpy as np

from .tensor import Tensor

_STRUCTURE = "__structure__"
_FORMAT = "chainrule-1"


class _Encoder:
    """Turns an object tree into JSON-ready data and a dict of named arrays."""

    def __init__(self):
        self.arrays = {}
        self._seen = {}  # id(tensor or array) -> its reference, so shared ones are stored once
        self._alive = []  # keeps the objects whose ids are in _seen alive while encoding

    def _array(self, kind, value, array, extra):
        reference = self._seen.get(id(value))
        if reference is None:
            if array.dtype.hasobject:
                raise TypeError(f"ag.save: cannot save an array of Python objects ({kind})")
            name = f"a{len(self.arrays)}"
            self.arrays[name] = array
            reference = self._seen[id(value)] = {"type": kind, "array": name, **extra}
            self._alive.append(value)
        return reference

    def encode(self, value, where):
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if isinstance(value, Tensor):
            kind = "Parameter" if isinstance(value, _parameter_class()) else "Tensor"
            extra = {"requires_grad": value.requires_grad}
            return self._array(kind, value, np.asarray(value.data, order="C"), extra)
        if isinstance(value, np.ndarray):
            return self._array("ndarray", value, np.asarray(value, order="C"), {})
        if isinstance(value, np.generic):
            return self._array("scalar", value, np.asarray(value), {})
        if isinstance(value, dict):
            items = [
                [self._key(key, where), self.encode(item, f"{where}[{key!r}]")]
                for key, item in value.items()
            ]
            kind = "OrderedDict" if isinstance(value, OrderedDict) else "dict"
            return {"type": kind, "items": items}
        if isinstance(value, (list, tuple)):
            items = [self.encode(item, f"{where}[{index}]") for index, item in enumerate(value)]
            return {"type": "list" if isinstance(value, list) else "tuple", "items": items}
        raise TypeError(
            f"ag.save: cannot save an object of type {type(value).__name__} at {where}; "
            "supported: tensors, arrays, numbers, strings, None and dicts, lists, tuples of them"
        )

    def _key(self, key, where):
        if key is None or isinstance(key, (bool, int, float, str)):
            return key
        raise TypeError(
            f"ag.save: dict keys must be str, int, float, bool or None; got "
            f"{type(key).__name__} in {where}"
        )


def _parameter_class():
    from nn.parameter import Parameter  # nn builds on autograd, so it is imported late

    return Parameter


def _decode(node, arrays, built):
    if not isinstance(node, dict):
        return node
    kind = node["type"]
    if kind in ("dict", "OrderedDict"):
        pairs = [(key, _decode(item, arrays, built)) for key, item in node["items"]]
        return OrderedDict(pairs) if kind == "OrderedDict" else dict(pairs)
    if kind in ("list", "tuple"):
        items = [_decode(item, arrays, built) for item in node["items"]]
        return items if kind == "list" else tuple(items)
    name = node["array"]
    if name not in built:
        built[name] = _build_leaf(kind, node, arrays[name])
    return built[name]


def _build_leaf(kind, node, array):
    if kind == "ndarray":
        return array
    if kind == "scalar":
        return array[()]
    tensor = Tensor._make(array)
    if kind == "Parameter":
        return _parameter_class()(tensor, requires_grad=node["requires_grad"])
    if node["requires_grad"]:
        tensor.requires_grad = True
    return tensor


def save(obj, f):
    """Write ``obj`` to ``f`` (a path, written exactly as given, or a binary file object)."""
    encoder = _Encoder()
    structure = {"format": _FORMAT, "root": encoder.encode(obj, "obj")}
    document = np.frombuffer(json.dumps(structure).encode("utf-8"), dtype=np.uint8)
    if isinstance(f, (str, os.PathLike)):
        with open(f, "wb") as handle:
            np.savez(handle, **{_STRUCTURE: document}, **encoder.arrays)
    else:
        np.savez(f, **{_STRUCTURE: document}, **encoder.arrays)


def load(f, map_location=None, weights_only=True):
    """Read an object written by ``save`` (``map_location`` other than the CPU is refused;
    ``weights_only`` is accepted for PyTorch compatibility: loading never runs code)."""
    if map_location not in (None, "cpu"):
        raise ValueError(f"ag.load: chainrule runs on the CPU only, not on {map_location!r}")
    try:
        archive = np.load(f, allow_pickle=False)
    except (ValueError, OSError, zipfile.BadZipFile) as error:
        raise RuntimeError(f"ag.load: {f!r} is not a file written by ag.save ({error})") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise RuntimeError(f"ag.load: {f!r} is a single .npy array, not a file written by ag.save")
    with archive:
        if _STRUCTURE not in archive.files:
            raise RuntimeError(f"ag.load: {f!r} is not a file written by ag.save (no {_STRUCTURE})")
        structure = json.loads(archive[_STRUCTURE].tobytes().decode("utf-8"))
        if structure.get("format") != _FORMAT:
            raise RuntimeError(f"ag.load: {f!r} has an unknown format {structure.get('format')!r}")
        try:
            arrays = {name: archive[name] for name in archive.files if name != _STRUCTURE}
        except ValueError as error:  # an object array, which would need unpickling
            raise RuntimeError(f"ag.load: {f!r} holds an array it cannot load ({error})") from None
    return _decode(structure["root"], arrays, {})
