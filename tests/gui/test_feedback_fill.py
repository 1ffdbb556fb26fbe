"""The enterprise's own feedback screen: answered through its widgets, sealed on submit, and
nothing the enterprise wrote is left readable by the team."""

from __future__ import annotations

import base64
import json

from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.core.feedback_answers import seal_context
from inspector_app.core.feedback_form import FEEDBACK_QUESTIONS
from inspector_app.core.model import Stage
from inspector_app.demo import demo_centre_private_key, demo_id
from inspector_app.store.casework import load_case_file
from inspector_app.ui.feedback_fill import FeedbackFillDialog
from inspector_app.ui.qt import QApplication, QRadioButton, Qt
from sync.sealing import open_sealed

WANG = demo_id("reviewer", "wang")
CASE_C = demo_id("c", "case")  # cement, on-site review; the on-site form was handed over


def _dialog(qtbot: QtBot, services: Services, stage: Stage = Stage.ON_SITE) -> FeedbackFillDialog:
    services.sign_in(WANG)
    dialog = FeedbackFillDialog(services, CASE_C, stage)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _answer_all(qtbot: QtBot, dialog: FeedbackFillDialog, skip: str = "") -> None:
    for question in FEEDBACK_QUESTIONS:
        if question.key != skip:
            button = dialog.findChild(QRadioButton, f"{question.key}_no")
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.findChild(QRadioButton, "satisfaction_0"), Qt.MouseButton.LeftButton)
    dialog.free_text.setPlainText("审查组工作认真。")
    dialog.respondent.setText("周莉莉")


def test_the_enterprise_fills_in_and_seals_its_form(qtbot: QtBot, demo_services: Services) -> None:
    dialog = _dialog(qtbot, demo_services)
    _answer_all(qtbot, dialog)
    qtbot.mouseClick(dialog.seal_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == FeedbackFillDialog.DialogCode.Accepted
    assert dialog.respondent.text() == "" and dialog.free_text.toPlainText() == ""
    (sealed,) = load_case_file(demo_services.workspace.db, CASE_C).sealed_feedback
    opened = json.loads(
        open_sealed(
            demo_centre_private_key(),
            base64.b64decode(sealed.envelope),
            seal_context(CASE_C, Stage.ON_SITE),
        )
    )
    assert opened["respondent"] == "周莉莉" and opened["satisfaction"] == "满意"
    assert set(opened["answers"].values()) == {"否"}


def test_an_unanswered_question_is_named_and_nothing_is_lost(
    qtbot: QtBot, demo_services: Services
) -> None:
    dialog = _dialog(qtbot, demo_services)
    _answer_all(qtbot, dialog, skip=FEEDBACK_QUESTIONS[2].key)
    qtbot.mouseClick(dialog.seal_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.problems.isVisible()
    assert "第 3 题尚未回答" in dialog.problems.text()
    assert dialog.respondent.text() == "周莉莉"
    assert load_case_file(demo_services.workspace.db, CASE_C).sealed_feedback == ()


def test_a_stage_not_handed_over_is_refused_with_the_rule(
    qtbot: QtBot, demo_services: Services
) -> None:
    dialog = _dialog(qtbot, demo_services, Stage.INSPECTION)
    _answer_all(qtbot, dialog)
    qtbot.mouseClick(dialog.seal_button, Qt.MouseButton.LeftButton)
    assert "产品检验阶段的反馈表尚未交付企业" in dialog.problems.text()


def test_the_feedback_screen_in_english(
    qtbot: QtBot, english: None, qapp: QApplication, demo_services: Services
) -> None:
    dialog = _dialog(qtbot, demo_services)
    assert dialog.windowTitle() == "Enterprise feedback form — On-site review"
    assert dialog.seal_button.text() == "&Submit and seal"
    assert dialog.findChild(QRadioButton, f"{FEEDBACK_QUESTIONS[0].key}_yes").text() == "Yes"


def test_the_feedback_step_hands_the_form_to_the_enterprise_and_shows_only_that_it_is_sealed(
    qtbot: QtBot, demo_services: Services
) -> None:
    from inspector_app.core.case_steps import StepKey
    from inspector_app.ui.case_window import CaseWindow
    from inspector_app.ui.feedback_step import FeedbackStep

    demo_services.sign_in(WANG)
    window = CaseWindow(demo_services, CASE_C)
    qtbot.addWidget(window)
    window.show()
    window.show_step(StepKey.FEEDBACK)
    page = window.pages.currentWidget()
    assert isinstance(page, FeedbackStep)
    page.stage.setCurrentIndex(page.stage.findData(Stage.INSPECTION.value))
    assert not page.fill_button.isEnabled()  # not handed over for that stage yet
    assert "尚未交付企业" in page.fill_button.toolTip()
    page.stage.setCurrentIndex(page.stage.findData(Stage.ON_SITE.value))
    assert page.fill_button.isEnabled()
    qtbot.mouseClick(page.fill_button, Qt.MouseButton.LeftButton)
    dialog = page.fill_dialog
    assert dialog is not None and dialog.isVisible()
    _answer_all(qtbot, dialog)
    qtbot.mouseClick(dialog.seal_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert "实地核查阶段的反馈表已由企业填写并密封" in page.sealed.text()
    assert "周莉莉" not in page.sealed.text()
    page.stage.setCurrentIndex(page.stage.findData(Stage.ON_SITE.value))
    assert not page.fill_button.isEnabled()  # once per stage
    assert "已密封提交" in page.fill_button.toolTip()
    assert len(load_case_file(demo_services.workspace.db, CASE_C).sealed_feedback) == 1
