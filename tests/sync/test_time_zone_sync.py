"""The time zone a case's days are counted in travels with it by sync, on both backends: a case
record goes up with its workspace's zone (and a case file the office assigns with the file's);
a laptop counting days in another zone holds the case back, waiting, with a reason naming both
zones (as a case file's import is refused), and applies it at the sync after its zone is set to
the case's. A case record sent without a zone (an older app) applies as before."""

from __future__ import annotations

import json

import httpx

from inspector_app.casefile.reader import parse_case_file
from inspector_app.casefile.writer import case_json
from inspector_app.core.model import Actor
from inspector_app.store.casework import load_case_file
from inspector_app.store.settings import save_setting
from inspector_app.store.sql import fetch_all, fetch_one
from inspector_app.store.workspace import Workspace
from sync.client.engine import SyncReport
from sync.server.assignments import assign_by_id, assign_case
from sync.server.storage import Storage
from tests.sync.conftest import NOW
from tests.sync.test_apply import IN_REVIEW, case_id_of, enroll_as, sync

SHANGHAI = "Asia/Shanghai"  # the demo workspace's zone (the default)


def set_zone(workspace: Workspace, zone: str) -> None:
    save_setting(workspace.db, "time_zone", zone, actor=Actor("tester", "测试"), now=NOW)


def holds_case(workspace: Workspace, case_id: str) -> bool:
    found = fetch_one(workspace.db, "SELECT id FROM review_case WHERE id = ?", [case_id])
    return found is not None


def test_a_case_from_a_laptop_in_another_zone_waits_until_the_zone_is_set(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    enroll_as(workspace, http, storage, "王建华")
    sync(workspace, http)
    case_id = case_id_of(workspace, IN_REVIEW)
    head = storage.head_change("review_case", case_id)
    assert head is not None and head.payload["time_zone"] == SHANGHAI  # the zone went up
    set_zone(laptop_b, "UTC")
    assign_by_id(storage, case_id, enroll_as(laptop_b, http, storage, "李明"))

    report = sync(laptop_b, http)

    assert isinstance(report, SyncReport)
    assert not holds_case(laptop_b, case_id)  # held back, nothing of it applied
    reasons = [w for w in report.waiting if w.startswith(f"review_case {case_id}")]
    assert reasons  # each version of the case record the office sent waits, saying why
    for reason in reasons:
        assert SHANGHAI in reason and "UTC" in reason and "settings set time_zone" in reason
    assert report.as_json()["waiting"] == report.waiting  # `inspector sync --json` lists it
    # the case's other records wait too (their case is not here), kept, not lost
    waiting = fetch_all(laptop_b.db, "SELECT record_table FROM sync_inbox", [])
    assert {"review_case", "checklist_result"} <= {w["record_table"] for w in waiting}
    again = sync(laptop_b, http)
    assert isinstance(again, SyncReport) and not holds_case(laptop_b, case_id)

    set_zone(laptop_b, SHANGHAI)
    after = sync(laptop_b, http)

    assert isinstance(after, SyncReport) and after.waiting == []
    assert holds_case(laptop_b, case_id)
    mine = load_case_file(laptop_b.db, case_id)
    theirs = load_case_file(workspace.db, case_id)
    assert len(mine.results) == len(theirs.results) and mine.results


def test_a_case_file_the_office_assigns_carries_the_file_s_zone(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    """A never synced: the office holds the case only from its case file (zone Asia/Shanghai)."""
    case_id = case_id_of(workspace, IN_REVIEW)
    parsed = parse_case_file(case_json(load_case_file(workspace.db, case_id), workspace).encode())
    assert parsed.time_zone == SHANGHAI
    set_zone(laptop_b, "Europe/Berlin")
    assign_case(storage, parsed, [enroll_as(laptop_b, http, storage, "李明")])

    report = sync(laptop_b, http)

    assert isinstance(report, SyncReport) and not holds_case(laptop_b, case_id)
    assert any(SHANGHAI in w and "Europe/Berlin" in w for w in report.waiting)
    set_zone(laptop_b, SHANGHAI)
    assert sync(laptop_b, http).waiting == []  # type: ignore[attr-defined]
    assert holds_case(laptop_b, case_id)


def test_a_case_sent_without_a_zone_applies_as_before(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    """An older app's case record (no zone in its payload) is judged in the workspace's zone."""
    rows = fetch_all(
        workspace.db, "SELECT seq, payload FROM outbox WHERE record_table = 'review_case'", []
    )
    assert rows and all(json.loads(r["payload"])["time_zone"] == SHANGHAI for r in rows)
    with workspace.db.atomic():
        for r in rows:
            payload = json.loads(r["payload"])
            del payload["time_zone"]
            workspace.db.execute(
                "UPDATE outbox SET payload = ? WHERE seq = ?",
                [json.dumps(payload, ensure_ascii=False), r["seq"]],
            )
    enroll_as(workspace, http, storage, "王建华")
    sync(workspace, http)
    case_id = case_id_of(workspace, IN_REVIEW)
    set_zone(laptop_b, "UTC")
    assign_by_id(storage, case_id, enroll_as(laptop_b, http, storage, "李明"))
    report = sync(laptop_b, http)
    assert isinstance(report, SyncReport) and holds_case(laptop_b, case_id)
    assert not any(w.startswith("review_case") for w in report.waiting)
