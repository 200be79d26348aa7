"""The one seeded generator every random op and ``nn.init`` draw from.

>>> ag.manual_seed(0)
>>> a = ag.randn(3)
>>> ag.manual_seed(0)
>>> (ag.randn(3) == a).all()
tensor(True)
"""

import numpy as np


class Generator:
    """A NumPy PCG64 generator with PyTorch's seeding interface."""

    def __init__(self, seed=None):
        self._seed = 67280421310721 if seed is None else int(seed)
        self.numpy = np.random.Generator(np.random.PCG64(self._seed))

    def manual_seed(self, seed):
        self._seed = int(seed)
        self.numpy = np.random.Generator(np.random.PCG64(self._seed))
        return self

    def initial_seed(self):
        return self._seed

    def get_state(self):
        """The generator's state as a dict of plain numbers (JSON-friendly)."""
        return self.numpy.bit_generator.state

    def set_state(self, state):
        self.numpy.bit_generator.state = state


default_generator = Generator()


def manual_seed(seed):
    """Seed the default generator, so runs repeat exactly."""
    return default_generator.manual_seed(seed)


def initial_seed():
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(state):
    default_generator.set_state(state)


def numpy_generator(generator=None):
    """The NumPy generator to draw from: the given Generator's, or the default one's."""
    return (generator or default_generator).numpy
