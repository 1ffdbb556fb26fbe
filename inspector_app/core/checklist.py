"""Who may start the on-site checklist (实地核查) and who may record its results."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from inspector_app.core.errors import Problem
from inspector_app.core.forms.verdicts import Verdict
from inspector_app.core.lifecycle import lifecycle_step_problems
from inspector_app.core.model import (
    CaseStatus,
    ChecklistResult,
    IntegrityDeclaration,
    TeamFiling,
    TeamMember,
)
from inspector_app.core.team import (
    current_filing,
    has_signed_declaration,
    leader_action_problems,
)

NO_RESULT = ""
"""The result of an item taken back to "no result" (撤回评定): a version that says nothing."""


def answered_results(results: Iterable[ChecklistResult]) -> dict[str, ChecklistResult]:
    """Return the results that say something, by item code.

    A result taken back to "no result" stays in the history as a version of its record, but
    the item counts as unanswered: in the progress, the verdict, the conclusion and the report.
    """
    return {r.item_code: r for r in results if r.result != NO_RESULT}


def withdraw_problems(item_code: str, stored: ChecklistResult | None) -> list[Problem]:
    """Only a result that says something can be taken back to "no result" (撤回评定)."""
    if stored is None or stored.result == NO_RESULT:
        return [
            Problem(
                "result_to_withdraw",
                f"第 {item_code} 项尚无核查结果，无需撤回。",
            )
        ]
    return []


def start_review_problems(
    filings: Sequence[TeamFiling], members: Sequence[TeamMember]
) -> list[Problem]:
    """The checklist may start only after the team (as it is now) is filed (实施审查前备案)."""
    if current_filing(filings, members) is not None:
        return []
    reason = "审查组尚未备案" if not filings else "审查组备案后人员有变动，需重新备案"
    return [Problem("team_filed_first", f"{reason}，不能开始实地核查。请先完成审查组备案。")]


def recorder_problems(
    status: CaseStatus,
    assessor: TeamMember | None,
    assessor_name: str,
    filings: Sequence[TeamFiling],
    members: Sequence[TeamMember],
    declarations: Sequence[IntegrityDeclaration],
) -> list[Problem]:
    """Only members of the filed team with a signed integrity declaration record results.

    No sub-contracting of on-site verification (不得再委托): an unfiled person cannot record.
    """
    if status != CaseStatus.ON_SITE_REVIEW:
        return [Problem("review_in_progress", "只有在实地核查进行中才能记录核查结果。")]
    if assessor is None:
        return [
            Problem(
                "filed_member_only",
                f"“{assessor_name}”不是本案已备案审查组的成员，不能记录核查结果（不得再委托）。",
            )
        ]
    if current_filing(filings, members) is None:
        return [
            Problem(
                "filed_member_only",
                "审查组备案后人员有变动，备案已失效；重新备案前不能记录核查结果。",
            )
        ]
    if not has_signed_declaration(assessor, declarations):
        return [
            Problem(
                "integrity_declaration",
                f"{assessor.name} 尚未签署本案的廉洁承诺书，不能记录核查结果。",
            )
        ]
    return []


def conclusion_problems(outcome: Verdict) -> list[Problem]:
    """The review is concluded only when every checklist item has a result.

    A fail may already be certain with items open; the report still lists every item.
    """
    if not outcome.pending:
        return []
    shown = "、".join(outcome.pending[:10]) + ("等" if len(outcome.pending) > 10 else "")
    return [
        Problem(
            "checklist_complete",
            f"尚有 {len(outcome.pending)} 项未核查（{shown}），全部核查后才能作出结论。",
        )
    ]


CONCLUDE_ACTION = "作出核查结论"


def concluder_problems(
    status: CaseStatus,
    leader: TeamMember | None,
    actor_name: str,
    filings: Sequence[TeamFiling],
    members: Sequence[TeamMember],
    declarations: Sequence[IntegrityDeclaration],
    outcome: Verdict,
) -> list[Problem]:
    """The filed team's leader concludes the on-site review (作出核查结论), while it is under
    way and once every item has a result; the first reason that stands in the way is given.

    The leader's certificate and the order in time are checked when the act is dated.
    """
    step = "conclude_pass" if outcome.passed else "conclude_fail"
    return (
        lifecycle_step_problems(status, step)
        or leader_action_problems(
            leader, actor_name, CONCLUDE_ACTION, filings, members, declarations
        )
        or conclusion_problems(outcome)
    )
