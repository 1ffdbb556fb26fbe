"""What a case should warn its team about today: deadlines, a voided filing, late feedback."""

from __future__ import annotations

from datetime import date

from inspector_app.core.calendar import RegulationCalendar
from inspector_app.core.deadlines import (
    case_is_overdue,
    concluded_late,
    onsite_deadline,
    sample_is_overdue,
    sample_send_by,
)
from inspector_app.core.feedback import handover_statuses
from inspector_app.core.model import CaseFile, CaseStatus
from inspector_app.core.team import current_filing

FILED_STATUSES = (CaseStatus.TEAM_FILED, CaseStatus.ON_SITE_REVIEW)


def concluded_late_text(state: CaseFile, calendar: RegulationCalendar) -> str | None:
    """Return the lasting "concluded late" mark of a case, or None when it was in time."""
    case = state.case
    if case.concluded_at is None or not concluded_late(case, calendar):
        return None
    return (
        f"核查结论于 {calendar.day_of(case.concluded_at).isoformat()} 作出，"
        f"晚于实地核查期限 {onsite_deadline(case.accepted_on).isoformat()}（受理后30日，逾期作出）"
    )


def case_alerts(state: CaseFile, today: date, calendar: RegulationCalendar) -> list[str]:
    """Return the warnings for a case, most urgent first (empty when all is in order).

    `today` is the day on the regulation's calendar. A sample counts as overdue only while the
    case awaits sign-off: delivery to the agency is confirmed by the agency, not by the team.
    """
    case = state.case
    alerts = []
    if case_is_overdue(case, today):
        alerts.append(
            f"已超过实地核查期限 {onsite_deadline(case.accepted_on).isoformat()}（受理后30日）"
        )
    late = concluded_late_text(state, calendar)
    if late:
        alerts.append(late)
    if case.status == CaseStatus.SAMPLED:
        alerts += [
            f"样品应于 {sample_send_by(s.sampled_at, calendar).isoformat()} 前送达检验机构，已逾期"
            for s in state.samples
            if sample_is_overdue(s, today, calendar)
        ]
    if case.status in FILED_STATUSES and current_filing(state.filings, state.members) is None:
        alerts.append("审查组备案后人员有变动，需重新备案")
    alerts += [
        s.describe()
        for s in handover_statuses(case, state.handovers, state.samples, today, calendar)
        if s.late or s.missing
    ]
    return alerts
