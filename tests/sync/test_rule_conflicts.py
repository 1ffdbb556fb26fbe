"""Settling a rule conflict (the office refused the laptop's version for a rule of its case),
on both backends: keeping the refused version as it is is refused on the laptop in the rule's
words and nothing is queued (it would only be refused again); taking the office's version
settles it at the office; correcting the record in the app (its rules checked again there)
goes up as a version made from the refused one, which the office takes (no stale-base
conflict) and which settles the rule conflict there and on the laptop."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest
from click.testing import CliRunner

from inspector_app.cli import cli
from inspector_app.core.errors import RuleViolation
from inspector_app.core.model import Actor, ChecklistResult
from inspector_app.store import records, sync_queue
from inspector_app.store.casework import Casework
from inspector_app.store.conflicts import SyncConflict, list_conflicts, resolve_conflict
from inspector_app.store.settings import device_id
from inspector_app.store.workspace import Workspace
from sync.client.engine import SyncReport
from sync.server.assignments import assign_by_id
from sync.server.storage import Storage
from tests.sync.conftest import NOW
from tests.sync.test_apply import case_id_of, enroll_as, first_result, sync
from tests.sync.test_conflicts import enroll_as_member, leader_of
from tests.sync.test_sync_rules import broken, save_as_is

ON_SITE = "XK08-2026-0201"  # a demo case under on-site review, with results


class Refused:
    """The leader's laptop B, whose result the office refused for a rule (before the filing)."""

    def __init__(
        self, workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
    ) -> None:
        enroll_as(workspace, http, storage, "王建华")
        sync(workspace, http)
        self.case_id = case_id_of(workspace, ON_SITE)
        self.leader = leader_of(workspace, self.case_id)
        assign_by_id(
            storage,
            self.case_id,
            enroll_as_member(laptop_b, workspace, http, storage, self.leader),
        )
        sync(laptop_b, http)
        self.a, self.b, self.http, self.storage = workspace, laptop_b, http, storage
        self.office_version = first_result(laptop_b, self.case_id)
        self.refused_version = save_as_is(
            laptop_b, broken(self.office_version, "before the filing", laptop_b)
        )
        report = sync(laptop_b, http)
        assert isinstance(report, SyncReport) and len(report.conflicts) == 1

    @property
    def actor(self) -> Actor:
        return Actor(self.leader.reviewer_id, self.leader.name)

    def conflict(self) -> SyncConflict:
        (found,) = [c for c in list_conflicts(self.b.db) if c.origin == "server"]
        return found

    def office_conflicts(self) -> list[tuple[str, bool]]:
        """Each of the office's conflicts: its kind and whether it is settled."""
        return [(c["kind"], c["resolved_at"] is not None) for c in self.storage.conflicts()]


@pytest.fixture
def refused(
    workspace: Workspace, laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> Refused:
    return Refused(workspace, laptop_b, http, storage)


def test_a_rule_conflict_offers_only_the_office_s_version_with_the_reason(
    refused: Refused,
) -> None:
    c = refused.conflict()
    assert c.kind == "rule" and c.choices == ("current",)
    assert c.other is not None and c.other["note"] == "早"
    shown = CliRunner().invoke(cli, ["--workspace", str(refused.b.folder), "conflicts", "--json"])
    (listed,) = [x for x in json.loads(shown.output) if x["origin"] == "server"]
    assert (listed["kind"], listed["choices"]) == ("rule", ["current"])
    text = CliRunner().invoke(cli, ["--workspace", str(refused.b.folder), "conflicts"])
    assert "违反规则被中心拒收" in text.output and "改正该记录" in text.output


def test_keeping_the_refused_version_is_refused_here_and_never_sent(refused: Refused) -> None:
    c = refused.conflict()
    with pytest.raises(RuleViolation) as no:
        resolve_conflict(
            refused.b.db,
            c.id,
            "other",
            actor=refused.actor,
            now=NOW,
            device=device_id(refused.b.db),
        )
    assert no.value.problems[0].rule == "rule_conflict_not_kept"
    assert "result_within_review" in str(no.value) and "改正" in str(no.value)
    assert sync_queue.outbox_count(refused.b.db) == 0  # nothing queued to be refused again
    assert refused.conflict().resolved_at is None
    # the CLI says the same, without a traceback
    said = CliRunner().invoke(
        cli,
        [
            "--workspace",
            str(refused.b.folder),
            "--user",
            refused.leader.reviewer_id,
            "conflicts",
            "resolve",
            str(c.id),
            "--keep",
            "other",
        ],
    )
    assert said.exit_code == 1 and "再次被拒收" in said.output and "Traceback" not in said.output
    report = sync(refused.b, refused.http)
    assert isinstance(report, SyncReport) and report.pushed == 0
    assert refused.office_conflicts() == [("rule", False)]


def test_taking_the_office_s_version_settles_it_at_the_office(refused: Refused) -> None:
    c = refused.conflict()
    resolve_conflict(
        refused.b.db, c.id, "current", actor=refused.actor, now=NOW, device=device_id(refused.b.db)
    )
    kept = records.load(refused.b.db, ChecklistResult, refused.office_version.id)
    assert kept is not None and kept.note == refused.office_version.note
    report = sync(refused.b, refused.http)
    assert isinstance(report, SyncReport)
    assert report.applied == 1 and report.conflicts == [] and report.held == []
    assert refused.office_conflicts() == [("rule", True)]


def test_a_correction_in_the_app_goes_up_and_settles_the_rule_conflict(refused: Refused) -> None:
    here = records.load(refused.b.db, ChecklistResult, refused.office_version.id)
    assert here is not None and here.note == "早"
    steps = Casework(refused.b.db, refused.actor, lambda: NOW + timedelta(hours=1))
    # the app checks the rules again: the same refused time is refused here too
    with pytest.raises(RuleViolation):
        steps.record_result(replace(here, note="仍然太早"))
    corrected = replace(here, assessed_at=refused.office_version.assessed_at, note="改正后的意见")
    steps.record_result(corrected)
    queued = sync_queue.outbox_count(refused.b.db)
    assert queued == 1

    report = sync(refused.b, refused.http)

    assert isinstance(report, SyncReport)
    assert report.applied == 1 and report.conflicts == []  # made from the refused one: no stale
    assert refused.office_conflicts() == [("rule", True)]
    assert list_conflicts(refused.b.db) == []  # the laptop learns it is settled
    head = refused.storage.head_change("checklist_result", refused.office_version.id)
    assert head is not None and head.payload["record"]["note"] == "改正后的意见"
    sync(refused.a, refused.http)
    on_a = records.load(refused.a.db, ChecklistResult, refused.office_version.id)
    assert on_a is not None and on_a.note == "改正后的意见"
