"""The enterprise's own screen for its feedback form (反馈表): the team hands the laptop over,
the enterprise's person answers, and on submitting the answers are sealed to the central
office's key at once (`Casework.seal_feedback`). The screen keeps nothing afterwards; the team
sees only that the form was sealed.

The questions are the regulation's own wording and stay in Chinese in both languages of the
app; the rest of the screen is translated.
"""

from __future__ import annotations

from inspector_app.app import Services
from inspector_app.core.feedback_answers import FeedbackAnswers
from inspector_app.core.feedback_form import (
    FEEDBACK_QUESTIONS,
    FREE_TEXT_QUESTION,
    SATISFACTION_CHOICES,
    SATISFACTION_QUESTION,
)
from inspector_app.core.model import Stage
from inspector_app.labels import (
    FEEDBACK_FILL_INTRO,
    FEEDBACK_FILL_TITLE,
    FEEDBACK_NO,
    FEEDBACK_RESPONDENT,
    FEEDBACK_SEAL,
    FEEDBACK_YES,
    STAGE_LABELS,
)
from inspector_app.store.casework import Change
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.page_parts import problem_label, run_step, show_refusal
from inspector_app.ui.qt import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

ANSWER_VALUES = ("是", "否")
"""What each answer button records (the form's own words, whatever the UI's language)."""


class FeedbackFillDialog(QDialog):
    """The enterprise fills in its feedback form for one stage; submitting seals it.

    Args:
        services: The composition root's services (the signed-in reviewer hands the laptop).
        case_id: The case.
        stage: The stage whose form this is.
    """

    def __init__(
        self, services: Services, case_id: str, stage: Stage, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.case_id = case_id
        self.stage = stage
        self.change: Change | None = None
        self.setObjectName("feedbackFill")
        self.setWindowTitle(
            tr_label(FEEDBACK_FILL_TITLE).format(stage=tr_label(STAGE_LABELS[stage]))
        )
        intro = QLabel(tr_label(FEEDBACK_FILL_INTRO))
        intro.setWordWrap(True)

        body = QWidget()
        form = QVBoxLayout(body)
        self.answers: dict[str, QButtonGroup] = {}
        for number, question in enumerate(FEEDBACK_QUESTIONS, start=1):
            box = QGroupBox(f"{number}. {question.text}")
            box.setObjectName(f"question_{question.key}")
            row = QHBoxLayout(box)
            group = QButtonGroup(box)
            for value, label in zip(ANSWER_VALUES, (FEEDBACK_YES, FEEDBACK_NO), strict=True):
                button = QRadioButton(tr_label(label))
                button.setObjectName(f"{question.key}_{'yes' if value == '是' else 'no'}")
                button.setProperty("answer", value)
                button.setAccessibleName(f"{question.text} {tr_label(label)}")
                group.addButton(button)
                row.addWidget(button)
            row.addStretch(1)
            self.answers[question.key] = group
            form.addWidget(box)

        satisfaction = QGroupBox(SATISFACTION_QUESTION)
        satisfaction.setObjectName("satisfaction")
        row = QHBoxLayout(satisfaction)
        self.satisfaction = QButtonGroup(satisfaction)
        for i, choice in enumerate(SATISFACTION_CHOICES):
            button = QRadioButton(choice)
            button.setObjectName(f"satisfaction_{i}")
            button.setProperty("answer", choice)
            self.satisfaction.addButton(button)
            row.addWidget(button)
        row.addStretch(1)
        form.addWidget(satisfaction)

        details = QFormLayout()
        self.free_text = QPlainTextEdit()
        self.free_text.setObjectName("freeText")
        self.free_text.setAccessibleName(FREE_TEXT_QUESTION)
        self.free_text.setTabChangesFocus(True)
        self.respondent = QLineEdit()
        self.respondent.setObjectName("respondent")
        self.respondent.setAccessibleName(tr_label(FEEDBACK_RESPONDENT))
        details.addRow(FREE_TEXT_QUESTION, self.free_text)
        details.addRow(tr_label(FEEDBACK_RESPONDENT), self.respondent)
        form.addLayout(details)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)

        self.problems = problem_label()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.seal_button = QPushButton(tr_label(FEEDBACK_SEAL))
        self.seal_button.setObjectName("sealFeedback")
        buttons.addButton(self.seal_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.seal_button.clicked.connect(self.seal)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self.resize(760, 680)

    def filled(self) -> FeedbackAnswers:
        """Return what the enterprise has answered so far."""
        answers = {}
        for key, group in self.answers.items():
            chosen = group.checkedButton()
            if chosen is not None:
                answers[key] = str(chosen.property("answer"))
        chosen = self.satisfaction.checkedButton()
        return FeedbackAnswers(
            stage=self.stage,
            answers=answers,
            satisfaction="" if chosen is None else str(chosen.property("answer")),
            free_text=self.free_text.toPlainText(),
            respondent=self.respondent.text(),
        )

    def seal(self) -> bool:
        """Seal the answers (the store keeps only the envelope); close on success. A refusal
        is shown here and every answer stays on the screen."""
        self.change = run_step(
            lambda: self.services.steps().seal_feedback(self.case_id, self.filled()),
            self._show_problems,
        )
        if self.change is None:
            return False
        self._forget()
        self.accept()
        return True

    def _show_problems(self, messages: list[str]) -> None:
        show_refusal(self.problems, messages)

    def _forget(self) -> None:
        """Clear the answers from the screen once sealed (nothing readable stays behind)."""
        for group in (*self.answers.values(), self.satisfaction):
            group.setExclusive(False)
            for button in group.buttons():
                button.setChecked(False)
            group.setExclusive(True)
        self.free_text.clear()
        self.respondent.clear()
