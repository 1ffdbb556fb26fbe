"""Odd command-line arguments get a clear refusal, never a traceback: text that is not UTF-8
(a terminal in another encoding), an empty export folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from inspector_app.cli import cli

BAD = "\udcff"  # what Python makes of the byte 0xff in an argument that is not UTF-8


def run(*args: str) -> Result:
    return CliRunner(env={"INSPECTOR_USER": None, "INSPECTOR_WORKSPACE": None}).invoke(
        cli, list(args)
    )


def add_reviewer(folder: Path, name: str = "张三") -> Result:
    return run(
        "--workspace", str(folder), "reviewer", "add", "--name", name, "--unit", "省局",
        "--unit-type", "other", "--certificate-no", "XKSC-1", "--certificate-expiry", "2030-01-01",
    )  # fmt: skip


@pytest.mark.parametrize(
    "command",
    [
        ["case", "show", f"XK{BAD}"],
        ["--user", BAD, "settings", "set", "time_zone", "UTC"],
        ["--user", "张三", "settings", "set", "time_zone", BAD],
        ["report", BAD, "--document", "full", "--out", "{tmp}/r.pdf"],
        ["forms", "export", BAD, "--out", "{tmp}/f.xlsx"],
    ],
    ids=["case-id", "user", "setting-value", "report-case", "form-id"],
)
def test_text_that_is_not_utf8_is_a_usage_error(tmp_path: Path, command: list[str]) -> None:
    folder = tmp_path / "ws"
    assert add_reviewer(folder).exit_code == 0
    args = [part.format(tmp=tmp_path) for part in command]
    result = run("--workspace", str(folder), *args)
    assert result.exit_code == 2, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception
    assert "not valid UTF-8" in result.output, result.output


def test_a_reviewer_named_in_another_encoding_is_refused_and_not_stored(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    assert add_reviewer(folder).exit_code == 0
    result = add_reviewer(folder, f"王{BAD}")
    assert result.exit_code == 2 and "'--name'" in result.output, result.output
    assert "王" not in run("--workspace", str(folder), "reviewer", "list").output


def test_a_workspace_folder_whose_name_is_not_utf8_still_works(tmp_path: Path) -> None:
    """Paths are left alone: a folder may have any name the system allows."""
    folder = tmp_path / f"ws{BAD}"
    assert add_reviewer(folder).exit_code == 0
    assert "张三" in run("--workspace", str(folder), "reviewer", "list").output


def test_export_refuses_an_empty_out_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--out ""` would be the current folder: refused, nothing written there."""
    folder = tmp_path / "ws"
    assert add_reviewer(folder).exit_code == 0
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    result = run("--workspace", str(folder), "export", "--out", "")
    assert result.exit_code == 2 and "'--out'" in result.output, result.output
    assert list(here.iterdir()) == []
