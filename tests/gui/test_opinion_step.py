"""The enterprise's opinion page (企业意见): an opinion with its representative recorded through
the form and found in the store, a refusal shown next to the form, what is recorded shown, and
the page blocked with the domain's reason before the conclusion and after the sign-off."""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.core.case_steps import StepKey
from inspector_app.demo import demo_id
from inspector_app.ui.case_window import CaseWindow
from inspector_app.ui.opinion_step import OpinionStep
from inspector_app.ui.qt import Qt
from tests.gui.conftest import NOW, WANG

SHOTS = Path(os.environ.get("INSPECTOR_SHOTS", "/tmp/shots-case-pages"))
PASSED = "XK08-2026-0202"


def _page(qtbot: QtBot, services: Services, application_no: str) -> tuple[CaseWindow, OpinionStep]:
    window = CaseWindow(services, services.queries.case_id(application_no))
    qtbot.addWidget(window)
    window.show()
    window.show_step(StepKey.OBJECTION)
    page = window.step_pages[StepKey.OBJECTION]
    assert isinstance(page, OpinionStep)
    return window, page


def test_an_opinion_is_recorded_with_its_representative(
    qtbot: QtBot, demo_services: Services
) -> None:
    demo_services.sign_in(WANG)
    window, page = _page(qtbot, demo_services, PASSED)
    assert page.record_button.isEnabled()
    assert "尚未记录" in page.recorded.text()
    page.text.setPlainText("企业对核查结论无异议。\n第 2.1 项已当场整改。")
    page.representative.setText("张明远")
    with qtbot.waitSignal(window.changed):
        qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)

    (stored,) = demo_services.queries.case_file(window.case_id).objections
    assert stored.text == "企业对核查结论无异议。\n第 2.1 项已当场整改。"
    assert stored.representative == "张明远"
    assert stored.recorded_at == NOW
    assert "张明远" in page.recorded.text() and "当场整改" in page.recorded.text()
    assert page.text.toPlainText() == "" and page.message.text() == "已记录企业意见。"
    assert window.step_states[StepKey.OBJECTION].state.value == "done"
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "opinion-zh.png"))


def test_a_missing_representative_is_refused_next_to_the_form(
    qtbot: QtBot, demo_services: Services
) -> None:
    demo_services.sign_in(WANG)
    window, page = _page(qtbot, demo_services, PASSED)
    page.text.setPlainText("有异议")
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    assert "请填写提出意见的企业代表" in page.message.text()
    assert page.text.toPlainText() == "有异议"  # nothing typed is lost
    assert demo_services.queries.case_file(window.case_id).objections == ()


def test_before_the_conclusion_the_page_shows_the_domains_reason(
    qtbot: QtBot, demo_services: Services
) -> None:
    demo_services.sign_in(WANG)
    _, page = _page(qtbot, demo_services, "XK08-2026-0201")  # on site, not concluded
    assert page.blocked.isVisible()
    assert "实地核查中" in page.blocked.text() and "不能记录企业意见" in page.blocked.text()
    assert not page.record_button.isEnabled() and not page.text.isEnabled()


def test_a_signed_off_case_shows_its_opinion_and_takes_no_more(
    qtbot: QtBot, demo_services: Services
) -> None:
    demo_services.sign_in(WANG)
    _, page = _page(qtbot, demo_services, "XK16-2026-0301")
    assert "第 3.2 项的判定依据不足" in page.recorded.text()
    assert "赵洪涛" in page.recorded.text()
    assert page.blocked.isVisible() and "签发" in page.blocked.text()
    assert not page.record_button.isEnabled()


def test_nobody_signed_in_cannot_record(qtbot: QtBot, demo_services: Services) -> None:
    _, page = _page(qtbot, demo_services, PASSED)
    assert not page.record_button.isEnabled()
    assert "请先登录" in page.access.text()


def test_a_reviewer_off_the_team_cannot_record_and_is_told_why(
    qtbot: QtBot, demo_services: Services
) -> None:
    demo_services.sign_in(demo_id("reviewer", "sun"))  # 孙海涛: steel, not on the cement team
    window, page = _page(qtbot, demo_services, PASSED)
    assert not page.record_button.isEnabled() and not page.text.isEnabled()
    assert page.access.isVisibleTo(page) and "只有本案审查组成员" in page.access.text()
    assert "孙海涛" in page.access.text()
    assert demo_services.queries.case_file(window.case_id).objections == ()


def test_the_page_in_english(qtbot: QtBot, demo_services: Services, english: None) -> None:
    demo_services.sign_in(WANG)
    window, page = _page(qtbot, demo_services, PASSED)
    assert page.heading.text().startswith("Enterprise opinion: XK08-2026-0202")
    assert "No opinion of the enterprise recorded yet." in page.recorded.text()
    page.text.setPlainText("无异议")
    page.representative.setText("张明远")
    with qtbot.waitSignal(page.changed):
        qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    assert "representative 张明远:" in page.recorded.text()
    assert page.message.text() == "Opinion recorded."
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "opinion-en.png"))
