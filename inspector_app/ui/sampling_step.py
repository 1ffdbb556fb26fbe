"""The sampling step (抽样封样) of one case: the sampling and sealing record (抽样单 / 封样单)
with its seals and their photos, written once the on-site verdict is pass.

The page only shows what the domain decides: it is locked with the domain's reason until
sampling is allowed (`core.case_steps`, `core.sampling.sampling_allowed_problems`); the
inspection agency starts empty and needs the enterprise's own choice; a refusal of the store
(a missing field, a time in the future, …) is shown above the save button and the form keeps
everything typed. Samplers are team members picked by id (two may share a name: their unit
tells them apart). The send-by date is the domain's (`core.deadlines.sample_send_by`). Once
saved, the record and its seals are shown read-only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

from inspector_app.app import Services
from inspector_app.core.case_steps import StepKey, StepState
from inspector_app.core.deadlines import sample_is_overdue, sample_send_by
from inspector_app.core.model import CaseFile, Reviewer, SampleRecord, Seal, TeamMember, new_id
from inspector_app.core.team import acting_member
from inspector_app.labels import (
    AGENCY_CHOSEN_BY_ENTERPRISE,
    AGENCY_CHOSEN_YES,
    AGENCY_GROUP,
    AGENCY_PLACEHOLDER,
    LIST_JOIN,
    ONSITE_TESTING,
    SAMPLE_FIELD_LABELS,
    SAMPLE_GROUP,
    SAMPLE_RECORDED,
    SAMPLER_CHOICE,
    SAMPLING_LOCKED,
    SAMPLING_NEEDS_SIGN_IN,
    SAMPLING_TITLE,
    SAVE_SAMPLE,
    SEAL_GROUP,
    SEND_BY,
    SEND_BY_ONSITE,
    SEND_BY_OVERDUE,
)
from inspector_app.ui.case_page import CasePage
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.moments import moment_of, show_moment
from inspector_app.ui.page_parts import (
    ERROR_STYLE,
    action_button,
    heading_label,
    problem_label,
    signed_in_reviewer,
    wrapping_label,
)
from inspector_app.ui.qt import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
)
from inspector_app.ui.seal_list import PhotoWho, SealList
from inspector_app.ui.tasks import Runner

TIME_FORMAT = "%Y-%m-%d %H:%M"
TEXT_FIELDS = (
    "product_name",
    "model_spec",
    "batch_no",
    "base_quantity",
    "sample_quantity",
    "reserve_quantity",
    "sampling_place",
)
"""The record's plain text fields, in the order of the form."""


def default_sampling_time(now: datetime, concluded_at: datetime | None) -> datetime:
    """Return the time the sampling form starts with: now, or, when now shown to the minute
    would fall before the conclusion (sampling right after concluding), the conclusion's next
    whole minute (the domain refuses samples before the conclusion)."""
    if concluded_at is None or now.replace(second=0, microsecond=0) >= concluded_at:
        return now
    floor = concluded_at.replace(second=0, microsecond=0)
    return floor if floor == concluded_at else floor + timedelta(minutes=1)


def sampler_choice(member: TeamMember) -> str:
    """Return how a team member is offered as a sampler: name and unit (namesakes apart)."""
    return tr_label(SAMPLER_CHOICE).format(name=member.name, unit=member.unit)


def without_mnemonic(label: str) -> str:
    """Return a label without its keyboard mnemonic ("抽样地点(&L)" -> "抽样地点")."""
    return re.sub(r"\(&\w\)", "", label).replace("&", "")


class SampleForm(QWidget):
    """The form of a new sampling record: its fields, the samplers, the agency and the seals.

    Args:
        services: The composition root's services.
        state: The case as it stands (its team, qualified agencies).
        make_runner: Returns the background runner (photos are read off the UI thread).
    """

    def __init__(
        self, services: Services, state: CaseFile, make_runner: Callable[[], Runner]
    ) -> None:
        super().__init__()
        self.setObjectName("sampleForm")
        self.services = services
        self.state = state

        self.fields: dict[str, QLineEdit] = {}
        record = QFormLayout()
        for name in TEXT_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(name)
            self.fields[name] = edit
            record.addRow(tr_label(SAMPLE_FIELD_LABELS[name]), edit)
        self.fields["product_name"].setText(state.case.product_unit)
        self.sampled_at = QDateTimeEdit()
        self.sampled_at.setObjectName("sampled_at")
        self.sampled_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.sampled_at.setCalendarPopup(True)
        self.set_sampled_at(default_sampling_time(services.clock(), state.case.concluded_at))
        record.addRow(tr_label(SAMPLE_FIELD_LABELS["sampled_at"]), self.sampled_at)
        self.samplers: list[QCheckBox] = []
        sampler_box = QVBoxLayout()
        own = self._own_member()
        for member in state.members:
            box = QCheckBox(sampler_choice(member))
            box.setObjectName(f"sampler_{member.id}")
            box.setProperty("member_id", member.id)
            box.setChecked(own is not None and member.id == own.id)
            self.samplers.append(box)
            sampler_box.addWidget(box)
        samplers_label = QLabel(tr_label(SAMPLE_FIELD_LABELS["samplers"]))
        record.addRow(samplers_label, sampler_box)
        self.representative = QLineEdit()
        self.representative.setObjectName("enterprise_representative")
        record.addRow(
            tr_label(SAMPLE_FIELD_LABELS["enterprise_representative"]), self.representative
        )
        record_group = QGroupBox(tr_label(SAMPLE_GROUP))
        record_group.setLayout(record)

        self.agency = QComboBox()
        self.agency.setObjectName("agency")
        self.agency.setPlaceholderText(tr_label(AGENCY_PLACEHOLDER))
        self.agency.addItems(list(state.case.qualified_agencies))
        self.agency.setCurrentIndex(-1)  # the enterprise chooses: nothing is preselected
        self.agency.setAccessibleName(tr_label(SAMPLE_FIELD_LABELS["agency"]))
        agency_label = QLabel(tr_label(SAMPLE_FIELD_LABELS["agency"]))
        agency_label.setBuddy(self.agency)
        self.chosen_by_enterprise = QCheckBox(tr_label(AGENCY_CHOSEN_BY_ENTERPRISE))
        self.chosen_by_enterprise.setObjectName("chosenByEnterprise")
        self.onsite_testing = QCheckBox(tr_label(ONSITE_TESTING))
        self.onsite_testing.setObjectName("onsiteTesting")
        self.send_by = wrapping_label("sendBy")
        agency_layout = QVBoxLayout()
        agency_layout.addWidget(agency_label)
        agency_layout.addWidget(self.agency)
        agency_layout.addWidget(self.chosen_by_enterprise)
        agency_layout.addWidget(self.onsite_testing)
        agency_layout.addWidget(self.send_by)
        agency_group = QGroupBox(tr_label(AGENCY_GROUP))
        agency_group.setLayout(agency_layout)

        who = PhotoWho(lambda: services.acting_reviewer().actor, services.clock)
        self.seals = SealList(make_runner, who)
        seal_layout = QVBoxLayout()
        seal_layout.addWidget(self.seals)
        seal_group = QGroupBox(tr_label(SEAL_GROUP))
        seal_group.setLayout(seal_layout)

        right = QVBoxLayout()
        right.addWidget(agency_group)
        right.addWidget(seal_group, 1)
        columns = QHBoxLayout(self)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addWidget(record_group, 1)
        columns.addLayout(right, 1)

        self.sampled_at.dateTimeChanged.connect(self._update_send_by)
        self.onsite_testing.toggled.connect(self._update_send_by)
        self._update_send_by()

    def _own_member(self) -> TeamMember | None:
        reviewer = signed_in_reviewer(self.services)
        return acting_member(self.state.members, reviewer.actor) if reviewer else None

    def set_sampled_at(self, at: datetime) -> None:
        """Show the moment `at` in the sampling time field (on the regulation's clocks)."""
        show_moment(self.sampled_at, at, self.services.settings.calendar)

    def sampled_at_value(self) -> datetime:
        """Return the sampling time entered, as a moment on the regulation's calendar."""
        return moment_of(self.sampled_at, self.services.settings.calendar)

    def _update_send_by(self) -> None:
        if self.onsite_testing.isChecked():
            self.send_by.setText(tr_label(SEND_BY_ONSITE))
            return
        due = sample_send_by(self.sampled_at_value(), self.services.settings.calendar)
        self.send_by.setText(tr_label(SEND_BY).format(date=due.isoformat()))

    def record(self, sample_id: str) -> tuple[SampleRecord, list[Seal]]:
        """Return the record and seals as entered (the store judges them)."""
        text = {name: edit.text().strip() for name, edit in self.fields.items()}
        sample = SampleRecord(
            id=sample_id,
            case_id=self.state.case.id,
            product_name=text["product_name"],
            model_spec=text["model_spec"],
            batch_no=text["batch_no"],
            base_quantity=text["base_quantity"],
            sample_quantity=text["sample_quantity"],
            reserve_quantity=text["reserve_quantity"],
            sampling_place=text["sampling_place"],
            sampled_at=self.sampled_at_value(),
            sampler_ids=tuple(
                str(box.property("member_id")) for box in self.samplers if box.isChecked()
            ),
            enterprise_representative=self.representative.text().strip(),
            agency=self.agency.currentText() if self.agency.currentIndex() >= 0 else "",
            agency_chosen_by_enterprise=self.chosen_by_enterprise.isChecked(),
            onsite_testing=self.onsite_testing.isChecked(),
        )
        seals = [
            Seal(new_id(), sample_id, self.state.case.id, number.strip(), photo)
            for number, photo in self.seals.seals()
        ]
        return sample, seals


class RecordedSample(QGroupBox):
    """A saved sampling record and its seals, shown read-only."""

    def __init__(
        self,
        services: Services,
        state: CaseFile,
        sample: SampleRecord,
        make_runner: Callable[[], Runner],
    ) -> None:
        super().__init__(tr_label(SAMPLE_RECORDED))
        self.setObjectName("recordedSample")
        calendar = services.settings.calendar
        members = {m.id: m for m in state.members}
        values = {name: getattr(sample, name) for name in TEXT_FIELDS}
        values["sampled_at"] = calendar.local(sample.sampled_at).strftime(TIME_FORMAT)
        values["samplers"] = tr_label(LIST_JOIN).join(
            sampler_choice(members[i]) if i in members else i for i in sample.sampler_ids
        )
        values["enterprise_representative"] = sample.enterprise_representative
        values["agency"] = (
            tr_label(AGENCY_CHOSEN_YES).format(agency=sample.agency)
            if sample.agency_chosen_by_enterprise
            else sample.agency
        )
        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        for name, value in values.items():
            shown = QLabel(value)
            shown.setObjectName(f"shown_{name}")
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[name] = shown
            form.addRow(without_mnemonic(tr_label(SAMPLE_FIELD_LABELS[name])), shown)
        self.send_by = QLabel()
        self.send_by.setObjectName("sendBy")
        if sample.onsite_testing:
            self.send_by.setText(tr_label(SEND_BY_ONSITE))
        else:
            due = sample_send_by(sample.sampled_at, calendar).isoformat()
            overdue = sample_is_overdue(sample, services.queries.today(), calendar)
            self.send_by.setText(tr_label(SEND_BY_OVERDUE if overdue else SEND_BY).format(date=due))
            self.send_by.setStyleSheet(ERROR_STYLE if overdue else "")
        form.addRow(self.send_by)

        self.seals = SealList(make_runner, None, editable=False)
        for seal in sorted(
            (s for s in state.seals if s.sample_id == sample.id), key=lambda s: s.seal_no
        ):
            self.seals.add_seal(seal.seal_no, seal.photo)
        seal_group = QGroupBox(tr_label(SEAL_GROUP))
        seal_layout = QVBoxLayout(seal_group)
        seal_layout.addWidget(self.seals)

        layout = QHBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(seal_group, 1)


class SamplingStep(CasePage):
    """The sampling step of one case: locked, the form of a new record, or the saved records.

    Emits `changed(Change)` after the record was saved.

    Args:
        services: The composition root's services.
        case_id: The case.
        make_runner: Returns the background runner for reading photos (made on first use).
    """

    def __init__(
        self,
        services: Services,
        case_id: str,
        make_runner: Callable[[], Runner],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(services, case_id, "samplingStep", parent)
        self.make_runner = make_runner
        self.mode: StepState | None = None
        self.form: SampleForm | None = None
        self.recorded: list[RecordedSample] = []

        self.heading = heading_label("samplingHeading")
        self.locked = wrapping_label("samplingLocked")
        self.locked.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body = QVBoxLayout()
        body = QWidget()
        body.setLayout(self.body)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setWidget(body)
        self.scroller.setFrameShape(QScrollArea.Shape.NoFrame)

        self.problems = problem_label()
        self.access = wrapping_label("samplingAccess")
        self.save_button = action_button(SAVE_SAMPLE, "saveSample", self.save)
        save_row = QHBoxLayout()
        save_row.addWidget(self.access, 1)
        save_row.addWidget(self.save_button)
        self.save_bar = QWidget()
        self.save_bar.setLayout(save_row)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.locked)
        layout.addWidget(self.scroller, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.save_bar)
        self.refresh()

    def refresh(self) -> None:
        """Read the case again; rebuild the page only when its state changed (so that what is
        typed in the form is kept across refreshes of the case window)."""
        state = self.services.queries.case_file(self.case_id)
        self.heading.setText(
            tr_label(SAMPLING_TITLE).format(
                application_no=state.case.application_no, enterprise=state.enterprise.name
            )
        )
        steps = self.services.queries.case_steps(self.case_id)
        step = next(s for s in steps if s.key == StepKey.SAMPLING)
        self.locked.setText(tr_label(SAMPLING_LOCKED).format(reason=step.reason))
        self.locked.setVisible(step.state == StepState.BLOCKED)
        if step.state != self.mode:
            self.mode = step.state
            self._rebuild(state)
        self.save_bar.setVisible(self.form is not None)
        self.update_access()

    def _rebuild(self, state: CaseFile) -> None:
        if self.form is not None:
            self.form.seals.clear()  # a photo still on its way is dropped when it arrives
        while self.body.count():
            item = self.body.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # gone at once, deleted on the next turn of the event loop
                widget.deleteLater()
        self.form = None
        self.recorded = []
        self.problems.setVisible(False)
        if self.mode == StepState.TO_DO:
            self.form = SampleForm(self.services, state, self.make_runner)
            self.form.seals.busy_changed.connect(lambda _busy: self.update_access())
            self.body.addWidget(self.form)
            self.form.show()
        elif self.mode == StepState.DONE:
            for sample in sorted(state.samples, key=lambda s: s.sampled_at):
                shown = RecordedSample(self.services, state, sample, self.make_runner)
                self.recorded.append(shown)
                self.body.addWidget(shown)
                shown.show()
        self.body.addStretch(1)

    def _reviewer(self) -> Reviewer | None:
        return signed_in_reviewer(self.services)

    def update_access(self) -> None:
        """Enable saving for a signed-in reviewer, once no photo is still being read."""
        signed_in = self._reviewer() is not None
        busy = self.form is not None and self.form.seals.busy
        self.save_button.setEnabled(self.form is not None and signed_in and not busy)
        self.access.setText("" if signed_in else tr_label(SAMPLING_NEEDS_SIGN_IN))
        if self.form is not None:
            self.form.seals.setEnabled(signed_in)

    def save(self) -> bool:
        """Save the record with its seals as the signed-in reviewer; return whether it was."""
        if self.form is None:
            return False
        sample, seals = self.form.record(new_id())
        return self.store(lambda: self.services.steps().record_sample(sample, seals), self.problems)
