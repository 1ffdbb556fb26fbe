"""The conclusion (结论) from the checklist page: the leader of a complete checklist confirms the
verdict shown with its reasons; anyone else, or an incomplete checklist, is refused with the
domain's reason on the disabled button."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.core.forms.model import (
    REQUIRE_NOTE,
    REQUIRE_PHOTO,
    RESULT_CONFORM,
    RESULT_NONCONFORM,
)
from inspector_app.core.model import CaseStatus
from inspector_app.demo import demo_png
from inspector_app.store.casework import load_case_file
from inspector_app.ui.checklist import ChecklistPage
from inspector_app.ui.conclusion_dialog import ConclusionDialog
from inspector_app.ui.qt import QTimer
from tests.gui.conftest import WANG, WANG2
from tests.gui.test_checklist import CEMENT_CASE
from tests.gui.test_checklist_undo import opened


def status(services: Services) -> CaseStatus:
    return load_case_file(services.workspace.db, CEMENT_CASE).case.status


def complete(page: ChecklistPage, folder: Path, result: str = RESULT_CONFORM) -> None:
    """Record `result` (or 符合 where it is not allowed) on every item still open."""
    for item in page.form.items():
        if page.model.answered(item.code):
            continue
        value = result if result in item.allowed_results else RESULT_CONFORM
        needs = item.requires.get(value, ())
        page.select_code(item.code)
        if REQUIRE_PHOTO in needs:
            photo = folder / f"{item.code}.png"
            photo.write_bytes(demo_png(item.code))
            assert page.add_photo(lambda _parent, p=photo: p)  # type: ignore[misc]
        note = "现场核查发现问题。" if REQUIRE_NOTE in needs else ""
        assert page.record(item.code, value, note), page.refusal.text()


def confirm_when_shown(page: ChecklistPage, seen: list[str], accept: bool = True) -> None:
    """Answer the conclusion dialog once it is open (it is modal), noting what it said."""

    def answer() -> None:
        dialog = page.conclusion_dialog
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(10, answer)
            return
        seen.append(dialog.outcome.text())
        seen.append(dialog.reasons.text())
        if accept:
            dialog.confirm.click()
        else:
            dialog.reject()

    QTimer.singleShot(0, answer)


def test_the_leader_concludes_a_complete_checklist_that_passes(
    qtbot: QtBot, demo_services: Services, tmp_path: Path
) -> None:
    _window, page = opened(qtbot, demo_services)  # WANG: the leader
    complete(page, tmp_path)
    qtbot.waitUntil(lambda: not page.views_pending)  # the pane and verdict follow the edit
    outcome = page.current_verdict()
    assert page.conclude_button.isEnabled(), page.conclude_reason
    assert page.conclude_label.text() == ""
    seen: list[str] = []
    confirm_when_shown(page, seen, accept=False)
    assert not page.conclude()  # cancelled: nothing written
    assert status(demo_services) == CaseStatus.ON_SITE_REVIEW
    confirm_when_shown(page, seen)
    page.conclude_button.click()
    expected = CaseStatus.PASSED if outcome.passed else CaseStatus.FAILED
    assert status(demo_services) == expected
    shown = "合格" if outcome.passed else "不合格"
    assert seen[-2] == f"按核查表判定，本次实地核查的结论为：{shown}"
    assert f"已作出核查结论：{shown}" in page.saved_label.text()
    # concluded: nothing more is recorded, and nothing is undone
    assert not page.editable and not page.undo_stack.canUndo()
    assert "只有在实地核查进行中才能记录核查结果" in page.read_only_label.text()
    assert not page.conclude_button.isEnabled()


def test_the_confirmation_shows_a_failing_verdict_with_its_reasons(
    qtbot: QtBot, demo_services: Services, tmp_path: Path
) -> None:
    _window, page = opened(qtbot, demo_services)
    complete(page, tmp_path, RESULT_NONCONFORM)
    outcome = page.current_verdict()
    assert outcome.outcome == "fail"
    seen: list[str] = []
    confirm_when_shown(page, seen)
    assert page.conclude()
    assert status(demo_services) == CaseStatus.FAILED
    assert seen[0].endswith("不合格")
    for reason in outcome.reasons:
        assert reason in seen[1]


def test_the_dialog_in_english(qtbot: QtBot, english: None, demo_services: Services) -> None:
    from inspector_app.core.forms.verdicts import Verdict

    dialog = ConclusionDialog(Verdict("fail", ("否决项 1.1 不符合",)))
    qtbot.addWidget(dialog)
    assert dialog.outcome.text() == "By the checklist, the on-site review's verdict is: Failed"
    assert "否决项 1.1 不符合" in dialog.reasons.text()
    assert dialog.confirm.text() == "Conclude"


def test_an_incomplete_checklist_cannot_be_concluded(qtbot: QtBot, demo_services: Services) -> None:
    _window, page = opened(qtbot, demo_services)
    assert not page.conclude_button.isEnabled()
    assert "尚有 6 项未核查" in page.conclude_button.toolTip()
    assert "全部核查后才能作出结论" in page.conclude_label.text()
    assert not page.conclude()  # even when asked directly: the domain refuses
    assert "尚有 6 项未核查" in page.refusal.text()
    assert status(demo_services) == CaseStatus.ON_SITE_REVIEW


def test_a_member_who_is_not_the_leader_cannot_conclude(
    qtbot: QtBot, demo_services: Services, tmp_path: Path
) -> None:
    _window, page = opened(qtbot, demo_services, WANG2)  # the leader's namesake, a member
    qtbot.waitUntil(lambda: not page.views_pending)  # the pane and verdict follow the edit
    complete(page, tmp_path)
    assert not page.conclude_button.isEnabled()
    assert "只有本案审查组组长才能作出核查结论" in page.conclude_label.text()
    assert not page.conclude()
    assert status(demo_services) == CaseStatus.ON_SITE_REVIEW
    demo_services.sign_in(WANG)  # the leader, the same name: told apart by id
    page.update_access()
    assert page.conclude_button.isEnabled(), page.conclude_reason
