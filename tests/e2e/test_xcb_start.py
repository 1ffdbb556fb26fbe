"""The app starts on a real X display (Qt's xcb platform, under Xvfb), not only offscreen.

Qt's xcb plugin needs more system libraries than the offscreen one; tools/system-deps.sh
installs them with Xvfb and xwininfo, and `make test` runs it first, so this test runs on CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from inspector_app.cli import cli
from inspector_app.labels import APP_TITLE
from tests.e2e.conftest import need as _need
from tests.e2e.waiting import READY_PREFIX, LineReader, poll, stop

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="Xvfb and xcb are Linux's")


def _xwininfo(display: str, *args: str) -> str:
    result = subprocess.run(
        [_need("xwininfo"), "-display", display, *args], capture_output=True, timeout=30
    )
    return result.stdout.decode("utf-8", errors="replace")


def _viewable_window_titled(title: str, display: str) -> str | None:
    """Return the id of a window with this title that is mapped and viewable, if there is one."""
    for line in _xwininfo(display, "-root", "-tree").splitlines():
        if f'"{title}"' in line:
            window_id = line.split()[0]
            if "Map State: IsViewable" in _xwininfo(display, "-id", window_id):
                return window_id
    return None


def test_app_opens_its_window_on_an_x_display(tmp_path: Path, display: str) -> None:
    workspace = tmp_path / "ws"
    assert CliRunner().invoke(cli, ["--workspace", str(workspace), "demo"]).exit_code == 0
    env = {k: v for k, v in os.environ.items() if k not in {"QT_QPA_PLATFORM", "WAYLAND_DISPLAY"}}
    env.update(QT_QPA_PLATFORM="xcb", DISPLAY=display)
    process = subprocess.Popen(
        [sys.executable, "-m", "inspector_app.cli", "--lang", "zh", "--workspace", str(workspace)],
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
    )
    assert process.stderr is not None
    reader = LineReader(process.stderr)
    try:
        ready = reader.wait_for(READY_PREFIX, timeout=60)
        assert "共 9 件" in ready
        title = f"{APP_TITLE} — {workspace}"
        poll(lambda: _viewable_window_titled(title, display), 30, f"a window titled {title!r}")
        assert process.poll() is None
    finally:
        stop(process, reader)
    said = reader.text()
    assert "could not load" not in said.lower() and "Traceback" not in said, said
