"""The sign-off ceremony (签发) in the app: each filed member in turn types their own passphrase
on the shared laptop, the leader last; the on-site report is then built and signed in the
background and the sign-off completed through the store (`Casework.complete_sign_off`).

`SignOffDialog.start()` is the public entry: the case window's 文书 → 签发… calls it, and so
can the signatures page. The rules decide whether the case may be signed off now
(`Casework.sign_off_snapshot`); a refusal is shown with the domain's message. A wrong
passphrase stops the ceremony (nothing signed, nothing stored) and it starts over from the first
signer. Cancel before the completion stores nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from inspector_app.app import Services
from inspector_app.core.errors import RuleViolation
from inspector_app.core.model import Actor
from inspector_app.labels import (
    NEXT_SIGNER,
    PASSPHRASE_NAME,
    SAVE_SIGNED_REPORT,
    SIGN_OFF_INTRO,
    SIGN_OFF_TITLE,
    SIGNED_OFF_DONE,
    SIGNER_DONE,
    SIGNER_LINE,
    SIGNER_PROMPT,
    SIGNING,
)
from inspector_app.store.casework import Casework, Change, SignOffSnapshot
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
from inspector_app.ui.documents import choose_pdf_path, one_line
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.page_parts import action_button, wrapping_label
from inspector_app.ui.progress import ProgressPanel
from inspector_app.ui.qt import (
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from inspector_app.ui.tasks import JobContext, Runner, cancel_check


@dataclass(frozen=True)
class SignedOff:
    """What the ceremony's job made: the signed report and what the completion changed."""

    pdf: bytes
    sha256: str
    count: int
    change: Change


def sign_off_job(
    snapshot: SignOffSnapshot,
    signers: dict[str, UnlockedIdentity],
    leader: Actor,
    services: Services,
    stop: Callable[[], bool],
) -> Callable[[JobContext], SignedOff]:
    """Return the job that builds and signs the on-site report for every signer and completes
    the sign-off on the worker's own connection; a cancel before the completion stores
    nothing."""

    def job(context: JobContext) -> SignedOff:
        from inspector_app.reports.signoff import sign_report  # reportlab, pyHanko: late

        cancel_check(context, stop)
        context.progress(0, 2, tr_label(SIGNING))
        report = sign_report(
            context.workspace, snapshot, signers, now=services.clock(), clock=services.clock
        )
        # The last moment a cancel is honoured: the completion is one transaction.
        cancel_check(context, stop)
        context.progress(1, 2, tr_label(SIGNING))
        work = Casework(context.workspace.db, leader, services.clock)
        change = work.complete_sign_off(context.workspace, snapshot, report.pdf, report.signatures)
        context.progress(2, 2, "")
        return SignedOff(report.pdf, report.sha256, len(report.signatures), change)

    return job


class SignOffDialog(CaseJobDialog):
    """The sign-off ceremony of one case, by the signed-in leader.

    Args:
        services: the composition root's services (the acting reviewer is the leader).
        case_id: the case to sign off.
        runner: gives the background runner.
        parent: the window it opens over.
    """

    signed_off = Signal(object)
    """Emitted with the completion's `Change` once the case is signed off."""

    refused_name = "signOffRefused"

    def __init__(
        self,
        services: Services,
        case_id: str,
        runner: Callable[[], Runner],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(services, case_id, runner, "signOffDialog", parent)
        self.snapshot: SignOffSnapshot | None = None
        self.unlocked: dict[str, UnlockedIdentity] = {}
        self.turn = 0
        self.result_: SignedOff | None = None

        intro = QLabel(tr_label(SIGN_OFF_INTRO))
        intro.setWordWrap(True)
        self.signers = QLabel()
        self.signers.setObjectName("signers")
        self.signers.setTextFormat(Qt.TextFormat.PlainText)
        self.prompt = wrapping_label("prompt")
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(tr_label(PASSPHRASE_NAME))
        self.passphrase.returnPressed.connect(self.confirm_passphrase)
        self.next_button = QPushButton(tr_label(NEXT_SIGNER))
        self.next_button.setObjectName("nextSigner")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.confirm_passphrase)
        self.error = error_line()
        self.progress = ProgressPanel(self)
        self.progress.hide()
        self.save_button = action_button(
            SAVE_SIGNED_REPORT, "saveSignedReport", self.save_signed_report
        )
        self.save_button.hide()
        buttons = close_buttons(self)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.signers)
        layout.addWidget(self.prompt)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.error)
        layout.addWidget(self.progress)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def start(self) -> bool:
        """Check that the case may be signed off now and open the ceremony; return whether it
        opened. A refusal of the rules is shown with the domain's message instead."""
        try:
            self.snapshot = self.services.steps().sign_off_snapshot(self.case_id)
        except (RuleViolation, WorkspaceError) as error:
            self._refuse(str(error))
            return False
        self.setWindowTitle(
            tr_label(SIGN_OFF_TITLE).format(application_no=self.snapshot.application_no)
        )
        self._restart()
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.open()
        return True

    def _restart(self) -> None:
        self.unlocked.clear()
        self.turn = 0
        self._show_turn()

    def _show_turn(self) -> None:
        assert self.snapshot is not None
        lines = []
        for n, slot in enumerate(self.snapshot.signers, start=1):
            member = slot.member
            line = tr_label(SIGNER_LINE).format(
                n=n,
                meaning=slot.meaning,
                name=member.name,
                unit=member.unit,
                certificate=member.certificate_no,
            )
            if member.id in self.unlocked:
                line += tr_label(SIGNER_DONE)
            lines.append(line)
        self.signers.setText("\n".join(lines))
        waiting = self.turn < len(self.snapshot.signers)
        self.passphrase.setEnabled(waiting)
        self.next_button.setEnabled(waiting)
        if waiting:
            slot = self.snapshot.signers[self.turn]
            self.prompt.setText(
                tr_label(SIGNER_PROMPT).format(
                    name=slot.member.name, unit=slot.member.unit, meaning=slot.meaning
                )
            )
            self.passphrase.setFocus()
        else:
            self.prompt.setText("")

    @property
    def current_signer(self) -> str | None:
        """The member id of the signer whose passphrase is asked now (None when done)."""
        if self.snapshot is None or self.turn >= len(self.snapshot.signers):
            return None
        return self.snapshot.signers[self.turn].member.id

    def confirm_passphrase(self) -> None:
        """Open the current signer's identity with the passphrase typed; after the last
        signer, build and sign the report in the background and complete the sign-off."""
        from inspector_app.reports.signoff import unlock_signer

        if self.snapshot is None or self.current_signer is None:
            return
        slot = self.snapshot.signers[self.turn]
        typed = self.passphrase.text()
        self.passphrase.clear()
        try:
            self.unlocked[slot.member.id] = unlock_signer(
                self.services.workspace, slot, lambda: typed
            )
        except (PassphraseError, RuleViolation) as error:
            self.error.setText(str(error))
            self._restart()
            return
        self.error.setText("")
        self.turn += 1
        self._show_turn()
        if self.current_signer is None:
            self._sign()

    def _sign(self) -> None:
        assert self.snapshot is not None
        self.progress.start(tr_label(SIGNING))
        job = sign_off_job(
            self.snapshot,
            dict(self.unlocked),
            self.services.acting_reviewer().actor,
            self.services,
            self.progress.cancelled,
        )
        self.unlocked.clear()  # the keys go with the job only
        handle = self.runner().submit(job, self._signed, self.progress.report)
        if not handle.done:
            self.progress.handle = handle

    def _signed(self, result: SignedOff | None, error: Exception | None) -> None:
        if show_job_failure(self.progress, self.error, error):
            return
        assert result is not None
        self.result_ = result
        self.progress.finish(
            tr_label(SIGNED_OFF_DONE).format(count=result.count, sha256=result.sha256)
        )
        self.save_button.show()
        self.signed_off.emit(result.change)

    def save_signed_report(self) -> Path | None:
        """Save a copy of the signed report (as stored) where the person chooses."""
        if self.result_ is None or self.snapshot is None:
            return None
        path = choose_pdf_path(self, f"{self.snapshot.application_no}_签发报告.pdf")
        if path is None:
            return None
        try:
            write_bytes_atomically(path, self.result_.pdf)
        except OSError as error:
            self.error.setText(one_line(error))
            return None
        self.error.setText("")
        self.progress.text.setText(str(path))
        return path
