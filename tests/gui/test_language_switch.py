"""Switching the language in the settings while the app runs: the windows are rebuilt in the
new language where they were (case list filters and sorting, each case window's step and
checklist item, what was typed), the sync panel carries on; an open dialog refuses the switch
and keeps nothing; background work is waited for."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.core.case_steps import StepKey
from inspector_app.core.checklist import NO_RESULT
from inspector_app.core.forms.model import RESULT_CONFORM, RESULT_MINOR
from inspector_app.core.model import CaseStatus, Stage
from inspector_app.demo import demo_id
from inspector_app.store.casework import load_case_file
from inspector_app.store.workspace import open_workspace
from inspector_app.ui.case_window import CaseWindow
from inspector_app.ui.checklist import ChecklistPage
from inspector_app.ui.feedback_step import FeedbackStep
from inspector_app.ui.i18n import install_translator, remove_translators, shown_language
from inspector_app.ui.language_switch import carry_typed
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.opinion_step import OpinionStep
from inspector_app.ui.preferences import UserPreferences
from inspector_app.ui.qt import (
    QApplication,
    QDialogButtonBox,
    QEvent,
    QLineEdit,
    QPlainTextEdit,
    Qt,
    QWidget,
)
from inspector_app.ui.settings_dialog import SettingsDialog
from inspector_app.ui.signatures_step import SignaturesStep
from inspector_app.ui.tasks import ImmediateRunner, JobContext, TaskRunner
from tests.gui import test_sync_panel
from tests.gui.conftest import WANG
from tests.gui.test_checklist_undo import CTRL, CTRL_SHIFT
from tests.gui.test_sampling_step import (
    LEADER,
    NAMESAKE,
    PASSED_CASE,
    add_seal,
    fill_record,
    photo,
    sampler_box,
)
from tests.gui.test_settings_dialog import click_ok, open_settings
from tests.gui.test_signatures_step import scribble
from tests.gui.test_sync_panel import PASSPHRASE, Asker

MakeWindow = Callable[[Services], MainWindow]
enrolled = test_sync_panel.enrolled
"""The demo workspace enrolled with an office on a loopback socket (a fixture)."""
CEMENT_CASE = demo_id("c", "case")  # XK08-2026-0201, on-site review under way
ON_SITE_ROW = list(StepKey).index(StepKey.ON_SITE)


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[None]:
    """Start in Chinese through the translator (as a Chinese system does); none afterwards."""
    assert install_translator(qapp, "zh") == "zh"
    yield
    remove_translators(qapp)


@pytest.fixture
def preferences(tmp_path: Path) -> UserPreferences:
    return UserPreferences.at(tmp_path / "config" / "inspector.ini")


SHOWN: list[MainWindow] = []
"""The main windows a test showed (a switch deletes the old one: qtbot cannot close it)."""


@pytest.fixture
def make_window(qtbot: QtBot) -> Iterator[MakeWindow]:
    """Build and show the main window over some services, with an ImmediateRunner; every main
    window still there is closed after the test."""

    def make(services: Services) -> MainWindow:
        window = MainWindow(
            services, lambda: ImmediateRunner(services.workspace), workspace_label="演示工作区"
        )
        SHOWN.append(window)
        window.resize(1366, 768)
        window.show()
        return window

    yield make
    for window in SHOWN:
        if shiboken6.isValid(window):
            window.close()
            window.deleteLater()
    SHOWN.clear()


def choose_language(qtbot: QtBot, window: MainWindow, language: str) -> SettingsDialog:
    """Open the settings of `window`, pick `language` and press OK; return the dialog."""
    dialog = open_settings(qtbot, window)
    dialog.language.setCurrentIndex(dialog.language.findData(language))
    click_ok(qtbot, dialog)
    return dialog


def switched(qtbot: QtBot, window: MainWindow, language: str) -> MainWindow:
    """Change the language in the settings of `window`; return the rebuilt main window."""
    choose_language(qtbot, window, language)
    switch = window.language_switch
    with qtbot.waitSignal(switch.finished) as blocker:
        pass
    new = blocker.args[0]
    assert isinstance(new, MainWindow) and new is not window
    SHOWN.append(new)
    qtbot.waitUntil(lambda: not shiboken6.isValid(window))  # the old one is gone
    return new


def ok_text(qtbot: QtBot, window: MainWindow) -> str:
    """Return what the settings' OK button says (Qt's own word), then close the settings."""
    dialog = open_settings(qtbot, window)
    box = dialog.findChild(QDialogButtonBox)
    text = box.button(QDialogButtonBox.StandardButton.Ok).text()
    dialog.reject()
    return text


def test_the_open_windows_switch_language_where_they_were_and_back(
    qtbot: QtBot,
    demo_services: Services,
    preferences: UserPreferences,
    wang_window: MainWindow,
) -> None:
    window = wang_window
    window.search.setText("XK08")
    window.status_filter.setCurrentIndex(
        window.status_filter.findData(CaseStatus.ON_SITE_REVIEW.value)
    )
    window.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    window.select_case(CEMENT_CASE)
    shown = window.proxy.rowCount()
    assert 0 < shown < window.model.rowCount()
    case = window.open_case(CEMENT_CASE)
    assert case.checklist is not None
    item = case.checklist.form.items()[3].code  # not where the window opens
    assert case.checklist.select_code(item)
    assert ok_text(qtbot, window) == "确定"  # Qt's own words in Chinese too

    english = switched(qtbot, window, "en")

    assert shown_language(QApplication.instance()) == "en"
    assert english.menuBar().actions()[0].text() == "&File"
    assert english.windowTitle().startswith("Production Licence")
    assert english.search.placeholderText().startswith("Search")
    assert english.statusBar().currentMessage() == "The interface is now in English."
    # The case list as it was: search, filter, sorting, selection.
    assert english.search.text() == "XK08"
    assert english.status_filter.currentData() == CaseStatus.ON_SITE_REVIEW.value
    assert english.status_filter.currentText() == "On-site review"
    assert english.proxy.rowCount() == shown
    header = english.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        1,
        Qt.SortOrder.DescendingOrder,
    )
    assert english.selected_case_id() == CEMENT_CASE
    # The case window, rebuilt in English on the same step and item.
    rebuilt = english.case_windows[CEMENT_CASE]
    assert rebuilt is not case and rebuilt.isVisible()
    assert rebuilt.steps.currentRow() == ON_SITE_ROW
    assert rebuilt.steps.item(ON_SITE_ROW).text().startswith("On-site")
    assert rebuilt.checklist is not None
    assert rebuilt.checklist.current_code == item
    assert rebuilt.checklist.conclude_button.text().startswith("&Conclude")
    # The sync panel works and counts in English; Qt's buttons are English.
    pending = demo_services.queries.sync_state().pending
    assert english.sync_panel.pending.text() == f"{pending} to send"
    assert english.sync_panel.isVisible()
    assert ok_text(qtbot, english) == "OK"
    assert UserPreferences.at(preferences.file).language == "en"

    chinese_again = switched(qtbot, english, "zh")

    assert chinese_again.menuBar().actions()[0].text() == "文件(&F)"
    assert chinese_again.statusBar().currentMessage() == "界面已切换为中文。"
    assert chinese_again.search.text() == "XK08"
    assert chinese_again.proxy.rowCount() == shown
    assert chinese_again.selected_case_id() == CEMENT_CASE
    again = chinese_again.case_windows[CEMENT_CASE]
    assert again.checklist is not None and again.checklist.current_code == item
    assert again.steps.item(ON_SITE_ROW).text().startswith("实地核查")
    assert chinese_again.sync_panel.pending.text() == f"待上传 {pending} 项"
    assert ok_text(qtbot, chinese_again) == "确定"
    assert UserPreferences.at(preferences.file).language == "zh"


def test_what_was_typed_and_not_recorded_is_kept(
    qtbot: QtBot,
    demo_services: Services,
    wang_window: MainWindow,
) -> None:
    window = wang_window
    case = window.open_case(CEMENT_CASE)
    assert case.checklist is not None
    item = case.checklist.form.items()[1].code
    case.checklist.select_code(item)
    case.checklist.note.setFocus()
    case.checklist.note.setPlainText("现场查看原料库，标识不清")  # typed, the field not left
    opinion = case.step_pages[StepKey.OBJECTION]
    assert isinstance(opinion, OpinionStep)
    opinion.text.setPlainText("企业对第3项有异议")
    opinion.representative.setText("周莉莉")
    signatures = case.step_pages[StepKey.SIGN_OFF]
    assert isinstance(signatures, SignaturesStep)
    case.show_step(StepKey.SIGN_OFF)
    qtbot.waitExposed(signatures.pad)
    scribble(qtbot, signatures.pad)
    drawn = signatures.pad.strokes()
    assert drawn

    english = switched(qtbot, window, "en")

    # The note typed on the checklist was saved as leaving the field saves it.
    result = next(
        r
        for r in load_case_file(demo_services.workspace.db, CEMENT_CASE).results
        if r.item_code == item
    )
    assert result.note == "现场查看原料库，标识不清"
    rebuilt = english.case_windows[CEMENT_CASE]
    assert rebuilt.steps.currentRow() == list(StepKey).index(StepKey.SIGN_OFF)
    new_opinion = rebuilt.step_pages[StepKey.OBJECTION]
    assert isinstance(new_opinion, OpinionStep)
    assert new_opinion.text.toPlainText() == "企业对第3项有异议"
    assert new_opinion.representative.text() == "周莉莉"
    assert not load_case_file(demo_services.workspace.db, CEMENT_CASE).objections  # not recorded
    new_signatures = rebuilt.step_pages[StepKey.SIGN_OFF]
    assert isinstance(new_signatures, SignaturesStep)
    assert new_signatures.pad.strokes() == drawn
    assert rebuilt.checklist is not None
    assert rebuilt.checklist.current_code == item
    assert rebuilt.checklist.note.toPlainText() == "现场查看原料库，标识不清"


def test_an_open_dialog_refuses_the_switch_and_nothing_is_kept(
    qtbot: QtBot,
    preferences: UserPreferences,
    wang_window: MainWindow,
) -> None:
    window = wang_window
    case = window.open_case(CEMENT_CASE)
    case.show_step(StepKey.FEEDBACK)
    page = case.pages.currentWidget()
    assert isinstance(page, FeedbackStep)
    page.stage.setCurrentIndex(page.stage.findData(Stage.ON_SITE.value))
    qtbot.mouseClick(page.fill_button, Qt.MouseButton.LeftButton)
    fill = page.fill_dialog
    assert fill is not None and fill.isVisible()
    # A case window's dialog is modal over its window and the main window: no settings then.
    qtbot.keyClick(window.table, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert window.settings_dialog is None
    fill.reject()

    dialog = open_settings(qtbot, window)
    # The settings block only the main window: the enterprise starts its form meanwhile.
    qtbot.mouseClick(page.fill_button, Qt.MouseButton.LeftButton)
    fill = page.fill_dialog
    assert fill is not None and fill.isVisible()
    fill.free_text.setPlainText("希望尽快出具报告")
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    click_ok(qtbot, dialog)

    assert dialog.isVisible()  # refused: the settings stay open
    problem = dialog.language_problem.text()
    assert "切换语言会重建窗口" in problem
    assert fill.windowTitle() in problem and case.windowTitle() in problem
    assert preferences.language is None  # nothing kept
    assert dialog.switch_to is None
    assert shown_language(QApplication.instance()) == "zh"
    assert fill.isVisible() and fill.free_text.toPlainText() == "希望尽快出具报告"
    assert window.case_windows[CEMENT_CASE] is case

    fill.reject()  # the enterprise gives up; now the switch goes ahead
    click_ok(qtbot, dialog)
    with qtbot.waitSignal(window.language_switch.finished) as blocker:
        pass
    english = blocker.args[0]
    SHOWN.append(english)
    assert english is not window
    assert english.case_windows[CEMENT_CASE].steps.currentRow() == list(StepKey).index(
        StepKey.FEEDBACK
    )
    assert preferences.language == "en"


def test_the_switch_waits_for_background_work_and_shares_the_runner(
    qtbot: QtBot, chinese: None, make_window: MakeWindow, demo_services: Services
) -> None:
    folder = demo_services.workspace.folder
    runner = TaskRunner(lambda: open_workspace(folder, install_forms=False))
    window = MainWindow(demo_services, lambda: runner, workspace_label="演示")
    SHOWN.append(window)
    window.show()
    release = threading.Event()
    outcomes: list[object] = []

    def job(_context: JobContext) -> str:
        release.wait(10)
        return "done"

    window.runner.submit(job, lambda result, _error: outcomes.append(result))
    switch = window.switch_language("zh")
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("后台任务"))
    assert switch.result is None and window.isVisible()  # not rebuilt while the job runs
    assert window.switch_language("en") is switch  # chosen again meanwhile: the latest wins

    release.set()
    with qtbot.waitSignal(switch.finished, timeout=10_000) as blocker:
        pass
    english = blocker.args[0]
    SHOWN.append(english)
    assert outcomes == ["done"]  # delivered before the old window went
    assert english.menuBar().actions()[0].text() == "&File"
    assert english.runner is runner
    # How the app ends (launch.py keeps the first window): the one runner stops.
    window.stop_background()
    assert not runner.is_running


def test_a_lang_run_keeps_its_language_until_the_choice_is_changed(
    qtbot: QtBot,
    qapp: QApplication,
    make_window: MakeWindow,
    demo_services: Services,
    preferences: UserPreferences,
) -> None:
    preferences.set_language("zh")
    # `inspector --lang en` with Chinese chosen in the settings.
    assert install_translator(qapp, "en", preference=preferences.language) == "en"
    try:
        window = make_window(demo_services)
        window.preferences = preferences
        dialog = open_settings(qtbot, window)
        assert dialog.language.currentData() == "zh"
        click_ok(qtbot, dialog)  # nothing changed: the run stays English
        assert dialog.switch_to is None
        assert shown_language(qapp) == "en"

        english_kept = choose_language(qtbot, window, "en")  # what is shown: nothing to rebuild
        assert english_kept.switch_to is None and preferences.language == "en"

        chinese = switched(qtbot, window, "zh")  # changed during the run: switches at once
        assert chinese.menuBar().actions()[0].text() == "文件(&F)"
        assert shown_language(qapp) == "zh"
    finally:
        remove_translators(qapp)


def test_a_sampling_record_half_filled_with_its_seals_is_carried_over_and_saved(
    qtbot: QtBot,
    demo_services: Services,
    tmp_path: Path,
    wang_window: MainWindow,
) -> None:
    window = wang_window
    case = window.open_case(PASSED_CASE)
    case.show_step(StepKey.SAMPLING)
    assert case.sampling is not None
    form = case.sampling.form
    assert form is not None
    fill_record(form)
    form.agency.setCurrentIndex(1)
    form.chosen_by_enterprise.setChecked(True)
    sampler_box(form, NAMESAKE).setChecked(True)
    first = add_seal(qtbot, form, "FY-2026-0901")
    form.seals.choose_photo(first, chooser=lambda _parent: photo(tmp_path, "封条.png", "seal"))
    second = add_seal(qtbot, form, "FY-2026-0902")
    form.seals.choose_photo(second, chooser=lambda _parent: photo(tmp_path, "二.png", "two"))
    typed = {name: edit.text() for name, edit in form.fields.items()}
    seals = form.seals.seals()
    assert seals[0][1] is not None  # the photo is stored, the record is not

    english = switched(qtbot, window, "en")

    rebuilt = english.case_windows[PASSED_CASE]
    assert rebuilt.steps.currentRow() == list(StepKey).index(StepKey.SAMPLING)
    assert rebuilt.sampling is not None and rebuilt.sampling.form is not None
    carried = rebuilt.sampling.form
    assert {name: edit.text() for name, edit in carried.fields.items()} == typed
    assert carried.representative.text() == "张明远"
    assert carried.agency.currentIndex() == 1 and carried.chosen_by_enterprise.isChecked()
    assert sampler_box(carried, NAMESAKE).isChecked() and sampler_box(carried, LEADER).isChecked()
    assert carried.seals.seals() == seals
    assert rebuilt.sampling.save_button.text().isascii()  # in English

    with qtbot.waitSignal(rebuilt.sampling.changed):
        qtbot.mouseClick(rebuilt.sampling.save_button, Qt.MouseButton.LeftButton)
    assert not rebuilt.sampling.problems.isVisible()
    (sample,) = demo_services.queries.case_file(PASSED_CASE).samples
    assert sample.batch_no == typed["batch_no"]
    assert sample.enterprise_representative == "张明远"
    assert sample.agency_chosen_by_enterprise and len(sample.sampler_ids) == 2


def test_typed_text_the_rebuilt_window_has_no_place_for_undoes_the_switch(
    qtbot: QtBot,
    chinese: None,
    make_window: MakeWindow,
    demo_services: Services,
) -> None:
    window = make_window(demo_services)
    case = window.open_case(CEMENT_CASE)
    stray = QLineEdit(case.centralWidget())  # a field only the old window has
    stray.setObjectName("strayField")
    stray.setText("只在旧窗口里")

    switch = window.switch_language("en")
    with qtbot.waitSignal(switch.finished) as blocker:
        pass

    assert blocker.args[0] is window  # not rebuilt
    assert shown_language(QApplication.instance()) == "zh"
    assert window.isVisible() and window.case_windows[CEMENT_CASE] is case
    assert stray.text() == "只在旧窗口里"
    assert window.message_box is not None
    assert "语言未切换" in window.message_box.text() and "strayField" in window.message_box.text()
    qtbot.waitUntil(  # the windows built for the switch are gone
        lambda: [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)] == [window]
    )

    window.message_box.accept()
    stray.clear()  # nothing typed there any more: the switch goes ahead
    again = window.switch_language("en")
    with qtbot.waitSignal(again.finished) as blocker:
        pass
    english = blocker.args[0]
    SHOWN.append(english)
    assert english is not window and shown_language(QApplication.instance()) == "en"


def test_carry_typed_names_what_has_no_place(qtbot: QtBot) -> None:
    old, new = QWidget(), QWidget()
    qtbot.addWidget(old)
    qtbot.addWidget(new)
    for parent in (old, new):
        field = QLineEdit(parent)
        field.setObjectName("name")
    old.findChild(QLineEdit, "name").setText("周莉莉")
    extra = QPlainTextEdit(old)
    extra.setObjectName("opinion")
    extra.setPlainText("有异议")
    empty = QLineEdit(old)
    empty.setObjectName("nothingTyped")

    assert carry_typed(old, new) == ["opinion"]  # an empty field is not missed
    assert new.findChild(QLineEdit, "name").text() == "周莉莉"


def test_the_sync_panel_carries_on_without_asking_the_passphrase_again(
    qtbot: QtBot, chinese: None, make_window: MakeWindow, enrolled: Services
) -> None:
    window = make_window(enrolled)
    ask = Asker(PASSPHRASE)
    window.sync_panel._ask = ask  # the prompt, answered by the test
    with qtbot.waitSignal(window.sync_panel.synced, timeout=60_000):
        qtbot.mouseClick(window.sync_panel.button, Qt.MouseButton.LeftButton)
    assert window.sync_panel.pending.text().startswith("待上传 0 项")  # the registry held

    switch = window.switch_language("en")
    with qtbot.waitSignal(switch.finished) as blocker:
        pass
    english = blocker.args[0]
    SHOWN.append(english)

    panel = english.sync_panel
    assert panel.pending.text().startswith("0 to send")  # the registry held
    assert panel.indicator.text() == "● Office online"  # what the old panel knew
    not_again = Asker()
    panel._ask = not_again
    with qtbot.waitSignal(panel.synced, timeout=60_000):
        qtbot.mouseClick(panel.button, Qt.MouseButton.LeftButton)
    assert not_again.asked == 0  # the passphrase of this run was kept
    assert panel.message.text().startswith("Sync")


# The checklist's undo history carries over the switch ------------------------------------------


@pytest.fixture
def wang_window(
    chinese: None, make_window: MakeWindow, demo_services: Services, preferences: UserPreferences
) -> Iterator[MainWindow]:
    """The main window in Chinese, 王建华 signed in, the settings kept in the test's own file.

    Afterwards every main window shown is closed and deleted before the workspace closes: a
    last edit's sync-panel refresh (a moment after the edit) must not read a closed workspace.
    """
    demo_services.sign_in(WANG)
    window = make_window(demo_services)
    window.preferences = preferences
    yield window
    for shown in SHOWN:
        if shiboken6.isValid(shown):
            shown.close()
            shown.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not any(shiboken6.isValid(shown) for shown in SHOWN)


def keyed_page(qtbot: QtBot, case: CaseWindow) -> ChecklistPage:
    """Return the checklist of `case`, its window active and the focus in the tree (where the
    number keys and Ctrl+Z work)."""
    page = case.checklist
    assert page is not None and page.editable, page and page.read_only_reason
    case.show_step(StepKey.ON_SITE)
    case.activateWindow()
    qtbot.waitUntil(case.isActiveWindow)
    page.tree.setFocus()
    qtbot.waitUntil(page.tree.hasFocus)
    return page


def switched_back_there(qtbot: QtBot, window: MainWindow, language: str) -> MainWindow:
    """Go back to the main window from a case window (as a person does), then switch."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return switched(qtbot, window, language)


def result_of(services: Services, code: str) -> tuple[str, str] | None:
    """What the store holds for item `code` of the cement case: (result, note), or None."""
    state = load_case_file(services.workspace.db, CEMENT_CASE)
    found = next((r for r in state.results if r.item_code == code), None)
    return None if found is None else (found.result, found.note)


def test_undo_and_redo_carry_on_across_switches_of_language(
    qtbot: QtBot, wang_window: MainWindow, demo_services: Services
) -> None:
    window = wang_window
    page = keyed_page(qtbot, window.open_case(CEMENT_CASE))
    first = page.current_code
    assert first is not None and result_of(demo_services, first) is None
    qtbot.keyClick(page.tree, Qt.Key.Key_1)  # A: 符合
    qtbot.keyClick(page.tree, Qt.Key.Key_N)
    second = page.current_code
    assert second is not None and second != first
    assert result_of(demo_services, second) is None
    page.note.setPlainText("记录缺签名")  # a finding needs its note
    qtbot.keyClick(page.tree, Qt.Key.Key_2)  # B: 基本符合, with the note
    assert result_of(demo_services, first) == (RESULT_CONFORM, "")
    assert result_of(demo_services, second) == (RESULT_MINOR, "记录缺签名")
    assert page.undo_button.toolTip() == f"撤销：第 {second} 项判为基本符合（Ctrl+Z）"

    english = switched_back_there(qtbot, window, "en")

    page = keyed_page(qtbot, english.case_windows[CEMENT_CASE])
    assert page.undo_button.isEnabled() and not page.redo_button.isEnabled()
    assert page.undo_button.toolTip() == f"Undo: item {second} judged Largely conforms (Ctrl+Z)"
    qtbot.keyClick(page.tree, Qt.Key.Key_Z, CTRL)  # takes back B
    assert result_of(demo_services, second) == (NO_RESULT, "")
    assert result_of(demo_services, first) == (RESULT_CONFORM, "")
    assert page.current_code == second
    # Said once the disk confirmed it.
    undone = f"Undone: item {second} judged Largely conforms"
    qtbot.waitUntil(lambda: page.saved_label.text() == undone)
    assert page.undo_button.toolTip() == f"Undo: item {first} judged Conforms (Ctrl+Z)"
    qtbot.keyClick(page.tree, Qt.Key.Key_Z, CTRL)  # then A
    assert result_of(demo_services, first) == (NO_RESULT, "")
    assert result_of(demo_services, second) == (NO_RESULT, "")
    assert not page.undo_button.isEnabled()
    qtbot.keyClick(page.tree, Qt.Key.Key_Z, CTRL_SHIFT)  # A again
    assert result_of(demo_services, first) == (RESULT_CONFORM, "")
    assert result_of(demo_services, second) == (NO_RESULT, "")
    assert page.redo_button.toolTip() == (
        f"Redo: item {second} judged Largely conforms (Ctrl+Shift+Z)"
    )

    # What is left to redo carries over too.
    chinese_again = switched_back_there(qtbot, english, "zh")

    page = keyed_page(qtbot, chinese_again.case_windows[CEMENT_CASE])
    assert page.redo_button.toolTip() == f"重做：第 {second} 项判为基本符合（Ctrl+Shift+Z）"
    qtbot.keyClick(page.tree, Qt.Key.Key_Z, CTRL_SHIFT)  # B again
    assert result_of(demo_services, second) == (RESULT_MINOR, "记录缺签名")
    assert result_of(demo_services, first) == (RESULT_CONFORM, "")
    assert not page.redo_button.isEnabled()
    qtbot.keyClick(page.tree, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(page.tree, Qt.Key.Key_Z, CTRL)
    assert result_of(demo_services, first) == (NO_RESULT, "")
    assert result_of(demo_services, second) == (NO_RESULT, "")


def test_a_note_saved_by_the_switch_is_the_first_edit_undone(
    qtbot: QtBot, wang_window: MainWindow, demo_services: Services
) -> None:
    window = wang_window
    page = keyed_page(qtbot, window.open_case(CEMENT_CASE))
    code = page.current_code
    assert code is not None
    qtbot.keyClick(page.tree, Qt.Key.Key_1)
    page.note.setFocus()
    page.note.setPlainText("原料库标识不清")  # typed, the field not left

    english = switched_back_there(qtbot, window, "en")

    assert result_of(demo_services, code) == (RESULT_CONFORM, "原料库标识不清")
    page = keyed_page(qtbot, english.case_windows[CEMENT_CASE])
    assert page.undo_button.toolTip() == f"Undo: the note of item {code} (Ctrl+Z)"
    qtbot.keyClick(page.tree, Qt.Key.Key_Z, CTRL)
    assert result_of(demo_services, code) == (RESULT_CONFORM, "")
    qtbot.keyClick(page.tree, Qt.Key.Key_Z, CTRL)
    assert result_of(demo_services, code) == (NO_RESULT, "")


def test_a_switch_undone_leaves_the_history_with_the_old_window(
    qtbot: QtBot, wang_window: MainWindow, demo_services: Services
) -> None:
    window = wang_window
    case = window.open_case(CEMENT_CASE)
    page = keyed_page(qtbot, case)
    code = page.current_code
    assert code is not None
    qtbot.keyClick(page.tree, Qt.Key.Key_1)
    stray = QLineEdit(case.centralWidget())  # a field only the old window has: no switch
    stray.setObjectName("strayField")
    stray.setText("只在旧窗口里")

    switch = window.switch_language("en")
    with qtbot.waitSignal(switch.finished) as blocker:
        pass

    assert blocker.args[0] is window and window.case_windows[CEMENT_CASE] is case
    assert window.message_box is not None
    window.message_box.accept()
    page = keyed_page(qtbot, case)
    assert page.undo_button.toolTip() == f"撤销：第 {code} 项判为符合（Ctrl+Z）"
    qtbot.keyClick(page.tree, Qt.Key.Key_Z, CTRL)
    assert result_of(demo_services, code) == (NO_RESULT, "")
