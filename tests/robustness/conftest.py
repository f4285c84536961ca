"""Hypothesis profiles for the robustness suite: a fast default and a thorough ``ci`` run.

Select one with ``HYPOTHESIS_PROFILE=ci`` (``.venv/bin/pytest tests/robustness``).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "robustness-default", max_examples=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "ci", max_examples=150, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "robustness-default"))
