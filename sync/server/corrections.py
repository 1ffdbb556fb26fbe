"""A record the office refused for a rule (a conflict of kind "rule") corrected on the laptop.

The refused version never became the record's head. The laptop corrects the record in the app
(its rules checked there again), and the corrected version, made from the refused one, comes up
with the refused version as its base. The office reads it as made from what the refused version
was made from (following the refused versions back, each an open rule conflict of the same
record): based on the head, it is no stale edit. Once it is applied, the rule conflicts of the
refused versions it replaces are settled (each at a new place of the conflicts' sequence, so the
laptops learn it at their next sync).
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from sync.protocol import Mutation
from sync.server.rules import RULE_KIND
from sync.server.storage import conflict, renumber_conflict

MAX_CHAIN = 16
"""How many refused versions back a correction is followed."""


def refused_chain(conn: Connection, m: Mutation) -> tuple[str | None, list[int]]:
    """Return the version the correction `m` is made from once its refused versions are
    followed back (its own base when that is no refused version), and the ids of the open rule
    conflicts of those refused versions."""
    base = m.base_version_id
    found: list[int] = []
    for _ in range(MAX_CHAIN):
        if base is None:
            break
        row = conn.execute(
            select(conflict.c.id, conflict.c.base_version_id).where(
                conflict.c.record_table == m.record_table,
                conflict.c.record_id == m.record_id,
                conflict.c.version_id == base,
                conflict.c.kind == RULE_KIND,
                conflict.c.resolved_at.is_(None),
            )
        ).first()
        if row is None or row.id in found:
            break
        found.append(int(row.id))
        base = row.base_version_id
    return base, found


def settle_refused(conn: Connection, conflict_ids: list[int], now: str) -> None:
    """Mark resolved the rule conflicts whose refused versions a correction replaced."""
    for conflict_id in conflict_ids:
        renumber_conflict(conn, conflict_id, resolved_at=now)
