"""What the screens and commands read, as typed results in one place (the CLI, the desktop app
and later the reports share them). Days are the regulation's calendar days of the workspace."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlite_utils import Database

from inspector_app.core.alerts import case_alerts
from inspector_app.core.calendar import RegulationCalendar
from inspector_app.core.case_steps import CaseStep, case_steps
from inspector_app.core.deadlines import onsite_deadline
from inspector_app.core.feedback import HandoverStatus, handover_statuses
from inspector_app.core.forms.model import ChecklistForm
from inspector_app.core.hand_signature import SignatureLine, signature_sheet
from inspector_app.core.model import (
    Case,
    CaseFile,
    CaseStatus,
    ChecklistResult,
    Enterprise,
    FeedbackHandover,
    HandSignature,
    Reviewer,
    Role,
    SampleRecord,
    SealedFeedback,
    TeamFiling,
    TeamMember,
)
from inspector_app.core.team import present_members
from inspector_app.store import records
from inspector_app.store.case_rows import (
    CaseRow,
    CaseRows,
    case_row,
    case_rows,
    listed_cases,
    reviewers_by_case,
)
from inspector_app.store.casework import case_form, load_case_file
from inspector_app.store.codec import TABLE_OF, from_row
from inspector_app.store.conflicts import SyncConflict, list_conflicts
from inspector_app.store.errors import WorkspaceError, storage_errors
from inspector_app.store.form_library import list_forms
from inspector_app.store.overview import case_overview
from inspector_app.store.reviewers import list_reviewers
from inspector_app.store.sql import fetch_all
from inspector_app.store.sync_state import SyncState, sync_state
from inspector_app.store.withdrawals import withdrawn_texts

T = TypeVar("T")


@dataclass(frozen=True)
class FormChoice:
    """An installed checklist form at its latest version: what a new case can start with."""

    form_id: str
    version: int
    title: str
    product_units: tuple[str, ...]


@dataclass(frozen=True)
class CaseIntake:
    """The enterprise and the application of one case (企业与申请), as the intake recorded them,
    with the on-site deadline the acceptance day sets and the title of the case's form."""

    case: Case
    enterprise: Enterprise
    form_title: str
    onsite_deadline: date


@dataclass(frozen=True)
class CaseFeedback:
    """The feedback form (反馈表) of one case: each stage's hand-over status (in the order of
    `Stage`), every hand-over recorded, and the team (present members) to name the people."""

    statuses: tuple[HandoverStatus, ...]
    handovers: tuple[FeedbackHandover, ...]
    members: tuple[TeamMember, ...]
    sealed: tuple[SealedFeedback, ...] = ()
    """The forms the enterprise filled in on the laptop, as envelopes (never their answers)."""

    def member_name(self, member_id: str) -> str:
        """Return the name of a member (the id itself for one no longer on the team)."""
        return next((m.name for m in self.members if m.id == member_id), member_id)


@dataclass(frozen=True)
class CaseConflict:
    """One sync conflict (同步冲突) with what names its case to a person: the application
    number (None when the case is not in this workspace) and the names of the case's leaders
    (组长), who alone may settle it."""

    conflict: SyncConflict
    application_no: str | None
    leaders: tuple[str, ...]


class Queries:
    """Reads of one workspace, as of the clock's today on the workspace's calendar."""

    def __init__(
        self, db: Database, calendar: RegulationCalendar, clock: Callable[[], datetime]
    ) -> None:
        self.db = db
        self.calendar = calendar
        self.clock = clock

    def today(self) -> date:
        """Return today's date on the regulation's calendar."""
        return self.calendar.day_of(self.clock())

    def sync_state(self) -> SyncState:
        """Return how the workspace stands with its office (enrolled, queue, last sync)."""
        return sync_state(self.db)

    def case_list(self) -> CaseRows:
        """Return the case list as the app shows it: every case's row without alerts, newest
        acceptance first, each worked out when first asked for (`store.case_rows.CaseRows`)."""
        return case_rows(self.db, self.calendar, self.today())

    def case_rows(self, *, alerts: bool = True) -> list[CaseRow]:
        """Return every case, newest acceptance first, with its deadline marks and alerts.

        Alerts need a case's team, filings, samples and hand-overs: they are read in one query
        per kind (the team and filings for open cases only; a signed-off case still warns of
        a feedback form missing or handed over late, as `case_overview` does). With
        `alerts=False` (a list that shows only the deadline marks) they are not read.
        """
        if not alerts:
            return list(self.case_list())
        with storage_errors():
            cases = listed_cases(self.db)
            open_ids = [c.id for c, _ in cases if c.status != CaseStatus.SIGNED_OFF]
            all_ids = [c.id for c, _ in cases]
            members = self._by_case(TeamMember, open_ids)
            filings = self._by_case(TeamFiling, open_ids)
            samples = self._by_case(SampleRecord, all_ids)
            handovers = self._by_case(FeedbackHandover, all_ids)
            reviewers = reviewers_by_case(self.db)
            withdrawn = withdrawn_texts(self.db, self.calendar)
        today = self.today()
        out = []
        for case, enterprise in cases:
            state = CaseFile(
                case=case,
                enterprise=_NAMED_ONLY,
                members=tuple(present_members(members.get(case.id, ()))),
                filings=tuple(filings.get(case.id, ())),
                samples=tuple(samples.get(case.id, ())),
                handovers=tuple(handovers.get(case.id, ())),
            )
            out.append(
                case_row(
                    case,
                    enterprise,
                    reviewers.get(case.id, set()),
                    today,
                    self.calendar,
                    alerts=tuple(case_alerts(state, today, self.calendar)),
                    withdrawn=withdrawn.get(case.id),
                )
            )
        return out

    def _by_case(self, cls: type[T], case_ids: Iterable[str]) -> dict[str, list[T]]:
        wanted = list(case_ids)
        grouped: dict[str, list[T]] = defaultdict(list)
        for start in range(0, len(wanted), 500):  # within SQLite's parameter limit
            chunk = wanted[start : start + 500]
            marks = ",".join("?" for _ in chunk)
            for row in fetch_all(
                self.db, f"SELECT * FROM {TABLE_OF[cls]} WHERE case_id IN ({marks})", chunk
            ):
                grouped[row["case_id"]].append(from_row(cls, row))
        return grouped

    def reviewers(self) -> list[Reviewer]:
        """Return the reviewers of the workspace's registry (审查员名册), by name, unit and id.

        Namesakes are told apart by their unit, certificate number and id.
        """
        with storage_errors():
            return list_reviewers(self.db)

    def forms(self) -> list[FormChoice]:
        """Return each installed checklist form at its latest version, by form id.

        A new case starts with the latest version; older versions stay for the cases that use
        them.
        """
        latest: dict[str, FormChoice] = {}
        for form in list_forms(self.db):  # sorted by id, then version: the last one wins
            latest[form.form_id] = FormChoice(
                form.form_id, form.version, form.title, form.product_units
            )
        return list(latest.values())

    def case_id(self, key: str) -> str:
        """Return the id of the case named by an id or an application number.

        Raises:
            WorkspaceError: no such case.
        """
        with storage_errors():
            rows = fetch_all(
                self.db,
                "SELECT id FROM review_case WHERE id = ? OR application_no = ?",
                [key, key],
            )
        if not rows:
            raise WorkspaceError(f"工作区中没有案件 {key}（可用 `inspector case list` 查看）。")
        return str(rows[0]["id"])

    def case_overview(self, case_id: str) -> dict[str, Any]:
        """Return the overview of one case (see `store.overview.case_overview`)."""
        return case_overview(self.db, case_id, self.clock())

    def case_file(self, case_id: str) -> CaseFile:
        """Return everything recorded for one case (its team, results, samples, …).

        Raises:
            CaseNotFound: no case has this id.
        """
        with storage_errors():
            return load_case_file(self.db, case_id)

    def case_form(self, case: Case) -> ChecklistForm:
        """Return the checklist form version the case started with."""
        with storage_errors():
            return case_form(self.db, case)

    def checklist_result(self, record_id: str) -> ChecklistResult | None:
        """Return one checklist result as stored now (e.g. the one a `Change` names), or None."""
        with storage_errors():
            return records.load(self.db, ChecklistResult, record_id)

    def case_steps(self, case_id: str) -> tuple[CaseStep, ...]:
        """Return how each step of a case stands today (see `core.case_steps`)."""
        return case_steps(self.case_file(case_id), self.today(), self.calendar)

    def hand_signatures(self, case_id: str) -> list[HandSignature]:
        """Return the handwritten signatures of a case, by time signed."""
        with storage_errors():
            return records.load_for_case(self.db, HandSignature, case_id, "signed_at, id")

    def signature_sheet(self, case_id: str) -> list[SignatureLine]:
        """Return every signature line of a case's documents, signed or not (see
        `core.hand_signature.signature_sheet`)."""
        return signature_sheet(self.case_file(case_id))

    def case_intake(self, case_id: str) -> CaseIntake:
        """Return the enterprise and application of one case (see `CaseIntake`).

        Raises:
            CaseNotFound: no case has this id.
        """
        with storage_errors():
            state = load_case_file(self.db, case_id, team_only=True)
            form = case_form(self.db, state.case)
        return CaseIntake(
            state.case, state.enterprise, form.title, onsite_deadline(state.case.accepted_on)
        )

    def case_feedback(self, case_id: str) -> CaseFeedback:
        """Return how the feedback form of one case stands today (see `CaseFeedback`).

        Raises:
            CaseNotFound: no case has this id.
        """
        state = self.case_file(case_id)
        statuses = handover_statuses(
            state.case, state.handovers, state.samples, self.today(), self.calendar
        )
        return CaseFeedback(tuple(statuses), state.handovers, state.members, state.sealed_feedback)

    # --- sync conflicts (issue 9, the app's conflicts view) -----------------------------------

    def conflicts(self, *, include_resolved: bool = False) -> list[CaseConflict]:
        """Return the workspace's sync conflicts, oldest first (open ones only unless asked),
        each with its case's application number and leaders (see `store.conflicts`)."""
        with storage_errors():
            found = list_conflicts(self.db, include_resolved=include_resolved)
            case_ids = sorted({c.case_id for c in found if c.case_id})
            numbers: dict[str, str] = {}
            leaders: dict[str, list[str]] = defaultdict(list)
            if case_ids:
                marks = ",".join("?" for _ in case_ids)
                for row in fetch_all(
                    self.db,
                    f"SELECT id, application_no FROM review_case WHERE id IN ({marks})",
                    case_ids,
                ):
                    numbers[row["id"]] = str(row["application_no"])
                for member in self._by_case(TeamMember, case_ids).values():
                    for m in member:
                        if m.role == Role.LEADER and m.removed_at is None:
                            leaders[m.case_id].append(m.name)
        return [
            CaseConflict(
                c,
                numbers.get(c.case_id) if c.case_id else None,
                tuple(leaders.get(c.case_id, ())) if c.case_id else (),
            )
            for c in found
        ]

    def conflict_count(self) -> int:
        """Return how many sync conflicts wait for their case's leader (0 in a workspace that
        sync has not reached yet)."""
        with storage_errors():
            if "sync_conflict" not in self.db.table_names():
                return 0
            rows = fetch_all(
                self.db, "SELECT count(*) AS n FROM sync_conflict WHERE resolved_at IS NULL", []
            )
        return int(rows[0]["n"])


# The list's alerts never read the enterprise; a placeholder keeps CaseFile whole.
_NAMED_ONLY = Enterprise("", "", "", "", "", "")
