"""Hypothesis profiles: "default" for a quick local run, "ci" with more examples, "thorough"
for a long hunt. Choose one with the environment variable HYPOTHESIS_PROFILE."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Phase, settings

_SLOW_DATA = [HealthCheck.too_slow, HealthCheck.data_too_large]

settings.register_profile("default", max_examples=50, deadline=None, suppress_health_check=_SLOW_DATA)
# CI draws the same examples on every run (a red CI is then a real, reproducible failure, not
# a new draw); the thorough profile is where new examples are hunted.
# CI does not shrink: a shrink of a slow proof can take longer than the whole suite, and the
# printed blob reproduces the failure locally, where the default profile shrinks it.
settings.register_profile(
    "ci",
    max_examples=20,
    deadline=None,
    suppress_health_check=_SLOW_DATA,
    derandomize=True,
    print_blob=True,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)
settings.register_profile("thorough", max_examples=2000, deadline=None, suppress_health_check=_SLOW_DATA)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
