"""The sampling page (抽样封样) of the case window, driven through its widgets on the demo's
cases: locked before a pass, every field of the record filled on the passed cement case
XK08-2026-0202, seals with photos from the file dialog and by drop, and what the store holds."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from inspector_app.app import Services, open_services
from inspector_app.core.case_steps import StepKey, StepState
from inspector_app.core.deadlines import sample_send_by
from inspector_app.core.forms.model import RESULT_CONFORM
from inspector_app.core.model import CaseStatus
from inspector_app.demo import demo_id, demo_png
from inspector_app.store.attachments import known_hashes
from inspector_app.store.workspace import open_workspace
from inspector_app.ui.case_window import CaseWindow
from inspector_app.ui.qt import (
    QApplication,
    QCheckBox,
    QDropEvent,
    QEvent,
    QMimeData,
    QPoint,
    QPointF,
    Qt,
    QUrl,
)
from inspector_app.ui.sampling_step import SampleForm, SamplingStep
from inspector_app.ui.seal_list import SealRow
from inspector_app.ui.tasks import TaskRunner
from tests.gui.conftest import NOW, WANG, WANG2

PASSED_CASE = demo_id("d", "case")  # XK08-2026-0202, cement, passed; 王建华 ×2 on its team
IN_REVIEW_CASE = demo_id("c", "case")  # XK08-2026-0201, on-site review under way
SAMPLED_CASE = demo_id("f", "case")  # XK08-2026-0203, sampled and sealed
LEADER = demo_id("d", "member", "0")  # WANG (江苏省产品质量监督检验研究院)
NAMESAKE = demo_id("d", "member", "1")  # WANG2 (中国水泥协会)
SHOTS = os.environ.get("INSPECTOR_SCREENSHOTS")  # a folder: save screenshots there


def open_case(qtbot: QtBot, services: Services, case_id: str = PASSED_CASE) -> CaseWindow:
    window = CaseWindow(services, case_id)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_step(StepKey.SAMPLING)
    return window


def page_of(window: CaseWindow) -> SamplingStep:
    assert window.sampling is not None
    return window.sampling


def form_of(page: SamplingStep) -> SampleForm:
    assert page.form is not None
    return page.form


def photo(folder: Path, name: str, seed: str) -> Path:
    path = folder / name
    path.write_bytes(demo_png(seed))
    return path


def drop_on(row: SealRow, path: Path) -> None:
    """Drop a file on a seal row, as the window system delivers it."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    row.dropEvent(event)


def add_seal(qtbot: QtBot, form: SampleForm, number: str) -> SealRow:
    qtbot.keyClicks(form.seals.new_number, number)  # ASCII: typed for real
    qtbot.mouseClick(form.seals.add_button, Qt.MouseButton.LeftButton)
    return form.seals.rows[-1]


def fill_record(form: SampleForm) -> None:
    """Fill every field of the record except the agency (Chinese through the widget API)."""
    form.fields["product_name"].setText("通用硅酸盐水泥")
    form.fields["model_spec"].setText("P·O 42.5")
    form.fields["batch_no"].setText("20261126-02")
    form.fields["base_quantity"].setText("600 t")
    form.fields["sample_quantity"].setText("12 kg")
    form.fields["reserve_quantity"].setText("12 kg")
    form.fields["sampling_place"].setText("成品库 3 号仓")
    form.set_sampled_at(NOW - timedelta(hours=1))
    form.representative.setText("张明远")


def tick(qtbot: QtBot, box: QCheckBox) -> None:
    """Click a check box on its indicator, as a person does."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def sampler_box(form: SampleForm, member_id: str) -> QCheckBox:
    return next(b for b in form.samplers if b.property("member_id") == member_id)


def test_the_page_is_locked_with_the_domains_reason_until_the_verdict_is_pass(
    qtbot: QtBot, demo_services: Services
) -> None:
    demo_services.sign_in(WANG)
    window_page = open_case(qtbot, demo_services, IN_REVIEW_CASE)
    page = page_of(window_page)
    assert page.isVisible()
    assert page.locked.isVisible()
    assert "实地核查结论为合格后才能抽样封样" in page.locked.text()
    assert page.form is None and not page.save_bar.isVisible()


def test_on_the_passed_case_every_field_two_seals_with_photos_are_saved(
    qtbot: QtBot, demo_services: Services, tmp_path: Path
) -> None:
    demo_services.sign_in(WANG)
    window = open_case(qtbot, demo_services)
    page = page_of(window)
    form = form_of(page)
    assert not page.locked.isVisible()

    # The agency: nothing preselected; the enterprise's list of qualified agencies.
    assert form.agency.currentIndex() == -1 and form.agency.currentText() == ""
    qualified = demo_services.queries.case_file(PASSED_CASE).case.qualified_agencies
    assert [form.agency.itemText(i) for i in range(form.agency.count())] == list(qualified)
    assert not form.chosen_by_enterprise.isChecked()

    # Samplers by id: the two 王建华 are told apart by their unit; the signed-in one is ticked.
    leader, namesake = sampler_box(form, LEADER), sampler_box(form, NAMESAKE)
    assert "王建华" in leader.text() and "王建华" in namesake.text()
    assert leader.text() != namesake.text() and "中国水泥协会" in namesake.text()
    assert leader.isChecked() and not namesake.isChecked()
    tick(qtbot, namesake)
    assert namesake.isChecked()

    fill_record(form)
    form.agency.setCurrentIndex(1)
    tick(qtbot, form.chosen_by_enterprise)
    sealed_day = demo_services.settings.calendar.day_of(NOW - timedelta(hours=1))
    assert sealed_day + timedelta(days=7) == sample_send_by(
        NOW - timedelta(hours=1), demo_services.settings.calendar
    )
    assert (sealed_day + timedelta(days=7)).isoformat() in form.send_by.text()

    first = add_seal(qtbot, form, "FY-2026-0901")
    second = add_seal(qtbot, form, "FY-2026-0902")
    assert [number for number, _ in form.seals.seals()] == ["FY-2026-0901", "FY-2026-0902"]
    one = photo(tmp_path, "封条一.png", "seal-one")
    two = photo(tmp_path, "seal-two.png", "seal-two")
    form.seals.choose_photo(first, chooser=lambda _parent: one)  # the file dialog
    drop_on(second, two)  # dropped from the file manager
    assert not first.thumbnail.pixmap().isNull() and not second.thumbnail.pixmap().isNull()

    with qtbot.waitSignal(page.changed):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)

    state = demo_services.queries.case_file(PASSED_CASE)
    assert state.case.status == CaseStatus.SAMPLED
    (sample,) = state.samples
    assert (
        sample.product_name,
        sample.model_spec,
        sample.batch_no,
        sample.base_quantity,
        sample.sample_quantity,
        sample.reserve_quantity,
        sample.sampling_place,
        sample.enterprise_representative,
    ) == (
        "通用硅酸盐水泥",
        "P·O 42.5",
        "20261126-02",
        "600 t",
        "12 kg",
        "12 kg",
        "成品库 3 号仓",
        "张明远",
    )
    assert sample.sampled_at == NOW - timedelta(hours=1)
    assert sample.sampler_ids == (LEADER, NAMESAKE)
    assert sample.agency == qualified[1] and sample.agency_chosen_by_enterprise
    assert not sample.onsite_testing
    seals = sorted(state.seals, key=lambda s: s.seal_no)
    assert [(s.seal_no, s.sample_id) for s in seals] == [
        ("FY-2026-0901", sample.id),
        ("FY-2026-0902", sample.id),
    ]
    assert [s.photo for s in seals] == [
        hashlib.sha256(demo_png("seal-one")).hexdigest(),
        hashlib.sha256(demo_png("seal-two")).hexdigest(),
    ]

    # Shown read-only now; the case window's list of steps says done.
    assert page.form is None and not page.save_bar.isVisible()
    (shown,) = page.recorded
    assert shown.values["model_spec"].text() == "P·O 42.5"
    assert "中国水泥协会" in shown.values["samplers"].text()
    assert "企业自行选择" in shown.values["agency"].text()
    assert (sealed_day + timedelta(days=7)).isoformat() in shown.send_by.text()
    assert [row.seal_no for row in shown.seals.rows] == ["FY-2026-0901", "FY-2026-0902"]
    assert all(not row.thumbnail.pixmap().isNull() for row in shown.seals.rows)
    assert window.step_states[StepKey.SAMPLING].state == StepState.DONE
    if SHOTS:
        window.grab().save(str(Path(SHOTS) / "sampling-recorded-zh.png"))


def test_a_refusal_shows_the_domains_message_and_keeps_the_form(
    qtbot: QtBot, demo_services: Services, tmp_path: Path
) -> None:
    demo_services.sign_in(WANG)
    window_page = open_case(qtbot, demo_services)
    page = page_of(window_page)
    form = form_of(page)
    fill_record(form)
    form.agency.setCurrentIndex(0)  # but the enterprise's choice is not confirmed
    row = add_seal(qtbot, form, "FY-2026-0903")
    drop_on(row, photo(tmp_path, "seal.png", "seal-three"))

    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.problems.isVisible()
    assert "检验机构须由企业自行选择" in page.problems.text()
    assert demo_services.queries.case_file(PASSED_CASE).samples == ()
    # Nothing typed is lost.
    assert form is page.form
    assert form.fields["sampling_place"].text() == "成品库 3 号仓"
    assert form.agency.currentIndex() == 0
    assert form.seals.seals() == [("FY-2026-0903", row.photo)] and row.photo is not None

    # A time in the future is refused by the store, with its message.
    form.chosen_by_enterprise.setChecked(True)
    form.set_sampled_at(NOW + timedelta(days=1))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "晚于本机当前时间" in page.problems.text()
    assert demo_services.queries.case_file(PASSED_CASE).samples == ()

    # Nothing missing any more: saved.
    form.set_sampled_at(NOW)
    with qtbot.waitSignal(page.changed):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert len(demo_services.queries.case_file(PASSED_CASE).samples) == 1


def test_missing_fields_and_seals_are_named(qtbot: QtBot, demo_services: Services) -> None:
    demo_services.sign_in(WANG)
    window_page = open_case(qtbot, demo_services)
    page = page_of(window_page)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    text = page.problems.text()
    assert "请由企业从有资质的检验机构中选择检验机构" in text
    assert "型号规格" in text and "企业代表" in text
    assert "至少需要一个封条编号" in text
    form = form_of(page)
    add_seal(qtbot, form, "FY-7")
    add_seal(qtbot, form, "FY-7")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "封条编号重复：FY-7" in page.problems.text()
    if SHOTS:
        page.window().grab().save(str(Path(SHOTS) / "sampling-refused-zh.png"))


def test_a_photo_needs_someone_signed_in(
    qtbot: QtBot, demo_services: Services, tmp_path: Path
) -> None:
    demo_services.sign_in(WANG)
    window = open_case(qtbot, demo_services)
    form = form_of(page_of(window))
    row = add_seal(qtbot, form, "FY-8")
    demo_services.sign_out()
    form.seals.set_photo(row, photo(tmp_path, "seal.png", "nobody"))
    assert "请指定执行操作的审查员" in form.seals.problem.text() and row.photo is None


def test_a_broken_or_non_image_photo_is_refused_and_nothing_stored(
    qtbot: QtBot, demo_services: Services, tmp_path: Path
) -> None:
    demo_services.sign_in(WANG)
    window = open_case(qtbot, demo_services)
    form = form_of(page_of(window))
    row = add_seal(qtbot, form, "FY-2026-0904")
    before = demo_services.workspace.db.execute("SELECT count(*) FROM attachment").fetchone()[0]
    text = tmp_path / "notes.jpg"
    text.write_text("这不是照片", encoding="utf-8")
    drop_on(row, text)
    assert form.seals.problem.isVisible() and "notes.jpg" in form.seals.problem.text()
    assert row.photo is None and row.thumbnail.pixmap().isNull()
    truncated = tmp_path / "cut.png"
    truncated.write_bytes(demo_png("cut")[:20])
    form.seals.choose_photo(row, chooser=lambda _parent: truncated)
    assert "cut.png" in form.seals.problem.text() and row.photo is None
    after = demo_services.workspace.db.execute("SELECT count(*) FROM attachment").fetchone()[0]
    assert after == before

    # Two files at once are not one photo.
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(text)), QUrl.fromLocalFile(str(truncated))])
    row.dropEvent(
        QDropEvent(
            QPointF(5, 5),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    )
    assert "一张照片" in form.seals.problem.text()


def test_a_seal_is_removed_with_its_row(qtbot: QtBot, demo_services: Services) -> None:
    demo_services.sign_in(WANG)
    window = open_case(qtbot, demo_services)
    form = form_of(page_of(window))
    add_seal(qtbot, form, "FY-1")
    second = add_seal(qtbot, form, "FY-2")
    qtbot.mouseClick(second.remove_button, Qt.MouseButton.LeftButton)
    assert form.seals.seals() == [("FY-1", None)]


def test_nobody_signed_in_cannot_save(qtbot: QtBot, demo_services: Services) -> None:
    window_page = open_case(qtbot, demo_services)
    page = page_of(window_page)
    assert not page.save_button.isEnabled()
    assert "需要登录的审查员" in page.access.text()


def test_a_sampled_case_shows_its_record_read_only(qtbot: QtBot, demo_services: Services) -> None:
    window_page = open_case(qtbot, demo_services, SAMPLED_CASE)
    page = page_of(window_page)
    assert page.form is None
    (shown,) = page.recorded
    assert shown.values["model_spec"].text() == "P·O 42.5"
    assert len(shown.seals.rows) == 2
    assert all(not row.thumbnail.pixmap().isNull() for row in shown.seals.rows)
    assert not hasattr(shown.seals, "add_button")


@pytest.fixture
def threaded(demo_services: Services) -> Iterator[TaskRunner]:
    """A real background runner over the demo workspace's folder."""
    folder = demo_services.workspace.folder
    runner = TaskRunner(lambda: open_workspace(folder, install_forms=False))
    yield runner
    runner.stop()


def test_photos_are_stored_by_the_background_runner(
    qtbot: QtBot, demo_services: Services, threaded: TaskRunner, tmp_path: Path
) -> None:
    demo_services.sign_in(WANG)
    window = CaseWindow(demo_services, PASSED_CASE, runner=lambda: threaded)
    qtbot.addWidget(window)
    window.show_step(StepKey.SAMPLING)
    page = page_of(window)
    form = form_of(page)
    row = add_seal(qtbot, form, "FY-2026-0905")
    with qtbot.waitSignal(form.seals.busy_changed) as busy:
        drop_on(row, photo(tmp_path, "seal.png", "threaded"))
    assert busy.args == [True] and not page.save_button.isEnabled()
    qtbot.waitUntil(lambda: row.photo is not None)
    assert row.photo == hashlib.sha256(demo_png("threaded")).hexdigest()
    assert page.save_button.isEnabled()


def test_a_photo_that_arrives_after_the_window_closed_is_dropped(
    qtbot: QtBot, demo_services: Services, threaded: TaskRunner, tmp_path: Path
) -> None:
    demo_services.sign_in(WANG)
    window = CaseWindow(demo_services, PASSED_CASE, runner=lambda: threaded)
    window.show_step(StepKey.SAMPLING)
    form = form_of(page_of(window))
    row = add_seal(qtbot, form, "FY-2026-0910")
    drop_on(row, photo(tmp_path, "late.png", "late"))
    window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # gone before the photo
    assert threaded.stop(cancel=False)  # delivers the photo's outcome: nothing breaks
    digest = hashlib.sha256(demo_png("late")).hexdigest()
    assert known_hashes(demo_services.workspace.db, [digest]) == {digest}  # stored, unused


def test_the_sampling_page_in_english(
    qtbot: QtBot, english: None, demo_services: Services, tmp_path: Path
) -> None:
    demo_services.sign_in(WANG2)
    window = open_case(qtbot, demo_services)
    page = page_of(window)
    form = form_of(page)
    assert page.heading.text().startswith("Sampling and sealing: XK08-2026-0202")
    assert page.save_button.text() == "&Save sampling record"
    assert form.agency.placeholderText() == "The enterprise chooses from the qualified agencies"
    assert "Send samples by" in form.send_by.text()
    fill_record(form)
    row = add_seal(qtbot, form, "FY-2026-0906")
    drop_on(row, photo(tmp_path, "seal.png", "en"))
    add_seal(qtbot, form, "FY-2026-0907")
    if SHOTS:
        window.grab().save(str(Path(SHOTS) / "sampling-form-en.png"))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.problems.text().startswith("Not saved")
    form.agency.setCurrentIndex(0)
    tick(qtbot, form.chosen_by_enterprise)
    drop_on(form.seals.rows[1], photo(tmp_path, "seal2.png", "en2"))
    with qtbot.waitSignal(page.changed):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    (shown,) = page.recorded
    assert shown.title() == "Recorded sampling record (read-only)"
    assert shown.values["agency"].text().endswith("(chosen by the enterprise)")
    assert "中国水泥协会" in shown.values["samplers"].text()
    if SHOTS:
        window.grab().save(str(Path(SHOTS) / "sampling-recorded-en.png"))
    window_locked = open_case(qtbot, demo_services, IN_REVIEW_CASE)
    locked = page_of(window_locked)
    assert locked.locked.text().startswith("Sampling is not possible yet:")


def test_screenshots_in_chinese(qtbot: QtBot, demo_services: Services, tmp_path: Path) -> None:
    demo_services.sign_in(WANG)
    window = open_case(qtbot, demo_services)
    form = form_of(page_of(window))
    fill_record(form)
    row = add_seal(qtbot, form, "FY-2026-0908")
    drop_on(row, photo(tmp_path, "seal.png", "zh"))
    add_seal(qtbot, form, "FY-2026-0909")
    assert form.isVisible()
    if SHOTS:
        window.grab().save(str(Path(SHOTS) / "sampling-form-zh.png"))
        locked = open_case(qtbot, demo_services, IN_REVIEW_CASE)
        locked.grab().save(str(Path(SHOTS) / "sampling-locked-zh.png"))


def test_the_main_window_gives_the_case_window_its_runner(
    qtbot: QtBot, demo_template: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "ws"
    shutil.copytree(demo_template, folder)
    with open_services(folder, user=WANG, write=True, clock=lambda: NOW) as services:
        from inspector_app.ui.main_window import MainWindow
        from inspector_app.ui.tasks import ImmediateRunner

        made = []

        def make() -> ImmediateRunner:
            made.append(ImmediateRunner(services.workspace))
            return made[-1]

        main = MainWindow(services, make, workspace_label="t")
        qtbot.addWidget(main)
        window = main.open_case(PASSED_CASE)
        form = form_of(page_of(window))
        row = add_seal(qtbot, form, "FY-9")
        drop_on(row, photo(tmp_path, "seal.png", "main"))
        assert len(made) == 1 and row.photo is not None


def test_a_pass_concluded_in_the_window_unlocks_the_sampling_page(
    qtbot: QtBot, demo_services: Services, tmp_path: Path
) -> None:
    demo_services.sign_in(WANG)
    window = open_case(qtbot, demo_services, IN_REVIEW_CASE)
    page = page_of(window)
    assert page.locked.isVisible() and page.form is None
    checklist = window.checklist
    assert checklist is not None
    evidence = photo(tmp_path, "evidence.png", "evidence")
    for code in ("3.2", "3.3", "3.4", "3.5", "3.6", "3.7"):  # the items not yet answered
        checklist.select_code(code)
        assert checklist.add_photo(chooser=lambda _parent: evidence)
        assert checklist.record(code, RESULT_CONFORM, ""), checklist.refusal.text()
    assert page.locked.isVisible()
    change = demo_services.steps().conclude(IN_REVIEW_CASE, NOW)
    checklist.changed.emit(change)  # as the checklist page reports its conclusion
    assert not page.locked.isVisible() and page.form is not None
    assert page.save_button.isEnabled()


def test_the_form_starts_at_a_time_not_before_the_conclusion() -> None:
    """Shown to the minute, "now" right after concluding would fall before the conclusion and
    be refused: the form starts at the conclusion's next whole minute instead."""
    from inspector_app.ui.sampling_step import default_sampling_time

    concluded = datetime(2026, 11, 26, 9, 30, 40, tzinfo=UTC)
    just_after = concluded + timedelta(seconds=5)
    assert default_sampling_time(just_after, concluded) == datetime(2026, 11, 26, 9, 31, tzinfo=UTC)
    later = concluded + timedelta(minutes=3)
    assert default_sampling_time(later, concluded) == later
    assert default_sampling_time(just_after, None) == just_after
    on_the_minute = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    assert default_sampling_time(on_the_minute, on_the_minute) == on_the_minute
