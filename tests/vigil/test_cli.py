"""The `vigil` command."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import uvicorn

from api.schema.schema import sdl
from vigil import __version__
from vigil.cli import main


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No VIGIL_* variable of the machine leaks into a test, and nothing really serves."""
    for name in list(os.environ):
        if name.startswith("VIGIL_"):
            monkeypatch.delenv(name)

    def no_server(*args: object, **kwargs: object) -> None:
        raise AssertionError("the server must not start")

    monkeypatch.setattr(uvicorn, "run", no_server)


def test_check_fails_for_a_stale_schema_and_passes_after_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "schema.graphql"
    output.write_text("type Query { stale: String }\n")

    assert main(["export-schema", "--check", "--output", str(output)]) == 1
    assert "out of date" in capsys.readouterr().err
    assert output.read_text() == "type Query { stale: String }\n"  # --check writes nothing

    assert main(["export-schema", "--output", str(output)]) == 0
    assert output.read_text() == sdl()
    assert str(output) in capsys.readouterr().err

    assert main(["export-schema", "--check", "--output", str(output)]) == 0
    assert capsys.readouterr().err == ""


def test_check_fails_when_the_schema_file_is_missing(tmp_path: Path) -> None:
    output = tmp_path / "missing.graphql"
    assert main(["export-schema", "--check", "--output", str(output)]) == 1
    assert not output.exists()


def test_check_fails_when_one_character_differs(tmp_path: Path) -> None:
    output = tmp_path / "schema.graphql"
    assert main(["export-schema", "--output", str(output)]) == 0
    output.write_text(output.read_text().rstrip("\n"))
    assert main(["export-schema", "--check", "--output", str(output)]) == 1


def test_export_creates_missing_directories(tmp_path: Path) -> None:
    output = tmp_path / "frontend-schema" / "nested" / "schema.graphql"
    assert main(["export-schema", "--output", str(output)]) == 0
    assert output.read_text() == sdl()
    assert "type Query" in output.read_text()


def test_serve_with_an_invalid_port_variable_exits_2_with_a_hint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("VIGIL_PORT", "eighty")

    assert main(["serve"]) == 2

    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert lines[0] == "vigil: VIGIL_PORT must be a whole number, got 'eighty'."
    assert lines[1].startswith("  hint: ")
    assert len(lines[1]) > len("  hint: ")


def test_serve_with_an_out_of_range_port_variable_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("VIGIL_PORT", "70000")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "VIGIL_PORT must be between 0 and 65535" in err
    assert "hint:" in err


def test_serve_with_a_short_admin_token_hints_how_to_generate_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("VIGIL_ADMIN_TOKEN", "short")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "VIGIL_ADMIN_TOKEN" in err
    assert "hint: Generate one with" in err


def test_serve_with_an_out_of_range_port_option_exits_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["serve", "--port", "70000"]) == 2
    assert "--port must be between 0 and 65535" in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == f"vigil {__version__}"


def test_a_command_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main([])
    assert caught.value.code == 2
    assert "required" in capsys.readouterr().err
