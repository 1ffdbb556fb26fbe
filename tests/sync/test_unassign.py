"""Taking a case back from a reviewer (`inspector-server case unassign`), on both backends:
the laptop is told at its next pull and keeps the case whole but read-only, its queued changes
held (not lost, not "waiting" forever) while its other cases sync; the office's log and
`status` say who withdrew it and when; assigning it again lifts it and the held changes go up;
another reviewer still assigned keeps working; hostile input changes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select

from inspector_app.core.errors import RuleViolation
from inspector_app.core.model import Actor, ChecklistResult
from inspector_app.store import records, sync_queue
from inspector_app.store.casework import Casework
from inspector_app.store.queries import Queries
from inspector_app.store.settings import load_settings
from inspector_app.store.sql import fetch_all
from inspector_app.store.sync_state import sync_state
from inspector_app.store.workspace import Workspace
from sync.client.engine import SyncReport
from sync.server.assignments import assign_by_id, assignment_log, case_assignment
from sync.server.cli import cli as server_cli
from sync.server.storage import Storage, change
from tests.sync.conftest import HEADERS, NOW
from tests.sync.test_apply import case_id_of, edit_note, enroll_as, first_result, sync
from tests.sync.test_server import push
from tests.sync.test_socket import server  # noqa: F401  (a fixture: the server on loopback)

WITHDRAWN = "XK08-2026-0201"  # open, with checklist results
KEPT = "XK08-2026-0202"


@dataclass
class Office:
    """Laptop A (王建华, brought the demo's cases) and laptop B (李明), both assigned the two
    cases; B synced once."""

    storage: Storage
    http: httpx.Client
    database_url: str | None
    a: Workspace
    b: Workspace
    reviewer_b: str
    withdrawn: str
    kept: str

    def server(self, *args: str) -> Result:
        """Run `inspector-server` on this office's storage."""
        url = ["--database-url", self.database_url] if self.database_url else []
        return CliRunner().invoke(server_cli, ["--data", str(self.storage.data), *url, *args])

    def sync_b(self) -> SyncReport:
        report = sync(self.b, self.http)
        assert isinstance(report, SyncReport)
        return report


@pytest.fixture
def office(
    workspace: Workspace,
    laptop_b: Workspace,
    http: httpx.Client,
    storage: Storage,
    database_url: str | None,
) -> Iterator[Office]:
    enroll_as(workspace, http, storage, "王建华")
    sync(workspace, http)
    withdrawn, kept = case_id_of(workspace, WITHDRAWN), case_id_of(workspace, KEPT)
    reviewer_b = enroll_as(laptop_b, http, storage, "李明")
    for case_id in (withdrawn, kept):
        assign_by_id(storage, case_id, reviewer_b)
    sync(laptop_b, http)
    yield Office(storage, http, database_url, workspace, laptop_b, reviewer_b, withdrawn, kept)


def steps(workspace: Workspace) -> Casework:
    clock = lambda: NOW + timedelta(hours=1)  # noqa: E731
    return Casework(workspace.db, Actor("someone", "某人"), clock)


def office_rows(storage: Storage) -> tuple[int, int, int]:
    """How many assignments, log entries and changes the office holds."""
    with storage.reading() as conn:
        return tuple(  # type: ignore[return-value]
            int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in (case_assignment, assignment_log, change)
        )


def test_unassign_tells_the_laptop_which_keeps_the_case_read_only_and_holds_its_outbox(
    office: Office,
) -> None:
    b = office.b
    held_edit = first_result(b, office.withdrawn)
    edit_note(b, held_edit, "撤回前在本机写的意见")
    edit_note(b, first_result(b, office.kept), "另一案件的意见")
    assert sync_queue.outbox_count(b.db) == 2

    done = office.server("case", "unassign", WITHDRAWN, "--reviewer", "李明", "--by", "省局张三")
    assert done.exit_code == 0, done.output
    assert "withdrawn from 李明" in done.output and "1 reviewer(s) still assigned" in done.output

    report = office.sync_b()

    # the office refused the withdrawn case's change (403), took the other case's, and told B
    assert report.applied == 1 and len(report.held) == 1 and "not assigned" in report.held[0]
    assert report.newly_withdrawn == [office.withdrawn]
    shown = report.as_json()
    assert shown["pending"] == 0 and shown["held_back"] == 1
    (held,) = shown["withdrawn"]
    assert (held["case_id"], held["application_no"], held["held"], held["withdrawn_by"]) == (
        office.withdrawn,
        WITHDRAWN,
        1,
        "省局张三",
    )
    assert held["reason"] == "held: case withdrawn"
    # kept whole: the record, its edit and the queued change are all still here
    kept = records.load(b.db, ChecklistResult, held_edit.id)
    assert kept is not None and kept.note == "撤回前在本机写的意见"
    queued = fetch_all(b.db, "SELECT case_id FROM outbox", [])
    assert [q["case_id"] for q in queued] == [office.withdrawn]
    state = sync_state(b.db)
    assert (state.pending, state.held) == (0, 1)  # held, not "waiting to sync"

    # read-only in the store, in the domain's words; nothing written
    with pytest.raises(RuleViolation) as refused:
        steps(b).withdraw_result(office.withdrawn, held_edit.item_code)
    assert refused.value.rule == "case_withdrawn"
    assert "此案件已不再分配给您（" in str(refused.value) and "由省局撤回）" in str(refused.value)
    assert len(fetch_all(b.db, "SELECT 1 FROM outbox", [])) == 1

    # the case list says so
    rows = {
        r.case.id: r for r in Queries(b.db, load_settings(b.db).calendar, lambda: NOW).case_rows()
    }
    assert rows[office.withdrawn].withdrawn is not None
    assert "省局撤回" in rows[office.withdrawn].withdrawn
    assert rows[office.kept].withdrawn is None

    # the other reviewer still assigned keeps working; B no longer receives the case
    result_a = first_result(office.a, office.withdrawn)
    edit_note(office.a, result_a, "王建华在撤回后写的意见")
    assert sync(office.a, office.http).applied == 1  # type: ignore[attr-defined]
    again = office.sync_b()
    assert again.pulled == 0 and again.pushed == 0 and again.held == []
    on_b = records.load(b.db, ChecklistResult, result_a.id)
    assert on_b is not None and on_b.note != "王建华在撤回后写的意见"


def test_a_push_of_the_withdrawn_case_is_refused_with_403(office: Office) -> None:
    from tests.sync.test_scope import of_case

    token = office.http.post(
        "/v1/enroll",
        json={"code": _code_of(office, "李明"), "device_id": "laptop-b2"},
        headers=HEADERS,
    ).json()["token"]
    headers = {**HEADERS, "Authorization": f"Bearer {token}"}
    assert (
        office.server(
            "case", "unassign", office.withdrawn, "--reviewer", office.reviewer_b
        ).exit_code
        == 0
    )
    refused = push(office.http, headers, of_case(office.withdrawn, 1))
    assert refused.status_code == 403 and "not assigned" in refused.json()["detail"]
    seen = office.http.get("/v1/changes", headers=headers).json()["changes"]
    assert all(c["case_id"] != office.withdrawn for c in seen)
    notices = [c for c in seen if c["record_table"] == "assignment_notice"]
    assert [n["payload"]["case_id"] for n in notices] == [office.withdrawn]
    assert notices[0]["payload"]["assigned"] is False


def _code_of(office: Office, name: str) -> str:
    """A fresh enrollment code for the reviewer `name` already in the registry (a second
    laptop of the same reviewer)."""
    from sqlalchemy import insert

    from sync.server.storage import enrollment_code, reviewer, token_hash

    code = f"second-laptop-{name}"
    with office.storage.transaction() as conn:
        rid = conn.execute(select(reviewer.c.id).where(reviewer.c.name == name)).scalar_one()
        conn.execute(
            insert(enrollment_code).values(
                code_hash=token_hash(code), reviewer_id=rid, created_at=NOW.isoformat()
            )
        )
    return code


def test_reassigning_lifts_it_and_the_held_changes_go_up(office: Office) -> None:
    b = office.b
    held_edit = first_result(b, office.withdrawn)
    version = edit_note(b, held_edit, "撤回期间保留的意见")
    office.server("case", "unassign", office.withdrawn, "--reviewer", office.reviewer_b)
    office.sync_b()
    others = records.load_for_case(office.a.db, ChecklistResult, office.withdrawn)
    meanwhile = next(r for r in others if r.id != held_edit.id)
    edit_note(office.a, meanwhile, "撤回期间王建华的意见")
    sync(office.a, office.http)

    assign_by_id(office.storage, office.withdrawn, office.reviewer_b, actor="省局张三")
    report = office.sync_b()

    assert report.reassigned == [office.withdrawn]
    assert report.withdrawn == [] and report.pending == 0
    assert report.applied == 1 and report.conflicts == []  # the held change went up at once
    assert sync_queue.outbox_count(b.db) == 0 and sync_state(b.db).held == 0
    caught_up = records.load(b.db, ChecklistResult, meanwhile.id)
    assert caught_up is not None and caught_up.note == "撤回期间王建华的意见"
    sync(office.a, office.http)
    on_a = records.stored_version(office.a.db, ChecklistResult, held_edit.id)
    assert on_a is not None and on_a.version_id == version
    # no longer refused for the withdrawal (whatever else a step then checks)
    try:
        steps(b).withdraw_result(office.withdrawn, held_edit.item_code)
    except RuleViolation as error:
        assert error.rule != "case_withdrawn"


def test_a_held_change_that_went_stale_meanwhile_becomes_a_conflict(office: Office) -> None:
    b = office.b
    result = first_result(b, office.withdrawn)
    edit_note(b, result, "李明的旧意见")
    office.server("case", "unassign", office.withdrawn, "--reviewer", "李明")
    office.sync_b()
    edit_note(office.a, result, "王建华的新意见")
    sync(office.a, office.http)
    assign_by_id(office.storage, office.withdrawn, office.reviewer_b)

    report = office.sync_b()

    assert len(report.conflicts) == 1  # kept on the office for the leader, never dropped
    assert [c["record_id"] for c in office.storage.conflicts()] == [result.id]
    assert sync_queue.outbox_count(b.db) == 0


def test_hostile_unassign_input_is_refused_clearly_and_changes_nothing(office: Office) -> None:
    before = office_rows(office.storage)
    cases = [
        (["no-such-case", "--reviewer", "李明"], "no case"),
        ([WITHDRAWN, "--reviewer", "nobody-at-all"], "no reviewer"),
        ([WITHDRAWN, "--reviewer", "李明", "nobody-at-all"], "no reviewer"),
        ([WITHDRAWN, "--reviewer", "王建华", "--reviewer", "陈静"], "no reviewer"),
    ]
    for args, words in cases:
        result = office.server("case", "unassign", *args)
        assert result.exit_code == 1, result.output
        assert words in result.output and "Traceback" not in result.output
    office.storage.add_reviewer(
        __import__("sync.protocol", fromlist=["Reviewer"]).Reviewer(
            id="r-chen", name="陈静", unit="质检院", unit_type="other", role="reviewer"
        )
    )
    before = office_rows(office.storage)
    stranger = office.server("case", "unassign", WITHDRAWN, "--reviewer", "陈静")
    assert stranger.exit_code == 1 and "not assigned to 陈静" in stranger.output
    missing = office.server("case", "unassign", WITHDRAWN)
    assert missing.exit_code == 2 and "--reviewer" in missing.output
    assert office_rows(office.storage) == before
    assert office.sync_b().newly_withdrawn == []


def test_status_shows_who_withdrew_which_case_and_when(office: Office) -> None:
    office.server("case", "unassign", WITHDRAWN, "--reviewer", "李明", "--by", "省局张三")
    shown = office.server("status")
    assert shown.exit_code == 0, shown.output
    assert "withdrawn assignments: 1" in shown.output
    line = next(x for x in shown.output.splitlines() if "withdrawn from" in x)
    assert WITHDRAWN in line and "李明" in line and "by 省局张三 at 20" in line
    listed = json.loads(office.server("status", "--json").output)["withdrawals"]
    assert [(w["case_id"], w["reviewer_id"], w["by"]) for w in listed] == [
        (office.withdrawn, office.reviewer_b, "省局张三")
    ]
    assign_by_id(office.storage, office.withdrawn, office.reviewer_b)
    assert "withdrawn assignments: 0" in office.server("status").output
    with office.storage.reading() as conn:
        log = conn.execute(
            select(assignment_log.c.action, assignment_log.c.actor)
            .where(assignment_log.c.reviewer_id == office.reviewer_b)
            .where(assignment_log.c.case_id == office.withdrawn)
            .order_by(assignment_log.c.seq)
        ).all()
    assert [tuple(r) for r in log] == [
        ("assign", "inspector-server"),
        ("unassign", "省局张三"),
        ("assign", "inspector-server"),
    ]


def test_unassign_and_reassign_over_loopback_as_people_run_them(
    server: tuple[str, list[str]],  # noqa: F811
    demo_template: Path,
    tmp_path: Path,
) -> None:
    from inspector_app.cli import cli
    from tests.sync.conftest import PASSPHRASE

    url, options = server
    exported = tmp_path / "case.json"
    demo = ["--workspace", str(demo_template)]
    made = CliRunner().invoke(cli, [*demo, "case", "export", WITHDRAWN, "--out", str(exported)])
    assert made.exit_code == 0, made.output

    def office(*args: str) -> str:
        result = CliRunner().invoke(server_cli, [*options, *args])
        assert result.exit_code == 0, result.output
        return result.output

    code = office(
        *("user", "add", "李明", "--unit", "山东省质检院", "--unit-type", "other"),
        *("--role", "leader", "--certificate", "XKSC-2026-0201", "--expires", "2030-12-31"),
    ).split()[-1]
    office("case", "assign", str(exported), "--team", "李明", "--by", "省局张三")
    env = {"INSPECTOR_PASSPHRASE": PASSPHRASE}
    base = ["--workspace", str(tmp_path / "fresh")]
    enrolled = CliRunner().invoke(cli, [*base, "enroll", "--server", url, "--code", code], env=env)
    assert enrolled.exit_code == 0, enrolled.output

    def laptop_sync() -> dict[str, Any]:
        synced = CliRunner().invoke(cli, [*base, "sync", "--json"], env=env)
        assert synced.exit_code == 0, synced.output
        return dict(json.loads(synced.output))

    assert laptop_sync()["withdrawn"] == []
    office("case", "unassign", WITHDRAWN, "--reviewer", "李明", "--by", "省局张三")
    told = laptop_sync()
    (held,) = told["withdrawn"]
    assert held["application_no"] == WITHDRAWN and held["reason"] == "held: case withdrawn"
    text = CliRunner().invoke(cli, [*base, "sync"], env=env).output
    assert f"案件 {WITHDRAWN} 已于" in text and "由省局撤回" in text
    listed = json.loads(CliRunner().invoke(cli, [*base, "case", "list", "--json"]).stdout)
    assert "此案件已不再分配给您" in listed[0]["withdrawn"]
    assert "withdrawn assignments: 1" in office("status")

    office("case", "assign", str(exported), "--team", "李明")
    back = laptop_sync()
    assert back["withdrawn"] == [] and len(back["reassigned"]) == 1
    listed = json.loads(CliRunner().invoke(cli, [*base, "case", "list", "--json"]).stdout)
    assert listed[0]["withdrawn"] is None


def test_notices_that_do_not_fit_change_nothing_and_settling_a_conflict_is_refused(
    workspace: Workspace,
) -> None:
    from inspector_app.store.conflicts import resolve_conflict
    from inspector_app.store.withdrawals import apply_notice, held_cases

    db = workspace.db
    case_id = case_id_of(workspace, WITHDRAWN)
    notice = {
        "case_id": case_id,
        "application_no": WITHDRAWN,
        "reviewer_id": "r-me",
        "assigned": False,
        "at": "2026-11-26T06:30:00+00:00",
        "by": "省局张三",
    }
    with db.atomic():
        assert apply_notice(db, {**notice, "case_id": "never-here"}, "r-me", NOW) == "echo"
        assert apply_notice(db, {**notice, "assigned": True}, "r-me", NOW) == "echo"
        for bad in ({**notice, "reviewer_id": "someone-else"}, {**notice, "at": "later"}, {}):
            with pytest.raises(ValueError):
                apply_notice(db, bad, "r-me", NOW)
    assert held_cases(db) == []
    with db.atomic():
        assert apply_notice(db, notice, "r-me", NOW) == "withdrawn"
    db.execute(
        "INSERT INTO sync_conflict (origin, record_table, record_id, case_id, other_payload, "
        "reason, found_at) VALUES ('pull', 'checklist_result', ?, ?, '{}', 'stale', ?)",
        [first_result(workspace, case_id).id, case_id, NOW.isoformat()],
    )
    conflict_id = fetch_all(db, "SELECT id FROM sync_conflict", [])[0]["id"]
    with pytest.raises(RuleViolation) as refused:
        resolve_conflict(db, conflict_id, "other", actor=Actor("x", "某人"), now=NOW, device="d")
    assert refused.value.rule == "case_withdrawn"
    assert fetch_all(db, "SELECT resolved_at FROM sync_conflict", []) == [{"resolved_at": None}]
