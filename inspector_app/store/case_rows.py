"""The rows of the case list, read on the workspace's plain connection.

`Queries.case_rows` builds its rows here; the desktop app reads them here before its first
paint, before sqlite-utils and the rest of the store are imported (see `ui/launch.py`).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from inspector_app.core.calendar import RegulationCalendar
from inspector_app.core.case_record import Case, CaseStatus
from inspector_app.core.deadlines import case_is_overdue, concluded_late, onsite_deadline
from inspector_app.made_when_asked import MadeWhenAsked
from inspector_app.store.errors import DamagedRecordError, damaged_record, storage_errors
from inspector_app.store.sql import connection_of, fetch_all
from inspector_app.store.withdrawals import withdrawn_texts

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class CaseRow:
    """One row of the case list: the case as the domain describes it today."""

    case: Case
    enterprise: str
    onsite_deadline: date
    overdue: bool
    concluded_late: bool
    reviewer_ids: frozenset[str]  # the reviewers on the case's team
    alerts: tuple[str, ...]
    withdrawn: str | None = None
    """How the office's withdrawal of the case from this reviewer reads (read-only here), or
    None."""

    def is_mine(self, reviewer_id: str) -> bool:
        """Return whether the reviewer is on the case's team."""
        return reviewer_id in self.reviewer_ids

    def as_json(self) -> dict[str, Any]:
        """Return the row as the plain values `inspector case list --json` prints."""
        case = self.case
        return {
            "id": case.id,
            "application_no": case.application_no,
            "enterprise": self.enterprise,
            "product": case.product,
            "product_unit": case.product_unit,
            "status": case.status.value,
            "accepted_on": case.accepted_on.isoformat(),
            "onsite_deadline": self.onsite_deadline.isoformat(),
            "overdue": self.overdue,
            "concluded_late": self.concluded_late,
            "form": f"{case.form_id}@{case.form_version}",
            "alerts": list(self.alerts),
            "withdrawn": self.withdrawn,
        }


CASE_COLUMNS = (
    "id",
    "application_no",
    "enterprise_id",
    "product",
    "product_unit",
    "form_id",
    "form_version",
    "accepted_on",
    "review_date",
    "status",
    "qualified_agencies",
    "review_started_at",
    "concluded_at",
)
"""The columns of `review_case` that make a `Case`, in the order of its fields."""


def _case(values: tuple[Any, ...], agencies_read: dict[str, tuple[str, ...]]) -> Case:
    """Return the case of a `review_case` row's `CASE_COLUMNS` (see `_decode_case`).

    Raises:
        DamagedRecordError: a value cannot be read (a date that is no date, a status the app
            does not know): the case and the field are named.
    """
    try:
        return _decode_case(values, agencies_read)
    except (ValueError, TypeError, KeyError) as error:
        raise _damaged(values) from error


def _damaged(values: tuple[Any, ...]) -> DamagedRecordError:
    """Return the error naming the first of a case row's values that cannot be read."""
    from inspector_app.store.codec import converted  # the whole model: only when damaged

    row = dict(zip(CASE_COLUMNS, values, strict=True))
    try:
        converted(Case, row)
    except DamagedRecordError as error:
        return error
    return damaged_record(f"案件 {row['application_no']}")


def _decode_case(values: tuple[Any, ...], agencies_read: dict[str, tuple[str, ...]]) -> Case:
    """Return the case of a `review_case` row's `CASE_COLUMNS` (the table has no NULL but in
    the two times): what `codec.from_row` gives for the row, without working through the field
    types at each of a thousand rows, nor importing the other records. `agencies_read` keeps
    the agency lists decoded in one reading of the list (many cases name the same agencies: the
    tuples are immutable, so the cases share them)."""
    (
        id_,
        application_no,
        enterprise_id,
        product,
        product_unit,
        form_id,
        form_version,
        accepted_on,
        review_date,
        status,
        agencies,
        started_at,
        concluded_at,
    ) = values
    return Case(
        id_,
        application_no,
        enterprise_id,
        product,
        product_unit,
        form_id,
        form_version,
        date.fromisoformat(accepted_on),
        date.fromisoformat(review_date),
        CaseStatus(status),
        agencies_read.get(agencies) or agencies_read.setdefault(agencies, _agencies(agencies)),
        None if started_at is None else datetime.fromisoformat(started_at),
        None if concluded_at is None else datetime.fromisoformat(concluded_at),
    )


def _agencies(value: str) -> tuple[str, ...]:
    if value == "[]":  # most lists are empty
        return ()
    return tuple(json.loads(value))


LISTED_COLUMNS = (*CASE_COLUMNS, "enterprise")
"""The columns `listed_cases` reads: the case's, then its enterprise's name."""


def _listed_values(db: Database | sqlite3.Connection) -> list[tuple[Any, ...]]:
    """Return the `LISTED_COLUMNS` of every case, newest acceptance first (then by
    application number)."""
    columns = ", ".join(f"c.{name}" for name in CASE_COLUMNS)
    return (
        connection_of(db)
        .execute(
            f"""SELECT {columns}, e.name
                FROM review_case c JOIN enterprise e ON e.id = c.enterprise_id
                ORDER BY c.accepted_on DESC, c.application_no"""
        )
        .fetchall()
    )


def listed_cases(db: Database | sqlite3.Connection) -> list[tuple[Case, str]]:
    """Return every case with its enterprise's name, newest acceptance first (then by
    application number)."""
    agencies_read: dict[str, tuple[str, ...]] = {}
    return [(_case(row[:-1], agencies_read), str(row[-1])) for row in _listed_values(db)]


def reviewers_by_case(db: Database | sqlite3.Connection) -> dict[str, set[str]]:
    """Return, by case id, the ids of the reviewers on the case's team (present members)."""
    grouped: dict[str, set[str]] = defaultdict(set)
    for row in fetch_all(
        db, "SELECT case_id, reviewer_id FROM team_member WHERE removed_at IS NULL"
    ):
        grouped[row["case_id"]].add(row["reviewer_id"])
    return grouped


def case_row(
    case: Case,
    enterprise: str,
    reviewer_ids: set[str] | frozenset[str],
    today: date,
    calendar: RegulationCalendar,
    alerts: tuple[str, ...] = (),
    withdrawn: str | None = None,
) -> CaseRow:
    """Return the row of one case as the domain describes it `today`: its on-site deadline,
    whether it is overdue, whether it was concluded late; a case the office withdrew from this
    reviewer (`withdrawn`, how the withdrawal reads) has that as its first alert."""
    return CaseRow(
        case=case,
        enterprise=enterprise,
        onsite_deadline=onsite_deadline(case.accepted_on),
        overdue=case_is_overdue(case, today),
        concluded_late=concluded_late(case, calendar),
        reviewer_ids=frozenset(reviewer_ids),
        alerts=((withdrawn,) if withdrawn else ()) + alerts,
        withdrawn=withdrawn,
    )


class CaseRows(MadeWhenAsked[CaseRow]):
    """Every case's row without alerts, newest acceptance first: read at once, each row worked
    out (decoded, its deadline marks decided) when it is first asked for, then kept.

    A list of a thousand cases shows some twenty rows at a time: the rows shown are worked
    out, and the others only when a search, a filter or a sort needs them (some 10 ms of the
    app's start for a thousand cases). `texts` gives one listed column as read, for sizing.
    """

    __slots__ = ("_values", "_withdrawn")

    def __init__(
        self,
        values: list[tuple[Any, ...]],
        reviewers: dict[str, set[str]],
        withdrawn: dict[str, str],
        calendar: RegulationCalendar,
        today: date,
    ) -> None:
        agencies: dict[str, tuple[str, ...]] = {}

        def work_out(index: int) -> CaseRow:
            row = values[index]
            case = _case(row[:-1], agencies)
            return case_row(
                case,
                str(row[-1]),
                reviewers.get(case.id, _NOBODY),
                today,
                calendar,
                withdrawn=withdrawn.get(case.id),
            )

        super().__init__(len(values), work_out)
        self._values = values
        self._withdrawn = withdrawn

    def texts(self, column: str) -> list[str]:
        """Return one of `LISTED_COLUMNS` of every row as read (not worked out)."""
        at = LISTED_COLUMNS.index(column)
        return [str(values[at]) for values in self._values]

    @property
    def any_withdrawn(self) -> bool:
        """Whether the office withdrew any of the cases from this reviewer."""
        return bool(self._withdrawn)


_NOBODY: frozenset[str] = frozenset()


def case_rows(
    db: Database | sqlite3.Connection, calendar: RegulationCalendar, today: date
) -> CaseRows:
    """Return every case's row without alerts, newest acceptance first (what
    `Queries.case_list()` returns), each worked out when first asked for.

    Raises:
        WorkspaceError: the database cannot be read.
    """
    with storage_errors():
        values = _listed_values(db)
        reviewers = reviewers_by_case(db)
        withdrawn = withdrawn_texts(db, calendar)
    return CaseRows(values, reviewers, withdrawn, calendar, today)
