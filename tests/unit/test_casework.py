"""Case work through the store: what the workspace holds after each step, and what it refuses."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from inspector_app.core.errors import RuleViolation
from inspector_app.core.model import Case, CaseStatus, ChecklistResult, SampleRecord, TeamMember
from inspector_app.demo import demo_id, fill_demo
from inspector_app.store import records
from inspector_app.store.audit import verify_audit_trail
from inspector_app.store.casework import Casework, case_form, load_case_file
from inspector_app.store.errors import SignedRecordError
from inspector_app.store.workspace import Workspace, open_workspace

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with open_workspace(tmp_path / "ws") as workspace:
        fill_demo(workspace, NOW)
        yield workspace


def count(ws: Workspace, table: str) -> int:
    return int(ws.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def in_review(ws: Workspace) -> tuple[Case, list[TeamMember]]:
    state = load_case_file(ws.db, demo_id("c", "case"))
    return state.case, sorted(state.members, key=lambda m: m.id)


def unassessed_item(ws: Workspace, case: Case) -> str:
    state = load_case_file(ws.db, case.id)
    done = {r.item_code for r in state.results}
    return next(
        i.code
        for i in case_form(ws.db, case).items()
        if i.code not in done and not i.requires.get("符合")
    )


def test_record_result_writes_version_audit_event_and_outbox_together(ws: Workspace) -> None:
    case, members = in_review(ws)
    assessor = next(m for m in members if m.name == "李春梅")
    code = unassessed_item(ws, case)
    events, outbox = count(ws, "audit_event"), count(ws, "outbox")
    result = ChecklistResult(
        "11111111-1111-4111-8111-111111111111", case.id, code, "符合", "", assessor.id, LATER
    )
    first = Casework(ws.db, "李春梅").record_result(result, LATER)
    second = Casework(ws.db, "李春梅").record_result(replace(result, note="复核"), LATER)
    assert first.base_version_id is None
    assert second.base_version_id == first.version_id
    assert count(ws, "audit_event") == events + 2
    assert count(ws, "outbox") == outbox + 2
    stored = records.load(ws.db, ChecklistResult, result.id)
    assert stored is not None and stored.note == "复核" and stored.assessor_id == assessor.id
    assert verify_audit_trail(ws.db) == []


def test_unfiled_person_cannot_record_results(ws: Workspace) -> None:
    case, members = in_review(ws)
    code = unassessed_item(ws, case)
    result = ChecklistResult(
        "22222222-2222-4222-8222-222222222222", case.id, code, "符合", "", members[0].id, LATER
    )
    events = count(ws, "audit_event")
    with pytest.raises(RuleViolation) as refused:
        Casework(ws.db, "外聘人员").record_result(result, LATER)
    assert refused.value.rule == "filed_member_only"
    assert count(ws, "audit_event") == events


def test_checklist_cannot_start_on_unfiled_team(ws: Workspace) -> None:
    case_id = demo_id("a", "case")  # accepted, no team yet
    with pytest.raises(RuleViolation) as refused:
        Casework(ws.db, "王建华").start_review(case_id, LATER)
    assert refused.value.rule == "lifecycle"


def test_changing_a_filed_team_voids_the_filing(ws: Workspace) -> None:
    case_id = demo_id("b", "case")  # team filed
    state = load_case_file(ws.db, case_id)
    changed = replace(state.members[0], phone="13800000000")
    Casework(ws.db, "王建华").save_member(changed, LATER)
    assert load_case_file(ws.db, case_id).case.status == CaseStatus.ACCEPTED
    with pytest.raises(RuleViolation):
        Casework(ws.db, "王建华").start_review(case_id, LATER)
    Casework(ws.db, "王建华").file_team(case_id, LATER)
    Casework(ws.db, "王建华").start_review(case_id, LATER)
    assert load_case_file(ws.db, case_id).case.status == CaseStatus.ON_SITE_REVIEW


def test_filing_refused_for_all_one_unit_team(ws: Workspace) -> None:
    case_id = demo_id("b", "case")
    for m in load_case_file(ws.db, case_id).members:
        Casework(ws.db, "王建华").save_member(replace(m, unit="同一检验院"), LATER)
    with pytest.raises(RuleViolation) as refused:
        Casework(ws.db, "王建华").file_team(case_id, LATER)
    assert refused.value.rule == "not_all_one_unit"


def test_sampling_refused_on_failed_review(ws: Workspace) -> None:
    case_id = demo_id("e", "case")  # failed
    sample = SampleRecord(
        "33333333-3333-4333-8333-333333333333",
        case_id,
        "电缆",
        "KVV",
        "1",
        "1",
        "1",
        "1",
        "库",
        LATER,
        (demo_id("e", "member", "0"),),
        "陈伟强",
        "广东产品质量监督检验研究院",
        True,
    )
    with pytest.raises(RuleViolation) as refused:
        Casework(ws.db, "王建华").record_sample(sample, [], LATER)
    assert refused.value.rule == "sampling_after_pass"


def test_signed_case_is_immutable_in_the_store_and_in_sqlite(ws: Workspace) -> None:
    case_id = demo_id("g", "case")  # signed off
    state = load_case_file(ws.db, case_id)
    with pytest.raises(RuleViolation):
        Casework(ws.db, "王建华").save_member(replace(state.members[0], phone="1"), LATER)
    with pytest.raises(SignedRecordError):
        records.save(ws.db, replace(state.members[0], phone="1"), actor="王建华", now=LATER)
    raw = sqlite3.connect(ws.folder / "workspace.db")
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        raw.execute("UPDATE checklist_result SET result = '不符合' WHERE case_id = ?", [case_id])
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        raw.execute("DELETE FROM review_case WHERE id = ?", [case_id])
    raw.close()


def test_only_the_leader_signs_off(ws: Workspace) -> None:
    case_id = demo_id("f", "case")  # sampled
    with pytest.raises(RuleViolation) as refused:
        Casework(ws.db, "李春梅").sign_off(case_id, LATER)
    assert refused.value.rule == "leader_only"
    Casework(ws.db, "王建华").sign_off(case_id, LATER)
    assert load_case_file(ws.db, case_id).case.status == CaseStatus.SIGNED_OFF


def test_conclude_refuses_an_unfinished_checklist(ws: Workspace) -> None:
    with pytest.raises(RuleViolation) as refused:
        Casework(ws.db, "王建华").conclude(demo_id("c", "case"), LATER)
    assert refused.value.rule == "checklist_complete"


def test_demo_is_idempotent(ws: Workspace) -> None:
    events = count(ws, "audit_event")
    assert fill_demo(ws, LATER) == 0
    assert count(ws, "audit_event") == events


def test_oversize_or_unnamed_attachment_is_refused_and_nothing_kept(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector_app.store import attachments
    from inspector_app.store.errors import WorkspaceError

    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 10)
    files = sorted(ws.attachments.rglob("*"))
    with pytest.raises(WorkspaceError, match="超过"):
        attachments.add_attachment(
            ws,
            b"x" * 11,
            media_type="image/png",
            original_name="big.png",
            actor="王建华",
            now=LATER,
        )
    with pytest.raises(WorkspaceError, match="SHA-256"):
        attachments.attachment_path(ws, "../../etc/passwd")
    assert sorted(ws.attachments.rglob("*")) == files
