"""The conflicts cursor, on both backends: the office numbers each conflict event (kept,
resolved, newly visible to a reviewer assigned later) in one sequence; a laptop asks only for
what moved after its conflicts cursor, kept with the conflicts in one local transaction; a sync
with nothing to do asks nothing about conflicts; a settlement still reaches the other laptop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from alembic import command
from sqlalchemy import insert, select

from inspector_app.core.model import Actor, ChecklistResult, Role, TeamMember
from inspector_app.store import records, sync_queue
from inspector_app.store.conflicts import list_conflicts, resolve_conflict
from inspector_app.store.workspace import Workspace
from sync.server import migrate
from sync.server.storage import Storage, conflict, device, make_engine
from tests.sync.conftest import NOW, token_for
from tests.sync.test_apply import sync
from tests.sync.test_conflicts import conflicted  # noqa: F401  (a fixture)
from tests.sync.test_scope import of_case
from tests.sync.test_server import push
from tests.sync.test_settlement_role import leader_on_office


def conflicts(http: httpx.Client, headers: dict[str, str], after: int = 0) -> dict[str, Any]:
    response = http.get("/v1/conflicts", params={"after": after}, headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def last_page(http: httpx.Client, headers: dict[str, str]) -> dict[str, Any]:
    page = http.get("/v1/changes", headers=headers).json()
    assert page["more"] is False
    return dict(page)


def test_only_conflict_events_after_the_cursor_are_sent(
    http: httpx.Client, storage: Storage
) -> None:
    b = token_for(http, storage, "laptop-b", cases=("c-B",), name="李明")
    b2 = token_for(http, storage, "laptop-b2", cases=("c-B",), name="陈静")
    push(http, b, of_case("c-B", 1), of_case("c-B", 2))
    stale = of_case("c-B", 3, mutation_id="late", version_id="c-B-late", base_version_id="c-B-v1")
    assert push(http, b2, stale).json()["results"][0]["status"] == "conflict"

    first = conflicts(http, b)
    assert [c["version_id"] for c in first["conflicts"]] == ["c-B-late"]
    at = first["cursor"]
    assert last_page(http, b)["conflicts_cursor"] == at
    assert conflicts(http, b, after=at) == {"conflicts": [], "cursor": at}

    # the leader's settlement (made from both versions) moves the conflict past the cursor
    leader_on_office(http, b, storage, "laptop-b", "c-B")
    settle = of_case(
        "c-B",
        4,
        mutation_id="settle",
        version_id="c-B-settled",
        base_version_id="c-B-v2",
        payload={"n": 4, "resolves": ["c-B-v2", "c-B-late"]},
    )
    assert push(http, b, settle).json()["results"][0]["status"] == "applied"
    moved = conflicts(http, b2, after=at)
    assert [(c["version_id"], c["resolved_at"] is not None) for c in moved["conflicts"]] == [
        ("c-B-late", True)
    ]
    assert moved["cursor"] > at and last_page(http, b2)["conflicts_cursor"] == moved["cursor"]
    assert conflicts(http, b)["conflicts"] == []  # from the start: the open ones only


def test_a_reviewer_assigned_later_gets_the_cases_open_conflicts(
    http: httpx.Client, storage: Storage
) -> None:
    from sync.server.assignments import assign_by_id

    b = token_for(http, storage, "laptop-b", cases=("c-B",), name="李明")
    b2 = token_for(http, storage, "laptop-b2", cases=("c-B",), name="陈静")
    push(http, b, of_case("c-B", 1), of_case("c-B", 2))
    push(http, b2, of_case("c-B", 3, mutation_id="late", base_version_id="c-B-v1"))
    c = token_for(http, storage, "laptop-c", cases=("c-C",), name="孙立")
    at = conflicts(http, c)["cursor"]
    assert at > 0 and conflicts(http, c, after=at)["conflicts"] == []
    with storage.reading() as conn:
        rid = conn.execute(select(device.c.reviewer_id).where(device.c.id == "laptop-c")).scalar()
    assign_by_id(storage, "c-B", str(rid))
    newly = conflicts(http, c, after=at)
    assert [x["mutation_id"] for x in newly["conflicts"]] == ["late"]
    assert last_page(http, c)["conflicts_cursor"] == newly["cursor"] > at


def test_a_sync_with_nothing_to_do_asks_nothing_about_conflicts_and_settlements_still_arrive(
    conflicted: tuple[str, ChecklistResult],  # noqa: F811
    workspace: Workspace,
    laptop_b: Workspace,
    http: httpx.Client,
    storage: Storage,
) -> None:
    case_id, result = conflicted
    asked: list[str] = []
    http.event_hooks["request"].append(lambda request: asked.append(request.url.path))

    sync(workspace, http)  # A learns of the conflict B's stale edit left on the office
    assert "/v1/conflicts" in asked
    reported = [c for c in list_conflicts(workspace.db) if c.origin == "server"]
    assert [c.record_id for c in reported] == [result.id]
    cursor = sync_queue.conflicts_cursor(workspace.db)
    assert cursor > 0

    asked.clear()
    report = sync(workspace, http)  # nothing to do
    assert asked == ["/v1/changes"]
    assert report.conflicts_cursor == cursor  # type: ignore[attr-defined]
    assert report.server_conflicts == 0  # type: ignore[attr-defined]

    leader = next(
        m for m in records.load_for_case(laptop_b.db, TeamMember, case_id) if m.role == Role.LEADER
    )
    pulled = next(c for c in list_conflicts(laptop_b.db) if c.origin == "pull")
    resolve_conflict(
        laptop_b.db,
        pulled.id,
        "other",
        actor=Actor(leader.reviewer_id, leader.name),
        now=NOW,
        device="laptop-b",
    )
    sync(laptop_b, http)  # the settlement goes up; the office marks its conflict resolved

    asked.clear()
    sync(workspace, http)
    assert "/v1/conflicts" in asked
    assert list_conflicts(workspace.db) == []  # settled on A too
    settled = list_conflicts(workspace.db, include_resolved=True)
    assert [c.resolved_at is not None for c in settled] == [True]
    assert sync_queue.conflicts_cursor(workspace.db) > cursor
    kept = records.load(workspace.db, ChecklistResult, result.id)
    assert kept is not None and kept.note == "A 的意见"


def test_conflicts_kept_before_the_cursor_existed_are_numbered_by_upgrade(
    tmp_path: Path,
) -> None:
    engine = make_engine(tmp_path, None)
    config = migrate._config()
    with engine.connect() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
        conn.commit()
    with engine.begin() as conn:
        for n in (1, 2):
            conn.execute(
                insert(conflict).values(  # revision 0003 has no event_seq yet
                    {
                        "mutation_id": f"m-{n}",
                        "device_id": "laptop",
                        "record_table": "checklist_result",
                        "record_id": "r",
                        "case_id": "c",
                        "reason": "stale",
                        "payload": "{}",
                        "found_at": NOW.isoformat(),
                    }
                )
            )
    engine.dispose()
    storage = Storage.open(tmp_path)
    try:
        with storage.reading() as conn:
            rows = conn.execute(select(conflict.c.id, conflict.c.event_seq)).all()
        assert sorted(tuple(r) for r in rows) == [(1, 1), (2, 2)]
    finally:
        storage.close()


def test_a_reviewer_given_a_case_back_learns_of_its_conflicts_settled_meanwhile(
    http: httpx.Client, storage: Storage
) -> None:
    from sync.server.assignments import assign_by_id, unassign_case

    b = token_for(http, storage, "laptop-b", cases=("c-B",), name="李明")
    b2 = token_for(http, storage, "laptop-b2", cases=("c-B",), name="陈静")
    push(http, b2, of_case("c-B", 1), of_case("c-B", 2))
    push(http, b2, of_case("c-B", 3, mutation_id="late", base_version_id="c-B-v1"))
    at = conflicts(http, b)["cursor"]
    unassign_case(storage, "c-B", ["李明"], actor="省局张三")
    leader_on_office(http, b2, storage, "laptop-b2", "c-B")
    settle = of_case(
        "c-B", 4, base_version_id="c-B-v2", payload={"n": 4, "resolves": ["c-B-v2", "c-B-v3"]}
    )
    assert push(http, b2, settle).json()["results"][0]["status"] == "applied"
    assert conflicts(http, b, after=at)["conflicts"] == []  # not b's case meanwhile
    with storage.reading() as conn:
        rid = conn.execute(select(device.c.reviewer_id).where(device.c.id == "laptop-b")).scalar()
    assign_by_id(storage, "c-B", str(rid))
    back = conflicts(http, b, after=at)["conflicts"]
    assert [(c["mutation_id"], c["resolved_at"] is not None) for c in back] == [("late", True)]
