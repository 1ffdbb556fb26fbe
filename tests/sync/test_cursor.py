"""The pull cursor never skips a change, on SQLite and PostgreSQL, with writers on several
connections at once: a change whose transaction commits late (its sequence number taken
before another writer's, its commit after) is still seen by a reader that pulled meanwhile.
Every wait is bounded."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import text

from sync.protocol import Mutation
from sync.server.assignments import assign_by_id
from sync.server.storage import DeviceIdentity, Storage, append_change
from tests.sync.conftest import new_code


def writer(storage: Storage, device: str) -> DeviceIdentity:
    code = new_code(storage)
    made = storage.enroll(code, device, device)
    assert made is not None
    who = storage.authenticate(made[0])
    assert who is not None
    return who


def mutation(name: str) -> Mutation:
    return Mutation(
        mutation_id=name,
        record_table="checklist_result",
        record_id=f"r-{name}",
        case_id="c-1",
        version_id=f"v-{name}",
        payload={"result": "符合"},
        created_at="2026-11-26T08:00:00+00:00",
    )


def change_values(name: str, device: str) -> dict[str, Any]:
    return {
        "mutation_id": name,
        "record_table": "checklist_result",
        "record_id": f"r-{name}",
        "case_id": "c-1",
        "version_id": f"v-{name}",
        "base_version_id": None,
        "device_id": device,
        "payload": "{}",
        "committed_at": "2026-11-26T08:00:00+00:00",
    }


def reader_of(storage: Storage) -> DeviceIdentity:
    """A device whose reviewer is assigned the case the writers write to (it may see them)."""
    who = writer(storage, "reader-device")
    assign_by_id(storage, "c-1", who.reviewer_id)
    return who


def pull_all(storage: Storage, who: DeviceIdentity, cursor: int, seen: list[str]) -> int:
    """Pull every page after `cursor` as the device `who` does, noting the writers' results
    (not the office's registry); return the new cursor."""
    while True:
        changes, cursor, more = storage.changes_after(who, cursor, 7)
        seen.extend(c.record_id.removeprefix("r-") for c in changes if c.record_id[:2] == "r-")
        if not more:
            return cursor


def wait_until_blocked(storage: Storage, thread: threading.Thread) -> None:
    """Wait (bounded) until `thread` waits for the writers' lock."""
    if storage.dialect == "postgresql":
        deadline = time.monotonic() + 10
        while True:
            with storage.reading() as conn:
                waiting = conn.execute(
                    text(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                    )
                ).scalar_one()
            if waiting:
                return
            assert thread.is_alive(), "the second writer finished without waiting"
            assert time.monotonic() < deadline, "the second writer never waited for the lock"
            time.sleep(0.01)
    else:  # SQLite: the second BEGIN IMMEDIATE waits on the busy timeout; give it a moment
        time.sleep(0.3)
        assert thread.is_alive(), "the second writer finished while the first was open"


def test_a_change_that_commits_late_is_not_skipped(storage: Storage) -> None:
    first = writer(storage, "laptop-1")
    second = writer(storage, "laptop-2")
    reader = reader_of(storage)
    inserted, release = threading.Event(), threading.Event()

    def slow_writer() -> None:
        with storage.transaction() as conn:
            append_change(conn, **change_values("late", first.device_id))
            inserted.set()
            assert release.wait(30)

    slow = threading.Thread(target=slow_writer)
    slow.start()
    assert inserted.wait(10)
    fast = threading.Thread(target=lambda: storage.apply(second, mutation("quick")))
    fast.start()
    wait_until_blocked(storage, fast)

    seen: list[str] = []
    cursor = pull_all(storage, reader, 0, seen)
    assert seen == []  # nothing committed yet: the quick writer waits for the slow one
    release.set()
    slow.join(10)
    fast.join(10)
    assert not slow.is_alive() and not fast.is_alive()
    pull_all(storage, reader, cursor, seen)
    assert seen == ["late", "quick"]


def test_concurrent_writers_and_a_pulling_reader_miss_nothing(storage: Storage) -> None:
    devices = [writer(storage, f"laptop-{n}") for n in range(4)]
    reader = reader_of(storage)
    per_writer = 20
    errors: list[BaseException] = []

    def write(who: DeviceIdentity) -> None:
        try:
            for n in range(per_writer):
                storage.apply(who, mutation(f"{who.device_id}-{n}"))
        except BaseException as error:  # reported by the test below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(who,)) for who in devices]
    for t in threads:
        t.start()
    seen: list[str] = []
    cursor = 0
    while any(t.is_alive() for t in threads):
        cursor = pull_all(storage, reader, cursor, seen)
    for t in threads:
        t.join(30)
    assert not errors
    pull_all(storage, reader, cursor, seen)
    expected = {f"laptop-{d}-{n}" for d in range(4) for n in range(per_writer)}
    assert len(seen) == len(expected) and set(seen) == expected


def test_without_serialized_writers_postgresql_would_skip_a_late_commit(
    storage: Storage,
) -> None:
    """The hazard the writers' lock prevents is real: two plain transactions commit out of
    sequence order and a reader's cursor passes the late one (proof the test above can fail)."""
    if storage.dialect != "postgresql":
        pytest.skip("SQLite serializes every writer itself (BEGIN IMMEDIATE)")
    reader = reader_of(storage)
    with storage.engine.connect() as late, storage.engine.connect() as quick:
        late.begin()
        append_change(late, **change_values("late", "laptop-1"))
        quick.begin()
        append_change(quick, **change_values("quick", "laptop-2"))
        quick.commit()
        seen: list[str] = []
        cursor = pull_all(storage, reader, 0, seen)
        late.commit()
    pull_all(storage, reader, cursor, seen)
    assert seen == ["quick"]  # "late" was skipped
