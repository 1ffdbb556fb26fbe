"""The regulation's calendar: days are counted in one time zone, China Standard Time by default.

A deadline "30 days after acceptance" or a hand-over "before the acceptance day ends" is about
calendar days where the enterprise is, not about UTC days: a hand-over at 01:00 Beijing time on
the day after acceptance is late, although in UTC it is still the acceptance day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIME_ZONE = "Asia/Shanghai"


class UnknownTimeZone(ValueError):
    """The workspace names a time zone this machine does not know."""


def time_zone(name: str) -> tzinfo:
    """Return the time zone called `name` (an IANA name such as Asia/Shanghai).

    Raises:
        UnknownTimeZone: no such time zone.
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise UnknownTimeZone(f"未知的时区：{name!r}（例如 Asia/Shanghai）。") from error


@dataclass(frozen=True)
class RegulationCalendar:
    """Counts the regulation's days in one time zone."""

    zone_name: str = DEFAULT_TIME_ZONE

    @property
    def zone(self) -> tzinfo:
        """The time zone of this calendar."""
        return time_zone(self.zone_name)

    def day_of(self, at: datetime) -> date:
        """Return the calendar day on which the moment `at` falls."""
        return at.astimezone(self.zone).date()

    def start_of_day(self, day: date) -> datetime:
        """Return the first moment of `day`."""
        return datetime.combine(day, time(0), tzinfo=self.zone)

    def end_of_day(self, day: date) -> datetime:
        """Return the last moment of `day` (a moment after it is on the next day)."""
        return self.start_of_day(day + timedelta(days=1)) - timedelta(microseconds=1)

    def local(self, at: datetime) -> datetime:
        """Return the moment `at` as it reads on this calendar's clocks."""
        return at.astimezone(self.zone)


CHINA = RegulationCalendar()
