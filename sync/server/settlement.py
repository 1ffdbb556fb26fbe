"""Who may settle a sync conflict, as the central office checks it at a push.

A leader settles a conflict on the laptop (`store.conflicts.resolve_conflict`): the kept
version goes up as a new version whose payload names the versions it was made from
(`resolves`), and the office marks its conflicts of the record resolved
(`sync.server.routes.mark_resolved`). The office applies the laptop's rule to such a push,
the domain's own functions (`inspector_app.core.conflicts`), over the case's team as the
office holds it (the heads of its team members, with those the same push brings before the
settlement): a case's conflict is settled by a leader on that case's team, an enterprise's by
a leader of one of its cases assigned to the device's reviewer. Anyone else's settlement is
refused (403) before anything of the push is applied, in the domain's words.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Connection, select

from inspector_app.core import conflicts as rules
from inspector_app.core.errors import Problem
from inspector_app.core.model import TeamMember
from sync.protocol import Mutation
from sync.server.rules import decode
from sync.server.storage import change, record_head


def settles(m: Mutation) -> bool:
    """Whether the mutation is a conflict's settlement (it names the versions it resolves)."""
    resolves = m.payload.get("resolves")
    return isinstance(resolves, list) and any(isinstance(v, str) for v in resolves)


def _team_heads(conn: Connection, case_ids: Any) -> list[TeamMember]:
    """Return the team members the office holds (their heads) of the cases `case_ids` (a
    list or a subquery)."""
    rows = conn.execute(
        select(change.c.payload)
        .join(record_head, record_head.c.change_seq == change.c.seq)
        .where(record_head.c.record_table == "team_member", change.c.case_id.in_(case_ids))
    ).scalars()
    found = (decode("team_member", json.loads(payload)) for payload in rows)
    return [m for m in found if isinstance(m, TeamMember)]


class Settlements:
    """Checks the settlements of one push, in order: the team members an earlier mutation of
    the same push brings count as the office's (they are applied before the settlement)."""

    def __init__(
        self,
        conn: Connection,
        reviewer_id: str,
        mine: set[str],
        cases_of_enterprise: Callable[[Connection, str], Iterable[str]],
    ) -> None:
        self.conn = conn
        self.cases_of_enterprise = cases_of_enterprise
        self.reviewer_id = reviewer_id
        self.mine = mine
        self.pushed: dict[str, TeamMember] = {}

    def _members(self, case_ids: list[str]) -> list[TeamMember]:
        held = {m.id: m for m in _team_heads(self.conn, case_ids)}
        held.update({k: m for k, m in self.pushed.items() if m.case_id in case_ids})
        return list(held.values())

    def problems(self, m: Mutation, claimed: dict[str, tuple[str, str | None]]) -> list[Problem]:
        """Return why the device's reviewer may not settle the conflict `m` settles (none when
        `m` settles nothing, or its reviewer is a leader the rule accepts); `claimed`: the
        cases the push brings new (id: application number, enterprise)."""
        if not settles(m):
            return []
        if m.record_table == "enterprise":
            its_cases = self.cases_of_enterprise(self.conn, m.record_id)
            new = {c for c, (_no, enterprise) in claimed.items() if enterprise == m.record_id}
            cases = sorted((set(its_cases) & self.mine) | new)
            return rules.enterprise_conflict_resolver_problems(
                self.reviewer_id, self._members(cases)
            )
        if not m.case_id:
            return []
        return rules.conflict_resolver_problems(
            self.reviewer_id, m.case_id, self._members([m.case_id])
        )

    def note(self, m: Mutation) -> None:
        """Count a team member the push brings (before a later settlement of its case)."""
        if m.record_table != "team_member":
            return
        member = decode("team_member", m.payload)
        if isinstance(member, TeamMember) and member.id == m.record_id:
            self.pushed[member.id] = member


def refusal_text(problems: list[Problem], m: Mutation) -> str:
    """Return the 403's detail for a refused settlement: the domain's message first."""
    said = "；".join(str(p) for p in problems)
    return (
        f"{said}中心按本设备登记的审查员核对，此处理未被采用，仍在本机队列中"
        f"（mutation {m.mutation_id} ({m.record_table} {m.record_id}) refused）"
    )
