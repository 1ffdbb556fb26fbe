"""The domain's rules of a whole case, applied by the central office to each pushed record.

A laptop checks every act against its own view of the case and its own clock; the office
checks the case as it would stand with the pushed record among its current records (the heads
of its change log), through the same rules (`inspector_app.core.case_integrity`): the acts in
the regulation's order, each person a record names on the case's team (by id), and no act
later than when the office received it, beyond the clock tolerance. A record that breaks one
is not applied: it is kept as a conflict of kind "rule" with the domain's message
(`Storage.apply`).

What the office cannot judge it lets through, as before: a record of a case whose case record
(or enterprise) it does not hold, or whose stored payloads do not read as records (those wait
on the laptops, with their reason, `store.sync_apply`). Only the rules of people and time are
checked here: the checklist's own rules (which result an item allows, what it requires) need
the case's form, and stay the laptops' (a pulled result the form does not allow waits there).
"""

from __future__ import annotations

import dataclasses
import json
import threading
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from inspector_app.core import case_integrity
from inspector_app.core.calendar import CHINA, RegulationCalendar
from inspector_app.core.conflicts import RULE_REASON_PREFIX
from inspector_app.core.errors import Problem
from inspector_app.core.model import Case, CaseFile, Enterprise
from inspector_app.store.codec import TABLE_OF, from_row
from sync.protocol import Mutation
from sync.server.storage import change, record_head

CLASS_OF = {table: cls for cls, table in TABLE_OF.items()}
CASE_TABLES = frozenset(t for t in TABLE_OF.values() if t not in ("reviewer", "enterprise"))
"""The tables of a case's own records (the case itself included)."""

DEFAULT_TOLERANCE = timedelta(minutes=10)
"""How far an act may lie after the office's clock (the workspaces' default setting)."""

RULE_KIND = "rule"
"""The kind of a conflict kept because its record breaks a rule of its case."""


def decode(record_table: str, payload: Any) -> Any:
    """Return the record a change's payload carries, or None when it does not read as one."""
    cls = CLASS_OF.get(record_table)
    plain = payload.get("record") if isinstance(payload, dict) else None
    if cls is None or not isinstance(plain, dict):
        return None
    try:
        record: Any = from_row(cls, plain)
    except (TypeError, ValueError, KeyError, AttributeError):
        return None
    # A moment without its offset compares with nothing: such a record is not judged here.
    values = [getattr(record, f.name) for f in dataclasses.fields(record)]
    if any(isinstance(v, datetime) and v.tzinfo is None for v in values):
        return None
    return record


def _marker(conn: Connection, case_id: str) -> int:
    """Return the last change of a case (a case read at this mark is still current)."""
    return int(
        conn.execute(select(func.max(change.c.seq)).where(change.c.case_id == case_id)).scalar()
        or 0
    )


def _read_case(conn: Connection, case_id: str) -> CaseFile | None:
    """Return a case as the office holds it (the heads of its records), or None when the
    office holds no readable case record or enterprise for it."""
    rows = conn.execute(
        select(change.c.record_table, change.c.payload)
        .join(record_head, record_head.c.change_seq == change.c.seq)
        .where(change.c.case_id == case_id)
    ).all()
    # the case's own records: a case file assigned by the office also names its reviewers and
    # enterprise under the case, which are not records of the case itself
    found = [
        decode(r.record_table, json.loads(r.payload)) for r in rows if r.record_table in CASE_TABLES
    ]
    case = next((r for r in found if isinstance(r, Case) and r.id == case_id), None)
    if case is None:
        return None
    enterprise_row = conn.execute(
        select(change.c.payload)
        .join(record_head, record_head.c.change_seq == change.c.seq)
        .where(
            record_head.c.record_table == "enterprise",
            record_head.c.record_id == case.enterprise_id,
        )
    ).first()
    enterprise = (
        decode("enterprise", json.loads(enterprise_row.payload)) if enterprise_row else None
    )
    if not isinstance(enterprise, Enterprise):
        return None
    state = CaseFile(case=case, enterprise=enterprise)
    for record in found:
        if record is not None and not isinstance(record, Case):
            state = case_integrity.with_record(state, record)
    return state


class CaseRules:
    """Checks pushed records against their cases; each case is read once and kept while no
    other change of it is made (its last change in the log says so), so that a push of a
    case's 300 results does not read the case 300 times."""

    def __init__(
        self, tolerance: timedelta = DEFAULT_TOLERANCE, calendar: RegulationCalendar = CHINA
    ) -> None:
        self.tolerance = tolerance
        self.calendar = calendar
        self._cases: dict[str, tuple[int, CaseFile | None]] = {}
        self._memos: dict[str, case_integrity.Memo] = {}
        self._lock = threading.Lock()

    def _state(self, conn: Connection, case_id: str) -> CaseFile | None:
        mark = _marker(conn, case_id)
        with self._lock:
            held = self._cases.get(case_id)
        if held is not None and held[0] == mark:
            return held[1]
        state = _read_case(conn, case_id)
        with self._lock:
            if len(self._cases) > 256:
                self._cases.clear()
                self._memos.clear()
            self._cases[case_id] = (mark, state)
        return state

    def problems(self, conn: Connection, m: Mutation, received: datetime) -> list[Problem]:
        """Return the rules the pushed record breaks, in the case as the office holds it;
        none when it cannot be judged (see the module's doc). `conn` is the push's
        transaction (writers are serialized, so the case cannot change meanwhile)."""
        if m.record_table not in CASE_TABLES or not m.case_id:
            return []
        record = decode(m.record_table, m.payload)
        if record is None:
            return []
        state = self._state(conn, m.case_id)
        if state is None:
            return case_integrity.future_problems(record, received, self.tolerance, self.calendar)
        with self._lock:
            memo = self._memos.setdefault(m.case_id, case_integrity.Memo())
        try:
            return case_integrity.record_problems(
                state, record, received, self.tolerance, self.calendar, memo
            )
        except (TypeError, ValueError, AttributeError):
            # A field of another type than the record's (a hostile payload): not judged here,
            # applied as before; the laptops hold it back (`store.sync_apply`).
            with self._lock:
                self._memos.pop(m.case_id, None)
            return []

    def applied(self, conn: Connection, m: Mutation, seq: int) -> None:
        """Note that the pushed record became its case's head at change `seq` (in the push's
        transaction): the case kept stays current without reading it again."""
        if m.record_table not in CASE_TABLES or not m.case_id:
            return
        with self._lock:
            held = self._cases.get(m.case_id)
        if held is None or held[1] is None:
            with self._lock:
                self._cases.pop(m.case_id, None)
            return
        record = decode(m.record_table, m.payload)
        if record is None:
            with self._lock:
                self._cases.pop(m.case_id, None)
            return
        state = case_integrity.with_record(held[1], record)
        with self._lock:
            self._cases[m.case_id] = (seq, state)


def rule_reason(problems: list[Problem]) -> str:
    """Return the reason a rule conflict is kept with: the domain's messages."""
    return RULE_REASON_PREFIX + "；".join(str(p) for p in problems)
