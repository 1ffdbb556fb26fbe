"""An amendment (更正说明) of a signed-off case in the app: the signed document it corrects, the
reason, the correction and the leader's passphrase; then the amendment is built, signed and
stored in the background and written where the leader chooses.

The rules decide (`Casework.amendment_draft`): a case not signed off, an empty reason, a
document that is not a signed document of the case or someone other than the leader is refused
with the domain's message, and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from inspector_app.app import Services
from inspector_app.core.amendment import amendment_after_sign_off_problems, signed_documents
from inspector_app.core.errors import RuleViolation
from inspector_app.core.model import Actor, Amendment, CaseFile
from inspector_app.labels import (
    AMEND_CORRECTS,
    AMEND_DOCUMENT_LINE,
    AMEND_PASSPHRASE,
    AMEND_REASON,
    AMEND_SIGN,
    AMEND_TEXT,
    AMEND_TITLE,
    AMENDED,
    AMENDING,
    AMENDMENT_TITLE,
    SIGNED_REPORT_TITLE,
)
from inspector_app.store.casework import Casework, Change
from inspector_app.store.errors import WorkspaceError
from inspector_app.store.files import write_bytes_atomically
from inspector_app.store.identities import UnlockedIdentity
from inspector_app.store.secrets import PassphraseError
from inspector_app.ui.dialog_parts import (
    CaseJobDialog,
    close_buttons,
    error_line,
    show_job_failure,
)
from inspector_app.ui.documents import choose_pdf_path
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.page_parts import action_button
from inspector_app.ui.progress import ProgressPanel
from inspector_app.ui.qt import (
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from inspector_app.ui.tasks import JobContext, Runner, cancel_check


@dataclass(frozen=True)
class Amended:
    """What the amendment's job made: the stored record, the file written, the change."""

    amendment: Amendment
    path: Path
    change: Change


def amendment_job(
    draft: Amendment,
    leader: UnlockedIdentity,
    actor: Actor,
    services: Services,
    path: Path,
    stop: Callable[[], bool],
) -> Callable[[JobContext], Amended]:
    """Return the job that builds and signs the amendment, stores it (on the worker's own
    connection) and writes the PDF to `path`; a cancel before the storing stores nothing."""

    def job(context: JobContext) -> Amended:
        from inspector_app.reports.amendment import sign_amendment  # reportlab, pyHanko: late

        cancel_check(context, stop)
        context.progress(0, 3, tr_label(AMENDING))
        signed = sign_amendment(context.workspace, draft, leader, now=services.clock())
        cancel_check(context, stop)  # the last moment a cancel is honoured
        context.progress(1, 3, tr_label(AMENDING))
        work = Casework(context.workspace.db, actor, services.clock)
        change = work.record_amendment(context.workspace, signed.amendment, signed.pdf)
        context.progress(2, 3, "")
        try:
            write_bytes_atomically(path, signed.pdf)
        except OSError as error:
            raise WorkspaceError(
                f"无法写入 {path}：{error.strerror}。更正说明已签发并保存在工作区"
                f"（SHA-256 {signed.amendment.document_sha256}）。"
            ) from error
        context.progress(3, 3, "")
        return Amended(signed.amendment, path, change)

    return job


def document_choices(state: CaseFile, when: Callable[[datetime], str]) -> list[tuple[str, str]]:
    """Return the signed documents of a case an amendment may correct, as (text, SHA-256), the
    signed report first, then the amendments in the order they were issued."""
    amendments = {a.document_sha256 for a in state.amendments}
    choices = []
    for digest, signed_at in sorted(signed_documents(state).items(), key=lambda kv: kv[1]):
        title = tr_label(AMENDMENT_TITLE if digest in amendments else SIGNED_REPORT_TITLE)
        text = tr_label(AMEND_DOCUMENT_LINE).format(
            title=title, signed_at=when(signed_at), sha256=digest[:16]
        )
        choices.append((text, digest))
    return choices


class AmendmentDialog(CaseJobDialog):
    """An amendment of one signed-off case, by the signed-in leader.

    Args:
        services: the composition root's services (the acting reviewer is the leader).
        case_id: the case.
        runner: gives the background runner.
        parent: the window it opens over.
    """

    amended = Signal(object)
    """Emitted with the `Change` once the amendment is stored."""

    refused_name = "amendRefused"

    def __init__(
        self,
        services: Services,
        case_id: str,
        runner: Callable[[], Runner],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(services, case_id, runner, "amendmentDialog", parent)
        self.result_: Amended | None = None

        self.corrects = QComboBox()
        self.corrects.setObjectName("corrects")
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(90)
        self.text = QPlainTextEdit()
        self.text.setObjectName("text")
        self.text.setTabChangesFocus(True)
        self.text.setMaximumHeight(160)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(tr_label(AMEND_PASSPHRASE))
        form = QFormLayout()
        form.addRow(tr_label(AMEND_CORRECTS), self.corrects)
        form.addRow(tr_label(AMEND_REASON), self.reason)
        form.addRow(tr_label(AMEND_TEXT), self.text)
        form.addRow(tr_label(AMEND_PASSPHRASE), self.passphrase)
        self.error = error_line()
        self.progress = ProgressPanel(self)
        self.progress.hide()
        self.sign_button = action_button(AMEND_SIGN, "signAmendment", self.sign)
        buttons = close_buttons(self, self.sign_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.progress)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(720, 520)

    def start(self) -> bool:
        """Open the dialog for a signed-off case; return whether it opened. A case that is not
        signed off is refused with the domain's message instead."""
        state = self.services.queries.case_file(self.case_id)
        problems = amendment_after_sign_off_problems(state.case.status)
        if problems:
            self._refuse(str(problems[0]))
            return False
        calendar = self.services.settings.calendar
        self.corrects.clear()
        for text, digest in document_choices(
            state, lambda at: calendar.local(at).strftime("%Y-%m-%d %H:%M")
        ):
            self.corrects.addItem(text, digest)
        self.setWindowTitle(tr_label(AMEND_TITLE).format(application_no=state.case.application_no))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.open()
        return True

    def sign(self) -> None:
        """Check the amendment against the rules, ask where to save it, open the leader's
        identity, then build, sign and store it in the background."""
        from inspector_app.reports.amendment import unlock_leader

        try:
            work = self.services.steps()
            draft = work.amendment_draft(
                self.case_id,
                str(self.corrects.currentData() or ""),
                self.reason.toPlainText(),
                self.text.toPlainText(),
            )
        except (RuleViolation, WorkspaceError) as error:
            self.error.setText(str(error))
            return
        overview = self.services.queries.case_overview(self.case_id)
        path = choose_pdf_path(self, f"{overview['application_no']}_更正说明.pdf")
        if path is None:
            return
        typed = self.passphrase.text()
        self.passphrase.clear()
        try:
            leader = unlock_leader(self.services.workspace, draft, lambda: typed)
        except (PassphraseError, RuleViolation) as error:
            self.error.setText(str(error))
            return
        self.error.setText("")
        self.sign_button.setEnabled(False)
        self.progress.start(tr_label(AMENDING))
        job = amendment_job(draft, leader, work.actor, self.services, path, self.progress.cancelled)
        handle = self.runner().submit(job, self._done, self.progress.report)
        if not handle.done:
            self.progress.handle = handle

    def _done(self, result: Amended | None, error: Exception | None) -> None:
        self.sign_button.setEnabled(True)
        if show_job_failure(self.progress, self.error, error):
            return
        assert result is not None
        self.result_ = result
        self.sign_button.setEnabled(False)
        self.progress.finish(
            tr_label(AMENDED).format(path=result.path, sha256=result.amendment.document_sha256)
        )
        self.amended.emit(result.change)
