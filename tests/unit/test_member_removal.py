"""Removing a member from the team (移出审查组), through the store: before filing, after filing
(the filing is void until the team is filed again), refused for a member whose records name
them, the removed member unable to act, the history kept, and case files that carry it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from inspector_app.casefile.reader import CaseFileError, parse_case_file
from inspector_app.casefile.replay import import_case
from inspector_app.casefile.writer import case_json
from inspector_app.core.errors import RuleViolation
from inspector_app.core.model import (
    Actor,
    CaseStatus,
    FeedbackHandover,
    IntegrityDeclaration,
    Stage,
    TeamMember,
    new_id,
)
from inspector_app.core.team import current_filing
from inspector_app.demo import demo_id, fill_demo
from inspector_app.store import records
from inspector_app.store.audit import verify_audit_trail
from inspector_app.store.casework import Casework, load_case_file
from inspector_app.store.queries import Queries
from inspector_app.store.settings import load_settings
from inspector_app.store.workspace import Workspace, open_workspace

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=4)
WANG = Actor(demo_id("reviewer", "wang"), "王建华")
CHEN = Actor(demo_id("reviewer", "chen"), "陈志强")
CLERK = Actor("00000000-0000-4000-8000-000000000002", "张三")
FILED = demo_id("b", "case")  # wire-cable, team filed: 王建华 (leader), 李春梅, 陈志强


def work(ws: Workspace, actor: Actor = WANG) -> Casework:
    return Casework(ws.db, actor, lambda: LATER)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with open_workspace(tmp_path / "ws") as workspace:
        fill_demo(workspace, NOW)
        yield workspace


def member_of(ws: Workspace, case_id: str, reviewer_id: str) -> TeamMember:
    return next(m for m in load_case_file(ws.db, case_id).members if m.reviewer_id == reviewer_id)


def test_removing_a_member_after_filing_voids_the_filing_and_keeps_the_history(
    ws: Workspace,
) -> None:
    chen = member_of(ws, FILED, CHEN.id)
    before = records.stored_version(ws.db, TeamMember, chen.id)
    change = work(ws).remove_member(FILED, chen.id)
    assert (change.status_before, change.status_after) == (
        CaseStatus.TEAM_FILED,
        CaseStatus.ACCEPTED,
    )
    state = load_case_file(ws.db, FILED)
    assert CHEN.id not in {m.reviewer_id for m in state.members}
    (former,) = state.former_members
    assert former.id == chen.id and former.removed_at == LATER
    assert current_filing(state.filings, state.members) is None  # void until filed again
    # The history: a new version of the same record, naming the one before it.
    after = records.stored_version(ws.db, TeamMember, chen.id)
    assert before is not None and after is not None
    assert after.base_version_id == before.version_id
    assert verify_audit_trail(ws.db) == []
    # Filed again, the filing lists only the members on the team.
    refiled = work(ws).file_team(FILED)
    assert refiled.status_after == CaseStatus.TEAM_FILED
    filing = load_case_file(ws.db, FILED).filings[-1]
    assert "陈志强" not in filing.content and "李春梅" in filing.content


def test_removing_a_member_before_filing(ws: Workspace) -> None:
    chen = member_of(ws, FILED, CHEN.id)
    li = member_of(ws, FILED, demo_id("reviewer", "li"))
    work(ws).remove_member(FILED, li.id)  # files void: the case is back to accepted
    change = work(ws).remove_member(FILED, chen.id)  # before the next filing
    assert change.status_before == change.status_after == CaseStatus.ACCEPTED
    state = load_case_file(ws.db, FILED)
    assert [m.reviewer_id for m in state.members] == [WANG.id]
    with pytest.raises(RuleViolation) as refused:  # the composition sees one member
        work(ws).file_team(FILED)
    assert refused.value.rule == "team_size"


def test_a_removed_member_cannot_act(ws: Workspace) -> None:
    chen = member_of(ws, FILED, CHEN.id)
    work(ws).remove_member(FILED, chen.id)
    handover = FeedbackHandover(new_id(), FILED, Stage.ON_SITE, LATER, "吴海燕", chen.id)
    with pytest.raises(RuleViolation) as refused:
        work(ws, CHEN).record_handover(handover)
    assert refused.value.rule == "handover_by"
    declaration = IntegrityDeclaration(new_id(), FILED, chen.id, True, True, True, LATER)
    with pytest.raises(RuleViolation):
        work(ws, CHEN).sign_declaration(declaration)
    with pytest.raises(RuleViolation) as refused:  # removed once is enough
        work(ws).remove_member(FILED, chen.id)
    assert refused.value.rule == "person_on_team"


def test_the_case_list_no_longer_counts_a_removed_member(ws: Workspace) -> None:
    chen = member_of(ws, FILED, CHEN.id)
    queries = Queries(ws.db, load_settings(ws.db).calendar, lambda: LATER)
    assert next(r for r in queries.case_rows() if r.case.id == FILED).is_mine(CHEN.id)
    work(ws).remove_member(FILED, chen.id)
    assert not next(r for r in queries.case_rows() if r.case.id == FILED).is_mine(CHEN.id)


def test_a_member_with_results_cannot_be_removed(ws: Workspace) -> None:
    case_id = demo_id("c", "case")  # on site, results recorded
    state = load_case_file(ws.db, case_id)
    assessor = next(m for m in state.members if any(r.assessor_id == m.id for r in state.results))
    versions = records.case_versions(ws.db, case_id)
    with pytest.raises(RuleViolation) as refused:
        work(ws).remove_member(case_id, assessor.id)
    assert refused.value.rule == "member_has_records"
    assert "条核查结果" in str(refused.value)
    assert records.case_versions(ws.db, case_id) == versions  # nothing written


def test_a_signed_off_case_keeps_its_team(ws: Workspace) -> None:
    case_id = demo_id("g", "case")
    member = load_case_file(ws.db, case_id).members[0]
    with pytest.raises(RuleViolation) as refused:
        work(ws).remove_member(case_id, member.id)
    assert refused.value.rule == "case_signed_off"


def test_a_removal_in_the_future_is_refused(ws: Workspace) -> None:
    chen = member_of(ws, FILED, CHEN.id)
    with pytest.raises(RuleViolation):
        work(ws).remove_member(FILED, chen.id, LATER + timedelta(days=1))
    assert member_of(ws, FILED, CHEN.id).removed_at is None


def test_a_case_file_carries_a_removed_member_and_imports_the_same(
    ws: Workspace, tmp_path: Path
) -> None:
    chen = member_of(ws, FILED, CHEN.id)
    work(ws).remove_member(FILED, chen.id)
    work(ws).file_team(FILED)
    text = case_json(load_case_file(ws.db, FILED), ws)
    listed = {m["id"]: m for m in json.loads(text)["members"]}
    assert listed[chen.id]["removed_at"] == LATER.isoformat()
    assert all("removed_at" not in m for i, m in listed.items() if i != chen.id)
    with open_workspace(tmp_path / "other") as other:
        import_case(other, parse_case_file(text.encode()), importer=CLERK, clock=lambda: LATER)
        imported = load_case_file(other.db, FILED)
        assert imported == load_case_file(ws.db, FILED)
        assert case_json(imported, other) == text
        stored = records.stored_version(other.db, TeamMember, chen.id)
        original = records.stored_version(ws.db, TeamMember, chen.id)
        assert stored is not None and original is not None
        assert stored.version_id == original.version_id


def test_an_older_case_file_without_removed_at_is_read(ws: Workspace) -> None:
    text = case_json(load_case_file(ws.db, FILED), ws)
    assert "removed_at" not in text  # a team nobody left: as older versions wrote it
    parsed = parse_case_file(text.encode())
    assert parsed.state.former_members == ()
    assert all(m.removed_at is None for m in parsed.state.members)


def test_a_file_whose_removed_member_has_results_is_refused(ws: Workspace) -> None:
    case_id = demo_id("c", "case")
    doc = json.loads(case_json(load_case_file(ws.db, case_id), ws))
    assessor = doc["results"][0]["assessor_id"]
    for member in doc["members"]:
        if member["id"] == assessor:
            member["removed_at"] = NOW.isoformat()
    with pytest.raises(CaseFileError) as refused:
        parse_case_file(json.dumps(doc).encode())
    assert refused.value.rule == "person_on_team"
    assert refused.value.path.endswith(".assessor_id")


def test_members_of_an_older_workspace_are_all_on_the_team(tmp_path: Path) -> None:
    """Migration 0008_member_removed: members written before it are on their teams."""
    from tests.unit.test_migrations import _first_version_workspace

    folder = tmp_path / "old"
    _first_version_workspace(folder)
    with open_workspace(folder) as workspace:
        columns = {row[1] for row in workspace.db.execute("PRAGMA table_info(team_member)")}
        assert "removed_at" in columns
        state = load_case_file(workspace.db, "c")
        assert sorted(m.id for m in state.members) == ["m1", "m2"]
        assert state.former_members == ()


def test_a_reviewer_removed_and_added_again_travels_in_a_case_file(
    ws: Workspace, tmp_path: Path
) -> None:
    from inspector_app.core.model import Role
    from inspector_app.core.team import member_from_reviewer
    from inspector_app.store.reviewers import get_reviewer

    chen = member_of(ws, FILED, CHEN.id)
    work(ws).remove_member(FILED, chen.id, NOW + timedelta(hours=1))
    reviewer = get_reviewer(ws.db, CHEN.id)
    assert reviewer is not None
    again = member_from_reviewer(reviewer, FILED, new_id(), Role.MEMBER)
    work(ws).save_member(again)
    work(ws, CHEN).sign_declaration(
        IntegrityDeclaration(new_id(), FILED, again.id, True, True, True, NOW + timedelta(hours=2))
    )
    work(ws).file_team(FILED)
    state = load_case_file(ws.db, FILED)
    assert [m.id for m in state.former_members] == [chen.id]
    assert again.id in {m.id for m in state.members}
    text = case_json(state, ws)
    with open_workspace(tmp_path / "other") as other:
        import_case(other, parse_case_file(text.encode()), importer=CLERK, clock=lambda: LATER)
        assert load_case_file(other.db, FILED) == state
        assert case_json(load_case_file(other.db, FILED), other) == text


def _file_with_chen_removed(ws: Workspace) -> tuple[dict[str, object], str]:
    """Case b's file after 陈志强 was removed and the team filed again (both at LATER), and
    his member id."""
    chen = member_of(ws, FILED, CHEN.id)
    work(ws).remove_member(FILED, chen.id)
    work(ws).file_team(FILED)
    doc: dict[str, object] = json.loads(case_json(load_case_file(ws.db, FILED), ws))
    return doc, chen.id


@pytest.mark.parametrize(
    ("when", "rule"),
    [
        # before he signed his integrity declaration: a removed member signed after leaving
        (lambda declared, filed: declared - timedelta(minutes=30), "removal_after_declaration"),
        # after the filing that leaves him out: he was on the team when it was filed
        (lambda declared, filed: filed + timedelta(minutes=5), "filing_after_removals"),
        # before the case existed
        (lambda declared, filed: declared - timedelta(days=30), "removal_after_acceptance"),
    ],
)
def test_a_removal_out_of_time_order_is_refused(
    ws: Workspace, tmp_path: Path, when: object, rule: str
) -> None:
    doc, chen = _file_with_chen_removed(ws)
    declared = next(
        datetime.fromisoformat(d["signed_at"])
        for d in doc["declarations"]  # type: ignore[attr-defined]
        if d["member_id"] == chen
    )
    filed = max(datetime.fromisoformat(f["filed_at"]) for f in doc["filings"])  # type: ignore[attr-defined]
    removed = when(declared, filed)  # type: ignore[operator]
    for member in doc["members"]:  # type: ignore[attr-defined]
        if member["id"] == chen:
            member["removed_at"] = removed.isoformat()
    with open_workspace(tmp_path / "other") as other:
        with pytest.raises(CaseFileError) as refused:
            import_case(
                other,
                parse_case_file(json.dumps(doc).encode()),
                importer=CLERK,
                clock=lambda: LATER,
            )
        assert refused.value.rule == rule, str(refused.value)
        assert other.db.execute("SELECT count(*) FROM review_case").fetchone()[0] == 0
