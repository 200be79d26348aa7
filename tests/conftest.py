import numpy as np
import pytest

import autograd as ag


@pytest.fixture(autouse=True)
def _seeded():
    """Every test starts from the same seed and the default dtype."""
    ag.manual_seed(0)
    ag.set_default_dtype(ag.float32)
    yield
    ag.set_default_dtype(ag.float32)


@pytest.fixture
def rng():
    return np.random.default_rng(0)
