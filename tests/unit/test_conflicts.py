"""Rules of sync conflicts (core/conflicts.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from inspector_app.core.conflicts import (
    CHOICES,
    RULE_REASON_PREFIX,
    conflict_choice_problems,
    conflict_choices,
    conflict_resolver_problems,
    enterprise_conflict_resolver_problems,
    is_rule_conflict,
    rule_conflict_choice_problems,
)
from inspector_app.core.model import Role, TeamMember, UnitType


def member(reviewer_id: str, role: Role) -> TeamMember:
    return TeamMember(
        id=f"m-{reviewer_id}",
        case_id="c-1",
        reviewer_id=reviewer_id,
        name="王建华",
        unit="江苏省质检院",
        unit_type=UnitType.TECHNICAL_INSTITUTION,
        certificate_no="XKSC-1",
        certificate_expiry=date(2030, 1, 1),
        role=role,
        phone="",
    )


def test_conflict_resolver_problems_leader_only() -> None:
    team = [member("r-lead", Role.LEADER), member("r-2", Role.MEMBER)]
    assert conflict_resolver_problems("r-lead", "c-1", team) == []
    refused = conflict_resolver_problems("r-2", "c-1", team)
    assert [p.rule for p in refused] == ["conflict_resolved_by_leader"]
    assert "组长" in refused[0].message
    assert conflict_resolver_problems("stranger", "c-1", []) != []


def test_conflict_resolver_problems_leader_removed_from_the_team_no_longer_settles() -> None:
    former = replace(member("r-lead", Role.LEADER), removed_at=datetime(2026, 11, 20, tzinfo=UTC))
    team = [former, member("r-new", Role.LEADER)]
    refused = conflict_resolver_problems("r-lead", "c-1", team)
    assert [p.rule for p in refused] == ["conflict_resolved_by_leader"]
    assert conflict_resolver_problems("r-new", "c-1", team) == []


def test_conflict_resolver_problems_record_of_no_case_is_anyones() -> None:
    assert conflict_resolver_problems("anyone", None, []) == []


def test_enterprise_conflict_resolver_problems() -> None:
    """The leader of one of the enterprise's cases, on the team now; nobody else."""
    other_case = replace(member("r-other", Role.LEADER), case_id="c-2")
    members = [member("r-lead", Role.LEADER), member("r-2", Role.MEMBER), other_case]
    assert enterprise_conflict_resolver_problems("r-lead", members) == []
    assert enterprise_conflict_resolver_problems("r-other", members) == []  # leads c-2
    for who, team in (("r-2", members), ("stranger", members), ("anyone", [])):
        refused = enterprise_conflict_resolver_problems(who, team)
        assert [p.rule for p in refused] == ["enterprise_conflict_resolved_by_leader"]
        assert "组长" in refused[0].message
    former = replace(member("r-lead", Role.LEADER), removed_at=datetime(2026, 11, 20, tzinfo=UTC))
    assert enterprise_conflict_resolver_problems("r-lead", [former]) != []


def test_conflict_choice_problems() -> None:
    assert conflict_choice_problems("current") == []
    assert conflict_choice_problems("other") == []
    assert [p.rule for p in conflict_choice_problems("both")] == ["conflict_choice"]


def test_settled_record_problems() -> None:
    from inspector_app.core.conflicts import settled_record_problems

    own = {"id": "r-1", "case_id": "c-1", "note": "甲"}
    assert settled_record_problems("checklist_result", "r-1", "c-1", own) == []
    moved = settled_record_problems("checklist_result", "r-1", "c-1", {**own, "case_id": "c-2"})
    assert {p.rule for p in moved} == {"conflict_own_case"} and "c-2" in moved[0].message
    other_record = settled_record_problems("checklist_result", "r-1", "c-1", {**own, "id": "r-2"})
    assert {p.rule for p in other_record} == {"conflict_own_case"}
    assert settled_record_problems("review_case", "c-1", "c-1", {"id": "c-1"}) == []
    assert settled_record_problems("reviewer", "p-1", None, {"id": "p-1"}) == []


RULE_REASON = RULE_REASON_PREFIX + "核查结果的时间早于审查组备案（规则 result_within_review）"


def test_is_rule_conflict() -> None:
    assert is_rule_conflict(RULE_REASON)
    assert not is_rule_conflict("stale base version v-1: the server has v-2")


def test_conflict_choices_of_a_rule_conflict_never_keep_the_refused_version() -> None:
    assert conflict_choices("stale base version v-1: the server has v-2", True) == CHOICES
    assert conflict_choices(RULE_REASON, True) == ("current",)
    assert conflict_choices(RULE_REASON, False) == ()  # only a correction in the case


def test_rule_conflict_choice_problems() -> None:
    assert rule_conflict_choice_problems(RULE_REASON, "current", True) == []
    assert rule_conflict_choice_problems("stale base version v-1", "other", True) == []
    kept = rule_conflict_choice_problems(RULE_REASON, "other", True)
    assert [p.rule for p in kept] == ["rule_conflict_not_kept"]
    assert "核查结果的时间早于审查组备案" in kept[0].message  # the rule's own words
    assert "改正" in kept[0].message and "再次被拒收" in kept[0].message
    none = rule_conflict_choice_problems(RULE_REASON, "current", False)
    assert [p.rule for p in none] == ["rule_conflict_no_office_version"]
    assert "改正" in none[0].message
    # an unknown choice is `conflict_choice_problems`'s to refuse
    assert rule_conflict_choice_problems(RULE_REASON, "both", True) == []
