"""Case work: each step of a review, checked against the rules and written in one transaction.

Every method loads what the rules need, asks the domain (`inspector_app.core`), and only then
writes, so a refused step leaves nothing behind. Each returns what it changed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from inspector_app.core import checklist, feedback, intake, lifecycle, sampling, team
from inspector_app.core.audit_chain import canonical_json
from inspector_app.core.errors import Problem, RuleViolation, refuse_if
from inspector_app.core.forms import (
    ChecklistForm,
    Verdict,
    result_requirement_problems,
    verdict,
)
from inspector_app.core.model import (
    Case,
    CaseFile,
    CaseStatus,
    ChecklistResult,
    Enterprise,
    EnterpriseObjection,
    FeedbackHandover,
    IntegrityDeclaration,
    SampleRecord,
    Seal,
    Signature,
    TeamFiling,
    TeamMember,
    new_id,
)
from inspector_app.store import attachments, records
from inspector_app.store.codec import from_row
from inspector_app.store.errors import storage_errors
from inspector_app.store.form_library import get_form
from inspector_app.store.records import Saved
from inspector_app.store.sql import fetch_one

SIGN_OFF_MEANING = "审查组长签发"


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

    team = CaseFile(
        case=case,
        enterprise=enterprise,
        members=of(TeamMember),
        declarations=of(IntegrityDeclaration),
        filings=of(TeamFiling, "filed_at, id"),
    )
    if team_only:
        return team
    return replace(
        team,
        results=of(ChecklistResult, "item_code"),
        samples=of(SampleRecord),
        seals=of(Seal),
        handovers=of(FeedbackHandover, "handed_at, id"),
        objections=of(EnterpriseObjection),
        signatures=of(Signature),
    )


def case_form(db: Database, case: Case) -> ChecklistForm:
    """Return the checklist form version the case started with."""
    return get_form(db, case.form_id, case.form_version)


def case_verdict(db: Database, state: CaseFile) -> Verdict:
    """Return the checklist verdict of a case as its results stand now."""
    form = case_form(db, state.case)
    return verdict(form, {r.item_code: r.result for r in state.results})


class Casework:
    """The steps of a review, done by one acting user (the `--user` of the command)."""

    def __init__(self, db: Database, actor: str) -> None:
        self.db = db
        self.actor = actor

    def _save(self, record: Any, now: datetime, lock: bool = False) -> Saved:
        return records.save(self.db, record, actor=self.actor, now=now, lock=lock)

    def _set_status(self, case: Case, status: CaseStatus, now: datetime, **changes: Any) -> Case:
        updated = replace(case, status=status, **changes)
        self._save(updated, now)
        return updated

    def _acting_member(self, state: CaseFile) -> TeamMember | None:
        return next((m for m in state.members if m.name == self.actor), None)

    def _require_leader(self, state: CaseFile, action: str) -> TeamMember:
        member = self._acting_member(state)
        refuse_if(
            team.leader_action_problems(
                member, self.actor, action, state.filings, state.members, state.declarations
            )
        )
        assert member is not None  # the rule refuses a missing leader
        return member

    def create_case(self, enterprise: Enterprise, case: Case, now: datetime) -> list[Saved]:
        """Record an accepted application (受理) and its enterprise."""
        refuse_if(intake.case_intake_problems(enterprise, case))
        with storage_errors(), self.db.atomic():
            if list(
                self.db.query(
                    "SELECT 1 FROM review_case WHERE application_no = ?", [case.application_no]
                )
            ):
                raise RuleViolation(
                    Problem("application_unique", f"申请编号 {case.application_no} 已存在。")
                )
            case_form(self.db, case)  # refuses an unknown form before anything is written
            saved = []
            stored = records.load(self.db, Enterprise, enterprise.id)
            if stored != enterprise:
                saved.append(self._save(enterprise, now))
            saved.append(self._save(case, now))
            return saved

    def save_member(self, member: TeamMember, now: datetime) -> Saved:
        """Add a reviewer to the team or change one; a change voids the team's filing."""
        with storage_errors(), self.db.atomic():
            state = load_case_file(self.db, member.case_id, team_only=True)
            refuse_if(lifecycle.lifecycle_step_problems(state.case.status, "change_team"))
            saved = self._save(member, now)
            after = [m for m in state.members if m.id != member.id] + [member]
            if team.team_fingerprint(after) != team.team_fingerprint(state.members):
                status = lifecycle.next_status(state.case.status, "change_team")
                if status != state.case.status:
                    self._set_status(state.case, status, now)
            return saved

    def sign_declaration(self, declaration: IntegrityDeclaration, now: datetime) -> Saved:
        """Record a member's signed integrity declaration (廉洁承诺); it is immutable."""
        with storage_errors(), self.db.atomic():
            state = load_case_file(self.db, declaration.case_id, team_only=True)
            refuse_if(team.declaration_problems(declaration, state.members))
            return self._save(declaration, now, lock=True)

    def file_team(self, case_id: str, now: datetime, filing_id: str | None = None) -> TeamFiling:
        """File the team with the central office (审查组备案); the filing is queued for sync."""
        with storage_errors(), self.db.atomic():
            state = load_case_file(self.db, case_id, team_only=True)
            refuse_if(
                lifecycle.lifecycle_step_problems(state.case.status, "file_team")
                + team.may_file_team(state.members, state.case.review_date)
            )
            filer = self._acting_member(state)
            content = team.filing_content(state.enterprise, state.members)
            filing = TeamFiling(
                id=filing_id or new_id(),
                case_id=case_id,
                filed_at=now,
                filed_by=filer.id if filer else self.actor,
                team_fingerprint=team.team_fingerprint(state.members),
                content=canonical_json(content),
            )
            self._save(filing, now, lock=True)
            status = lifecycle.next_status(state.case.status, "file_team")
            if status != state.case.status:
                self._set_status(state.case, status, now)
            return filing

    def start_review(self, case_id: str, now: datetime) -> Case:
        """Start the on-site checklist (实地核查); the team must be filed as it is now."""
        with storage_errors(), self.db.atomic():
            state = load_case_file(self.db, case_id, team_only=True)
            refuse_if(
                lifecycle.lifecycle_step_problems(state.case.status, "start_review")
                + checklist.start_review_problems(state.filings, state.members)
            )
            return self._set_status(
                state.case, CaseStatus.ON_SITE_REVIEW, now, review_started_at=now
            )

    def record_result(self, result: ChecklistResult, now: datetime) -> Saved:
        """Record one checklist item's result, assessed by the acting member."""
        with storage_errors(), self.db.atomic():
            state = load_case_file(self.db, result.case_id, team_only=True)
            assessor = next((m for m in state.members if m.id == result.assessor_id), None)
            if assessor is not None and assessor.name != self.actor:
                assessor = None
            refuse_if(
                checklist.recorder_problems(
                    state.case.status,
                    assessor,
                    self.actor,
                    state.filings,
                    state.members,
                    state.declarations,
                )
            )
            form = case_form(self.db, state.case)
            item = form.item(result.item_code)
            if item is None:
                raise RuleViolation(
                    Problem(
                        "item_exists", f"核查表 {form.form_id} 中没有第 {result.item_code} 项。"
                    )
                )
            problems = result_requirement_problems(
                item, result.result, result.note, len(result.evidence)
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
            return self._save(result, now)

    def _missing_attachments(self, hashes: tuple[str, ...]) -> list[Problem]:
        known = attachments.known_hashes(self.db, hashes)
        return [
            Problem("evidence_exists", f"证据附件 {h[:12]}… 不在工作区中。")
            for h in hashes
            if h not in known
        ]

    def conclude(self, case_id: str, now: datetime) -> Verdict:
        """Conclude the on-site review with the checklist's verdict (合格 / 不合格)."""
        with storage_errors(), self.db.atomic():
            state = load_case_file(self.db, case_id)
            self._require_leader(state, "作出核查结论")
            outcome = case_verdict(self.db, state)
            refuse_if(checklist.conclusion_problems(outcome))
            step = "conclude_pass" if outcome.passed else "conclude_fail"
            refuse_if(lifecycle.lifecycle_step_problems(state.case.status, step))
            self._set_status(
                state.case, lifecycle.next_status(state.case.status, step), now, concluded_at=now
            )
            return outcome

    def record_sample(self, sample: SampleRecord, seals: list[Seal], now: datetime) -> list[Saved]:
        """Record a sampling and sealing record (抽样单 / 封样单) with its seals."""
        with storage_errors(), self.db.atomic():
            state = load_case_file(self.db, sample.case_id, team_only=True)
            refuse_if(
                sampling.sampling_allowed_problems(state.case.status)
                + sampling.sample_record_problems(
                    sample, seals, state.members, state.case.qualified_agencies
                )
                + self._missing_attachments(tuple(s.photo for s in seals if s.photo))
            )
            saved = [self._save(sample, now)]
            saved += [self._save(replace(s, sample_id=sample.id), now) for s in seals]
            status = lifecycle.next_status(state.case.status, "seal_samples")
            if status != state.case.status:
                self._set_status(state.case, status, now)
            return saved

    def record_handover(self, handover: FeedbackHandover, now: datetime) -> Saved:
        """Record that the feedback form (反馈表) was handed to the enterprise head."""
        with storage_errors(), self.db.atomic():
            state = load_case_file(self.db, handover.case_id, team_only=True)
            refuse_if(feedback.handover_problems(handover, {m.id for m in state.members}))
            return self._save(handover, now)

    def record_objection(self, objection: EnterpriseObjection, now: datetime) -> Saved:
        """Record the enterprise's objection to the conclusion (企业意见 / 异议)."""
        with storage_errors(), self.db.atomic():
            state = load_case_file(self.db, objection.case_id, team_only=True)
            refuse_if(intake.objection_problems(state.case.status, objection))
            return self._save(objection, now)

    def sign_off(self, case_id: str, now: datetime, signature_id: str | None = None) -> Signature:
        """The leader signs the case off (签发); every record of the case becomes immutable."""
        with storage_errors(), self.db.atomic():
            state = load_case_file(self.db, case_id, team_only=True)
            leader = self._require_leader(state, "签发")
            refuse_if(lifecycle.lifecycle_step_problems(state.case.status, "sign_off"))
            signature = Signature(
                id=signature_id or new_id(),
                case_id=case_id,
                signer_id=leader.id,
                meaning=SIGN_OFF_MEANING,
                signed_at=now,
            )
            self._save(signature, now, lock=True)
            records.lock_case_children(self.db, case_id, actor=self.actor, now=now)
            self._save(replace(state.case, status=CaseStatus.SIGNED_OFF), now, lock=True)
            return signature


@dataclass(frozen=True)
class CaseListEntry:
    """One row of the case list: the case and its enterprise's name."""

    case: Case
    enterprise: str


def list_cases(db: Database) -> list[CaseListEntry]:
    """Return every case with its enterprise's name, newest acceptance first."""
    rows = db.query(
        """SELECT c.*, e.name AS enterprise_name
           FROM review_case c JOIN enterprise e ON e.id = c.enterprise_id
           ORDER BY c.accepted_on DESC, c.application_no"""
    )
    return [CaseListEntry(from_row(Case, row), row["enterprise_name"]) for row in rows]
