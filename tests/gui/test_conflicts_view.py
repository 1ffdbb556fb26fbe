"""The conflicts view against a real conflict: two laptops edit the same checklist result and
sync through a real office (on a loopback socket); laptop B sees both versions side by side
with the differing field highlighted, its case's leader settles it (the store holds the new
version, queued for the office), anyone else is refused in the domain's words; the sync panel
counts the conflicts a sync brought and opens the view; the File menu opens it too."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest
from pytestqt.qtbot import QtBot

from inspector_app.app import Services, open_services
from inspector_app.casefile.reader import parse_case_file
from inspector_app.casefile.writer import case_json
from inspector_app.core.model import Actor, ChecklistResult
from inspector_app.store import records, sync_queue
from inspector_app.store.casework import load_case_file
from inspector_app.store.conflicts import SyncConflict, list_conflicts
from inspector_app.store.queries import CaseConflict
from inspector_app.store.settings import device_id
from inspector_app.store.workspace import Workspace, open_workspace
from inspector_app.ui.conflicts_dialog import (
    DIFFERS_BACKGROUND,
    ConflictsDialog,
    record_label,
    value_text,
)
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.qt import QBrush, Qt, QWidget
from inspector_app.ui.sync_panel import SyncPanel
from inspector_app.ui.tasks import ImmediateRunner
from sync.client.engine import enroll, run_sync
from sync.server.assignments import assign_case
from sync.server.storage import Storage
from tests.gui.conftest import LI, NOW, WANG
from tests.sync.conftest import CHEAP_KDF, PASSPHRASE, new_code
from tests.sync.live import running_server
from tests.sync.test_apply import IN_REVIEW, case_id_of, first_result
from tests.sync.test_conflicts import enroll_with_code, leader_of, register_at_office

A_NOTE = "A 的意见"
B_NOTE = "B 的意见"


@dataclass
class Laptops:
    """Laptop A (the demo, synced), laptop B's folder, the office's URL and the edited result."""

    url: str
    a: Path
    b: Path
    result: ChecklistResult
    application_no: str

    def sync(self, folder: Path) -> object:
        """Sync the workspace in `folder` with the office (as the CLI would)."""
        with open_workspace(folder) as workspace, httpx.Client(base_url=self.url) as http:
            return run_sync(workspace.db, http, passphrase=PASSPHRASE, now=NOW)


def _enroll(workspace: Workspace, url: str, storage: Storage, name: str) -> str:
    with httpx.Client(base_url=url) as http:
        made = enroll(
            workspace.db,
            http,
            server_url=url,
            code=new_code(storage, name),
            passphrase=PASSPHRASE,
            kdf_n=CHEAP_KDF,
        )
    return made.reviewer.id


def _edit(workspace: Workspace, result: ChecklistResult, note: str) -> None:
    current = records.load(workspace.db, ChecklistResult, result.id)
    assert current is not None
    with workspace.db.atomic():
        records.save(
            workspace.db,
            replace(current, note=note),
            actor=Actor("tester", "测试"),
            now=NOW,
            device=device_id(workspace.db),
        )


@pytest.fixture
def laptops(demo_template: Path, tmp_path: Path) -> Iterator[Laptops]:
    """Both laptops edited the same result's note; A has synced its edit, B has not yet."""
    storage = Storage.in_folder(tmp_path / "server")
    with running_server(storage) as url:
        a, b = tmp_path / "a", tmp_path / "b"
        shutil.copytree(demo_template, a)
        with open_workspace(a) as on_a, open_workspace(b) as on_b:
            _enroll(on_a, url, storage, "王建华")
            with httpx.Client(base_url=url) as http:
                run_sync(on_a.db, http, passphrase=PASSPHRASE, now=NOW)
            case_id = case_id_of(on_a, IN_REVIEW)
            # by its case file, which brings the team's reviewers (added by hand on A, so
            # never sent by A: the registry is the office's) into the office's registry
            exported = case_json(load_case_file(on_a.db, case_id), on_a)
            # B is the device of the case's leader, 王建华 (the office checks who settles a
            # conflict by the device's reviewer); 李明 is in the registry too
            new_code(storage, "李明")
            leader = leader_of(on_a, case_id)
            code = register_at_office(storage, on_a, leader)
            assign_case(storage, parse_case_file(exported.encode()), [leader.reviewer_id])
            with httpx.Client(base_url=url) as http:
                enroll_with_code(on_b, on_a, http, storage, leader.reviewer_id, code, url)
            with httpx.Client(base_url=url) as http:
                run_sync(on_b.db, http, passphrase=PASSPHRASE, now=NOW)
            result = first_result(on_a, case_id)
            application_no = str(
                on_a.db.execute(
                    "SELECT application_no FROM review_case WHERE id = ?", [case_id]
                ).fetchone()[0]
            )
            _edit(on_a, result, A_NOTE)
            _edit(on_b, result, B_NOTE)
            with httpx.Client(base_url=url) as http:
                run_sync(on_a.db, http, passphrase=PASSPHRASE, now=NOW)
        yield Laptops(url, a, b, result, application_no)
    storage.close()


@pytest.fixture
def laptop_b(laptops: Laptops) -> Iterator[Services]:
    """Services over laptop B after its sync brought the conflict, nobody signed in."""
    laptops.sync(laptops.b)
    with open_services(laptops.b, user=None, write=True, clock=lambda: NOW) as services:
        yield services


def _dialog(qtbot: QtBot, services: Services) -> ConflictsDialog:
    dialog = ConflictsDialog(services)
    qtbot.addWidget(dialog)
    dialog.resize(1100, 620)
    dialog.show()
    return dialog


def _row(dialog: ConflictsDialog, field: str) -> int:
    model = dialog.fields
    names = [model.index(r, 0).data(Qt.ItemDataRole.ToolTipRole) for r in range(model.rowCount())]
    return next(r for r, tip in enumerate(names) if tip.split(":")[0] == field)


def _texts(dialog: ConflictsDialog, row: int) -> tuple[str, str, str]:
    model = dialog.fields
    return tuple(model.index(row, c).data() for c in range(3))  # type: ignore[return-value]


def _select(dialog: ConflictsDialog, origin: str) -> None:
    row = next(i for i, c in enumerate(dialog.conflicts) if c.conflict.origin == origin)
    dialog.list.setCurrentRow(row)


def test_both_versions_are_shown_side_by_side_with_the_difference_highlighted(
    qtbot: QtBot, qtmodeltester: object, laptops: Laptops, laptop_b: Services
) -> None:
    dialog = _dialog(qtbot, laptop_b)
    assert dialog.list.count() == 2  # found on pulling, and reported by the office
    assert all(laptops.application_no in dialog.list.item(i).text() for i in range(2))
    _select(dialog, "pull")
    assert dialog.heading.text().startswith("冲突 #")
    assert "核查结果" in dialog.heading.text() and laptops.application_no in dialog.heading.text()
    assert dialog.origin.text().startswith("本机同步时发现")
    assert dialog.reason.text().startswith("原因：")
    assert dialog.leaders.text() == "由本案组长处理：王建华"
    assert dialog.fields.differing() == ["note"]
    note = _row(dialog, "note")
    assert _texts(dialog, note) == ("≠ 核查说明", B_NOTE, A_NOTE)
    highlighted = dialog.fields.index(note, 1).data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(highlighted, QBrush) and highlighted.color().name() == DIFFERS_BACKGROUND
    assert dialog.fields.index(note, 2).data(Qt.ItemDataRole.FontRole).bold()
    same = _row(dialog, "item_code")
    assert _texts(dialog, same)[0] == "核查项目"  # a readable label, not highlighted
    assert dialog.fields.index(same, 1).data(Qt.ItemDataRole.BackgroundRole) is None
    assert _texts(dialog, _row(dialog, "id"))[0] == "id"  # no label: the raw name
    # The office's report: its version is the one in force, B's was kept apart.
    _select(dialog, "server")
    assert dialog.origin.text().startswith("中心报告")
    assert _texts(dialog, _row(dialog, "note"))[1:] == (A_NOTE, B_NOTE)
    qtmodeltester.check(dialog.fields)  # type: ignore[attr-defined]
    # Nobody signed in: nothing can be settled, and the dialog says why.
    assert not dialog.keep_current.isEnabled() and not dialog.take_other.isEnabled()
    assert "组长登录" in dialog.message.text()


def test_the_leader_settles_and_the_new_version_is_queued(
    qtbot: QtBot, laptops: Laptops, laptop_b: Services
) -> None:
    db = laptop_b.workspace.db
    laptop_b.sign_in(WANG)  # 王建华, the case's leader
    queued = sync_queue.outbox_count(db)
    dialog = _dialog(qtbot, laptop_b)
    _select(dialog, "pull")
    shown = dialog.current()
    assert shown is not None and dialog.take_other.isEnabled()

    with qtbot.waitSignal(dialog.resolved) as done:
        qtbot.mouseClick(dialog.take_other, Qt.MouseButton.LeftButton)

    kept = records.load(db, ChecklistResult, laptops.result.id)
    assert kept is not None and kept.note == A_NOTE  # the other version, taken
    assert list_conflicts(db) == []  # both of the record's conflicts are settled
    settled = list_conflicts(db, include_resolved=True)
    assert {c.resolution_version_id for c in settled} == {done.args[0].version_id}
    assert sync_queue.outbox_count(db) == queued + 1
    last = sync_queue.outbox_batch(db, 1000)[-1]
    assert (last.record_id, last.version_id) == (laptops.result.id, done.args[0].version_id)
    assert dialog.list.count() == 0 and dialog.heading.text() == "没有待处理的同步冲突。"
    assert dialog.message.text() == (
        f"冲突 #{shown.conflict.id} 已处理：已保存核查结果的新版本，下次同步时上传。"
    )
    assert not dialog.keep_current.isEnabled()
    # The settled conflicts stay readable.
    dialog.show_resolved.setChecked(True)
    assert dialog.list.count() == 2 and dialog.list.item(0).text().endswith("（已处理）")
    assert dialog.message.text().startswith("已于 ")
    assert not dialog.take_other.isEnabled()
    # The settlement reaches the office, which marks its conflict resolved; A takes it.
    laptops.sync(laptops.b)
    laptops.sync(laptops.a)
    with open_workspace(laptops.a) as on_a:
        on_a_now = records.load(on_a.db, ChecklistResult, laptops.result.id)
        assert on_a_now is not None and on_a_now.note == A_NOTE
        assert list_conflicts(on_a.db) == []


def test_a_member_who_is_not_the_leader_is_refused(
    qtbot: QtBot, laptops: Laptops, laptop_b: Services
) -> None:
    db = laptop_b.workspace.db
    laptop_b.sign_in(LI)  # 李春梅, a member of the team
    queued = sync_queue.outbox_count(db)
    dialog = _dialog(qtbot, laptop_b)
    assert dialog.keep_current.isEnabled()  # the domain decides, on the click
    qtbot.mouseClick(dialog.keep_current, Qt.MouseButton.LeftButton)
    assert dialog.message.text().startswith("未处理：只有本案的审查组组长可以处理同步冲突。")
    assert len(list_conflicts(db)) == 2  # nothing was discarded or settled
    stored = records.load(db, ChecklistResult, laptops.result.id)
    assert stored is not None and stored.note == B_NOTE
    assert sync_queue.outbox_count(db) == queued


class Asker:
    """Answers the sync passphrase prompt."""

    def __call__(self, _parent: QWidget) -> str | None:
        return PASSPHRASE


def test_the_sync_panel_counts_the_conflicts_a_sync_brought(qtbot: QtBot, laptops: Laptops) -> None:
    with open_services(laptops.b, user=None, write=True, clock=lambda: NOW) as services:
        runner = ImmediateRunner(services.workspace)
        panel = SyncPanel(
            services, lambda: runner, ask=Asker(), probe_interval_ms=0, first_probe_ms=0
        )
        qtbot.addWidget(panel)
        panel.show()
        assert not panel.conflicts_button.isVisible()  # none yet
        with qtbot.waitSignal(panel.synced, timeout=60_000):
            panel.start_sync()
        assert panel.conflicts_button.isVisible()
        assert panel.conflicts_button.text() == "冲突 2 项"
        with qtbot.waitSignal(panel.conflicts_requested):
            qtbot.mouseClick(panel.conflicts_button, Qt.MouseButton.LeftButton)


def test_the_main_window_opens_the_view_and_follows_a_settlement(
    qtbot: QtBot, laptop_b: Services, make_window: Callable[[Services], MainWindow]
) -> None:
    laptop_b.sign_in(WANG)
    window = make_window(laptop_b)
    counted = window.sync_panel.conflicts_button
    assert counted.isVisible() and counted.text() == "冲突 2 项"
    qtbot.mouseClick(counted, Qt.MouseButton.LeftButton)
    dialog = window.conflicts_dialog
    assert dialog is not None and dialog.isVisible() and dialog.list.count() == 2
    dialog.close()
    window.conflicts_action.trigger()  # 文件 → 同步冲突…
    assert window.conflicts_action.text() == "同步冲突(&C)…"
    assert window.conflicts_dialog is dialog and dialog.isVisible()
    queued = sync_queue.outbox_count(laptop_b.workspace.db)
    qtbot.mouseClick(dialog.keep_current, Qt.MouseButton.LeftButton)
    assert not counted.isVisible()  # the count fell to none
    assert window.sync_panel.pending.text() == f"待上传 {queued + 1} 项"


def test_the_view_in_english(
    qtbot: QtBot, english: None, laptop_b: Services, make_window: Callable[[Services], MainWindow]
) -> None:
    window = make_window(laptop_b)
    assert window.sync_panel.conflicts_button.text() == "Conflicts: 2"
    dialog = window.open_conflicts()
    assert dialog.windowTitle() == "Sync conflicts"
    _select(dialog, "pull")
    assert dialog.origin.text().startswith("Found here while syncing")
    note = _row(dialog, "note")
    assert _texts(dialog, note) == ("≠ Note on the item", B_NOTE, A_NOTE)
    assert dialog.fields.headerData(1, Qt.Orientation.Horizontal) == "Version in force"
    assert dialog.fields.headerData(2, Qt.Orientation.Horizontal) == "Other version"
    assert dialog.keep_current.text() == "&Keep the version in force"
    assert dialog.take_other.text() == "&Take the other version"
    assert "Checklist result" in dialog.heading.text()
    assert value_text("onsite_testing", True) == "Yes"


def test_values_are_shown_as_a_person_reads_them() -> None:
    assert value_text("note", None) == "—"
    assert value_text("evidence", []) == "—"
    assert value_text("sampler_ids", ["m-1", "m-2"]) == "m-1、m-2"
    assert value_text("onsite_testing", False) == "否"
    assert value_text("role", "leader") == "组长"
    assert value_text("status", "not-a-status") == "not-a-status"  # unknown: as stored
    assert value_text("content", {"b": 1}) == '{"b": 1}'


def _conflict(**changes: object) -> CaseConflict:
    base = SyncConflict(
        id=7,
        origin="server",
        record_table="checklist_result",
        record_id="r-1",
        case_id="c-1",
        reason="stale base version",
        current_version_id="v-1",
        current={"id": "r-1", "note": "甲"},
        other_version_id="v-2",
        other={"id": "r-1", "note": "乙"},
        found_at="not a time",
        resolved_at=None,
        resolution_version_id=None,
    )
    return CaseConflict(replace(base, **changes), None, ())  # type: ignore[arg-type]


def test_odd_conflicts_are_shown_without_losing_anything(
    qtbot: QtBot, qtmodeltester: object, demo_services: Services
) -> None:
    dialog = _dialog(qtbot, demo_services)
    assert dialog.list.count() == 0 and dialog.heading.text() == "没有待处理的同步冲突。"
    model = dialog.fields
    # A version the office did not send: said so, and every field counts as differing.
    model.set_conflict(_conflict(current=None))
    assert _texts(dialog, _row(dialog, "note")) == ("≠ 核查说明", "（无此版本）", "乙")
    assert model.differing() == ["id", "note"]
    # A record kind this laptop does not know: raw names, sorted, nothing dropped.
    model.set_conflict(
        _conflict(
            record_table="future_table",
            current={"zeta": 1, "alpha": {"x": [1]}},
            other={"alpha": {"x": [2]}, "new": True},
        )
    )
    assert [_texts(dialog, r)[0] for r in range(model.rowCount())] == [
        "≠ alpha",
        "≠ new",
        "≠ zeta",
    ]
    assert _texts(dialog, 0)[1:] == ('{"x": [1]}', '{"x": [2]}')
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert record_label("future_table") == "future_table"
