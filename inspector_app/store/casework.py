"""Case work: each step of a review, checked against the rules and written in one transaction.

Every method loads what the rules need, asks the domain (`inspector_app.core`), and only then
writes, so a refused step leaves nothing behind. Each returns what it changed.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from inspector_app.core import (
    amendment,
    checklist,
    chronology,
    feedback,
    feedback_answers,
    hand_signature,
    intake,
    lifecycle,
    sampling,
    signoff,
    team,
)
from inspector_app.core.audit_chain import canonical_json
from inspector_app.core.errors import Problem, RuleViolation, refuse_if
from inspector_app.core.feedback_answers import FeedbackAnswers
from inspector_app.core.forms.model import ChecklistForm
from inspector_app.core.forms.verdicts import Verdict, result_requirement_problems, verdict
from inspector_app.core.model import (
    Actor,
    Amendment,
    Case,
    CaseFile,
    CaseStatus,
    ChecklistResult,
    Enterprise,
    EnterpriseObjection,
    FeedbackHandover,
    HandSignature,
    IntegrityDeclaration,
    SampleRecord,
    Seal,
    SealedFeedback,
    Signature,
    TeamFiling,
    TeamMember,
    new_id,
)
from inspector_app.store import attachments, records
from inspector_app.store.attachments import add_attachment, reserve_attachments
from inspector_app.store.centre_key import centre_key
from inspector_app.store.codec import to_plain
from inspector_app.store.errors import storage_errors
from inspector_app.store.form_library import get_form
from inspector_app.store.pending import Reservation
from inspector_app.store.records import RecordVersion, Saved
from inspector_app.store.reviewers import known_reviewer_ids
from inspector_app.store.settings import WorkspaceSettings, device_id, load_settings
from inspector_app.store.sql import fetch_one
from inspector_app.store.withdrawals import refuse_if_withdrawn
from inspector_app.store.workspace import Workspace
from sync import sealing

SIGN_OFF_MEANING = signoff.LEADER_MEANING


class CaseNotFound(RuleViolation):
    """The case id names no case in this workspace."""

    def __init__(self, case_id: str) -> None:
        super().__init__(Problem("case_exists", f"工作区中没有案件 {case_id}。"))


def load_case_file(db: Database, case_id: str, *, team_only: bool = False) -> CaseFile:
    """Return everything recorded for a case.

    With `team_only`, only the case, its enterprise, members, declarations and filings: what
    most rules need, without reading every result of a 300-item checklist on each save.
    """
    case = records.load(db, Case, case_id)
    if case is None:
        raise CaseNotFound(case_id)
    enterprise = records.load(db, Enterprise, case.enterprise_id)
    assert enterprise is not None  # a foreign key guarantees it

    def of(cls: Any, order: str = "id") -> tuple[Any, ...]:
        return tuple(records.load_for_case(db, cls, case_id, order))

    everyone = of(TeamMember)
    present = tuple(team.present_members(everyone))
    state = CaseFile(
        case=case,
        enterprise=enterprise,
        members=present,
        declarations=of(IntegrityDeclaration),
        filings=of(TeamFiling, "filed_at, id"),
        former_members=tuple(m for m in everyone if m not in present),
    )
    if team_only:
        return state
    return replace(
        state,
        results=of(ChecklistResult, "item_code"),
        samples=of(SampleRecord),
        seals=of(Seal),
        handovers=of(FeedbackHandover, "handed_at, id"),
        objections=of(EnterpriseObjection),
        signatures=of(Signature),
        sealed_feedback=of(SealedFeedback, "sealed_at, id"),
        hand_signatures=of(HandSignature, "signed_at, id"),
        amendments=of(Amendment, "issued_at, id"),
    )


def case_form(db: Database, case: Case) -> ChecklistForm:
    """Return the checklist form version the case started with."""
    return get_form(db, case.form_id, case.form_version)


def case_verdict(db: Database, state: CaseFile) -> Verdict:
    """Return the checklist verdict of a case as its results stand now."""
    form = case_form(db, state.case)
    return verdict(form, {r.item_code: r.result for r in state.results})


Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Change:
    """What one step changed: its case, every record it wrote with the new version (in the
    order written), and the case's status before and after (None before: a new case).

    Views refresh what a change names; undo reverses it; sync ships the versions it lists.
    """

    case_id: str
    saved: tuple[Saved, ...]
    status_before: CaseStatus | None
    status_after: CaseStatus

    def of(self, table: str) -> list[Saved]:
        """Return what the step wrote to one table (e.g. "checklist_result")."""
        return [s for s in self.saved if s.table == table]

    def only_checklist_results(self) -> bool:
        """Whether the step wrote checklist results and nothing else, the status unchanged:
        a view of the case that shows no result needs no refresh."""
        return self.status_before == self.status_after and all(
            s.table == "checklist_result" for s in self.saved
        )


@dataclass
class _Written:
    """Collects what a step writes, for its Change."""

    case_id: str = ""
    saved: list[Saved] = field(default_factory=list)
    status_before: CaseStatus | None = None
    status_after: CaseStatus | None = None

    def change(self) -> Change:
        assert self.status_after is not None  # every step loads or creates its case
        return Change(self.case_id, tuple(self.saved), self.status_before, self.status_after)


class Casework:
    """The steps of a review, done by one acting reviewer, checked against the laptop's clock.

    Args:
        db: the workspace database.
        actor: the acting reviewer (by id; the name is for reading).
        clock: the composition root's clock; every write is stamped with its time, and no act
            may be recorded later than it (beyond the workspace's tolerance for drift).
        adopt: versions carried by a case file, by record id, each with the record's content:
            a save whose content is that record's keeps the file's version instead of making
            a new one (import only).
    """

    def __init__(
        self,
        db: Database,
        actor: Actor,
        clock: Clock,
        *,
        settings: WorkspaceSettings | None = None,
        device: str | None = None,
        adopt: Mapping[str, tuple[RecordVersion, dict[str, Any]]] | None = None,
    ) -> None:
        self.db = db
        self.actor = actor
        self.clock = clock
        self.settings = settings or load_settings(db)
        self.calendar = self.settings.calendar
        self.device = device or device_id(db)
        self.adopt = adopt or {}
        self._written: _Written | None = None

    def acting_as(self, actor: Actor) -> Casework:
        """Return the same case work done by another reviewer."""
        return Casework(
            self.db,
            actor,
            self.clock,
            settings=self.settings,
            device=self.device,
            adopt=self.adopt,
        )

    # -- writing ---------------------------------------------------------------------------

    @contextmanager
    def _step(self) -> Iterator[_Written]:
        """Run one step in one transaction, collecting what it writes."""
        written, outer = _Written(), self._written
        self._written = written
        try:
            with storage_errors(), self.db.atomic():
                yield written
        finally:
            self._written = outer

    def _save(self, record: Any, lock: bool = False, actor: Actor | None = None) -> Saved:
        saved = records.save(
            self.db,
            record,
            actor=actor or self.actor,
            now=self.clock(),
            device=self.device,
            lock=lock,
            version=self._adopted(record),
        )
        if self._written is not None:
            self._written.saved.append(saved)
        return saved

    def _adopted(self, record: Any) -> RecordVersion | None:
        carried = self.adopt.get(record.id)
        if carried is None or to_plain(record) != carried[1]:
            return None
        return carried[0]

    def _set_status(
        self, case: Case, status: CaseStatus, *, lock: bool = False, **changes: Any
    ) -> Case:
        updated = replace(case, status=status, **changes)
        self._save(updated, lock=lock)
        if self._written is not None:
            self._written.status_after = status
        return updated

    # -- checks shared by the steps ----------------------------------------------------------

    def _when(self, at: datetime | None) -> datetime:
        """Return the act's time (the clock's when none is given), refusing a future one."""
        now = self.clock()
        at = now if at is None else at
        refuse_if(
            chronology.not_in_future_problems(at, now, self.settings.clock_tolerance, self.calendar)
        )
        return at

    def _open_case(self, case_id: str, *, team_only: bool = True) -> CaseFile:
        """Load a case that is still open: nothing is added to a signed-off case, nor to one
        the office withdrew from this reviewer."""
        state = load_case_file(self.db, case_id, team_only=team_only)
        refuse_if(lifecycle.case_open_problems(state.case.status))
        refuse_if_withdrawn(self.db, case_id, self.calendar)
        if self._written is not None and not self._written.case_id:
            self._written.case_id = case_id
            self._written.status_before = self._written.status_after = state.case.status
        return state

    def _acting_member(self, state: CaseFile) -> TeamMember | None:
        return team.acting_member(state.members, self.actor)

    def _require_leader(self, state: CaseFile, action: str, at: datetime) -> TeamMember:
        member = self._acting_member(state)
        refuse_if(
            team.leader_action_problems(
                member, self.actor.name, action, state.filings, state.members, state.declarations
            )
        )
        assert member is not None  # the rule refuses a missing leader
        refuse_if(team.certificate_problems([member], self.calendar.day_of(at), action))
        return member

    def _member(self, state: CaseFile, member_id: str) -> TeamMember | None:
        return next((m for m in state.members if m.id == member_id), None)

    # -- the steps ---------------------------------------------------------------------------

    def create_case(self, enterprise: Enterprise, case: Case) -> Change:
        """Record an accepted application (受理) and its enterprise."""
        refuse_if(
            intake.case_intake_problems(enterprise, case)
            + chronology.acceptance_not_in_future_problems(
                case.accepted_on, self.calendar.day_of(self.clock())
            )
        )
        with self._step() as step:
            if list(
                self.db.query(
                    "SELECT 1 FROM review_case WHERE application_no = ?", [case.application_no]
                )
            ):
                raise RuleViolation(
                    Problem("application_unique", f"申请编号 {case.application_no} 已存在。")
                )
            case_form(self.db, case)  # refuses an unknown form before anything is written
            stored = records.load(self.db, Enterprise, enterprise.id)
            refuse_if(intake.enterprise_reuse_problems(stored, enterprise))
            if stored is None:
                self._save(enterprise)
            self._save(case)
            step.case_id, step.status_after = case.id, case.status
        return step.change()

    def save_member(self, member: TeamMember) -> Change:
        """Add a reviewer of the registry to the team, or change a member; a change voids the
        team's filing."""
        with self._step() as step:
            state = self._open_case(member.case_id)
            known = known_reviewer_ids(self.db, [member.reviewer_id])
            refuse_if(
                lifecycle.lifecycle_step_problems(state.case.status, "change_team")
                + team.filed_team_change_problems(
                    self._acting_member(state), self.actor.name, state.filings, state.members
                )
                + team.member_reviewer_problems(member, known, state.members)
            )
            self._save(member)
            after = [m for m in state.members if m.id != member.id] + [member]
            if team.team_fingerprint(after) != team.team_fingerprint(state.members):
                status = lifecycle.next_status(state.case.status, "change_team")
                if status != state.case.status:
                    self._set_status(state.case, status)
        return step.change()

    def remove_member(self, case_id: str, member_id: str, at: datetime | None = None) -> Change:
        """Remove a member from the team (移出审查组) at `at` (now by default): a new version of
        the member marked removed, so the history keeps who was on the team; the removed member
        can no longer act, and a change of a filed team voids its filing."""
        with self._step() as step:
            state = self._open_case(case_id, team_only=False)
            at = self._when(at)
            refuse_if(
                lifecycle.lifecycle_step_problems(state.case.status, "change_team")
                + team.filed_team_change_problems(
                    self._acting_member(state), self.actor.name, state.filings, state.members
                )
                + team.member_removal_problems(member_id, state)
            )
            member = self._member(state, member_id)
            assert member is not None  # member_removal_problems refuses a stranger
            refuse_if(
                chronology.removal_after_acceptance_problems(
                    at, state.case.accepted_on, member.name, self.calendar
                )
                + chronology.removal_after_declaration_problems(
                    at,
                    (d.signed_at for d in state.declarations if d.member_id == member.id),
                    member.name,
                    self.calendar,
                )
            )
            self._save(replace(member, removed_at=at))
            status = lifecycle.next_status(state.case.status, "change_team")
            if status != state.case.status:
                self._set_status(state.case, status)
        return step.change()

    def sign_declaration(self, declaration: IntegrityDeclaration) -> Change:
        """Record a member's own signed integrity declaration (廉洁承诺); it is immutable."""
        with self._step() as step:
            state = self._open_case(declaration.case_id)
            self._when(declaration.signed_at)
            member = self._member(state, declaration.member_id)
            refuse_if(
                team.declaration_problems(declaration, state.members)
                or team.acts_as_self_problems(member, self.actor, "廉洁承诺书")
            )
            assert member is not None  # declaration_problems refuses a stranger
            refuse_if(
                chronology.declaration_after_acceptance_problems(
                    declaration.signed_at, state.case.accepted_on, member.name, self.calendar
                )
            )
            self._save(declaration, lock=True)
        return step.change()

    def file_team(
        self, case_id: str, at: datetime | None = None, filing_id: str | None = None
    ) -> Change:
        """File the team with the central office (审查组备案); the filing is queued for sync."""
        with self._step() as step:
            state = self._open_case(case_id)
            at = self._when(at)
            filer = self._acting_member(state)
            refuse_if(
                lifecycle.lifecycle_step_problems(state.case.status, "file_team")
                + team.may_file_team(state.members, state.case.review_date)
                + team.certificate_problems(state.members, self.calendar.day_of(at), "备案")
                + team.acts_as_self_problems(filer, self.actor, "审查组备案")
                + chronology.filing_after_acceptance_problems(
                    at, state.case.accepted_on, self.calendar
                )
                + chronology.filing_after_removals_problems(at, state.former_members, self.calendar)
            )
            assert filer is not None  # acts_as_self refuses a filer off the team
            content = team.filing_content(state.enterprise, state.members)
            filing = TeamFiling(
                id=filing_id or new_id(),
                case_id=case_id,
                filed_at=at,
                filed_by=filer.id,
                team_fingerprint=team.team_fingerprint(state.members),
                content=canonical_json(content),
            )
            self._save(filing, lock=True)
            status = lifecycle.next_status(state.case.status, "file_team")
            if status != state.case.status:
                self._set_status(state.case, status)
        return step.change()

    def record_superseded_filing(self, filing: TeamFiling) -> Change:
        """Keep a filing that a later change of the team superseded, as carried by a case file.

        Its team cannot be rebuilt from today's members, so its own list is checked: even a
        superseded filing named a team that could be filed.
        """
        with self._step() as step:
            state = self._open_case(filing.case_id)
            self._when(filing.filed_at)
            try:
                content = json.loads(filing.content)
            except ValueError:
                content = {}
            refuse_if(
                lifecycle.lifecycle_step_problems(state.case.status, "file_team")
                + team.named_member_problems(
                    filing.filed_by, (*state.members, *state.former_members), "备案人"
                )
                + team.filing_content_problems(content if isinstance(content, dict) else {})
                + chronology.filing_after_acceptance_problems(
                    filing.filed_at, state.case.accepted_on, self.calendar
                )
            )
            refuse_if(
                team.acts_as_self_problems(
                    self._member(state, filing.filed_by), self.actor, "审查组备案"
                )
            )
            self._save(filing, lock=True)
        return step.change()

    def start_review(self, case_id: str, at: datetime | None = None) -> Change:
        """Start the on-site checklist (实地核查); the team must be filed as it is now."""
        with self._step() as step:
            state = self._open_case(case_id)
            at = self._when(at)
            refuse_if(
                lifecycle.lifecycle_step_problems(state.case.status, "start_review")
                + checklist.start_review_problems(state.filings, state.members)
                + team.acts_as_self_problems(self._acting_member(state), self.actor, "开始实地核查")
            )
            filing = team.current_filing(state.filings, state.members)
            assert filing is not None  # start_review_problems refuses an unfiled team
            refuse_if(
                chronology.review_start_after_filing_problems(at, filing.filed_at, self.calendar)
            )
            self._set_status(state.case, CaseStatus.ON_SITE_REVIEW, review_started_at=at)
        return step.change()

    def record_result(self, result: ChecklistResult) -> Change:
        """Record one checklist item's result, assessed by the acting member.

        A result of `checklist.NO_RESULT` ("") is a version that says nothing (the item taken
        back to unanswered): it needs no note or photo, and only a recorder may write it.
        """
        with self._step() as step:
            state = self._open_case(result.case_id)
            self._record(state, result)
        return step.change()

    def withdraw_result(self, case_id: str, item_code: str, at: datetime | None = None) -> Change:
        """Take an item's result back to "no result" (撤回评定), by the acting member: a new
        version of its record whose result is `checklist.NO_RESULT`, keeping its note and
        photos; the history keeps every earlier version. Refused when the item has no result,
        and by the same rules as recording one (so after the conclusion or the sign-off)."""
        with self._step() as step:
            state = self._open_case(case_id)
            at = self._when(at)
            row = fetch_one(
                self.db,
                "SELECT id FROM checklist_result WHERE case_id = ? AND item_code = ?",
                [case_id, item_code],
            )
            stored = records.load(self.db, ChecklistResult, row["id"]) if row else None
            refuse_if(checklist.withdraw_problems(item_code, stored))
            assert stored is not None  # withdraw_problems refuses a missing result
            member = self._acting_member(state)
            if member is None:  # the recorder's rule says why (not a member, not under way)
                refuse_if(
                    checklist.recorder_problems(
                        state.case.status,
                        None,
                        self.actor.name,
                        state.filings,
                        state.members,
                        state.declarations,
                    )
                )
            withdrawn = replace(
                stored,
                result=checklist.NO_RESULT,
                assessor_id=member.id if member else "",
                assessed_at=at,
            )
            self._record(state, withdrawn, member)
        return step.change()

    def _record(
        self, state: CaseFile, result: ChecklistResult, member: TeamMember | None = None
    ) -> None:
        """Check and write one version of an item's result (inside a step)."""
        self._when(result.assessed_at)
        if member is None:
            refuse_if(team.named_member_problems(result.assessor_id, state.members, "评定人"))
            member = self._member(state, result.assessor_id)
        refuse_if(
            checklist.recorder_problems(
                state.case.status,
                member,
                self.actor.name,
                state.filings,
                state.members,
                state.declarations,
            )
            or team.acts_as_self_problems(member, self.actor, "核查结果")
        )
        assert member is not None  # recorder_problems refuses a non-member
        refuse_if(
            chronology.declaration_before_result_problems(
                team.declared_at(member, state.declarations), result.assessed_at, member.name
            )
            + chronology.result_within_review_problems(
                result.assessed_at,
                state.case.review_started_at,
                state.case.concluded_at,
                self.calendar,
            )
            + team.certificate_problems([member], self.calendar.day_of(result.assessed_at), "核查")
        )
        form = case_form(self.db, state.case)
        item = form.item(result.item_code)
        if item is None:
            raise RuleViolation(
                Problem("item_exists", f"核查表 {form.form_id} 中没有第 {result.item_code} 项。")
            )
        problems = (
            []
            if result.result == checklist.NO_RESULT
            else result_requirement_problems(item, result.result, result.note, len(result.evidence))
        )
        problems += self._missing_attachments(result.evidence)
        refuse_if(problems)
        existing = fetch_one(
            self.db,
            "SELECT id FROM checklist_result WHERE case_id = ? AND item_code = ?",
            [result.case_id, result.item_code],
        )
        if existing is not None:  # one result per item: a new version of the same record
            result = replace(result, id=existing["id"])
        self._save(result)

    def _missing_attachments(self, hashes: tuple[str, ...]) -> list[Problem]:
        known = attachments.known_hashes(self.db, hashes)
        return [
            Problem("evidence_exists", f"证据附件 {h[:12]}… 不在工作区中。")
            for h in hashes
            if h not in known
        ]

    def conclude(self, case_id: str, at: datetime | None = None) -> Change:
        """Conclude the on-site review with the checklist's verdict (合格 / 不合格); the status
        after (passed or failed) says which."""
        with self._step() as step:
            state = self._open_case(case_id, team_only=False)
            at = self._when(at)
            outcome = case_verdict(self.db, state)
            leader = self._acting_member(state)
            refuse_if(
                checklist.concluder_problems(
                    state.case.status,
                    leader,
                    self.actor.name,
                    state.filings,
                    state.members,
                    state.declarations,
                    outcome,
                )
            )
            assert leader is not None  # concluder_problems refuses anyone but the leader
            refuse_if(
                team.certificate_problems(
                    [leader], self.calendar.day_of(at), checklist.CONCLUDE_ACTION
                )
                + chronology.conclusion_after_results_problems(
                    at, (r.assessed_at for r in state.results), self.calendar
                )
            )
            outcome_step = "conclude_pass" if outcome.passed else "conclude_fail"
            self._set_status(
                state.case, lifecycle.next_status(state.case.status, outcome_step), concluded_at=at
            )
        return step.change()

    def record_sample(self, sample: SampleRecord, seals: list[Seal]) -> Change:
        """Record a sampling and sealing record (抽样单 / 封样单) with its seals."""
        with self._step() as step:
            state = self._open_case(sample.case_id)
            self._when(sample.sampled_at)
            acting = self._acting_member(state)
            refuse_if(
                sampling.sampling_allowed_problems(state.case.status)
                + sampling.sample_record_problems(
                    sample, seals, state.members, state.case.qualified_agencies
                )
                + self._missing_attachments(tuple(s.photo for s in seals if s.photo))
                + chronology.sampling_after_conclusion_problems(
                    sample.sampled_at, state.case.concluded_at, self.calendar
                )
            )
            if acting is None or acting.id not in sample.sampler_ids:
                refuse_if(team.acts_as_self_problems(None, self.actor, "抽样封样（抽样人之一）"))
            self._save(sample)
            for seal in seals:
                self._save(replace(seal, sample_id=sample.id))
            status = lifecycle.next_status(state.case.status, "seal_samples")
            if status != state.case.status:
                self._set_status(state.case, status)
        return step.change()

    def record_handover(self, handover: FeedbackHandover) -> Change:
        """Record that the acting member handed the feedback form (反馈表) to the enterprise."""
        with self._step() as step:
            state = self._open_case(handover.case_id)
            self._when(handover.handed_at)
            refuse_if(
                feedback.handover_problems(handover, {m.id for m in state.members})
                or team.acts_as_self_problems(
                    self._member(state, handover.handed_by), self.actor, "反馈表交付"
                )
            )
            refuse_if(
                chronology.handover_after_acceptance_problems(
                    handover.handed_at, state.case.accepted_on, self.calendar
                )
            )
            self._save(handover)
        return step.change()

    def record_objection(self, objection: EnterpriseObjection) -> Change:
        """Record the enterprise's objection to the conclusion (企业意见 / 异议)."""
        with self._step() as step:
            state = self._open_case(objection.case_id)
            self._when(objection.recorded_at)
            refuse_if(
                intake.objection_problems(state.case.status, objection)
                + intake.objection_recorder_problems(self._acting_member(state), self.actor.name)
                + chronology.objection_after_conclusion_problems(
                    objection.recorded_at, state.case.concluded_at, self.calendar
                )
            )
            self._save(objection)
        return step.change()

    def seal_feedback(
        self, case_id: str, answers: FeedbackAnswers, at: datetime | None = None
    ) -> Change:
        """Seal the feedback form the enterprise filled in on the laptop to the central office's
        key and keep only the envelope (反馈表密封): the team can neither read nor change it.

        The acting member is the one who handed the laptop to the enterprise. Nothing of the
        answers is kept unsealed, not even in the audit trail (it records the envelope).
        """
        with self._step() as step:
            state = self._open_case(case_id, team_only=False)
            at = self._when(at)
            refuse_if(feedback_answers.feedback_answers_problems(answers))
            member = self._acting_member(state)
            handed_by = member.id if member is not None else ""
            key = centre_key(self.db)
            envelope = sealing.seal(
                key, answers.content(case_id), feedback_answers.seal_context(case_id, answers.stage)
            )
            sealed = SealedFeedback(
                id=new_id(),
                case_id=case_id,
                stage=answers.stage,
                envelope=base64.b64encode(envelope).decode("ascii"),
                key_id=sealing.key_id(key),
                sealed_at=at,
                handed_by=handed_by,
            )
            self._keep_sealed(state, sealed)
        return step.change()

    def record_sealed_feedback(self, sealed: SealedFeedback) -> Change:
        """Keep a sealed feedback form as it is (from a case file or sync): the envelope cannot
        be opened here, only checked for its shape and its place in the case."""
        with self._step() as step:
            state = self._open_case(sealed.case_id, team_only=False)
            self._when(sealed.sealed_at)
            refuse_if(feedback_answers.envelope_shape_problems(sealed.envelope))
            self._keep_sealed(state, sealed)
        return step.change()

    def _keep_sealed(self, state: CaseFile, sealed: SealedFeedback) -> None:
        refuse_if(
            feedback_answers.feedback_sealing_problems(
                sealed.stage, state.handovers, state.sealed_feedback
            )
            + chronology.sealed_after_handover_problems(
                sealed.sealed_at, sealed.stage, state.handovers, self.calendar
            )
            + team.acts_as_self_problems(
                self._member(state, sealed.handed_by), self.actor, "反馈表填写交接"
            )
        )
        self._save(sealed)

    def record_hand_signature(
        self,
        workspace: Workspace,
        signature: HandSignature,
        png: bytes,
        *,
        reservation: Reservation | None = None,
    ) -> Change:
        """Record a handwritten signature (手写签名) drawn on this laptop: its PNG is stored
        by its SHA-256 (`signature.image`) and the record written, in one transaction.

        The acting reviewer (a member of the team) takes the signature of a member (by id)
        or of the enterprise's representative (by name). A signer who signs the same document
        again replaces their signature: a new version of the same record.

        Called inside a transaction (import, demo), pass the `reservation` of the hashes
        made before it began, or none when the attachment is already stored.

        Raises:
            RuleViolation: a rule refuses the signature; nothing is stored, not even the PNG.
        """
        if workspace.db is not self.db:
            raise ValueError("record_hand_signature needs the case work's own workspace")
        digest = hashlib.sha256(png).hexdigest()
        if digest != signature.image:
            raise RuleViolation(
                Problem("signature_image", "签名记录所指的图像与所给的 PNG 不一致。")
            )
        refuse_if(hand_signature.signature_image_problems(png))
        reserving = (
            nullcontext(reservation)
            if reservation is not None or self.db.conn.in_transaction
            else reserve_attachments(workspace, [digest])
        )
        with reserving as reserved, self._step() as step:
            state = self._open_case(signature.case_id, team_only=False)
            self._when(signature.signed_at)
            refuse_if(
                hand_signature.hand_signature_recorder_problems(
                    self._acting_member(state), self.actor.name
                )
                + hand_signature.representative_named_problems(signature)
                + hand_signature.hand_signer_on_filed_team_problems(signature, state)
            )
            refuse_if(
                hand_signature.signer_expected_problems(signature, state)
                + chronology.hand_signature_after_filing_problems(
                    signature.signed_at, state, self.calendar
                )
                + chronology.hand_signature_after_document_problems(signature, state, self.calendar)
            )
            key = hand_signature.signer_key(signature)
            earlier = next(
                (h for h in state.hand_signatures if hand_signature.signer_key(h) == key), None
            )
            if earlier is not None:  # one per document and signer: a new version of it
                signature = replace(signature, id=earlier.id)
            add_attachment(
                workspace,
                png,
                media_type="image/png",
                # Stored once by hash: the same drawing saved in another case is this same
                # attachment, so its name names no case.
                original_name=f"手写签名 {digest[:12]}.png",
                actor=self.actor,
                now=self.clock(),
                reservation=reserved,
            )
            self._save(signature)
        return step.change()

    # -- the sign-off ------------------------------------------------------------------------
    #
    # In three parts, so that nothing changes between building the document and locking the
    # case: `sign_off_snapshot` (the case's versions, after the checks that a sign-off is
    # allowed now); the report built and signed by every member, the leader last (a plain
    # function of `inspector_app.reports.signoff`, which may run off the UI thread); and
    # `complete_sign_off`, one transaction that refuses if anything changed since the snapshot,
    # stores the signed PDF by its SHA-256, writes the signature records naming it and locks
    # the case. Import (`record_signatures`) and the record-only `sign_off` of older case files
    # share that last step (`_finish_sign_off`).

    def _sign_off_checks(
        self, state: CaseFile, at: datetime, signers: Sequence[TeamMember]
    ) -> None:
        """Refuse a sign-off at `at` that the rules forbid: the leader only (filed, declared,
        certificate valid), the lifecycle, every act of the case before it, and each signer's
        certificate valid on the day."""
        self._require_leader(state, "签发", at)
        refuse_if(
            lifecycle.lifecycle_step_problems(state.case.status, "sign_off")
            + chronology.sign_off_after_acts_problems(at, state, self.calendar)
            + team.certificate_problems(signers, self.calendar.day_of(at), "签字")
        )

    def sign_off_snapshot(self, case_id: str, at: datetime | None = None) -> SignOffSnapshot:
        """Part one of the sign-off, by the leader: check that the case may be signed off now
        and return its snapshot (each record's version) with who signs, in order.

        Raises:
            RuleViolation: the case may not be signed off now (the rule is named), or a signer
                has no signing identity or no signed integrity declaration.
        """
        with storage_errors(), self.db.atomic():  # one consistent read
            state = self._open_case(case_id, team_only=False)
            at = self._when(at)
            signers = tuple(signoff.signing_order(state.members))
            members = [slot.member for slot in signers]
            self._sign_off_checks(state, at, members)
            from inspector_app.store.identities import identity_reviewer_ids  # cryptography: late

            with_identity = identity_reviewer_ids(self.db, [m.reviewer_id for m in members])
            refuse_if(signoff.signers_ready_problems(members, state.declarations, with_identity))
            versions = {k: v.version_id for k, v in records.case_versions(self.db, case_id).items()}
        return SignOffSnapshot(case_id, state.case.application_no, versions, signers, at)

    def complete_sign_off(
        self,
        workspace: Workspace,
        snapshot: SignOffSnapshot,
        document: bytes,
        signatures: Sequence[Signature],
    ) -> Change:
        """Part three of the sign-off, by the leader, in one transaction: refuse if anything of
        the case changed since `snapshot`; store `document` (the signed PDF) in the workspace
        by its SHA-256; write `signatures` (in signing order, each naming that hash, each
        recorded as its signer's own act); lock the case.

        The PDF's file is written before the transaction commits, so its hash is reserved
        first; a refusal or a crash leaves nothing behind.

        Raises:
            RuleViolation: the case changed since the snapshot (`unchanged_since_snapshot`:
                nothing is stored), or a rule of the sign-off refuses it.
        """
        if workspace.db is not self.db:
            raise ValueError("complete_sign_off needs the case work's own workspace")
        digest = hashlib.sha256(document).hexdigest()
        with reserve_attachments(workspace, [digest]) as reservation, self._step() as step:
            now = {
                k: v.version_id for k, v in records.case_versions(self.db, snapshot.case_id).items()
            }
            refuse_if(signoff.unchanged_since_snapshot_problems(snapshot.versions, now))
            state = self._open_case(snapshot.case_id, team_only=False)
            add_attachment(
                workspace,
                document,
                media_type="application/pdf",
                original_name=f"{snapshot.application_no} 企业实地核查报告（签发）.pdf",
                actor=self.actor,
                now=self.clock(),
                reservation=reservation,
            )
            self._finish_sign_off(state, signatures)
        return step.change()

    def record_signatures(self, case_id: str, signatures: Sequence[Signature]) -> Change:
        """Sign the case off with signatures carried by a case file (import), by the leader:
        every member's naming the signed document (imported with the file's attachments), or
        the leader's one record-only signature of an older file."""
        with self._step() as step:
            state = self._open_case(case_id, team_only=False)
            self._finish_sign_off(state, signoff.in_signing_order(state.members, signatures))
        return step.change()

    def sign_off(
        self, case_id: str, at: datetime | None = None, signature_id: str | None = None
    ) -> Change:
        """The record-only sign-off (签发) of older case files: the leader's one signature,
        naming no document; every record of the case becomes immutable. A sign-off of today
        is the three-part ceremony (`sign_off_snapshot` … `complete_sign_off`)."""
        with self._step() as step:
            state = self._open_case(case_id, team_only=False)
            at = self._when(at)
            leader = self._require_leader(state, "签发", at)
            signature = Signature(
                id=signature_id or new_id(),
                case_id=case_id,
                signer_id=leader.id,
                meaning=SIGN_OFF_MEANING,
                signed_at=at,
            )
            self._finish_sign_off(state, [signature])
        return step.change()

    def _finish_sign_off(self, state: CaseFile, signatures: Sequence[Signature]) -> None:
        """Check and write the signatures of a sign-off, then lock the case (in the step's
        transaction)."""
        case_id = state.case.id
        for signature in signatures:
            self._when(signature.signed_at)
            refuse_if(team.named_member_problems(signature.signer_id, state.members, "签字人"))
        if not signatures:
            raise RuleViolation(Problem("every_member_signed", "签发须至少有组长的签名。"))
        signers = [m for m in state.members if m.id in {s.signer_id for s in signatures}]
        # Every signature comes after every act; the leader's (the last) is the sign-off.
        self._sign_off_checks(state, signatures[0].signed_at, signers)
        self._require_leader(state, "签发", signatures[-1].signed_at)
        documents = attachments.known_hashes(self.db, {s.document_sha256 for s in signatures})
        refuse_if(signoff.sign_off_signatures_problems(state.members, signatures, documents))
        for signature in signatures:
            signer = self._member(state, signature.signer_id)
            assert signer is not None  # named_member_problems refused a stranger
            if signature.case_id != case_id:
                raise RuleViolation(Problem("case_isolation", "签名记录属于另一个案件。"))
            self._save(signature, lock=True, actor=Actor(signer.reviewer_id, signer.name))
        # Signing is a change like any other: each record's signed state is a new version,
        # audited and queued, so the central office holds it signed too.
        for record in records.open_case_children(self.db, case_id):
            self._save(record, lock=True)
        self._set_status(state.case, CaseStatus.SIGNED_OFF, lock=True)

    # -- amendments (更正说明) ------------------------------------------------------------------
    #
    # After the sign-off nothing of the case changes; a correction is a new record, signed by
    # the leader, that names the signed document it corrects. Like the sign-off it is done in
    # parts: `amendment_draft` checks the rules and returns the record to sign; the document is
    # built and signed off the UI thread (`inspector_app.reports.amendment`); `record_amendment`
    # checks again and stores the signed PDF and the record in one transaction.

    def _amendment_checks(self, state: CaseFile, draft: Amendment) -> None:
        """Refuse an amendment the rules forbid (see `inspector_app.core.amendment`)."""
        refuse_if_withdrawn(self.db, state.case.id, self.calendar)
        refuse_if(amendment.amendment_after_sign_off_problems(state.case.status))
        refuse_if(
            amendment.amendment_reason_problems(draft.reason, draft.text)
            + amendment.corrected_document_problems(
                draft.corrects_sha256,
                amendment.signed_documents(state),
                state.case.application_no,
            )
            + amendment.amendment_issuer_problems(self._member(state, draft.issued_by), self.actor)
            + amendment.amendment_time_problems(
                draft.issued_at,
                amendment.signed_off_at(state),
                self.clock(),
                self.settings.clock_tolerance,
                self.calendar,
            )
        )
        if draft.case_id != state.case.id:
            raise RuleViolation(Problem("case_isolation", "更正说明属于另一个案件。"))

    def amendment_draft(
        self,
        case_id: str,
        corrects_sha256: str,
        reason: str,
        text: str = "",
        at: datetime | None = None,
        amendment_id: str | None = None,
    ) -> Amendment:
        """Part one of an amendment, by the leader: check that the signed-off case may be
        amended now as asked and return the amendment record to sign (no document yet).

        Raises:
            RuleViolation: the case is not signed off, the reason is empty, the hash names no
                signed document of the case, the acting reviewer is not the leader, or the
                time is before the sign-off or in the future.
        """
        with storage_errors():
            state = load_case_file(self.db, case_id, team_only=False)
            member = self._acting_member(state)
            draft = Amendment(
                id=amendment_id or new_id(),
                case_id=case_id,
                corrects_sha256=corrects_sha256.strip().lower(),
                reason=reason.strip(),
                text=text.strip(),
                issued_by=member.id if member else "",
                issued_at=self.clock() if at is None else at,
            )
            self._amendment_checks(state, draft)
        return draft

    def record_amendment(
        self, workspace: Workspace | None, signed: Amendment, document: bytes | None
    ) -> Change:
        """Store a signed amendment (its `document_sha256` naming the signed PDF) in one
        transaction: the PDF by its SHA-256 (unless `document` is None: a case file's import
        brought it among its attachments), then the amendment record, signed (immutable).
        The signed-off case stays locked; nothing of it changes.

        Raises:
            RuleViolation: a rule refuses the amendment (checked again at the write), or the
                document is not the one the record names; nothing is stored.
        """
        if document is not None:
            if workspace is None or workspace.db is not self.db:
                raise ValueError("record_amendment needs the case work's own workspace")
            if hashlib.sha256(document).hexdigest() != signed.document_sha256:
                raise RuleViolation(
                    Problem("amendment_document", "更正文书与更正记录中的 SHA-256 不符。")
                )
        hashes = [signed.document_sha256] if document is not None else []
        with self._reserve(workspace, hashes) as reservation, self._step() as step:
            state = load_case_file(self.db, signed.case_id, team_only=False)
            step.case_id = signed.case_id
            step.status_before = step.status_after = state.case.status
            self._amendment_checks(state, signed)
            if document is not None:
                assert workspace is not None
                add_attachment(
                    workspace,
                    document,
                    media_type="application/pdf",
                    original_name=f"{state.case.application_no} 更正说明.pdf",
                    actor=self.actor,
                    now=self.clock(),
                    reservation=reservation,
                )
            stored = attachments.known_hashes(self.db, [signed.document_sha256])
            refuse_if(amendment.amendment_document_problems(signed, stored))
            self._save(signed, lock=True)
        return step.change()

    @contextmanager
    def _reserve(self, workspace: Workspace | None, hashes: list[str]) -> Iterator[Any]:
        """Reserve attachment hashes before a transaction that writes their files (none: no
        reservation)."""
        if workspace is None or not hashes:
            yield None
            return
        with reserve_attachments(workspace, hashes) as reservation:
            yield reservation


@dataclass(frozen=True)
class SignOffSnapshot:
    """Part one of a sign-off: the case as the document is built from it (each record's
    version id, by record id), who signs in order, and when the snapshot was taken."""

    case_id: str
    application_no: str
    versions: Mapping[str, str]
    signers: tuple[signoff.SignerSlot, ...]
    taken_at: datetime
