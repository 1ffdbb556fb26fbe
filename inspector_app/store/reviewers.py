"""The reviewer registry (审查员名册): who may act in this workspace, by stable id.

The central office fills it by sync; until then reviewers are added by hand or arrive with a
case file. A display name is for reading: `resolve_reviewer` finds a person by id, or by a name
only when exactly one reviewer bears it.
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from inspector_app.core.errors import Problem, RuleViolation
from inspector_app.core.model import Actor, Reviewer
from inspector_app.core.reviewers import registry_kept_by_office_problems, reviewer_problems
from inspector_app.store import records
from inspector_app.store.codec import from_row
from inspector_app.store.errors import storage_errors
from inspector_app.store.records import RecordVersion, Saved
from inspector_app.store.settings import device_id
from inspector_app.store.sql import fetch_all


def list_reviewers(db: Database) -> list[Reviewer]:
    """Return every reviewer of the registry, by name then unit."""
    rows = fetch_all(db, "SELECT * FROM reviewer ORDER BY name, unit, id")
    return [from_row(Reviewer, row) for row in rows]


def get_reviewer(db: Database, reviewer_id: str) -> Reviewer | None:
    """Return the reviewer with this id, or None."""
    return records.load(db, Reviewer, reviewer_id)


def known_reviewer_ids(db: Database, ids: list[str]) -> set[str]:
    """Return which of the given ids name reviewers of the registry."""
    if not ids:
        return set()
    marks = ",".join("?" for _ in ids)
    rows = fetch_all(db, f"SELECT id FROM reviewer WHERE id IN ({marks})", ids)
    return {row["id"] for row in rows}


def resolve_reviewer(db: Database, key: str) -> Reviewer:
    """Return the reviewer named by `key`: an id, or a name that names exactly one reviewer.

    Raises:
        RuleViolation: no reviewer has this id or name (`reviewer_unknown`), or several share
            the name (`reviewer_ambiguous`, listing each with its unit and id).
    """
    key = key.strip()
    with storage_errors():
        by_id = get_reviewer(db, key)
        if by_id is not None:
            return by_id
        named = [
            from_row(Reviewer, r)
            for r in fetch_all(db, "SELECT * FROM reviewer WHERE name = ? ORDER BY unit, id", [key])
        ]
    if len(named) == 1:
        return named[0]
    if not named:
        raise RuleViolation(
            Problem(
                "reviewer_unknown",
                f"审查员名册中没有 id 或姓名为“{key}”的审查员"
                "（可用 inspector reviewer list 查看，或用 inspector reviewer add 登记）。",
            )
        )
    candidates = "；".join(f"{r.name}（{r.unit}）id {r.id}" for r in named)
    raise RuleViolation(
        Problem(
            "reviewer_ambiguous",
            f"名册中有 {len(named)} 名审查员叫“{key}”：{candidates}。请用 id 指定是哪一位。",
        )
    )


def add_reviewer(
    db: Database,
    reviewer: Reviewer,
    *,
    actor: Actor,
    now: datetime,
    version: RecordVersion | None = None,
) -> Saved:
    """Add a reviewer to the registry (audited, queued for the central office).

    Raises:
        RuleViolation: a field is missing or the id is taken (`reviewer_fields`, `reviewer_id`).
    """
    # Imported here: sync_queue brings in cryptography, which the app's start does without.
    from inspector_app.store.sync_queue import enrolled_server

    problems = reviewer_problems(reviewer)
    enrolled = enrolled_server(db)
    if version is None:
        problems += registry_kept_by_office_problems(enrolled)
    with storage_errors(), db.atomic():
        if get_reviewer(db, reviewer.id) is not None:
            problems.append(
                Problem("reviewer_id", f"审查员名册中已有 id 为 {reviewer.id} 的审查员。")
            )
        if problems:
            raise RuleViolation(problems)
        # A case file's reviewer in an enrolled workspace is kept here for the file's team but
        # never queued: the office's registry is not the laptop's to change.
        return records.save(
            db,
            reviewer,
            actor=actor,
            now=now,
            device=device_id(db),
            version=version,
            queue=enrolled is None,
        )
