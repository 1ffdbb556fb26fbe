"""Removing a member in the team step: chosen in the table, confirmed in a question that says
when the filing becomes void, stored as a removal; refused with the domain's message for a
member whose records name them; and in English."""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.core.model import CaseStatus
from inspector_app.store.casework import load_case_file
from inspector_app.ui.qt import QMessageBox, Qt
from inspector_app.ui.team_step import TeamStep
from tests.gui.conftest import LI, WANG

SHOTS = Path(os.environ.get("INSPECTOR_SHOTS", "/tmp/shots-case-pages"))
FILED = "XK06-2026-0102"  # wire-cable, team filed: 王建华 (leader), 李春梅, 陈志强
YES, NO = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


def _step(qtbot: QtBot, services: Services, application_no: str) -> TeamStep:
    step = TeamStep(services, services.queries.case_id(application_no))
    qtbot.addWidget(step)
    step.resize(1100, 700)
    step.show()
    return step


def _choose(step: TeamStep, name: str) -> str:
    row = next(r for r in range(step.table.rowCount()) if step.table.item(r, 0).text() == name)
    step.table.selectRow(row)
    member_id: str = step.table.item(row, 0).data(Qt.ItemDataRole.UserRole)
    return member_id


def _ask(qtbot: QtBot, step: TeamStep) -> QMessageBox:
    qtbot.mouseClick(step.remove_button, Qt.MouseButton.LeftButton)
    box = step.confirmation
    assert box is not None and box.isVisible()
    return box


def test_removing_a_member_of_a_filed_team_voids_the_filing(
    qtbot: QtBot, demo_services: Services
) -> None:
    demo_services.sign_in(WANG)
    step = _step(qtbot, demo_services, FILED)
    assert not step.remove_button.isEnabled()  # nobody chosen yet
    chen = _choose(step, "陈志强")
    assert step.remove_button.isEnabled()
    box = _ask(qtbot, step)
    assert "陈志强" in box.text() and "备案失效" in box.text()
    assert box.defaultButton() is box.button(NO)
    SHOTS.mkdir(parents=True, exist_ok=True)
    step.grab().save(str(SHOTS / "team-remove-zh.png"))
    box.grab().save(str(SHOTS / "team-remove-question-zh.png"))
    with qtbot.waitSignal(step.changed):
        qtbot.mouseClick(box.button(YES), Qt.MouseButton.LeftButton)

    state = load_case_file(demo_services.workspace.db, step.case_id)
    assert [m.id for m in state.former_members] == [chen]
    assert "陈志强" not in {m.name for m in state.members}
    assert state.case.status == CaseStatus.ACCEPTED
    assert step.table.rowCount() == 2
    assert "失效" in step.filing.text()
    assert step.file_button.text() == "重新备案(&F)" and step.file_button.isEnabled()


def test_no_keeps_the_member(qtbot: QtBot, demo_services: Services) -> None:
    demo_services.sign_in(WANG)
    step = _step(qtbot, demo_services, FILED)
    _choose(step, "李春梅")
    box = _ask(qtbot, step)
    qtbot.mouseClick(box.button(NO), Qt.MouseButton.LeftButton)
    state = load_case_file(demo_services.workspace.db, step.case_id)
    assert state.former_members == () and len(state.members) == 3
    assert state.case.status == CaseStatus.TEAM_FILED


def test_a_member_with_results_stays_and_the_reason_is_shown(
    qtbot: QtBot, demo_services: Services
) -> None:
    demo_services.sign_in(WANG)
    step = _step(qtbot, demo_services, "XK08-2026-0201")  # on site, results recorded
    state = load_case_file(demo_services.workspace.db, step.case_id)
    assessor = next(m for m in state.members if any(r.assessor_id == m.id for r in state.results))
    row = next(
        r
        for r in range(step.table.rowCount())
        if step.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == assessor.id
    )
    step.table.selectRow(row)
    box = _ask(qtbot, step)
    qtbot.mouseClick(box.button(YES), Qt.MouseButton.LeftButton)
    assert step.problems.isVisible() and "不能移出审查组" in step.problems.text()
    assert load_case_file(demo_services.workspace.db, step.case_id).former_members == ()


def test_nobody_signed_in_cannot_remove(qtbot: QtBot, demo_services: Services) -> None:
    step = _step(qtbot, demo_services, FILED)
    _choose(step, "李春梅")
    assert not step.remove_button.isEnabled()


def test_removing_in_english(qtbot: QtBot, demo_services: Services, english: None) -> None:
    demo_services.sign_in(LI)
    step = _step(qtbot, demo_services, FILED)
    assert step.remove_button.text() == "Remove from team (&X)"
    _choose(step, "陈志强")
    box = _ask(qtbot, step)
    assert box.text().startswith("Remove 陈志强 (")
    assert "voids the filing" in box.text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    step.grab().save(str(SHOTS / "team-remove-en.png"))
    with qtbot.waitSignal(step.changed):
        qtbot.mouseClick(box.button(YES), Qt.MouseButton.LeftButton)
    assert step.filing_is_void
    assert len(load_case_file(demo_services.workspace.db, step.case_id).former_members) == 1
