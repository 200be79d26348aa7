"""Whether ops record the graph: no_grad, enable_grad, set_grad_enabled, inference_mode.

Each is a context manager and a decorator, as in PyTorch. The flag is per thread.
"""

import functools
import threading


class _GradState(threading.local):
    enabled = True
    # The qualified name of the nn.Module being called ('' for the outermost), or None:
    # nn.Module.__call__ sets it and every recorded node keeps it (graph drawings group by it).
    module_path = None


state = _GradState()


def is_grad_enabled():
    """True when ops record the graph for backward."""
    return state.enabled


class _GradModeContext:
    """Base of the context managers: sets the flag on entry, restores it on exit."""

    def _target(self):
        raise NotImplementedError

    def __enter__(self):
        self._previous = state.enabled
        state.enabled = self._target()
        return self

    def __exit__(self, *exc_info):
        state.enabled = self._previous
        return False

    def __call__(self, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with type(self)(*self._arguments()):
                return function(*args, **kwargs)

        return wrapper

    def _arguments(self):
        return ()


class no_grad(_GradModeContext):
    """Ops inside record no graph; their outputs do not require grad.

    >>> with ag.no_grad():
    ...     y = x * 2        # y.requires_grad is False
    """

    def _target(self):
        return False


class enable_grad(_GradModeContext):
    """Turn recording back on inside a no_grad block."""

    def _target(self):
        return True


class set_grad_enabled(_GradModeContext):
    """Set recording on or off; takes effect at once, and as a context manager until exit."""

    def __init__(self, mode):
        self._mode = bool(mode)
        self._previous = state.enabled
        state.enabled = self._mode

    def __enter__(self):
        return self  # the flag was already set by __init__

    def __call__(self, function):
        # Used as a decorator: undo the switch __init__ made; calls run with the mode set.
        state.enabled = self._previous
        return super().__call__(function)

    def _arguments(self):
        return (self._mode,)


class inference_mode(_GradModeContext):
    """Like no_grad (chainrule keeps no separate inference tensors); ``mode=False`` is a no-op."""

    def __init__(self, mode=True):
        self._mode = bool(mode)

    def _target(self):
        return False if self._mode else state.enabled

    def _arguments(self):
        return (self._mode,)
