"""The enterprise's opinion page (企业意见) of one case: the opinions or objections recorded, and a
form to record one with the name of the enterprise's representative.

Whether an opinion can be recorded now is the domain's (`core.case_steps`, the same rules that
guard `Casework.record_objection`): a blocked step shows its reason and the form is disabled.
"""

from __future__ import annotations

import html
from functools import partial

from inspector_app.app import Services
from inspector_app.core.intake import objection_recorder_problems
from inspector_app.core.lifecycle import case_open_problems, lifecycle_step_problems
from inspector_app.core.model import EnterpriseObjection, new_id
from inspector_app.core.team import acting_member
from inspector_app.labels import (
    OBJECTION_ENTRY,
    OBJECTION_FORM_GROUP,
    OBJECTION_NONE,
    OBJECTION_PAGE_TITLE,
    OBJECTION_RECORD,
    OBJECTION_RECORDED_GROUP,
    OBJECTION_REPRESENTATIVE_FIELD,
    OBJECTION_SAVED,
    OBJECTION_TEXT_FIELD,
    PAGE_NEEDS_SIGN_IN,
)
from inspector_app.ui.case_page import BlockableCasePage
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.page_parts import (
    action_button,
    form_group,
    labelled_form,
    message_label,
    run_step,
    show_blocked,
    show_message,
    show_refused,
    signed_in_reviewer,
    wrapping_label,
)
from inspector_app.ui.qt import (
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    Qt,
    QVBoxLayout,
    QWidget,
)

TIME_FORMAT = "%Y-%m-%d %H:%M"


class OpinionStep(BlockableCasePage):
    """The enterprise's opinions on one case, and the form to record one.

    Emits `changed(Change)` after an opinion was stored.
    """

    def __init__(self, services: Services, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(
            services, case_id, "opinionStep", "opinionHeading", "opinionBlocked", parent=parent
        )

        self.recorded = wrapping_label("opinionsRecorded")
        self.recorded.setTextFormat(Qt.TextFormat.RichText)
        self.recorded.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.recorded.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        recorded_box = QGroupBox(tr_label(OBJECTION_RECORDED_GROUP))
        QVBoxLayout(recorded_box).addWidget(self.recorded)

        self.text = QPlainTextEdit()
        self.text.setObjectName("opinionText")
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(90)
        self.text.setMaximumHeight(160)
        self.representative = QLineEdit()
        self.representative.setObjectName("opinionRepresentative")
        self.record_button = action_button(OBJECTION_RECORD, "recordOpinion", self.record)
        self.message = message_label("opinionMessage")
        self.access = wrapping_label("opinionAccess")

        form = labelled_form(
            (
                (OBJECTION_TEXT_FIELD, self.text),
                (OBJECTION_REPRESENTATIVE_FIELD, self.representative),
            )
        )
        form.addRow("", self.record_button)
        form.addRow("", self.access)
        form.addRow("", self.message)
        self.form_box = form_group(OBJECTION_FORM_GROUP, form)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.blocked)
        layout.addWidget(recorded_box)
        layout.addWidget(self.form_box)
        layout.addStretch(1)
        self.refresh()

    def refresh(self) -> None:
        """Read the recorded opinions again and show them."""
        state = self.services.queries.case_file(self.case_id)
        # A done step may take another opinion while the case is concluded and open.
        status = state.case.status
        self.blocked_reason = self.step_reason or "；".join(
            p.message
            for p in case_open_problems(status)
            or lifecycle_step_problems(status, "record_objection")
        )
        self.heading.setText(
            tr_label(OBJECTION_PAGE_TITLE).format(
                application_no=state.case.application_no, enterprise=state.enterprise.name
            )
        )
        show_blocked(self.blocked, self.blocked_reason)
        calendar = self.services.settings.calendar
        entries = [
            "<p><b>"
            + html.escape(
                tr_label(OBJECTION_ENTRY).format(
                    at=calendar.local(o.recorded_at).strftime(TIME_FORMAT),
                    representative=o.representative,
                )
            )
            + "</b><br>"
            + html.escape(o.text).replace("\n", "<br>")
            + "</p>"
            for o in sorted(state.objections, key=lambda o: (o.recorded_at, o.id))
        ]
        self.recorded.setText("".join(entries) or html.escape(tr_label(OBJECTION_NONE)))
        reviewer = signed_in_reviewer(self.services)
        if reviewer is None:
            why_not = tr_label(PAGE_NEEDS_SIGN_IN)
        else:  # only a member of the team takes the opinion down: the domain's words
            member = acting_member(state.members, reviewer.actor)
            why_not = "；".join(
                p.message for p in objection_recorder_problems(member, reviewer.name)
            )
        self.access.setText(why_not)
        self.access.setVisible(bool(why_not))
        can_record = not why_not and not self.blocked_reason
        for widget in (self.text, self.representative, self.record_button):
            widget.setEnabled(can_record)

    def record(self) -> bool:
        """Record the opinion in the form now; return whether it was stored.

        A refusal (an empty text or representative, a case not concluded, …) shows the
        domain's message next to the form, and nothing is written.
        """
        objection = EnterpriseObjection(
            new_id(),
            self.case_id,
            self.text.toPlainText().strip(),
            self.representative.text().strip(),
            self.services.clock(),
        )
        change = run_step(
            lambda: self.services.steps().record_objection(objection),
            partial(show_refused, self.message),
        )
        if change is None:
            return False
        self.text.clear()
        self.representative.clear()
        self.refresh()
        show_message(self.message, [tr_label(OBJECTION_SAVED)])
        self.changed.emit(change)
        return True
