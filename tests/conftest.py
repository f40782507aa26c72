"""Shared test configuration: hypothesis profiles, and the order of the tests that empty
JAX's caches.

The ``ci`` profile (the default) is deterministic and modest so the whole suite
runs in a few minutes on a 2-core machine; select another profile with
``HYPOTHESIS_PROFILE=dev python -m pytest``.
"""
import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    max_examples=25,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile(
    "dev",
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_collection_modifyitems(config, items):
    """Tests marked ``clears_jax_caches`` (they call ``fl.clear_caches``/``jax.clear_caches``)
    run after all the others: each later test in the same process would otherwise
    compile its JAX oracles again (about 40 ms per operation and shape)."""
    items.sort(key=lambda item: item.get_closest_marker("clears_jax_caches") is not None)
