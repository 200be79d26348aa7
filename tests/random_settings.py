"""The hypothesis settings the random-program tests (tests/test_random_*.py) share."""

import os

from hypothesis import HealthCheck, settings


def random_settings(variable, default):
    """Derandomized (the same programs on every run and machine, no example database), no
    deadline, and ``max_examples`` from the environment variable ``variable`` (else
    ``default``), so a long run is ``RANDOM_..._EXAMPLES=2000 pytest ...``."""
    return settings(
        max_examples=int(os.environ.get(variable, default)),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
