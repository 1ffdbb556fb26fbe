"""The feedback form page (反馈表): each stage's hand-over and lateness as the domain decides,
a hand-over recorded by the signed-in member through the form and found in the store, a time in
the future refused with the store's message, and the page blocked on a signed-off case."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.core.case_steps import StepKey
from inspector_app.core.model import Role, Stage, new_id
from inspector_app.core.team import member_from_reviewer
from inspector_app.ui.case_window import CaseWindow
from inspector_app.ui.feedback_step import FeedbackStep
from inspector_app.ui.qt import QDateTime, Qt
from tests.gui.conftest import LI, NOW, WANG, WANG2

SHOTS = Path(os.environ.get("INSPECTOR_SHOTS", "/tmp/shots-case-pages"))
CEMENT = "XK08-2026-0201"  # on site: acceptance and on-site forms handed over, inspection not


def _page(qtbot: QtBot, services: Services, application_no: str) -> tuple[CaseWindow, FeedbackStep]:
    window = CaseWindow(services, services.queries.case_id(application_no))
    qtbot.addWidget(window)
    window.show()
    window.show_step(StepKey.FEEDBACK)
    page = window.step_pages[StepKey.FEEDBACK]
    assert isinstance(page, FeedbackStep)
    return window, page


def _column(page: FeedbackStep, column: int) -> list[str]:
    return [page.table.item(row, column).text() for row in range(page.table.rowCount())]


def _set_time(page: FeedbackStep, services: Services, delta: timedelta) -> None:
    at = services.settings.calendar.local(NOW + delta)
    page.handed_at.setDateTime(QDateTime(at.date(), at.time()))


def test_a_handover_is_recorded_by_the_signed_in_member(
    qtbot: QtBot, demo_services: Services
) -> None:
    demo_services.sign_in(WANG)
    window, page = _page(qtbot, demo_services, CEMENT)
    assert _column(page, 1) == ["已交付", "已交付", "尚未交付"]
    assert page.stage.currentData() == Stage.INSPECTION.value  # the first stage still waiting
    assert "王建华" in page.handed_by.text() and "江苏省" in page.handed_by.text()
    page.handed_to.setText("李振华（总经理）")
    _set_time(page, demo_services, -timedelta(hours=2))
    with qtbot.waitSignal(window.changed):
        qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)

    state = demo_services.queries.case_file(window.case_id)
    new = [h for h in state.handovers if h.stage == Stage.INSPECTION]
    assert len(new) == 1
    wang = next(m for m in state.members if m.reviewer_id == WANG)
    assert new[0].handed_by == wang.id
    assert new[0].handed_to == "李振华（总经理）"
    assert new[0].handed_at == NOW - timedelta(hours=2)
    assert _column(page, 1)[2] == "已交付"
    assert _column(page, 3)[2] == "李振华（总经理）"
    assert "产品检验" in page.message.text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "feedback-zh.png"))


def test_the_handovers_of_two_namesakes_show_who_handed_over_by_unit(
    qtbot: QtBot, demo_services: Services
) -> None:
    """The cement team has two 王建华: the table tells apart which one handed a form over."""
    demo_services.sign_in(WANG2)
    window, page = _page(qtbot, demo_services, CEMENT)
    page.handed_to.setText("李振华")
    _set_time(page, demo_services, -timedelta(hours=1))
    with qtbot.waitSignal(window.changed):
        qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    by = _column(page, 4)
    state = demo_services.queries.case_file(window.case_id)
    assert {m.reviewer_id for m in state.members if m.name == "王建华"} == {WANG, WANG2}
    assert by[0] != by[2], by  # the acceptance form (王建华 of the institute) and this one
    assert "中国水泥协会" in by[2] and "江苏省产品质量监督检验研究院" in by[0]


def test_a_time_in_the_future_is_refused_with_the_stores_message(
    qtbot: QtBot, demo_services: Services
) -> None:
    demo_services.sign_in(WANG)
    window, page = _page(qtbot, demo_services, CEMENT)
    before = demo_services.queries.case_file(window.case_id).handovers
    _set_time(page, demo_services, timedelta(days=2))
    assert page.record() is False
    assert demo_services.queries.case_file(window.case_id).handovers == before
    assert page.message.isVisible()
    assert "未保存" in page.message.text() and "晚于" in page.message.text()


def test_a_time_before_the_acceptance_day_is_refused_beside_the_form(
    qtbot: QtBot, demo_services: Services
) -> None:
    """A year typed wrong (2016 for 2026) is not a hand-over "in time": it is refused."""
    demo_services.sign_in(WANG)
    window, page = _page(qtbot, demo_services, CEMENT)
    before = demo_services.queries.case_file(window.case_id).handovers
    page.handed_to.setText("李振华")
    _set_time(page, demo_services, -timedelta(days=3653))
    assert page.record() is False
    assert demo_services.queries.case_file(window.case_id).handovers == before
    assert "早于受理日期" in page.message.text()
    assert _column(page, 1)[2] == "尚未交付"


def test_an_empty_recipient_is_refused_next_to_the_form(
    qtbot: QtBot, demo_services: Services
) -> None:
    demo_services.sign_in(WANG)
    window, page = _page(qtbot, demo_services, CEMENT)
    page.handed_to.setText("   ")
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    assert "请填写接收反馈表的企业负责人" in page.message.text()
    assert not [
        h
        for h in demo_services.queries.case_file(window.case_id).handovers
        if h.stage == Stage.INSPECTION
    ]


def test_a_late_handover_is_shown_late(qtbot: QtBot, demo_services: Services) -> None:
    """Case XK06-2026-0101 was accepted three days ago and no form was handed over: the
    acceptance stage shows as missing, and a hand-over made now is late."""
    demo_services.sign_in(WANG)
    case_id = demo_services.queries.case_id("XK06-2026-0101")
    wang = next(r for r in demo_services.queries.reviewers() if r.id == WANG)
    demo_services.steps().save_member(member_from_reviewer(wang, case_id, new_id(), Role.LEADER))
    _, page = _page(qtbot, demo_services, "XK06-2026-0101")
    assert _column(page, 1)[0] == "阶段已开始，未交付"
    assert page.stage.currentData() == Stage.ACCEPTANCE.value
    page.handed_to.setText("周建国")
    with qtbot.waitSignal(page.changed):
        qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    assert _column(page, 1)[0] == "迟交（阶段开始后才交付）"
    assert [h.stage for h in demo_services.queries.case_file(case_id).handovers] == [
        Stage.ACCEPTANCE
    ]


def test_someone_off_the_team_cannot_record(qtbot: QtBot, demo_services: Services) -> None:
    demo_services.sign_in(LI)  # on the wire-cable teams, not the cement one
    _, page = _page(qtbot, demo_services, CEMENT)
    assert not page.record_button.isEnabled()
    assert "不是本审查组成员" in page.handed_by.text()


def test_nobody_signed_in_cannot_record(qtbot: QtBot, demo_services: Services) -> None:
    _, page = _page(qtbot, demo_services, CEMENT)
    assert not page.record_button.isEnabled()
    assert "请先登录" in page.handed_by.text()


def test_a_signed_off_case_shows_why_nothing_can_be_added(
    qtbot: QtBot, demo_services: Services
) -> None:
    demo_services.sign_in(WANG)
    _, page = _page(qtbot, demo_services, "XK16-2026-0301")  # failed, signed off: no samples
    assert page.blocked.isVisible()
    assert "签发" in page.blocked.text()
    assert not page.record_button.isEnabled()
    assert _column(page, 1)[2] == "不需交付（审查不合格，不进行产品检验）"  # stages_owed


def test_the_page_in_english(qtbot: QtBot, demo_services: Services, english: None) -> None:
    demo_services.sign_in(WANG)
    window, page = _page(qtbot, demo_services, CEMENT)
    assert page.heading.text().startswith("Feedback form: XK08-2026-0201")
    assert _column(page, 0) == ["Acceptance", "On-site review", "Product inspection"]
    assert _column(page, 1) == ["Handed over", "Handed over", "Not handed over yet"]
    assert page.record_button.text() == "&Record hand-over"
    page.handed_to.setText("李振华")
    with qtbot.waitSignal(page.changed):
        qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    assert page.message.text() == "Hand-over for the “Product inspection” stage recorded."
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "feedback-en.png"))


def test_a_failed_review_owes_no_inspection_form(qtbot: QtBot, demo_services: Services) -> None:
    """A failed review takes no samples: its product inspection stage never comes, so its form
    is shown as not owed, and it is not offered as the stage still waiting."""
    demo_services.sign_in(WANG)
    _window, page = _page(qtbot, demo_services, "XK06-2026-0103")  # review failed
    stages = _column(page, 0)
    inspection = _column(page, 1)[stages.index("产品检验")]
    assert inspection == "不需交付（审查不合格，不进行产品检验）"
    assert page.stage.currentData() != Stage.INSPECTION.value
