"""The `inspector` entry point opens the app without click when only the app's options are
given, with the very values the click command line would pass; everything else goes to click."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from inspector_app import app as app_module
from inspector_app import entry
from inspector_app.cli import cli
from inspector_app.entry import AppStart, app_start

APP_COMMAND_LINES = [
    [],
    ["--workspace", "/w"],
    ["--workspace=/w", "--lang=en"],
    ["--lang", "zh", "--user", "王建华"],
    ["--user", "u", "--workspace", "/a", "--workspace", "/b"],  # the last one wins
    ["--user="],  # an empty one names nobody: $INSPECTOR_USER then
    ["--workspace", "/w", "--user", "u", "--lang", "en"],
]


@pytest.mark.parametrize("args", APP_COMMAND_LINES)
@pytest.mark.parametrize(
    "environ",
    [{}, {"INSPECTOR_WORKSPACE": "/env-ws"}, {"INSPECTOR_USER": "李"}],
    ids=["no-env", "env-workspace", "env-user"],
)
def test_the_app_opens_with_what_click_would_pass(
    args: list[str], environ: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("INSPECTOR_WORKSPACE", "INSPECTOR_USER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    calls: list[tuple[object, ...]] = []

    class FakeLaunch:
        @staticmethod
        def launch(*launched: object) -> int:
            calls.append(launched)
            return 0

    monkeypatch.setitem(sys.modules, "inspector_app.ui.launch", FakeLaunch)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert app_start(args, environ) == AppStart(*calls[0])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "args",
    [
        ["case", "list"],
        ["--workspace", "/w", "demo"],
        ["--help"],
        ["-h"],
        ["--version"],
        ["-V"],
        ["--screenshot", "shot.png"],
        ["--lang", "fr"],
        ["--lang="],
        ["--workspace", ""],
        ["--workspace", "  "],
        ["--workspace"],
        ["--workspace", "--user"],
        ["--user", "-x"],
        ["--nonsense"],
        ["--"],
        ["/some/folder"],
    ],
)
def test_anything_else_goes_to_click(args: list[str]) -> None:
    assert app_start(args, {}) is None


def test_an_empty_workspace_variable_goes_to_click_which_refuses_it() -> None:
    assert app_start([], {"INSPECTOR_WORKSPACE": ""}) is None
    assert app_start([], {"INSPECTOR_WORKSPACE": " "}) is None
    result = CliRunner().invoke(cli, [], env={"INSPECTOR_WORKSPACE": " "})
    assert result.exit_code == 2


def test_the_entry_point_sends_commands_to_click(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        entry.main(["--lang", "fr", "case", "list"])
    assert exit_info.value.code == 2
    assert "'fr' is not one of 'zh', 'en'" in capfd.readouterr().err


def test_the_environment_variables_are_the_composition_roots() -> None:
    assert (entry.WORKSPACE_ENV, entry.USER_ENV) == (app_module.WORKSPACE_ENV, app_module.USER_ENV)


def test_help_and_version_of_the_inspector_module_are_clicks(tmp_path: Path) -> None:
    for option, expected in (("--help", "Usage: inspector"), ("--version", "inspector ")):
        result = subprocess.run(
            [sys.executable, "-m", "inspector_app", option],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
            cwd=tmp_path,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(expected)
