"""Cases the central office withdrew from this workspace's reviewer (table `case_withdrawal`):
kept whole, read-only (the rule `core.case_withdrawal`), their queued changes held rather than
sent, until the office assigns the case again. Told by the office at a pull
(`sync_apply`, an `assignment_notice` change)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from inspector_app.core.calendar import RegulationCalendar
from inspector_app.core.case_withdrawal import (
    CaseWithdrawal,
    case_withdrawn_problems,
    withdrawn_text,
)
from inspector_app.core.errors import refuse_if
from inspector_app.store.sql import fetch_all, fetch_one

if TYPE_CHECKING:
    from sqlite_utils import Database

NOTICE_TABLE = "assignment_notice"
"""The record table of the office's notices (the same name as `sync.server.assignments`)."""

HELD_REASON = "held: case withdrawn"
"""How a held outbox row reads in `inspector sync --json`."""


@dataclass(frozen=True)
class HeldCase:
    """A withdrawn case as `inspector sync` reports it: held back, with its queued changes."""

    case_id: str
    application_no: str | None
    withdrawn_at: str
    withdrawn_by: str | None
    held: int

    def as_json(self) -> dict[str, Any]:
        """Return the held case as plain JSON values."""
        return {**self.__dict__, "reason": HELD_REASON}


def _exists(db: Database | sqlite3.Connection) -> bool:
    """Whether the workspace has the table (a workspace opened before migration 0011 has not)."""
    row = fetch_one(
        db, "SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = 'case_withdrawal'"
    )
    return row is not None


def case_withdrawal(db: Database, case_id: str) -> CaseWithdrawal | None:
    """Return the office's withdrawal of the case from this reviewer, or None."""
    if not _exists(db):
        return None
    row = fetch_one(db, "SELECT * FROM case_withdrawal WHERE case_id = ?", [case_id])
    if row is None:
        return None
    return CaseWithdrawal(
        row["case_id"], datetime.fromisoformat(row["withdrawn_at"]), row["withdrawn_by"]
    )


def refuse_if_withdrawn(db: Database, case_id: str, calendar: RegulationCalendar) -> None:
    """Refuse any change of a case withdrawn from this reviewer (`case_withdrawn_problems`).

    Raises:
        RuleViolation: the case is withdrawn; nothing was written.
    """
    refuse_if(case_withdrawn_problems(case_withdrawal(db, case_id), calendar))


def withdrawn_texts(
    db: Database | sqlite3.Connection, calendar: RegulationCalendar
) -> dict[str, str]:
    """Return, by case id, how each withdrawal reads (for the case list)."""
    if not _exists(db):
        return {}
    return {
        r["case_id"]: withdrawn_text(
            CaseWithdrawal(r["case_id"], datetime.fromisoformat(r["withdrawn_at"])), calendar
        )
        for r in fetch_all(db, "SELECT case_id, withdrawn_at FROM case_withdrawal", [])
    }


def held_cases(db: Database) -> list[HeldCase]:
    """Return the withdrawn cases with how many queued changes each holds back."""
    if not _exists(db):
        return []
    rows = fetch_all(
        db,
        "SELECT w.*, (SELECT count(*) FROM outbox o WHERE o.case_id = w.case_id) AS held "
        "FROM case_withdrawal w ORDER BY w.withdrawn_at, w.case_id",
        [],
    )
    return [
        HeldCase(r["case_id"], r["application_no"], r["withdrawn_at"], r["withdrawn_by"], r["held"])
        for r in rows
    ]


def apply_notice(db: Database, payload: dict[str, Any], reviewer_id: str, now: datetime) -> str:
    """Apply the office's notice that a case was withdrawn from (`assigned` false) or given
    back to (`assigned` true) this workspace's reviewer, in the caller's transaction; return
    "withdrawn", "lifted", or "echo" (nothing to do: a case not held here, or already so).

    Raises:
        ValueError: a malformed notice, or one for another reviewer.
    """
    case_id, at = payload.get("case_id"), payload.get("at")
    if not isinstance(case_id, str) or not isinstance(at, str) or "assigned" not in payload:
        raise ValueError("a malformed assignment notice")
    if payload.get("reviewer_id") != reviewer_id:
        raise ValueError("an assignment notice for another reviewer")
    datetime.fromisoformat(at)  # refuse a notice whose time does not read
    if payload["assigned"]:
        gone = db.execute("DELETE FROM case_withdrawal WHERE case_id = ?", [case_id])
        return "lifted" if gone.rowcount else "echo"
    if fetch_one(db, "SELECT id FROM review_case WHERE id = ?", [case_id]) is None:
        return "echo"  # a case this laptop never held: nothing to keep read-only
    number = payload.get("application_no")
    by = payload.get("by")
    db.execute(
        "INSERT INTO case_withdrawal (case_id, reviewer_id, application_no, withdrawn_at, "
        "withdrawn_by, noticed_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(case_id) DO UPDATE "
        "SET withdrawn_at = excluded.withdrawn_at, withdrawn_by = excluded.withdrawn_by",
        [
            case_id,
            reviewer_id,
            number if isinstance(number, str) else None,
            at,
            by if isinstance(by, str) else None,
            now.isoformat(),
        ],
    )
    return "withdrawn"
