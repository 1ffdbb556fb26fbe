"""Where a case stands on each of its steps (企业与申请 … 签字): done, blocked (and why), to do.

Each state is decided by the rule functions that also guard the steps themselves, so the case
window says exactly what the step would say when tried.

Pure Python: no Qt, no SQLite, no files, no clock reads (today is passed in).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from inspector_app.core import checklist, sampling
from inspector_app.core.calendar import RegulationCalendar
from inspector_app.core.errors import Problem
from inspector_app.core.feedback import handover_statuses, stages_owed
from inspector_app.core.lifecycle import case_open_problems, lifecycle_step_problems
from inspector_app.core.model import CaseFile, CaseStatus
from inspector_app.core.team import current_filing, team_size_problems

S = CaseStatus


class StepKey(StrEnum):
    """The steps of a case, in the order of the review."""

    INTAKE = "intake"  # 企业与申请
    TEAM = "team"  # 审查组
    FEEDBACK = "feedback"  # 反馈表
    ON_SITE = "on_site"  # 实地核查
    SAMPLING = "sampling"  # 抽样封样
    OBJECTION = "objection"  # 企业意见
    SIGN_OFF = "sign_off"  # 签字


class StepState(StrEnum):
    """How a step stands."""

    DONE = "done"
    BLOCKED = "blocked"
    TO_DO = "to_do"


@dataclass(frozen=True)
class CaseStep:
    """One step of a case as it stands: its state and, when blocked or when there is something
    to know, the domain's reason (in Chinese)."""

    key: StepKey
    state: StepState
    reason: str = ""


_CONCLUDED = (S.PASSED, S.FAILED, S.SAMPLED, S.SIGNED_OFF)


def _reasons(problems: list[Problem]) -> str:
    return "；".join(p.message for p in problems)


def _team(state: CaseFile) -> CaseStep:
    if current_filing(state.filings, state.members) is not None:
        return CaseStep(StepKey.TEAM, StepState.DONE)
    if state.case.status == S.SIGNED_OFF:
        return CaseStep(StepKey.TEAM, StepState.DONE)
    problems = checklist.start_review_problems(state.filings, state.members)
    problems += team_size_problems(state.members)
    return CaseStep(StepKey.TEAM, StepState.TO_DO, _reasons(problems))


def _feedback(state: CaseFile, today: date, calendar: RegulationCalendar) -> CaseStep:
    statuses = handover_statuses(state.case, state.handovers, state.samples, today, calendar)
    owed = stages_owed(state.case, state.samples)  # a failed review has no inspection stage
    statuses = [s for s in statuses if s.stage in owed]
    reason = "；".join(s.describe() for s in statuses)
    if all(s.handover is not None for s in statuses):
        return CaseStep(StepKey.FEEDBACK, StepState.DONE, reason)
    if state.case.status == S.SIGNED_OFF:
        return CaseStep(
            StepKey.FEEDBACK, StepState.BLOCKED, _reasons(case_open_problems(S.SIGNED_OFF))
        )
    return CaseStep(StepKey.FEEDBACK, StepState.TO_DO, reason)


def _on_site(state: CaseFile) -> CaseStep:
    status = state.case.status
    if status in _CONCLUDED:
        return CaseStep(StepKey.ON_SITE, StepState.DONE)
    if status == S.ON_SITE_REVIEW:
        return CaseStep(StepKey.ON_SITE, StepState.TO_DO)
    problems = checklist.start_review_problems(
        state.filings, state.members
    ) or lifecycle_step_problems(status, "start_review")
    if problems:
        return CaseStep(StepKey.ON_SITE, StepState.BLOCKED, _reasons(problems))
    return CaseStep(StepKey.ON_SITE, StepState.TO_DO)


def _sampling(state: CaseFile) -> CaseStep:
    if state.samples:
        return CaseStep(StepKey.SAMPLING, StepState.DONE)
    problems = case_open_problems(state.case.status) or sampling.sampling_allowed_problems(
        state.case.status
    )
    if problems:
        return CaseStep(StepKey.SAMPLING, StepState.BLOCKED, _reasons(problems))
    return CaseStep(StepKey.SAMPLING, StepState.TO_DO)


def _objection(state: CaseFile) -> CaseStep:
    if state.objections:
        return CaseStep(StepKey.OBJECTION, StepState.DONE)
    problems = case_open_problems(state.case.status) or lifecycle_step_problems(
        state.case.status, "record_objection"
    )
    if problems:
        return CaseStep(StepKey.OBJECTION, StepState.BLOCKED, _reasons(problems))
    return CaseStep(StepKey.OBJECTION, StepState.TO_DO)


def _sign_off(state: CaseFile) -> CaseStep:
    if state.case.status == S.SIGNED_OFF:
        return CaseStep(StepKey.SIGN_OFF, StepState.DONE)
    problems = lifecycle_step_problems(state.case.status, "sign_off")
    if problems:
        return CaseStep(StepKey.SIGN_OFF, StepState.BLOCKED, _reasons(problems))
    return CaseStep(StepKey.SIGN_OFF, StepState.TO_DO)


def case_steps(state: CaseFile, today: date, calendar: RegulationCalendar) -> tuple[CaseStep, ...]:
    """Return how each step of the case stands today, in the order of `StepKey`.

    Args:
        state: Everything recorded for the case (`store.casework.load_case_file`).
        today: Today on the regulation's calendar.
        calendar: The regulation's calendar (for the feedback form's stages).
    """
    return (
        CaseStep(StepKey.INTAKE, StepState.DONE),
        _team(state),
        _feedback(state, today, calendar),
        _on_site(state),
        _sampling(state),
        _objection(state),
        _sign_off(state),
    )
