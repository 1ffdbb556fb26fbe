"""Down to the laptop: a case assigned by the office arrives as records with the server's
versions, an edit on one laptop reaches the other and is never queued back, a concurrent edit
is kept as a conflict with both versions, a signed case arrives signed, the office's reference
data arrives, and a change that cannot be applied waits in the inbox (never dropped)."""

from __future__ import annotations

import json
from dataclasses import replace

import httpx
import pytest

from inspector_app.core.model import Actor, ChecklistResult
from inspector_app.store import records, sync_queue
from inspector_app.store.codec import to_plain
from inspector_app.store.errors import SignedRecordError
from inspector_app.store.settings import device_id
from inspector_app.store.sql import fetch_all, fetch_one
from inspector_app.store.workspace import Workspace
from sync.client.engine import enroll, run_sync
from sync.server.assignments import assign_by_id
from sync.server.storage import Storage
from tests.sync.conftest import CHEAP_KDF, NOW, PASSPHRASE, new_code


def enroll_as(workspace: Workspace, http: httpx.Client, storage: Storage, name: str) -> str:
    """Enroll `workspace` as a new registry reviewer named `name`; return the reviewer id."""
    made = enroll(
        workspace.db,
        http,
        server_url="http://testserver",
        code=new_code(storage, name),
        passphrase=PASSPHRASE,
        kdf_n=CHEAP_KDF,
    )
    return made.reviewer.id


def case_id_of(workspace: Workspace, application_no: str) -> str:
    if application_no == IN_REVIEW:  # an open case with checklist results
        row = fetch_one(
            workspace.db,
            "SELECT c.id FROM review_case c WHERE c.locked = 0 AND EXISTS "
            "(SELECT 1 FROM checklist_result r WHERE r.case_id = c.id AND r.locked = 0) "
            "ORDER BY c.application_no LIMIT 1",
            [],
        )
        assert row is not None
        return str(row["id"])
    row = fetch_one(
        workspace.db, "SELECT id FROM review_case WHERE application_no = ?", [application_no]
    )
    assert row is not None
    return str(row["id"])


def sync(workspace: Workspace, http: httpx.Client, page_size: int = 50) -> object:
    return run_sync(workspace.db, http, passphrase=PASSPHRASE, now=NOW, page_size=page_size)


IN_REVIEW = "XK06-2026-0102"  # a demo case, not signed
SIGNED = "XK06-2026-0104"


def first_result(workspace: Workspace, case_id: str) -> ChecklistResult:
    found = records.load_for_case(workspace.db, ChecklistResult, case_id)
    assert found
    return found[0]


def edit_note(workspace: Workspace, result: ChecklistResult, note: str) -> str:
    current = records.load(workspace.db, ChecklistResult, result.id)
    assert current is not None
    with workspace.db.atomic():
        saved = records.save(
            workspace.db,
            replace(current, note=note),
            actor=Actor("tester", "测试"),
            now=NOW,
            device=device_id(workspace.db),
        )
    return saved.version_id


def test_an_assigned_case_comes_down_with_the_servers_versions_and_nothing_else(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    enroll_as(workspace, http, storage, "王建华")
    sync(workspace, http)  # laptop A brings its cases to the office
    case_id = case_id_of(workspace, IN_REVIEW)
    reviewer_b = enroll_as(laptop_b, http, storage, "李明")
    assign_by_id(storage, case_id, reviewer_b)

    report = sync(laptop_b, http, page_size=7)

    assert records.case_versions(laptop_b.db, case_id) == records.case_versions(
        workspace.db, case_id
    )
    others = fetch_all(laptop_b.db, "SELECT id FROM review_case", [])
    assert [r["id"] for r in others] == [case_id]  # only its own case
    assert sync_queue.outbox_count(laptop_b.db) == 0  # nothing that came down goes back up
    assert sync_queue.inbox_count(laptop_b.db) == 0
    assert report.conflicts_down == 0  # type: ignore[attr-defined]
    audit = fetch_all(laptop_b.db, "SELECT action FROM audit_event WHERE case_id = ?", [case_id])
    assert audit and all(a["action"].endswith("+pulled") for a in audit)


def test_an_edit_reaches_the_other_laptop_once_and_is_not_queued_back(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    enroll_as(workspace, http, storage, "王建华")
    sync(workspace, http)
    case_id = case_id_of(workspace, IN_REVIEW)
    assign_by_id(storage, case_id, enroll_as(laptop_b, http, storage, "李明"))
    sync(laptop_b, http)
    result = first_result(laptop_b, case_id)
    version = edit_note(laptop_b, result, "现场复核：记录齐全")
    assert sync_queue.outbox_count(laptop_b.db) == 1
    sync(laptop_b, http)

    report = sync(workspace, http)

    mine = records.load(workspace.db, ChecklistResult, result.id)
    assert mine is not None and mine.note == "现场复核：记录齐全"
    assert records.stored_version(workspace.db, ChecklistResult, result.id).version_id == version  # type: ignore[union-attr]
    assert sync_queue.outbox_count(workspace.db) == 0
    assert report.applied_down >= 1  # type: ignore[attr-defined]
    again = sync(laptop_b, http)  # B does not get its own edit back
    assert again.pulled == 0  # type: ignore[attr-defined]


def test_a_concurrent_edit_is_kept_as_a_conflict_with_both_versions(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    enroll_as(workspace, http, storage, "王建华")
    sync(workspace, http)
    case_id = case_id_of(workspace, IN_REVIEW)
    assign_by_id(storage, case_id, enroll_as(laptop_b, http, storage, "李明"))
    sync(laptop_b, http)
    result = first_result(workspace, case_id)
    edit_note(workspace, result, "A 的意见")
    edit_note(laptop_b, result, "B 的意见")
    sync(workspace, http)  # A's edit reaches the office first

    report = sync(laptop_b, http)

    # B's edit lost on the server (kept there) and A's lost on B (kept here): nothing dropped
    assert len(report.conflicts) == 1  # type: ignore[attr-defined]
    assert report.conflicts_down == 1  # type: ignore[attr-defined]
    kept = fetch_all(laptop_b.db, "SELECT * FROM sync_conflict WHERE origin = 'pull'", [])
    assert len(kept) == 1
    assert json.loads(kept[0]["current_record"])["note"] == "B 的意见"
    assert json.loads(kept[0]["other_payload"])["record"]["note"] == "A 的意见"
    still = records.load(laptop_b.db, ChecklistResult, result.id)
    assert still is not None and still.note == "B 的意见"
    assert [c["record_id"] for c in storage.conflicts()] == [result.id]


def test_a_signed_case_arrives_signed_and_stays_immutable(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    enroll_as(workspace, http, storage, "王建华")
    sync(workspace, http)
    case_id = case_id_of(workspace, SIGNED)
    assign_by_id(storage, case_id, enroll_as(laptop_b, http, storage, "李明"))

    sync(laptop_b, http, page_size=5)  # the signed case's records span many pages

    case = fetch_one(laptop_b.db, "SELECT locked, status FROM review_case WHERE id = ?", [case_id])
    assert case == {"locked": 1, "status": "signed_off"}
    open_rows = fetch_all(
        laptop_b.db, "SELECT id FROM checklist_result WHERE case_id = ? AND locked = 0", [case_id]
    )
    assert open_rows == []
    assert sync_queue.inbox_count(laptop_b.db) == 0
    with pytest.raises(SignedRecordError):
        edit_note(laptop_b, first_result(laptop_b, case_id), "改动")


def test_signing_off_queues_each_record_signed_and_the_server_holds_them_locked(
    workspace: Workspace, http: httpx.Client, storage: Storage
) -> None:
    from sqlalchemy import select

    from sync.server.storage import record_head

    signed = case_id_of(workspace, SIGNED)
    queued = fetch_all(
        workspace.db,
        "SELECT payload FROM outbox WHERE case_id = ? AND record_table = 'checklist_result'",
        [signed],
    )
    assert any(json.loads(q["payload"])["locked"] for q in queued)
    enroll_as(workspace, http, storage, "王建华")
    sync(workspace, http)
    results = {r.id for r in records.load_for_case(workspace.db, ChecklistResult, signed)}
    with storage.engine.connect() as conn:
        heads = conn.execute(
            select(record_head.c.record_id, record_head.c.locked).where(
                record_head.c.record_table == "checklist_result"
            )
        ).all()
    assert {h.record_id for h in heads if h.locked} >= results


def test_a_change_that_cannot_be_applied_waits_in_the_inbox(laptop_b: Workspace) -> None:
    hostile = [
        {
            "seq": 1,
            "record_table": "checklist_result",
            "record_id": "r-x",
            "case_id": "no-such-case",
            "version_id": "v-1",
            "base_version_id": None,
            "device_id": "d",
            "payload": {"record": {"id": "r-x"}},
        },
        {
            "seq": 2,
            "record_table": "no_such_table",
            "record_id": "x",
            "case_id": None,
            "version_id": "v",
            "base_version_id": None,
            "device_id": "d",
            "payload": {},
        },
    ]
    done = sync_queue.store_page(laptop_b.db, hostile, 2, NOW)
    assert len(done.waiting) == 2
    kept = fetch_all(laptop_b.db, "SELECT server_seq, problem FROM sync_inbox ORDER BY 1", [])
    assert [k["server_seq"] for k in kept] == [1, 2] and all(k["problem"] for k in kept)
    assert sync_queue.cursor(laptop_b.db) == 2


def test_a_pulled_change_cannot_move_a_record_to_another_case(workspace: Workspace) -> None:
    case_id = case_id_of(workspace, IN_REVIEW)
    result = first_result(workspace, case_id)
    version = records.stored_version(workspace.db, ChecklistResult, result.id)
    assert version is not None
    moved = {**to_plain(replace(result, note="搬家")), "case_id": "another-case"}
    change = {
        "seq": 1,
        "record_table": "checklist_result",
        "record_id": result.id,
        "case_id": "another-case",
        "version_id": "v-moved",
        "base_version_id": version.version_id,
        "device_id": "d",
        "payload": {"record": moved, "locked": False},
    }
    done = sync_queue.store_page(workspace.db, [change], 1, NOW)
    assert done.waiting and "another case" in done.waiting[0]
    kept = records.load(workspace.db, ChecklistResult, result.id)
    assert kept == result


@pytest.mark.parametrize("page_size", [7, 200])
def test_every_case_comes_down_whole_whatever_the_pages(
    workspace: Workspace,
    laptop_b: Workspace,
    http: httpx.Client,
    storage: Storage,
    page_size: int,
) -> None:
    enroll_as(workspace, http, storage, "王建华")
    sync(workspace, http)
    reviewer_b = enroll_as(laptop_b, http, storage, "李明")
    cases = [r["id"] for r in fetch_all(workspace.db, "SELECT id FROM review_case", [])]
    for case_id in cases:  # one by one: the records of cases already held are sent again
        assign_by_id(storage, case_id, reviewer_b)

    report = sync(laptop_b, http, page_size=page_size)

    assert report.waiting == [] and report.conflicts_down == 0  # type: ignore[attr-defined]
    for case_id in cases:
        assert records.case_versions(laptop_b.db, case_id) == records.case_versions(
            workspace.db, case_id
        )
    locks = "SELECT id, locked FROM review_case ORDER BY id"
    assert fetch_all(laptop_b.db, locks, []) == fetch_all(workspace.db, locks, [])
    assert sync_queue.outbox_count(laptop_b.db) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("note", {"a": 1}),  # SQLite cannot even bind it
        ("note", None),  # a text the record must have
        ("assessed_at", "2026-11-26T09:00:00"),  # a time without its offset
        ("item_code", 12),
        ("evidence", [1, 2]),
        # of the right type, but what no view of the case can show
        ("result", "完全不行"),  # not a result the case's form allows
        ("item_code", "99.9"),  # no such item on the case's form
        ("evidence", ["zz"]),  # not an attachment's SHA-256
    ],
)
def test_a_pulled_change_of_the_wrong_type_waits_and_the_sync_goes_on(
    workspace: Workspace, field: str, value: object
) -> None:
    """A change whose field has a value of the wrong type (a buggy or hostile device) is kept
    in the inbox with the reason; the page is stored, the record and every view of its case
    are untouched. Neither may it stop every later sync, nor break the case's views."""
    from inspector_app.app import open_services

    case_id = case_id_of(workspace, IN_REVIEW)
    result = first_result(workspace, case_id)
    version = records.stored_version(workspace.db, ChecklistResult, result.id)
    assert version is not None
    change = {
        "seq": 1,
        "record_table": "checklist_result",
        "record_id": result.id,
        "case_id": case_id,
        "version_id": "v-wrong-type",
        "base_version_id": version.version_id,
        "device_id": "d",
        "payload": {"record": {**to_plain(result), field: value}, "locked": False},
    }
    done = sync_queue.store_page(workspace.db, [change], 1, NOW)
    assert done.waiting and field in done.waiting[0], done.waiting
    assert sync_queue.cursor(workspace.db) == 1
    assert records.load(workspace.db, ChecklistResult, result.id) == result
    services = open_services(workspace.folder, user=None, write=False, clock=lambda: NOW)
    assert services.queries.case_overview(case_id)["checklist"]["verdict"]
