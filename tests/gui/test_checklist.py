"""The case window and its on-site checklist, driven by the keyboard and the mouse on the demo's
cement case XK08-2026-0201 (on-site review under way), with assertions on what the store holds."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.core.case_steps import StepKey
from inspector_app.core.forms.model import RESULT_CONFORM, RESULT_MINOR, RESULT_NONCONFORM
from inspector_app.core.team import acting_member
from inspector_app.demo import demo_id, demo_png
from inspector_app.store.casework import load_case_file
from inspector_app.ui.case_window import CaseWindow
from inspector_app.ui.checklist import ChecklistFilter, ChecklistPage
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.qt import Qt
from tests.gui.conftest import WANG, WANG2

MakeWindow = Callable[[Services], MainWindow]
CEMENT_CASE = demo_id("c", "case")  # XK08-2026-0201, on-site review under way
ACCEPTED_CASE = demo_id("a", "case")  # XK06-2026-0101, only accepted
SHOTS = os.environ.get("INSPECTOR_SCREENSHOTS")  # a folder: save screenshots there


def case_window(qtbot: QtBot, services: Services, case_id: str = CEMENT_CASE) -> CaseWindow:
    window = CaseWindow(services, case_id)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def page_of(window: CaseWindow) -> ChecklistPage:
    assert window.checklist is not None
    return window.checklist


def stored(services: Services, code: str) -> object:
    state = load_case_file(services.workspace.db, CEMENT_CASE)
    return next((r for r in state.results if r.item_code == code), None)


def visible_codes(page: ChecklistPage) -> list[str]:
    codes = []
    proxy = page.proxy
    for s in range(proxy.rowCount()):
        section = proxy.index(s, 0)
        for r in range(proxy.rowCount(section)):
            codes.append(proxy.index(r, 0, section).data(Qt.ItemDataRole.UserRole))
    return codes


def test_enter_on_a_row_of_the_case_list_opens_the_case_window(
    qtbot: QtBot, make_window: MakeWindow, demo_services: Services
) -> None:
    window = make_window(demo_services)
    assert window.select_case(CEMENT_CASE)
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    opened = window.case_windows[CEMENT_CASE]
    assert opened.isVisible()
    assert "XK08-2026-0201" in opened.windowTitle()
    assert opened.pages.currentWidget() is opened.checklist
    assert "实地核查期限：2026-12-17" in opened.deadline.text()


def test_a_result_by_number_key_is_stored_with_the_signed_in_reviewers_member(
    qtbot: QtBot, demo_services: Services
) -> None:
    demo_services.sign_in(WANG2)  # the namesake: told apart by id
    window = case_window(qtbot, demo_services)
    page = page_of(window)
    assert page.editable, page.read_only_reason
    code = page.current_code  # the first unanswered item is shown at first
    assert code is not None and stored(demo_services, code) is None
    qtbot.keyClick(page.tree, Qt.Key.Key_1)
    result = stored(demo_services, code)
    assert result is not None and result.result == RESULT_CONFORM  # type: ignore[attr-defined]
    state = load_case_file(demo_services.workspace.db, CEMENT_CASE)
    member = acting_member(state.members, demo_services.acting_reviewer().actor)
    assert member is not None and member.reviewer_id == WANG2
    assert result.assessor_id == member.id  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not page.views_pending)  # the pane and verdict follow the edit
    assert "已核查 13 / 18 项" in page.progress_label.text()
    assert "已核查 13 / 18 项" not in window.header.text()


def test_a_result_that_needs_a_note_is_refused_with_the_domains_message_until_one_is_given(
    qtbot: QtBot, demo_services: Services
) -> None:
    demo_services.sign_in(WANG)
    window = case_window(qtbot, demo_services)
    page = page_of(window)
    item = next(
        i
        for i in page.form.items()
        if i.code not in page.model.results
        and page.form.item(i.code) is not None
        and i.requires.get(RESULT_MINOR) == ("note",)
    )
    assert page.select_code(item.code)
    key = Qt.Key.Key_1 + item.allowed_results.index(RESULT_MINOR)
    qtbot.keyClick(page.tree, Qt.Key(key))
    assert f"第 {item.code} 项判为「基本符合」时须填写说明" in page.refusal.text()
    assert stored(demo_services, item.code) is None
    page.note.setPlainText("化验室记录缺少两天的签名。")
    qtbot.keyClick(page.tree, Qt.Key(key))
    result = stored(demo_services, item.code)
    assert result is not None and result.note == "化验室记录缺少两天的签名。"  # type: ignore[attr-defined]
    assert page.refusal.text() == ""


def test_n_goes_to_the_next_unanswered_item_and_ctrl_g_to_an_item_code(
    qtbot: QtBot, demo_services: Services
) -> None:
    demo_services.sign_in(WANG)
    window = case_window(qtbot, demo_services)
    page = page_of(window)
    pending = [i.code for i in page.form.items() if i.code not in page.model.results]
    assert page.current_code == pending[0]
    qtbot.keyClick(page.tree, Qt.Key.Key_N)
    assert page.current_code == pending[1]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(page.tree, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert page.goto.hasFocus()
    qtbot.keyClicks(page.goto, "1.2")
    qtbot.keyClick(page.goto, Qt.Key.Key_Return)
    assert page.current_code == "1.2"
    assert page.heading.text().startswith("第 1.2 项")
    page.goto.setText("9.9")
    qtbot.keyClick(page.goto, Qt.Key.Key_Return)
    assert "没有项目 9.9" in page.refusal.text()


def test_filters_show_the_unanswered_the_findings_and_mine(
    qtbot: QtBot, demo_services: Services
) -> None:
    demo_services.sign_in(WANG)
    window = case_window(qtbot, demo_services)
    page = page_of(window)
    results = page.model.results
    all_codes = [i.code for i in page.form.items()]
    assert visible_codes(page) == all_codes
    page.filter.setCurrentIndex(ChecklistFilter.UNANSWERED)
    assert visible_codes(page) == [c for c in all_codes if c not in results]
    page.filter.setCurrentIndex(ChecklistFilter.FINDINGS)
    findings = [c for c in all_codes if c in results and results[c].result == RESULT_MINOR]
    assert findings and visible_codes(page) == findings
    page.filter.setCurrentIndex(ChecklistFilter.MINE)
    assert page.member is not None
    mine = [c for c in all_codes if c in results and results[c].assessor_id == page.member.id]
    assert mine and visible_codes(page) == mine


def test_the_verdict_follows_each_result_with_its_reason(
    qtbot: QtBot, demo_services: Services, tmp_path: Path
) -> None:
    demo_services.sign_in(WANG)
    window = case_window(qtbot, demo_services)
    page = page_of(window)
    assert page.verdict_label.text() == "当前结论：未完成：尚有 6 项未核查"
    veto = next(i for i in page.form.items() if i.veto)
    page.select_code(veto.code)
    number = veto.allowed_results.index(RESULT_NONCONFORM)
    page.note.setPlainText("现场使用国家明令淘汰的立窑。")
    assert not page.choose_result_number(number)  # a photo is required too
    assert "须附照片" in page.refusal.text()
    photo = tmp_path / "kiln.png"
    photo.write_bytes(demo_png("kiln"))
    assert page.add_photo(lambda _parent: photo)
    qtbot.waitUntil(lambda: not page.views_pending)
    assert page.photo_count.text() == "照片 1 张"
    qtbot.mouseClick(page.result_buttons[number], Qt.MouseButton.LeftButton)
    result = stored(demo_services, veto.code)
    assert result is not None and len(result.evidence) == 1  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not page.views_pending)  # the pane and verdict follow the edit
    assert page.verdict_label.text() == f"当前结论：不合格：否决项 {veto.code} 不符合"
    if SHOTS:
        window.grab().save(str(Path(SHOTS) / "checklist-zh.png"))


def test_read_only_when_nobody_is_signed_in(qtbot: QtBot, demo_services: Services) -> None:
    window = case_window(qtbot, demo_services)
    page = page_of(window)
    assert not page.editable
    assert "需要登录的审查员" in page.read_only_label.text()
    assert all(not b.isEnabled() for b in page.result_buttons)
    assert page.note.isReadOnly()
    code = page.current_code
    assert code is not None
    qtbot.keyClick(page.tree, Qt.Key.Key_1)
    assert stored(demo_services, code) is None


def test_steps_of_an_accepted_case_are_blocked_with_the_domains_reason(
    qtbot: QtBot, demo_services: Services
) -> None:
    window = case_window(qtbot, demo_services, ACCEPTED_CASE)
    assert window.checklist is None
    keys = list(StepKey)
    on_site = window.steps.item(keys.index(StepKey.ON_SITE))
    assert on_site.text() == "实地核查：暂不能进行"
    assert "审查组尚未备案，不能开始实地核查" in on_site.toolTip()
    sign_off = window.steps.item(keys.index(StepKey.SIGN_OFF))
    assert sign_off.text() == "签字：暂不能进行"
    assert "不能组长签发" in sign_off.toolTip()
    assert window.steps.item(keys.index(StepKey.INTAKE)).text() == "企业与申请：已完成"
    start = window.start_review
    assert start is not None and window.step_pages[StepKey.ON_SITE] is start
    assert "审查组尚未备案" in start.state_label.text()
    assert not start.start_button.isEnabled()  # nothing to start before the filing


def test_the_checklist_model_passes_qtmodeltester(
    qtbot: QtBot, qtmodeltester: object, demo_services: Services
) -> None:
    window = case_window(qtbot, demo_services)
    page = page_of(window)
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    page.filter.setCurrentIndex(ChecklistFilter.UNANSWERED)
    qtmodeltester.check(page.proxy)  # type: ignore[attr-defined]


def test_the_case_window_in_english(qtbot: QtBot, english: None, demo_services: Services) -> None:
    demo_services.sign_in(WANG)
    window = case_window(qtbot, demo_services)
    page = page_of(window)
    assert "Status:" in window.header.text()
    assert window.steps.item(0).text() == "Enterprise and application: done"
    assert page.progress_label.text() == "12 of 18 items recorded"
    assert page.verdict_label.text().startswith("Verdict so far: ")
    if SHOTS:
        window.grab().save(str(Path(SHOTS) / "checklist-en.png"))


def test_the_team_step_is_hosted_by_the_case_window_and_a_change_refreshes_it(
    qtbot: QtBot, demo_services: Services
) -> None:
    from inspector_app.core.model import CaseStatus, Role
    from inspector_app.ui.team_step import TeamStep

    filed = demo_id("b", "case")  # XK06-2026-0102, team filed
    demo_services.sign_in(WANG)
    window = case_window(qtbot, demo_services, filed)
    window.show_step(StepKey.TEAM)
    assert isinstance(window.team, TeamStep) and window.pages.currentWidget() is window.team
    before = load_case_file(demo_services.workspace.db, filed).case.status
    assert before == CaseStatus.TEAM_FILED
    step = window.team
    step.picker.setCurrentIndex(step.picker.findData(demo_id("reviewer", "sun")))
    step.role.setCurrentIndex(step.role.findData(Role.MEMBER.value))
    with qtbot.waitSignal(window.changed, timeout=5000):
        qtbot.mouseClick(step.add_button, Qt.MouseButton.LeftButton)
    # a change after filing voids the filing: the store and the window's steps say so
    assert load_case_file(demo_services.workspace.db, filed).case.status == CaseStatus.ACCEPTED
    assert "备案" in window.step_states[StepKey.ON_SITE].reason
