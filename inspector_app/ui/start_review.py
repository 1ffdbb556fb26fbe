"""The on-site step before the review started: its state and reason, and the button that starts
the on-site checklist (开始实地核查) once the team is filed. The domain decides whether it may
start (`Casework.start_review`); a refusal is shown on the page and nothing is written."""

from __future__ import annotations

import html

from inspector_app.app import Services
from inspector_app.core.case_steps import CaseStep, StepState
from inspector_app.labels import (
    CASE_STEP_LABELS,
    START_REVIEW,
    START_REVIEW_HINT,
    START_REVIEW_NEEDS_SIGN_IN,
    STEP_LINE,
    STEP_STATE_LABELS,
)
from inspector_app.ui.case_page import CasePage
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.page_parts import (
    action_button,
    problem_label,
    run_step,
    show_refusal,
    signed_in_reviewer,
    wrapping_label,
)
from inspector_app.ui.qt import (
    QHBoxLayout,
    Qt,
    QVBoxLayout,
    QWidget,
)


class StartReviewPage(CasePage):
    """Shows why the on-site review cannot start yet, or lets a member start it.

    Emits `changed(Change)` once the review started (the case window then shows the checklist).
    """

    def __init__(self, services: Services, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(services, case_id, "startReviewPage", parent)
        self.step_state: StepState | None = None
        self.state_label = wrapping_label("step_on_site")
        self.state_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.start_button = action_button(START_REVIEW, "startReview", self.start)
        self.problems = problem_label()
        row = QHBoxLayout()
        row.addWidget(self.start_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state_label)
        layout.addLayout(row)
        layout.addWidget(self.problems)
        layout.addStretch(1)

    def show_step(self, step: CaseStep) -> None:
        """Show the step's state and reason; the button is enabled when it is to do and
        someone is signed in."""
        self.step_state = step.state
        title = tr_label(STEP_LINE).format(
            step=tr_label(CASE_STEP_LABELS[step.key.value]),
            state=tr_label(STEP_STATE_LABELS[step.state.value]),
        )
        lines = [f"<h3>{html.escape(title)}</h3>"]
        if step.reason:
            lines.append(f"<p>{html.escape(step.reason)}</p>")
        lines.append(f"<p style='color:#777'>{html.escape(tr_label(START_REVIEW_HINT))}</p>")
        self.state_label.setText("".join(lines))
        self.update_access()

    def update_access(self) -> None:
        """Enable the button for a signed-in reviewer when the step is to do."""
        signed_in = signed_in_reviewer(self.services) is not None
        to_do = self.step_state == StepState.TO_DO
        self.start_button.setEnabled(signed_in and to_do)
        self.start_button.setToolTip("" if signed_in else tr_label(START_REVIEW_NEEDS_SIGN_IN))

    def start(self) -> bool:
        """Start the on-site review as the signed-in reviewer; return whether it started."""
        change = run_step(
            lambda: self.services.steps().start_review(self.case_id),
            lambda messages: show_refusal(self.problems, messages),
        )
        if change is None:
            return False
        self.problems.setVisible(False)
        self.changed.emit(change)
        return True
