"""Building the compiled modules: where it cannot, it says why and leaves plain Python."""

from __future__ import annotations

import pytest

from correlation import build_native


def test_a_missing_compiler_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CC", "no-such-cc-vigil")
    assert build_native.missing_toolchain() == "no C compiler ('no-such-cc-vigil' is not on PATH)"


def test_without_a_compiler_the_build_is_skipped_not_failed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CC", "no-such-cc-vigil")
    monkeypatch.setattr(build_native, "is_fresh", lambda: False)
    assert build_native.main([]) == 0
    assert "not compiled, no C compiler" in capsys.readouterr().err


def test_arguments_are_refused_with_the_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert build_native.main(["build"]) == 2
    assert "usage: python -m correlation.build_native" in capsys.readouterr().err
