"""Switching the signed-in reviewer (File → 登录/切换审查员) while a case window is open: when
the case window is next activated, every page that records in the signed-in reviewer's name
shows who that is now (by id: the two 王建华 are two people), or why they cannot record."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.core.case_steps import StepKey
from inspector_app.core.model import Stage
from inspector_app.demo import demo_id
from inspector_app.ui.feedback_step import FeedbackStep
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.opinion_step import OpinionStep
from inspector_app.ui.qt import QApplication, QEvent, Qt
from tests.gui.conftest import WANG, WANG2

PASSED = "XK08-2026-0202"  # cement, review passed: 王建华 (institute), 王建华 (association), 陈志强
SUN = demo_id("reviewer", "sun")  # 孙海涛: on no cement team


def test_the_feedback_and_opinion_pages_follow_a_switch_of_reviewer(
    qtbot: QtBot, make_window: Callable[[Services], MainWindow], demo_services: Services
) -> None:
    window = make_window(demo_services)
    demo_services.sign_in(WANG)
    case_window = window.open_case(demo_services.queries.case_id(PASSED))
    feedback = case_window.step_pages[StepKey.FEEDBACK]
    opinion = case_window.step_pages[StepKey.OBJECTION]
    assert isinstance(feedback, FeedbackStep) and isinstance(opinion, OpinionStep)
    assert "江苏省产品质量监督检验研究院" in feedback.handed_by.text()
    assert opinion.record_button.isEnabled()

    def switch_to(reviewer_id: str) -> None:  # as the sign-in dialog does, then back to the case
        demo_services.sign_in(reviewer_id)
        QApplication.sendEvent(case_window, QEvent(QEvent.Type.WindowActivate))

    switch_to(WANG2)  # the namesake
    assert "中国水泥协会" in feedback.handed_by.text(), feedback.handed_by.text()
    feedback.handed_to.setText("李振华")
    qtbot.mouseClick(feedback.record_button, Qt.MouseButton.LeftButton)
    state = demo_services.queries.case_file(case_window.case_id)
    (given,) = [h for h in state.handovers if h.stage == Stage.INSPECTION]
    assert next(m for m in state.members if m.id == given.handed_by).reviewer_id == WANG2

    switch_to(SUN)  # off the team: told why, nothing to click
    assert not feedback.record_button.isEnabled()
    assert not opinion.record_button.isEnabled() and "孙海涛" in opinion.access.text()
