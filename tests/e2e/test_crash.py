"""Crash test: SIGKILL a writer at random moments; every acknowledged result must survive.

The writer (`crash_writer.py`) prints `ACK <item_code> <version_id>` only after the
transaction that stored the result has committed. After each kill the workspace must open,
pass SQLite's integrity check and the audit-chain check, and hold every acknowledged version:
as the current version, or as an older one that a later (possibly unacknowledged) save replaced.
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

WRITER = Path(__file__).with_name("crash_writer.py")
ROUNDS = 50
SEED = 20260201
CASE_ID = demo_id("c", "case")
NOW = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)


def _run_and_kill(folder: Path, delay: float) -> list[tuple[str, str]]:
    """Start the writer, kill it `delay` seconds after READY; return its acknowledged saves."""
    return acknowledged(run_and_kill(WRITER, [str(folder)], delay))


@pytest.mark.slow
def test_acknowledged_results_survive_sigkill(tmp_path: Path) -> None:
    folder = tmp_path / "workspace"
    with open_workspace(folder) as workspace:
        fill_demo(workspace, NOW)
    rng = random.Random(SEED)
    last_acked: dict[str, str] = {}
    total_acks = 0
    for round_no in range(ROUNDS):
        acked = _run_and_kill(folder, rng.uniform(0.020, 0.300))
        total_acks += len(acked)
        for code, version_id in acked:
            last_acked[code] = version_id
        with open_workspace(folder) as workspace:
            db = workspace.db
            assert_intact(db, round_no)
            stored = {
                row["item_code"]: row["version_id"]
                for row in db.query(
                    "SELECT item_code, version_id FROM checklist_result WHERE case_id = ?",
                    [CASE_ID],
                )
            }
            audited = checklist_versions(db, "audit_event", CASE_ID)
            outboxed = checklist_versions(db, "outbox", CASE_ID)
            for code, version_id in last_acked.items():
                assert code in stored, f"round {round_no}: result {code} lost"
                # the current version, or an older one a later save replaced (audited)
                assert stored[code] == version_id or version_id in audited, (
                    f"round {round_no}: acknowledged version {version_id} of {code} lost"
                )
                assert version_id in audited, f"round {round_no}: no audit event for {code}"
                assert version_id in outboxed, f"round {round_no}: no outbox row for {code}"
            # every stored version has its audit event and outbox row (same transaction)
            assert set(stored.values()) <= audited
            assert set(stored.values()) <= outboxed
    # the test really crashed writers in the middle of their work
    assert total_acks > ROUNDS
