"""Crash-test writer: records checklist results on demo case "c" until it is killed.

Usage: python tests/e2e/crash_writer.py WORKSPACE

Prints `READY` once the workspace is open, then one line `ACK <item_code> <version_id>` per
result that `record_result` returned (so the transaction has committed), flushing each line.
The workspace must already hold the demo cases (`fill_demo`).
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from inspector_app.core.forms.model import RESULT_CONFORM
from inspector_app.core.model import Actor, Case, ChecklistResult
from inspector_app.demo import demo_id
from inspector_app.store import records
from inspector_app.store.casework import Casework, case_form
from inspector_app.store.workspace import open_workspace

LEADER = Actor(demo_id("reviewer", "wang"), "王建华")
CASE_ID = demo_id("c", "case")
LEADER_ID = demo_id("c", "member", "0")


def writable_items(db: Database) -> list[str]:
    """Return the codes of the case's items where 符合 needs neither a note nor a photo."""
    case = records.load(db, Case, CASE_ID)
    assert case is not None, "demo case c is missing"
    return [
        item.code
        for item in case_form(db, case).items()
        if RESULT_CONFORM in item.allowed_results and not item.requires.get(RESULT_CONFORM)
    ]


def main(folder: str) -> None:
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
        code = codes[n % len(codes)]
        now = datetime.now(UTC)
        change = work.record_result(
            ChecklistResult(
                id=demo_id("c", "result", code),
                case_id=CASE_ID,
                item_code=code,
                result=RESULT_CONFORM,
                note=f"崩溃测试第 {n} 次记录（进程 {run}）" if n % 2 else "",
                assessor_id=LEADER_ID,
                assessed_at=now,
            )
        )
        out.write(f"ACK {code} {change.saved[0].version_id}\n")
        out.flush()
        n += 1


if __name__ == "__main__":
    main(sys.argv[1])
