"""Crash test of the checklist page: SIGKILL it at random moments while it records by key;
every edit it said was saved must be in the workspace when it is opened again.

The page commits each edit without waiting for the disk and says "saved" only once the
flusher's sync of the WAL file confirmed it (`crash_recorder.py` prints `ACK` then). A kill
cannot show what a power cut would lose (the operating system keeps what was written), so
this checks the rest: the workspace opens, passes SQLite's integrity check and the audit
chain, and holds every acknowledged version — as the current one, or as an older one a later
save replaced.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from inspector_app.demo import demo_id, fill_demo
from inspector_app.store.workspace import open_workspace
from tests.e2e.killing import acknowledged, run_and_kill
from tests.e2e.survival import assert_intact, checklist_versions

RECORDER = Path(__file__).with_name("crash_recorder.py")
ROUNDS = 8
SEED = 20261130
CASE_ID = demo_id("c", "case")
NOW = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)


@pytest.mark.slow
def test_results_the_page_said_were_saved_survive_sigkill(tmp_path: Path) -> None:
    folder = tmp_path / "workspace"
    with open_workspace(folder) as workspace:
        fill_demo(workspace, NOW)
    rng = random.Random(SEED)
    total = 0
    for round_no in range(ROUNDS):
        acked = acknowledged(run_and_kill(RECORDER, [str(folder)], rng.uniform(0.3, 1.5)))
        total += len(acked)
        with open_workspace(folder) as workspace:
            db = workspace.db
            assert_intact(db, round_no)
            audited = checklist_versions(db, "audit_event", CASE_ID)
            outboxed = checklist_versions(db, "outbox", CASE_ID)
            for code, version_id in acked:
                assert version_id in audited, f"round {round_no}: saved {code} ({version_id}) lost"
                assert version_id in outboxed, f"round {round_no}: no outbox row for {code}"
    assert total > ROUNDS  # the recorder really was killed in the middle of its work
