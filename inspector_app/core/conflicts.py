"""Sync conflicts (同步冲突): who may settle one, and how a settlement is chosen."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from inspector_app.core.errors import Problem
from inspector_app.core.model import Role, TeamMember

CHOICES = ("current", "other")
"""`current`: the version in force (here, or on the server for a conflict it reported);
`other`: the version that was kept apart."""


def conflict_resolver_problems(
    actor_id: str, case_id: str | None, members: Sequence[TeamMember]
) -> list[Problem]:
    """A conflict of a case's record is settled by that case's team leader (组长) only: the
    leader on the team now, not one removed from it (`members` may hold the former ones)."""
    if case_id is None:
        return []
    if any(
        m.role == Role.LEADER and m.reviewer_id == actor_id and m.removed_at is None
        for m in members
    ):
        return []
    return [
        Problem(
            "conflict_resolved_by_leader",
            "只有本案的审查组组长可以处理同步冲突。冲突已保留，请组长登录后处理。",
        )
    ]


def enterprise_conflict_resolver_problems(
    actor_id: str, members_of_its_cases: Sequence[TeamMember]
) -> list[Problem]:
    """A conflict of an enterprise record (which belongs to no one case) is settled only by the
    team leader (组长) of a case of that enterprise: a leader on its team now, not one removed
    from it (`members_of_its_cases`: the members, former ones too, of the enterprise's cases
    held here)."""
    if any(
        m.role == Role.LEADER and m.reviewer_id == actor_id and m.removed_at is None
        for m in members_of_its_cases
    ):
        return []
    return [
        Problem(
            "enterprise_conflict_resolved_by_leader",
            "只有该企业某一案件的审查组组长可以处理该企业记录的同步冲突。冲突已保留，"
            "请组长登录后处理。",
        )
    ]


def conflict_choice_problems(choice: str) -> list[Problem]:
    """A settlement keeps one of the two versions: `current` or `other`."""
    if choice in CHOICES:
        return []
    return [
        Problem(
            "conflict_choice",
            f"请选择保留哪个版本：current（现行版本）或 other（另一版本），而不是“{choice}”。",
        )
    ]


def settled_record_problems(
    record_table: str, record_id: str, case_id: str | None, kept: Mapping[str, Any]
) -> list[Problem]:
    """A settlement keeps a version of the conflict's own record, in the conflict's own case:
    a version that names another record or another case (a buggy or hostile device's push)
    is never written, so that settling a conflict of one case cannot change another."""
    own_case = kept.get("id") if record_table == "review_case" else kept.get("case_id")
    if kept.get("id") == record_id and (case_id is None or own_case == case_id):
        return []
    return [
        Problem(
            "conflict_own_case",
            f"所选版本属于另一条记录或另一案件（{own_case}），不能用于处理本案的冲突；"
            "冲突已保留，请联系中心。",
        )
    ]


# --- a conflict of kind "rule": the office refused the laptop's version for a rule ---------

RULE_REASON_PREFIX = "违反规则："
"""How the reason of a rule conflict begins: the office refused the laptop's version because
it breaks a rule of its case (people by id, acts in order, nothing in the future), and gives
the domain's messages after it (`sync.server.rules.rule_reason`)."""


def is_rule_conflict(reason: str) -> bool:
    """Whether a conflict the office reported is of kind "rule" (see `RULE_REASON_PREFIX`)."""
    return reason.startswith(RULE_REASON_PREFIX)


def conflict_choices(reason: str, office_version_held: bool) -> tuple[str, ...]:
    """Return the settlements that make sense for a conflict: both versions for a conflict of
    versions; for a rule conflict only the office's version (`current`), and only when the
    office holds one. The laptop's refused version kept as it is (`other`) would only be
    refused again: it is corrected in the case instead (the app checks the rules again there,
    and the corrected version settles the conflict at the office)."""
    if not is_rule_conflict(reason):
        return CHOICES
    return ("current",) if office_version_held else ()


def rule_conflict_choice_problems(
    reason: str, choice: str, office_version_held: bool
) -> list[Problem]:
    """A rule conflict is not settled by keeping the refused version as it is (it is never
    sent again), nor by "the office's version" when the office holds none: the record is
    corrected in the case instead."""
    if choice in conflict_choices(reason, office_version_held) or choice not in CHOICES:
        return []
    rule = reason.removeprefix(RULE_REASON_PREFIX)
    if choice == "other":
        return [
            Problem(
                "rule_conflict_not_kept",
                f"中心因本机的版本违反规则而拒收（{rule}）；原样保留只会再次被拒收，不会上传。"
                "请采用中心的版本，或在案件中改正该记录（改正时本机重新检查规则），"
                "改正后的版本在下次同步时上传并了结此冲突。",
            )
        ]
    return [
        Problem(
            "rule_conflict_no_office_version",
            f"中心没有该记录的版本，本机的版本因违反规则被拒收（{rule}）。"
            "请在案件中改正该记录，改正后的版本在下次同步时上传并了结此冲突。",
        )
    ]
