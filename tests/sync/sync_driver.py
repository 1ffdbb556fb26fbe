"""Kill-test driver: a laptop that works and syncs in a loop until it is killed.

Usage: python tests/sync/sync_driver.py WORKSPACE SERVER_URL SEED

The workspace must hold the demo cases and be enrolled with the server under the sync tests'
passphrase (tests/sync/conftest.py). Prints `READY` once the workspace is open, then forever:
records a checklist result on demo case "c" (`ACK <version_id>` once committed), adds a
photo-sized attachment of random bytes (`ATT <sha256>` once committed), and syncs with the
server (`SYNC <pushed>` once the run finished). Each line is flushed as soon as it is true, so
a SIGKILL can land anywhere: in a write, between a push and its acknowledgement, in the middle
of an upload or of a pulled page.
"""

from __future__ import annotations

import os
import random
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx

from inspector_app.core.forms.model import RESULT_CONFORM
from inspector_app.core.model import Actor, ChecklistResult
from inspector_app.demo import demo_id
from inspector_app.store.attachments import add_attachment
from inspector_app.store.casework import Casework
from inspector_app.store.workspace import open_workspace
from sync.client.engine import SyncError, run_sync
from tests.e2e.crash_writer import CASE_ID, LEADER, LEADER_ID, writable_items
from tests.sync.conftest import PASSPHRASE


def main(folder: str, url: str, seed: int) -> None:
    rng = random.Random(seed)
    workspace = open_workspace(Path(folder))
    db = workspace.db
    codes = writable_items(db)
    work = Casework(db, LEADER, lambda: datetime.now(UTC))
    out = sys.stdout
    out.write("READY\n")
    out.flush()
    run = os.getpid()
    n = 0
    while True:
        code = rng.choice(codes)
        change = work.record_result(
            ChecklistResult(
                id=demo_id("c", "result", code),
                case_id=CASE_ID,
                item_code=code,
                result=RESULT_CONFORM,
                note=f"同步中断测试第 {n} 次记录（进程 {run}）",
                assessor_id=LEADER_ID,
                assessed_at=datetime.now(UTC),
            )
        )
        out.write(f"ACK {change.saved[0].version_id}\n")
        out.flush()
        photo = add_attachment(
            workspace,
            rng.randbytes(rng.randint(200_000, 3_000_000)),
            media_type="image/jpeg",
            original_name=f"现场照片-{run}-{n}.jpg",
            actor=Actor(LEADER.id, LEADER.name),
            now=datetime.now(UTC),
        )
        out.write(f"ATT {photo.sha256}\n")
        out.flush()
        with httpx.Client(base_url=url, timeout=30) as http:
            try:
                report = run_sync(db, http, passphrase=PASSPHRASE, now=datetime.now(UTC))
            except SyncError as error:  # the server may be away: keep working, as a person does
                out.write(f"FAILED {error}\n")
            else:
                out.write(f"SYNC {report.pushed}\n")
        out.flush()
        n += 1


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
