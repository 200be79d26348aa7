"""Optimizer: the base class every optimizer derives from.

An optimizer keeps ``defaults`` (its hyperparameters), ``param_groups`` (lists of parameters,
each group with its own copy of the hyperparameters) and ``state`` (per-parameter buffers,
created lazily at the first step that parameter has a gradient). Subclasses validate their
hyperparameters, then implement ``step`` by gathering, for each group, the parameters that
have a gradient and calling one plain update function on their NumPy arrays.

Updates happen in place on ``param.data`` without recording a graph, and bump the
parameter's version counter, as PyTorch's in-place step does. PyTorch's choices among its
implementations (``foreach``, ``fused``) are accepted and kept in the groups so PyTorch code
runs unchanged: there is one NumPy implementation, whose large elementwise updates are split
over ``autograd.get_num_threads()`` threads (``autograd/parallel.py``). ``capturable`` and
``differentiable`` are accepted when off.
"""

import copy
import functools
import warnings
from collections import defaultdict

import numpy as np

from autograd import grad_mode
from autograd.tensor import Tensor, version_counter


class _RequiredParameter:
    """Marks a hyperparameter that has no default and must be given (PyTorch's ``required``)."""

    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()


class Optimizer:
    """Base class of all optimizers.

    Args:
        params: an iterable of Tensors (or of ``(name, Tensor)`` pairs, as
            ``named_parameters()`` gives; the names are kept in ``group["param_names"]``), or of
            dicts each holding ``"params"`` and hyperparameters that override ``defaults``.
        defaults: the hyperparameters every group gets unless it sets its own.

    >>> w = ag.zeros(3, requires_grad=True)
    >>> opt = optim.SGD([{"params": [w], "weight_decay": 0.0}], lr=0.1)
    """

    _opt_called = False  # set by the first step(); schedulers warn if they step before it

    def __init_subclass__(cls, **kwargs):
        """Each subclass's ``step`` records that it ran, for the schedulers' order warning."""
        super().__init_subclass__(**kwargs)
        if "step" in cls.__dict__:
            cls.step = _recording_call(cls.__dict__["step"])

    def __init__(self, params, defaults):
        self.defaults = defaults
        self.state = defaultdict(dict)
        self.param_groups = []
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                f"dicts, but got {type(params).__name__}"
            )
        param_groups = list(params)
        if not param_groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for index, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {index}")
            lines.extend(f"    {key}: {group[key]}" for key in sorted(group) if key != "params")
        return "\n".join(lines) + "\n)"

    # ---- groups ------------------------------------------------------------------------------

    def add_param_group(self, param_group):
        """Add a group of parameters (a dict with ``"params"``), e.g. layers unfrozen later;
        options it leaves out are taken from ``defaults``."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the "
                "ordering of tensors in sets will change between runs. Please use a list instead."
            )
        params = list(params)
        names = None
        if any(isinstance(param, tuple) for param in params):  # from named_parameters()
            if not all(isinstance(param, tuple) and len(param) == 2 for param in params):
                raise ValueError(
                    "all optimizer params should be with/without names. Some param names are "
                    "missing"
                )
            names = [name for name, _ in params]
            params = [param for _, param in params]
        for param in params:
            _check_param(type(self).__name__, param)
        if len({id(param) for param in params}) != len(params):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, "
                "this will cause an error",
                stacklevel=3,
            )
        group = {"params": params}
        if names is not None:
            group["param_names"] = names
        for name, default in self.defaults.items():
            value = param_group.get(name, default)
            if value is required:
                raise ValueError(
                    f"parameter group didn't specify a value of required optimization "
                    f"parameter {name}"
                )
            group[name] = value
        for name, value in param_group.items():
            group.setdefault(name, value)
        seen = {id(param) for other in self.param_groups for param in other["params"]}
        if any(id(param) in seen for param in params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)

    # ---- stepping ----------------------------------------------------------------------------

    def zero_grad(self, set_to_none=True):
        """Reset every parameter's gradient: to None (the default), or to zeros in place."""
        for group in self.param_groups:
            for param in group["params"]:
                grad = param.grad
                if grad is None:
                    continue
                if set_to_none:
                    param.grad = None
                else:
                    grad.grad_fn = None
                    grad._requires_grad = False
                    grad.data[...] = 0
                    version_counter(grad)[0] += 1

    def step(self, closure=None):
        """Update the parameters once; ``closure`` re-evaluates the model and returns the loss."""
        raise NotImplementedError

    def _evaluate(self, closure):
        """Run the closure (with grad recording on, as the closure calls backward) if given."""
        if closure is None:
            return None
        with grad_mode.enable_grad():
            return closure()

    def _gather(self, group, init_state):
        """The arrays of a group's parameters that have a gradient, their gradient arrays and
        their state dicts (filled by ``init_state(state, param_array)`` on first use).

        Refuses gradients that are not real floating point, and bumps each returned
        parameter's version counter, since the caller is about to update it in place.
        """
        params, grads, states = [], [], []
        for param in group["params"]:
            grad = param.grad
            if grad is None:
                continue
            grad = grad.data
            if grad.dtype.kind != "f":
                raise RuntimeError(
                    f"{type(self).__name__} got a gradient of dtype {grad.dtype} for a parameter "
                    f"of shape {param.data.shape}: chainrule's optimizers take real "
                    "floating-point dense gradients only (sparse and complex gradients are "
                    "not supported)"
                )
            state = self.state[param]
            if not state:
                init_state(state, param.data)
            version_counter(param)[0] += 1  # a graph that saved the parameter goes stale
            params.append(param.data)
            grads.append(grad)
            states.append(state)
        return params, grads, states

    # ---- state dict --------------------------------------------------------------------------

    def state_dict(self):
        """The optimizer's state in PyTorch's layout: ``{"state": {index: {name: value}},
        "param_groups": [{options..., "params": [index, ...]}]}``, parameters numbered in
        group order. As in PyTorch, the values are the live state tensors, not copies."""
        index_of = {}
        groups = []
        for group in self.param_groups:
            packed = {key: value for key, value in group.items() if key != "params"}
            packed["params"] = [index_of.setdefault(id(p), len(index_of)) for p in group["params"]]
            groups.append(packed)
        state = {
            index_of[id(param)]: values
            for param, values in self.state.items()
            if values and id(param) in index_of
        }
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Load a ``state_dict()``: group options and per-parameter state, matched by position.

        Unlike PyTorch, the state tensors are copied, so the loaded optimizer never shares
        buffers with the dict (or with the optimizer it came from) and both may go on running.
        """
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        for group, saved in zip(self.param_groups, saved_groups):
            if len(group["params"]) != len(saved["params"]):
                raise ValueError(
                    "loaded state dict contains a parameter group that doesn't match the size "
                    "of optimizer's group"
                )
        param_of = {
            index: param
            for group, saved in zip(self.param_groups, saved_groups)
            for index, param in zip(saved["params"], group["params"])
        }
        state = defaultdict(dict)
        for index, values in state_dict["state"].items():
            param = param_of.get(index)
            if param is None:
                continue
            state[param] = {key: _load_value(key, value, param) for key, value in values.items()}
        new_groups = []
        for group, saved in zip(self.param_groups, saved_groups):
            options = {key: copy.deepcopy(value) for key, value in saved.items() if key != "params"}
            new_groups.append({**options, "params": group["params"]})
        self.state = state
        self.param_groups = new_groups


def _recording_call(step):
    @functools.wraps(step)
    def recorded_step(self, *args, **kwargs):
        self._opt_called = True
        return step(self, *args, **kwargs)

    return recorded_step


def _check_param(optimizer_name, param):
    """A parameter must be a leaf Tensor of a real floating dtype."""
    if not isinstance(param, Tensor):
        raise TypeError(
            f"optimizer can only optimize Tensors, but one of the params is {type(param).__name__}"
        )
    if param.grad_fn is not None:
        raise ValueError("can't optimize a non-leaf Tensor")
    if param.data.dtype.kind != "f":
        raise ValueError(
            f"{optimizer_name} can only optimize real floating-point Tensors, but got one of "
            f"dtype {param.data.dtype} (complex parameters are not supported)"
        )


def _load_value(key, value, param):
    """A copy of one saved state value; floating buffers take the parameter's dtype.

    0-d counters (``step``, NAdam's ``mu_product``) keep theirs: PyTorch casts
    ``mu_product`` to the parameter's dtype, which makes a resumed float64 NAdam run drift
    from the uninterrupted one; keeping the dtype makes the resume exact.
    """
    if isinstance(value, (Tensor, np.ndarray)):
        array = np.asarray(value.data if isinstance(value, Tensor) else value)
        if array.ndim and array.dtype.kind == "f":
            array = array.astype(param.data.dtype)
        return Tensor._make(np.array(array, copy=True))
    return copy.deepcopy(value)
