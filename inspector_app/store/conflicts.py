"""Sync conflicts in the workspace: those found when applying a pull and those the central
office reported, each with both versions; and the leader's settlement, a new version of the
record made from both (based on the version the server holds), queued like any change.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from inspector_app.core import conflicts as rules
from inspector_app.core import intake
from inspector_app.core.errors import Problem, RuleViolation, refuse_if
from inspector_app.core.model import Actor, Enterprise, TeamMember
from inspector_app.store import enterprises, records
from inspector_app.store.codec import TABLE_OF, from_row, to_plain
from inspector_app.store.errors import storage_errors
from inspector_app.store.records import RecordVersion, Saved
from inspector_app.store.settings import load_settings
from inspector_app.store.sql import fetch_all, fetch_one
from inspector_app.store.withdrawals import refuse_if_withdrawn

CLASS_OF = {table: cls for cls, table in TABLE_OF.items()}


@dataclass(frozen=True)
class SyncConflict:
    """One conflict with both versions (`current`: in force; `other`: kept apart)."""

    id: int
    origin: str  # "pull" (found here) or "server" (reported by the central office)
    record_table: str
    record_id: str
    case_id: str | None
    reason: str
    current_version_id: str | None
    current: dict[str, Any] | None
    other_version_id: str | None
    other: dict[str, Any] | None
    found_at: str
    resolved_at: str | None
    resolution_version_id: str | None

    def as_json(self) -> dict[str, Any]:
        """Return the conflict as plain JSON values (with its kind and the settlements that
        make sense for it)."""
        return {**self.__dict__, "kind": self.kind, "choices": list(self.choices)}

    @property
    def kind(self) -> str:
        """ "rule" (the office refused the laptop's version for a rule) or "version"."""
        return "rule" if rules.is_rule_conflict(self.reason) else "version"

    @property
    def choices(self) -> tuple[str, ...]:
        """The settlements that make sense for the conflict (`core.conflicts.conflict_choices`):
        for a rule conflict only the office's version, when it holds one."""
        if self.origin != "server":
            return rules.CHOICES
        return rules.conflict_choices(self.reason, self.current is not None)


def _record_of(payload: Any) -> dict[str, Any] | None:
    if isinstance(payload, dict) and isinstance(payload.get("record"), dict):
        return dict(payload["record"])
    return payload if isinstance(payload, dict) else None


def list_conflicts(db: Database, *, include_resolved: bool = False) -> list[SyncConflict]:
    """Return the workspace's conflicts, oldest first (open ones only unless asked); none in
    a workspace that sync has not reached yet (opened read-only before its migration)."""
    if "sync_conflict" not in db.table_names():
        return []
    where = "" if include_resolved else "WHERE resolved_at IS NULL"
    rows = fetch_all(db, f"SELECT * FROM sync_conflict {where} ORDER BY id", [])
    return [
        SyncConflict(
            id=r["id"],
            origin=r["origin"],
            record_table=r["record_table"],
            record_id=r["record_id"],
            case_id=r["case_id"],
            reason=r["reason"],
            current_version_id=r["current_version_id"],
            current=json.loads(r["current_record"]) if r["current_record"] else None,
            other_version_id=r["other_version_id"],
            other=_record_of(json.loads(r["other_payload"])),
            found_at=r["found_at"],
            resolved_at=r["resolved_at"],
            resolution_version_id=r["resolution_version_id"],
        )
        for r in rows
    ]


def store_server_conflicts(db: Database, reported: Sequence[dict[str, Any]]) -> int:
    """Keep the conflicts the central office reported (by its id; once each, updated when it
    marks one resolved); return how many are new. In one transaction."""
    new = 0
    with storage_errors(), db.atomic():
        for c in reported:
            head = c.get("head_payload")
            current = _record_of(head) if head is not None else None
            known = fetch_one(
                db, "SELECT id FROM sync_conflict WHERE server_conflict_id = ?", [c["id"]]
            )
            if known is not None:
                if c.get("resolved_at"):
                    db.execute(
                        "UPDATE sync_conflict SET resolved_at = coalesce(resolved_at, ?) "
                        "WHERE id = ?",
                        [c["resolved_at"], known["id"]],
                    )
                continue
            db.execute(
                "INSERT INTO sync_conflict (origin, server_conflict_id, record_table, "
                "record_id, case_id, current_version_id, current_record, other_version_id, "
                "other_base_version_id, other_device_id, other_payload, reason, found_at, "
                "resolved_at) VALUES ('server', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    c["id"],
                    c["record_table"],
                    c["record_id"],
                    c.get("case_id"),
                    c.get("head_version_id"),
                    json.dumps(current, ensure_ascii=False) if current is not None else None,
                    c.get("version_id"),
                    c.get("base_version_id"),
                    c.get("device_id"),
                    json.dumps(c.get("payload"), ensure_ascii=False, sort_keys=True),
                    c.get("reason", ""),
                    c.get("found_at", ""),
                    c.get("resolved_at"),
                ],
            )
            new += 1
    return new


def _server_version(c: dict[str, Any]) -> str | None:
    """Return the version the central office holds for the conflict's record."""
    if c["origin"] == "server":
        return c["current_version_id"]  # type: ignore[no-any-return]
    return c["other_version_id"]  # type: ignore[no-any-return]  # it came from the server


def resolve_conflict(
    db: Database, conflict_id: int, keep: str, *, actor: Actor, now: datetime, device: str
) -> Saved:
    """Settle a conflict by the case's leader: store the kept version's content as a new
    version based on the version the central office holds, naming both versions it was made
    from (queued, so the office marks its conflicts resolved too); mark every open conflict of
    the record between those versions resolved. One transaction.

    Raises:
        RuleViolation: not the leader, an unknown choice or conflict, a signed record, or a
            case withdrawn from this reviewer.
    """
    refuse_if(rules.conflict_choice_problems(keep))
    with storage_errors(), db.atomic():
        c = fetch_one(db, "SELECT * FROM sync_conflict WHERE id = ?", [conflict_id])
        if c is None or c["resolved_at"] is not None:
            raise RuleViolation(
                Problem("conflict_open", f"没有待处理的冲突 #{conflict_id}（可能已处理）。")
            )
        if c["origin"] == "server":  # a rule conflict: the refused version is not kept as is
            refuse_if(
                rules.rule_conflict_choice_problems(
                    c["reason"], keep, c["current_record"] is not None
                )
            )
        cls = CLASS_OF.get(c["record_table"])
        if cls is None:
            raise RuleViolation(
                Problem("conflict_open", f"冲突 #{conflict_id} 的记录类型无法在本机处理。")
            )
        if c["case_id"]:
            refuse_if_withdrawn(db, c["case_id"], load_settings(db).calendar)
        if c["record_table"] == "enterprise":  # of no one case: a leader of one of its cases
            members = enterprises.members_of_cases(db, c["record_id"])
            refuse_if(rules.enterprise_conflict_resolver_problems(actor.id, members))
        else:
            members = records.load_for_case(db, TeamMember, c["case_id"]) if c["case_id"] else []
            refuse_if(rules.conflict_resolver_problems(actor.id, c["case_id"], members))
        chosen = (
            json.loads(c["current_record"]) if keep == "current" and c["current_record"] else None
        )
        if keep == "other":
            chosen = _record_of(json.loads(c["other_payload"]))
        if keep == "current" and chosen is None:  # found here: the version in force is local
            stored = records.load(db, cls, c["record_id"])
            chosen = to_plain(stored) if stored is not None else None
        if chosen is None:
            raise RuleViolation(Problem("conflict_open", "所选版本的内容不存在，无法采用。"))
        refuse_if(
            rules.settled_record_problems(c["record_table"], c["record_id"], c["case_id"], chosen)
        )
        if c["record_table"] == "enterprise":
            refuse_if(
                intake.signed_enterprise_unchanged_problems(
                    records.load(db, Enterprise, c["record_id"]),
                    from_row(Enterprise, chosen),
                    enterprises.signed_application_nos(db, c["record_id"]),
                )
            )
        both = tuple(v for v in (c["current_version_id"], c["other_version_id"]) if v)
        from inspector_app.core.model import new_id

        saved = records.save(
            db,
            from_row(cls, chosen),
            actor=actor,
            now=now,
            device=device,
            version=RecordVersion(new_id(), _server_version(c), device),
            resolves=both,
        )
        db.execute(
            "UPDATE sync_conflict SET resolved_at = ?, resolved_by = ?, "
            "resolution_version_id = ? WHERE resolved_at IS NULL AND record_table = ? "
            "AND record_id = ?",
            [now.isoformat(), actor.id, saved.version_id, c["record_table"], c["record_id"]],
        )
    return saved
