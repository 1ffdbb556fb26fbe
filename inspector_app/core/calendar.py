"""The regulation's calendar: days are counted in one time zone, China Standard Time by default.

A deadline "30 days after acceptance" or a hand-over "before the acceptance day ends" is about
calendar days where the enterprise is, not about UTC days: a hand-over at 01:00 Beijing time on
the day after acceptance is late, although in UTC it is still the acceptance day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from inspector_app.core.errors import Problem

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


def case_time_zone_problems(case_zone: str | None, workspace_zone: str) -> list[Problem]:
    """A case's dates are judged in the time zone they were recorded in: a case (file) judged
    in one zone is refused by a workspace counting days in another, since the same moment near
    midnight falls on another day there (acceptance day, 7-day send-by, 30-day deadline).

    A case without a recorded zone (a file from before zones were recorded) is judged in the
    workspace's zone, as before.
    """
    if case_zone is None or case_zone == workspace_zone:
        return []
    return [
        Problem(
            "case.time_zone",
            f"本案的日期按时区 {case_zone} 判定，而本工作区的日历时区为 {workspace_zone}；"
            "同一时刻在两个时区可能落在不同的日期，期限会不同。未导入任何内容。"
            f"请在时区为 {case_zone} 的工作区中导入，或先将本工作区的时区设为 {case_zone}"
            f"（inspector settings set time_zone {case_zone}）后再导入。",
        )
    ]


def synced_case_time_zone_problems(case_zone: str | None, workspace_zone: str) -> list[Problem]:
    """A case synced down to this laptop is judged in the time zone its records were made in
    (the zone the office or the laptop that sent it counts days in), as an imported case file
    is (`case_time_zone_problems`): a workspace counting days in another zone holds the case
    back (its changes wait, with this reason) until its zone is set to the case's. A case sent
    without a zone (by an older app) is judged in the workspace's zone, as before."""
    if case_zone is None or case_zone == workspace_zone:
        return []
    return [
        Problem(
            "case.time_zone",
            f"同步收到的案件按时区 {case_zone} 判定日期，而本工作区的日历时区为 "
            f"{workspace_zone}；同一时刻在两个时区可能落在不同的日期，期限会不同。"
            "该案件暂不应用（其记录保留在本机，等待应用）："
            f"请将本工作区的时区设为 {case_zone}（inspector settings set time_zone "
            f"{case_zone}），下次同步时应用。",
        )
    ]
