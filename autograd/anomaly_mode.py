"""Anomaly detection: find the forward op whose gradient became NaN or inf.

While enabled, every recorded node keeps the Python stack of the forward call that made
it, and the backward pass checks each gradient a node returns. A non-finite one raises a
RuntimeError naming the node and showing that forward stack.

>>> with ag.detect_anomaly():
...     loss = model(x).log().sum()   # log of a negative number gives NaN
...     loss.backward()               # RuntimeError: Function 'LogBackward' returned nan ...
"""

import functools
import traceback
import warnings

import numpy as np


class _AnomalyState:
    enabled = False
    check_nan = True


state = _AnomalyState()


def is_anomaly_enabled():
    return state.enabled


def is_anomaly_check_nan_enabled():
    return state.check_nan


class set_detect_anomaly:
    """Turn anomaly detection on or off (at once, and until exit when used with ``with``)."""

    def __init__(self, mode, check_nan=True):
        self._previous = (state.enabled, state.check_nan)
        state.enabled = bool(mode)
        state.check_nan = bool(check_nan)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        state.enabled, state.check_nan = self._previous
        return False


class detect_anomaly:
    """Context manager and decorator enabling anomaly detection (slow: for debugging)."""

    def __init__(self, check_nan=True):
        self._check_nan = check_nan

    def __enter__(self):
        warnings.warn(
            "Anomaly Detection has been enabled. This mode will increase the runtime and "
            "should only be enabled for debugging.",
            stacklevel=2,
        )
        self._previous = (state.enabled, state.check_nan)
        state.enabled = True
        state.check_nan = self._check_nan
        return self

    def __exit__(self, *exc_info):
        state.enabled, state.check_nan = self._previous
        return False

    def __call__(self, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with detect_anomaly(self._check_nan):
                return function(*args, **kwargs)

        return wrapper


def creation_stack():
    """The forward stack to remember on a node, without chainrule's own frames."""
    frames = traceback.extract_stack()[:-1]
    while frames and "/autograd/" in frames[-1].filename.replace("\\", "/"):
        frames.pop()
    return "".join(traceback.format_list(frames))


def check_gradients(node, input_grads):
    """Raise when a gradient returned by ``node`` holds NaN (or inf)."""
    if not state.check_nan:
        return
    for index, grad in enumerate(input_grads):
        if grad is None:
            continue
        array = np.asarray(
            getattr(grad, "data", grad) if not isinstance(grad, np.ndarray) else grad
        )
        if array.dtype.kind == "f" and not np.isfinite(array).all():
            kind = "nan" if np.isnan(array).any() else "inf"
            stack = getattr(node, "_creation_stack", None) or "(not recorded: the op was created "
            "before anomaly detection was enabled)\n"
            raise RuntimeError(
                f"Function '{node.name()}' returned {kind} values in its {index}th output.\n"
                f"The forward call that created {node.name()} (most recent call last):\n{stack}"
            )
