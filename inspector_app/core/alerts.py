"""What a case should warn its team about today: deadlines, a voided filing, late feedback."""

from __future__ import annotations

from datetime import date

from inspector_app.core.deadlines import (
    case_is_overdue,
    onsite_deadline,
    sample_is_overdue,
    sample_send_by,
)
from inspector_app.core.feedback import handover_statuses
from inspector_app.core.model import CaseFile, CaseStatus
from inspector_app.core.team import current_filing

FILED_STATUSES = (CaseStatus.TEAM_FILED, CaseStatus.ON_SITE_REVIEW)


def case_alerts(state: CaseFile, today: date) -> list[str]:
    """Return the warnings for a case, most urgent first (empty when all is in order).

    A sample counts as overdue only while the case awaits sign-off: delivery to the agency is
    confirmed by the agency, not recorded by the team.
    """
    case = state.case
    alerts = []
    if case_is_overdue(case, today):
        alerts.append(
            f"已超过实地核查期限 {onsite_deadline(case.accepted_on).isoformat()}（受理后30日）"
        )
    if case.status == CaseStatus.SAMPLED:
        alerts += [
            f"样品应于 {sample_send_by(s.sampled_at).isoformat()} 前送达检验机构，已逾期"
            for s in state.samples
            if sample_is_overdue(s, today)
        ]
    if case.status in FILED_STATUSES and current_filing(state.filings, state.members) is None:
        alerts.append("审查组备案后人员有变动，需重新备案")
    alerts += [
        s.describe()
        for s in handover_statuses(case, state.handovers, state.samples, today)
        if s.late or s.missing
    ]
    return alerts
