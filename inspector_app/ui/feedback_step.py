"""The feedback form page (反馈表) of one case: for each stage (受理, 实地核查, 产品检验) whether
the form was handed over to the enterprise, and when, to whom and by whom; and a form to record a
hand-over by the signed-in reviewer's own member.

Whether a stage's hand-over is late or missing is the domain's (`core.feedback`), read through
`Queries.case_feedback`. The time defaults to now and can be changed; the store refuses a time in
the future (and any other rule), and the page shows its message next to the form.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from inspector_app.app import Services
from inspector_app.core.feedback import HandoverStatus
from inspector_app.core.feedback_answers import feedback_sealing_problems
from inspector_app.core.lifecycle import case_open_problems
from inspector_app.core.model import FeedbackHandover, Reviewer, Stage, TeamMember, new_id
from inspector_app.core.team import acting_member
from inspector_app.labels import (
    FEEDBACK_AT_FIELD,
    FEEDBACK_BY_FIELD,
    FEEDBACK_BY_VALUE,
    FEEDBACK_FILL_BUTTON,
    FEEDBACK_FORM_GROUP,
    FEEDBACK_HEADERS,
    FEEDBACK_NOT_MEMBER,
    FEEDBACK_PAGE_TITLE,
    FEEDBACK_RECORD,
    FEEDBACK_SAVED,
    FEEDBACK_SEALED,
    FEEDBACK_STAGE_FIELD,
    FEEDBACK_STATUS_LABELS,
    FEEDBACK_TABLE_NAME,
    FEEDBACK_TO_FIELD,
    PAGE_NEEDS_SIGN_IN,
    REVIEWER_NAME_UNIT,
    STAGE_LABELS,
)
from inspector_app.store.queries import CaseFeedback
from inspector_app.ui.case_page import BlockableCasePage
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.moments import moment_of, show_moment
from inspector_app.ui.page_parts import (
    action_button,
    fit_columns_to_contents,
    form_group,
    labelled_form,
    message_label,
    row_table,
    run_step,
    show_blocked,
    show_message,
    show_refused,
    signed_in_reviewer,
    wrapping_label,
)

if TYPE_CHECKING:
    from inspector_app.ui.feedback_fill import FeedbackFillDialog
from inspector_app.ui.qt import (
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLineEdit,
    Qt,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

TIME_FORMAT = "%Y-%m-%d %H:%M"
LATE_COLOR = "#b00020"


def status_key(status: HandoverStatus) -> str:
    """Return the key of `FEEDBACK_STATUS_LABELS` for how a stage's hand-over stands."""
    if status.missing:
        return "missing"
    if status.late:
        return "late"
    if status.handover is None:
        return "not_yet" if status.owed else "not_owed"
    return "handed"


class FeedbackStep(BlockableCasePage):
    """The feedback form's hand-overs of one case, and the form to record one.

    Emits `changed(Change)` after a hand-over was stored.
    """

    def __init__(self, services: Services, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(
            services, case_id, "feedbackStep", "feedbackHeading", "feedbackBlocked", parent=parent
        )

        self.table = row_table(
            "feedbackTable", FEEDBACK_TABLE_NAME, FEEDBACK_HEADERS, rows=len(Stage)
        )
        fit_columns_to_contents(self.table)

        self.stage = QComboBox()
        self.stage.setObjectName("feedbackStage")
        for stage in Stage:
            self.stage.addItem(tr_label(STAGE_LABELS[stage]), stage.value)
        self.handed_to = QLineEdit()
        self.handed_to.setObjectName("feedbackHandedTo")
        self.handed_at = QDateTimeEdit()
        self.handed_at.setObjectName("feedbackHandedAt")
        self.handed_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.handed_at.setCalendarPopup(True)
        self.handed_by = wrapping_label("feedbackHandedBy")
        self.record_button = action_button(FEEDBACK_RECORD, "recordHandover", self.record)
        self.message = message_label("feedbackMessage")

        form = labelled_form(
            (
                (FEEDBACK_STAGE_FIELD, self.stage),
                (FEEDBACK_TO_FIELD, self.handed_to),
                (FEEDBACK_AT_FIELD, self.handed_at),
            )
        )
        form.addRow(tr_label(FEEDBACK_BY_FIELD), self.handed_by)
        form.addRow("", self.record_button)
        form.addRow("", self.message)
        self.form_box = form_group(FEEDBACK_FORM_GROUP, form)

        # The enterprise's own form, sealed at once (ui/feedback_fill.py): only its state shows.
        self.fill_button = action_button(FEEDBACK_FILL_BUTTON, "fillFeedback", self.ask_enterprise)
        self.sealed = wrapping_label("feedbackSealed")
        self.fill_dialog: FeedbackFillDialog | None = None
        self.can_record = False
        self.stage.currentIndexChanged.connect(self._show_sealed)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.blocked)
        layout.addWidget(self.table)
        layout.addWidget(self.form_box)
        fill = QHBoxLayout()
        fill.addWidget(self.fill_button)
        fill.addWidget(self.sealed, 1)
        layout.addLayout(fill)
        layout.addStretch(1)
        self.refresh()

    # Reading ---------------------------------------------------------------------------------

    def _reviewer(self) -> Reviewer | None:
        return signed_in_reviewer(self.services)

    def own_member(self) -> TeamMember | None:
        """Return the signed-in reviewer's member of this team (by id), or None."""
        reviewer = self._reviewer()
        if reviewer is None:
            return None
        return acting_member(self.feedback.members, reviewer.actor)

    def _member_shown(self, member_id: str) -> str:
        """Return how a member who handed a form over is shown: the name and the unit, so that
        two namesakes on one team (the demo's two 王建华) are told apart."""
        member = next((m for m in self.feedback.members if m.id == member_id), None)
        if member is None:
            return self.feedback.member_name(member_id)
        return tr_label(REVIEWER_NAME_UNIT).format(name=member.name, unit=member.unit)

    def refresh(self) -> None:
        """Read the hand-overs again and show them; set up the form for the signed-in member."""
        self.feedback: CaseFeedback = self.services.queries.case_feedback(self.case_id)
        intake = self.services.queries.case_intake(self.case_id)
        # A done step may take another hand-over while the case is open.
        self.blocked_reason = self.step_reason or "；".join(
            p.message for p in case_open_problems(intake.case.status)
        )
        self.heading.setText(
            tr_label(FEEDBACK_PAGE_TITLE).format(
                application_no=intake.case.application_no, enterprise=intake.enterprise.name
            )
        )
        show_blocked(self.blocked, self.blocked_reason)
        calendar = self.services.settings.calendar
        for row, status in enumerate(self.feedback.statuses):
            given = status.handover
            cells = (
                tr_label(STAGE_LABELS[status.stage]),
                tr_label(FEEDBACK_STATUS_LABELS[status_key(status)]),
                calendar.local(given.handed_at).strftime(TIME_FORMAT) if given else "",
                given.handed_to if given else "",
                self._member_shown(given.handed_by) if given else "",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, status.stage.value)
                if status.late or status.missing:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(row, column, item)

        self.table.resizeRowsToContents()
        rows = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        frame = 2 * self.table.frameWidth()
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height() + rows + frame)

        waiting = next(
            (s.stage for s in self.feedback.statuses if s.handover is None and s.owed), None
        )
        if waiting is not None:
            self.stage.setCurrentIndex(self.stage.findData(waiting.value))
        if not self.handed_to.text():
            self.handed_to.setText(intake.enterprise.contact_person)
        show_moment(self.handed_at, self.services.clock(), calendar)

        member = self.own_member()
        if self._reviewer() is None:
            self.handed_by.setText(tr_label(PAGE_NEEDS_SIGN_IN))
        elif member is None:
            self.handed_by.setText(tr_label(FEEDBACK_NOT_MEMBER))
        else:
            self.handed_by.setText(
                tr_label(FEEDBACK_BY_VALUE).format(name=member.name, unit=member.unit)
            )
        can_record = member is not None and not self.blocked_reason
        for widget in (self.stage, self.handed_to, self.handed_at, self.record_button):
            widget.setEnabled(can_record)
        self.can_record = can_record
        self._show_sealed()

    def _show_sealed(self) -> None:
        """Say which stages' forms the enterprise sealed; offer the form of the chosen stage
        when the domain allows it (handed over, not sealed yet), else say why not."""
        calendar = self.services.settings.calendar
        self.sealed.setText(
            "\n".join(
                tr_label(FEEDBACK_SEALED).format(
                    stage=tr_label(STAGE_LABELS[form.stage]),
                    sealed_at=calendar.local(form.sealed_at).strftime(TIME_FORMAT),
                )
                for form in self.feedback.sealed
            )
        )
        stage = Stage(self.stage.currentData())
        problems = feedback_sealing_problems(stage, self.feedback.handovers, self.feedback.sealed)
        self.fill_button.setEnabled(self.can_record and not problems)
        self.fill_button.setToolTip("；".join(p.message for p in problems))

    def ask_enterprise(self) -> FeedbackFillDialog:
        """Hand the laptop to the enterprise: its form of the chosen stage, sealed on submit."""
        from inspector_app.ui.feedback_fill import FeedbackFillDialog

        dialog = FeedbackFillDialog(
            self.services, self.case_id, Stage(self.stage.currentData()), self
        )
        dialog.accepted.connect(lambda: self._sealed(dialog))
        self.fill_dialog = dialog
        dialog.open()
        return dialog

    def _sealed(self, dialog: FeedbackFillDialog) -> None:
        self.refresh()
        if dialog.change is not None:
            self.changed.emit(dialog.change)

    def chosen_time(self) -> datetime:
        """Return the hand-over time in the form, on the regulation's calendar."""
        return moment_of(self.handed_at, self.services.settings.calendar)

    # Writing ---------------------------------------------------------------------------------

    def record(self) -> bool:
        """Record the hand-over in the form by the signed-in member; return whether it was stored.

        A refusal shows the domain's message next to the form, and nothing is written.
        """
        member = self.own_member()
        if member is None:
            show_message(self.message, [tr_label(FEEDBACK_NOT_MEMBER)], error=True)
            return False
        stage = Stage(self.stage.currentData())
        handover = FeedbackHandover(
            new_id(),
            self.case_id,
            stage,
            self.chosen_time(),
            self.handed_to.text().strip(),
            member.id,
        )
        change = run_step(
            lambda: self.services.steps().record_handover(handover),
            partial(show_refused, self.message),
        )
        if change is None:
            return False
        self.refresh()
        show_message(
            self.message, [tr_label(FEEDBACK_SAVED).format(stage=tr_label(STAGE_LABELS[stage]))]
        )
        self.changed.emit(change)
        return True
