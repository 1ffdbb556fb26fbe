"""Deadlines of the 条例: on-site result within 30 days of acceptance, samples within 7 days.

Days are the regulation's calendar days (`RegulationCalendar`, China Standard Time by default).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from inspector_app.core.calendar import RegulationCalendar
from inspector_app.core.case_record import Case, CaseStatus

if TYPE_CHECKING:
    from inspector_app.core.model import SampleRecord

ONSITE_RESULT_DAYS = 30  # 条例 第十八条
SAMPLE_DELIVERY_DAYS = 7  # 条例 第十九条

OPEN_STATUSES = (CaseStatus.ACCEPTED, CaseStatus.TEAM_FILED, CaseStatus.ON_SITE_REVIEW)

_ONSITE_RESULT_PERIOD = timedelta(days=ONSITE_RESULT_DAYS)
_SAMPLE_DELIVERY_PERIOD = timedelta(days=SAMPLE_DELIVERY_DAYS)


def onsite_deadline(accepted_on: date) -> date:
    """The on-site result is due 30 days after acceptance (条例 第十八条)."""
    return accepted_on + _ONSITE_RESULT_PERIOD


def sample_send_by(sealed_at: datetime, calendar: RegulationCalendar) -> date:
    """Sealed samples are due at the agency 7 days after the sealing day (条例 第十九条)."""
    return calendar.day_of(sealed_at) + _SAMPLE_DELIVERY_PERIOD


def case_is_overdue(case: Case, today: date) -> bool:
    """A case is overdue when no on-site result exists and its deadline has passed."""
    return case.status in OPEN_STATUSES and today > onsite_deadline(case.accepted_on)


def concluded_late(case: Case, calendar: RegulationCalendar) -> bool:
    """A case whose on-site conclusion came after its 30-day deadline keeps that mark for good."""
    if case.concluded_at is None:
        return False
    return calendar.day_of(case.concluded_at) > onsite_deadline(case.accepted_on)


def sample_is_overdue(
    sample: SampleRecord, today: date, calendar: RegulationCalendar, delivered: bool = False
) -> bool:
    """A sealed sample is overdue when it has not reached the agency by its send-by date."""
    if delivered or sample.onsite_testing:
        return False
    return today > sample_send_by(sample.sampled_at, calendar)
