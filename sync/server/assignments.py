"""Per-reviewer case scoping: which cases the central office assigned to which reviewers, and
what a device may therefore see and change.

A reviewer's device sees the changes of the cases assigned to that reviewer (with their
enterprises) and the office's data for everyone (the registry, the qualified agencies, forms,
the office's public key); it may change only records of its reviewer's cases. A case that the
server has never heard of, created on a laptop (a new case by hand), is assigned to that
laptop's reviewer by its first push.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Connection,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    and_,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
)

from inspector_app.core.model import CaseStatus
from inspector_app.store.codec import RECORD_ORDER, TABLE_OF, to_plain
from inspector_app.store.records import CASE_TIME_ZONE
from sync.protocol import Mutation
from sync.server.publish import CENTRAL_OFFICE, append, head_of, now_text
from sync.server.settlement import Settlements, refusal_text
from sync.server.storage import (
    RECEIVED_AT,
    SEQ,
    DeviceIdentity,
    Storage,
    append_change,
    change,
    conflict,
    keep_conflict,
    metadata,
    mutation,
    record_head,
    renumber_conflict,
    reviewer,
)

if TYPE_CHECKING:
    from inspector_app.casefile.reader import ParsedCaseFile

case_scope = Table(
    "case_scope",
    metadata,
    Column("case_id", String(64), primary_key=True),
    Column("application_no", Text, nullable=False),
    Column("enterprise_id", String(64)),
    Column("source", String(16), nullable=False),  # "file" (case assign) or "device"
    Column("created_at", String(40), nullable=False),
)

case_assignment = Table(
    "case_assignment",
    metadata,
    Column("case_id", String(64), ForeignKey("case_scope.case_id"), primary_key=True),
    Column("reviewer_id", String(64), ForeignKey("reviewer.id"), primary_key=True),
    Column("assigned_at", String(40), nullable=False),
)

assignment_log = Table(
    "assignment_log",
    metadata,
    Column("seq", SEQ, primary_key=True, autoincrement=True),
    Column("case_id", String(64), nullable=False),
    Column("reviewer_id", String(64), nullable=False),
    Column("action", String(16), nullable=False),  # "assign" or "unassign"
    Column("actor", Text, nullable=False),
    Column("at", String(40), nullable=False),
    Column("notice_seq", BigInteger),
)
"""Who assigned or withdrew which reviewer of which case, and when (`status` shows the
withdrawals in force); `notice_seq` is the change that tells the reviewer's laptops."""
Index("assignment_log_case", assignment_log.c.case_id, assignment_log.c.reviewer_id)

NOTICE_TABLE = "assignment_notice"
"""The change-log rows that tell a reviewer's laptops a case was withdrawn from that reviewer,
or given back (`record_id` is the reviewer's id; no case id, so only that reviewer sees it)."""

DEFAULT_ACTOR = "inspector-server"
"""Who the log names when the caller names nobody."""

OFFICE_TABLES = frozenset({"qualified_agency", "checklist_form", "server_key", NOTICE_TABLE})
"""Tables only the central office writes (a laptop's push to one is refused)."""

REGISTRY_REFUSED = (
    "审查员名录由中心维护：本机不能新增或修改审查员（姓名、单位、证书、角色），"
    "请中心用 inspector-server user add 登记，同步后即可在本机使用"
)
"""Why a laptop's change of the reviewer registry is refused (the laptop holds such rows)."""

CASE_ORDER = RECORD_ORDER
"""The order a case's records are published in: a record after those it refers to."""

SIGNED_ON_CREATION = frozenset({"integrity_declaration", "team_filing", "signature", "amendment"})


class AssignmentError(Exception):
    """A case assignment that cannot be made; the message says why (nothing was written)."""


class ScopeRefused(Exception):
    """A push that changes what its device's reviewer may not change (refused with 403)."""

    mutation_id: str | None = None
    """The refused mutation (the laptop holds back that case and pushes the rest)."""


@dataclass
class Assigned:
    """What `assign_case` did."""

    case_id: str
    application_no: str
    reviewers: list[tuple[str, str]] = field(default_factory=list)
    newly_assigned: list[str] = field(default_factory=list)
    published: int = 0
    unchanged: int = 0
    conflicts: int = 0


# --- reviewers by name or id ---------------------------------------------------------------


def resolve_reviewers(conn: Connection, keys: Sequence[str]) -> list[tuple[str, str]]:
    """Return (id, name) of each reviewer named by id or by name, in order.

    Raises:
        AssignmentError: a key names nobody, or a name matches several reviewers (listed).
    """
    found: list[tuple[str, str]] = []
    for key in keys:
        by_id = conn.execute(select(reviewer).where(reviewer.c.id == key)).first()
        if by_id is not None:
            found.append((by_id.id, by_id.name))
            continue
        named = list(
            conn.execute(select(reviewer).where(reviewer.c.name == key).order_by(reviewer.c.id))
        )
        if not named:
            raise AssignmentError(
                f"no reviewer has the id or name {key!r}; see the registry (inspector-server "
                "status) or add one (inspector-server user add)"
            )
        if len(named) > 1:
            listed = "; ".join(f"{r.id} ({r.name}, {r.unit})" for r in named)
            raise AssignmentError(
                f"{len(named)} reviewers are named {key!r}: {listed}. Name the one you mean by id."
            )
        found.append((named[0].id, named[0].name))
    return list(dict.fromkeys(found))


# --- assignment ----------------------------------------------------------------------------


def _file_records(parsed: ParsedCaseFile) -> list[tuple[str, Any]]:
    """Return (table, record) of everything a case file carries, in publishing order."""
    every = [*parsed.state.records(), *parsed.reviewers]
    tables = [(TABLE_OF[type(r)], r) for r in every]
    return sorted(tables, key=lambda pair: CASE_ORDER.index(pair[0]))


def assign_case(
    storage: Storage,
    parsed: ParsedCaseFile,
    keys: Sequence[str],
    actor: str = DEFAULT_ACTOR,
) -> Assigned:
    """Assign the case of a case file to the reviewers named by `keys` (ids or names), in one
    transaction: the case's records the server lacks are published with the versions the file
    carries; a record whose server version differs from the file's (and does not precede it)
    keeps the server's version and the file's is kept as a conflict; a reviewer newly assigned
    to a case the server already held gets the case's current records again, and its open
    conflicts. Each new assignment is logged with `actor`; one that gives a reviewer back a
    case withdrawn from them tells their laptops (`assignment_notice`).

    Raises:
        AssignmentError: no reviewer named, an unknown or ambiguous name, or the case's
            enterprise differs from the one the server holds for it.
    """
    if not keys:
        raise AssignmentError("name at least one reviewer (--team NAME_OR_ID)")
    case = parsed.state.case
    signed = case.status == CaseStatus.SIGNED_OFF
    done = Assigned(case.id, case.application_no)
    received = now_text()
    with storage.transaction() as conn:
        done.reviewers = resolve_reviewers(conn, keys)
        scope = conn.execute(select(case_scope).where(case_scope.c.case_id == case.id)).first()
        if scope is not None and scope.enterprise_id not in (None, case.enterprise_id):
            raise AssignmentError(
                f"the server holds case {case.id} with enterprise {scope.enterprise_id}, the "
                f"file names {case.enterprise_id}: not the same case; nothing was assigned"
            )
        held_before = _case_heads(conn, case.id, case.enterprise_id)
        if scope is None:
            conn.execute(
                insert(case_scope).values(
                    case_id=case.id,
                    application_no=case.application_no,
                    enterprise_id=case.enterprise_id,
                    source="file",
                    created_at=now_text(),
                )
            )
        for table, record in _file_records(parsed):
            version = parsed.versions[record.id]
            locked = signed or table in SIGNED_ON_CREATION
            payload = {
                "record": to_plain(record),
                "locked": locked,
                "device_id": version.device_id,
                RECEIVED_AT: received,  # the clock a laptop checks the file's acts against
            }
            if table == "review_case" and parsed.time_zone is not None:
                payload[CASE_TIME_ZONE] = parsed.time_zone  # the file's zone travels with it
            head = head_of(conn, table, record.id)
            if head is not None and head.version_id == version.version_id:
                done.unchanged += 1
            elif head is None or head.version_id == version.base_version_id:
                append(
                    conn,
                    record_table=table,
                    record_id=record.id,
                    case_id=None if table == "enterprise" else case.id,
                    version_id=version.version_id,
                    base_version_id=version.base_version_id,
                    device_id=version.device_id or CENTRAL_OFFICE,
                    payload=payload,
                )
                done.published += 1
            else:
                _keep_file_conflict(conn, table, record.id, case.id, version, head, payload)
                done.conflicts += 1
        already = set(
            conn.execute(
                select(case_assignment.c.reviewer_id).where(case_assignment.c.case_id == case.id)
            ).scalars()
        )
        returning = False
        for reviewer_id, _name in done.reviewers:
            if reviewer_id in already:
                continue
            conn.execute(
                insert(case_assignment).values(
                    case_id=case.id, reviewer_id=reviewer_id, assigned_at=now_text()
                )
            )
            returning = returning or withdrawn_from(conn, case.id, reviewer_id)
            log_assignment(conn, case.id, case.application_no, reviewer_id, "assign", actor)
            done.newly_assigned.append(reviewer_id)
        if held_before and done.newly_assigned:
            _publish_again(conn, case.id, case.enterprise_id)
        if done.newly_assigned:
            _conflicts_again(conn, case.id, settled_too=returning)
    return done


def _keep_file_conflict(
    conn: Connection,
    table: str,
    record_id: str,
    case_id: str,
    version: Any,
    head: Any,
    payload: dict[str, Any],
) -> None:
    keep_conflict(
        conn,
        mutation_id=f"file:{uuid.uuid4()}",
        device_id=version.device_id or CENTRAL_OFFICE,
        record_table=table,
        record_id=record_id,
        case_id=case_id,
        version_id=version.version_id,
        base_version_id=version.base_version_id,
        head_version_id=head.version_id,
        reason=(
            f"the assigned case file carries another version than the server's {head.version_id}"
        ),
        payload=json.dumps(payload, ensure_ascii=False, sort_keys=True),
        found_at=now_text(),
    )


def _heads_query(case_id: str, enterprise_id: str | None) -> Any:
    belongs = change.c.case_id == case_id
    if enterprise_id is not None:
        belongs = or_(
            belongs,
            and_(change.c.record_table == "enterprise", change.c.record_id == enterprise_id),
        )
    return (
        select(change)
        .join(record_head, record_head.c.change_seq == change.c.seq)
        .where(belongs)
        .order_by(change.c.seq)
    )


def _case_heads(conn: Connection, case_id: str, enterprise_id: str | None) -> list[Any]:
    rows = list(conn.execute(_heads_query(case_id, enterprise_id)))
    rank = {t: i for i, t in enumerate(CASE_ORDER)}
    return sorted(rows, key=lambda r: (rank.get(r.record_table, len(rank)), r.seq))


def _publish_again(conn: Connection, case_id: str, enterprise_id: str | None) -> None:
    """Append a copy of each record's current version of the case (its enterprise first), so
    that a reviewer assigned after those changes were made, whose cursor is past them, gets
    them; a laptop that has them skips the copies (the same version)."""
    for row in _case_heads(conn, case_id, enterprise_id):
        append(
            conn,
            record_table=row.record_table,
            record_id=row.record_id,
            case_id=row.case_id,
            version_id=row.version_id,
            base_version_id=row.base_version_id,
            device_id=row.device_id,
            payload=json.loads(row.payload),
            move_head=False,
            mutation_id=f"copy:{uuid.uuid4()}",
        )


def _conflicts_again(conn: Connection, case_id: str, *, settled_too: bool = False) -> None:
    """Give the case's open conflicts (with `settled_too`, all of them: a reviewer given the
    case back may hold some as open that were settled meanwhile) new places in the conflicts'
    sequence, so that a reviewer assigned after they moved, whose conflicts cursor is past
    them, gets them (a laptop that has them knows them by id)."""
    query = select(conflict.c.id).where(conflict.c.case_id == case_id)
    if not settled_too:
        query = query.where(conflict.c.resolved_at.is_(None))
    found = conn.execute(query.order_by(conflict.c.event_seq)).scalars()
    for conflict_id in list(found):
        renumber_conflict(conn, conflict_id)


def assign_by_id(
    storage: Storage,
    case_id: str,
    reviewer_id: str,
    application_no: str = "",
    actor: str = DEFAULT_ACTOR,
) -> None:
    """Assign a case, known or not yet, to one reviewer by ids (no records are published but
    copies of those the server holds; logged, and a withdrawn case given back is told)."""
    with storage.transaction() as conn:
        scope = conn.execute(select(case_scope).where(case_scope.c.case_id == case_id)).first()
        if scope is None:
            conn.execute(
                insert(case_scope).values(
                    case_id=case_id,
                    application_no=application_no or case_id,
                    enterprise_id=None,
                    source="file",
                    created_at=now_text(),
                )
            )
        already = conn.execute(
            select(case_assignment).where(
                case_assignment.c.case_id == case_id, case_assignment.c.reviewer_id == reviewer_id
            )
        ).first()
        if already is None:
            conn.execute(
                insert(case_assignment).values(
                    case_id=case_id, reviewer_id=reviewer_id, assigned_at=now_text()
                )
            )
            number = scope.application_no if scope is not None else application_no or case_id
            returning = withdrawn_from(conn, case_id, reviewer_id)
            log_assignment(conn, case_id, number, reviewer_id, "assign", actor)
            _conflicts_again(conn, case_id, settled_too=returning)
        if _case_heads(conn, case_id, None):
            _publish_again(conn, case_id, None)


# --- withdrawing a case from reviewers (un-assigning), and the log ---------------------------


@dataclass
class Unassigned:
    """What `unassign_case` did."""

    case_id: str
    application_no: str
    reviewers: list[tuple[str, str]]
    at: str
    remaining: list[str]


def log_assignment(
    conn: Connection,
    case_id: str,
    application_no: str,
    reviewer_id: str,
    action: str,
    actor: str,
) -> str:
    """Log an assignment (`assign`) or a withdrawal (`unassign`) by `actor`, now. A withdrawal,
    and an assignment that gives a reviewer back a case withdrawn from them, is told to that
    reviewer's laptops by a change of the log (`NOTICE_TABLE`) that only they see. Return
    the time logged."""
    at = now_text()
    notice_seq = None
    if action == "unassign" or withdrawn_from(conn, case_id, reviewer_id):
        payload = {
            "case_id": case_id,
            "application_no": application_no,
            "reviewer_id": reviewer_id,
            "assigned": action == "assign",
            "at": at,
            "by": actor,
        }
        notice_seq = append_change(
            conn,
            mutation_id=f"notice:{uuid.uuid4()}",
            record_table=NOTICE_TABLE,
            record_id=reviewer_id,
            case_id=None,
            version_id=str(uuid.uuid4()),
            base_version_id=None,
            device_id=CENTRAL_OFFICE,
            payload=json.dumps(payload, ensure_ascii=False, sort_keys=True),
            committed_at=at,
        )
    conn.execute(
        insert(assignment_log).values(
            case_id=case_id,
            reviewer_id=reviewer_id,
            action=action,
            actor=actor,
            at=at,
            notice_seq=notice_seq,
        )
    )
    return at


def withdrawn_from(conn: Connection, case_id: str, reviewer_id: str) -> bool:
    """Return whether the case's last logged event for the reviewer is a withdrawal."""
    last = conn.execute(
        select(assignment_log.c.action)
        .where(assignment_log.c.case_id == case_id, assignment_log.c.reviewer_id == reviewer_id)
        .order_by(assignment_log.c.seq.desc())
        .limit(1)
    ).scalar()
    return last == "unassign"


def find_case(conn: Connection, key: str) -> Any:
    """Return the `case_scope` row of the case named by its id or its application number.

    Raises:
        AssignmentError: no such case, or an application number several cases carry.
    """
    by_id = conn.execute(select(case_scope).where(case_scope.c.case_id == key)).first()
    if by_id is not None:
        return by_id
    named = list(conn.execute(select(case_scope).where(case_scope.c.application_no == key)))
    if not named:
        raise AssignmentError(
            f"the office holds no case with the id or application number {key!r}; "
            "see the assigned cases (inspector-server status); nothing was changed"
        )
    if len(named) > 1:
        listed = ", ".join(r.case_id for r in named)
        raise AssignmentError(
            f"{len(named)} cases carry the application number {key!r} ({listed}): name the case "
            "by its id; nothing was changed"
        )
    return named[0]


def unassign_case(
    storage: Storage, case_key: str, keys: Sequence[str], actor: str = DEFAULT_ACTOR
) -> Unassigned:
    """Withdraw a case (by id or application number) from the reviewers named by `keys` (ids
    or names), in one transaction, logged with `actor`: their devices no longer receive the
    case's changes, their pushes of it are refused (403), and at their next pull they are
    told (`NOTICE_TABLE`). Nothing of the case is deleted, on the server or on the laptops.

    Raises:
        AssignmentError: no reviewer named, an unknown case or reviewer, an ambiguous name, or
            a reviewer the case is not assigned to; nothing was changed.
    """
    if not keys:
        raise AssignmentError("name at least one reviewer (--reviewer NAME_OR_ID)")
    with storage.transaction() as conn:
        scope = find_case(conn, case_key)
        people = resolve_reviewers(conn, keys)
        assigned = set(
            conn.execute(
                select(case_assignment.c.reviewer_id).where(
                    case_assignment.c.case_id == scope.case_id
                )
            ).scalars()
        )
        strangers = [f"{name} ({rid})" for rid, name in people if rid not in assigned]
        if strangers:
            raise AssignmentError(
                f"case {scope.application_no} ({scope.case_id}) is not assigned to "
                f"{', '.join(strangers)}; nothing was changed"
            )
        at = now_text()
        for reviewer_id, _name in people:
            conn.execute(
                delete(case_assignment).where(
                    case_assignment.c.case_id == scope.case_id,
                    case_assignment.c.reviewer_id == reviewer_id,
                )
            )
            at = log_assignment(
                conn, scope.case_id, scope.application_no, reviewer_id, "unassign", actor
            )
        remaining = sorted(assigned - {rid for rid, _ in people})
    return Unassigned(scope.case_id, scope.application_no, people, at, remaining)


def withdrawals_in_force(conn: Connection) -> list[dict[str, Any]]:
    """Return each withdrawal still in force (the pair's last logged event), oldest first:
    case, application number, reviewer, who withdrew it and when."""
    last = (
        select(func.max(assignment_log.c.seq))
        .group_by(assignment_log.c.case_id, assignment_log.c.reviewer_id)
        .scalar_subquery()
    )
    rows = conn.execute(
        select(
            assignment_log,
            case_scope.c.application_no,
            reviewer.c.name.label("reviewer_name"),
        )
        .join(case_scope, case_scope.c.case_id == assignment_log.c.case_id)
        .join(reviewer, reviewer.c.id == assignment_log.c.reviewer_id)
        .where(assignment_log.c.seq.in_(last), assignment_log.c.action == "unassign")
        .order_by(assignment_log.c.seq)
    ).all()
    return [
        {
            "case_id": r.case_id,
            "application_no": r.application_no,
            "reviewer_id": r.reviewer_id,
            "reviewer": r.reviewer_name,
            "by": r.actor,
            "at": r.at,
        }
        for r in rows
    ]


# --- what a device sees and may change ------------------------------------------------------


def assigned_cases(reviewer_id: str) -> Any:
    """Return a subquery of the ids of the cases assigned to a reviewer."""
    return select(case_assignment.c.case_id).where(case_assignment.c.reviewer_id == reviewer_id)


def _assigned_enterprises(reviewer_id: str) -> Any:
    return select(case_scope.c.enterprise_id).where(
        case_scope.c.case_id.in_(assigned_cases(reviewer_id))
    )


def visible_to(who: DeviceIdentity) -> ColumnElement[bool]:
    """Return the condition on `change` rows that the device's reviewer may see: its cases'
    records, their enterprises, the records of no case (the office's data, the registry) and
    the notices of cases withdrawn from or given back to this reviewer; attachments' metadata
    stays on the server (a file travels apart, by its hash). A registry record a laptop
    pushed (before the office kept the registry to itself) never goes down to anyone: only
    the office's registry and the reviewers of a case file the office assigned do."""
    pushed = exists().where(mutation.c.mutation_id == change.c.mutation_id)
    seen = or_(
        change.c.case_id.in_(assigned_cases(who.reviewer_id)),
        and_(
            change.c.record_table == "enterprise",
            change.c.record_id.in_(_assigned_enterprises(who.reviewer_id)),
        ),
        and_(change.c.record_table == NOTICE_TABLE, change.c.record_id == who.reviewer_id),
        and_(
            change.c.case_id.is_(None),
            change.c.record_table.not_in(("enterprise", "attachment", NOTICE_TABLE)),
        ),
    )
    return and_(seen, or_(change.c.record_table != "reviewer", ~pushed))


def conflict_visible_to(who: DeviceIdentity) -> ColumnElement[bool]:
    """Return the condition on `conflict` rows a device may read: its own, and its cases'."""
    return or_(
        conflict.c.device_id == who.device_id,
        conflict.c.case_id.in_(assigned_cases(who.reviewer_id)),
    )


def _case_known(conn: Connection, case_id: str) -> bool:
    in_scope = conn.execute(select(case_scope.c.case_id).where(case_scope.c.case_id == case_id))
    if in_scope.first() is not None:
        return True
    return bool(conn.execute(select(exists().where(change.c.case_id == case_id))).scalar())


def _head_case(conn: Connection, record_table: str, record_id: str) -> tuple[bool, str | None]:
    """Return whether the server holds the record, and the case its head belongs to."""
    row = conn.execute(
        select(change.c.case_id)
        .join(record_head, record_head.c.change_seq == change.c.seq)
        .where(record_head.c.record_table == record_table, record_head.c.record_id == record_id)
    ).first()
    return (row is not None, row.case_id if row is not None else None)


def cases_of_enterprise(conn: Connection, enterprise_id: str) -> list[str]:
    """Return the ids of the cases of an enterprise the office knows."""
    found = conn.execute(
        select(case_scope.c.case_id).where(case_scope.c.enterprise_id == enterprise_id)
    ).scalars()
    return list(found)


def check_push(storage: Storage, who: DeviceIdentity, mutations: Sequence[Mutation]) -> None:
    """Refuse a push with a mutation its device's reviewer may not make, before anything of it
    is applied; assign the new cases it creates to that reviewer.

    Raises:
        ScopeRefused: the first refused mutation, and why.
    """
    with storage.transaction() as conn:
        mine = set(conn.execute(assigned_cases(who.reviewer_id)).scalars())
        my_enterprises = set(conn.execute(_assigned_enterprises(who.reviewer_id)).scalars())
        claims: dict[str, tuple[str, str | None]] = {}
        settlements = Settlements(conn, who.reviewer_id, mine, cases_of_enterprise)
        for m in mutations:
            try:
                _check_one(conn, m, mine, my_enterprises, claims)
                if problems := settlements.problems(
                    m, claims
                ):  # a conflict's settlement: a leader's
                    raise ScopeRefused(refusal_text(problems, m))
            except ScopeRefused as error:
                error.mutation_id = m.mutation_id
                raise
            settlements.note(m)
        for case_id, (application_no, enterprise_id) in claims.items():
            conn.execute(
                insert(case_scope).values(
                    case_id=case_id,
                    application_no=application_no,
                    enterprise_id=enterprise_id,
                    source="device",
                    created_at=now_text(),
                )
            )
            conn.execute(
                insert(case_assignment).values(
                    case_id=case_id, reviewer_id=who.reviewer_id, assigned_at=now_text()
                )
            )


def _check_one(
    conn: Connection,
    m: Mutation,
    mine: set[str],
    my_enterprises: set[str | None],
    claims: dict[str, tuple[str, str | None]],
) -> None:
    """Refuse one mutation outside the reviewer's scope (see `check_push`)."""
    refused = f"mutation {m.mutation_id} ({m.record_table} {m.record_id}) refused: "
    if m.record_table in OFFICE_TABLES:
        raise ScopeRefused(refused + "only the central office changes this data")
    if m.record_table == "reviewer":
        # Names, units, certificates and roles are the office's (inspector-server user add):
        # no laptop adds a reviewer, renames one or changes one, whatever case it names.
        raise ScopeRefused(
            f"{REGISTRY_REFUSED}（{refused}the registry is kept by the central office）"
        )
    held, head_case = _head_case(conn, m.record_table, m.record_id)
    if m.record_table == "attachment":
        return  # content-addressed metadata of a file; not sent down (files travel apart)
    if m.record_table == "enterprise":
        claimed = {enterprise for _no, enterprise in claims.values()}
        if held and m.record_id not in my_enterprises and m.record_id not in claimed:
            raise ScopeRefused(
                refused + "the enterprise belongs to a case not assigned to this reviewer"
            )
        return
    if m.record_table not in CASE_ORDER:
        raise ScopeRefused(refused + "unknown record table")
    case_id = m.case_id
    if not case_id:
        raise ScopeRefused(refused + "a record of a case must name its case")
    if m.record_table == "review_case" and m.record_id != case_id:
        raise ScopeRefused(refused + "a case record must name itself as its case")
    if held and head_case != case_id:
        raise ScopeRefused(refused + "the record belongs to another case")
    if case_id in mine or case_id in claims:
        return
    # A case the server has never heard of (made by hand, or carried by a case file) belongs
    # to the reviewer whose device brings it first.
    if m.record_table == "review_case" and not _case_known(conn, case_id):
        record = m.payload.get("record")
        record = record if isinstance(record, dict) else {}
        enterprise, number = record.get("enterprise_id"), record.get("application_no")
        claims[case_id] = (
            number if isinstance(number, str) else case_id,
            enterprise if isinstance(enterprise, str) else None,
        )
        return
    raise ScopeRefused(
        refused + f"case {case_id} is not assigned to this device's reviewer; ask the central "
        "office to assign it (inspector-server case assign). The change stays queued."
    )


def signed_case_refusal(conn: Connection, m: Mutation) -> str:
    """Return why a record cannot join or change in its case (the case is signed on the
    server), or an empty text: a signed case takes no new record and no new version, as on
    the laptops — but for a new amendment (更正说明), the one record made after a sign-off
    (itself signed, so it never changes once there). An enterprise, of no one case, takes no
    new content while a case of it is signed (as on the laptops: `signed_enterprise_unchanged`
    in `inspector_app.core.intake`)."""
    if m.record_table == "enterprise":
        return _signed_enterprise_refusal(conn, m)
    if not m.case_id or m.record_table in ("review_case", "reviewer"):
        return ""
    if m.record_table == "amendment" and head_of(conn, "amendment", m.record_id) is None:
        return ""
    head = head_of(conn, "review_case", m.case_id)
    if head is not None and head.locked:
        return "the case is signed (locked) on the server and takes no change"
    return ""


def _signed_enterprise_refusal(conn: Connection, m: Mutation) -> str:
    """Return why a new version of an enterprise is refused (it changes what the enterprise's
    signed case shows), or an empty text (a new enterprise, the same content, no signed case)."""
    head = head_of(conn, "enterprise", m.record_id)
    if head is None:
        return ""
    stored = conn.execute(select(change.c.payload).where(change.c.seq == head.change_seq)).first()
    if stored is not None and json.loads(stored.payload).get("record") == m.payload.get("record"):
        return ""
    its_cases = select(case_scope.c.case_id).where(case_scope.c.enterprise_id == m.record_id)
    signed = conn.execute(
        select(case_scope.c.application_no)
        .join(
            record_head,
            and_(
                record_head.c.record_table == "review_case",
                record_head.c.record_id == case_scope.c.case_id,
            ),
        )
        .where(case_scope.c.case_id.in_(its_cases), record_head.c.locked == 1)
        .order_by(case_scope.c.application_no)
    ).scalars()
    numbers = list(signed)
    if not numbers:
        return ""
    return (
        f"the enterprise has a signed case ({', '.join(numbers)}) and takes no change; a changed "
        "enterprise is a new enterprise record"
    )
