"""The op registry: every differentiable op class, by name.

Ops register themselves with ``@register``. The tests enumerate ``OPS`` so that an op added
without a gradient check, a second-order check and a forward check fails the suite; the
graph drawing reads op names from it.
"""

OPS = {}


def register(cls):
    """Class decorator: add a Function subclass to the registry under its class name."""
    if cls.__name__ in OPS:
        raise RuntimeError(f"op {cls.__name__} is registered twice")
    OPS[cls.__name__] = cls
    cls._numpy_forward = True  # see Function._numpy_forward
    return cls
