"""The audit chain finds an altered, a removed, a reordered and a truncated event."""

from __future__ import annotations

from typing import Any

from inspector_app.core.audit_chain import GENESIS_HASH, event_hash, verify_chain


def chain(n: int, case_id: str = "c1") -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    prev = GENESIS_HASH
    for i in range(1, n + 1):
        event = {
            "seq": i,
            "event_id": f"e{i}",
            "case_id": case_id,
            "case_seq": i,
            "at": "2026-11-26T08:00:00+00:00",
            "actor": "王建华",
            "action": "update",
            "record_table": "checklist_result",
            "record_id": "r",
            "version_id": f"v{i}",
            "old": None,
            "new": f'{{"n":{i}}}',
            "prev_hash": prev,
        }
        event["hash"] = event_hash(prev, event)
        prev = event["hash"]
        events.append(event)
    return events


def kinds(problems: list[Any]) -> list[tuple[int, str]]:
    return [(p.seq, p.kind) for p in problems]


def test_verify_chain_accepts_an_intact_chain() -> None:
    events = chain(5)
    assert verify_chain(events, events[-1]["hash"]) == []


def test_verify_chain_finds_an_altered_event() -> None:
    events = chain(5)
    events[2]["actor"] = "别人"
    assert kinds(verify_chain(events, events[-1]["hash"])) == [(3, "altered")]


def test_verify_chain_finds_a_removed_event() -> None:
    events = chain(5)
    del events[2]
    problems = verify_chain(events, events[-1]["hash"], case_id="c1")
    assert (4, "removed") in kinds(problems)
    assert any("第 3 至 3 条" in p.message for p in problems)


def test_verify_chain_finds_a_reordered_pair() -> None:
    events = chain(5)
    events[1], events[2] = events[2], events[1]
    assert "reordered" in {p.kind for p in verify_chain(events, events[-1]["hash"])}


def test_verify_chain_finds_a_removed_tail() -> None:
    events = chain(5)
    head = events[-1]["hash"]
    assert kinds(verify_chain(events[:-1], head)) == [(4, "truncated")]


def test_verify_chain_finds_a_removed_event_whose_successor_was_relinked() -> None:
    # The hash covers the previous event's hash: pointing the next event at the one before the
    # removed event breaks that event's own hash, whatever the per-case numbering says.
    events = chain(5, case_id=None)  # type: ignore[arg-type]
    removed = events.pop(2)
    events[2]["prev_hash"] = removed["prev_hash"]
    problems = verify_chain(events, events[-1]["hash"])
    assert (4, "altered") in kinds(problems)


def test_event_hash_covers_the_actor_id_when_the_event_has_one() -> None:
    event = chain(1)[0]
    with_id = {**event, "actor_id": "r1"}
    assert event_hash(GENESIS_HASH, with_id) != event_hash(GENESIS_HASH, event)
    assert event_hash(GENESIS_HASH, with_id) != event_hash(
        GENESIS_HASH, {**with_id, "actor_id": "r2"}
    )
