"""Shared test configuration: hypothesis profiles.

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
