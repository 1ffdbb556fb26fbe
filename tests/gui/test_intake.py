"""A new case by hand: the credit code is checked as it is typed; OK stores the case as the
signed-in reviewer; a refusal is shown in the dialog and nothing is written."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.core.model import CaseStatus
from inspector_app.demo import demo_credit_code
from inspector_app.store.casework import load_case_file
from inspector_app.ui.intake import IntakeDialog
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.qt import QDate, Qt
from tests.gui.conftest import WANG

MakeWindow = Callable[[Services], MainWindow]
GOOD_CODE = demo_credit_code(77)
SHOTS = Path(os.environ.get("INSPECTOR_SHOTS", "/tmp/shots"))


def _count_cases(services: Services) -> int:
    return len(services.queries.case_rows(alerts=False))


def _fill(
    dialog: IntakeDialog, *, code: str = GOOD_CODE, application_no: str = "XK-TEST-1"
) -> None:
    dialog.name.setText("南京新材料有限公司")
    dialog.credit_code.setText(code)
    dialog.address.setText("南京市江宁区科学园 1 号")
    dialog.contact_person.setText("赵六")
    dialog.phone.setText("025-12345678")
    dialog.application_no.setText(application_no)
    dialog.product.setText("通用硅酸盐水泥")
    dialog.agencies.setPlainText("国家水泥质量检验检测中心\n江苏省建材产品质量监督检验站\n")


def _pick_unit(dialog: IntakeDialog, form_id: str) -> None:
    index = next(
        i
        for i in range(dialog.product_unit.count())
        if dialog.product_unit.itemData(i)[0] == form_id
    )
    dialog.product_unit.setCurrentIndex(index)


def test_the_product_units_are_the_installed_forms_at_their_latest_version(
    qtbot: QtBot, demo_services: Services
) -> None:
    forms = {f.form_id: f for f in demo_services.queries.forms()}
    assert forms["cement"].version == 2
    assert "通用硅酸盐水泥" in forms["cement"].product_units
    demo_services.sign_in(WANG)
    dialog = IntakeDialog(demo_services)
    qtbot.addWidget(dialog)
    choices = [dialog.product_unit.itemData(i) for i in range(dialog.product_unit.count())]
    assert ("cement", 2, "通用硅酸盐水泥") in choices
    assert all(version == forms[form_id].version for form_id, version, _u in choices)
    # the regulation's calendar today by default
    today = demo_services.queries.today()
    assert dialog.accepted_on.date() == QDate(today.year, today.month, today.day)
    assert dialog.review_date.date() == dialog.accepted_on.date()


def test_a_new_case_with_a_valid_credit_code_is_stored(
    qtbot: QtBot, demo_services: Services
) -> None:
    demo_services.sign_in(WANG)
    before = _count_cases(demo_services)
    dialog = IntakeDialog(demo_services)
    qtbot.addWidget(dialog)
    dialog.show()
    _fill(dialog)
    _pick_unit(dialog, "cement")
    dialog.review_date.setDate(dialog.accepted_on.date().addDays(5))
    assert "校验通过" in dialog.credit_code_message.text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "intake-zh.png"))
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.change is not None
    assert _count_cases(demo_services) == before + 1
    state = load_case_file(demo_services.workspace.db, dialog.change.case_id)
    assert state.case.application_no == "XK-TEST-1"
    assert state.case.status == CaseStatus.ACCEPTED
    assert (state.case.form_id, state.case.form_version) == ("cement", 2)
    assert state.case.product_unit == "通用硅酸盐水泥"
    assert state.case.qualified_agencies == (
        "国家水泥质量检验检测中心",
        "江苏省建材产品质量监督检验站",
    )
    assert (state.case.review_date - state.case.accepted_on).days == 5
    assert state.enterprise.credit_code == GOOD_CODE
    assert state.enterprise.contact_person == "赵六"


def test_a_bad_code_shows_the_message_as_typed_and_refuses_ok(
    qtbot: QtBot, demo_services: Services
) -> None:
    demo_services.sign_in(WANG)
    before = _count_cases(demo_services)
    dialog = IntakeDialog(demo_services)
    qtbot.addWidget(dialog)
    dialog.show()
    _fill(dialog, code="")
    dialog.credit_code.setFocus()
    qtbot.keyClicks(dialog.credit_code, GOOD_CODE[:10])  # ASCII: typed key by key
    assert "格式不对" in dialog.credit_code_message.text()
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.credit_code, GOOD_CODE[10:])
    assert "校验通过" in dialog.credit_code_message.text()
    assert dialog.ok_button.isEnabled()
    wrong_check = GOOD_CODE[:17] + ("0" if GOOD_CODE[17] != "0" else "1")
    qtbot.keyClick(dialog.credit_code, Qt.Key.Key_Backspace)
    qtbot.keyClicks(dialog.credit_code, wrong_check[17])
    assert dialog.credit_code_message.text() == (
        f"统一社会信用代码“{wrong_check}”校验位不对，请核对。"
    )
    assert not dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.change is None
    assert _count_cases(demo_services) == before


def test_a_code_typed_in_lower_case_or_pasted_with_spaces_is_taken_as_the_code(
    qtbot: QtBot, demo_services: Services
) -> None:
    """The code's letters are capitals and it has no spaces: a code typed in lower case, or
    pasted from a web page with a space around it, is shown and stored as the code, whole."""
    demo_services.sign_in(WANG)
    dialog = IntakeDialog(demo_services)
    qtbot.addWidget(dialog)
    dialog.show()
    _fill(dialog, code="")
    dialog.credit_code.setFocus()
    qtbot.keyClicks(dialog.credit_code, GOOD_CODE.lower())  # typed key by key, no Shift
    assert dialog.credit_code.text() == GOOD_CODE
    assert "校验通过" in dialog.credit_code_message.text()
    dialog.credit_code.clear()
    dialog.credit_code.insert(f" {GOOD_CODE} ")  # as pasted
    assert dialog.credit_code.text() == GOOD_CODE
    assert "校验通过" in dialog.credit_code_message.text()
    _pick_unit(dialog, "cement")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.change is not None
    state = load_case_file(demo_services.workspace.db, dialog.change.case_id)
    assert state.enterprise.credit_code == GOOD_CODE


def test_a_refusal_is_shown_in_the_dialog_and_nothing_is_written(
    qtbot: QtBot, demo_services: Services
) -> None:
    demo_services.sign_in(WANG)
    before = _count_cases(demo_services)
    taken = demo_services.queries.case_rows(alerts=False)[0].case.application_no
    dialog = IntakeDialog(demo_services)
    qtbot.addWidget(dialog)
    dialog.show()
    _fill(dialog, application_no=taken)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.change is None
    assert f"申请编号 {taken} 已存在。" in dialog.problems.text()
    # a review date before the acceptance: the domain's rule, in its words
    dialog.application_no.setText("XK-TEST-2")
    dialog.review_date.setDate(dialog.accepted_on.date().addDays(-1))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "审查日期不能早于受理日期。" in dialog.problems.text()
    assert dialog.isVisible()
    assert _count_cases(demo_services) == before


def test_the_new_case_action_needs_a_signed_in_reviewer(
    qtbot: QtBot, make_window: MakeWindow, demo_services: Services
) -> None:
    window = make_window(demo_services)
    assert not window.new_case_action.isEnabled()
    assert "登录" in window.new_case_action.toolTip()
    demo_services.sign_in(WANG)
    window._reviewer_changed()
    assert window.new_case_action.isEnabled()
    before = window.model.rowCount()
    window.new_case_action.trigger()
    dialog = window.intake_dialog
    assert dialog is not None and dialog.isVisible()
    _fill(dialog, application_no="XK-TEST-9")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert window.model.rowCount() == before + 1
    assert window.selected_case_id() == dialog.change.case_id  # type: ignore[union-attr]


def test_the_dialog_in_english(qtbot: QtBot, english: None, demo_services: Services) -> None:
    demo_services.sign_in(WANG)
    dialog = IntakeDialog(demo_services)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "New case"
    _fill(dialog)
    assert dialog.credit_code_message.text() == "Check character correct"
    assert "version 2" in dialog.product_unit.itemText(0) or any(
        "version" in dialog.product_unit.itemText(i) for i in range(dialog.product_unit.count())
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "intake-en.png"))
