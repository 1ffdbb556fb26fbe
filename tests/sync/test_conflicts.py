"""`inspector conflicts`: both kinds of conflict listed with both versions, settled by the
case's leader only, the settlement synced (the office marks its conflict resolved, the other
laptop takes the settled version)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import insert

from inspector_app.cli import cli
from inspector_app.core.errors import RuleViolation
from inspector_app.core.model import Actor, ChecklistResult, Role, TeamMember
from inspector_app.store import records, sync_queue
from inspector_app.store.codec import to_plain
from inspector_app.store.conflicts import list_conflicts, resolve_conflict
from inspector_app.store.reviewers import add_reviewer, get_reviewer
from inspector_app.store.sql import fetch_all
from inspector_app.store.workspace import Workspace
from sync.client.engine import enroll
from sync.server.assignments import assign_by_id
from sync.server.storage import Storage, enrollment_code, token_hash
from sync.server.storage import reviewer as server_reviewer
from tests.sync.conftest import CHEAP_KDF, NOW, PASSPHRASE, new_code
from tests.sync.test_apply import (
    IN_REVIEW,
    case_id_of,
    edit_note,
    enroll_as,
    first_result,
    sync,
)


def register_at_office(storage: Storage, source: Workspace, member: TeamMember) -> str:
    """Put the team member's reviewer, as `source` holds it, in the office's registry (with
    the id the case's team names, as the office's registry and the laptops' share ids in use);
    return a one-time enrollment code for them."""
    person = get_reviewer(source.db, member.reviewer_id)
    assert person is not None
    code = f"code-of-{member.reviewer_id}"
    with storage.transaction() as conn:
        conn.execute(
            insert(server_reviewer).values(
                id=person.id,
                name=person.name,
                unit=person.unit,
                unit_type=person.unit_type.value,
                role="reviewer",
                certificate_no=person.certificate_no,
                certificate_expiry=person.certificate_expiry.isoformat(),
                created_at=NOW.isoformat(),
            )
        )
        conn.execute(
            insert(enrollment_code).values(
                code_hash=token_hash(code), reviewer_id=person.id, created_at=NOW.isoformat()
            )
        )
    return code


def enroll_with_code(
    laptop: Workspace,
    source: Workspace,
    http: httpx.Client,
    storage: Storage,
    reviewer_id: str,
    code: str,
    server_url: str = "http://testserver",
) -> str:
    """Enroll the fresh `laptop` with `code` as the reviewer `reviewer_id` (registered by
    `register_at_office`); the laptop's registry gets them as `source` holds them unless the
    office already publishes them (a case file it was assigned). Return the id."""
    if storage.head_change("reviewer", reviewer_id) is None:
        person = get_reviewer(source.db, reviewer_id)
        assert person is not None
        add_reviewer(laptop.db, person, actor=Actor("tester", "测试"), now=NOW)
    enroll(
        laptop.db,
        http,
        server_url=server_url,
        code=code,
        passphrase=PASSPHRASE,
        kdf_n=CHEAP_KDF,
    )
    return reviewer_id


def enroll_as_member(
    laptop: Workspace,
    source: Workspace,
    http: httpx.Client,
    storage: Storage,
    member: TeamMember,
) -> str:
    """Enroll the fresh `laptop` as the device of the team member's reviewer (the office
    checks who settles a conflict by the device's reviewer); return the reviewer id."""
    code = register_at_office(storage, source, member)
    return enroll_with_code(laptop, source, http, storage, member.reviewer_id, code)


def leader_of(workspace: Workspace, case_id: str) -> TeamMember:
    """The case's leader on its team, as `workspace` holds it."""
    return next(
        m for m in records.load_for_case(workspace.db, TeamMember, case_id) if m.role == Role.LEADER
    )


@pytest.fixture
def conflicted(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> tuple[str, ChecklistResult]:
    """Laptops A and B edited the same result; A synced first, then B. B is the device of the
    case's leader; 李明, of no role on the team, is in the office's registry too."""
    enroll_as(workspace, http, storage, "王建华")
    sync(workspace, http)
    case_id = case_id_of(workspace, IN_REVIEW)
    new_code(storage, "李明")
    leader = enroll_as_member(laptop_b, workspace, http, storage, leader_of(workspace, case_id))
    assign_by_id(storage, case_id, leader)
    sync(laptop_b, http)
    result = first_result(workspace, case_id)
    edit_note(workspace, result, "A 的意见")
    edit_note(laptop_b, result, "B 的意见")
    sync(workspace, http)
    sync(laptop_b, http)
    return case_id, result


def test_conflicts_are_listed_with_both_versions(
    conflicted: tuple[str, ChecklistResult], laptop_b: Workspace
) -> None:
    shown = CliRunner().invoke(cli, ["--workspace", str(laptop_b.folder), "conflicts", "--json"])
    assert shown.exit_code == 0, shown.output
    found = json.loads(shown.output)
    assert sorted(c["origin"] for c in found) == ["pull", "server"]
    pulled = next(c for c in found if c["origin"] == "pull")
    assert (pulled["current"]["note"], pulled["other"]["note"]) == ("B 的意见", "A 的意见")
    reported = next(c for c in found if c["origin"] == "server")
    assert (reported["current"]["note"], reported["other"]["note"]) == ("A 的意见", "B 的意见")
    text = CliRunner().invoke(cli, ["--workspace", str(laptop_b.folder), "conflicts"])
    assert "现行版本 current" in text.output and "另一版本 other" in text.output


def test_only_the_leader_settles_and_the_settlement_syncs(
    conflicted: tuple[str, ChecklistResult],
    workspace: Workspace,
    laptop_b: Workspace,
    http: httpx.Client,
    storage: Storage,
) -> None:
    case_id, result = conflicted
    conflict = next(c for c in list_conflicts(laptop_b.db) if c.origin == "pull")
    # 李明 is in B's registry (from the office) but not the case's leader
    refused = CliRunner().invoke(
        cli,
        [
            "--workspace",
            str(laptop_b.folder),
            "--user",
            "李明",
            "conflicts",
            "resolve",
            str(conflict.id),
            "--keep",
            "other",
        ],
    )
    assert refused.exit_code == 1 and "组长" in refused.output
    assert "Traceback" not in refused.output
    leader = next(
        m for m in records.load_for_case(laptop_b.db, TeamMember, case_id) if m.role == Role.LEADER
    )
    with pytest.raises(RuleViolation, match="current"):
        resolve_conflict(
            laptop_b.db,
            conflict.id,
            "both",
            actor=Actor(leader.reviewer_id, leader.name),
            now=NOW,
            device="laptop-b",
        )

    saved = resolve_conflict(
        laptop_b.db,
        conflict.id,
        "other",
        actor=Actor(leader.reviewer_id, leader.name),
        now=NOW,
        device="laptop-b",
    )

    assert list_conflicts(laptop_b.db) == []  # both of the record's conflicts are settled
    kept = records.load(laptop_b.db, ChecklistResult, result.id)
    assert kept is not None and kept.note == "A 的意见"
    report = sync(laptop_b, http)
    assert report.conflicts == []  # type: ignore[attr-defined]  # based on the server's
    on_server = list(storage.conflicts())
    assert on_server and all(c["resolved_at"] is not None for c in on_server)
    sync(workspace, http)
    on_a = records.stored_version(workspace.db, ChecklistResult, result.id)
    assert on_a is not None and on_a.version_id == saved.version_id
    assert sync_queue.outbox_count(workspace.db) == 0
    assert fetch_all(workspace.db, "SELECT * FROM sync_conflict", []) == []


def test_an_unknown_conflict_is_refused_clearly(laptop_b: Workspace, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "--workspace",
            str(laptop_b.folder),
            "--user",
            "nobody",
            "conflicts",
            "resolve",
            "7",
            "--keep",
            "other",
        ],
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    with pytest.raises(RuleViolation, match="没有待处理的冲突 #99"):
        resolve_conflict(
            laptop_b.db, 99, "other", actor=Actor("r", "某人"), now=NOW, device="laptop-b"
        )
    none = CliRunner().invoke(cli, ["--workspace", str(laptop_b.folder), "conflicts"])
    assert none.exit_code == 0 and "没有待处理的同步冲突" in none.output


def test_settling_a_conflict_of_one_case_never_writes_into_another(workspace: Workspace) -> None:
    """A conflict the office reports for case A whose kept version names case B (a buggy or
    hostile device's push) is refused: the leader of A settles A's records only, and case B
    (here one with no team at all) gets nothing."""
    from inspector_app.store.conflicts import store_server_conflicts

    case_a = case_id_of(workspace, "XK08-2026-0201")  # on site, led by 王建华
    case_b = case_id_of(workspace, "XK06-2026-0101")  # accepted, no team yet
    stranger = first_result(workspace, case_a)
    other = {**to_plain(stranger), "id": "r-moved", "case_id": case_b, "note": "搬到别的案件"}
    store_server_conflicts(
        workspace.db,
        [
            {
                "id": 901,
                "record_table": "checklist_result",
                "record_id": "r-moved",
                "case_id": case_a,
                "head_version_id": None,
                "head_payload": None,
                "version_id": "v-moved",
                "base_version_id": None,
                "device_id": "d",
                "payload": {"record": other, "locked": False},
                "reason": "stale base version",
                "found_at": NOW.isoformat(),
            }
        ],
    )
    (conflict,) = [c for c in list_conflicts(workspace.db) if c.record_id == "r-moved"]
    leader = next(
        m for m in records.load_for_case(workspace.db, TeamMember, case_a) if m.role == Role.LEADER
    )
    with pytest.raises(RuleViolation):
        resolve_conflict(
            workspace.db,
            conflict.id,
            "other",
            actor=Actor(leader.reviewer_id, leader.name),
            now=NOW,
            device="laptop-a",
        )
    assert records.load_for_case(workspace.db, ChecklistResult, case_b) == []
    assert [c.id for c in list_conflicts(workspace.db) if c.record_id == "r-moved"] == [conflict.id]
