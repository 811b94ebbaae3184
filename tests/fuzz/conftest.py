"""Hypothesis settings for the fuzz tests: modest, so the suite stays fast on both databases.

Under CI the examples are derandomised (the same every run: a red CI is reproducible); on a
developer's machine they are random, so running the suite again explores further. Nothing is
saved between runs (no .hypothesis folder in the work tree).
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "serviceplans",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "20")),
    deadline=None,
    database=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # one database per test, shared by its examples
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
settings.load_profile("serviceplans")
