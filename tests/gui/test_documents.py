"""The case window's 文书 menu (build a document, the sign-off ceremony, an amendment) and the
main window's export, driven through their widgets with an ImmediateRunner; each test checks
what a person would notice: the files written and what the store holds."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.core.model import CaseStatus
from inspector_app.demo import demo_id, demo_passphrase
from inspector_app.reports.kinds import DocumentKind
from inspector_app.reports.verify import verify_pdf
from inspector_app.store.attachments import attachment_path
from inspector_app.store.casework import load_case_file
from inspector_app.store.identities import known_certificates
from inspector_app.ui import documents
from inspector_app.ui.amendment_dialog import AmendmentDialog
from inspector_app.ui.case_window import CaseWindow
from inspector_app.ui.export_dialog import ExportDialog
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.progress import ProgressDialog
from inspector_app.ui.qt import QApplication, Qt
from inspector_app.ui.signoff_dialog import SignOffDialog
from tests.gui.conftest import WANG, WANG2

SAMPLED = demo_id("f", "case")  # XK08-2026-0203, cement team: 王建华 leads, 王建华 (协会), 陈志强
SIGNED = demo_id("g", "case")  # XK06-2026-0104, signed off
SHOTS = Path(os.environ.get("INSPECTOR_SHOTS", "/tmp/shots"))


def count(services: Services, table: str) -> int:
    return int(services.workspace.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def case_window(
    make_window: Callable[[Services], MainWindow], services: Services, case_id: str
) -> CaseWindow:
    return make_window(services).open_case(case_id)


def save_to(monkeypatch: pytest.MonkeyPatch, path: Path | None) -> list[str]:
    """Answer every save dialog with `path`; return the names it suggested."""
    asked: list[str] = []

    def choose(_parent: object, suggested: str) -> Path | None:
        asked.append(suggested)
        return path

    for module in ("documents", "signoff_dialog", "amendment_dialog"):
        monkeypatch.setattr(f"inspector_app.ui.{module}.choose_pdf_path", choose)
    return asked


def test_build_a_document_from_the_menu(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    make_window: Callable[[Services], MainWindow],
    demo_services: Services,
    tmp_path: Path,
) -> None:
    window = case_window(make_window, demo_services, SIGNED)
    out = tmp_path / "报告.pdf"
    asked = save_to(monkeypatch, out)
    window.documents.build_actions[DocumentKind.ONSITE].trigger()
    assert asked == ["XK06-2026-0104_企业实地核查报告.pdf"]
    assert out.read_bytes().startswith(b"%PDF-")
    box = window.documents.message
    assert box is not None and box.isVisible() and str(out) in box.text()
    assert "企业实地核查报告" in box.text()
    # A document with nothing to print is refused with the domain's message; no file.
    nothing = tmp_path / "无.pdf"
    save_to(monkeypatch, nothing)
    case_window(make_window, demo_services, demo_id("a", "case")).documents.build_actions[
        DocumentKind.SAMPLING
    ].trigger()
    assert not nothing.exists()
    # Cancelled in the save dialog: nothing is built.
    save_to(monkeypatch, None)
    window.documents.build_actions[DocumentKind.FULL].trigger()


def test_cancel_while_a_document_is_built_writes_nothing(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    make_window: Callable[[Services], MainWindow],
    demo_services: Services,
    tmp_path: Path,
) -> None:
    class CancelAtOnce(ProgressDialog):
        def __init__(self, *args: object) -> None:
            super().__init__(*args)  # type: ignore[arg-type]
            self.panel.progressed.connect(lambda *_: self.panel.cancel_button.click())

    monkeypatch.setattr(documents, "ProgressDialog", CancelAtOnce)
    window = case_window(make_window, demo_services, SIGNED)
    out = tmp_path / "案卷.pdf"
    save_to(monkeypatch, out)
    window.documents.build_actions[DocumentKind.FULL].trigger()
    assert not out.exists()
    box = window.documents.message
    assert box is not None and "已取消" in box.text()


def sign_in_and_open(
    make_window: Callable[[Services], MainWindow], services: Services, who: str, case_id: str
) -> CaseWindow:
    services.sign_in(who)
    return case_window(make_window, services, case_id)


def test_the_sign_off_ceremony_signs_stores_and_locks(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    make_window: Callable[[Services], MainWindow],
    demo_services: Services,
    tmp_path: Path,
) -> None:
    window = sign_in_and_open(make_window, demo_services, WANG, SAMPLED)
    assert window.documents.sign_off_action.isEnabled()
    window.documents.sign_off_action.trigger()
    dialog = window.documents.dialog
    assert isinstance(dialog, SignOffDialog) and dialog.isVisible()
    assert dialog.snapshot is not None
    order = [slot.member.id for slot in dialog.snapshot.signers]
    # The two 王建华 are two lines, told apart by unit; the leader is the last.
    lines = dialog.signers.text().splitlines()
    assert (
        len(lines) == 3 and "审查组长签发" in lines[-1] and "中国水泥协会" in dialog.signers.text()
    )
    asked = []
    for n, member_id in enumerate(order):
        assert dialog.current_signer == member_id
        asked.append(dialog.prompt.text())
        dialog.passphrase.setText(demo_passphrase())
        if n < len(order) - 1:
            qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
            continue
        with qtbot.waitSignal(dialog.signed_off, timeout=1000):  # the leader's: then signed
            qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert all("输入本人口令" in text for text in asked)
    # The store holds the sign-off: the case locked, one signature per member naming the PDF.
    state = load_case_file(demo_services.workspace.db, SAMPLED)
    assert state.case.status == CaseStatus.SIGNED_OFF
    assert {s.signer_id for s in state.signatures} == set(order)
    (digest,) = {s.document_sha256 for s in state.signatures}
    stored = attachment_path(demo_services.workspace, digest).read_bytes()
    report = verify_pdf(stored, trust_roots=known_certificates(demo_services.workspace.db))
    assert report.ok and len(report.signatures) == 3
    assert digest in dialog.progress.text.text()
    # The case window was told: its header says signed off.
    assert "已签发" in window.header.text()
    # A copy of the signed report, as stored.
    out = tmp_path / "签发.pdf"
    save_to(monkeypatch, out)
    assert dialog.save_button.isVisible()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert out.read_bytes() == stored
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "signoff_done_zh.png"))


def test_a_wrong_passphrase_starts_the_ceremony_over_and_stores_nothing(
    qtbot: QtBot, make_window: Callable[[Services], MainWindow], demo_services: Services
) -> None:
    window = sign_in_and_open(make_window, demo_services, WANG, SAMPLED)
    window.documents.sign_off_action.trigger()
    dialog = window.documents.dialog
    assert isinstance(dialog, SignOffDialog) and dialog.snapshot is not None
    first = dialog.current_signer
    dialog.passphrase.setText(demo_passphrase())
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.current_signer != first and "✔" in dialog.signers.text()
    dialog.passphrase.setText("not the passphrase")
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert "口令不正确" in dialog.error.text()
    assert dialog.current_signer == first and "✔" not in dialog.signers.text()
    assert dialog.passphrase.text() == ""
    assert load_case_file(demo_services.workspace.db, SAMPLED).case.status == CaseStatus.SAMPLED
    assert count(demo_services, "signature") == 6  # the demo's two signed-off cases only


def test_only_the_leader_signs_off_the_refusal_is_the_domains(
    qtbot: QtBot, make_window: Callable[[Services], MainWindow], demo_services: Services
) -> None:
    window = sign_in_and_open(make_window, demo_services, WANG2, SAMPLED)
    window.documents.sign_off_action.trigger()
    dialog = window.documents.dialog
    assert isinstance(dialog, SignOffDialog) and not dialog.isVisible()
    assert dialog.refusal is not None and dialog.refusal.isVisible()
    assert "只有本案审查组组长才能签发" in dialog.refusal.text()
    assert load_case_file(demo_services.workspace.db, SAMPLED).case.status == CaseStatus.SAMPLED


def test_sign_off_and_amend_need_someone_signed_in(
    qtbot: QtBot, make_window: Callable[[Services], MainWindow], demo_services: Services
) -> None:
    window = case_window(make_window, demo_services, SAMPLED)
    menu = window.documents
    assert not menu.sign_off_action.isEnabled() and not menu.amend_action.isEnabled()
    assert "请先登录" in menu.sign_off_action.toolTip()
    assert all(action.isEnabled() for action in menu.build_actions.values())


def test_an_amendment_from_the_dialog(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    make_window: Callable[[Services], MainWindow],
    demo_services: Services,
    tmp_path: Path,
) -> None:
    window = sign_in_and_open(make_window, demo_services, WANG, SIGNED)
    window.documents.amend_action.trigger()
    dialog = window.documents.dialog
    assert isinstance(dialog, AmendmentDialog) and dialog.isVisible()
    report = next(
        iter(
            {
                s.document_sha256
                for s in load_case_file(demo_services.workspace.db, SIGNED).signatures
            }
        )
    )
    assert dialog.corrects.count() == 1 and dialog.corrects.currentData() == report
    assert report[:16] in dialog.corrects.currentText()
    out = tmp_path / "更正.pdf"
    save_to(monkeypatch, out)
    # An empty reason is refused by the rule; nothing is stored, no file.
    dialog.passphrase.setText(demo_passphrase())
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    assert "原因不能为空" in dialog.error.text()
    assert count(demo_services, "amendment") == 0 and not out.exists()
    # A wrong passphrase: refused, nothing stored.
    dialog.reason.setPlainText("第 3.2 项核查说明笔误")
    dialog.text.setPlainText("第 3.2 项的说明应为“记录齐全”。")
    dialog.passphrase.setText("wrong passphrase")
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    assert "口令不正确" in dialog.error.text()
    assert count(demo_services, "amendment") == 0 and not out.exists()
    # Then signed: stored, written, verifying; the window is told.
    dialog.passphrase.setText(demo_passphrase())
    with qtbot.waitSignal(dialog.amended, timeout=1000):
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    (amendment,) = load_case_file(demo_services.workspace.db, SIGNED).amendments
    assert amendment.corrects_sha256 == report and amendment.reason == "第 3.2 项核查说明笔误"
    data = out.read_bytes()
    assert hashlib.sha256(data).hexdigest() == amendment.document_sha256
    assert verify_pdf(data, trust_roots=known_certificates(demo_services.workspace.db)).ok
    assert str(out) in dialog.progress.text.text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "amendment_done_zh.png"))


def test_no_amendment_before_the_sign_off(
    qtbot: QtBot, make_window: Callable[[Services], MainWindow], demo_services: Services
) -> None:
    window = sign_in_and_open(make_window, demo_services, WANG, SAMPLED)
    window.documents.amend_action.trigger()
    dialog = window.documents.dialog
    assert isinstance(dialog, AmendmentDialog) and not dialog.isVisible()
    assert dialog.refusal is not None and "尚未签发" in dialog.refusal.text()


def test_the_export_dialog_writes_the_documents_and_names_the_manifest(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    make_window: Callable[[Services], MainWindow],
    demo_services: Services,
    tmp_path: Path,
) -> None:
    window = make_window(demo_services)
    window.export_action.trigger()
    dialog = window.export_dialog
    assert isinstance(dialog, ExportDialog) and dialog.isVisible()
    # No folder: said, nothing done.
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert "请选择" in dialog.message.text()
    out = tmp_path / "导出"
    monkeypatch.setattr("inspector_app.ui.export_dialog.choose_folder", lambda _parent: out)
    qtbot.mouseClick(
        dialog.findChild(type(dialog.start_button), "browse"), Qt.MouseButton.LeftButton
    )
    assert dialog.folder.text() == str(out)
    dialog.status.setCurrentIndex(dialog.status.findData(CaseStatus.SIGNED_OFF.value))
    seen: list[tuple[int, int]] = []
    dialog.progress.progressed.connect(lambda done, total, _text: seen.append((done, total)))
    with qtbot.waitSignal(dialog.exported, timeout=1000):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    manifest = out / "manifest.json"
    assert manifest.is_file() and str(manifest) in dialog.message.text()
    names = {p.name for p in out.iterdir()}
    assert "XK06-2026-0104_宝胜科技创新股份有限公司_签发报告.pdf" in names
    assert not any("XK08-2026-0203" in name for name in names)  # not signed off
    assert seen and seen[-1][0] == seen[-1][1] and dialog.progress.bar.value() == 1
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "export_done_zh.png"))


def test_a_cancelled_export_writes_no_manifest(
    qtbot: QtBot,
    make_window: Callable[[Services], MainWindow],
    demo_services: Services,
    tmp_path: Path,
) -> None:
    window = make_window(demo_services)
    dialog = window.ask_export()
    out = tmp_path / "导出"
    dialog.folder.setText(str(out))
    dialog.progress.progressed.connect(lambda *_: dialog.progress.cancel_button.click())
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert "导出已取消" in dialog.message.text()
    assert not (out / "manifest.json").exists()
    assert all(p.read_bytes().startswith(b"%PDF-") for p in out.iterdir())  # whole files
    # Exported again, it finishes the job and names the manifest.
    dialog.progress.progressed.disconnect()
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert (out / "manifest.json").is_file() and "manifest.json" in dialog.message.text()


def test_documents_sign_off_and_export_in_english(
    qtbot: QtBot,
    english: None,
    qapp: QApplication,
    make_window: Callable[[Services], MainWindow],
    demo_services: Services,
) -> None:
    window = sign_in_and_open(make_window, demo_services, WANG, SAMPLED)
    menu = window.documents
    assert menu.menu.title() == "&Documents"
    assert menu.sign_off_action.text() == "&Sign off…" and menu.amend_action.text() == "&Amend…"
    assert menu.build_menu.title() == "&Build a document…"
    assert menu.build_actions[DocumentKind.ONSITE].text() == "On-site review report"
    menu.sign_off_action.trigger()
    dialog = menu.dialog
    assert isinstance(dialog, SignOffDialog)
    assert dialog.windowTitle() == "Sign-off — XK08-2026-0203"
    assert "type your own passphrase" in dialog.prompt.text()
    assert dialog.next_button.text() == "Co&nfirm passphrase"
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "signoff_en.png"))
    main = window.parentWidget()
    assert isinstance(main, MainWindow)
    export = main.ask_export()
    assert export.windowTitle() == "Export documents"
    assert export.start_button.text() == "&Export"
    export.grab().save(str(SHOTS / "export_en.png"))


def test_the_export_since_a_day_takes_only_cases_with_news_since(
    qtbot: QtBot,
    make_window: Callable[[Services], MainWindow],
    demo_services: Services,
    tmp_path: Path,
) -> None:
    from inspector_app.ui.qt import QDate

    dialog = make_window(demo_services).ask_export()
    assert not dialog.since.isEnabled()
    dialog.since_on.setChecked(True)
    assert dialog.since.isEnabled()
    dialog.since.setDate(QDate(2030, 1, 1))  # nothing has happened since
    dialog.folder.setText(str(tmp_path / "out"))
    with qtbot.waitSignal(dialog.exported, timeout=1000):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.summary is not None and dialog.summary.cases == 0  # type: ignore[attr-defined]
    assert "已导出 0 件案件" in dialog.message.text()
    assert (tmp_path / "out" / "manifest.json").is_file()


def test_a_document_built_on_the_real_background_runner(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    demo_services: Services,
    tmp_path: Path,
) -> None:
    """The same menu with the app's TaskRunner: the worker opens its own connection."""
    from inspector_app.store.workspace import open_workspace
    from inspector_app.ui.tasks import TaskRunner

    folder = demo_services.workspace.folder
    runner = TaskRunner(lambda: open_workspace(folder, install_forms=False))
    try:
        window = CaseWindow(demo_services, SIGNED, runner=lambda: runner)
        qtbot.addWidget(window)
        out = tmp_path / "备案表.pdf"
        save_to(monkeypatch, out)
        window.documents.build_actions[DocumentKind.FILING].trigger()
        qtbot.waitUntil(
            lambda: window.documents.message is not None and window.documents.message.isVisible(),
            timeout=30000,
        )
        assert out.read_bytes().startswith(b"%PDF-")
        assert str(out) in window.documents.message.text()  # type: ignore[union-attr]
    finally:
        assert runner.stop()
