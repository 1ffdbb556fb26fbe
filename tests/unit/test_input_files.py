"""Input files named on the command line are read with a bound on their size: `inspector
verify`, `inspector case import`, and the office's `case assign`, `form publish` and `reference
import`. A folder, a named pipe, a missing file or an endless device is one line and an exit
code, never a traceback, a hang or exhausted memory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from inspector_app.cli import cli as inspector_cli
from inspector_app.inputfile import InputTooLarge, read_bounded
from sync.server.cli import cli as server_cli

REPO = Path(__file__).resolve().parents[2]


def test_read_bounded_reads_a_file_within_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "ok.json"
    path.write_bytes(b"x" * 10)
    assert read_bounded(path, 10) == b"x" * 10


def test_read_bounded_refuses_a_file_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.pdf"
    path.write_bytes(b"x" * 11)
    with pytest.raises(InputTooLarge) as caught:
        read_bounded(path, 10)
    assert caught.value.limit == 10


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_read_bounded_stops_at_the_limit_on_an_endless_device() -> None:
    with pytest.raises(InputTooLarge):
        read_bounded(Path("/dev/zero"), 1024)


def test_read_bounded_refuses_a_folder_and_a_pipe_without_waiting(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="folder"):
        read_bounded(tmp_path)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="pipe"):
        read_bounded(fifo)  # opening it would wait for a writer for ever


def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    """A folder, a named pipe, a missing file and a dangling link: none can be read."""
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.json"
    folder.mkdir()
    dangling = tmp_path / "link.json"
    dangling.symlink_to(tmp_path / "gone")
    return {
        "folder": folder,
        "pipe": fifo,
        "missing": tmp_path / "missing.json",
        "dangling": dangling,
    }


def one_line_refusal(result: Result) -> None:
    assert result.exit_code in (1, 2), (result.exit_code, result.output)
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.output.strip(), "a refusal says why"


@pytest.mark.parametrize("kind", ["folder", "pipe", "missing", "dangling"])
@pytest.mark.parametrize(
    "command",
    [["verify"], ["case", "import"]],
    ids=["verify", "case-import"],
)
def test_inspector_input_files_that_cannot_be_read_are_one_line(
    tmp_path: Path, kind: str, command: list[str]
) -> None:
    path = bad_inputs(tmp_path)[kind]
    result = CliRunner().invoke(
        inspector_cli,
        ["--workspace", str(tmp_path / "ws"), "--user", "张三", *command, str(path)],
    )
    one_line_refusal(result)
    assert not (tmp_path / "ws").exists() or command == ["case", "import"]


@pytest.mark.parametrize("kind", ["folder", "pipe", "missing", "dangling"])
@pytest.mark.parametrize(
    "command",
    [["case", "assign"], ["form", "publish"], ["reference", "import"]],
    ids=["case-assign", "form-publish", "reference-import"],
)
def test_office_input_files_that_cannot_be_read_are_one_line(
    tmp_path: Path, kind: str, command: list[str]
) -> None:
    path = bad_inputs(tmp_path)[kind]
    extra = ["--team", "张三"] if command == ["case", "assign"] else []
    result = CliRunner().invoke(
        server_cli, ["--data", str(tmp_path / "office"), *command, str(path), *extra]
    )
    one_line_refusal(result)


def test_the_office_read_input_refuses_a_huge_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sync.server import cli as server

    path = tmp_path / "case.json"
    path.write_bytes(b"{" + b" " * 2000)
    monkeypatch.setattr("inspector_app.inputfile.MAX_INPUT_BYTES", 1024)
    monkeypatch.setattr("inspector_app.inputfile.read_bounded.__defaults__", (1024,), raising=True)
    with pytest.raises(click.ClickException, match="larger than 1 KB"):
        server.read_input(path)


def run_capped(argv: list[str], module: str) -> subprocess.CompletedProcess[str]:
    """Run a CLI's `main` in a subprocess whose address space is capped at 3 GB, so that
    reading an endless file whole would fail instead of exhausting the machine."""
    script = (
        "import resource, sys;"
        "resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3));"
        f"from {module} import main;"
        "sys.argv = sys.argv[1:];"
        "main()"
    )
    return subprocess.run(
        [sys.executable, "-c", script, *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_inspector_verify_refuses_dev_zero(tmp_path: Path) -> None:
    result = run_capped(
        ["inspector", "--workspace", str(tmp_path / "ws"), "verify", "/dev/zero"],
        "inspector_app.cli",
    )
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "文件过大" in result.stderr and "/dev/zero" in result.stderr, result.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize(
    "command",
    [["case", "assign", "/dev/zero", "--team", "张三"], ["form", "publish", "/dev/zero"]],
    ids=["case-assign", "form-publish"],
)
def test_office_commands_refuse_dev_zero(tmp_path: Path, command: list[str]) -> None:
    result = run_capped(
        ["inspector-server", "--data", str(tmp_path / "office"), *command], "sync.server.cli"
    )
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "larger than 256 MB" in result.stderr, result.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_office_reference_import_refuses_dev_zero(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        server_cli, ["--data", str(tmp_path / "office"), "reference", "import", "/dev/zero"]
    )
    one_line_refusal(result)
    assert "larger than" in result.output, result.output


@pytest.mark.parametrize(
    "command",
    [
        ["forms", "validate", "{pipe}.json"],
        ["forms", "validate", "{pipe}.xlsx"],
        ["forms", "import", "{pipe}.xlsx", "--out", "{out}"],
        ["forms", "import", "/dev/zero", "--out", "{out}"],
    ],
    ids=["validate-json-pipe", "validate-xlsx-pipe", "import-xlsx-pipe", "import-dev-zero"],
)
def test_form_files_that_are_no_files_are_refused_without_waiting(
    tmp_path: Path, command: list[str]
) -> None:
    """A named pipe would make the reader wait for a writer for ever, a device read for ever."""
    for suffix in (".json", ".xlsx"):
        os.mkfifo(tmp_path / f"pipe{suffix}")
    args = [part.format(pipe=tmp_path / "pipe", out=tmp_path / "out.json") for part in command]
    result = CliRunner().invoke(inspector_cli, args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "无法读取文件" in result.stderr, result.stderr
    assert not (tmp_path / "out.json").exists()


def test_the_office_refuses_an_empty_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--data ""` would make the office's database and keys in the current folder."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(server_cli, ["--data", "", "status"])
    assert result.exit_code == 2 and "'--data'" in result.output, result.output
    assert list(tmp_path.iterdir()) == []
