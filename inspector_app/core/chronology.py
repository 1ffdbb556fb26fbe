"""The regulation's sequence, held by timestamp: each ordering of acts is one rule.

The lifecycle (`lifecycle.py`) says which step may follow which; these rules say that the
moments recorded for the acts follow the same order, so that a case file or a laptop with a
wrong clock cannot record a result before the filing or a sealing before the pass conclusion.
Times compare as moments (their offsets are honoured); days are the regulation's calendar days.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from inspector_app.core.calendar import RegulationCalendar
from inspector_app.core.errors import Problem
from inspector_app.core.model import (
    CaseFile,
    FeedbackHandover,
    HandSignature,
    SignerKind,
    Stage,
    TeamMember,
)


def _shown(at: datetime, calendar: RegulationCalendar) -> str:
    return calendar.local(at).strftime("%Y-%m-%d %H:%M")


def not_in_future_problems(
    at: datetime, now: datetime, tolerance: timedelta, calendar: RegulationCalendar
) -> list[Problem]:
    """An act is not recorded as happening later than the laptop's clock (beyond a small
    tolerance for clock drift, a workspace setting)."""
    if at <= now + tolerance:
        return []
    return [
        Problem(
            "not_in_future",
            f"记录时间 {_shown(at, calendar)} 晚于本机当前时间 {_shown(now, calendar)}，"
            "不能记录尚未发生的事。请检查本机时钟或记录的时间。",
        )
    ]


def acceptance_not_in_future_problems(accepted_on: date, today: date) -> list[Problem]:
    """A case is accepted on a day that has come (today on the regulation's calendar at most)."""
    if accepted_on <= today:
        return []
    return [
        Problem(
            "not_in_future",
            f"受理日期 {accepted_on.isoformat()} 晚于今天 {today.isoformat()}，"
            "不能记录尚未受理的案件。",
        )
    ]


def filing_after_acceptance_problems(
    filed_at: datetime, accepted_on: date, calendar: RegulationCalendar
) -> list[Problem]:
    """The team is filed on or after the day the case was accepted (受理后备案)."""
    if calendar.day_of(filed_at) >= accepted_on:
        return []
    return [
        Problem(
            "filing_after_acceptance",
            f"审查组备案时间 {_shown(filed_at, calendar)} 早于受理日期 {accepted_on.isoformat()}。",
        )
    ]


def handover_after_acceptance_problems(
    handed_at: datetime, accepted_on: date, calendar: RegulationCalendar
) -> list[Problem]:
    """A feedback form (反馈表) is handed over on or after the day the case was accepted: before
    it there was no case to give a form for (a year typed wrong is not a hand-over in time)."""
    if calendar.day_of(handed_at) >= accepted_on:
        return []
    return [
        Problem(
            "handover_after_acceptance",
            f"反馈表交付时间 {_shown(handed_at, calendar)} 早于受理日期 {accepted_on.isoformat()}；"
            "请检查所填的日期。",
        )
    ]


def declaration_after_acceptance_problems(
    signed_at: datetime, accepted_on: date, member_name: str, calendar: RegulationCalendar
) -> list[Problem]:
    """A member's integrity declaration for a case is signed on or after the day the case was
    accepted: it promises about this case's enterprise, which had no case before."""
    if calendar.day_of(signed_at) >= accepted_on:
        return []
    return [
        Problem(
            "declaration_after_acceptance",
            f"{member_name} 的廉洁承诺书签署时间 {_shown(signed_at, calendar)} "
            f"早于受理日期 {accepted_on.isoformat()}；廉洁承诺书为本案签署，须在受理之后。",
        )
    ]


def removal_after_acceptance_problems(
    removed_at: datetime, accepted_on: date, member_name: str, calendar: RegulationCalendar
) -> list[Problem]:
    """A member leaves the team (移出审查组) on or after the day the case was accepted."""
    if calendar.day_of(removed_at) >= accepted_on:
        return []
    return [
        Problem(
            "removal_after_acceptance",
            f"{member_name} 移出审查组的时间 {_shown(removed_at, calendar)} "
            f"早于受理日期 {accepted_on.isoformat()}。",
        )
    ]


def removal_after_declaration_problems(
    removed_at: datetime,
    declared: Iterable[datetime],
    member_name: str,
    calendar: RegulationCalendar,
) -> list[Problem]:
    """A member leaves the team after what they signed on it (their integrity declaration):
    a removed member no longer acts, so nothing of theirs is dated after the removal."""
    last = max(declared, default=None)
    if last is None or last <= removed_at:
        return []
    return [
        Problem(
            "removal_after_declaration",
            f"{member_name} 移出审查组的时间 {_shown(removed_at, calendar)} 早于其廉洁承诺书"
            f"签署时间 {_shown(last, calendar)}；移出审查组后不能再签署。",
        )
    ]


def filing_after_removals_problems(
    filed_at: datetime, removed: Iterable[TeamMember], calendar: RegulationCalendar
) -> list[Problem]:
    """A filing of the team as it is comes after the removal of each member it leaves out: a
    member removed later was still on the team when it was filed."""
    late = [m for m in removed if m.removed_at is not None and m.removed_at > filed_at]
    if not late:
        return []
    first = min(late, key=lambda m: m.removed_at or filed_at)
    assert first.removed_at is not None
    return [
        Problem(
            "filing_after_removals",
            f"审查组备案时间 {_shown(filed_at, calendar)} 早于{first.name}（{first.unit}）"
            f"移出审查组的时间 {_shown(first.removed_at, calendar)}；备案时其仍在审查组中。",
        )
    ]


def declaration_before_result_problems(
    declared_at: datetime | None, assessed_at: datetime, member_name: str
) -> list[Problem]:
    """A member signs the integrity declaration before recording their first result."""
    if declared_at is not None and declared_at <= assessed_at:
        return []
    return [
        Problem(
            "declaration_before_result",
            f"{member_name} 的廉洁承诺书签署时间晚于其核查记录时间；"
            "须先签署廉洁承诺书，再记录核查结果。",
        )
    ]


def review_start_after_filing_problems(
    started_at: datetime, filed_at: datetime, calendar: RegulationCalendar
) -> list[Problem]:
    """The on-site review starts after the team is filed (实施审查前备案)."""
    if started_at >= filed_at:
        return []
    return [
        Problem(
            "review_after_filing",
            f"实地核查开始时间 {_shown(started_at, calendar)} 早于审查组备案时间 "
            f"{_shown(filed_at, calendar)}。",
        )
    ]


def result_within_review_problems(
    assessed_at: datetime,
    started_at: datetime | None,
    concluded_at: datetime | None,
    calendar: RegulationCalendar,
) -> list[Problem]:
    """A checklist result lies between the start of the review and its conclusion."""
    if started_at is not None and assessed_at < started_at:
        return [
            Problem(
                "result_within_review",
                f"核查时间 {_shown(assessed_at, calendar)} 早于实地核查开始时间 "
                f"{_shown(started_at, calendar)}。",
            )
        ]
    if concluded_at is not None and assessed_at > concluded_at:
        return [
            Problem(
                "result_within_review",
                f"核查时间 {_shown(assessed_at, calendar)} 晚于核查结论时间 "
                f"{_shown(concluded_at, calendar)}。",
            )
        ]
    return []


def conclusion_after_results_problems(
    concluded_at: datetime, assessed: Iterable[datetime], calendar: RegulationCalendar
) -> list[Problem]:
    """The conclusion comes after the last checklist result."""
    last = max(assessed, default=None)
    if last is None or concluded_at >= last:
        return []
    return [
        Problem(
            "conclusion_after_results",
            f"核查结论时间 {_shown(concluded_at, calendar)} 早于最后一项核查记录的时间 "
            f"{_shown(last, calendar)}。",
        )
    ]


def sampling_after_conclusion_problems(
    sampled_at: datetime, concluded_at: datetime | None, calendar: RegulationCalendar
) -> list[Problem]:
    """Samples are taken and sealed after the pass conclusion (现场核查合格后抽样封样)."""
    if concluded_at is not None and sampled_at >= concluded_at:
        return []
    shown = _shown(concluded_at, calendar) if concluded_at else "（尚无结论）"
    return [
        Problem(
            "sampling_after_conclusion",
            f"抽样封样时间 {_shown(sampled_at, calendar)} 早于核查合格结论时间 {shown}。",
        )
    ]


def objection_after_conclusion_problems(
    recorded_at: datetime, concluded_at: datetime | None, calendar: RegulationCalendar
) -> list[Problem]:
    """The enterprise objects to a conclusion that has been made (and before the sign-off, which
    `sign_off_after_acts_problems` and the lifecycle hold)."""
    if concluded_at is not None and recorded_at >= concluded_at:
        return []
    shown = _shown(concluded_at, calendar) if concluded_at else "（尚无结论）"
    return [
        Problem(
            "objection_after_conclusion",
            f"企业意见的记录时间 {_shown(recorded_at, calendar)} 早于核查结论时间 {shown}。",
        )
    ]


def latest_act(state: CaseFile) -> tuple[datetime, str] | None:
    """Return the latest recorded act of a case before its sign-off, and what it was."""
    case = state.case
    acts: list[tuple[datetime, str]] = [
        *((d.signed_at, "廉洁承诺书签署") for d in state.declarations),
        *((f.filed_at, "审查组备案") for f in state.filings),
        *((r.assessed_at, f"第 {r.item_code} 项核查") for r in state.results),
        *((s.sampled_at, "抽样封样") for s in state.samples),
        *((h.handed_at, "反馈表交付") for h in state.handovers),
        *((o.recorded_at, "企业意见") for o in state.objections),
        *((h.signed_at, "手写签名") for h in state.hand_signatures),
        *((s.sealed_at, "反馈表密封") for s in state.sealed_feedback),
    ]
    if case.review_started_at is not None:
        acts.append((case.review_started_at, "实地核查开始"))
    if case.concluded_at is not None:
        acts.append((case.concluded_at, "核查结论"))
    return max(acts, key=lambda act: act[0], default=None)


def sign_off_after_acts_problems(
    signed_at: datetime, state: CaseFile, calendar: RegulationCalendar
) -> list[Problem]:
    """The sign-off comes after the conclusion, the objection, the sealing and every other act
    of the case: nothing of the case happens after it."""
    last = latest_act(state)
    if last is None or signed_at >= last[0]:
        return []
    return [
        Problem(
            "sign_off_last",
            f"签发时间 {_shown(signed_at, calendar)} 早于{last[1]}的时间 "
            f"{_shown(last[0], calendar)}；签发须在本案所有记录之后。",
        )
    ]


def sealed_after_handover_problems(
    sealed_at: datetime,
    stage: Stage,
    handovers: Iterable[FeedbackHandover],
    calendar: RegulationCalendar,
) -> list[Problem]:
    """The enterprise fills in and seals a stage's feedback form after it was handed the form
    (without a hand-over at all, `feedback_sealing_problems` refuses)."""
    first = min((h.handed_at for h in handovers if h.stage == stage), default=None)
    if first is None or sealed_at >= first:
        return []
    return [
        Problem(
            "feedback_after_handover",
            f"反馈表密封时间 {_shown(sealed_at, calendar)} 早于该阶段反馈表交付企业的时间 "
            f"{_shown(first, calendar)}。",
        )
    ]


def hand_signature_after_filing_problems(
    signed_at: datetime, state: CaseFile, calendar: RegulationCalendar
) -> list[Problem]:
    """A handwritten signature comes after the team was first filed (备案), as every act of
    the review does."""
    first = min((f.filed_at for f in state.filings), default=None)
    if first is not None and signed_at >= first:
        return []
    shown = _shown(first, calendar) if first else "（尚未备案）"
    return [
        Problem(
            "hand_signature_after_filing",
            f"签名时间 {_shown(signed_at, calendar)} 早于审查组备案时间 {shown}。",
        )
    ]


def hand_signature_after_document_problems(
    signature: HandSignature, state: CaseFile, calendar: RegulationCalendar
) -> list[Problem]:
    """A document is signed after what it records: the on-site report after the conclusion,
    the sampling record after the sampling it records (for a sampler, a sampling they took; for
    the representative, one they attended)."""
    if signature.document == "onsite":
        done = state.case.concluded_at
        what = "核查结论"
    elif signature.document == "sampling":
        name = (signature.representative or "").strip()
        done = min(
            (
                s.sampled_at
                for s in state.samples
                if (
                    signature.member_id in s.sampler_ids
                    if signature.signer_kind == SignerKind.MEMBER
                    else s.enterprise_representative.strip() == name
                )
            ),
            default=None,
        )
        what = "抽样封样"
    else:
        return []
    if done is not None and signature.signed_at >= done:
        return []
    shown = _shown(done, calendar) if done else "（尚无记录）"
    return [
        Problem(
            "hand_signature_after_document",
            f"签名时间 {_shown(signature.signed_at, calendar)} 早于{what}时间 {shown}。",
        )
    ]
