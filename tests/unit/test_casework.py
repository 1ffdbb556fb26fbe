"""Case work through the store: what the workspace holds after each step, and what it refuses."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from inspector_app.core.errors import RuleViolation
from inspector_app.core.model import (
    Actor,
    Case,
    CaseStatus,
    ChecklistResult,
    EnterpriseObjection,
    FeedbackHandover,
    IntegrityDeclaration,
    SampleRecord,
    Seal,
    Stage,
    TeamFiling,
    TeamMember,
)
from inspector_app.demo import demo_id, fill_demo
from inspector_app.store import records
from inspector_app.store.audit import verify_audit_trail
from inspector_app.store.casework import Casework, case_form, load_case_file
from inspector_app.store.errors import SignedRecordError
from inspector_app.store.workspace import Workspace, open_workspace
from tests.conftest import DemoWorkspaces

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

WANG = Actor(demo_id("reviewer", "wang"), "王建华")  # leads every demo team
WANG2 = Actor(demo_id("reviewer", "wang2"), "王建华")  # the namesake on the cement teams
LI = Actor(demo_id("reviewer", "li"), "李春梅")  # wire-cable teams only
CHEN = Actor(demo_id("reviewer", "chen"), "陈志强")
SUN = Actor(demo_id("reviewer", "sun"), "孙海涛")  # general on-site teams only
OUTSIDER = Actor("99999999-9999-4999-8999-999999999999", "外聘人员")


def work(ws: Workspace, actor: Actor) -> Casework:
    """Case work by `actor`, with the laptop's clock at LATER."""
    return Casework(ws.db, actor, lambda: LATER)


@pytest.fixture
def ws(demo_workspaces: DemoWorkspaces, tmp_path: Path) -> Iterator[Workspace]:
    demo_workspaces.copy(tmp_path / "ws", NOW)
    with open_workspace(tmp_path / "ws") as workspace:
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
    assessor = next(m for m in members if m.reviewer_id == CHEN.id)
    code = unassessed_item(ws, case)
    events, outbox = count(ws, "audit_event"), count(ws, "outbox")
    result = ChecklistResult(
        "11111111-1111-4111-8111-111111111111", case.id, code, "符合", "", assessor.id, LATER
    )
    change = work(ws, CHEN).record_result(result)
    assert change.case_id == case.id
    assert change.status_before == change.status_after == CaseStatus.ON_SITE_REVIEW
    (first,) = change.of("checklist_result")
    (second,) = work(ws, CHEN).record_result(replace(result, note="复核")).saved
    assert first.record_id == result.id and first.base_version_id is None
    assert second.base_version_id == first.version_id
    assert count(ws, "audit_event") == events + 2
    assert count(ws, "outbox") == outbox + 2
    stored = records.load(ws.db, ChecklistResult, result.id)
    assert stored is not None and stored.note == "复核" and stored.assessor_id == assessor.id
    assert verify_audit_trail(ws.db) == []
    event = ws.db.execute(
        "SELECT actor, actor_id FROM audit_event ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    assert event == ("陈志强", CHEN.id)
    row = ws.db.execute(
        "SELECT updated_by, device_id FROM checklist_result WHERE id = ?", [result.id]
    ).fetchone()
    device = ws.db.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()[0]
    assert row == (CHEN.id, device)


def test_two_reviewers_of_one_name_are_told_apart_by_id(ws: Workspace) -> None:
    case, members = in_review(ws)  # cement: 王建华 (leader) and 王建华 (中国水泥协会)
    leader = next(m for m in members if m.reviewer_id == WANG.id)
    namesake = next(m for m in members if m.reviewer_id == WANG2.id)
    assert leader.name == namesake.name == "王建华" and leader.id != namesake.id
    code = unassessed_item(ws, case)
    result = ChecklistResult(
        "12121212-1212-4121-8121-121212121212", case.id, code, "符合", "", namesake.id, LATER
    )
    # the leader cannot record a result in the namesake's name, nor the reverse
    with pytest.raises(RuleViolation) as refused:
        work(ws, WANG).record_result(result)
    assert refused.value.rule == "acts_as_self"
    work(ws, WANG2).record_result(result)
    stored = records.load(ws.db, ChecklistResult, result.id)
    assert stored is not None and stored.assessor_id == namesake.id
    # only the leader concludes: the namesake is refused as a member, whatever the name
    with pytest.raises(RuleViolation) as refused:
        work(ws, WANG2).conclude(case.id)
    assert refused.value.rule == "leader_only"


def test_unfiled_person_cannot_record_results(ws: Workspace) -> None:
    case, members = in_review(ws)
    code = unassessed_item(ws, case)
    result = ChecklistResult(
        "22222222-2222-4222-8222-222222222222", case.id, code, "符合", "", members[0].id, LATER
    )
    events = count(ws, "audit_event")
    with pytest.raises(RuleViolation) as refused:
        work(ws, OUTSIDER).record_result(result)
    assert refused.value.rule == "acts_as_self"
    stranger = replace(result, assessor_id="88888888-8888-4888-8888-888888888888")
    with pytest.raises(RuleViolation) as refused:
        work(ws, WANG).record_result(stranger)
    assert refused.value.rule == "person_on_team"
    assert count(ws, "audit_event") == events


def test_a_result_needs_a_valid_certificate_on_its_day(ws: Workspace) -> None:
    case, members = in_review(ws)
    chen = next(m for m in members if m.reviewer_id == CHEN.id)
    beijing = timezone(timedelta(hours=8))
    last_evening = datetime.combine(chen.certificate_expiry, time(20, 0), tzinfo=beijing)
    next_morning = last_evening + timedelta(hours=12)
    result = ChecklistResult(
        "23232323-2323-4232-8232-232323232323",
        case.id,
        unassessed_item(ws, case),
        "符合",
        "",
        chen.id,
        last_evening,
    )
    # valid through its expiry day (Beijing time), refused the morning after
    Casework(ws.db, CHEN, lambda: last_evening).record_result(result)
    with pytest.raises(RuleViolation) as refused:
        Casework(ws.db, CHEN, lambda: next_morning).record_result(
            replace(result, assessed_at=next_morning)
        )
    assert refused.value.rule == "certificate_valid"


def test_a_time_after_the_laptop_clock_is_refused(ws: Workspace) -> None:
    case, members = in_review(ws)
    chen = next(m for m in members if m.reviewer_id == CHEN.id)
    code = unassessed_item(ws, case)
    tomorrow = LATER.replace(day=LATER.day + 1)
    result = ChecklistResult(
        "24242424-2424-4242-8242-242424242424", case.id, code, "符合", "", chen.id, tomorrow
    )
    with pytest.raises(RuleViolation) as refused:
        work(ws, CHEN).record_result(result)
    assert refused.value.rule == "not_in_future"
    # within the workspace's tolerance for clock drift (10 minutes by default): accepted
    work(ws, CHEN).record_result(replace(result, assessed_at=LATER.replace(minute=9)))


def test_a_result_before_the_review_started_is_refused(ws: Workspace) -> None:
    case, members = in_review(ws)
    chen = next(m for m in members if m.reviewer_id == CHEN.id)
    assert case.review_started_at is not None
    result = ChecklistResult(
        "25252525-2525-4252-8252-252525252525",
        case.id,
        unassessed_item(ws, case),
        "符合",
        "",
        chen.id,
        case.review_started_at.replace(hour=case.review_started_at.hour - 1),
    )
    with pytest.raises(RuleViolation) as refused:
        work(ws, CHEN).record_result(result)
    assert refused.value.rule == "result_within_review"


def test_checklist_cannot_start_on_unfiled_team(ws: Workspace) -> None:
    case_id = demo_id("a", "case")  # accepted, no team yet
    with pytest.raises(RuleViolation) as refused:
        work(ws, WANG).start_review(case_id)
    assert refused.value.rule == "lifecycle"


def test_changing_a_filed_team_voids_the_filing(ws: Workspace) -> None:
    case_id = demo_id("b", "case")  # team filed
    state = load_case_file(ws.db, case_id)
    changed = replace(state.members[0], phone="13800000000")
    work(ws, WANG).save_member(changed)
    assert load_case_file(ws.db, case_id).case.status == CaseStatus.ACCEPTED
    with pytest.raises(RuleViolation):
        work(ws, WANG).start_review(case_id)
    work(ws, WANG).file_team(case_id)
    work(ws, WANG).start_review(case_id)
    assert load_case_file(ws.db, case_id).case.status == CaseStatus.ON_SITE_REVIEW


def test_a_member_is_a_reviewer_of_the_registry(ws: Workspace) -> None:
    case_id = demo_id("b", "case")
    state = load_case_file(ws.db, case_id)
    ghost = replace(state.members[1], id="31313131-3131-4313-8313-313131313131")
    with pytest.raises(RuleViolation) as refused:
        work(ws, WANG).save_member(replace(ghost, reviewer_id=OUTSIDER.id))
    assert refused.value.rule == "reviewer_known"
    with pytest.raises(RuleViolation) as refused:  # the same reviewer twice on one team
        work(ws, WANG).save_member(ghost)
    assert refused.value.rule == "reviewer_once"


def test_filing_refused_for_all_one_unit_team(ws: Workspace) -> None:
    case_id = demo_id("b", "case")
    for m in load_case_file(ws.db, case_id).members:
        work(ws, WANG).save_member(replace(m, unit="同一检验院"))
    with pytest.raises(RuleViolation) as refused:
        work(ws, WANG).file_team(case_id)
    assert refused.value.rule == "not_all_one_unit"


def test_only_a_member_files_the_team_in_their_own_name(ws: Workspace) -> None:
    case_id = demo_id("b", "case")
    state = load_case_file(ws.db, case_id)
    work(ws, WANG).save_member(replace(state.members[0], phone="13800000001"))
    with pytest.raises(RuleViolation) as refused:
        work(ws, OUTSIDER).file_team(case_id)
    assert refused.value.rule == "acts_as_self"
    change = work(ws, LI).file_team(case_id)
    assert (change.status_before, change.status_after) == (
        CaseStatus.ACCEPTED,
        CaseStatus.TEAM_FILED,
    )
    (saved,) = change.of("team_filing")
    filing = records.load(ws.db, TeamFiling, saved.record_id)
    li = next(m for m in state.members if m.reviewer_id == LI.id)
    assert filing is not None and filing.filed_by == li.id


def _sample(case_id: str, member_id: str, at: datetime) -> SampleRecord:
    return SampleRecord(
        "33333333-3333-4333-8333-333333333333",
        case_id,
        "电缆",
        "KVV",
        "1",
        "1",
        "1",
        "1",
        "库",
        at,
        (member_id,),
        "陈伟强",
        "广东产品质量监督检验研究院",
        True,
    )


def test_sampling_refused_on_failed_review(ws: Workspace) -> None:
    case_id = demo_id("e", "case")  # failed
    sample = _sample(case_id, demo_id("e", "member", "0"), LATER)
    with pytest.raises(RuleViolation) as refused:
        work(ws, WANG).record_sample(sample, [])
    assert refused.value.rule == "sampling_after_pass"


def test_sealing_before_the_pass_conclusion_is_refused(ws: Workspace) -> None:
    case_id = demo_id("d", "case")  # passed
    case = load_case_file(ws.db, case_id).case
    assert case.concluded_at is not None
    early = case.concluded_at.replace(hour=case.concluded_at.hour - 6)
    seal = Seal("34343434-3434-4343-8343-343434343434", "", case_id, "FY-1")
    with pytest.raises(RuleViolation) as refused:
        work(ws, WANG).record_sample(_sample(case_id, demo_id("d", "member", "0"), early), [seal])
    assert refused.value.rule == "sampling_after_conclusion"


def test_a_passed_case_is_not_signed_off_without_its_sampling(ws: Workspace) -> None:
    with pytest.raises(RuleViolation) as refused:
        work(ws, WANG).sign_off(demo_id("d", "case"))
    assert refused.value.rule == "lifecycle"


def test_signed_case_is_immutable_in_the_store_and_in_sqlite(ws: Workspace) -> None:
    case_id = demo_id("g", "case")  # signed off
    state = load_case_file(ws.db, case_id)
    with pytest.raises(RuleViolation) as refused:
        work(ws, WANG).save_member(replace(state.members[0], phone="1"))
    assert refused.value.rule == "case_signed_off"
    with pytest.raises(SignedRecordError):
        records.save(ws.db, replace(state.members[0], phone="1"), actor=WANG, now=LATER, device="d")
    raw = sqlite3.connect(ws.folder / "workspace.db")
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        raw.execute("UPDATE checklist_result SET result = '不符合' WHERE case_id = ?", [case_id])
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        raw.execute("DELETE FROM review_case WHERE id = ?", [case_id])
    raw.close()


def test_every_new_record_in_a_signed_off_case_is_refused_by_the_domain(ws: Workspace) -> None:
    case_id = demo_id("g", "case")  # signed off (wire-cable: 王建华, 李春梅, 陈志强)
    state = load_case_file(ws.db, case_id)
    li = next(m for m in state.members if m.reviewer_id == LI.id)
    new = "35353535-3535-4353-8353-35353535353"
    steps = {
        "member": lambda: work(ws, WANG).save_member(replace(li, id=new + "0")),
        "declaration": lambda: work(ws, LI).sign_declaration(
            IntegrityDeclaration(new + "1", case_id, li.id, True, True, True, LATER)
        ),
        "filing": lambda: work(ws, LI).file_team(case_id),
        "review": lambda: work(ws, WANG).start_review(case_id),
        "result": lambda: work(ws, LI).record_result(
            ChecklistResult(new + "2", case_id, "1.1", "符合", "", li.id, LATER)
        ),
        "conclusion": lambda: work(ws, WANG).conclude(case_id),
        "sample": lambda: work(ws, LI).record_sample(_sample(case_id, li.id, LATER), []),
        "handover": lambda: work(ws, LI).record_handover(
            FeedbackHandover(new + "3", case_id, Stage.INSPECTION, LATER, "刘志刚", li.id)
        ),
        "objection": lambda: work(ws, LI).record_objection(
            EnterpriseObjection(new + "4", case_id, "有异议", "刘志刚", LATER)
        ),
        "sign-off": lambda: work(ws, WANG).sign_off(case_id),
    }
    events = count(ws, "audit_event")
    for name, step in steps.items():
        with pytest.raises(RuleViolation) as refused:
            step()
        assert refused.value.rule == "case_signed_off", name
        assert "已由审查组长签发" in str(refused.value), name
    assert count(ws, "audit_event") == events


def test_only_a_member_of_the_team_records_the_enterprise_objection(ws: Workspace) -> None:
    case_id = demo_id("e", "case")  # review failed (wire-cable team: 王建华, 李春梅, 陈志强)
    objection = EnterpriseObjection(
        "f00d0000-0000-4000-8000-00000000000e", case_id, "有异议", "刘志刚", LATER
    )
    events, objections = count(ws, "audit_event"), count(ws, "enterprise_objection")
    for stranger in (WANG2, Actor(demo_id("reviewer", "sun"), "孙海涛")):  # namesake, other team
        with pytest.raises(RuleViolation) as refused:
            work(ws, stranger).record_objection(objection)
        assert refused.value.rule == "recorder_on_team"
    assert count(ws, "audit_event") == events
    assert count(ws, "enterprise_objection") == objections
    work(ws, LI).record_objection(objection)  # a member of the team takes it down
    assert [o.text for o in load_case_file(ws.db, case_id).objections] == ["有异议"]


def test_a_member_of_one_case_cannot_be_saved_into_another(ws: Workspace) -> None:
    """An edit in one case never changes another: a member record of case c written as case
    a's (the same id) is refused, and case c keeps its team."""
    case_a, case_c = demo_id("a", "case"), demo_id("c", "case")
    before = load_case_file(ws.db, case_c)
    events = count(ws, "audit_event")
    with pytest.raises(RuleViolation) as refused:
        work(ws, WANG).save_member(replace(before.members[1], case_id=case_a))
    assert refused.value.rule == "case_isolation"
    assert load_case_file(ws.db, case_c).members == before.members
    assert load_case_file(ws.db, case_a).members == ()
    assert count(ws, "audit_event") == events


def test_the_audit_trail_refuses_update_and_delete_in_sqlite(ws: Workspace) -> None:
    raw = sqlite3.connect(ws.folder / "workspace.db")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("UPDATE audit_event SET actor = '某人' WHERE seq = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("DELETE FROM audit_event WHERE seq = 1")
    raw.close()


def test_only_the_leader_signs_off(ws: Workspace) -> None:
    case_id = demo_id("f", "case")  # sampled (cement: the namesake is a member)
    for namesake in (WANG2, CHEN):
        with pytest.raises(RuleViolation) as refused:
            work(ws, namesake).sign_off(case_id)
        assert refused.value.rule == "leader_only"
    change = work(ws, WANG).sign_off(case_id)
    assert change.status_after == CaseStatus.SIGNED_OFF
    state = load_case_file(ws.db, case_id)
    assert state.case.status == CaseStatus.SIGNED_OFF
    leader = next(m for m in state.members if m.reviewer_id == WANG.id)
    (signature,) = state.signatures
    assert signature.signer_id == leader.id and change.of("signature")[0].record_id == signature.id


def test_sign_off_before_the_last_act_is_refused(ws: Workspace) -> None:
    case_id = demo_id("f", "case")
    sampled = load_case_file(ws.db, case_id).samples[0].sampled_at
    with pytest.raises(RuleViolation) as refused:
        work(ws, WANG).sign_off(case_id, sampled.replace(hour=sampled.hour - 1))
    assert refused.value.rule == "sign_off_last"


def test_conclude_refuses_an_unfinished_checklist(ws: Workspace) -> None:
    with pytest.raises(RuleViolation) as refused:
        work(ws, WANG).conclude(demo_id("c", "case"))
    assert refused.value.rule == "checklist_complete"


def test_an_accepted_case_keeps_its_enterprise(ws: Workspace) -> None:
    signed = load_case_file(ws.db, demo_id("g", "case"))
    renamed = replace(signed.enterprise, name="改名企业", address="新地址")
    new_case = replace(
        signed.case,
        id="36363636-3636-4363-8363-363636363636",
        application_no="XK06-2026-0999",
        status=CaseStatus.ACCEPTED,
        review_started_at=None,
        concluded_at=None,
    )
    with pytest.raises(RuleViolation) as refused:
        work(ws, WANG).create_case(renamed, new_case)
    assert refused.value.rule == "enterprise_unchanged"
    assert load_case_file(ws.db, demo_id("g", "case")).enterprise == signed.enterprise
    work(ws, WANG).create_case(signed.enterprise, new_case)  # the same enterprise: reused


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
            actor=WANG,
            now=LATER,
        )
    with pytest.raises(WorkspaceError, match="SHA-256"):
        attachments.attachment_path(ws, "../../etc/passwd")
    assert sorted(ws.attachments.rglob("*")) == files


def test_only_a_member_changes_a_filed_team(ws: Workspace) -> None:
    """A reviewer of another team cannot void a filing by changing or removing a member."""
    case_id = demo_id("b", "case")  # team filed
    state = load_case_file(ws.db, case_id)
    last = state.members[-1]
    with pytest.raises(RuleViolation) as refused:
        work(ws, SUN).remove_member(case_id, last.id)
    assert refused.value.rule == "filed_team_by_member"
    with pytest.raises(RuleViolation) as refused:
        work(ws, SUN).save_member(replace(last, phone="13800000002"))
    assert refused.value.rule == "filed_team_by_member"
    after = load_case_file(ws.db, case_id)
    assert after.case.status == CaseStatus.TEAM_FILED and after.members == state.members
    work(ws, LI).save_member(replace(last, phone="13800000002"))  # a member may, voiding it
    assert load_case_file(ws.db, case_id).case.status == CaseStatus.ACCEPTED
