"""Over a real socket on 127.0.0.1: `inspector-server user add`, the server under uvicorn in a
thread on a free port, then `inspector enroll` and `inspector sync --json` as a person runs
them. Every wait is bounded."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from inspector_app.cli import cli
from inspector_app.store import sync_queue
from inspector_app.store.workspace import open_workspace
from sync.server.cli import cli as server_cli
from sync.server.storage import Storage
from tests.sync.conftest import PASSPHRASE
from tests.sync.live import running_server


@pytest.fixture
def server(tmp_path: Path, database_url: str | None) -> Iterator[tuple[str, list[str]]]:
    """The server on a free loopback port; yields its URL and the `inspector-server` options
    that name its storage."""
    data = tmp_path / "server"
    storage = Storage.open(data, database_url)
    with running_server(storage) as url:
        options = ["--data", str(data)]
        if database_url is not None:
            options += ["--database-url", database_url]
        yield url, options
    storage.close()


def test_enroll_and_sync_over_loopback(
    server: tuple[str, list[str]], demo_template: Path, tmp_path: Path
) -> None:
    url, options = server
    added = CliRunner().invoke(
        server_cli,
        [
            *options,
            *("user", "add", "王建华", "--unit", "江苏省质检院"),
            *("--unit-type", "technical_institution", "--role", "leader"),
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


def test_sync_says_how_many_attachments_went_up(
    server: tuple[str, list[str]], demo_template: Path, tmp_path: Path
) -> None:
    url, options = server
    added = CliRunner().invoke(
        server_cli,
        [
            *options,
            "user",
            "add",
            "李明",
            "--unit",
            "质检院",
            "--unit-type",
            "other",
            "--role",
            "reviewer",
            *("--certificate", "XKSC-2026-0103", "--expires", "2030-12-31"),
        ],
    )
    assert added.exit_code == 0, added.output
    code = added.output.split()[-1]
    folder = tmp_path / "ws"
    shutil.copytree(demo_template, folder)
    with open_workspace(folder) as workspace:
        held = workspace.db.execute("SELECT count(*), sum(size) FROM attachment").fetchone()
    env = {"INSPECTOR_PASSPHRASE": PASSPHRASE}
    base = ["--workspace", str(folder)]
    enrolled = CliRunner().invoke(cli, [*base, "enroll", "--server", url, "--code", code], env=env)
    assert enrolled.exit_code == 0, enrolled.output
    synced = CliRunner().invoke(cli, [*base, "sync"], env=env)
    assert synced.exit_code == 0, synced.output
    assert f"上传附件 {held[0]} 个（{held[1] / 1048576:.1f} MB，断点续传 0 个）" in synced.output
    again = CliRunner().invoke(cli, [*base, "sync"], env=env)
    assert "上传附件" not in again.output


def test_office_assigns_a_case_and_a_fresh_laptop_gets_it_over_loopback(
    server: tuple[str, list[str]], demo_template: Path, tmp_path: Path
) -> None:
    url, options = server
    demo = ["--workspace", str(demo_template)]
    exported = tmp_path / "case.json"
    made = CliRunner().invoke(
        cli, [*demo, "case", "export", "XK06-2026-0104", "--out", str(exported)]
    )
    assert made.exit_code == 0, made.output

    def office(*args: str) -> str:
        result = CliRunner().invoke(server_cli, [*options, *args])
        assert result.exit_code == 0, result.output
        return result.output

    code = office(
        *("user", "add", "李明", "--unit", "山东省质检院", "--unit-type", "other", "--role"),
        *("leader", "--certificate", "XKSC-2026-0102", "--expires", "2030-12-31"),
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
