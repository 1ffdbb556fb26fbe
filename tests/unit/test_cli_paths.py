"""Messages point to the right place: workspace paths, read-only commands, --version, --help in
one language, and Ctrl-C (exit 130, one line, nothing kept)."""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from sqlite_utils.migrations import Migrations

from inspector_app import cli as cli_module
from inspector_app.cli import INTERRUPTED, cli, main
from inspector_app.store import workspace as workspace_module
from inspector_app.store.errors import WorkspaceError
from inspector_app.store.queries import Queries
from inspector_app.store.schema import MIGRATIONS
from inspector_app.store.workspace import DATABASE_NAME, open_workspace
from inspector_app.version import app_version
from tests.conftest import DemoWorkspaces
from tests.unit.test_cli import all_commands
from tests.unit.test_workspace_faults import NOW, counts, sha256_of

ROOT = Path(__file__).resolve().parents[2]
READ_COMMANDS = (["case", "list"], ["case", "show", "XK06-2026-0104"], ["audit", "verify"])


def run(workspace: Path | str, *args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, ["--workspace", str(workspace), *args])


def one_line_error(result: click.testing.Result) -> str:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), result.stderr
    return lines[0]


def ws_open_error(folder: Path, *, read_only: bool) -> str:
    with pytest.raises(WorkspaceError) as caught:
        open_workspace(folder, read_only=read_only)
    return str(caught.value)


@pytest.fixture
def demo_ws(demo_workspaces: DemoWorkspaces, tmp_path: Path) -> Path:
    folder = tmp_path / "demo"
    demo_workspaces.copy(folder, NOW)
    return folder


# (2) workspace paths ---------------------------------------------------------------------------


def test_a_path_under_a_file_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    folder = tmp_path / "notes.txt" / "ws"
    for read_only in (False, True):
        message = ws_open_error(folder, read_only=read_only)
        assert f"其中的 {tmp_path / 'notes.txt'} 是一个文件" in message and str(folder) in message
    for command in (["demo"], ["case", "list"]):
        assert "是一个文件" in one_line_error(run(folder, *command))


def test_a_name_too_long_is_one_clear_message(tmp_path: Path) -> None:
    folder = tmp_path / ("长" * 200) / "ws"
    for read_only in (False, True):
        assert "过长" in ws_open_error(folder, read_only=read_only)
    assert "过长" in one_line_error(run(folder, "demo"))
    assert not list(tmp_path.iterdir())


def test_a_symlink_loop_is_named(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    for folder in (tmp_path / "a", tmp_path / "a" / "ws"):
        for read_only in (False, True):
            message = ws_open_error(folder, read_only=read_only)
            assert "符号链接" in message and "循环" in message and str(folder) in message
        assert "循环" in one_line_error(run(folder, "case", "list"))


def test_a_missing_mount_behind_a_symlink_is_unreachable(tmp_path: Path) -> None:
    (tmp_path / "usb").symlink_to(tmp_path / "media" / "usb-disk")
    for folder in (tmp_path / "usb", tmp_path / "usb" / "ws"):
        for read_only in (False, True):
            message = ws_open_error(folder, read_only=read_only)
            assert "无法到达" in message and "usb-disk" in message and "移动硬盘" in message
        assert "无法到达" in one_line_error(run(folder, "demo"))
    assert not (tmp_path / "media").exists()


def test_a_parent_without_permission_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """root passes every permission check, so the refusal of the system is simulated."""
    locked = tmp_path / "locked"
    locked.mkdir()
    real_stat = os.stat

    def stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if str(path).startswith(str(locked / "")):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", stat)
    for read_only in (False, True):
        message = ws_open_error(locked / "ws", read_only=read_only)
        assert "没有权限" in message and str(locked / "ws") in message
    assert "没有权限" in one_line_error(run(locked / "ws", "case", "list"))


def test_empty_workspace_option_or_variable_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for value in ("", "   "):
        result = CliRunner().invoke(cli, ["--workspace", value, "case", "list"])
        assert result.exit_code == 2 and "--workspace" in result.stderr
    monkeypatch.setenv("INSPECTOR_WORKSPACE", "")
    result = CliRunner().invoke(cli, ["case", "list"])
    assert result.exit_code == 2 and "INSPECTOR_WORKSPACE" in result.stderr


# read-only commands ----------------------------------------------------------------------------


def test_read_commands_create_nothing_at_a_mistyped_path(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "ws"
    empty = tmp_path / "empty"
    empty.mkdir()
    for folder in (missing, empty):
        for command in (*READ_COMMANDS, ["case", "export", "X", "--out", str(tmp_path / "o")]):
            line = one_line_error(run(folder, *command))
            assert "没有工作区" in line and str(folder) in line and "inspector demo" in line
        result = CliRunner().invoke(
            cli, ["--workspace", str(folder), "forms", "export", "cement", "--out", "x.xlsx"]
        )
        assert result.exit_code == 1 and "没有工作区" in result.stderr
    assert not (tmp_path / "typo").exists()
    assert list(empty.iterdir()) == []


def test_read_commands_do_not_install_forms(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    open_workspace(folder, install_forms=False).close()
    before = sha256_of(folder / DATABASE_NAME)
    assert run(folder, "case", "list").exit_code == 0
    result = CliRunner().invoke(
        cli, ["--workspace", str(folder), "forms", "export", "cement", "--out", "x.xlsx"]
    )
    assert result.exit_code == 1 and "没有核查表" in result.stderr
    assert sha256_of(folder / DATABASE_NAME) == before
    assert sorted(p.name for p in folder.iterdir()) == [
        "attachments",
        "attachments.lock",
        DATABASE_NAME,
    ]


def test_read_only_open_refuses_writes(demo_ws: Path) -> None:
    with open_workspace(demo_ws, read_only=True) as workspace:
        assert workspace.read_only
        before = counts(workspace.db)
        with pytest.raises(Exception, match=r"readonly|read-only|query_only"):
            workspace.db.execute("DELETE FROM outbox")
        assert counts(workspace.db) == before


def test_read_only_open_of_a_workspace_needing_a_migration_is_refused(
    demo_ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    upgraded = Migrations("inspector")
    for migration in MIGRATIONS._migrations:
        upgraded(name=migration.name)(migration.fn)
    upgraded(name="9000_test_upgrade")(lambda db: db.execute("CREATE TABLE marker (id INTEGER)"))
    monkeypatch.setattr(workspace_module, "MIGRATIONS", upgraded)
    before = sha256_of(demo_ws / DATABASE_NAME)
    message = ws_open_error(demo_ws, read_only=True)
    assert "需要先升级" in message and "9000_test_upgrade" in message and "未被修改" in message
    assert "需要先升级" in one_line_error(run(demo_ws, "case", "list"))
    assert sha256_of(demo_ws / DATABASE_NAME) == before
    assert not list(demo_ws.glob("*.bak-*"))


@pytest.fixture
def ro_mount(tmp_path: Path) -> object:
    if os.geteuid() != 0:
        pytest.skip("a read-only bind mount needs root")

    def mount(source: Path) -> Path:
        target = tmp_path / f"ro-{source.name}"
        target.mkdir()
        if subprocess.run(["mount", "--bind", str(source), str(target)]).returncode != 0:
            pytest.skip("mount --bind is not permitted here")
        mounted.append(target)
        subprocess.run(["mount", "-o", "remount,bind,ro", str(target)], check=True)
        return target

    mounted: list[Path] = []
    yield mount
    for target in mounted:
        subprocess.run(["umount", str(target)], check=True)


def test_read_commands_work_on_a_read_only_mount(demo_ws: Path, ro_mount, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = ro_mount(demo_ws)
    assert not (target / f"{DATABASE_NAME}-shm").exists()  # so mode=ro alone cannot open it
    before = sha256_of(target / DATABASE_NAME)
    for command in READ_COMMANDS:
        result = run(target, *command)
        assert result.exit_code == 0, result.stderr
    listed = run(target, "case", "list").stdout
    assert "XK06-2026-0104" in listed
    out = tmp_path / "case.json"
    assert run(target, "case", "export", "XK06-2026-0104", "--out", str(out)).exit_code == 0
    assert out.stat().st_size > 0
    assert "只读" in one_line_error(run(target, "demo"))
    assert sha256_of(target / DATABASE_NAME) == before


def test_unmerged_log_on_a_read_only_mount_is_refused_not_read_stale(
    demo_ws: Path,
    ro_mount,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    copy = tmp_path / "copy"
    copy.mkdir()
    with open_workspace(demo_ws) as workspace:  # a write left in the -wal, as after a crash
        workspace.db.execute("PRAGMA wal_autocheckpoint=0")
        with workspace.db.conn:
            workspace.db.execute("DELETE FROM outbox")
        for name in (DATABASE_NAME, f"{DATABASE_NAME}-wal"):
            (copy / name).write_bytes((demo_ws / name).read_bytes())
    target = ro_mount(copy)
    line = one_line_error(run(target, "case", "list"))
    assert "workspace.db-wal" in line and "可写的位置" in line


# (3) --version, (4) --help ---------------------------------------------------------------------


def test_version_comes_from_the_package_metadata() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"inspector {app_version()}"
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", app_version())


def test_version_falls_back_to_pyproject(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import metadata

    from inspector_app import version

    def missing(_name: str) -> str:
        raise metadata.PackageNotFoundError(_name)

    monkeypatch.setattr(metadata, "version", missing)
    assert version.app_version() == "0.1.0" or version.app_version()[0].isdigit()
    monkeypatch.setattr(version, "PYPROJECT", Path("/nonexistent/pyproject.toml"))
    assert version.app_version() == "unknown"


CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


@pytest.mark.parametrize("command", ["", "case", "audit", "forms", *all_commands()])
def test_help_is_english_throughout(command: str) -> None:
    result = CliRunner().invoke(cli, [*command.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert not CJK.search(result.stdout), CJK.findall(result.stdout)


# (5) Ctrl-C ------------------------------------------------------------------------------------


@pytest.fixture
def sigint_restored() -> object:
    """main() installs its handler (and ignores a second Ctrl-C when interrupted); put the
    test process's handler back, or later subprocesses inherit an ignored SIGINT."""
    saved = signal.getsignal(signal.SIGINT)
    yield
    signal.signal(signal.SIGINT, saved)


@pytest.mark.parametrize("raised", [KeyboardInterrupt, click.Abort, cli_module.Interrupted])
def test_interrupt_in_a_command_is_one_line_and_exit_130(
    raised: type[BaseException],
    demo_ws: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    sigint_restored: None,
) -> None:
    def interrupted(*_args: object) -> None:
        raise raised

    monkeypatch.setattr(Queries, "case_rows", interrupted)
    with pytest.raises(SystemExit) as caught:
        main(["--workspace", str(demo_ws), "case", "list"])
    assert caught.value.code == 130
    assert INTERRUPTED in capfd.readouterr().err.strip().splitlines()


def test_main_keeps_exit_codes(
    demo_ws: Path, capfd: pytest.CaptureFixture[str], sigint_restored: None
) -> None:
    for args, code in (
        (["case", "list"], 0),
        (["case", "show", "NOPE"], 1),
        (["case", "export", "x"], 2),
        (["--help"], 0),
    ):
        with pytest.raises(SystemExit) as caught:
            main(["--workspace", str(demo_ws), *args])
        assert caught.value.code == code, args
    err = capfd.readouterr().err
    assert "Error: Missing option '--out'" in err and "Traceback" not in err


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}


def test_sigint_during_an_import_keeps_nothing(demo_ws: Path, tmp_path: Path) -> None:
    case_file = tmp_path / "case.json"
    assert run(demo_ws, "case", "export", "XK06-2026-0104", "--out", str(case_file)).exit_code == 0
    target = tmp_path / "target"
    clerk = run(
        target, "reviewer", "add", "--name", "张三", "--unit", "省局", "--unit-type", "other",
        "--certificate-no", "X-1", "--certificate-expiry", "2030-01-01",
    )  # fmt: skip
    assert clerk.exit_code == 0, clerk.stderr
    with open_workspace(target, read_only=True) as workspace:
        before = counts(workspace.db)
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "tests/unit/interrupt_helper.py"), "--workspace",
         str(target), "--user", "张三", "case", "import", str(case_file)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=_env(),
    )  # fmt: skip
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "PAUSED"  # inside the import's transaction
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err == f"{INTERRUPTED}\n"
    with open_workspace(target, read_only=True) as workspace:
        assert counts(workspace.db) == before
        assert workspace.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not [p for p in (target / "attachments").rglob("*") if p.is_file()]


def test_sigint_closes_the_desktop_app(demo_ws: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "inspector_app.cli", "--workspace", str(demo_ws)],
        stderr=subprocess.PIPE, text=True, encoding="utf-8", env=_env(),
    )  # fmt: skip
    try:
        assert process.stderr is not None
        for line in process.stderr:  # waits for the ready line, never sleeps
            if line.startswith("inspector:"):
                break
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 130
        assert "Traceback" not in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()
