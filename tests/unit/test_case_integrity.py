"""The whole-case check of synced records (core/case_integrity.py): the same rules as the
steps, applied to a case as it would stand with a record."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from inspector_app.core import case_integrity
from inspector_app.core.calendar import CHINA
from inspector_app.core.model import CaseFile, SampleRecord
from inspector_app.demo import demo_id
from inspector_app.store.casework import CaseNotFound, load_case_file
from inspector_app.store.workspace import open_workspace
from tests.conftest import DemoWorkspaces

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
TOLERANCE = timedelta(minutes=10)
KEYS = "abcdefghi"


@pytest.fixture(scope="module")
def cases(demo_workspaces: DemoWorkspaces, tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder: Path = demo_workspaces.copy(tmp_path_factory.mktemp("integrity") / "ws", NOW)
    with open_workspace(folder) as workspace:
        found = {}
        for key in KEYS:
            try:
                found[key] = load_case_file(workspace.db, demo_id(key, "case"))
            except CaseNotFound:  # a demo without this case
                continue
        return found


def problems_of(state: CaseFile, record: object, now: datetime = NOW) -> set[str]:
    return {p.rule for p in case_integrity.record_problems(state, record, now, TOLERANCE, CHINA)}


def test_case_problems_none_in_any_demo_case(cases: dict) -> None:
    assert len(cases) >= 8
    for key, state in cases.items():
        assert case_integrity.case_problems(state, CHINA) == [], key


def test_record_problems_every_record_of_a_demo_case_again(cases: dict) -> None:
    """Each record a demo case holds, brought again (an echo, a replayed sync), breaks
    nothing."""
    for state in cases.values():
        for record in state.records()[2:]:
            assert problems_of(state, record) == set()


def test_record_problems_result_before_the_filing(cases: dict) -> None:
    state = cases["f"]
    result = state.results[0]
    early = replace(result, assessed_at=datetime(2020, 1, 1, tzinfo=UTC))
    assert {"result_within_review", "declaration_before_result"} <= problems_of(state, early)


def test_record_problems_result_in_the_future(cases: dict) -> None:
    state = cases["c"]  # under way: a result after now is the clock's fault, not the order's
    assert state.case.concluded_at is None and state.results
    late = replace(state.results[0], assessed_at=NOW + timedelta(days=1))
    assert problems_of(state, late) == {"not_in_future"}
    within = replace(state.results[0], assessed_at=NOW + TOLERANCE - timedelta(seconds=1))
    assert problems_of(state, within) == set()


def test_record_problems_assessor_not_on_the_team(cases: dict) -> None:
    state = cases["c"]
    stranger = replace(state.results[0], assessor_id="00000000-0000-4000-8000-0000000000ff")
    assert "person_on_team" in problems_of(state, stranger)
    # a new result record by a stranger too
    new = replace(stranger, id="00000000-0000-4000-8000-0000000000fe")
    assert "person_on_team" in problems_of(state, new)


def test_record_problems_sampling_before_the_conclusion(cases: dict) -> None:
    state = cases["f"]
    sample: SampleRecord = state.samples[0]
    assert state.case.concluded_at is not None
    early = replace(sample, sampled_at=state.case.concluded_at - timedelta(hours=1))
    assert problems_of(state, early) == {"sampling_after_conclusion"}


def test_record_problems_handover_before_the_acceptance(cases: dict) -> None:
    state = cases["b"]  # team filed: the acceptance form handed over
    (handover,) = state.handovers
    early = replace(handover, handed_at=handover.handed_at.replace(year=2016))
    assert problems_of(state, early) == {"handover_after_acceptance"}


def test_record_problems_conclusion_moved_before_the_results(cases: dict) -> None:
    state = cases["f"]
    assert state.case.review_started_at is not None
    case = replace(state.case, concluded_at=state.case.review_started_at)
    rules = problems_of(state, case)
    assert rules == {"conclusion_after_results", "result_within_review"}


def test_record_problems_signature_before_an_act(cases: dict) -> None:
    state = cases["g"]  # signed off
    assert state.signatures
    early = replace(state.signatures[0], signed_at=state.case.review_started_at)
    assert "sign_off_last" in problems_of(state, early)


def test_record_problems_a_removal_is_judged_by_who_stays(cases: dict) -> None:
    """A member with results cannot leave the team: their results would name a stranger."""
    state = cases["c"]
    author = next(m for m in state.members if m.id == state.results[0].assessor_id)
    assert "person_on_team" in problems_of(state, replace(author, removed_at=NOW))


def test_introduced_problems_ignores_what_the_case_had_before(cases: dict) -> None:
    state = cases["c"]
    broken = case_integrity.with_record(
        state, replace(state.results[0], assessed_at=datetime(2020, 1, 1, tzinfo=UTC))
    )
    other = replace(broken.results[1], note="复核")
    assert case_integrity.record_problems(broken, other, NOW, TOLERANCE, CHINA) == []


def test_with_record_replaces_by_id_and_moves_a_removed_member(cases: dict) -> None:
    state = cases["c"]
    edited = replace(state.results[0], note="x")
    after = case_integrity.with_record(state, edited)
    assert len(after.results) == len(state.results) and edited in after.results
    member = state.members[-1]
    gone = case_integrity.with_record(state, replace(member, removed_at=NOW))
    assert member.id not in {m.id for m in gone.members}
    assert member.id in {m.id for m in gone.former_members}
    with pytest.raises(TypeError):
        case_integrity.with_record(state, state.enterprise)


def test_future_problems_of_a_case_its_start_and_its_acceptance(cases: dict) -> None:
    state = cases["c"]
    started = replace(state.case, review_started_at=NOW + timedelta(hours=2))
    assert {p.rule for p in case_integrity.future_problems(started, NOW, TOLERANCE, CHINA)} == {
        "not_in_future"
    }
    accepted = replace(state.case, accepted_on=(NOW + timedelta(days=3)).date())
    assert case_integrity.future_problems(accepted, NOW, TOLERANCE, CHINA)
    assert case_integrity.future_problems(state.case, NOW, TOLERANCE, CHINA) == []


def test_strangers_a_former_member_keeps_the_history_not_the_acts(cases: dict) -> None:
    """A removed member's declaration stays theirs; a result cannot name them."""
    state = cases["c"]
    author = next(m for m in state.members if m.id == state.results[0].assessor_id)
    gone = case_integrity.with_record(state, replace(author, removed_at=NOW))
    named = {(p.record_id, p.field) for p in case_integrity.strangers(gone)}
    assert (state.results[0].id, "assessor_id") in named
    assert not any(p.field == "member_id" for p in case_integrity.strangers(gone))


def test_record_problems_with_a_memo_as_without(cases: dict) -> None:
    """Results of a case judged one by one with one memo get what each gets alone."""
    state = cases["f"]
    memo = case_integrity.Memo()
    early = datetime(2020, 1, 1, tzinfo=UTC)
    for i, result in enumerate(state.results[:6]):
        record = replace(result, assessed_at=early) if i % 2 else replace(result, note="复核")
        alone = case_integrity.record_problems(state, record, NOW, TOLERANCE, CHINA)
        remembered = case_integrity.record_problems(state, record, NOW, TOLERANCE, CHINA, memo)
        assert remembered == alone and bool(alone) == bool(i % 2)


def test_record_problems_a_result_after_the_conclusion_beside_another_one(cases: dict) -> None:
    """A second result after the conclusion is refused too: each result answers for itself."""
    state = cases["f"]
    assert state.case.concluded_at is not None
    late = state.case.concluded_at + timedelta(minutes=5)
    broken = case_integrity.with_record(state, replace(state.results[0], assessed_at=late))
    second = replace(state.results[1], assessed_at=late)
    assert {"result_within_review", "conclusion_after_results"} <= problems_of(broken, second)


def test_people_on_team_problems_names_the_stranger_and_the_field(cases: dict) -> None:
    state = cases["c"]
    ghost = "00000000-0000-4000-8000-0000000000aa"
    broken = case_integrity.with_record(state, replace(state.results[0], assessor_id=ghost))
    problems = case_integrity.people_on_team_problems(broken)
    assert [p.rule for p in problems] == ["person_on_team"]
    assert ghost in problems[0].message and "assessor_id" in problems[0].message


def test_order_problems_sampling_before_the_conclusion_in_a_whole_case(cases: dict) -> None:
    state = cases["f"]
    assert state.case.concluded_at is not None
    early = replace(state.samples[0], sampled_at=state.case.concluded_at - timedelta(days=1))
    broken = case_integrity.with_record(state, early)
    assert {p.rule for p in case_integrity.order_problems(broken, CHINA)} == {
        "sampling_after_conclusion"
    }
    assert case_integrity.order_problems(state, CHINA) == []


def test_moments_of_each_record_and_none_for_a_record_of_no_act(cases: dict) -> None:
    state = cases["f"]
    assert case_integrity.moments_of(state.results[0]) == [state.results[0].assessed_at]
    assert case_integrity.moments_of(state.enterprise) == []
    assert state.case.concluded_at in case_integrity.moments_of(state.case)


def test_same_case_problems() -> None:
    assert case_integrity.same_case_problems("r1", None, "case-a") == []
    assert case_integrity.same_case_problems("r1", "case-a", "case-a") == []
    moved = case_integrity.same_case_problems("r1", "case-a", "case-b")
    assert [p.rule for p in moved] == ["case_isolation"]
    assert "r1" in moved[0].message and "case-a" in moved[0].message
