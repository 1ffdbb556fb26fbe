"""Over a real socket on 127.0.0.1: `inspector-server user add`, the server under uvicorn in a
thread on a free port, then `inspector enroll` and `inspector sync --json` as a person runs
them. Every wait is bounded."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from click.testing import CliRunner

from inspector_app.cli import cli
from inspector_app.store import sync_queue
from inspector_app.store.workspace import open_workspace
from sync.server.app import create_app
from sync.server.cli import cli as server_cli
from sync.server.storage import Storage
from tests.sync.conftest import PASSPHRASE


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The server on a free loopback port; yields its URL and data folder."""
    data = tmp_path / "server"
    storage = Storage.in_folder(data)
    port = free_port()
    config = uvicorn.Config(
        create_app(storage), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started:
        assert time.monotonic() < deadline, "server did not start within 10 s"
        assert thread.is_alive(), "server thread died"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}", data
    running.should_exit = True
    thread.join(timeout=10)
    storage.close()


def test_enroll_and_sync_over_loopback(
    server: tuple[str, Path], demo_template: Path, tmp_path: Path
) -> None:
    url, data = server
    added = CliRunner().invoke(
        server_cli,
        [
            *("--data", str(data), "user", "add", "王建华", "--unit", "江苏省质检院"),
            *("--unit-type", "inspection_agency", "--role", "leader"),
            *("--certificate", "XKSC-2026-0101", "--expires", "2030-12-31"),
        ],
    )
    assert added.exit_code == 0, added.output
    code = added.output.split()[-1]
    assert httpx.get(f"{url}/openapi.json", timeout=10).status_code == 200

    folder = tmp_path / "ws"
    shutil.copytree(demo_template, folder)
    with open_workspace(folder) as workspace:
        queued = sync_queue.outbox_count(workspace.db)
    env = {"INSPECTOR_PASSPHRASE": PASSPHRASE}
    base = ["--workspace", str(folder)]
    enrolled = CliRunner().invoke(cli, [*base, "enroll", "--server", url, "--code", code], env=env)
    assert enrolled.exit_code == 0, enrolled.output
    assert "王建华" in enrolled.output
    synced = CliRunner().invoke(cli, [*base, "sync", "--json"], env=env)
    assert synced.exit_code == 0, synced.output
    report = json.loads(synced.output)
    assert report["pushed"] == queued and report["pending"] == 0
    with open_workspace(folder) as workspace:
        assert sync_queue.outbox_count(workspace.db) == 0
    again = CliRunner().invoke(cli, [*base, "sync"], env=env)
    assert again.exit_code == 0, again.output
    assert "上传 0 项更改" in again.output
    used = CliRunner().invoke(cli, [*base, "enroll", "--server", url, "--code", code], env=env)
    assert used.exit_code == 1
    assert "enrollment code" in used.output


def test_sync_before_enrolling_says_what_to_do(demo_template: Path, tmp_path: Path) -> None:
    shutil.copytree(demo_template, tmp_path / "ws")
    result = CliRunner().invoke(
        cli,
        ["--workspace", str(tmp_path / "ws"), "sync"],
        env={"INSPECTOR_PASSPHRASE": PASSPHRASE},
    )
    assert result.exit_code == 1
    assert "inspector enroll" in result.output


def test_office_assigns_a_case_and_a_fresh_laptop_gets_it_over_loopback(
    server: tuple[str, Path], demo_template: Path, tmp_path: Path
) -> None:
    url, data = server
    demo = ["--workspace", str(demo_template)]
    exported = tmp_path / "case.json"
    made = CliRunner().invoke(
        cli, [*demo, "case", "export", "XK06-2026-0104", "--out", str(exported)]
    )
    assert made.exit_code == 0, made.output

    def office(*args: str) -> str:
        result = CliRunner().invoke(server_cli, ["--data", str(data), *args])
        assert result.exit_code == 0, result.output
        return result.output

    code = office(
        "user", "add", "李明", "--unit", "山东省质检院", "--unit-type", "other", "--role", "leader"
    ).split()[-1]
    assert "assigned to 李明" in office("case", "assign", str(exported), "--team", "李明")
    agencies = tmp_path / "agencies.csv"
    agencies.write_text("id,name,products,valid_until\nJS-1,江苏省质检院,电线电缆,\n", "utf-8")
    office("reference", "import", str(agencies))

    env = {"INSPECTOR_PASSPHRASE": PASSPHRASE}
    base = ["--workspace", str(tmp_path / "fresh")]
    assert (
        CliRunner()
        .invoke(cli, [*base, "enroll", "--server", url, "--code", code], env=env)
        .exit_code
        == 0
    )
    synced = CliRunner().invoke(cli, [*base, "sync", "--json"], env=env)
    assert synced.exit_code == 0, synced.output
    report = json.loads(synced.output)
    assert report["applied_down"] > 10 and report["waiting"] == []
    listed = CliRunner().invoke(cli, [*base, "case", "list", "--json"])
    assert [row["application_no"] for row in json.loads(listed.stdout)] == ["XK06-2026-0104"]
    assert json.loads(CliRunner().invoke(cli, [*base, "conflicts", "--json"]).output) == []
    status = office("status")
    assert "devices: 1" in status and "李明" in status and "pending conflicts: 0" in status
