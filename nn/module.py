"""Module: the base class of every layer and model.

A Module registers what is assigned to its attributes: a ``Parameter`` becomes a
parameter, a ``Module`` a submodule, and ``register_buffer`` adds non-learnable state
(running statistics). Everything registered is found by ``parameters()``,
``named_modules()``, ``state_dict()`` ... with PyTorch's names and order: a module's own
parameters, then its buffers, then each submodule's, depth first.

While a module's ``forward`` runs, its qualified name (``"encoder.fc1"``) is on a stack
that ``current_module_path()`` reads, so graph drawings can tell which layer made each op.
"""

import threading
from collections import OrderedDict, namedtuple

import numpy as np

from autograd import dtypes, grad_mode
from autograd.tensor import Tensor

from .init import _copy_into
from .parameter import Parameter


class _CallStack(threading.local):
    def __init__(self):
        self.entries = []  # (module, qualified name), outermost first


_call_stack = _CallStack()


def current_module_path():
    """The qualified name of the innermost Module being called ('' for the outermost one),
    or None outside any Module call."""
    entries = _call_stack.entries
    return entries[-1][1] if entries else None


def module_path_stack():
    """The qualified names of the Modules being called, outermost first."""
    return tuple(path for _, path in _call_stack.entries)


def _qualified_name(module):
    """``module``'s name below the module calling it (empty for the outermost call)."""
    entries = _call_stack.entries
    if not entries:
        return ""
    parent, parent_path = entries[-1]
    name = next((key for key, child in parent._modules.items() if child is module), None)
    if name is None:
        name = next((key for key, child in parent.named_modules() if child is module), None)
    if name is None:  # called without being registered below the caller
        name = type(module).__name__
    return f"{parent_path}.{name}" if parent_path else name


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``load_state_dict(strict=False)`` returns."""

    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return (
            f"_IncompatibleKeys(missing_keys={self.missing_keys}, "
            f"unexpected_keys={self.unexpected_keys})"
        )


class _RemovableHandle:
    """Returned by the hook registrations; ``remove()`` unregisters the hook."""

    _next_id = 0

    def __init__(self, hooks):
        self._hooks = hooks
        self.id = _RemovableHandle._next_id
        _RemovableHandle._next_id += 1

    def remove(self):
        self._hooks.pop(self.id, None)


class Module:
    """Base class of layers and models: subclass it, assign parameters and submodules in
    ``__init__`` (after ``super().__init__()``), and define ``forward``.

    >>> class Net(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.fc = nn.Linear(4, 2)
    ...     def forward(self, x):
    ...         return self.fc(x).relu()
    >>> [name for name, _ in Net().named_parameters()]
    ['fc.weight', 'fc.bias']
    """

    training: bool

    def __init__(self, *args, **kwargs):
        if args or kwargs:
            raise TypeError(
                f"{type(self).__name__}.__init__() got unexpected arguments {args} {kwargs}"
            )
        set_field = object.__setattr__
        set_field(self, "training", True)
        set_field(self, "_parameters", OrderedDict())
        set_field(self, "_buffers", OrderedDict())
        set_field(self, "_non_persistent_buffers_set", set())
        set_field(self, "_modules", OrderedDict())
        set_field(self, "_forward_pre_hooks", OrderedDict())
        set_field(self, "_forward_hooks", OrderedDict())

    def forward(self, *args, **kwargs):
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function'
        )

    def __call__(self, *args, **kwargs):
        entries = _call_stack.entries
        path = _qualified_name(self)
        entries.append((self, path))
        outer_path = grad_mode.state.module_path
        grad_mode.state.module_path = path
        try:
            for hook in tuple(self._forward_pre_hooks.values()):
                result = hook(self, args)
                if result is not None:
                    args = result if isinstance(result, tuple) else (result,)
            output = self.forward(*args, **kwargs)
            for hook in tuple(self._forward_hooks.values()):
                result = hook(self, args, output)
                if result is not None:
                    output = result
            return output
        finally:
            entries.pop()
            grad_mode.state.module_path = outer_path

    def register_forward_pre_hook(self, hook):
        """Call ``hook(module, args)`` before forward; a returned value replaces the args."""
        handle = _RemovableHandle(self._forward_pre_hooks)
        self._forward_pre_hooks[handle.id] = hook
        return handle

    def register_forward_hook(self, hook):
        """Call ``hook(module, args, output)`` after forward; a returned value replaces it."""
        handle = _RemovableHandle(self._forward_hooks)
        self._forward_hooks[handle.id] = hook
        return handle

    # ---- registration ---------------------------------------------------------------------

    def _check_new_name(self, kind, name, table):
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"cannot assign {kind} before Module.__init__() call")
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string. Got {type(name).__name__}")
        if "." in name:
            raise KeyError(f'{kind} name can\'t contain ".", got: {name}')
        if name == "":
            raise KeyError(f'{kind} name can\'t be empty string ""')
        if hasattr(self, name) and name not in table:
            raise KeyError(f"attribute '{name}' already exists")

    def register_parameter(self, name, param):
        """Add a parameter (a Parameter, or None for an absent one such as ``bias=False``)."""
        self._check_new_name("parameter", name, self.__dict__.get("_parameters", ()))
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign '{type(param).__name__}' object to parameter '{name}' "
                "(nn.Parameter or None required)"
            )
        self._parameters[name] = param

    def register_buffer(self, name, tensor, persistent=True):
        """Add a tensor that is state but not a parameter; ``persistent=False`` keeps it out
        of the state_dict."""
        self._check_new_name("buffer", name, self.__dict__.get("_buffers", ()))
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign '{type(tensor).__name__}' object to buffer '{name}' "
                "(Tensor or None required)"
            )
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def add_module(self, name, module):
        """Add a submodule (or None) under ``name``."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        self._check_new_name("module", name, self.__dict__.get("_modules", ()))
        self._modules[name] = module

    register_module = add_module

    def __setattr__(self, name, value):
        fields = self.__dict__
        if isinstance(value, Parameter):
            if "_parameters" not in fields:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._forget(name, keep="_parameters")
            self.register_parameter(name, value)
        elif "_parameters" in fields and name in fields["_parameters"]:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as parameter '{name}' "
                    "(nn.Parameter or None expected)"
                )
            fields["_parameters"][name] = None
        elif isinstance(value, Module):
            if "_modules" not in fields:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._forget(name, keep="_modules")
            fields["_modules"][name] = value
        elif "_modules" in fields and name in fields["_modules"]:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as child module '{name}' "
                    "(nn.Module or None expected)"
                )
            fields["_modules"][name] = None
        elif "_buffers" in fields and name in fields["_buffers"]:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as buffer '{name}' "
                    "(Tensor or None expected)"
                )
            fields["_buffers"][name] = value
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name, keep):
        """Drop ``name`` from the other tables before it is (re)registered in ``keep``, whose
        order is kept when it is only reassigned."""
        self.__dict__.pop(name, None)
        for table in ("_parameters", "_buffers", "_modules"):
            if table != keep:
                self.__dict__[table].pop(name, None)
        self._non_persistent_buffers_set.discard(name)

    def __getattr__(self, name):
        # Only called when normal lookup fails: registered items live in the three tables.
        fields = self.__dict__
        for table in ("_parameters", "_buffers", "_modules"):
            items = fields.get(table)
            if items is not None and name in items:
                return items[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        for table in ("_parameters", "_buffers", "_modules"):
            if name in self.__dict__[table]:
                del self.__dict__[table][name]
                self._non_persistent_buffers_set.discard(name)
                return
        object.__delattr__(self, name)

    def __dir__(self):
        names = set(super().__dir__())
        for table in ("_parameters", "_buffers", "_modules"):
            names.update(self.__dict__[table])
        return sorted(names)

    # ---- traversal ------------------------------------------------------------------------

    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """(qualified name, module) for this module and every submodule, depth first."""
        if memo is None:
            memo = set()
        if remove_duplicate:
            if self in memo:
                return
            memo.add(self)
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            child_prefix = f"{prefix}.{name}" if prefix else name
            yield from module.named_modules(memo, child_prefix, remove_duplicate)

    def modules(self):
        for _, module in self.named_modules():
            yield module

    def named_children(self):
        """(name, module) for each direct submodule, each module once."""
        seen = set()
        for name, module in self._modules.items():
            if module is not None and module not in seen:
                seen.add(module)
                yield name, module

    def children(self):
        for _, module in self.named_children():
            yield module

    def _named_members(self, table, prefix, recurse, remove_duplicate):
        modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
        if not recurse:
            modules = [(prefix, self)]
        seen = set()
        for module_prefix, module in modules:
            for name, value in module.__dict__[table].items():
                if value is None or (remove_duplicate and id(value) in seen):
                    continue
                seen.add(id(value))
                yield (f"{module_prefix}.{name}" if module_prefix else name), value

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        """(qualified name, Parameter) pairs; a parameter shared by two modules comes once."""
        yield from self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse=True):
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix="", recurse=True, remove_duplicate=True):
        yield from self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse=True):
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def get_submodule(self, target):
        """The submodule at a dotted path (``"encoder.layers.0"``); '' is this module."""
        module = self
        if target == "":
            return module
        for item in target.split("."):
            if item not in module._modules:
                raise AttributeError(f"{module._get_name()} has no attribute `{item}`")
            module = module._modules[item]
            if not isinstance(module, Module):
                raise AttributeError(f"`{item}` is not an nn.Module")
        return module

    def _get_member(self, target, table, kind):
        module_path, _, name = target.rpartition(".")
        module = self.get_submodule(module_path)
        if not hasattr(module, name):
            raise AttributeError(f"{module._get_name()} has no attribute `{name}`")
        if name not in module.__dict__[table]:
            raise AttributeError(f"`{name}` is not {kind}")
        return module.__dict__[table][name]

    def get_parameter(self, target):
        """The parameter at a dotted path (``"fc.weight"``)."""
        return self._get_member(target, "_parameters", "an nn.Parameter")

    def get_buffer(self, target):
        """The buffer at a dotted path (``"bn.running_mean"``)."""
        return self._get_member(target, "_buffers", "a buffer")

    # ---- modes and bulk changes -----------------------------------------------------------

    def train(self, mode=True):
        """Set training mode (Dropout, BatchNorm ... behave differently) here and below."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self):
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none=True):
        """Reset every parameter's ``.grad``: to None (default) or to zeros in place."""
        for param in self.parameters():
            if param.grad is None:
                continue
            if set_to_none:
                param.grad = None
            else:
                param.grad.detach_()
                _copy_into(param.grad, 0)

    def apply(self, fn):
        """Call ``fn`` on every submodule (children first) and on this module; returns self."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    def _apply(self, fn):
        """Replace every parameter's array (keeping the Parameter) and buffer by ``fn`` of it."""
        for module in self.modules():
            for param in module._parameters.values():
                if param is None:
                    continue
                param.data = fn(param.data)
                if param.grad is not None:
                    param.grad.data = fn(param.grad.data)
            for name, buffer in module._buffers.items():
                if buffer is not None:
                    module._buffers[name] = Tensor._make(fn(buffer.data))
        return self

    def to(self, *args, **kwargs):
        """Cast floating-point parameters and buffers to a dtype: ``to(ag.float64)``,
        ``to(dtype=...)``, ``to(tensor)``; the device "cpu" is accepted and ignored."""
        dtype = kwargs.pop("dtype", None)
        for arg in (*args, *kwargs.values()):
            if isinstance(arg, Tensor):
                dtype = arg.dtype
            elif isinstance(arg, str):
                if arg != "cpu":
                    raise ValueError(f"chainrule runs on the CPU only, not on {arg!r}")
            elif arg is not None and not isinstance(arg, bool):
                dtype = arg
        if dtype is None:
            return self
        dtype = dtypes.to_dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"nn.Module.to only accepts floating point dtypes, but got {dtype}")
        return self._apply(lambda array: array.astype(dtype) if array.dtype.kind == "f" else array)

    def float(self):
        return self.to(dtypes.float32)

    def double(self):
        return self.to(dtypes.float64)

    def half(self):
        return self.to(dtypes.float16)

    def cpu(self):
        return self

    # ---- state dict -----------------------------------------------------------------------

    def _save_to_state_dict(self, destination, prefix, keep_vars):
        """Add this module's own parameters and persistent buffers (not submodules')."""
        for name, param in self._parameters.items():
            if param is not None:
                destination[prefix + name] = param if keep_vars else param.detach()
        for name, buffer in self._buffers.items():
            if buffer is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = buffer if keep_vars else buffer.detach()

    def state_dict(self, *args, destination=None, prefix="", keep_vars=False):
        """An OrderedDict from qualified names to (detached) parameters and persistent
        buffers, in PyTorch's order; shared tensors appear under each of their names."""
        if args:
            raise TypeError("state_dict() takes keyword arguments only: destination, prefix")
        if destination is None:
            destination = OrderedDict()
        self._save_to_state_dict(destination, prefix, keep_vars)
        for name, module in self._modules.items():
            if module is not None:
                module.state_dict(
                    destination=destination, prefix=f"{prefix}{name}.", keep_vars=keep_vars
                )
        return destination

    def _load_from_state_dict(
        self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs
    ):
        """Copy this module's own entries from ``state_dict``; note missing, unexpected and
        mismatched keys (subclasses override this to convert old formats)."""
        persistent = {
            name: buffer
            for name, buffer in self._buffers.items()
            if name not in self._non_persistent_buffers_set
        }
        local_state = {
            name: value
            for name, value in (*self._parameters.items(), *persistent.items())
            if value is not None
        }
        for name, target in local_state.items():
            key = prefix + name
            if key not in state_dict:
                missing_keys.append(key)
                continue
            source = state_dict[key]
            if not isinstance(source, (Tensor, np.ndarray)):
                error_msgs.append(
                    f'While copying the parameter named "{key}", expected Tensor or array from '
                    f"checkpoint but received {type(source).__name__}"
                )
            elif tuple(source.shape) != target.shape:
                error_msgs.append(
                    f"size mismatch for {key}: copying a param with shape {tuple(source.shape)} "
                    f"from checkpoint, the shape in current model is {target.shape}."
                )
            else:
                _copy_into(target, np.asarray(source))
        if strict:
            for key in state_dict:
                if not key.startswith(prefix):
                    continue
                head, dot, _ = key[len(prefix) :].partition(".")
                if (dot and head not in self._modules) or (not dot and head not in local_state):
                    unexpected_keys.append(key)

    def load_state_dict(self, state_dict, strict=True):
        """Copy parameters and buffers from ``state_dict`` into this module (in place).

        Raises RuntimeError listing missing keys and unexpected keys (when ``strict``) and
        every shape mismatch; otherwise returns ``(missing_keys, unexpected_keys)``.
        """
        if not hasattr(state_dict, "keys") or not hasattr(state_dict, "__getitem__"):
            raise TypeError(
                f"Expected state_dict to be dict-like, got {type(state_dict).__name__}."
            )
        missing_keys, unexpected_keys, error_msgs = [], [], []
        with grad_mode.no_grad():
            for prefix, module in self.named_modules(remove_duplicate=False):
                module._load_from_state_dict(
                    state_dict,
                    f"{prefix}." if prefix else "",
                    {},
                    True,
                    missing_keys,
                    unexpected_keys,
                    error_msgs,
                )
        if strict:
            if unexpected_keys:
                keys = ", ".join(f'"{key}"' for key in unexpected_keys)
                error_msgs.insert(0, f"Unexpected key(s) in state_dict: {keys}. ")
            if missing_keys:
                keys = ", ".join(f'"{key}"' for key in missing_keys)
                error_msgs.insert(0, f"Missing key(s) in state_dict: {keys}. ")
        if error_msgs:
            details = "\n\t".join(error_msgs)
            raise RuntimeError(
                f"Error(s) in loading state_dict for {type(self).__name__}:\n\t{details}"
            )
        return _IncompatibleKeys(missing_keys, unexpected_keys)

    # ---- representation -------------------------------------------------------------------

    def _get_name(self):
        return type(self).__name__

    def extra_repr(self):
        """The layer's own settings, shown inside its repr's parentheses."""
        return ""

    def _child_lines(self):
        return [f"({name}): {_indent(repr(module))}" for name, module in self._modules.items()]

    def __repr__(self):
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = self._child_lines()
        if not child_lines and len(extra_lines) == 1:
            return f"{self._get_name()}({extra_lines[0]})"
        lines = extra_lines + child_lines
        if not lines:
            return f"{self._get_name()}()"
        body = "\n  ".join(lines)
        return f"{self._get_name()}(\n  {body}\n)"


def _indent(text):
    """Indent every line but the first by two spaces (nested reprs)."""
    return text.replace("\n", "\n  ")
