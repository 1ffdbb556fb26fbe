"""An enterprise record (申请企业) belongs to no one case: its conflict is settled only by the
leader of one of its cases, and once a case of it is signed off it takes no new content,
whoever brings it (a settlement, a pull, a push to the office), so that the signed case's
documents and case file keep showing the enterprise as it was at sign-off (issue 9)."""

from __future__ import annotations

import httpx
import pytest

from inspector_app.core.errors import RuleViolation
from inspector_app.core.model import Actor, Case, CaseStatus, Enterprise, Role, TeamMember
from inspector_app.store import records, sync_queue
from inspector_app.store.casework import load_case_file
from inspector_app.store.codec import to_plain
from inspector_app.store.conflicts import list_conflicts, resolve_conflict, store_server_conflicts
from inspector_app.store.sql import fetch_all, fetch_one
from inspector_app.store.workspace import Workspace
from sync.server.storage import Storage
from tests.sync.conftest import NOW, token_for
from tests.sync.test_server import mutation, push


def case_of(workspace: Workspace, signed: bool) -> Case:
    """A demo case with a team, signed off or still open."""
    op = "=" if signed else "!="
    row = fetch_one(
        workspace.db,
        f"SELECT c.id FROM review_case c WHERE c.status {op} ? AND EXISTS (SELECT 1 FROM "
        "team_member m WHERE m.case_id = c.id AND m.role = 'leader') ORDER BY c.application_no",
        [CaseStatus.SIGNED_OFF.value],
    )
    assert row is not None
    case = records.load(workspace.db, Case, row["id"])
    assert case is not None
    return case


def team(workspace: Workspace, case_id: str) -> list[TeamMember]:
    return records.load_for_case(workspace.db, TeamMember, case_id)


def enterprise_conflict(workspace: Workspace, enterprise: Enterprise, conflict_id: int) -> int:
    """The office reports a conflict of the enterprise: another version, a new phone."""
    other = {**to_plain(enterprise), "phone": "0000-0000000"}
    store_server_conflicts(
        workspace.db,
        [
            {
                "id": conflict_id,
                "record_table": "enterprise",
                "record_id": enterprise.id,
                "case_id": None,
                "head_version_id": None,
                "head_payload": None,
                "version_id": f"v-{conflict_id}",
                "base_version_id": None,
                "device_id": "d",
                "payload": {"record": other, "locked": False},
                "reason": "stale base version",
                "found_at": NOW.isoformat(),
            }
        ],
    )
    (found,) = [c for c in list_conflicts(workspace.db) if c.record_id == enterprise.id]
    return found.id


def settle(workspace: Workspace, conflict_id: int, who: TeamMember | Actor) -> None:
    actor = who if isinstance(who, Actor) else Actor(who.reviewer_id, who.name)
    resolve_conflict(workspace.db, conflict_id, "other", actor=actor, now=NOW, device="laptop-a")


def test_only_a_leader_of_one_of_its_cases_settles_an_enterprise_conflict(
    workspace: Workspace,
) -> None:
    case = case_of(workspace, signed=False)
    enterprise = records.load(workspace.db, Enterprise, case.enterprise_id)
    assert enterprise is not None
    conflict_id = enterprise_conflict(workspace, enterprise, 801)
    members = team(workspace, case.id)
    leader = next(m for m in members if m.role == Role.LEADER and m.removed_at is None)
    leaders_of_its_cases = {
        r["reviewer_id"]
        for r in fetch_all(
            workspace.db,
            "SELECT m.reviewer_id FROM team_member m JOIN review_case c ON c.id = m.case_id "
            "WHERE c.enterprise_id = ? AND m.role = 'leader' AND m.removed_at IS NULL",
            [enterprise.id],
        )
    }
    others = [m for m in members if m.reviewer_id not in leaders_of_its_cases]
    stranger = fetch_one(
        workspace.db,
        "SELECT id, name FROM reviewer WHERE id NOT IN (SELECT reviewer_id FROM team_member m "
        "JOIN review_case c ON c.id = m.case_id WHERE c.enterprise_id = ?) LIMIT 1",
        [enterprise.id],
    )
    assert stranger is not None
    refused_people: list[TeamMember | Actor] = [*others, Actor(stranger["id"], stranger["name"])]
    assert refused_people
    for who in refused_people:
        with pytest.raises(RuleViolation) as refused:
            settle(workspace, conflict_id, who)
        assert refused.value.rule == "enterprise_conflict_resolved_by_leader"
        assert records.load(workspace.db, Enterprise, enterprise.id) == enterprise
        assert [c.id for c in list_conflicts(workspace.db)] == [conflict_id]
    settle(workspace, conflict_id, leader)
    settled = records.load(workspace.db, Enterprise, enterprise.id)
    assert settled is not None and settled.phone == "0000-0000000"
    assert list_conflicts(workspace.db) == []


def test_the_enterprise_of_a_signed_case_is_not_changed_by_a_settlement(
    workspace: Workspace,
) -> None:
    case = case_of(workspace, signed=True)
    enterprise = records.load(workspace.db, Enterprise, case.enterprise_id)
    assert enterprise is not None
    conflict_id = enterprise_conflict(workspace, enterprise, 802)
    leader = next(m for m in team(workspace, case.id) if m.role == Role.LEADER)
    with pytest.raises(RuleViolation) as refused:
        settle(workspace, conflict_id, leader)
    assert refused.value.rule == "signed_enterprise_unchanged"
    assert case.application_no in str(refused.value)
    assert records.load(workspace.db, Enterprise, enterprise.id) == enterprise
    assert load_case_file(workspace.db, case.id).enterprise == enterprise


def test_a_pulled_version_of_a_signed_cases_enterprise_is_kept_as_a_conflict(
    workspace: Workspace,
) -> None:
    case = case_of(workspace, signed=True)
    enterprise = records.load(workspace.db, Enterprise, case.enterprise_id)
    assert enterprise is not None
    version = records.stored_version(workspace.db, Enterprise, enterprise.id)
    assert version is not None
    change = {
        "seq": 1,
        "record_table": "enterprise",
        "record_id": enterprise.id,
        "case_id": None,
        "version_id": "v-renamed",
        "base_version_id": version.version_id,
        "device_id": "d",
        "payload": {"record": {**to_plain(enterprise), "name": "改名后的企业"}, "locked": False},
    }
    done = sync_queue.store_page(workspace.db, [change], 1, NOW)
    assert done.conflicts == 1
    assert records.load(workspace.db, Enterprise, enterprise.id) == enterprise
    (kept,) = [c for c in list_conflicts(workspace.db) if c.record_id == enterprise.id]
    assert "已有签发的案件" in kept.reason


def of_enterprise(n: int, **more: object) -> dict[str, object]:
    record = {"id": "e-1", "name": "某企业", "credit_code": "x", "address": "地址"}
    fields: dict[str, object] = {
        "mutation_id": f"e-m{n}",
        "record_table": "enterprise",
        "record_id": "e-1",
        "case_id": None,
        "version_id": f"e-v{n}",
        "base_version_id": f"e-v{n - 1}" if n > 1 else None,
        "payload": {"record": {**record, "phone": f"phone-{n}"}, "locked": False},
    }
    return mutation(n, **{**fields, **more})


def test_the_office_keeps_the_enterprise_of_a_signed_case_as_it_was(
    http: httpx.Client, storage: Storage
) -> None:
    """On the server as on the laptops: the enterprise changes while its case is open, not
    after the case is signed (a new version then is kept as a conflict, not applied)."""
    a = token_for(http, storage, "laptop-a", cases=())
    made = mutation(
        1,
        mutation_id="case-1",
        record_table="review_case",
        record_id="c-1",
        case_id="c-1",
        version_id="c-v1",
        payload={"record": {"id": "c-1", "application_no": "XK-1", "enterprise_id": "e-1"}},
    )
    results = push(http, a, of_enterprise(1), made, of_enterprise(2)).json()["results"]
    assert [r["status"] for r in results] == ["applied"] * 3  # open: it may change
    signed = mutation(
        2,
        mutation_id="case-2",
        record_table="review_case",
        record_id="c-1",
        case_id="c-1",
        version_id="c-v2",
        base_version_id="c-v1",
        payload={
            "record": {"id": "c-1", "application_no": "XK-1", "enterprise_id": "e-1"},
            "locked": True,
        },
    )
    assert push(http, a, signed).json()["results"][0]["status"] == "applied"
    late = push(http, a, of_enterprise(3)).json()["results"][0]
    assert late["status"] == "conflict" and "signed case (XK-1)" in late["detail"]
    heads = http.get(
        "/v1/changes", headers=token_for(http, storage, "b", cases=("c-1",), name="李明")
    )
    phones = [
        c["payload"]["record"]["phone"]
        for c in heads.json()["changes"]
        if c["record_table"] == "enterprise"
    ]
    assert phones and phones[-1] == "phone-2"
