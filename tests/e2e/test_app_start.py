"""The real program starts on a workspace and shows its window (offscreen)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from inspector_app.cli import cli


def test_inspector_without_command_opens_the_app_on_the_workspace(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    assert CliRunner().invoke(cli, ["--workspace", str(workspace), "demo"]).exit_code == 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, "-m", "inspector_app.cli", "--workspace", str(workspace)],
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
    )
    try:
        assert process.stderr is not None
        for line in process.stderr:  # waits for what the app logs, never sleeps
            if line.startswith("inspector:"):
                break
        assert "共 9 件" in line
        assert process.poll() is None  # the window is open, the app still running
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stderr is not None:
            process.stderr.close()


def test_inspector_on_a_broken_workspace_says_so_in_one_line(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "inspector_app.cli", "--workspace", str(not_a_folder)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
    )
    assert result.returncode in (1, 2)
    assert "Traceback" not in result.stderr


def test_starting_the_app_leaves_spreadsheets_and_case_files_unimported(tmp_path: Path) -> None:
    """What only some commands need (openpyxl, jsonschema, the case-file import and export,
    pyHanko's verification, the sync client's pydantic and httpx) and what only some windows
    need (the case window, the settings, the error report) is imported by them, not at every
    start of the app."""
    code = (
        "import sys; from pathlib import Path\n"
        "import inspector_app.cli, inspector_app.ui.launch\n"
        "from inspector_app.app import open_services\n"
        "with open_services(Path(sys.argv[1]), user=None, write=True) as services:\n"
        "    services.queries.case_rows(alerts=False)\n"
        "heavy = ('openpyxl', 'jsonschema', 'inspector_app.casefile.replay',"
        " 'inspector_app.casefile.writer', 'pyhanko', 'reportlab', 'cryptography', 'keyring',"
        " 'pydantic', 'httpx', 'sqlalchemy', 'logging.handlers', 'inspector_app.ui.case_window',"
        " 'inspector_app.ui.settings_dialog', 'inspector_app.ui.error_dialog')\n"
        "print(' '.join(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "ws")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def _settings_file(config_home: Path, folder: Path) -> None:
    """Write the person's preferences as the settings screen keeps them (QSettings, INI)."""
    path = config_home / "inspector" / "inspector.ini"
    path.parent.mkdir(parents=True)
    path.write_text(f"[workspace]\nfolder={folder}\n", encoding="utf-8")


def test_the_workspace_chosen_in_the_settings_opens_at_the_next_start(tmp_path: Path) -> None:
    workspace = tmp_path / "chosen"
    assert CliRunner().invoke(cli, ["--workspace", str(workspace), "demo"]).exit_code == 0
    _settings_file(tmp_path / "config", workspace)
    env = {k: v for k, v in os.environ.items() if k != "INSPECTOR_WORKSPACE"}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        INSPECTOR_QUIT_AFTER_START="1",
    )
    result = subprocess.run(
        [sys.executable, "-m", "inspector_app"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert f"已打开工作区 {workspace}，共 9 件" in result.stderr


def test_a_chosen_workspace_that_is_gone_is_said_and_not_made_anew(tmp_path: Path) -> None:
    gone = tmp_path / "unplugged-drive" / "ws"
    _settings_file(tmp_path / "config", gone)
    env = {k: v for k, v in os.environ.items() if k != "INSPECTOR_WORKSPACE"}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    result = subprocess.run(
        [sys.executable, "-m", "inspector_app"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
    )
    assert result.returncode == 1
    assert f"设置中选择的工作区 {gone} 不存在" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "unplugged-drive").exists()


FIRST_PAINT_PROBE = """
import atexit, sys

def report():
    import inspector_app.ui.qt as qt
    print(" ".join(sorted(sys.modules)))
    print(" ".join(sorted(set(qt.__all__) & set(vars(qt)))))

atexit.register(report)
from inspector_app.cli import main
main(["--workspace", sys.argv[1]])
"""


def test_the_first_paint_waits_for_no_case_window_dialog_or_unused_qt_class(
    tmp_path: Path,
) -> None:
    """What the case list does not show is imported when first used: the case window and its
    steps, the dialogs, the error report's dialog and log file machinery; and the Qt classes
    the first window does not use are never looked up in PySide6 (`ui/qt.py`)."""
    result = run_start_probe(FIRST_PAINT_PROBE, tmp_path / "ws")
    assert result.returncode == 0, result.stderr
    modules_line, qt_line = result.stdout.strip().splitlines()[-2:]
    modules, qt_names = set(modules_line.split()), set(qt_line.split())
    assert "inspector_app.ui.main_window" in modules and "QTableView" in qt_names  # the probe works
    deferred = {
        "inspector_app.ui.case_window",
        "inspector_app.ui.checklist",
        "inspector_app.ui.team_step",
        "inspector_app.ui.intake",
        "inspector_app.ui.sign_in",
        "inspector_app.ui.settings_dialog",
        "inspector_app.ui.error_dialog",
        "inspector_app.ui.case_import",
        "inspector_app.ui.screenshot",
        "logging.handlers",
    }
    assert modules & deferred == set()
    unused = {"QDialog", "QFileDialog", "QMessageBox", "QTreeView", "QPlainTextEdit", "QSplitter"}
    assert qt_names & unused == set()


def run_start_probe(probe: str, workspace: Path) -> subprocess.CompletedProcess[str]:
    """Make the demo workspace at `workspace` and start the app on it offscreen with `probe`
    (a Python script given the workspace's path, which wraps the start), quitting once the
    window is ready; return the finished process."""
    assert CliRunner().invoke(cli, ["--workspace", str(workspace), "demo"]).exit_code == 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "INSPECTOR_QUIT_AFTER_START": "1"}
    env.pop("INSPECTOR_USER", None)
    return subprocess.run(
        [sys.executable, "-c", probe, str(workspace)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
    )
