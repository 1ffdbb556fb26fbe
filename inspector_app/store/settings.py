"""Workspace settings, declared in one place (name, type, default, description).

They live in the workspace's `meta` table as `setting.<name>`, so that every laptop of a team
can be set the same way and a case file or a sync never changes them.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from inspector_app.core.calendar import DEFAULT_TIME_ZONE, RegulationCalendar, time_zone
from inspector_app.store.errors import WorkspaceError, storage_errors
from inspector_app.store.sql import fetch_all

if TYPE_CHECKING:
    from sqlite_utils import Database

    from inspector_app.core.model import Actor


@dataclass(frozen=True)
class SettingSpec:
    """One workspace setting: its name, default and description."""

    name: str
    default: str
    description: str


SETTINGS = (
    SettingSpec(
        "time_zone",
        DEFAULT_TIME_ZONE,
        "Time zone of the regulation's calendar: deadlines, lateness and acceptance days.",
    ),
    SettingSpec(
        "clock_tolerance_minutes",
        "10",
        "How far (minutes) a recorded time may lie after this laptop's clock (clock drift).",
    ),
)
SPEC_OF = {spec.name: spec for spec in SETTINGS}
PREFIX = "setting."


@dataclass(frozen=True)
class WorkspaceSettings:
    """The settings in force for a workspace."""

    time_zone: str = DEFAULT_TIME_ZONE
    clock_tolerance_minutes: int = 10

    @property
    def calendar(self) -> RegulationCalendar:
        """The regulation's calendar in the workspace's time zone."""
        return RegulationCalendar(self.time_zone)

    @property
    def clock_tolerance(self) -> timedelta:
        """How far a recorded time may lie after the clock."""
        return timedelta(minutes=self.clock_tolerance_minutes)


def check_setting(name: str, value: str) -> str:
    """Return the normalised value of a setting, or raise WorkspaceError saying what is wrong."""
    if name not in SPEC_OF:
        known = "、".join(SPEC_OF)
        raise WorkspaceError(f"没有名为 {name!r} 的工作区设置（可设置：{known}）。")
    value = value.strip()
    if name == "time_zone":
        try:
            time_zone(value)
        except ValueError as error:
            raise WorkspaceError(str(error)) from error
        return value
    return str(check_minutes(name, value))


MAX_TOLERANCE_MINUTES = 24 * 60


def check_minutes(name: str, value: str) -> int:
    """Return a number of minutes between 0 and a day given as ASCII digits, or raise
    WorkspaceError saying what is wrong (negative, not a whole number, too large)."""
    shown = value if len(value) <= 20 else value[:20] + "…"
    if not re.fullmatch(r"[+-]?[0-9]+", value):
        raise WorkspaceError(
            f"{name} 须为 0 至 {MAX_TOLERANCE_MINUTES} 之间的整数（分钟），而不是 {shown!r}。"
        )
    digits = value.lstrip("+-").lstrip("0") or "0"
    if value.startswith("-") and digits != "0":
        raise WorkspaceError(
            f"{name} 不能为负数（须为 0 至 {MAX_TOLERANCE_MINUTES} 分钟）：{shown}。"
        )
    if len(digits) > 5 or int(digits) > MAX_TOLERANCE_MINUTES:
        raise WorkspaceError(
            f"{name} 须为 0 至 {MAX_TOLERANCE_MINUTES} 之间的整数（分钟），而不是 {shown!r}。"
        )
    return int(digits)


def load_settings(db: Database | sqlite3.Connection) -> WorkspaceSettings:
    """Return the workspace's settings (defaults for those never set)."""
    stored = {
        row["key"][len(PREFIX) :]: row["value"]
        for row in fetch_all(db, "SELECT key, value FROM meta WHERE key LIKE 'setting.%'", [])
    }
    values = {
        spec.name: check_setting(spec.name, stored.get(spec.name, spec.default))
        for spec in SETTINGS
    }
    return WorkspaceSettings(
        time_zone=values["time_zone"],
        clock_tolerance_minutes=int(values["clock_tolerance_minutes"]),
    )


def save_setting(db: Database, name: str, value: str, *, actor: Actor, now: datetime) -> str:
    """Store one setting after checking it, with an audit event; return the stored value.

    A setting changes how days and lateness are counted, so who changed it, when, and from
    what, is kept in the audit trail.
    """
    from inspector_app.store.records import append_event

    value = check_setting(name, value)
    with storage_errors(), db.atomic():
        old = getattr(load_settings(db), name)
        db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [PREFIX + name, value],
        )
        append_event(
            db,
            actor=actor,
            now=now,
            action="update",
            table="setting",
            record_id=name,
            case_id=None,
            version_id=None,
            old={name: str(old)},
            new={name: value},
        )
    return value


def device_id(db: Database) -> str:
    """Return the id of this workspace's device (made when the workspace was created)."""
    rows = fetch_all(db, "SELECT value FROM meta WHERE key = 'device_id'", [])
    return str(rows[0]["value"])
