"""Sync when a process dies: the laptop's sync killed with SIGKILL at random moments (in a
write, in a push, in an upload, in a pulled page) and started again; the server killed with
SIGKILL while a push is half applied and started again on the same storage. Each ends, after
the person simply syncs again, with the server holding exactly the laptop's records (each
mutation once, no conflict), every attachment whole and hash-checked, the outbox drained and
the workspace's audit chain intact. Both backends; every wait is bounded."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from inspector_app.cli import cli
from inspector_app.store import sync_queue
from inspector_app.store.codec import TABLE_OF
from inspector_app.store.sql import fetch_all
from inspector_app.store.workspace import Workspace, open_workspace
from sync.client.engine import SyncError, run_sync
from sync.server.publish import CENTRAL_OFFICE
from sync.server.storage import Storage, change, conflict, record_head
from tests.e2e.waiting import LineReader, stop
from tests.sync.conftest import NOW, PASSPHRASE, copy_workspace
from tests.sync.live import free_port, running_server
from tests.sync.test_faults import assert_attachments_match, enrolled, sync_until_done

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("sync_driver.py")
SEED = 20261130
KILLS = 8


def child_env() -> dict[str, str]:
    """The environment of a child process: this checkout first on its path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def laptop_heads(storage: Storage) -> dict[tuple[str, str], str | None]:
    """The server's head version of every record a laptop made."""
    with storage.reading() as conn:
        rows = conn.execute(
            select(record_head.c.record_table, record_head.c.record_id, record_head.c.version_id)
            .join(change, change.c.seq == record_head.c.change_seq)
            .where(change.c.device_id != CENTRAL_OFFICE)
        )
        return {(r.record_table, r.record_id): r.version_id for r in rows}


def laptop_mutations(storage: Storage) -> list[str]:
    """The mutation id of every change of the server's log that a laptop made."""
    with storage.reading() as conn:
        query = select(change.c.mutation_id).where(change.c.device_id != CENTRAL_OFFICE)
        return list(conn.execute(query).scalars())


def workspace_versions(workspace: Workspace) -> dict[tuple[str, str], str | None]:
    """The workspace's stored version of every record it made, and every attachment it holds
    (an attachment, named by its hash, has no version); not the registry (the office's)."""
    found = {}
    for table in [t for t in [*TABLE_OF.values(), "attachment"] if t != "reviewer"]:
        columns = "sha256 AS id, NULL AS version_id" if table == "attachment" else "id, version_id"
        mine = "" if table == "attachment" else "WHERE device_id IS NOT ?"
        args = [] if table == "attachment" else [CENTRAL_OFFICE]  # not the registry sent down
        for row in fetch_all(workspace.db, f"SELECT {columns} FROM {table} {mine}", args):
            found[(table, row["id"])] = row["version_id"]
    return found


def queued_versions(workspace: Workspace) -> int:
    """How many versions the workspace ever queued: each audited change of a synced record
    made here (a version pulled from the office is audited `…+pulled` and never queued; the
    signing identities and the centre's key stay on the laptop; the registry is the office's,
    its changes made here are held, never sent)."""
    tables = [t for t in [*TABLE_OF.values(), "attachment"] if t != "reviewer"]
    row = workspace.db.execute(
        "SELECT count(*) FROM audit_event WHERE action NOT LIKE '%+pulled' "
        f"AND record_table IN ({', '.join('?' for _ in tables)})",
        tables,
    ).fetchone()
    return int(row[0])


def assert_in_step(workspace: Workspace, storage: Storage) -> None:
    """The end state of every test here: the server holds exactly the laptop's records, each
    mutation once and none lost, no conflict; the outbox drained; the attachments whole; the
    workspace intact with its audit chain."""
    assert sync_queue.outbox_count(workspace.db) == 0
    mine = workspace_versions(workspace)
    held = laptop_heads(storage)
    assert {k: mine.get(k) for k in held} == held  # what the server holds is the laptop's
    missing = set(mine) - set(held)
    assert missing == set(), f"records never reached the server: {sorted(missing)[:5]}"
    mutations = laptop_mutations(storage)
    assert len(mutations) == len(set(mutations)) == queued_versions(workspace)
    assert list(storage.conflicts()) == []
    with storage.reading() as conn:
        assert conn.execute(select(func.count()).select_from(conflict)).scalar_one() == 0
    assert_attachments_match(workspace, storage)
    assert workspace.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    verified = CliRunner().invoke(cli, ["--workspace", str(workspace.folder), "audit", "verify"])
    assert verified.exit_code == 0, verified.output


@pytest.fixture
def laptop(demo_template: Path, tmp_path: Path) -> Path:
    """A copy of the demo workspace (closed: the processes of the test open it)."""
    with copy_workspace(demo_template, tmp_path / "laptop"):
        pass
    return tmp_path / "laptop"


def run_and_kill(
    folder: Path, url: str, seed: int, delay: float, after: str = "READY"
) -> list[str]:
    """Start the driver, SIGKILL it `delay` seconds after it said `after` (READY, or SYNC for a
    round that must finish one sync first, however slow the machine); return the lines it
    finished (a last line cut by the kill has no newline and is left out)."""
    proc = subprocess.Popen(
        [sys.executable, str(DRIVER), str(folder), url, str(seed)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=child_env(),
    )
    assert proc.stdout is not None and proc.stderr is not None
    reader = LineReader(proc.stdout)
    try:
        reader.wait_for("READY", timeout=60)
        if after != "READY":
            reader.wait_for(after, timeout=180)
        time.sleep(delay)  # the crash moment, not a readiness wait
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        reader.join(timeout=30)
        said = reader.text()
    finally:
        errors = proc.stderr.read() if proc.poll() is not None else ""
        stop(proc, reader)
    assert proc.returncode == -signal.SIGKILL, f"the driver ended by itself:\n{said}\n{errors}"
    return [line for line in said.splitlines(keepends=True) if line.endswith("\n")]


@pytest.mark.slow
def test_the_laptop_killed_mid_sync_and_started_again(laptop: Path, storage: Storage) -> None:
    rng = random.Random(SEED)
    with running_server(storage) as url:
        with open_workspace(laptop) as workspace:
            enrolled(workspace, storage, url)
        said: list[str] = []
        progress: list[int] = []
        left: list[int] = []  # what each kill left queued
        for round_no in range(KILLS):
            # the first round finishes a sync before its kill, so that the kills land between
            # syncs on a loaded machine too; the others are killed anywhere
            after = "SYNC " if round_no == 0 else "READY"
            said += run_and_kill(laptop, url, SEED + round_no, rng.uniform(0.2, 3.0), after)
            progress.append(len(laptop_mutations(storage)))
            with open_workspace(laptop) as workspace:  # opens after every kill
                assert workspace.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                left.append(sync_queue.outbox_count(workspace.db))
        acked = [line.split()[1] for line in said if line.startswith("ACK ")]
        photos = [line.split()[1] for line in said if line.startswith("ATT ")]
        synced = [line for line in said if line.startswith("SYNC ")]
        with open_workspace(laptop) as workspace:
            sync_until_done(workspace, url, attempts=5)
            assert_in_step(workspace, storage)
            held = laptop_heads(storage)
            versions = {v for (t, _), v in held.items() if t == "checklist_result"}
            with storage.reading() as conn:
                every = set(conn.execute(select(change.c.version_id)).scalars())
            # every acknowledged result reached the server (as the head, or replaced later)
            assert set(acked) <= every
            assert {("attachment", sha) for sha in photos} <= set(held)
            assert versions
    # the kills did land in the middle of the work, with syncs done between them
    assert acked and photos and synced, said
    assert any(left), left
    assert progress[-1] > 0 and progress == sorted(progress)


def start_server(
    data: Path, database_url: str | None, port: int
) -> tuple[subprocess.Popen[str], LineReader]:
    """Start `inspector-server serve` on `port` over `data`; return once it listens."""
    args = [sys.executable, "-c", "from sync.server.cli import cli; cli()", "--data", str(data)]
    if database_url:
        args += ["--database-url", database_url]
    proc = subprocess.Popen(
        [*args, "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=child_env(),
    )
    assert proc.stderr is not None
    reader = LineReader(proc.stderr)
    try:
        reader.wait_for("INFO:     Uvicorn running", timeout=60)
    except AssertionError:
        stop(proc, reader)
        raise
    return proc, reader


def sync_once(folder: Path, url: str, done: list[object], failures: list[str]) -> None:
    """Sync the workspace in `folder` once, on its own connection (a SQLite connection stays
    on the thread that made it); note the report in `done` or the error in `failures`."""
    with open_workspace(folder) as mine, httpx.Client(base_url=url, timeout=30) as http:
        try:
            done.append(run_sync(mine.db, http, passphrase=PASSPHRASE, now=NOW))
        except SyncError as error:
            failures.append(str(error))


@pytest.mark.slow
def test_the_server_killed_mid_push_and_started_again(
    laptop: Path, storage: Storage, database_url: str | None
) -> None:
    data = storage.data
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc, reader = start_server(data, database_url, port)
    try:
        with open_workspace(laptop) as workspace:
            enrolled(workspace, storage, url)
            queued = sync_queue.outbox_count(workspace.db)
            failures: list[str] = []
            kills = []
            # Kill the server three times, each once it has applied part of the push (each
            # mutation is its own transaction): at about a quarter, a half, three quarters.
            for share in (0.25, 0.5, 0.75):
                done: list[object] = []
                pusher = threading.Thread(target=sync_once, args=(laptop, url, done, failures))
                pusher.start()
                target = int(queued * share)
                deadline = time.monotonic() + 120
                while len(laptop_mutations(storage)) < target:
                    assert time.monotonic() < deadline, "the push did not get far enough in 120 s"
                    assert pusher.is_alive(), f"the sync ended early: {failures} {done}"
                    time.sleep(0.005)  # the pace of polling, bounded by the deadline
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
                kills.append(len(laptop_mutations(storage)))
                pusher.join(timeout=60)
                assert not pusher.is_alive()
                stop(proc, reader)
                proc, reader = start_server(data, database_url, port)  # the same storage
            assert len(failures) == 3, failures  # each sync saw its server die
            assert kills == sorted(kills) and 0 < kills[0] < queued
            sync_until_done(workspace, url, attempts=5)
            assert_in_step(workspace, storage)
    finally:
        stop(proc, reader)
