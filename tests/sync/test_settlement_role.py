"""Who settles a sync conflict, as the central office checks it (both backends, through the
HTTP API): the laptop's rule (`core.conflicts`), applied by the office to a push that settles a
conflict. A device of a reviewer who is not the case's leader (or, for an enterprise, a leader
of one of its cases) gets 403 in the domain's words and nothing of the push changes the
office's store; the leader's device settles it; a team member the same push brings counts."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
from sqlalchemy import select

from inspector_app.core.model import Actor, ChecklistResult, Role, TeamMember, UnitType
from inspector_app.store import records, sync_queue
from inspector_app.store.codec import to_plain
from inspector_app.store.conflicts import list_conflicts, resolve_conflict
from inspector_app.store.workspace import Workspace
from sync.client.engine import SyncReport
from sync.server.assignments import assign_by_id
from sync.server.storage import Storage, conflict, device
from tests.sync.conftest import NOW, token_for
from tests.sync.live import running_server
from tests.sync.test_apply import IN_REVIEW, case_id_of, edit_note, enroll_as, first_result, sync
from tests.sync.test_conflicts import enroll_as_member, leader_of
from tests.sync.test_scope import of_case
from tests.sync.test_server import push


def reviewer_of(storage: Storage, device_id: str) -> str:
    """The registry id of the reviewer whose device `device_id` is."""
    with storage.reading() as conn:
        found = conn.execute(select(device.c.reviewer_id).where(device.c.id == device_id))
        return str(found.scalar_one())


def member(case_id: str, reviewer_id: str, role: Role, n: int = 1) -> dict[str, Any]:
    """A push of a new team member of `case_id` naming the reviewer `reviewer_id`."""
    record = TeamMember(
        id=f"{case_id}-member-{n}",
        case_id=case_id,
        reviewer_id=reviewer_id,
        name=f"审查员{n}",
        unit="江苏省产品质量监督检验研究院",
        unit_type=UnitType.TECHNICAL_INSTITUTION,
        certificate_no=f"XKSC-2026-{n:04d}",
        certificate_expiry=date(2030, 12, 31),
        role=role,
        phone="13900001111",
    )
    return {
        "mutation_id": f"{case_id}-member-m{n}",
        "record_table": "team_member",
        "record_id": record.id,
        "case_id": case_id,
        "version_id": f"{case_id}-member-v{n}",
        "base_version_id": None,
        "payload": {"record": to_plain(record), "locked": False},
        "created_at": "2026-11-26T08:00:00+00:00",
    }


def leader_on_office(
    http: httpx.Client, headers: dict[str, str], storage: Storage, device_id: str, case_id: str
) -> None:
    """Push, from `device_id`, a team member naming its reviewer as the case's leader."""
    made = push(http, headers, member(case_id, reviewer_of(storage, device_id), Role.LEADER, 9))
    assert made.status_code == 200, made.text


def office_state(storage: Storage) -> tuple[dict[str, int], list[tuple[str, Any]]]:
    """What the office holds: its row counts and each conflict's resolution."""
    with storage.reading() as conn:
        kept = conn.execute(select(conflict.c.mutation_id, conflict.c.resolved_at)).all()
    return storage.counts(), sorted((str(r[0]), r[1]) for r in kept)


def stale_conflict(http: httpx.Client, storage: Storage) -> tuple[dict[str, str], dict[str, str]]:
    """Case c-B of two devices: 李明's (a member) and 陈静's (the leader); a stale push of
    陈静's kept as a conflict. Return both devices' headers (member, leader)."""
    b = token_for(http, storage, "laptop-b", cases=("c-B",), name="李明")
    lead = token_for(http, storage, "laptop-lead", cases=("c-B",), name="陈静")
    push(http, b, member("c-B", reviewer_of(storage, "laptop-b"), Role.MEMBER, 1))
    push(http, lead, member("c-B", reviewer_of(storage, "laptop-lead"), Role.LEADER, 2))
    push(http, b, of_case("c-B", 1), of_case("c-B", 2))
    late = of_case("c-B", 3, mutation_id="late", version_id="c-B-late", base_version_id="c-B-v1")
    assert push(http, lead, late).json()["results"][0]["status"] == "conflict"
    return b, lead


SETTLE = of_case(
    "c-B",
    4,
    mutation_id="settle",
    version_id="c-B-settled",
    base_version_id="c-B-v2",
    payload={"n": 4, "resolves": ["c-B-v2", "c-B-late"]},
)


def test_a_member_s_device_cannot_settle_a_case_conflict_and_nothing_changes(
    http: httpx.Client, storage: Storage
) -> None:
    b, lead = stale_conflict(http, storage)
    before = office_state(storage)

    refused = push(http, b, of_case("c-B", 9, mutation_id="fine", record_id="c-B-other"), SETTLE)

    assert refused.status_code == 403
    detail = refused.json()["detail"]
    assert "只有本案的审查组组长可以处理同步冲突" in detail
    assert refused.json()["mutation_id"] == "settle"
    assert office_state(storage) == before  # nothing of the push, the conflict still open
    assert [c for _m, c in before[1]] == [None]

    settled = push(http, lead, SETTLE)  # the leader's device settles it
    assert settled.status_code == 200 and settled.json()["results"][0]["status"] == "applied"
    assert [resolved is not None for _m, resolved in office_state(storage)[1]] == [True]


def test_a_removed_leader_s_device_cannot_settle(http: httpx.Client, storage: Storage) -> None:
    _b, lead = stale_conflict(http, storage)
    removed = member("c-B", reviewer_of(storage, "laptop-lead"), Role.LEADER, 2)
    removed["payload"]["record"]["removed_at"] = "2026-11-26T08:30:00+00:00"
    removed.update(
        mutation_id="removed", version_id="c-B-member-v2b", base_version_id="c-B-member-v2"
    )
    assert push(http, lead, removed).json()["results"][0]["status"] == "applied"
    refused = push(http, lead, SETTLE)
    assert refused.status_code == 403 and "组长" in refused.json()["detail"]


def test_a_case_with_no_team_at_the_office_takes_no_settlement_until_its_leader_comes(
    http: httpx.Client, storage: Storage
) -> None:
    b = token_for(http, storage, "laptop-b", cases=("c-B",), name="李明")
    push(http, b, of_case("c-B", 1), of_case("c-B", 2))
    assert push(http, b, SETTLE).status_code == 403
    # the team member the same push brings, before the settlement, counts
    lead = member("c-B", reviewer_of(storage, "laptop-b"), Role.LEADER, 5)
    assert push(http, b, lead, SETTLE).json()["results"][1]["status"] == "applied"


def test_an_enterprise_s_conflict_is_settled_only_by_a_leader_of_one_of_its_cases(
    http: httpx.Client, storage: Storage
) -> None:
    b = token_for(http, storage, "laptop-b", cases=(), name="李明")
    case = {
        "mutation_id": "case-e",
        "record_table": "review_case",
        "record_id": "c-E",
        "case_id": "c-E",
        "version_id": "c-E-v1",
        "base_version_id": None,
        "payload": {"record": {"enterprise_id": "e-1", "application_no": "XK-E"}},
        "created_at": "2026-11-26T08:00:00+00:00",
    }

    def enterprise(n: int, **more: Any) -> dict[str, Any]:
        return {
            "mutation_id": f"e-m{n}",
            "record_table": "enterprise",
            "record_id": "e-1",
            "case_id": None,
            "version_id": f"e-v{n}",
            "base_version_id": f"e-v{n - 1}" if n > 1 else None,
            "payload": {"n": n},
            "created_at": "2026-11-26T08:00:00+00:00",
            **more,
        }

    assert push(http, b, case, enterprise(1)).status_code == 200
    settle = enterprise(2, payload={"n": 2, "resolves": ["e-v1"]})
    before = office_state(storage)
    refused = push(http, b, settle)
    assert refused.status_code == 403
    assert "只有该企业某一案件的审查组组长" in refused.json()["detail"]
    assert office_state(storage) == before
    leader = member("c-E", reviewer_of(storage, "laptop-b"), Role.LEADER, 1)
    assert push(http, b, leader).status_code == 200
    assert push(http, b, settle).json()["results"][0]["status"] == "applied"


def test_a_laptop_whose_reviewer_is_no_leader_has_its_settlement_held_with_the_reason(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    """The laptop's own rule looks at whoever acts on it (the leader signed in on 李明's
    laptop); the office knows only the device's reviewer, 李明, and refuses: the settlement
    stays queued, held, with the reason; the office's conflict stays open."""
    enroll_as(workspace, http, storage, "王建华")
    sync(workspace, http)
    case_id = case_id_of(workspace, IN_REVIEW)
    assign_by_id(storage, case_id, enroll_as(laptop_b, http, storage, "李明"))
    sync(laptop_b, http)
    result = settled_on_b_by(leader_of(laptop_b, case_id), workspace, laptop_b, http, case_id)
    before = office_state(storage)

    report = sync(laptop_b, http)

    assert isinstance(report, SyncReport)
    assert report.applied == 0 and len(report.held) == 1
    assert "只有本案的审查组组长可以处理同步冲突" in report.held[0]
    assert sync_queue.outbox_count(laptop_b.db) == 1  # kept, not lost
    assert office_state(storage) == before
    assert all(resolved is None for _m, resolved in before[1])
    on_a = records.load(workspace.db, ChecklistResult, result.id)
    assert on_a is not None and on_a.note == "A 的意见"


def test_the_leader_s_laptop_settles_through_the_office(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    """The same settlement from the leader's own device goes through (the office marks it)."""
    enroll_as(workspace, http, storage, "王建华")
    sync(workspace, http)
    case_id = case_id_of(workspace, IN_REVIEW)
    leader = leader_of(workspace, case_id)
    assign_by_id(storage, case_id, enroll_as_member(laptop_b, workspace, http, storage, leader))
    sync(laptop_b, http)
    settled_on_b_by(leader, workspace, laptop_b, http, case_id)
    report = sync(laptop_b, http)
    assert isinstance(report, SyncReport) and report.held == [] and report.applied == 1
    assert all(resolved is not None for _m, resolved in office_state(storage)[1])


def test_over_a_loopback_socket_the_member_gets_403_and_the_leader_settles(
    storage: Storage,
) -> None:
    """The same through the real server on a socket (uvicorn), not the in-process transport."""
    with running_server(storage) as url, httpx.Client(base_url=url) as http:
        b, lead = stale_conflict(http, storage)
        before = office_state(storage)
        refused = push(http, b, SETTLE)
        assert refused.status_code == 403
        assert "只有本案的审查组组长可以处理同步冲突" in refused.json()["detail"]
        assert office_state(storage) == before
        assert push(http, lead, SETTLE).json()["results"][0]["status"] == "applied"
    assert [resolved is not None for _m, resolved in office_state(storage)[1]] == [True]


def settled_on_b_by(
    leader: TeamMember, workspace: Workspace, laptop_b: Workspace, http: httpx.Client, case_id: str
) -> ChecklistResult:
    """Edit a result's note on both laptops, sync both, and settle laptop B's pulled conflict
    as `leader` ("keep the other"); return the result."""
    result = first_result(workspace, case_id)
    edit_note(workspace, result, "A 的意见")
    edit_note(laptop_b, result, "B 的意见")
    sync(workspace, http)
    sync(laptop_b, http)
    pulled = next(c for c in list_conflicts(laptop_b.db) if c.origin == "pull")
    resolve_conflict(
        laptop_b.db,
        pulled.id,
        "other",
        actor=Actor(leader.reviewer_id, leader.name),
        now=NOW,
        device="laptop-b",
    )
    return result
