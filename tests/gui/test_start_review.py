"""Starting the on-site review (开始实地核查) from the case window: a member of the filed team
starts it and the checklist takes the page's place; nobody signed in cannot; someone off the
team is refused with the domain's reason and nothing changes; the English UI."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.core.case_steps import StepKey
from inspector_app.core.model import CaseStatus
from inspector_app.demo import demo_id
from inspector_app.ui.case_window import CaseWindow
from inspector_app.ui.checklist import ChecklistPage
from inspector_app.ui.qt import Qt
from tests.gui.conftest import WANG

FILED = demo_id("b", "case")  # XK06-2026-0102: team filed (王建华, 李春梅, 陈志强), not started
SUN = demo_id("reviewer", "sun")  # not on that team


def _window(qtbot: QtBot, services: Services) -> CaseWindow:
    window = CaseWindow(services, FILED)
    qtbot.addWidget(window)
    window.show()
    window.show_step(StepKey.ON_SITE)
    return window


def test_a_member_starts_the_review_and_the_checklist_appears(
    qtbot: QtBot, demo_services: Services
) -> None:
    demo_services.sign_in(WANG)
    window = _window(qtbot, demo_services)
    start = window.start_review
    assert start is not None and window.checklist is None
    assert start.isVisible() and start.start_button.isEnabled()
    with qtbot.waitSignal(window.changed):
        qtbot.mouseClick(start.start_button, Qt.MouseButton.LeftButton)
    state = demo_services.queries.case_file(FILED)
    assert state.case.status == CaseStatus.ON_SITE_REVIEW
    assert state.case.review_started_at is not None
    assert isinstance(window.checklist, ChecklistPage) and window.start_review is None
    assert window.step_pages[StepKey.ON_SITE] is window.checklist
    assert window.checklist.isVisible() and window.checklist.editable
    on_site = window.steps.item(list(StepKey).index(StepKey.ON_SITE))
    assert on_site.text() == "实地核查：待办"


def test_nobody_signed_in_cannot_start(qtbot: QtBot, demo_services: Services) -> None:
    window = _window(qtbot, demo_services)
    start = window.start_review
    assert start is not None and not start.start_button.isEnabled()
    assert "请先登录" in start.start_button.toolTip()


def test_someone_off_the_team_is_refused_and_nothing_changes(
    qtbot: QtBot, demo_services: Services
) -> None:
    demo_services.sign_in(SUN)
    window = _window(qtbot, demo_services)
    start = window.start_review
    assert start is not None
    qtbot.mouseClick(start.start_button, Qt.MouseButton.LeftButton)
    assert start.problems.isVisible() and "未保存" in start.problems.text()
    assert demo_services.queries.case_file(FILED).case.status == CaseStatus.TEAM_FILED
    assert window.checklist is None and window.start_review is start


def test_the_start_page_in_english(qtbot: QtBot, demo_services: Services, english: None) -> None:
    demo_services.sign_in(WANG)
    window = _window(qtbot, demo_services)
    start = window.start_review
    assert start is not None
    assert start.start_button.text() == "&Start the on-site review"
    assert "Start the on-site review once the team is filed" in start.state_label.text()
