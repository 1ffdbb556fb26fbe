"""Two laptops of one team and the central office, driven in random order by hypothesis.

Laptop A is the leader's (王建华, demo case "f", sampled and ready to sign off); laptop B a
member's, to whom the office assigned the same case. Each step edits a checklist result's
note on one laptop, signs the case off on the leader's laptop (every record becomes a signed
version, queued), or syncs one laptop with the office (in-process, SQLite). After every step:
every change a laptop acknowledged and then synced is on the server (applied, or kept as a
conflict: a losing edit is never dropped); the outbox of a laptop that synced is empty; a
record once seen signed, on a laptop or on the server, never changes again; once the office
holds the case signed, none of its records changes there. After a last sync of both: nothing
waits in an outbox or in `sync_inbox`, and each laptop holds the server's version of every
record of the case, or a recorded conflict where it does not.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from inspector_app.core.model import Actor, ChecklistResult
from inspector_app.demo import demo_id
from inspector_app.store import records, sync_queue
from inspector_app.store.attachment_fetch import missing_attachments, referenced_hashes
from inspector_app.store.attachments import add_attachment, attachment_path
from inspector_app.store.casework import Casework
from inspector_app.store.codec import TABLE_OF
from inspector_app.store.errors import SignedRecordError
from inspector_app.store.settings import device_id
from inspector_app.store.sql import fetch_all
from inspector_app.store.workspace import Workspace, open_workspace
from sync.client.attachments import _hashes_in
from sync.client.engine import enroll, run_sync
from sync.server.app import create_app
from sync.server.assignments import assign_by_id
from sync.server.attachments import AttachmentFiles
from sync.server.storage import Storage, attachment, change, conflict, record_head
from tests.sync.asgi import asgi_client
from tests.sync.conftest import CHEAP_KDF, NOW, PASSPHRASE, new_code

CASE = demo_id("f", "case")
LEADER = Actor(demo_id("reviewer", "wang"), "王建华")
MEMBER = Actor(demo_id("reviewer", "wang2"), "王建华")
EDITED = 4  # results both laptops edit: few, so that edits meet
LAPTOPS = ("A", "B")

MACHINE_SETTINGS = settings(
    max_examples=int(os.environ.get("SYNC_MACHINE_EXAMPLES", "15")),
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def build_template(demo_template: Path, root: Path) -> Path:
    """The starting point of every run, made once: the office (SQLite) holding laptop A's demo
    workspace, case f assigned to laptop B's reviewer too, and B synced (it holds the case)."""
    storage = Storage.open(root / "server")
    shutil.copytree(demo_template, root / "A")
    try:
        with (
            asgi_client(create_app(storage)) as http,
            open_workspace(root / "A") as a,
            open_workspace(root / "B") as b,
        ):
            reviewer_b = ""
            for workspace in (a, b):
                reviewer_b = enroll(
                    workspace.db,
                    http,
                    server_url="http://testserver",
                    code=new_code(storage, "王建华"),
                    passphrase=PASSPHRASE,
                    kdf_n=CHEAP_KDF,
                ).reviewer.id
            run_sync(a.db, http, passphrase=PASSPHRASE, now=NOW)
            assign_by_id(storage, CASE, reviewer_b)
            run_sync(b.db, http, passphrase=PASSPHRASE, now=NOW)
            assert records.case_versions(b.db, CASE) == records.case_versions(a.db, CASE)
    finally:
        storage.close()
    return root


def server_heads(storage: Storage) -> dict[tuple[str, str], tuple[str | None, bool]]:
    """The server's head of every record of the case: its version, and whether it is signed."""
    with storage.reading() as conn:
        rows = conn.execute(
            select(
                record_head.c.record_table,
                record_head.c.record_id,
                record_head.c.version_id,
                record_head.c.locked,
            )
            .join(change, change.c.seq == record_head.c.change_seq)
            .where(change.c.case_id == CASE)
        )
        return {(r.record_table, r.record_id): (r.version_id, bool(r.locked)) for r in rows}


def server_versions(storage: Storage) -> set[str]:
    """Every version the server holds: in its change log or kept as a conflict."""
    with storage.reading() as conn:
        logged = set(conn.execute(select(change.c.version_id)).scalars())
        kept = set(conn.execute(select(conflict.c.version_id)).scalars())
    return logged | kept


def laptop_heads(workspace: Workspace) -> dict[tuple[str, str], tuple[str | None, bool]]:
    """The laptop's version of every record of the case, and whether it is signed."""
    found = {}
    for table in ("review_case", *CASE_TABLES):
        column = "id" if table == "review_case" else "case_id"
        for row in fetch_all(
            workspace.db,
            f"SELECT id, version_id, locked FROM {table} WHERE {column} = ?",
            [CASE],
        ):
            found[(table, row["id"])] = (row["version_id"], bool(row["locked"]))
    return found


CASE_TABLES = tuple(
    t for t in TABLE_OF.values() if t not in ("reviewer", "enterprise", "review_case")
)
"""The tables of a case's own records (each row names its case)."""


class TwoLaptops(RuleBasedStateMachine):
    """The office and two laptops of case f's team; see the module's docstring."""

    template: Path
    root: Path
    runs = 0

    def __init__(self) -> None:
        super().__init__()
        type(self).runs += 1
        self.folder = self.root / f"run-{self.runs}"
        shutil.copytree(self.template, self.folder)
        self.storage = Storage.open(self.folder / "server")
        self.http = asgi_client(create_app(self.storage))
        self.laptops = {name: open_workspace(self.folder / name) for name in LAPTOPS}
        self.clock = NOW
        self.acked: dict[str, list[str]] = {name: [] for name in LAPTOPS}
        self.signed_seen: dict[str, dict[tuple[str, str], str | None]] = {
            name: {} for name in (*LAPTOPS, "server")
        }
        self.signed_on_server: dict[tuple[str, str], str | None] | None = None
        self.synced_once = {name: False for name in LAPTOPS}
        results = records.load_for_case(self.laptops["A"].db, ChecklistResult, CASE)
        self.results = [r.id for r in results[:EDITED]]
        assert len(self.results) == EDITED

    def tick(self) -> Any:
        self.clock += timedelta(minutes=1)
        return self.clock

    @initialize()
    def start(self) -> None:
        """Nothing waits anywhere at the start."""
        for workspace in self.laptops.values():
            assert sync_queue.outbox_count(workspace.db) == 0

    @rule(
        laptop=st.sampled_from(LAPTOPS),
        which=st.integers(0, EDITED - 1),
        note=st.sampled_from(["已核查相关记录。", "现场复核：记录齐全", "企业已整改", ""]),
    )
    def edit(self, laptop: str, which: int, note: str) -> None:
        """A reviewer changes a result's note on one laptop (refused once it is signed)."""
        workspace = self.laptops[laptop]
        current = records.load(workspace.db, ChecklistResult, self.results[which])
        assert current is not None
        before = records.stored_version(workspace.db, ChecklistResult, current.id)
        try:
            with workspace.db.atomic():
                saved = records.save(
                    workspace.db,
                    replace(current, note=f"{note}（{laptop}{self.clock:%H%M}）"),
                    actor=LEADER if laptop == "A" else MEMBER,
                    now=self.tick(),
                    device=device_id(workspace.db),
                )
        except SignedRecordError:
            after = records.stored_version(workspace.db, ChecklistResult, current.id)
            assert after == before  # refused, and nothing changed
            return
        self.acked[laptop].append(saved.version_id)

    @rule(laptop=st.sampled_from(LAPTOPS), which=st.integers(0, EDITED - 1))
    def photo(self, laptop: str, which: int) -> None:
        """A reviewer adds a photo to a result on one laptop (refused once it is signed): it
        is to reach the other laptop by the office (attachments down, issue 9)."""
        workspace = self.laptops[laptop]
        current = records.load(workspace.db, ChecklistResult, self.results[which])
        assert current is not None
        actor = LEADER if laptop == "A" else MEMBER
        now = self.tick()
        try:
            with workspace.db.atomic():
                made = add_attachment(
                    workspace,
                    os.urandom(2048),
                    media_type="image/jpeg",
                    original_name=f"{laptop}-{now:%H%M}.jpg",
                    actor=actor,
                    now=now,
                )
                saved = records.save(
                    workspace.db,
                    replace(current, evidence=(*current.evidence, made.sha256)),
                    actor=actor,
                    now=now,
                    device=device_id(workspace.db),
                )
        except SignedRecordError:
            return
        self.acked[laptop].append(saved.version_id)
        event("a photo taken")

    @precondition(lambda self: not self.case_locked("A"))
    @rule()
    def sign_off(self) -> None:
        """The leader signs the case off on laptop A: every record a new, signed version."""
        work = Casework(self.laptops["A"].db, LEADER, self.tick)
        made = work.sign_off(CASE, at=self.tick())
        self.acked["A"] += [s.version_id for s in made.saved if s.version_id]
        event("signed off")
        assert self.case_locked("A")

    @rule(laptop=st.sampled_from(LAPTOPS))
    def sync(self, laptop: str) -> None:
        """One laptop syncs with the office; everything it acknowledged before is there."""
        workspace = self.laptops[laptop]
        sent = list(self.acked[laptop])
        report = run_sync(workspace.db, self.http, passphrase=PASSPHRASE, now=self.tick())
        assert report.held == [] and report.pending == 0
        if report.conflicts:
            event("an edit lost on the server (kept as a conflict)")
        if report.conflicts_down:
            event("a pulled version kept as a conflict on the laptop")
        assert sync_queue.outbox_count(workspace.db) == 0
        missing = set(sent) - server_versions(self.storage)
        assert missing == set(), f"acknowledged changes of {laptop} never reached the office"
        self.synced_once[laptop] = True

    def case_locked(self, laptop: str) -> bool:
        row = (
            self.laptops[laptop]
            .db.execute("SELECT locked FROM review_case WHERE id = ?", [CASE])
            .fetchone()
        )
        return bool(row[0])

    @invariant()
    def signed_records_never_change(self) -> None:
        """A record seen signed keeps that version, on each laptop and on the server; once
        the office holds the case signed, none of its records changes there."""
        views = {name: laptop_heads(w) for name, w in self.laptops.items()}
        views["server"] = server_heads(self.storage)
        for name, heads in views.items():
            seen = self.signed_seen[name]
            for key, (version, locked) in heads.items():
                if key in seen:
                    assert heads[key][0] == seen[key], f"signed {key} changed on {name}"
                elif locked:
                    seen[key] = version
        server = {k: v for k, (v, _locked) in views["server"].items()}
        if self.signed_on_server is not None:
            changed = {k for k, v in server.items() if self.signed_on_server.get(k, "absent") != v}
            assert changed == set(), f"records of the signed case changed on the server: {changed}"
        elif views["server"].get(("review_case", CASE), (None, False))[1]:
            self.signed_on_server = server

    def teardown(self) -> None:
        try:
            self.settle()
        finally:
            self.http.close()
            for workspace in self.laptops.values():
                workspace.close()
            self.storage.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    def settle(self) -> None:
        """A last sync of both (twice, so each sees what the other sent); then nothing is
        stuck and each laptop holds the server's versions, or a recorded conflict."""
        for laptop in (*LAPTOPS, *LAPTOPS):
            self.sync(laptop)
        self.signed_records_never_change()
        server = {k: v for k, (v, _locked) in server_heads(self.storage).items()}
        for name, workspace in self.laptops.items():
            assert sync_queue.outbox_count(workspace.db) == 0
            assert sync_queue.inbox_count(workspace.db) == 0, f"{name}: sync_inbox has waiting rows"
            mine = {k: v for k, (v, _locked) in laptop_heads(workspace).items()}
            differ = {k for k in set(mine) | set(server) if mine.get(k) != server.get(k)}
            recorded = {
                (r["record_table"], r["record_id"])
                for r in fetch_all(
                    workspace.db,
                    "SELECT record_table, record_id FROM sync_conflict WHERE resolved_at IS NULL",
                    [],
                )
            }
            assert differ <= recorded, f"{name} differs from the office without a conflict"
        self.same_attachments_as_the_office()

    def same_attachments_as_the_office(self) -> None:
        """Each laptop holds, hash-checked, every attachment its records of the case name, and
        every one the office's versions name of the records it holds as the office does (a
        record kept as a conflict keeps its own); the office holds each of them whole."""
        files = AttachmentFiles(self.storage)
        with self.storage.reading() as conn:
            heads = conn.execute(
                select(change.c.record_table, change.c.record_id, change.c.payload)
                .join(record_head, record_head.c.change_seq == change.c.seq)
                .where(change.c.case_id == CASE)
            ).all()
            held = set(conn.execute(select(attachment.c.sha256)).scalars())
        named = {
            (r.record_table, r.record_id): set(_hashes_in(json.loads(r.payload))) & held
            for r in heads
        }
        for name, workspace in self.laptops.items():
            assert missing_attachments(workspace.db) == [], f"{name} lacks attachments"
            mine = referenced_hashes(workspace.db)
            for digest in mine:
                assert files.path(digest).is_file(), f"the office lacks {digest} of {name}"
                data = attachment_path(workspace, digest).read_bytes()
                assert hashlib.sha256(data).hexdigest() == digest
            kept_apart = {
                (r["record_table"], r["record_id"])
                for r in fetch_all(
                    workspace.db,
                    "SELECT record_table, record_id FROM sync_conflict WHERE resolved_at IS NULL",
                    [],
                )
            }
            for key, hashes in named.items():
                if key not in kept_apart:
                    assert hashes <= mine, f"{name} lacks the office's attachments of {key}"


@pytest.mark.slow
def test_two_laptops_of_one_team_in_random_order(demo_template: Path, tmp_path: Path) -> None:
    TwoLaptops.template = build_template(demo_template, tmp_path / "template")
    TwoLaptops.root = tmp_path
    run_state_machine_as_test(TwoLaptops, settings=MACHINE_SETTINGS)
