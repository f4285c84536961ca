"""Hypothesis profiles for the robustness suite: a fast, repeatable default and a thorough run.

The default is derandomized, so ``make test`` tries the same examples every time and a red run
can be reproduced. ``HYPOTHESIS_PROFILE=ci`` (``.venv/bin/pytest tests/robustness``) draws new,
random examples and more of them: run it to look for new failures.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "robustness-default", max_examples=25, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "ci", max_examples=150, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "robustness-default"))
