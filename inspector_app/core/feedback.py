"""The enterprise feedback form (反馈表), handed over before each stage starts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from inspector_app.core.calendar import RegulationCalendar
from inspector_app.core.errors import Problem
from inspector_app.core.model import (
    STAGE_LABELS,
    Case,
    CaseStatus,
    FeedbackHandover,
    SampleRecord,
    Stage,
)


@dataclass(frozen=True)
class HandoverStatus:
    """How the hand-over for one stage stands."""

    stage: Stage
    started_at: datetime | None
    handover: FeedbackHandover | None
    late: bool
    missing: bool
    owed: bool = True
    """Whether the stage's form is owed at all (`stages_owed`: not the product inspection of
    a failed review)."""

    def describe(self) -> str:
        """Return a short Chinese description for lists and reports."""
        label = STAGE_LABELS[self.stage]
        if self.missing:
            return f"{label}：阶段已开始，未交反馈表"
        if self.late:
            return f"{label}：反馈表在阶段开始后才交付（迟交）"
        if self.handover is None and not self.owed:
            return f"{label}：不需交付（审查不合格，不进行产品检验）"
        if self.handover is None:
            return f"{label}：尚未交付"
        return f"{label}：已交付"


def stage_started_at(
    stage: Stage, case: Case, samples: Sequence[SampleRecord], calendar: RegulationCalendar
) -> datetime | None:
    """Return when a stage started, or None if it has not yet.

    Acceptance is a day, not a moment: a hand-over during the acceptance day (on the
    regulation's calendar) is in time, one after it is late.
    """
    if stage == Stage.ACCEPTANCE:
        return calendar.end_of_day(case.accepted_on)
    if stage == Stage.ON_SITE:
        return case.review_started_at
    return min((s.sampled_at for s in samples), default=None)


def stages_owed(case: Case, samples: Sequence[SampleRecord]) -> tuple[Stage, ...]:
    """Return the stages whose feedback form is owed to the enterprise: every stage, except
    the product inspection of a failed review, which takes no samples (the stage never comes:
    concluded as failed, or signed off so without samples)."""
    failed = case.status == CaseStatus.FAILED or (
        case.status == CaseStatus.SIGNED_OFF and not samples
    )
    return tuple(stage for stage in Stage if not (failed and stage == Stage.INSPECTION))


def handover_is_late(handed_at: datetime, started_at: datetime | None) -> bool:
    """The hand-over is late when it happened after its stage started."""
    return started_at is not None and handed_at > started_at


def handover_statuses(
    case: Case,
    handovers: Sequence[FeedbackHandover],
    samples: Sequence[SampleRecord],
    today: date,
    calendar: RegulationCalendar,
) -> list[HandoverStatus]:
    """Return, for each stage, whether its feedback form was handed over in time, and
    whether it is owed at all (`stages_owed`)."""
    statuses = []
    owed = stages_owed(case, samples)
    for stage in Stage:
        started = stage_started_at(stage, case, samples, calendar)
        if stage == Stage.ACCEPTANCE and case.accepted_on > today:
            started = None
        given = [h for h in handovers if h.stage == stage]
        first = min(given, key=lambda h: h.handed_at) if given else None
        late = first is not None and handover_is_late(first.handed_at, started)
        missing = first is None and started is not None
        statuses.append(HandoverStatus(stage, started, first, late, missing, stage in owed))
    return statuses


def handover_problems(handover: FeedbackHandover, member_ids: set[str]) -> list[Problem]:
    """The form goes from a team member to a named enterprise head (企业负责人)."""
    problems = []
    if not handover.handed_to.strip():
        problems.append(Problem("handover_to", "请填写接收反馈表的企业负责人。"))
    if handover.handed_by not in member_ids:
        problems.append(Problem("handover_by", "反馈表须由本案审查组成员交付。"))
    return problems
