"""Rules of the on-site checklist (core.checklist): a result taken back to "no result", and who
concludes (test_checklist.py is the GUI test of the page; the names must differ)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from inspector_app.core import checklist
from inspector_app.core.forms.model import RESULT_CONFORM, RESULT_NONCONFORM
from inspector_app.core.forms.verdicts import Verdict
from inspector_app.core.model import (
    CaseStatus,
    ChecklistResult,
    IntegrityDeclaration,
    TeamMember,
)
from tests.unit.test_rules import _declared, _filing, good_team

AT = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def result(code: str, value: str) -> ChecklistResult:
    return ChecklistResult(f"id-{code}", "case", code, value, "", "member", AT)


def test_answered_results() -> None:
    results = [
        result("1.1", RESULT_CONFORM),
        result("1.2", checklist.NO_RESULT),
        result("2.1", RESULT_NONCONFORM),
    ]
    answered = checklist.answered_results(results)
    assert sorted(answered) == ["1.1", "2.1"]
    assert answered["2.1"].result == RESULT_NONCONFORM
    assert checklist.answered_results([]) == {}


def test_withdraw_problems() -> None:
    assert checklist.withdraw_problems("1.1", result("1.1", RESULT_CONFORM)) == []
    (missing,) = checklist.withdraw_problems("1.1", None)
    assert missing.rule == "result_to_withdraw" and "第 1.1 项尚无核查结果" in missing.message
    (again,) = checklist.withdraw_problems("1.2", result("1.2", checklist.NO_RESULT))
    assert again.rule == "result_to_withdraw"


def test_concluder_problems() -> None:
    members = good_team()
    leader, other = members[0], members[1]
    filings = [_filing(members)]
    declared = [_declared(m) for m in members]
    done, open_ = Verdict("pass"), Verdict("incomplete", ("尚有 1 项未核查",), ("2.1",))
    review = CaseStatus.ON_SITE_REVIEW

    def rules(
        who: TeamMember | None,
        outcome: Verdict,
        status: CaseStatus = review,
        team: list[TeamMember] = members,
        signed: list[IntegrityDeclaration] = declared,
    ) -> set[str]:
        found = checklist.concluder_problems(status, who, "某人", filings, team, signed, outcome)
        return {p.rule for p in found}

    assert rules(leader, done) == set()
    assert rules(leader, Verdict("fail", ("否决项 1.1 不符合",))) == set()
    assert rules(other, done) == {"leader_only"}
    assert rules(None, done) == {"leader_only"}
    assert rules(leader, open_) == {"checklist_complete"}
    assert rules(leader, done, CaseStatus.PASSED) == {"lifecycle"}
    assert rules(leader, done, signed=declared[1:]) == {"integrity_declaration"}
    moved = [leader, replace(other, unit="别的单位"), members[2]]
    assert rules(leader, done, team=moved) == {"team_filed_first"}
