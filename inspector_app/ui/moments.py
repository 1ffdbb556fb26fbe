"""A moment of an act in a date-and-time field, on the regulation's calendar: what the feedback,
sampling and other forms show and read back (to the minute)."""

from __future__ import annotations

from datetime import datetime

from inspector_app.core.calendar import RegulationCalendar
from inspector_app.ui.qt import QDate, QDateTimeEdit, QTime


def show_moment(edit: QDateTimeEdit, at: datetime, calendar: RegulationCalendar) -> None:
    """Show the moment `at` in `edit`, on the calendar's clock, to the minute."""
    local = calendar.local(at)
    edit.setDate(QDate(local.year, local.month, local.day))
    edit.setTime(QTime(local.hour, local.minute))


def moment_of(edit: QDateTimeEdit, calendar: RegulationCalendar) -> datetime:
    """Return the moment in `edit`, read on the calendar's clock."""
    day, clock = edit.date(), edit.time()
    return datetime(
        day.year(), day.month(), day.day(), clock.hour(), clock.minute(), tzinfo=calendar.zone
    )
