"""Per-reviewer case scoping, endpoint by endpoint: another team's case is invisible (pull,
conflicts) and unwritable (push, refused whole with 403 and a message, the outbox kept)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from inspector_app.store.sql import fetch_all
from inspector_app.store.workspace import Workspace
from sync.client.engine import run_sync
from sync.server.assignments import assign_by_id
from sync.server.storage import Storage
from tests.sync.conftest import (
    HEADERS,
    NOW,
    PASSPHRASE,
    copy_workspace,
    enroll_laptop,
    laptop_changes,
    token_for,
)
from tests.sync.test_server import mutation, push


def teams(http: httpx.Client, storage: Storage) -> tuple[dict[str, str], dict[str, str]]:
    """Two devices of two reviewers: team A has case c-A, team B case c-B."""
    a = token_for(http, storage, "laptop-a", cases=("c-A",), name="王建华")
    b = token_for(http, storage, "laptop-b", cases=("c-B",), name="李明")
    return a, b


def of_case(case_id: str, n: int, **more: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "mutation_id": f"{case_id}-m{n}",
        "record_id": f"{case_id}-r",
        "case_id": case_id,
        "version_id": f"{case_id}-v{n}",
        "base_version_id": f"{case_id}-v{n - 1}" if n > 1 else None,
    }
    return mutation(n, **{**fields, **more})


def test_push_for_another_teams_case_is_refused_whole_with_403(
    http: httpx.Client, storage: Storage
) -> None:
    a, b = teams(http, storage)
    assert push(http, b, of_case("c-B", 1)).status_code == 200
    before = laptop_changes(storage)
    # one of its own, then one of the other team's: nothing of the push is applied
    refused = push(http, a, of_case("c-A", 1), of_case("c-B", 2))
    assert refused.status_code == 403
    assert "not assigned" in refused.json()["detail"]
    assert laptop_changes(storage) == before
    assert storage.counts()["mutation"] == 1
    # an id of team B's record, passed off as a record of team A's case
    hijack = push(http, a, of_case("c-A", 1, record_id="c-B-r", base_version_id="c-B-v1"))
    assert hijack.status_code == 403
    assert "another case" in hijack.json()["detail"]
    assert push(http, a, of_case("c-A", 1)).status_code == 200


def test_pull_returns_only_the_teams_own_cases(http: httpx.Client, storage: Storage) -> None:
    a, b = teams(http, storage)
    push(http, a, of_case("c-A", 1))
    push(http, b, of_case("c-B", 1), of_case("c-B", 2))
    seen_by_a = http.get("/v1/changes", headers=a).json()["changes"]
    assert {c["case_id"] for c in seen_by_a} == {None}  # the registry only
    seen_by_b = http.get("/v1/changes", headers=b).json()["changes"]
    assert [c["case_id"] for c in seen_by_b if c["case_id"]] == []  # its own are not echoed
    # a reviewer assigned later, whose cursor may be past those changes, gets them again
    c = token_for(http, storage, "laptop-c", cases=("c-A", "c-B"), name="孙立")
    cursor = http.get("/v1/changes", headers=c).json()["cursor"]
    again = http.get("/v1/changes", params={"after": cursor - 2}, headers=c).json()["changes"]
    assert [ch["version_id"] for ch in again] == ["c-A-v1", "c-B-v2"]  # the heads, copied


def test_conflicts_of_another_team_are_invisible(http: httpx.Client, storage: Storage) -> None:
    a, b = teams(http, storage)
    b2 = token_for(http, storage, "laptop-b2", cases=("c-B",), name="陈静")
    push(http, b, of_case("c-B", 1), of_case("c-B", 2))
    stale = of_case("c-B", 3, mutation_id="late", version_id="c-B-late", base_version_id="c-B-v1")
    assert push(http, b2, stale).json()["results"][0]["status"] == "conflict"
    assert http.get("/v1/conflicts", headers=a).json()["conflicts"] == []
    kept = http.get("/v1/conflicts", headers=b).json()["conflicts"]
    assert [(k["version_id"], k["head_version_id"]) for k in kept] == [("c-B-late", "c-B-v2")]
    assert kept[0]["payload"]["n"] == 3 and kept[0]["head_payload"]["n"] == 2  # both versions


def test_office_data_and_its_registry_cannot_be_pushed(
    http: httpx.Client, storage: Storage
) -> None:
    a, _ = teams(http, storage)
    for table in ("qualified_agency", "checklist_form", "server_key"):
        refused = push(http, a, mutation(1, record_table=table, case_id=None))
        assert refused.status_code == 403
        assert "central office" in refused.json()["detail"]
    registry = http.get("/v1/changes", headers=a).json()["changes"][0]
    rename = mutation(
        1,
        record_table="reviewer",
        record_id=registry["record_id"],
        case_id=None,
        base_version_id=registry["version_id"],
    )
    refused = push(http, a, rename)
    assert refused.status_code == 403 and "registry" in refused.json()["detail"]
    no_case = push(http, a, mutation(1, case_id=None))
    assert no_case.status_code == 403


def test_a_new_case_belongs_to_the_team_that_brings_it(
    http: httpx.Client, storage: Storage
) -> None:
    a, b = teams(http, storage)
    created = mutation(
        1,
        record_table="review_case",
        record_id="c-new",
        case_id="c-new",
        payload={"record": {"id": "c-new", "application_no": "XK-1", "enterprise_id": "e-1"}},
    )
    assert push(http, a, created).json()["results"][0]["status"] == "applied"
    assert push(http, a, of_case("c-new", 1)).status_code == 200
    assert push(http, b, of_case("c-new", 2)).status_code == 403
    assert http.get("/v1/changes", headers=b).json()["changes"][-1]["case_id"] is None


def test_hostile_queries_on_the_new_endpoints_are_4xx(http: httpx.Client, storage: Storage) -> None:
    a, _ = teams(http, storage)
    assert http.get("/v1/conflicts", headers=HEADERS).status_code == 401
    assert http.get("/v1/server-key", headers=HEADERS).status_code == 401
    bad = http.get("/v1/conflicts", params={"include_resolved": "{'x'"}, headers=a)
    assert bad.status_code == 422 and bad.json()["detail"]
    missing = http.get("/v1/server-key", headers=a)
    assert missing.status_code == 404 and "no key" in missing.json()["detail"]


def test_a_laptop_holds_back_another_teams_case_and_pushes_the_rest(
    workspace: Workspace, http: httpx.Client, storage: Storage, tmp_path: Path
) -> None:
    with copy_workspace(workspace.folder, tmp_path / "b") as other:
        other.db.execute("UPDATE meta SET value = 'laptop-b' WHERE key = 'device_id'")
        enroll_laptop(workspace.db, http, storage)
        run_sync(workspace.db, http, passphrase=PASSPHRASE, now=NOW)  # team A claims its cases
        made = enroll_laptop(other.db, http, storage, "李明")
        cases = [r["id"] for r in fetch_all(other.db, "SELECT id FROM review_case ORDER BY id")]
        assign_by_id(storage, cases[0], made.reviewer.id)  # one of them is B's too
        before = fetch_all(other.db, "SELECT * FROM outbox ORDER BY seq")

        report = run_sync(other.db, http, passphrase=PASSPHRASE, now=NOW)

        left = fetch_all(other.db, "SELECT * FROM outbox ORDER BY seq")
        # every row of the other team's cases (and their enterprises) kept, in order, and the
        # registry's (the office's: held, never sent); the rest (B's own case, attachments)
        # went up
        assert [r for r in left if r["case_id"]] == [r for r in before if r["case_id"] in cases[1:]]
        kept = {r["record_table"] for r in left if r["case_id"] is None}
        assert kept == {"enterprise", "reviewer"}
        assert [r for r in left if r["record_table"] == "reviewer"] == [
            r for r in before if r["record_table"] == "reviewer"
        ]
        assert left == [r for r in before if r in left]
        held = [r for r in left if r["record_table"] == "reviewer"]
        assert report.pending == len(left) - len(held) and report.pushed > 0
        assert len(report.registry_held) == len(held)
        assert sum("is not assigned" in h for h in report.held) == len(cases) - 1
        assert all("not assigned" in h for h in report.held)
        again = run_sync(other.db, http, passphrase=PASSPHRASE, now=NOW)
        assert len(again.held) == len(report.held)  # held again, nothing lost, nothing sent
        assert again.pushed == 0 and again.pending == len(left) - len(held)


@pytest.mark.parametrize(
    "hostile",
    [
        {
            "record_table": "review_case",
            "record_id": "c-x",
            "case_id": "c-x",
            "payload": {"record": ["not", "an", "object"]},
        },
        {
            "record_table": "review_case",
            "record_id": "c-y",
            "case_id": "c-y",
            "payload": {"record": {"enterprise_id": {"$ne": 1}, "application_no": 7}},
        },
        {"record_table": "review_case", "record_id": "c-z", "case_id": None},
        {"record_table": "review_case", "record_id": "c-1", "case_id": "c-A"},
        {"record_table": "enterprise", "record_id": "e-1", "case_id": "c-B"},
        {"record_table": "team_member", "record_id": "t-1", "case_id": ""},
        {
            "record_table": "checklist_result",
            "record_id": "r",
            "case_id": "c-A",
            "payload": {"resolves": [{"x": 1}] * 50, "locked": "yes"},
        },
        {"record_table": "attachment", "record_id": "0" * 64, "case_id": "c-B"},
    ],
)
def test_hostile_mutations_get_4xx_or_a_result_never_5xx(
    http: httpx.Client, storage: Storage, hostile: dict[str, Any]
) -> None:
    a, b = teams(http, storage)
    push(http, b, of_case("c-B", 1))
    response = push(http, a, mutation(1, **hostile))
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.json()["detail"]
    seen_by_b = http.get("/v1/changes", headers=b).json()["changes"]
    assert all(c["case_id"] in (None, "c-B") for c in seen_by_b)  # nothing of A's leaks to B
