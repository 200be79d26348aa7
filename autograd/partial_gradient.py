"""The gradient a built-in backward may return in place of a mostly-zero Tensor."""

import numpy as np


class PartialGradient:
    """A gradient that is zero but in some elements, which a built-in op's backward may
    return for an input when the pass is not recorded (``x[index]``'s: g at the index).

    The engine adds it into the gradient already waiting for that input, in place when the
    engine made that one, instead of a zero array of the input's shape and a sum; only
    the first to arrive is made dense. A loop reading ``x[:, t]`` at each of T steps then
    costs O(T) in backward, not O(T^2). A subclass has the input's ``shape`` and ``dtype``
    and defines ``add_to(array)``, which adds its elements into ``array`` in place."""

    __slots__ = ()

    def dense(self):
        array = np.zeros(self.shape, self.dtype)
        self.add_to(array)
        return array
