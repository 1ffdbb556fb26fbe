"""The domain's rules on synced records (issue 9, the auditor's "no rules on synced records").

Up: the office keeps a pushed record that breaks a rule of its case (a result before the
filing, in the future, by someone off the team) as a conflict of kind "rule", with the
domain's message; the case's head keeps its version, the other laptops never get it, the
pushing laptop's queue drains, and the leader sees it in `inspector conflicts`.

Down: a pulled record that breaks a rule of its case as the laptop holds it waits in the inbox
with the reason (the rest of the page applies, the case's views still open), and applies once
a later page makes it valid.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from inspector_app.cli import cli
from inspector_app.core.calendar import CHINA
from inspector_app.core.model import (
    Actor,
    ChecklistResult,
    IntegrityDeclaration,
    Role,
    TeamMember,
)
from inspector_app.store import records, sync_queue
from inspector_app.store.casework import load_case_file
from inspector_app.store.codec import to_plain
from inspector_app.store.queries import Queries
from inspector_app.store.settings import device_id
from inspector_app.store.sql import fetch_all
from inspector_app.store.workspace import Workspace
from sync.server.assignments import assign_by_id
from sync.server.storage import Storage
from tests.sync.conftest import NOW
from tests.sync.test_apply import IN_REVIEW, case_id_of, enroll_as, first_result, sync


def save_as_is(workspace: Workspace, record: Any) -> str:
    """Write a version past the app's rules (what a buggy or hostile laptop sends); return
    its version id."""
    with workspace.db.atomic():
        saved = records.save(
            workspace.db,
            record,
            actor=Actor("tester", "测试"),
            now=NOW,
            device=device_id(workspace.db),
        )
    return saved.version_id


def two_laptops(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> str:
    """Laptop A (the demo's leader) at the office, the case under review assigned to B too,
    and B synced; return the case's id."""
    enroll_as(workspace, http, storage, "王建华")
    sync(workspace, http)
    case_id = case_id_of(workspace, IN_REVIEW)
    assign_by_id(storage, case_id, enroll_as(laptop_b, http, storage, "李明"))
    sync(laptop_b, http)
    return case_id


def broken(result: ChecklistResult, how: str, workspace: Workspace) -> ChecklistResult:
    if how == "before the filing":
        return replace(result, assessed_at=datetime(2020, 1, 1, tzinfo=UTC), note="早")
    if how == "in the future":
        return replace(result, assessed_at=datetime.now(UTC) + timedelta(days=2), note="未来")
    # a member of another case's team: a reviewer not on this one
    other = fetch_all(
        workspace.db,
        "SELECT id FROM team_member WHERE case_id != ? ORDER BY id LIMIT 1",
        [result.case_id],
    )
    return replace(result, assessor_id=other[0]["id"], note="外人")


EXPECTED = {
    "before the filing": "result_within_review",
    "in the future": "not_in_future",
    "by someone off the team": "person_on_team",
}


@pytest.mark.parametrize("how", list(EXPECTED))
def test_a_pushed_result_that_breaks_a_rule_is_a_rule_conflict(
    how: str,
    workspace: Workspace,
    laptop_b: Workspace,
    http: httpx.Client,
    storage: Storage,
) -> None:
    case_id = two_laptops(workspace, laptop_b, http, storage)
    result = first_result(workspace, case_id)
    before = storage.head_change("checklist_result", result.id)
    assert before is not None
    version = save_as_is(workspace, broken(result, how, workspace))

    report = sync(workspace, http)

    # acknowledged: the queue drained, the push reported it as a conflict with the rule
    assert sync_queue.outbox_count(workspace.db) == 0
    conflicts = report.conflicts  # type: ignore[attr-defined]
    assert len(conflicts) == 1 and f"规则 {EXPECTED[how]}" in conflicts[0]["detail"]
    # kept at the office, of kind "rule", nothing discarded; the head keeps its version
    kept = [c for c in storage.conflicts() if c["version_id"] == version]
    assert len(kept) == 1 and kept[0]["kind"] == "rule"
    assert EXPECTED[how] in kept[0]["reason"]
    assert json.loads(kept[0]["payload"])["record"]["note"] == broken(result, how, workspace).note
    after = storage.head_change("checklist_result", result.id)
    assert after is not None and after.version_id == before.version_id
    # never forwarded: the other laptop keeps the office's version
    sync(laptop_b, http)
    theirs = records.stored_version(laptop_b.db, ChecklistResult, result.id)
    assert theirs is not None and theirs.version_id == before.version_id
    assert sync_queue.inbox_count(laptop_b.db) == 0
    # the leader sees it, with the domain's message
    shown = CliRunner().invoke(cli, ["--workspace", str(workspace.folder), "conflicts"])
    assert shown.exit_code == 0, shown.output
    assert f"规则 {EXPECTED[how]}" in shown.output
    # and the office's status lists it with its kind
    from sync.server.office import office_status

    pending = office_status(storage).pending_conflicts
    assert [c["kind"] for c in pending if c["version_id"] == version] == ["rule"]


def test_a_legitimate_push_is_applied_and_carries_when_the_office_received_it(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    case_id = two_laptops(workspace, laptop_b, http, storage)
    result = first_result(workspace, case_id)
    version = save_as_is(workspace, replace(result, note="现场复核：记录齐全"))
    report = sync(workspace, http)
    assert report.conflicts == []  # type: ignore[attr-defined]
    head = storage.head_change("checklist_result", result.id)
    assert head is not None and head.version_id == version
    received = datetime.fromisoformat(head.payload["received_at"])
    assert abs(received - datetime.now(UTC)) < timedelta(hours=1)
    sync(laptop_b, http)
    theirs = records.load(laptop_b.db, ChecklistResult, result.id)
    assert theirs is not None and theirs.note == "现场复核：记录齐全"


def change(record: Any, table: str, seq: int, base: str | None, **payload: Any) -> dict[str, Any]:
    """One change of the office's log as a pull brings it down."""
    return {
        "seq": seq,
        "record_table": table,
        "record_id": record.id,
        "case_id": record.case_id,
        "version_id": str(uuid.uuid4()),
        "base_version_id": base,
        "device_id": "device-hostile",
        "payload": {"record": to_plain(record), "locked": False, **payload},
    }


def test_a_pulled_record_that_breaks_a_rule_waits_with_its_reason(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    case_id = two_laptops(workspace, laptop_b, http, storage)
    result = first_result(laptop_b, case_id)
    held = records.stored_version(laptop_b.db, ChecklistResult, result.id)
    assert held is not None
    cursor = sync_queue.cursor(laptop_b.db)
    early = replace(result, assessed_at=datetime(2020, 1, 1, tzinfo=UTC), note="早")
    late = replace(result, assessed_at=NOW + timedelta(days=1), note="未来")
    fine = replace(first_result(laptop_b, case_id), note="无关")
    others = [r for r in records.load_for_case(laptop_b.db, ChecklistResult, case_id)]
    other = replace(others[1], note="同页的另一项")
    other_held = records.stored_version(laptop_b.db, ChecklistResult, other.id)
    assert other_held is not None

    applied = sync_queue.store_page(
        laptop_b.db,
        [
            change(early, "checklist_result", cursor + 1, held.version_id),
            change(other, "checklist_result", cursor + 2, other_held.version_id),
        ],
        cursor + 2,
        NOW,
    )

    assert applied.applied == 1 and len(applied.waiting) == 1
    assert "result_within_review" in applied.waiting[0] and result.id in applied.waiting[0]
    rows = fetch_all(laptop_b.db, "SELECT record_id, problem FROM sync_inbox", [])
    assert [r["record_id"] for r in rows] == [result.id] and "违反规则" in rows[0]["problem"]
    still = records.load(laptop_b.db, ChecklistResult, result.id)
    assert still is not None and still.assessed_at == result.assessed_at
    assert records.load(laptop_b.db, ChecklistResult, other.id).note == "同页的另一项"  # type: ignore[union-attr]
    # the case's views open as before
    state = load_case_file(laptop_b.db, case_id)
    assert len(state.results) == len(others)
    views = Queries(laptop_b.db, CHINA, lambda: NOW)
    assert views.case_overview(case_id) and views.case_steps(case_id)

    # a time after the office received it (beyond the tolerance) waits too; one within is fine
    received = (NOW - timedelta(days=2)).isoformat()
    applied = sync_queue.store_page(
        laptop_b.db,
        [change(late, "checklist_result", cursor + 3, held.version_id, received_at=received)],
        cursor + 3,
        NOW,
    )
    assert any("not_in_future" in w for w in applied.waiting)
    assert fine.note == "无关"


def test_a_pulled_result_applies_once_a_later_page_brings_its_assessor(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    """Out of order: the result of a member who joins on a later page waits for them."""
    case_id = two_laptops(workspace, laptop_b, http, storage)
    state = load_case_file(laptop_b.db, case_id)
    assert state.case.review_started_at is not None
    on_team = {m.reviewer_id for m in state.members}
    registry = fetch_all(laptop_b.db, "SELECT id FROM reviewer ORDER BY id", [])
    newcomer = next(r["id"] for r in registry if r["id"] not in on_team)
    template = next(m for m in state.members if m.role == Role.MEMBER)
    member = replace(template, id=str(uuid.uuid4()), reviewer_id=newcomer, name="新成员")
    assert isinstance(member, TeamMember)
    signed = state.case.review_started_at + timedelta(minutes=1)
    declaration = replace(
        state.declarations[0], id=str(uuid.uuid4()), member_id=member.id, signed_at=signed
    )
    assert isinstance(declaration, IntegrityDeclaration)
    result = first_result(laptop_b, case_id)
    held = records.stored_version(laptop_b.db, ChecklistResult, result.id)
    assert held is not None
    theirs = replace(result, assessor_id=member.id, assessed_at=signed + timedelta(minutes=5))
    cursor = sync_queue.cursor(laptop_b.db)

    first = sync_queue.store_page(
        laptop_b.db,
        [change(theirs, "checklist_result", cursor + 1, held.version_id)],
        cursor + 1,
        NOW,
        last_page=False,
    )
    assert first.applied == 0 and "person_on_team" in first.waiting[0]

    second = sync_queue.store_page(
        laptop_b.db,
        [
            change(declaration, "integrity_declaration", cursor + 2, None),
            change(member, "team_member", cursor + 3, None),
        ],
        cursor + 3,
        NOW,
    )

    assert second.waiting == [] and second.applied == 3
    assert sync_queue.inbox_count(laptop_b.db) == 0
    now_held = records.load(laptop_b.db, ChecklistResult, result.id)
    assert now_held is not None and now_held.assessor_id == member.id


def test_a_hostile_record_gets_an_answer_never_a_5xx(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    """A pushed record whose times have no offset, or whose fields have other types, is not
    judged by the office (the laptops hold it back); the push is answered."""
    from tests.sync.conftest import token_for

    case_id = two_laptops(workspace, laptop_b, http, storage)
    result = first_result(workspace, case_id)
    head = storage.head_change("checklist_result", result.id)
    assert head is not None
    headers = token_for(http, storage, device="device-hostile", cases=(case_id,), name="赵敏")
    plain = to_plain(result)
    bodies = [
        {**plain, "assessed_at": "2026-11-26T08:00:00"},  # naive
        {**plain, "assessed_at": 12},
        {**plain, "evidence": "not a list"},
        {**plain, "assessor_id": ["x"]},
    ]
    for n, body in enumerate(bodies):
        response = http.post(
            "/v1/push",
            json={
                "mutations": [
                    {
                        "mutation_id": f"hostile-{n}",
                        "record_table": "checklist_result",
                        "record_id": result.id,
                        "case_id": case_id,
                        "version_id": f"hostile-v{n}",
                        "base_version_id": head.version_id,
                        "payload": {"record": body, "locked": False},
                        "created_at": NOW.isoformat(),
                    }
                ]
            },
            headers=headers,
        )
        assert response.status_code < 500, response.text
        head = storage.head_change("checklist_result", result.id) or head


def test_a_laptop_whose_clock_is_behind_takes_what_the_office_received(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    """Clocks drift: a pulled act is checked against when the office received it, not against
    the laptop's own clock (here behind the act itself by a day)."""
    from sync.client.engine import run_sync
    from tests.sync.conftest import PASSPHRASE

    case_id = two_laptops(workspace, laptop_b, http, storage)
    result = first_result(workspace, case_id)
    slow = result.assessed_at - timedelta(days=1)
    assert result.assessed_at > slow
    save_as_is(workspace, replace(result, note="时钟慢的同事也收到"))
    sync(workspace, http)

    report = run_sync(laptop_b.db, http, passphrase=PASSPHRASE, now=slow)

    assert report.waiting == [] and sync_queue.inbox_count(laptop_b.db) == 0
    theirs = records.load(laptop_b.db, ChecklistResult, result.id)
    assert theirs is not None and theirs.note == "时钟慢的同事也收到"
