"""The rule of a case withdrawn from this laptop's reviewer (core.case_withdrawal)."""

from __future__ import annotations

from datetime import UTC, datetime

from inspector_app.core.calendar import RegulationCalendar
from inspector_app.core.case_withdrawal import CaseWithdrawal, case_withdrawn_problems


def test_case_withdrawn_problems_refuse_every_change_naming_when_the_office_withdrew_it() -> None:
    calendar = RegulationCalendar()
    assert case_withdrawn_problems(None, calendar) == []
    withdrawal = CaseWithdrawal("c-1", datetime(2026, 11, 30, 8, 5, tzinfo=UTC), "省局张三")
    (problem,) = case_withdrawn_problems(withdrawal, calendar)
    assert problem.rule == "case_withdrawn"
    # the moment on the regulation's clocks (China Standard Time), not UTC
    assert problem.message.startswith("此案件已不再分配给您（2026-11-30 16:05由省局撤回）")
    assert "保留" in problem.message and "重新分配" in problem.message


def test_case_withdrawn_problems_read_the_moment_on_the_workspaces_calendar() -> None:
    withdrawal = CaseWithdrawal("c-1", datetime(2026, 11, 30, 23, 30, tzinfo=UTC))
    (problem,) = case_withdrawn_problems(withdrawal, RegulationCalendar("Europe/Berlin"))
    assert "2026-12-01 00:30由省局撤回" in problem.message
