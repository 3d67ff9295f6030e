"""VIGIL_CORRELATION_RETRAIN_HOURS: how often the correlation model is retrained."""

from __future__ import annotations

import pytest

from vigil.settings import ConfigError, Settings


def test_retraining_defaults_to_daily_and_reads_the_variable() -> None:
    assert Settings.from_env({}).correlation_retrain_hours == 24
    env = {"VIGIL_CORRELATION_RETRAIN_HOURS": "6"}
    assert Settings.from_env(env).correlation_retrain_hours == 6


@pytest.mark.parametrize("raw", ["0", "soon", "9000"])
def test_a_bad_retraining_period_names_the_variable(raw: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"VIGIL_CORRELATION_RETRAIN_HOURS": raw})
    assert caught.value.field == "VIGIL_CORRELATION_RETRAIN_HOURS"
