"""A case the central office withdrew from this laptop's reviewer (撤回分配): the laptop keeps it
whole, with its queued changes, but nothing of it changes here until the office assigns it
again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from inspector_app.core.calendar import RegulationCalendar
from inspector_app.core.errors import Problem


@dataclass(frozen=True)
class CaseWithdrawal:
    """The office's withdrawal of a case from this workspace's reviewer, as it was told."""

    case_id: str
    withdrawn_at: datetime
    withdrawn_by: str | None = None


def withdrawn_text(withdrawal: CaseWithdrawal, calendar: RegulationCalendar) -> str:
    """Return how the withdrawal reads to the team (its moment on the regulation's clocks)."""
    at = calendar.local(withdrawal.withdrawn_at).strftime("%Y-%m-%d %H:%M")
    return f"此案件已不再分配给您（{at}由省局撤回）"


def case_withdrawn_problems(
    withdrawal: CaseWithdrawal | None, calendar: RegulationCalendar
) -> list[Problem]:
    """Nothing of a case withdrawn from this reviewer changes on this laptop: its records and
    its queued changes are kept (held, not sent) until the office assigns it again."""
    if withdrawal is None:
        return []
    return [
        Problem(
            "case_withdrawn",
            f"{withdrawn_text(withdrawal, calendar)}：本机保留其全部记录和待上传的更改，"
            "但不能再修改；如需继续审查，请联系省局重新分配。",
        )
    ]
