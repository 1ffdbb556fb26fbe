"""Applying what sync brought down (the `sync_inbox`) to the workspace, in the caller's
transaction (the one that stores the page and the cursor).

A version that came from the central office is kept as it is (its id, its base, its device),
audited, and never queued back up. A change whose version the workspace already holds (an
echo) is skipped. A change whose base version is not the workspace's version, or that would
change a signed record, is kept in `sync_conflict` with both versions for the leader; nothing
is dropped. A change that cannot be applied yet (its case not here, a malformed payload, or a
record that would break a rule of its case: an act out of the regulation's order, a person off
the team, a time after the office received it) stays in the inbox with the reason, and is tried
again with each page and at each sync, so that a record a later change makes valid applies
then (`RuleCheck`). The office's notice that a
case was withdrawn from this reviewer, or given back, marks it so (`store.withdrawals`).
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import typing
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlite_utils import Database

from inspector_app.core import case_integrity, intake
from inspector_app.core.calendar import synced_case_time_zone_problems
from inspector_app.core.errors import Problem
from inspector_app.core.model import Actor, Case, CaseFile, Enterprise, Reviewer
from inspector_app.store import enterprises, records
from inspector_app.store.centre_key import keep_centre_key
from inspector_app.store.codec import RECORD_ORDER, TABLE_OF, field_types, from_row, to_plain
from inspector_app.store.errors import SignedRecordError, WorkspaceError
from inspector_app.store.records import CASE_TIME_ZONE, RecordVersion
from inspector_app.store.sql import fetch_all, fetch_one
from inspector_app.store.withdrawals import NOTICE_TABLE, apply_notice

CENTRAL_OFFICE = Actor("central-office", "中心（同步）")
"""Who applies a pulled version, for the audit trail (the version names its own device)."""

CLASS_OF = {table: cls for cls, table in TABLE_OF.items()}
ORDER = ("server_key", "checklist_form", "qualified_agency", *RECORD_ORDER)
"""Applied in this order within a page: a record after those it refers to."""

LOCK_LATER_KEY = "sync.lock_after_pull"


@dataclass
class Applied:
    """What one application of the inbox did."""

    applied: int = 0
    echoes: int = 0
    conflicts: int = 0
    waiting: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    lifted: list[str] = field(default_factory=list)


class NotApplicable(Exception):
    """A change that cannot be applied (yet); the message says why."""


class BreaksRule(NotApplicable):
    """A record that would break a rule of its case as it stands here (it waits)."""


RECEIVED_AT = "received_at"
"""The key of a change's payload under which the central office notes when it received the
change (`sync.server.storage`): the clock a pulled record's acts are checked against."""


class RuleCheck:
    """The domain's rules of a whole case (`core.case_integrity`), applied to a pulled record
    before it is written: the case as it would be with it. Each case is read once per
    application of the inbox and kept up to date as its records are written."""

    def __init__(self, db: Database, now: datetime) -> None:
        from inspector_app.store.settings import load_settings

        self.db = db
        self.now = now
        settings = load_settings(db)
        self.tolerance = settings.clock_tolerance
        self.calendar = settings.calendar
        self.cases: dict[str, CaseFile] = {}
        self.memos: dict[str, case_integrity.Memo] = {}

    def _state(self, case_id: str) -> CaseFile | None:
        from inspector_app.store.casework import CaseNotFound, load_case_file

        state = self.cases.get(case_id)
        if state is None:
            try:
                state = self.cases[case_id] = load_case_file(self.db, case_id)
            except CaseNotFound:
                return None
        return state

    def refuse(self, record: Any, payload: dict[str, Any]) -> None:
        """Refuse (`BreaksRule`, with the domain's messages) a record that would bring a problem
        to its case; a record of no case, or of a case not here (it waits for its case
        anyway), is judged by its own times only."""
        if isinstance(record, Enterprise | Reviewer):
            return
        if isinstance(record, Case):  # counted in another zone: held back, with the reason
            zone = payload.get(CASE_TIME_ZONE)
            problems = synced_case_time_zone_problems(
                zone if isinstance(zone, str) else None, self.calendar.zone_name
            )
            if problems:
                raise NotApplicable(rule_refusal(problems))
        now = received_at(payload) or self.now
        state = self._state(_case_of(record))
        if state is None:
            problems = case_integrity.future_problems(record, now, self.tolerance, self.calendar)
        else:
            memo = self.memos.setdefault(_case_of(record), case_integrity.Memo())
            problems = case_integrity.record_problems(
                state, record, now, self.tolerance, self.calendar, memo
            )
        if problems:
            raise BreaksRule(rule_refusal(problems))

    def written(self, record: Any) -> None:
        """Note that `record` was written (a case not read yet is read when first needed)."""
        if isinstance(record, Enterprise | Reviewer):
            return
        state = self.cases.get(_case_of(record))
        if state is not None:
            self.cases[_case_of(record)] = case_integrity.with_record(state, record)


def _case_of(record: Any) -> str:
    return str(record.id if isinstance(record, Case) else record.case_id)


def received_at(payload: dict[str, Any]) -> datetime | None:
    """Return when the central office received a change (noted in its payload), or None."""
    value = payload.get(RECEIVED_AT)
    if not isinstance(value, str):
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return None
    return at if at.tzinfo is not None else None


def rule_refusal(problems: list[Problem]) -> str:
    """Return why a record that breaks rules is not applied: the domain's messages."""
    return "违反规则：" + "；".join(str(p) for p in problems)


def apply_inbox(db: Database, now: datetime, *, last_page: bool = True) -> Applied:
    """Apply every change waiting in the inbox (see the module's docstring), in the caller's
    transaction; each change in its own savepoint, so one that cannot be applied leaves the
    others be.

    A case's signed version is written open and signed after the last page, so that its
    records' versions (maybe on later pages) can join it first."""
    rows = fetch_all(db, "SELECT * FROM sync_inbox ORDER BY server_seq", [])
    rank = {table: i for i, table in enumerate(ORDER)}
    rows.sort(key=lambda r: (rank.get(r["record_table"], len(rank)), r["server_seq"]))
    done = Applied()
    waiting_locks = fetch_one(db, "SELECT value FROM meta WHERE key = ?", [LOCK_LATER_KEY])
    lock_later: list[str] = json.loads(waiting_locks["value"]) if waiting_locks else []
    rules = RuleCheck(db, now)
    waiting: dict[int, str] = {}
    pending = rows
    while pending:
        before = done.applied
        pending = _apply_rows(db, pending, now, lock_later, rules, done, waiting)
        # A record that broke a rule may be valid once the records after it on the page are
        # written: tried again while that helps.
        if done.applied == before:
            break
    done.waiting = list(waiting.values())
    if last_page:
        for case_id in lock_later:
            # The case came down signed: it was written open so that its records could join
            # it; it now takes the signed state its version has (the version is unchanged).
            # A change that waits for it is refused from now on, and keeps waiting, visible.
            db.execute("UPDATE review_case SET locked = 1 WHERE id = ? AND locked = 0", [case_id])
        lock_later = []
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [LOCK_LATER_KEY, json.dumps(lock_later)],
    )
    return done


def _apply_rows(
    db: Database,
    rows: list[dict[str, Any]],
    now: datetime,
    lock_later: list[str],
    rules: RuleCheck,
    done: Applied,
    waiting: dict[int, str],
) -> list[dict[str, Any]]:
    """Apply `rows` in order (each in its own savepoint), counting in `done` and noting in
    `waiting` why each row left waits; return the rows that wait because they broke a rule."""
    broke: list[dict[str, Any]] = []
    for row in rows:
        try:
            with db.atomic():
                outcome = _apply_one(db, row, now, lock_later, rules)
                db.execute("DELETE FROM sync_inbox WHERE server_seq = ?", [row["server_seq"]])
        except (
            NotApplicable,
            ValueError,
            TypeError,
            KeyError,
            sqlite3.IntegrityError,  # a record whose case is not here (yet)
            SignedRecordError,
        ) as error:
            problem = str(error) or type(error).__name__
            db.execute(
                "UPDATE sync_inbox SET problem = ? WHERE server_seq = ?",
                [problem[:500], row["server_seq"]],
            )
            waiting[row["server_seq"]] = (
                f"{row['record_table']} {row['record_id']}: {problem[:200]}"
            )
            if isinstance(error, BreaksRule):
                broke.append(row)
            continue
        waiting.pop(row["server_seq"], None)
        if outcome in ("withdrawn", "lifted"):
            case_id = str(_payload(row)["case_id"])
            (done.withdrawn if outcome == "withdrawn" else done.lifted).append(case_id)
            done.applied += 1
        elif outcome == "echo":
            done.echoes += 1
        elif outcome == "conflict":
            done.conflicts += 1
        else:
            done.applied += 1
    return broke


def apply_change(db: Database, change: dict[str, Any], now: datetime) -> str:
    """Apply one change of the office's log as a pull would, in the caller's transaction:
    the enrolled reviewer's registry record, kept at enrollment (the pull then finds it an
    echo). Return "applied", "echo" or "conflict".

    Raises:
        NotApplicable: the change cannot be applied (a malformed record).
    """
    row = {**change, "server_seq": change.get("seq")}
    row["payload"] = json.dumps(change.get("payload"), ensure_ascii=False, sort_keys=True)
    try:
        return _apply_one(db, row, now, [])
    except (ValueError, TypeError, KeyError, sqlite3.IntegrityError) as error:
        raise NotApplicable(str(error) or type(error).__name__) from None


def _payload(row: dict[str, Any]) -> dict[str, Any]:
    payload = json.loads(row["payload"])
    if not isinstance(payload, dict):
        raise NotApplicable("the change's payload is not an object")
    return payload


def _apply_one(
    db: Database,
    row: dict[str, Any],
    now: datetime,
    lock_later: list[str],
    rules: RuleCheck | None = None,
) -> str:
    table = row["record_table"]
    payload = _payload(row)
    if table == "server_key":
        key = payload.get("public_key")
        if payload.get("algorithm") != "X25519" or not isinstance(key, str):
            raise NotApplicable("not an X25519 public key")
        try:  # what the enterprise's feedback forms are sealed to from now on
            keep_centre_key(db, key, actor=CENTRAL_OFFICE, now=now)
        except WorkspaceError as error:
            raise NotApplicable(str(error)) from None
        return "applied"
    if table == "checklist_form":
        return _apply_form(db, payload, now)
    if table == NOTICE_TABLE:
        return apply_notice(db, payload, _enrolled_reviewer(db), now)
    if table == "qualified_agency":
        return _apply_agency(db, row, payload, now)
    cls = CLASS_OF.get(table)
    if cls is None:
        raise NotApplicable(f"unknown record table {table}")
    return _apply_record(db, cls, row, payload, now, lock_later, rules or RuleCheck(db, now))


def _enrolled_reviewer(db: Database) -> str:
    """Return the id of the reviewer this workspace is enrolled as."""
    row = fetch_one(db, "SELECT value FROM meta WHERE key = 'sync.reviewer'", [])
    if row is None:
        raise NotApplicable("not enrolled: no reviewer to tell")
    return str(json.loads(row["value"]).get("id", ""))


def _apply_form(db: Database, payload: dict[str, Any], now: datetime) -> str:
    from inspector_app.core.forms.reader import form_from_dict
    from inspector_app.store.form_library import FormLibraryError, install_form

    body = payload.get("form")
    if not isinstance(body, dict):
        raise NotApplicable("a checklist form change without its form")
    try:
        new = install_form(db, form_from_dict(body), now)
    except FormLibraryError as error:
        raise NotApplicable(str(error)) from None
    return "applied" if new else "echo"


def _apply_agency(db: Database, row: dict[str, Any], payload: dict[str, Any], now: datetime) -> str:
    record = payload.get("record")
    if not isinstance(record, dict) or record.get("id") != row["record_id"]:
        raise NotApplicable("an agency change without its record")
    products = record.get("products")
    if not isinstance(record.get("name"), str) or not isinstance(products, list):
        raise NotApplicable("an agency needs a name and its products")
    db.execute(
        "INSERT INTO qualified_agency (id, name, products, valid_until, withdrawn, version_id, "
        "received_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
        "name = excluded.name, products = excluded.products, valid_until = excluded.valid_until,"
        " withdrawn = excluded.withdrawn, version_id = excluded.version_id, "
        "received_at = excluded.received_at",
        [
            record["id"],
            record["name"],
            json.dumps(products, ensure_ascii=False),
            record.get("valid_until"),
            1 if payload.get("withdrawn") else 0,
            row["version_id"] or "",
            now.isoformat(),
        ],
    )
    return "applied"


def _apply_record(
    db: Database,
    cls: type,
    row: dict[str, Any],
    payload: dict[str, Any],
    now: datetime,
    lock_later: list[str],
    rules: RuleCheck,
) -> str:
    plain = payload.get("record")
    if not isinstance(plain, dict) or plain.get("id") != row["record_id"]:
        raise NotApplicable("the change's record does not match its id")
    if cls is not Case and "case_id" in plain and plain["case_id"] != row["case_id"]:
        raise NotApplicable("the change's record belongs to another case than it says")
    if not row["version_id"]:
        raise NotApplicable("a record change without its version")
    wrong = _wrong_type(cls, plain)
    if wrong:
        raise NotApplicable(wrong)
    record: Any = from_row(cls, plain)
    unusable = _unusable(db, record)
    if unusable:
        raise NotApplicable(unusable)
    locked = payload.get("locked") in (True, 1)
    table = row["record_table"]
    stored = fetch_one(db, f"SELECT * FROM {table} WHERE id = ?", [row["record_id"]])
    if stored is not None and "case_id" in stored and stored["case_id"] != row["case_id"]:
        raise NotApplicable("the record belongs to another case here; a change cannot move it")
    if stored is not None and stored["version_id"] == row["version_id"]:
        return "echo"
    if stored is not None and _held_before(db, table, row["record_id"], row["version_id"]):
        return "echo"  # an older version of the record, which this workspace had once
    if stored is not None and (stored["locked"] or stored["version_id"] != row["base_version_id"]):
        reason = (
            "本地记录已签名，不能被中心的版本改动"
            if stored["locked"]
            else f"中心的版本基于 {row['base_version_id']}，本地为 {stored['version_id']}"
        )
        keep_conflict(db, row, payload, reason, now)
        return "conflict"
    if stored is not None and isinstance(record, Enterprise):
        unchanged = intake.signed_enterprise_unchanged_problems(
            from_row(Enterprise, stored),
            record,
            enterprises.signed_application_nos(db, record.id),
        )
        if unchanged:  # the enterprise of a signed case stays as it was at sign-off
            keep_conflict(db, row, payload, unchanged[0].message, now)
            return "conflict"
    rules.refuse(record, payload)  # the case as it would be with it keeps the domain's rules
    # A case's signed version is written open and signed after the last page: its records'
    # versions (maybe on later pages) may only join an open case.
    defer = cls is Case and locked
    records.save(
        db,
        record,
        actor=CENTRAL_OFFICE,
        now=now,
        device=row["device_id"],
        lock=locked and not defer,
        version=RecordVersion(row["version_id"], row["base_version_id"], row["device_id"]),
        queue=False,
    )
    rules.written(record)
    if defer:
        lock_later.append(record.id)
    return "applied"


def _fits(kind: Any, value: Any) -> bool:
    """Return whether a plain (JSON) value is one of type `kind` as the records write it."""
    if typing.get_origin(kind) is tuple:
        inner = typing.get_args(kind)[0]
        return isinstance(value, list) and all(_fits(inner, v) for v in value)
    if kind is datetime:
        try:  # a moment carries its offset: a naive one compares with nothing
            return isinstance(value, str) and datetime.fromisoformat(value).tzinfo is not None
        except ValueError:
            return False
    if kind is date:
        try:
            return isinstance(value, str) and len(value) == 10 and bool(date.fromisoformat(value))
        except ValueError:
            return False
    if kind is bool:
        return isinstance(value, bool) or value in (0, 1)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return value in {member.value for member in kind}
    if kind is str:
        return isinstance(value, str)
    return True


def _wrong_type(cls: type, plain: dict[str, Any]) -> str:
    """Return which field of a pulled record has no value of its type (a missing one, a null
    where the record needs a value, a naive time, a number for a text…), or "" when all fit:
    such a version would not bind in SQLite, or would break every view of its case."""
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        optional = type(None) in typing.get_args(hints[f.name])
        has_default = (
            f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        )
        if f.name not in plain:
            if has_default or optional:
                continue
            return f"the change's record lacks its field {f.name}"
        value = plain[f.name]
        if value is None:
            if optional:
                continue
            return f"the change's field {f.name} is null"
        if not _fits(field_types(cls)[f.name], value):
            return f"the change's field {f.name} has a value of the wrong type: {value!r:.60}"
    return ""


HASH_FIELDS = ("evidence", "photo", "image", "document_sha256", "corrects_sha256")
"""The fields that name attachments by their SHA-256 (a list for evidence)."""


def _unusable(db: Database, record: Any) -> str:
    """Return why a pulled record of the right types still cannot be shown (an attachment
    named by something that is not a SHA-256, a checklist result its case's form does not
    have or allow), or "": such a version would break every view of its case."""
    from inspector_app.core.forms.verdicts import unknown_result_problems
    from inspector_app.core.model import ChecklistResult
    from inspector_app.store.attachments import SHA256
    from inspector_app.store.casework import case_form
    from inspector_app.store.form_library import FormLibraryError

    for name in HASH_FIELDS:
        value = getattr(record, name, None)
        named = value if isinstance(value, tuple) else (value,) if value else ()
        if any(not SHA256.match(str(h)) for h in named):
            return f"the change's field {name} names no attachment (not a SHA-256)"
    if isinstance(record, ChecklistResult):
        case = records.load(db, Case, record.case_id)
        if case is None:
            return ""  # waits for its case (the foreign key refuses it)
        try:
            form = case_form(db, case)
        except FormLibraryError as error:
            return str(error)
        problems = unknown_result_problems(form, {record.item_code: record.result})
        if problems:
            field = "item_code" if problems[0].rule.endswith("unknown_item") else "result"
            return f"the change's field {field}: {problems[0].message}"
    return ""


def _held_before(db: Database, table: str, record_id: str, version_id: str) -> bool:
    """Return whether the workspace held `version_id` of the record once (its audit trail
    names every version it wrote)."""
    found = fetch_one(
        db,
        "SELECT 1 AS held FROM audit_event WHERE record_id = ? AND record_table = ? "
        "AND version_id = ? LIMIT 1",
        [record_id, table, version_id],
    )
    return found is not None


def keep_conflict(
    db: Database,
    row: dict[str, Any],
    payload: dict[str, Any],
    reason: str,
    now: datetime,
    origin: str = "pull",
) -> int:
    """Keep a change that lost against the workspace's version, with both versions."""
    table = row["record_table"]
    local = fetch_one(db, f"SELECT * FROM {table} WHERE id = ?", [row["record_id"]])
    local_plain = None
    if local is not None and table in CLASS_OF:
        local_plain = to_plain(from_row(CLASS_OF[table], local))
    cursor = db.execute(
        "INSERT INTO sync_conflict (origin, server_seq, record_table, record_id, case_id, "
        "current_version_id, current_record, other_version_id, other_base_version_id, "
        "other_device_id, other_payload, reason, found_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            origin,
            row.get("server_seq"),
            table,
            row["record_id"],
            row.get("case_id"),
            local["version_id"] if local else None,
            json.dumps(local_plain, ensure_ascii=False) if local_plain is not None else None,
            row.get("version_id"),
            row.get("base_version_id"),
            row.get("device_id"),
            json.dumps(payload, ensure_ascii=False, sort_keys=True),
            reason,
            now.isoformat(),
        ],
    )
    return int(cursor.lastrowid or 0)
