"""The team step (组建审查组) of one case: members from the registry, the composition's errors and
warnings as the team is built, each member's integrity declaration, the filing (备案), and the
removal of a member (after a confirmation that says when it voids the filing).

People are ids: the picker shows each reviewer's name, unit and certificate number (two may
share a name) and adds the reviewer by id. A member's declaration is their own act, so only the
signed-in reviewer's own member can sign here. A change of the team after filing voids the
filing; the step says so and offers filing again. Every write is one step of the signed-in
reviewer's `Casework`; a refusal shows the domain's message and nothing is written.
"""

from __future__ import annotations

from inspector_app.app import Services
from inspector_app.core.lifecycle import case_open_problems, lifecycle_step_problems
from inspector_app.core.model import (
    CaseFile,
    IntegrityDeclaration,
    Reviewer,
    Role,
    TeamMember,
    new_id,
)
from inspector_app.core.team import (
    acting_member,
    check_team_composition,
    current_filing,
    declared_at,
    member_from_reviewer,
)
from inspector_app.labels import (
    ADD_MEMBER,
    COMPOSITION_ERROR,
    COMPOSITION_OK,
    COMPOSITION_WARNING,
    DECLARATION_DONE,
    DECLARATION_GROUP,
    DECLARATION_NOT_MEMBER,
    DECLARATION_SIGNED,
    DECLARATION_TICK_ALL,
    DECLARATION_UNSIGNED,
    FILE_TEAM,
    FILE_TEAM_AGAIN,
    FILING_CURRENT,
    FILING_NONE,
    FILING_VOID,
    PAGE_NEEDS_SIGN_IN,
    PICK_REVIEWER,
    PICK_REVIEWER_CHOICE,
    PICK_ROLE,
    PROMISE_NO_CONSULTING,
    PROMISE_NO_GIFTS,
    PROMISE_NO_PART_TIME,
    REMOVE_MEMBER,
    REMOVE_MEMBER_CONFIRM,
    REMOVE_MEMBER_PICK,
    REMOVE_MEMBER_TITLE,
    REMOVE_MEMBER_VOIDS,
    REVIEWER_HEADERS,
    ROLE_LABELS,
    SIGN_DECLARATION,
    TEAM_HEADERS_DECLARATION,
    TEAM_HEADERS_ROLE,
    TEAM_NEEDS_SIGN_IN,
    TEAM_STEP_TITLE,
    TEAM_TABLE_NAME,
)
from inspector_app.store.casework import load_case_file
from inspector_app.ui.case_page import CasePage
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.page_parts import (
    ERROR_STYLE,
    OK_STYLE,
    action_button,
    fit_columns_to_contents,
    heading_label,
    problem_label,
    row_table,
    show_refusal,
    signed_in_reviewer,
    wrapping_label,
)
from inspector_app.ui.qt import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    Qt,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

WARNING_STYLE = "color: #8a5a00;"
TIME_FORMAT = "%Y-%m-%d %H:%M"


def reviewer_choice(reviewer: Reviewer) -> str:
    """Return how the picker shows a reviewer: name, unit and certificate (namesakes apart)."""
    return tr_label(PICK_REVIEWER_CHOICE).format(
        name=reviewer.name, unit=reviewer.unit, certificate=reviewer.certificate_no
    )


class TeamStep(CasePage):
    """The team of one case, built, declared and filed by the signed-in reviewer.

    Emits `changed(Change)` after each step that wrote something.
    """

    def __init__(self, services: Services, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(services, case_id, "teamStep", parent)
        self._declaring: str | None = None  # whose declaration the ticks are for
        self.change_refused = ""  # why the domain refuses a change of the team now, if it does
        self.state: CaseFile = load_case_file(services.workspace.db, case_id, team_only=True)

        self.heading = heading_label("teamHeading")

        headers = [*REVIEWER_HEADERS, TEAM_HEADERS_ROLE, TEAM_HEADERS_DECLARATION]
        self.table = row_table("teamTable", TEAM_TABLE_NAME, headers)
        fit_columns_to_contents(self.table)

        self.picker = QComboBox()
        self.picker.setObjectName("reviewerPicker")
        self.picker.setAccessibleName(tr_label(PICK_REVIEWER))
        self.role = QComboBox()
        self.role.setObjectName("rolePicker")
        self.role.setAccessibleName(tr_label(PICK_ROLE))
        for role in (Role.MEMBER, Role.LEADER):
            self.role.addItem(tr_label(ROLE_LABELS[role]), role.value)
        self.add_button = action_button(ADD_MEMBER, "addMember", self.add_member)
        picker_label = QLabel(tr_label(PICK_REVIEWER))
        picker_label.setBuddy(self.picker)
        role_label = QLabel(tr_label(PICK_ROLE))
        role_label.setBuddy(self.role)
        add_row = QHBoxLayout()
        add_row.addWidget(picker_label)
        add_row.addWidget(self.picker, 1)
        add_row.addWidget(role_label)
        add_row.addWidget(self.role)
        add_row.addWidget(self.add_button)
        self.remove_button = action_button(REMOVE_MEMBER, "removeMember", self.ask_remove_member)
        self.confirmation: QMessageBox | None = None
        add_row.addWidget(self.remove_button)
        self.table.itemSelectionChanged.connect(self._update_remove)

        self.composition = wrapping_label("composition")
        self.composition.setTextFormat(Qt.TextFormat.RichText)

        self.filing = wrapping_label("filing")
        self.file_button = action_button(FILE_TEAM, "fileTeam", self.file_team)
        filing_row = QHBoxLayout()
        filing_row.addWidget(self.filing, 1)
        filing_row.addWidget(self.file_button)

        self.promises = [
            QCheckBox(tr_label(PROMISE_NO_CONSULTING)),
            QCheckBox(tr_label(PROMISE_NO_PART_TIME)),
            QCheckBox(tr_label(PROMISE_NO_GIFTS)),
        ]
        for number, box in enumerate(self.promises):
            box.setObjectName(f"promise{number}")
            box.toggled.connect(self._update_declaration)
        self.sign_button = action_button(SIGN_DECLARATION, "signDeclaration", self.sign_declaration)
        self.declaration_state = wrapping_label("declarationState")
        declaration_layout = QVBoxLayout()
        for box in self.promises:
            declaration_layout.addWidget(box)
        sign_row = QHBoxLayout()
        sign_row.addWidget(self.declaration_state, 1)
        sign_row.addWidget(self.sign_button)
        declaration_layout.addLayout(sign_row)
        self.declaration_box = QGroupBox(tr_label(DECLARATION_GROUP))
        self.declaration_box.setLayout(declaration_layout)

        self.problems = problem_label()

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(add_row)
        layout.addWidget(self.composition)
        layout.addLayout(filing_row)
        layout.addWidget(self.declaration_box)
        layout.addWidget(self.problems)
        self.refresh()

    # Reading ---------------------------------------------------------------------------------

    def _reviewer(self) -> Reviewer | None:
        return signed_in_reviewer(self.services)

    def own_member(self) -> TeamMember | None:
        """Return the signed-in reviewer's member of this team (by id), or None."""
        reviewer = self._reviewer()
        return acting_member(self.state.members, reviewer.actor) if reviewer else None

    def refresh(self) -> None:
        """Read the case's team again and show it."""
        self.state = load_case_file(self.services.workspace.db, self.case_id, team_only=True)
        self.shown_for = self.services.user  # who was signed in (the case window follows)
        case, members = self.state.case, self.state.members
        self.heading.setText(
            tr_label(TEAM_STEP_TITLE).format(
                application_no=case.application_no, enterprise=self.state.enterprise.name
            )
        )
        ordered = sorted(members, key=lambda m: (m.role != Role.LEADER, m.name, m.reviewer_id))
        self.table.setRowCount(len(ordered))
        for row, member in enumerate(ordered):
            signed = declared_at(member, self.state.declarations) is not None
            cells = (
                member.name,
                member.unit,
                member.certificate_no,
                tr_label(ROLE_LABELS[member.role]),
                tr_label(DECLARATION_SIGNED if signed else DECLARATION_UNSIGNED),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, member.id)
                self.table.setItem(row, column, item)

        on_team = {m.reviewer_id for m in members}
        self.picker.clear()
        for reviewer in self.services.queries.reviewers():
            if reviewer.id not in on_team:
                self.picker.addItem(reviewer_choice(reviewer), reviewer.id)
        signed_in = self._reviewer() is not None
        for widget in (self.picker, self.role, self.add_button, self.file_button):
            widget.setEnabled(signed_in)
            widget.setToolTip("" if signed_in else tr_label(TEAM_NEEDS_SIGN_IN))
        self.add_button.setEnabled(signed_in and self.picker.count() > 0)
        # After the conclusion the domain refuses any change of the team: say so up front.
        refused = case_open_problems(case.status) or lifecycle_step_problems(
            case.status, "change_team"
        )
        self.change_refused = refused[0].message if refused else ""
        if self.change_refused:
            for widget in (self.picker, self.role, self.add_button):
                widget.setEnabled(False)
                widget.setToolTip(self.change_refused)
        self._update_remove()

        report = check_team_composition(members, case.review_date)
        lines = [
            f'<span style="{ERROR_STYLE}">'
            f"{_html(tr_label(COMPOSITION_ERROR).format(message=p.message))}</span>"
            for p in report.errors
        ] + [
            f'<span style="{WARNING_STYLE}">'
            f"{_html(tr_label(COMPOSITION_WARNING).format(message=p.message))}</span>"
            for p in report.warnings
        ]
        if not lines:
            lines = [f'<span style="{OK_STYLE}">{_html(tr_label(COMPOSITION_OK))}</span>']
        self.composition.setText("<br>".join(lines))
        self.composition_report = report

        filing = current_filing(self.state.filings, members)
        if filing is not None:
            when = self.services.settings.calendar.local(filing.filed_at).strftime(TIME_FORMAT)
            self.filing.setText(tr_label(FILING_CURRENT).format(filed_at=when))
            self.filing.setStyleSheet(OK_STYLE)
        elif self.state.filings:
            self.filing.setText(tr_label(FILING_VOID))
            self.filing.setStyleSheet(ERROR_STYLE)
        else:
            self.filing.setText(tr_label(FILING_NONE))
            self.filing.setStyleSheet("")
        self.filing_is_void = filing is None and bool(self.state.filings)
        self.file_button.setText(tr_label(FILE_TEAM_AGAIN if self.filing_is_void else FILE_TEAM))
        self.file_button.setEnabled(signed_in and filing is None and not report.errors)
        self._update_declaration()

    def selected_member(self) -> TeamMember | None:
        """Return the member chosen in the table, or None."""
        items = self.table.selectedItems()
        member_id = items[0].data(Qt.ItemDataRole.UserRole) if items else None
        return next((m for m in self.state.members if m.id == member_id), None)

    def _update_remove(self) -> None:
        signed_in = self._reviewer() is not None
        chosen = self.selected_member() is not None
        refused = self.change_refused
        self.remove_button.setEnabled(signed_in and chosen and not refused)
        if not signed_in:
            self.remove_button.setToolTip(tr_label(TEAM_NEEDS_SIGN_IN))
        elif refused:
            self.remove_button.setToolTip(refused)
        else:
            self.remove_button.setToolTip("" if chosen else tr_label(REMOVE_MEMBER_PICK))

    def _update_declaration(self) -> None:
        """Only the signed-in reviewer's own member signs, once, with all three promises."""
        member = self.own_member()
        signed = declared_at(member, self.state.declarations) if member else None
        if self._reviewer() is None:  # nobody to be a member: ask to sign in
            text, can_sign = tr_label(PAGE_NEEDS_SIGN_IN), False
        elif member is None:
            text, can_sign = tr_label(DECLARATION_NOT_MEMBER), False
        elif signed is not None:
            when = self.services.settings.calendar.local(signed).strftime(TIME_FORMAT)
            text, can_sign = tr_label(DECLARATION_DONE).format(signed_at=when), False
        else:
            text, can_sign = tr_label(DECLARATION_TICK_ALL), True
        member_id = member.id if member else None
        # Ticks belong to one person: someone else signed in starts with none ticked.
        fresh = member_id != self._declaring
        self._declaring = member_id
        for box in self.promises:
            box.setEnabled(can_sign)
            if signed is not None or fresh:
                box.blockSignals(True)
                box.setChecked(signed is not None)
                box.blockSignals(False)
        self.declaration_state.setText(text)
        self.sign_button.setEnabled(can_sign and all(b.isChecked() for b in self.promises))

    # Writing ---------------------------------------------------------------------------------

    def _do(self, step: str, *args: object) -> bool:
        """Run one step of the signed-in reviewer; show a refusal; refresh; return success."""
        return self.store(lambda: getattr(self.services.steps(), step)(*args), self.problems)

    def _show_problems(self, messages: list[str]) -> None:
        show_refusal(self.problems, messages)

    def add_member(self) -> bool:
        """Add the picked reviewer (by id) with the picked role; return whether it was saved."""
        reviewer_id = self.picker.currentData()
        reviewer = next((r for r in self.services.queries.reviewers() if r.id == reviewer_id), None)
        if reviewer is None:
            return False
        role = Role(self.role.currentData())
        member = member_from_reviewer(reviewer, self.case_id, new_id(), role)
        return self._do("save_member", member)

    def ask_remove_member(self) -> None:
        """Ask to confirm removing the chosen member (saying that a filed team's filing becomes
        void); the answer Yes removes them (`remove_member`)."""
        member = self.selected_member()
        if member is None:
            self._show_problems([tr_label(REMOVE_MEMBER_PICK)])
            return
        text = tr_label(REMOVE_MEMBER_CONFIRM).format(name=member.name, unit=member.unit)
        if current_filing(self.state.filings, self.state.members) is not None:
            text += "\n" + tr_label(REMOVE_MEMBER_VOIDS)
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        box = QMessageBox(QMessageBox.Icon.Question, tr_label(REMOVE_MEMBER_TITLE), text, yes | no)
        box.setParent(self, box.windowFlags())
        box.setDefaultButton(no)
        box.setObjectName("removeMemberConfirmation")
        self.confirmation = box

        def answered(_result: int) -> None:
            self.confirmation = None
            if box.clickedButton() is box.button(yes):
                self.remove_member(member.id)
            box.deleteLater()

        box.finished.connect(answered)
        box.open()

    def remove_member(self, member_id: str) -> bool:
        """Remove a member from the team now (no question asked); return whether it was done."""
        return self._do("remove_member", self.case_id, member_id)

    def file_team(self) -> bool:
        """File the team (备案) as it is now; return whether it was filed."""
        return self._do("file_team", self.case_id)

    def sign_declaration(self) -> bool:
        """Sign the signed-in member's own integrity declaration; return whether it was stored."""
        member = self.own_member()
        if member is None:
            self._show_problems([tr_label(DECLARATION_NOT_MEMBER)])
            return False
        consulting, part_time, gifts = (box.isChecked() for box in self.promises)
        declaration = IntegrityDeclaration(
            new_id(), self.case_id, member.id, consulting, part_time, gifts, self.services.clock()
        )
        return self._do("sign_declaration", declaration)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
