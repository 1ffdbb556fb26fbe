"""The reviewer registry (审查员名录) is the central office's: a laptop's push of a reviewer
record, new or a new version, is refused whole with 403; nothing of it is stored and nothing
goes down to other laptops; a laptop holds its own queued registry rows without holding back
anything else (issue 9)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from inspector_app.core.errors import RuleViolation
from inspector_app.core.model import Actor, Reviewer, UnitType
from inspector_app.store.reviewers import add_reviewer, get_reviewer
from inspector_app.store.sql import fetch_all
from inspector_app.store.sync_queue import REGISTRY_HELD_REASON
from inspector_app.store.workspace import Workspace
from sync.client.engine import run_sync
from sync.protocol import Mutation
from sync.server.storage import Storage, change
from tests.sync.conftest import NOW, PASSPHRASE, enroll_laptop, laptop_changes
from tests.sync.test_scope import of_case, teams
from tests.sync.test_server import mutation, push

NEW_REVIEWER = {
    "record": {
        "id": "r-laptop",
        "name": "冒名",
        "unit": "某单位",
        "unit_type": "inspection_agency",
        "role": "leader",
        "certificate_no": "XKSC-0000",
    }
}


def reviewer_changes(storage: Storage, record_id: str) -> list[Any]:
    with storage.engine.connect() as conn:
        query = select(change).where(
            change.c.record_table == "reviewer", change.c.record_id == record_id
        )
        return list(conn.execute(query))


def laptop_reviewer(
    reviewer_id: str, name: str, unit_type: UnitType, certificate_no: str
) -> Reviewer:
    """A reviewer of 某单位 that the office's registry does not hold."""
    return Reviewer(
        id=reviewer_id,
        name=name,
        unit="某单位",
        unit_type=unit_type,
        certificate_no=certificate_no,
        certificate_expiry=date(2030, 12, 31),
        phone="",
    )


@pytest.mark.parametrize(
    "case_id",
    [None, "c-A", "c-B", ""],
    ids=["no-case", "own-assigned-case", "other-teams-case", "empty-case"],
)
def test_a_laptop_made_reviewer_is_refused_with_403_stored_nowhere_sent_to_no_one(
    http: httpx.Client, storage: Storage, case_id: str | None
) -> None:
    a, b = teams(http, storage)
    before = laptop_changes(storage)
    new = mutation(
        1, record_table="reviewer", record_id="r-laptop", case_id=case_id, payload=NEW_REVIEWER
    )
    # with a change of its own case in the same push: nothing of the push is applied
    refused = push(http, a, of_case("c-A", 1), new)
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("审查员名录由中心维护：")
    assert refused.json()["mutation_id"] == "m-1"
    assert laptop_changes(storage) == before
    assert reviewer_changes(storage, "r-laptop") == []
    for headers in (a, b):
        seen = http.get("/v1/changes", headers=headers).json()["changes"]
        assert "r-laptop" not in {c["record_id"] for c in seen}
    assert push(http, a, of_case("c-A", 1)).status_code == 200  # the rest goes up after


def test_a_rename_of_an_office_reviewer_is_refused_with_403(
    http: httpx.Client, storage: Storage
) -> None:
    a, b = teams(http, storage)
    office = http.get("/v1/changes", headers=b).json()["changes"]
    target = next(c for c in office if c["record_table"] == "reviewer")
    renamed = {"record": {**target["payload"]["record"], "name": "改名", "role": "leader"}}
    for case_id in (None, "c-A"):
        rename = mutation(
            1,
            record_table="reviewer",
            record_id=target["record_id"],
            case_id=case_id,
            base_version_id=target["version_id"],
            payload=renamed,
        )
        refused = push(http, a, rename)
        assert refused.status_code == 403
        assert refused.json()["detail"].startswith("审查员名录由中心维护：")
    assert len(reviewer_changes(storage, target["record_id"])) == 1  # the office's only
    seen = http.get("/v1/changes", headers=b).json()["changes"]
    names = [c["payload"]["record"]["name"] for c in seen if c["record_table"] == "reviewer"]
    assert "改名" not in names


def test_a_reviewer_record_a_laptop_pushed_earlier_never_goes_down(
    http: httpx.Client, storage: Storage
) -> None:
    """A registry record a laptop pushed before this guard (stored by an older server) stays
    on the server, but no laptop receives it, whatever case it names."""
    a, b = teams(http, storage)
    who = storage.authenticate(a["Authorization"].removeprefix("Bearer "))
    assert who is not None
    for n, case_id in enumerate((None, "c-B"), start=1):
        fields = mutation(
            n,
            mutation_id=f"old-{n}",
            record_table="reviewer",
            record_id=f"r-old-{n}",
            case_id=case_id,
            base_version_id=None,
            payload=NEW_REVIEWER,
        )
        assert storage.apply(who, Mutation(**fields)).status == "applied"
    assert len(reviewer_changes(storage, "r-old-1")) == 1
    for headers in (a, b):
        seen = http.get("/v1/changes", headers=headers).json()["changes"]
        assert not {"r-old-1", "r-old-2"} & {c["record_id"] for c in seen}
        assert any(c["record_table"] == "reviewer" for c in seen)  # the office's registry


def test_an_enrolled_laptop_holds_its_queued_reviewers_and_pushes_the_rest(
    workspace: Workspace, http: httpx.Client, storage: Storage, tmp_path: Path
) -> None:
    """The demo's reviewers were added by hand before enrollment: queued, then held (never
    sent, shown with their reason), while every case change goes up; a second sync is the
    same, nothing stuck."""
    queued = fetch_all(
        workspace.db, "SELECT record_id FROM outbox WHERE record_table = 'reviewer' ORDER BY seq"
    )
    assert queued  # the demo's registry, added by hand
    enroll_laptop(workspace.db, http, storage)
    report = run_sync(workspace.db, http, passphrase=PASSPHRASE, now=NOW)
    left = fetch_all(workspace.db, "SELECT record_table, record_id FROM outbox ORDER BY seq")
    assert left == [{"record_table": "reviewer", "record_id": r["record_id"]} for r in queued]
    assert report.pushed > 0 and report.pending == 0 and report.held == []
    held = report.as_json()["registry_held"]
    assert [h["reviewer_id"] for h in held] == [r["record_id"] for r in queued]
    assert all(h["reason"] == REGISTRY_HELD_REASON and h["name"] for h in held)
    for r in queued:
        assert reviewer_changes(storage, r["record_id"]) == []
    again = run_sync(workspace.db, http, passphrase=PASSPHRASE, now=NOW)
    assert again.pushed == 0 and again.pending == 0 and len(again.registry_held) == len(held)


def test_an_enrolled_laptop_refuses_a_reviewer_added_by_hand(
    workspace: Workspace, http: httpx.Client, storage: Storage
) -> None:
    enroll_laptop(workspace.db, http, storage)
    outbox = fetch_all(workspace.db, "SELECT * FROM outbox ORDER BY seq")
    new = laptop_reviewer("r-hand", "手工", UnitType.TECHNICAL_INSTITUTION, "XKSC-1")
    with pytest.raises(RuleViolation) as refused:
        add_reviewer(workspace.db, new, actor=Actor("r-x", "x"), now=NOW)
    assert refused.value.rule == "registry_kept_by_office"
    assert "审查员名录由中心维护" in str(refused.value)
    assert get_reviewer(workspace.db, "r-hand") is None
    assert fetch_all(workspace.db, "SELECT * FROM outbox ORDER BY seq") == outbox


def test_reviewer_add_on_the_command_line_works_offline_and_is_refused_once_enrolled(
    workspace: Workspace, http: httpx.Client, storage: Storage
) -> None:
    from click.testing import CliRunner

    from inspector_app.cli import cli

    def add(name: str) -> Any:
        return CliRunner().invoke(
            cli,
            [
                *("--workspace", str(workspace.folder), "reviewer", "add", "--name", name),
                *("--unit", "省院", "--unit-type", "other", "--certificate-no", "XKSC-9"),
                *("--certificate-expiry", "2030-12-31"),
            ],
        )

    offline = add("离线新增")  # the demo is not enrolled: by hand, as before
    assert offline.exit_code == 0, offline.output
    enroll_laptop(workspace.db, http, storage)
    count = len(fetch_all(workspace.db, "SELECT id FROM reviewer"))
    refused = add("登记后新增")
    assert refused.exit_code == 1
    assert "审查员名录由中心维护" in refused.output and "Traceback" not in refused.output
    assert len(fetch_all(workspace.db, "SELECT id FROM reviewer")) == count


def test_a_case_files_reviewer_joins_an_enrolled_registry_unqueued(
    workspace: Workspace, http: httpx.Client, storage: Storage
) -> None:
    """A case file's reviewer the registry lacks joins it (its team needs it) with the file's
    version, but is never queued: the registry is not the laptop's to change."""
    from inspector_app.store.records import RecordVersion

    enroll_laptop(workspace.db, http, storage)
    outbox = fetch_all(workspace.db, "SELECT * FROM outbox ORDER BY seq")
    carried = laptop_reviewer("r-file", "随文件", UnitType.OTHER, "XKSC-2")
    version = RecordVersion("v-file", None, "laptop-elsewhere")
    add_reviewer(workspace.db, carried, actor=Actor("r-x", "x"), now=NOW, version=version)
    assert get_reviewer(workspace.db, "r-file") == carried
    assert fetch_all(workspace.db, "SELECT * FROM outbox ORDER BY seq") == outbox
