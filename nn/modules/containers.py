"""Containers: Sequential, ModuleList, ModuleDict.

Their items are submodules registered under "0", "1", ... (or the dict's keys), so
parameter names read ``"0.weight"``, ``"layers.2.bias"``, as in PyTorch.
"""

import operator
from collections import OrderedDict

from ..module import Module, _indent


def _index(container, idx):
    """A non-negative position from an int index, IndexError when out of range."""
    size = len(container)
    idx = operator.index(idx)
    if not -size <= idx < size:
        raise IndexError(f"index {idx} is out of range for {type(container).__name__} of {size}")
    return idx % size


class _IndexedModules(Module):
    """Shared by Sequential and ModuleList: items stored as submodules "0" .. "n-1"."""

    def _items(self):
        return list(self._modules.values())

    def _renumber(self, modules):
        self._modules.clear()
        for position, module in enumerate(modules):
            self._modules[str(position)] = module

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __getitem__(self, idx):
        return self._items()[_index(self, idx)]

    def __setitem__(self, idx, module):
        self.add_module(str(_index(self, idx)), module)

    def __delitem__(self, idx):
        modules = self._items()
        if isinstance(idx, slice):
            del modules[idx]
        else:
            del modules[_index(self, idx)]
        self._renumber(modules)

    def append(self, module):
        """Add ``module`` at the end; returns self."""
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules):
        for module in modules:
            self.append(module)
        return self

    def insert(self, index, module):
        """Insert ``module`` before position ``index``."""
        modules = self._items()
        modules.insert(index, module)
        for item in modules:
            if not isinstance(item, Module):
                raise TypeError(f"{type(item).__name__} is not a Module subclass")
        self._renumber(modules)

    def pop(self, index=-1):
        module = self[index]
        del self[index]
        return module


class Sequential(_IndexedModules):
    """Modules applied one after the other: ``Sequential(a, b)(x) == b(a(x))``.

    Built from modules, or from an OrderedDict of named modules.

    >>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    >>> model(ag.randn(3, 4)).shape
    (3, 2)
    """

    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for name, module in args[0].items():
                self.add_module(name, module)
        else:
            for position, module in enumerate(args):
                self.add_module(str(position), module)

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return Sequential(OrderedDict(list(self._modules.items())[idx]))
        return super().__getitem__(idx)

    def forward(self, input):  # noqa: A002 - PyTorch's parameter name
        for module in self._modules.values():
            input = module(input)  # noqa: A001
        return input


class ModuleList(_IndexedModules):
    """A list of submodules (registered, so their parameters are the model's), with list
    indexing, slicing, ``append``, ``extend``, ``insert``, ``+=``; it has no forward.

    >>> layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    >>> len(list(layers.parameters()))
    6
    """

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return ModuleList(self._items()[idx])
        return super().__getitem__(idx)

    def __iadd__(self, modules):
        return self.extend(modules)

    def __add__(self, other):
        return ModuleList([*self, *other])

    def _child_lines(self):
        """Runs of identical children shown once, as PyTorch: ``(0-2): 3 x Linear(...)``."""
        lines = []
        names = list(self._modules)
        reprs = [_indent(repr(module)) for module in self._modules.values()]
        start = 0
        while start < len(reprs):
            end = start
            while end + 1 < len(reprs) and reprs[end + 1] == reprs[start]:
                end += 1
            if end == start:
                lines.append(f"({names[start]}): {reprs[start]}")
            else:
                count = end - start + 1
                lines.append(f"({names[start]}-{names[end]}): {count} x {reprs[start]}")
            start = end + 1
        return lines


class ModuleDict(Module):
    """A dict of submodules, in insertion order, with dict methods.

    >>> heads = nn.ModuleDict({"cls": nn.Linear(4, 3), "box": nn.Linear(4, 4)})
    >>> list(heads.keys())
    ['cls', 'box']
    """

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key):
        return self._modules[key]

    def __setitem__(self, key, module):
        self.add_module(key, module)

    def __delitem__(self, key):
        del self._modules[key]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def __contains__(self, key):
        return key in self._modules

    def clear(self):
        self._modules.clear()

    def pop(self, key):
        module = self[key]
        del self[key]
        return module

    def keys(self):
        return self._modules.keys()

    def items(self):
        return self._modules.items()

    def values(self):
        return self._modules.values()

    def update(self, modules):
        """Add (name, module) pairs from a mapping or an iterable of pairs."""
        pairs = modules.items() if hasattr(modules, "items") else modules
        for pair in pairs:
            if len(pair) != 2:
                raise ValueError(
                    f"ModuleDict.update: each element must be a (name, module) pair, got {pair!r}"
                )
            self[pair[0]] = pair[1]
