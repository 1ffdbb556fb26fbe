"""The leader's confirmation before concluding the on-site review (作出核查结论): the verdict the
checklist leads to, with its reasons in the domain's words, and that it is final."""

from __future__ import annotations

import html

from inspector_app.core.forms.verdicts import Verdict
from inspector_app.labels import (
    CONCLUDE_CONFIRM,
    CONCLUDE_FINAL,
    CONCLUDE_OUTCOME,
    CONCLUDE_REASONS,
    CONCLUDE_TITLE,
    OUTCOME_FAIL,
    OUTCOME_PASS,
)
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.page_parts import bold
from inspector_app.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)


def outcome_label(outcome: Verdict) -> str:
    """Return the verdict's outcome as the UI shows it (合格 / 不合格)."""
    return tr_label(OUTCOME_PASS if outcome.passed else OUTCOME_FAIL)


class ConclusionDialog(QDialog):
    """Asks the leader to confirm the conclusion; accepted means "conclude".

    Args:
        outcome: The verdict of the complete checklist (pass or fail).
    """

    def __init__(self, outcome: Verdict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conclusionDialog")
        self.setWindowTitle(tr_label(CONCLUDE_TITLE))
        self.outcome = QLabel(tr_label(CONCLUDE_OUTCOME).format(outcome=outcome_label(outcome)))
        self.outcome.setObjectName("conclusionOutcome")
        bold(self.outcome)
        self.outcome.setWordWrap(True)
        reasons = "".join(f"<li>{html.escape(r)}</li>" for r in outcome.reasons)
        self.reasons = QLabel(f"{tr_label(CONCLUDE_REASONS)}<ul>{reasons}</ul>" if reasons else "")
        self.reasons.setObjectName("conclusionReasons")
        self.reasons.setWordWrap(True)
        self.reasons.setTextFormat(Qt.TextFormat.RichText)
        self.reasons.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reasons.setVisible(bool(reasons))
        question = QLabel(tr_label(CONCLUDE_FINAL))
        question.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = QPushButton(tr_label(CONCLUDE_CONFIRM))
        self.confirm.setObjectName("confirmConclusion")
        buttons.addButton(self.confirm, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.outcome)
        layout.addWidget(self.reasons)
        layout.addWidget(question)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)
