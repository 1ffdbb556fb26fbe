"""The audit trail's hash chain (谁审查、谁负责): every event carries the hash of the one before.

Pure functions: computing an event's hash and finding where a stored chain was altered,
shortened, had an event removed, or was reordered.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64

# The fields of an event that its hash covers. The sequence number is left out on purpose:
# order is proven by the links, so a reordering shows up as a broken link, not as an alteration.
HASHED_FIELDS = (
    "event_id",
    "case_id",
    "case_seq",
    "at",
    "actor",
    "action",
    "record_table",
    "record_id",
    "version_id",
    "old",
    "new",
)

# Added later: covered by the hash when the event has it, so events written before it existed
# keep their hashes, and removing it from a newer event breaks that event's hash.
OPTIONAL_HASHED_FIELDS = ("actor_id",)


def canonical_json(value: Any) -> str:
    """Return the canonical JSON text of a value (sorted keys, no spaces, UTF-8 kept)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_hash(prev_hash: str, event: Mapping[str, Any]) -> str:
    """Return the SHA-256 (hex) of an event's hashed fields chained to the previous hash."""
    fields = {name: event.get(name) for name in HASHED_FIELDS}
    fields.update(
        {name: event[name] for name in OPTIONAL_HASHED_FIELDS if event.get(name) is not None}
    )
    body = canonical_json(fields)
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    """One place where the stored audit chain is not what was written."""

    seq: int
    kind: str  # "altered" | "removed" | "reordered" | "truncated"
    message: str
    case_id: str | None = None


def verify_chain(
    events: Sequence[Mapping[str, Any]],
    head_hash: str | None = None,
    case_id: str | None = None,
) -> list[ChainProblem]:
    """Check a chain of audit events (ordered by seq) and return every problem found.

    Args:
        events: every stored event, ordered by `seq`, each with the hashed fields plus
            `seq`, `prev_hash` and `hash`.
        head_hash: the hash the workspace recorded for the newest event; catches a removed tail.
        case_id: when given, only problems that touch this case are returned, plus gaps in
            the case's own event numbering.

    Returns:
        The problems, in chain order; empty when the chain is intact.
    """
    problems: list[ChainProblem] = []
    position_of_hash = {str(e["hash"]): i for i, e in enumerate(events)}
    prev_hash = GENESIS_HASH
    for i, event in enumerate(events):
        seq = int(event["seq"])
        own_case = event.get("case_id")
        if event_hash(str(event["prev_hash"]), event) != event["hash"]:
            problems.append(
                ChainProblem(seq, "altered", f"审计事件 #{seq} 的内容被修改（哈希不符）", own_case)
            )
        if event["prev_hash"] != prev_hash:
            linked = position_of_hash.get(str(event["prev_hash"]))
            if linked is not None and linked != i - 1:
                problems.append(
                    ChainProblem(seq, "reordered", f"审计事件 #{seq} 的顺序被调换", own_case)
                )
            else:
                problems.append(
                    ChainProblem(seq, "removed", f"审计事件 #{seq} 之前有事件被删除", own_case)
                )
        prev_hash = str(event["hash"])
    if head_hash is not None and head_hash != prev_hash:
        last = int(events[-1]["seq"]) if events else 0
        problems.append(ChainProblem(last, "truncated", f"审计事件 #{last} 之后的事件被删除", None))
    if case_id is None:
        return problems
    related = [p for p in problems if p.case_id in (case_id, None)]
    return related + _case_gaps(events, case_id)


def _case_gaps(events: Sequence[Mapping[str, Any]], case_id: str) -> list[ChainProblem]:
    """Return problems for gaps in a case's own event numbering (case_seq 1, 2, 3, ...)."""
    problems = []
    expected = 1
    for event in events:
        if event.get("case_id") != case_id:
            continue
        number = int(event["case_seq"])
        if number > expected:
            problems.append(
                ChainProblem(
                    int(event["seq"]),
                    "removed",
                    f"本案第 {expected} 至 {number - 1} 条审计事件缺失",
                    case_id,
                )
            )
        expected = number + 1
    return problems
