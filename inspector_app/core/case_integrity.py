"""A whole case checked at once: its acts in the regulation's order and its people by id.

The steps of the app check each rule when an act is recorded (`store.casework`). A record
that arrives by sync was checked on another laptop, with another clock, against another view
of the case; this module checks the case as it would stand with it, through the same rules
(each one lives in `chronology`, `team` or `amendment`; nothing here decides anew). A change
breaks a rule when it brings a problem the case did not have before (`introduced_problems`):
a case that already carried one (an older workspace, the office's copy) is not held against
an unrelated change.

Only what holds of every legitimate case is checked: the rules whose moments do not depend on
the order the acts were recorded in (a review starts after the first filing; a result lies
within the review; samples come after the conclusion; the sign-off after every act, …), and
the people each record names.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from inspector_app.core import amendment, chronology, team
from inspector_app.core.calendar import RegulationCalendar
from inspector_app.core.errors import Problem
from inspector_app.core.model import (
    Amendment,
    Case,
    CaseFile,
    ChecklistResult,
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
)

FIELD_OF: dict[type, str] = {
    IntegrityDeclaration: "declarations",
    TeamFiling: "filings",
    ChecklistResult: "results",
    SampleRecord: "samples",
    Seal: "seals",
    FeedbackHandover: "handovers",
    EnterpriseObjection: "objections",
    Signature: "signatures",
    SealedFeedback: "sealed_feedback",
    HandSignature: "hand_signatures",
    Amendment: "amendments",
}
"""Where each kind of a case's own record sits in a `CaseFile`."""


@dataclass(frozen=True)
class NamedPerson:
    """A person (a team member's id) that a record names, in one of its fields."""

    record_id: str
    field: str
    member_id: str
    stays_on_team: bool
    """The act keeps its author on the team (`team.member_removal_problems`): a result, a
    sampling, a hand-over, a signature or an amendment names a present member; a declaration,
    a filing, a sealed feedback form or a hand signature names someone who was on the team."""


def named_people(state: CaseFile, *, results_only: bool = False) -> list[NamedPerson]:
    """Return every person the records of a case name (with `results_only`, its results')."""
    if results_only:
        return [NamedPerson(r.id, "assessor_id", r.assessor_id, True) for r in state.results]
    present: list[tuple[str, str, str]] = [
        *((r.id, "assessor_id", r.assessor_id) for r in state.results),
        *(
            (s.id, f"sampler_ids[{i}]", sampler)
            for s in state.samples
            for i, sampler in enumerate(s.sampler_ids)
        ),
        *((h.id, "handed_by", h.handed_by) for h in state.handovers),
        *((s.id, "signer_id", s.signer_id) for s in state.signatures),
        *((a.id, "issued_by", a.issued_by) for a in state.amendments),
    ]
    history: list[tuple[str, str, str]] = [
        *((d.id, "member_id", d.member_id) for d in state.declarations),
        *((f.id, "filed_by", f.filed_by) for f in state.filings),
        *((f.id, "handed_by", f.handed_by) for f in state.sealed_feedback if f.handed_by),
        *((h.id, "member_id", h.member_id) for h in state.hand_signatures if h.member_id),
    ]
    return [NamedPerson(*p, stays_on_team=True) for p in present] + [
        NamedPerson(*p, stays_on_team=False) for p in history
    ]


def strangers(state: CaseFile, *, results_only: bool = False) -> list[NamedPerson]:
    """Return the people named by a record who are not (or, for the history, never were) on
    the case's team: an unknown id is refused, never attributed to someone else."""
    present = {m.id for m in state.members}
    ever = present | {m.id for m in state.former_members}
    return [
        p
        for p in named_people(state, results_only=results_only)
        if p.member_id not in (present if p.stays_on_team else ever)
    ]


def people_on_team_problems(state: CaseFile, *, results_only: bool = False) -> list[Problem]:
    """Every person a record of the case names is a member of its team (by id); with
    `results_only`, of its results."""
    return [
        Problem(
            "person_on_team",
            f"{p.member_id} 不是本案审查组的成员（{p.field}）；记录中的人员须为本案审查组成员。",
        )
        for p in strangers(state, results_only=results_only)
    ]


def moments_of(record: Any) -> list[datetime]:
    """Return the moments of the acts a record records (none for a record of no act)."""
    if isinstance(record, Case):
        moments = [record.review_started_at, record.concluded_at]
    else:
        moments = [getattr(record, name, None) for name in ACT_TIME]
    return [m for m in moments if isinstance(m, datetime)]


ACT_TIME = (
    "removed_at",
    "signed_at",
    "filed_at",
    "assessed_at",
    "sampled_at",
    "handed_at",
    "recorded_at",
    "sealed_at",
    "issued_at",
)
"""The fields that say when a record's act happened (one per record class at most)."""


def future_problems(
    record: Any, now: datetime, tolerance: timedelta, calendar: RegulationCalendar
) -> list[Problem]:
    """A record's acts are not later than the clock they are checked against (for a synced
    record: when the central office received it) beyond the workspace's tolerance; a case is
    not accepted on a day still to come."""
    found: list[Problem] = []
    if isinstance(record, Case):
        found += chronology.acceptance_not_in_future_problems(
            record.accepted_on, calendar.day_of(now + tolerance)
        )
    for at in moments_of(record):
        found += chronology.not_in_future_problems(at, now, tolerance, calendar)
    return found


def _member_name(state: CaseFile, member_id: str) -> str:
    everyone = (*state.members, *state.former_members)
    return next((m.name for m in everyone if m.id == member_id), member_id)


def results_order_problems(state: CaseFile, calendar: RegulationCalendar) -> list[Problem]:
    """Return what breaks the regulation's sequence in a case's results and in the rules over
    them (the conclusion after the last result, the sign-off after every act): all a result
    can change of the case's sequence."""
    case = state.case
    found: list[Problem] = []
    everyone = {m.id: m for m in (*state.former_members, *state.members)}
    for result in state.results:
        found += chronology.result_within_review_problems(
            result.assessed_at, case.review_started_at, case.concluded_at, calendar
        )
        assessor = everyone.get(result.assessor_id)
        if assessor is not None:  # a stranger is `people_on_team_problems`' to name
            found += chronology.declaration_before_result_problems(
                team.declared_at(assessor, state.declarations), result.assessed_at, assessor.name
            )
    if case.concluded_at is not None:
        found += chronology.conclusion_after_results_problems(
            case.concluded_at, (r.assessed_at for r in state.results), calendar
        )
    if state.signatures:
        # Every signature comes after every act (the first one, then, does).
        first = min(s.signed_at for s in state.signatures)
        found += chronology.sign_off_after_acts_problems(first, state, calendar)
    return found


def order_problems(state: CaseFile, calendar: RegulationCalendar) -> list[Problem]:
    """Return what breaks the regulation's sequence in a whole case (see the module doc)."""
    case = state.case
    found: list[Problem] = results_order_problems(state, calendar)
    for filing in state.filings:
        found += chronology.filing_after_acceptance_problems(
            filing.filed_at, case.accepted_on, calendar
        )
    for declaration in state.declarations:
        found += chronology.declaration_after_acceptance_problems(
            declaration.signed_at,
            case.accepted_on,
            _member_name(state, declaration.member_id),
            calendar,
        )
    for handover in state.handovers:
        found += chronology.handover_after_acceptance_problems(
            handover.handed_at, case.accepted_on, calendar
        )
    for member in state.former_members:
        assert member.removed_at is not None  # a former member is one removed
        found += chronology.removal_after_acceptance_problems(
            member.removed_at, case.accepted_on, member.name, calendar
        )
        found += chronology.removal_after_declaration_problems(
            member.removed_at,
            (d.signed_at for d in state.declarations if d.member_id == member.id),
            member.name,
            calendar,
        )
    first_filing = min((f.filed_at for f in state.filings), default=None)
    if case.review_started_at is not None and first_filing is not None:
        found += chronology.review_start_after_filing_problems(
            case.review_started_at, first_filing, calendar
        )
    for sample in state.samples:
        found += chronology.sampling_after_conclusion_problems(
            sample.sampled_at, case.concluded_at, calendar
        )
    for objection in state.objections:
        found += chronology.objection_after_conclusion_problems(
            objection.recorded_at, case.concluded_at, calendar
        )
    for sealed in state.sealed_feedback:
        found += chronology.sealed_after_handover_problems(
            sealed.sealed_at, sealed.stage, state.handovers, calendar
        )
    for hand in state.hand_signatures:
        found += chronology.hand_signature_after_filing_problems(hand.signed_at, state, calendar)
        found += chronology.hand_signature_after_document_problems(hand, state, calendar)
    signed_off = amendment.signed_off_at(state)
    for draft in state.amendments:
        # Only its place after the sign-off here: its clock is `future_problems`' to check.
        found += amendment.amendment_time_problems(
            draft.issued_at, signed_off, draft.issued_at, timedelta(0), calendar
        )
    return found


def same_case_problems(
    record_id: str, stored_case_id: str | None, case_id: str | None
) -> list[Problem]:
    """A record stays in the case it was made in: a new version naming another case (a member,
    a result, a seal of case A written as case B's) would take it out of case A, so that an
    edit in one case changed another. `stored_case_id` is the case of the version stored now
    (None for a new record), `case_id` the new version's."""
    if stored_case_id is None or stored_case_id == case_id:
        return []
    return [
        Problem(
            "case_isolation",
            f"记录 {record_id} 属于另一个案件（{stored_case_id}），不能作为案件 {case_id} 的"
            "记录保存：一个案件的修改不能改动另一个案件。",
        )
    ]


def case_problems(state: CaseFile, calendar: RegulationCalendar) -> list[Problem]:
    """Return every problem of a whole case: its people (by id) and its sequence of acts."""
    return people_on_team_problems(state) + order_problems(state, calendar)


def with_record(state: CaseFile, record: Any) -> CaseFile:
    """Return the case as it would be with `record` (a new record, or a new version of one
    it holds, by id): the case itself, a member (present or removed) or one of its records.

    Raises:
        TypeError: `record` is not a record of a case.
    """
    if isinstance(record, Case):
        return replace(state, case=record)
    if isinstance(record, TeamMember):
        members = tuple(m for m in state.members if m.id != record.id)
        former = tuple(m for m in state.former_members if m.id != record.id)
        if record.removed_at is None:
            members += (record,)
        else:
            former += (record,)
        return replace(state, members=members, former_members=former)
    name = FIELD_OF.get(type(record))
    if name is None:
        raise TypeError(f"not a record of a case: {type(record).__name__}")
    held: tuple[Any, ...] = getattr(state, name)
    kept = tuple(r for r in held if r.id != record.id)
    changed: dict[str, Any] = {name: (*kept, record)}
    return replace(state, **changed)


class Memo:
    """The problems of the last case state judged before a change, remembered by the very
    objects of its parts (a case's records are immutable, and a result added keeps every other
    part as it was): the results of a case coming down one by one are each judged against a
    case whose problems are worked out once."""

    def __init__(self) -> None:
        self.parts: tuple[Any, ...] = ()
        self.problems: set[tuple[str, str]] = set()

    def known(self, state: CaseFile, calendar: RegulationCalendar) -> set[tuple[str, str]]:
        """Return the (rule, message) of each problem of `state`."""
        parts = tuple(getattr(state, f.name) for f in dataclasses.fields(state))
        same = len(parts) == len(self.parts) and all(
            a is b for a, b in zip(parts, self.parts, strict=True)
        )
        if not same:
            self.parts = parts
            self.problems = {(p.rule, p.message) for p in case_problems(state, calendar)}
        return self.problems


def introduced_problems(
    before: CaseFile, after: CaseFile, calendar: RegulationCalendar, memo: Memo | None = None
) -> list[Problem]:
    """Return the problems the case has after a change (`after`) that it did not have
    before (`before`): those the change brings."""
    known = (memo or Memo()).known(before, calendar)
    fresh: list[Problem] = []
    for problem in case_problems(after, calendar):
        if (problem.rule, problem.message) not in known and problem not in fresh:
            fresh.append(problem)
    return fresh


def record_problems(
    state: CaseFile,
    record: Any,
    now: datetime,
    tolerance: timedelta,
    calendar: RegulationCalendar,
    memo: Memo | None = None,
) -> list[Problem]:
    """Return the problems a record (new, or a new version of one) would bring to its case as
    it stands (`state`): its own acts in the future of `now` (beyond `tolerance`), and what
    it breaks of the case's people and sequence. A caller that judges many records of one case
    passes the same `memo`.

    A checklist result is judged in the case with it alone among the results: no rule of
    another result changes by it, and the case's rules over all results (the conclusion after
    the last one, the sign-off after every act) see whether it is the one that breaks them. So
    a case of 300 items is not checked 300 times over when its results come down."""
    future = future_problems(record, now, tolerance, calendar)
    if isinstance(record, ChecklistResult):
        held = tuple(r for r in state.results if r.id == record.id)
        before = replace(state, results=held or ())
        after = with_record(before, record)
        # The other rules see no result: they are the same before and after.
        known = {(p.rule, p.message) for p in _results_problems(before, calendar)}
        return future + [
            p for p in _results_problems(after, calendar) if (p.rule, p.message) not in known
        ]
    after = with_record(state, record)
    return future + introduced_problems(state, after, calendar, memo)


def _results_problems(state: CaseFile, calendar: RegulationCalendar) -> list[Problem]:
    """The problems of a case that its results can change: their people and the order."""
    return people_on_team_problems(state, results_only=True) + results_order_problems(
        state, calendar
    )
