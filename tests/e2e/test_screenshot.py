"""`inspector --screenshot FILE [--case ID] [--step STEP]`: the real program renders a window into
a PNG and exits; a wrong case, step or file is one clear line and exit code 2. At 150 %
scaling the case window's step list shows every label whole."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from inspector_app.cli import cli

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CASE_C = "XK08-2026-0201"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workspace = tmp_path_factory.mktemp("shot") / "ws"
    assert CliRunner().invoke(cli, ["--workspace", str(workspace), "demo"]).exit_code == 0
    return workspace


def run_inspector(*args: str, scale: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"QT_SCALE_FACTOR", "INSPECTOR_USER"}}
    env["QT_QPA_PLATFORM"] = "offscreen"
    if scale:
        env["QT_SCALE_FACTOR"] = scale
    return subprocess.run(
        [sys.executable, "-m", "inspector_app.cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )


def png_size(path: Path) -> tuple[int, int]:
    """Return the width and height a PNG file declares (its IHDR chunk)."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, "not a PNG file"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_main_window_is_rendered_into_a_png(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "main.png"
    result = run_inspector("--workspace", str(demo), "--lang", "zh", "--screenshot", str(out))
    assert result.returncode == 0, result.stderr
    assert png_size(out) == (1366, 768)
    assert "Traceback" not in result.stderr


def test_a_step_of_a_case_in_english_at_150_percent(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "case.png"
    result = run_inspector(
        "--workspace", str(demo), "--lang", "en", "--screenshot", str(out),
        "--case", CASE_C, "--step", "sampling",
        scale="1.5",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert png_size(out) == (2049, 1152)  # 1366×768 logical at 1.5


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--case", "XK00-0000-0000"], "工作区中没有案件 XK00-0000-0000"),
        (["--case", CASE_C, "--step", "lunch"], "没有名为 'lunch' 的步骤"),
        (["--step", "team"], "--step 需要同时用 --case"),
    ],
    ids=["unknown-case", "unknown-step", "step-without-case"],
)
def test_a_wrong_case_or_step_is_said_in_one_line_with_exit_code_2(
    demo: Path, tmp_path: Path, args: list[str], said: str
) -> None:
    out = tmp_path / "shot.png"
    result = run_inspector("--workspace", str(demo), "--screenshot", str(out), *args)
    assert result.returncode == 2
    assert said in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_file_that_cannot_be_written_is_said_with_exit_code_2(demo: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for out in (tmp_path / "missing" / "shot.png", blocker / "shot.png", tmp_path):
        result = run_inspector("--workspace", str(demo), "--screenshot", str(out))
        assert result.returncode == 2, out
        assert "Traceback" not in result.stderr
        assert "没有写出任何文件" in result.stderr or "Invalid value" in result.stderr, out
    assert blocker.read_text() == "x"


def test_a_screenshot_never_creates_a_workspace(tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    result = run_inspector("--workspace", str(tmp_path / "none"), "--screenshot", str(out))
    assert result.returncode == 1
    assert "没有工作区" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "none").exists() and not out.exists()


STEP_LIST_CHECK = """
import sys
from pathlib import Path
from inspector_app.app import open_services
from inspector_app.ui.case_window import CaseWindow
from inspector_app.ui.i18n import install_translator
from inspector_app.ui.qt import QApplication

app = QApplication([])
install_translator(app, sys.argv[2])
with open_services(Path(sys.argv[1]), user=None, write=False) as services:
    window = CaseWindow(services, services.queries.case_id(sys.argv[3]))
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    steps = window.steps
    widest = max(steps.sizeHintForIndex(steps.model().index(row, 0)).width()
                 for row in range(steps.count()))
    print(app.devicePixelRatio(), steps.viewport().width(), widest,
          steps.horizontalScrollBar().isVisible())
    window.close()
"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_at_150_percent_the_step_list_shows_every_label_whole(demo: Path, lang: str) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "1.5"}
    result = subprocess.run(
        [sys.executable, "-c", STEP_LIST_CHECK, str(demo), lang, CASE_C],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    ratio, viewport, widest, scroll_bar = result.stdout.split()
    assert float(ratio) == 1.5
    assert int(viewport) >= int(widest)
    assert scroll_bar == "False"


@pytest.mark.parametrize(
    "args",
    [
        ["--case", CASE_C],  # without --screenshot
        ["--step", "team"],
        ["--screenshot", "x.png", "case", "list"],  # with a command
    ],
    ids=["case-alone", "step-alone", "with-a-command"],
)
def test_screenshot_options_out_of_place_are_a_usage_error(
    demo: Path, tmp_path: Path, args: list[str]
) -> None:
    result = CliRunner().invoke(cli, ["--workspace", str(demo), *args])
    assert result.exit_code == 2
    assert "--screenshot" in result.output
    assert not (tmp_path / "x.png").exists()
