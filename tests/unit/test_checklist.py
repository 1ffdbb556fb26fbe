"""Rules of the on-site checklist (core.checklist) about a result taken back to "no result"."""

from __future__ import annotations

from datetime import UTC, datetime

from inspector_app.core import checklist
from inspector_app.core.forms.model import RESULT_CONFORM, RESULT_NONCONFORM
from inspector_app.core.model import ChecklistResult

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
