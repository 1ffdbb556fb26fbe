"""End-to-end driver: one whole review through the app's real windows (run on Qt's xcb platform).

Usage: QT_QPA_PLATFORM=xcb DISPLAY=:N python tests/e2e/full_review_driver.py WORKSPACE PHOTO

The workspace holds only the three reviewers of `tests/e2e/test_full_review.py` (two of them
called 王建华, in different units). The driver builds the main window as the app does (a real
`TaskRunner`), then, through the widgets: signs in, creates a case by hand, builds the team,
has each member sign their declaration (signed in as each), files the team, hands over the
feedback form, starts the on-site review, records all 30 items of `general-onsite` v1 by number
keys (the namesake 王建华 records sections 5 and 6), concludes (the leader, in the conclusion
dialog), records a sample with two seals and their photo, draws the hand signatures of the
members and the enterprise's representative on the on-site report, and records the
enterprise's opinion. It prints one JSON line (ids the test checks the store against) and
exits 0; any failed wait raises (exit 1, the traceback on stderr). Every wait has a deadline.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtTest import QTest

from inspector_app.app import open_services, system_clock
from inspector_app.core.case_steps import StepKey
from inspector_app.core.hand_signature import SignedDocument
from inspector_app.core.model import CaseStatus, Role, Stage
from inspector_app.demo import demo_credit_code
from inspector_app.store.workspace import open_workspace
from inspector_app.ui.case_window import CaseWindow
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.qt import QApplication, QCheckBox, QPoint, Qt, QTimer, QWidget
from inspector_app.ui.tasks import TaskRunner

LEADER = "00000000-0000-4000-8000-00000000e2e1"  # 王建华, 江苏省产品质量监督检验研究院
NAMESAKE = "00000000-0000-4000-8000-00000000e2e2"  # 王建华, 中国水泥协会
THIRD = "00000000-0000-4000-8000-00000000e2e3"  # 李春梅, 省局审查中心
APPLICATION_NO = "XK-E2E-2026-0001"
NOTES = {
    "1.4": ("基本符合", "营业执照地址门牌号与申请书笔误不一致，已当场说明。"),
    "2.4": ("基本符合", "两台压力表校准证书将于下月到期。"),
    "6.2": ("不适用", "企业无锅炉、压力容器等特种设备。"),
}
"""Items recorded otherwise than 符合, with their notes (1.4 requires one for 基本符合)."""
NAMESAKE_SECTIONS = ("5.", "6.")
"""The items the namesake 王建华 records (by code prefix); the leader records the others."""
SEALS = ("FY-E2E-0001", "FY-E2E-0002")
REPRESENTATIVE = "张明远"
WAIT = 20.0
"""The deadline of each wait, in seconds."""


def wait_until(check: Callable[[], object], what: str, timeout: float = WAIT) -> None:
    """Process events until `check()` is true; raise after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        QTest.qWait(20)


def click(widget: QWidget, pos: QPoint | None = None) -> None:
    """Click a widget with the left button, after checking a person could."""
    assert widget.isVisible() and widget.isEnabled(), f"{widget.objectName()} cannot be clicked"
    where = pos if pos is not None else widget.rect().center()
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, where)


def tick(box: QCheckBox) -> None:
    """Tick a check box on its indicator."""
    click(box, QPoint(8, box.height() // 2))
    assert box.isChecked(), box.text()


def sign_in(window: MainWindow, reviewer_id: str) -> None:
    """Sign in through the sign-in dialog: click the reviewer's row, then the button."""
    window.activateWindow()  # the person goes to the main window first
    window.raise_()
    wait_until(window.isActiveWindow, "the main window is active")
    window.sign_in_action.trigger()
    dialog = window.sign_in_dialog
    assert dialog is not None
    wait_until(dialog.isVisible, "the sign-in dialog")
    table = dialog.table
    row = next(
        r
        for r in range(table.rowCount())
        if table.item(r, 0).data(Qt.ItemDataRole.UserRole) == reviewer_id
    )
    rect = table.visualItemRect(table.item(row, 0))
    click(table.viewport(), rect.center())
    click(dialog.sign_in_button)
    wait_until(lambda: not dialog.isVisible(), "the sign-in dialog closes")
    reviewer = window.services.signed_in()
    assert reviewer is not None and reviewer.id == reviewer_id


def bring_forward(window: CaseWindow) -> None:
    """Go back to the case window, as a person clicks on it (it follows who signed in)."""
    window.activateWindow()
    window.raise_()
    wait_until(window.isActiveWindow, "the case window is active")


def new_case(window: MainWindow) -> str:
    """Create the case through the new-case dialog; return its id."""
    window.new_case_action.trigger()
    dialog = window.intake_dialog
    assert dialog is not None
    wait_until(dialog.isVisible, "the new-case dialog")
    dialog.name.setText("南京新材料有限公司")  # Chinese through the widget's API
    QTest.keyClicks(dialog.credit_code, demo_credit_code(77))
    assert "校验通过" in dialog.credit_code_message.text()
    dialog.address.setText("南京市江宁区科学园 1 号")
    dialog.contact_person.setText("赵六")
    QTest.keyClicks(dialog.phone, "025-12345678")
    QTest.keyClicks(dialog.application_no, APPLICATION_NO)
    dialog.product.setText("通用产品")
    unit = next(
        i
        for i in range(dialog.product_unit.count())
        if dialog.product_unit.itemData(i)[:2] == ("general-onsite", 1)
    )
    dialog.product_unit.setCurrentIndex(unit)
    dialog.agencies.setPlainText("国家建筑材料质量检验检测中心\n江苏省产品质量监督检验研究院")
    click(dialog.ok_button)
    wait_until(lambda: dialog.change is not None and not dialog.isVisible(), "the case stored")
    assert dialog.change is not None
    return dialog.change.case_id


def build_team(case_window: CaseWindow) -> None:
    """Add the three members (the leader first) on the team page."""
    case_window.show_step(StepKey.TEAM)
    team = case_window.team
    assert team is not None
    for reviewer_id, role in ((LEADER, Role.LEADER), (NAMESAKE, Role.MEMBER), (THIRD, Role.MEMBER)):
        team.picker.setCurrentIndex(team.picker.findData(reviewer_id))
        team.role.setCurrentIndex(team.role.findData(role.value))
        click(team.add_button)
        wait_until(
            lambda rid=reviewer_id: rid in {m.reviewer_id for m in team.state.members},
            f"member {reviewer_id} added",
        )
    assert not team.composition_report.errors, team.composition.text()


def sign_declaration(case_window: CaseWindow) -> None:
    """The signed-in member ticks the three promises and signs."""
    team = case_window.team
    assert team is not None
    case_window.show_step(StepKey.TEAM)
    wait_until(lambda: all(b.isEnabled() for b in team.promises), "the promises to tick")
    for box in team.promises:
        tick(box)
    before = len(team.state.declarations)
    click(team.sign_button)
    wait_until(lambda: len(team.state.declarations) == before + 1, "the declaration stored")


def record_checklist(window: MainWindow, case_window: CaseWindow) -> dict[str, str]:
    """Record every item by its number key; return who recorded each (reviewer id by code)."""
    page = case_window.checklist
    assert page is not None
    case_window.show_step(StepKey.ON_SITE)
    codes = [item.code for item in page.form.items()]
    assert len(codes) == 30, codes
    by: dict[str, str] = {}
    for reviewer_id, mine in (
        (NAMESAKE, lambda code: code.startswith(NAMESAKE_SECTIONS)),
        (LEADER, lambda code: not code.startswith(NAMESAKE_SECTIONS)),
    ):
        sign_in(window, reviewer_id)
        bring_forward(case_window)
        wait_until(lambda: page.editable, f"the checklist editable for {reviewer_id}")
        for code in filter(mine, codes):
            item = page.form.item(code)
            assert item is not None
            result, note = NOTES.get(code, ("符合", ""))
            assert page.select_code(code)
            page.note.setPlainText(note)
            page.tree.setFocus()
            key = (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4)[
                item.allowed_results.index(result)
            ]
            QTest.keyClick(page.tree, key)
            wait_until(
                lambda c=code, r=result: getattr(page.model.results.get(c), "result", None) == r,
                f"item {code} recorded",
            )
            by[code] = reviewer_id
    return by


def conclude(case_window: CaseWindow) -> None:
    """The leader concludes; the conclusion dialog (modal) is confirmed once it shows."""
    page = case_window.checklist
    assert page is not None
    seen: list[str] = []
    timer = QTimer()

    def answer() -> None:
        dialog = page.conclusion_dialog
        if dialog is not None and dialog.isVisible():
            seen.append(dialog.outcome.text())
            timer.stop()
            dialog.confirm.click()

    timer.timeout.connect(answer)
    timer.start(50)
    QTimer.singleShot(int(WAIT * 1000), timer.stop)  # never answers later than this
    wait_until(page.conclude_button.isEnabled, f"the conclusion allowed: {page.conclude_reason}")
    click(page.conclude_button)
    timer.stop()
    assert seen and "合格" in seen[0], seen
    state = case_window.services.queries.case_file(case_window.case_id)
    assert state.case.status == CaseStatus.PASSED, state.case.status


def record_sample(case_window: CaseWindow, photo: Path) -> None:
    """Fill the sampling record, add two seals with the photo, and save."""
    case_window.show_step(StepKey.SAMPLING)
    page = case_window.sampling
    assert page is not None
    wait_until(lambda: page.form is not None, "the sampling form")
    form = page.form
    assert form is not None
    for name, text in (
        ("product_name", "通用产品"),
        ("model_spec", "GP-42"),
        ("batch_no", "20261130-01"),
        ("base_quantity", "600 件"),
        ("sample_quantity", "6 件"),
        ("reserve_quantity", "6 件"),
        ("sampling_place", "成品库 1 号仓"),
    ):
        form.fields[name].setText(text)
    form.representative.setText(REPRESENTATIVE)
    form.agency.setCurrentIndex(0)
    tick(form.chosen_by_enterprise)
    namesake_box = next(
        b for b in form.samplers if b.property("member_id") == member_id(case_window, NAMESAKE)
    )
    tick(namesake_box)
    for number in SEALS:
        QTest.keyClicks(form.seals.new_number, number)
        click(form.seals.add_button)
    assert [n for n, _p in form.seals.seals()] == list(SEALS)
    for row in form.seals.rows:
        form.seals.choose_photo(row, chooser=lambda _parent: photo)  # the file dialog's answer
    wait_until(
        lambda: not form.seals.busy and all(p for _n, p in form.seals.seals()),
        "the seal photos stored",
    )
    click(page.save_button)
    services = case_window.services
    wait_until(
        lambda: services.queries.case_file(case_window.case_id).samples,
        f"the sample stored ({page.problems.text()})",
    )


def member_id(case_window: CaseWindow, reviewer_id: str) -> str:
    """Return the id of the case's member who is this reviewer."""
    members = case_window.services.queries.case_file(case_window.case_id).members
    return next(m.id for m in members if m.reviewer_id == reviewer_id)


def scribble(pad: QWidget, seed: int) -> None:
    """Draw two strokes on the pad with the mouse, as a person signs."""
    for y in (40, 80):
        QTest.mousePress(
            pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(30, y)
        )
        for x in range(40, 260, 20):
            QTest.mouseMove(pad, QPoint(x, y + (12 + seed if x % 40 else -12 - seed)))
        QTest.mouseRelease(
            pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(270, y)
        )


def hand_signatures(case_window: CaseWindow) -> None:
    """Each member and the enterprise's representative sign the on-site report on the pad."""
    case_window.show_step(StepKey.SIGN_OFF)
    step = case_window.signatures
    assert step is not None
    signers: list[tuple[str, str]] = [
        ("member", member_id(case_window, reviewer)) for reviewer in (LEADER, NAMESAKE, THIRD)
    ]
    signers.append(("representative", ""))
    for seed, signer in enumerate(signers):
        assert step.choose(SignedDocument.ONSITE, signer), signer
        if signer[0] == "representative":
            step.representative.setText(REPRESENTATIVE)
        scribble(step.pad, seed)
        assert not step.pad.is_blank()
        click(step.save_button)
        wait_until(step.pad.is_blank, f"the signature of {signer} stored ({step.message.text()})")


def opinion(case_window: CaseWindow) -> None:
    """Record the enterprise's opinion on the conclusion."""
    case_window.show_step(StepKey.OBJECTION)
    page = case_window.step_pages[StepKey.OBJECTION]
    page.text.setPlainText("企业对核查结论无异议。")  # type: ignore[attr-defined]
    page.representative.setText(REPRESENTATIVE)  # type: ignore[attr-defined]
    click(page.record_button)  # type: ignore[attr-defined]
    services = case_window.services
    wait_until(
        lambda: services.queries.case_file(case_window.case_id).objections, "the opinion stored"
    )


def main(folder: Path, photo: Path) -> int:
    app = QApplication([])
    assert QApplication.platformName() == "xcb", QApplication.platformName()
    with open_services(folder, user=None, write=True, clock=system_clock) as services:
        window = MainWindow(
            services, lambda: TaskRunner(lambda: open_workspace(folder, install_forms=False))
        )
        window.resize(1280, 760)
        window.show()
        wait_until(window.isVisible, "the main window")
        try:
            sign_in(window, LEADER)
            case_id = new_case(window)
            assert window.selected_case_id() == case_id
            index = window.table.selectionModel().selectedRows()[0]
            window.table.setCurrentIndex(index)
            window.table.setFocus()
            QTest.keyClick(window.table, Qt.Key.Key_Return)  # opens the case, as a double click
            wait_until(lambda: case_id in window.case_windows, "the case window")
            case_window = window.case_windows[case_id]
            wait_until(case_window.isVisible, "the case window shown")

            build_team(case_window)
            sign_declaration(case_window)
            for reviewer in (NAMESAKE, THIRD):
                sign_in(window, reviewer)
                bring_forward(case_window)
                sign_declaration(case_window)
            sign_in(window, LEADER)
            bring_forward(case_window)
            team = case_window.team
            assert team is not None
            click(team.file_button)
            wait_until(lambda: bool(team.state.filings), f"the filing ({team.problems.text()})")

            case_window.show_step(StepKey.FEEDBACK)
            feedback = case_window.step_pages[StepKey.FEEDBACK]
            feedback.stage.setCurrentIndex(feedback.stage.findData(Stage.ON_SITE.value))  # type: ignore[attr-defined]
            feedback.handed_to.setText("赵六（总经理）")  # type: ignore[attr-defined]
            click(feedback.record_button)  # type: ignore[attr-defined]
            wait_until(
                lambda: services.queries.case_file(case_id).handovers,
                f"the hand-over ({feedback.message.text()})",  # type: ignore[attr-defined]
            )

            case_window.show_step(StepKey.ON_SITE)
            start = case_window.start_review
            assert start is not None
            click(start.start_button)
            wait_until(lambda: case_window.checklist is not None, "the checklist page")
            assessed_by = record_checklist(window, case_window)
            conclude(case_window)  # the leader is signed in again
            record_sample(case_window, photo)
            hand_signatures(case_window)
            opinion(case_window)
        finally:
            window.stop_background()
            window.close()
            app.processEvents()
    print(json.dumps({"case_id": case_id, "assessed_by": assessed_by}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
