"""The conflicts view on a rule conflict (the office refused laptop B's result for a rule of
its case), through a real office on a loopback socket: only the office's version is offered,
with why beside it (keeping B's refused version would only be refused again); the leader takes
it and the office marks its conflict settled; a rule conflict of a record the office does not
hold offers no settlement, only the correction; in English too."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from pytestqt.qtbot import QtBot

from inspector_app.app import Services, open_services
from inspector_app.core.model import ChecklistResult
from inspector_app.store import records, sync_queue
from inspector_app.store.conflicts import SyncConflict, list_conflicts
from inspector_app.store.queries import CaseConflict
from inspector_app.store.workspace import open_workspace
from inspector_app.ui.conflicts_dialog import ConflictsDialog
from inspector_app.ui.qt import Qt
from sync.client.engine import run_sync
from sync.server.assignments import assign_by_id
from sync.server.storage import Storage
from tests.gui.conftest import NOW, WANG
from tests.sync.conftest import PASSPHRASE
from tests.sync.live import running_server
from tests.sync.test_apply import IN_REVIEW, case_id_of, enroll_as
from tests.sync.test_conflicts import enroll_with_code, leader_of, register_at_office
from tests.sync.test_sync_rules import broken, save_as_is

REFUSED_NOTE = "早"


def _sync(folder: Path, url: str) -> object:
    with open_workspace(folder) as workspace, httpx.Client(base_url=url) as http:
        return run_sync(workspace.db, http, passphrase=PASSPHRASE, now=NOW)


@pytest.fixture
def refused(demo_template: Path, tmp_path: Path) -> Iterator[tuple[Services, Storage, str, str]]:
    """Laptop B, the leader's device, whose result the office refused for a rule (before the
    filing); services over B, nobody signed in; the office's storage, its URL, the result."""
    storage = Storage.in_folder(tmp_path / "server")
    with running_server(storage) as url:
        a, b = tmp_path / "a", tmp_path / "b"
        shutil.copytree(demo_template, a)
        with open_workspace(a) as on_a, open_workspace(b) as on_b:
            with httpx.Client(base_url=url) as http:
                enroll_as(on_a, http, storage, "王建华")
                run_sync(on_a.db, http, passphrase=PASSPHRASE, now=NOW)
                case_id = case_id_of(on_a, IN_REVIEW)
                leader = leader_of(on_a, case_id)
                code = register_at_office(storage, on_a, leader)
                enroll_with_code(on_b, on_a, http, storage, leader.reviewer_id, code, url)
                assign_by_id(storage, case_id, leader.reviewer_id)
                run_sync(on_b.db, http, passphrase=PASSPHRASE, now=NOW)
            result = records.load_for_case(on_b.db, ChecklistResult, case_id)[0]
            save_as_is(on_b, broken(result, "before the filing", on_b))
        _sync(b, url)
        with open_services(b, user=None, write=True, clock=lambda: NOW) as services:
            yield services, storage, url, result.id
    storage.close()


def _dialog(qtbot: QtBot, services: Services) -> ConflictsDialog:
    dialog = ConflictsDialog(services)
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.show()
    return dialog


def test_a_rule_conflict_offers_only_the_office_s_version_with_the_reason(
    qtbot: QtBot, refused: tuple[Services, Storage, str, str]
) -> None:
    services, storage, url, result_id = refused
    services.sign_in(WANG)  # 王建华, the case's leader
    dialog = _dialog(qtbot, services)
    assert dialog.list.count() == 1
    shown = dialog.current()
    assert shown is not None and shown.conflict.kind == "rule"
    assert "result_within_review" in dialog.reason.text()
    assert dialog.rule_note.isVisible()
    assert "原样保留只会再次被拒收" in dialog.rule_note.text()
    assert "在案件中改正该记录" in dialog.rule_note.text()
    assert not dialog.take_other.isVisible()  # B's refused version is not offered
    assert dialog.keep_current.isVisible() and dialog.keep_current.isEnabled()
    assert dialog.keep_current.text() == "采用中心的版本(&O)"
    dialog.grab().save(str(Path(services.workspace.folder).parent / "rule-conflict-zh.png"))

    queued = sync_queue.outbox_count(services.workspace.db)
    with qtbot.waitSignal(dialog.resolved):
        qtbot.mouseClick(dialog.keep_current, Qt.MouseButton.LeftButton)

    kept = records.load(services.workspace.db, ChecklistResult, result_id)
    assert kept is not None and kept.note != REFUSED_NOTE  # the office's version is back
    assert sync_queue.outbox_count(services.workspace.db) == queued + 1
    assert list_conflicts(services.workspace.db) == []
    _sync(services.workspace.folder, url)
    assert [c["resolved_at"] is not None for c in storage.conflicts()] == [True]


def test_a_rule_conflict_of_a_record_the_office_does_not_hold_offers_only_a_correction(
    qtbot: QtBot, demo_services: Services
) -> None:
    demo_services.sign_in(WANG)
    dialog = _dialog(qtbot, demo_services)
    dialog.conflicts = [
        CaseConflict(
            SyncConflict(
                id=9,
                origin="server",
                record_table="checklist_result",
                record_id="r-1",
                case_id="c-1",
                reason="违反规则：核查结果的时间早于审查组备案（规则 result_within_review）",
                current_version_id=None,
                current=None,
                other_version_id="v-2",
                other={"id": "r-1", "note": REFUSED_NOTE},
                found_at=NOW.isoformat(),
                resolved_at=None,
                resolution_version_id=None,
            ),
            "XK-1",
            (),
        )
    ]
    dialog.list.addItem("#9")
    dialog.list.setCurrentRow(0)
    assert not dialog.keep_current.isVisible() and not dialog.take_other.isVisible()
    assert dialog.rule_note.isVisible()
    assert "中心没有该记录的版本：请在案件中改正该记录" in dialog.rule_note.text()
    # a plain conflict of versions offers both again
    dialog.conflicts = [
        replace(
            dialog.conflicts[0],
            conflict=replace(
                dialog.conflicts[0].conflict, reason="stale base version", current={"id": "r-1"}
            ),
        )
    ]
    dialog._show_current(0)
    assert dialog.keep_current.isVisible() and dialog.take_other.isVisible()
    assert not dialog.rule_note.isVisible()
    assert dialog.keep_current.text() == "保留现行版本(&K)"


def test_the_rule_conflict_in_english(
    qtbot: QtBot, english: None, refused: tuple[Services, Storage, str, str]
) -> None:
    services = refused[0]
    services.sign_in(WANG)
    dialog = _dialog(qtbot, services)
    assert dialog.keep_current.text() == "Take the &office's version"
    assert not dialog.take_other.isVisible()
    assert dialog.rule_note.text().startswith("The central office refused this laptop's version")
    dialog.grab().save(str(Path(services.workspace.folder).parent / "rule-conflict-en.png"))
