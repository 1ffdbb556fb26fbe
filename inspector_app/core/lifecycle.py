"""The case lifecycle: accepted → team filed → on-site review → verdict → sampled → signed off."""

from __future__ import annotations

from inspector_app.core.errors import Problem
from inspector_app.core.model import STATUS_LABELS, CaseStatus

S = CaseStatus

# Which step leads from which status to which. A failed review is signed off without sampling.
TRANSITIONS: dict[str, dict[CaseStatus, CaseStatus]] = {
    "file_team": {
        S.ACCEPTED: S.TEAM_FILED,
        S.TEAM_FILED: S.TEAM_FILED,
        S.ON_SITE_REVIEW: S.ON_SITE_REVIEW,
    },
    "change_team": {
        S.ACCEPTED: S.ACCEPTED,
        S.TEAM_FILED: S.ACCEPTED,
        S.ON_SITE_REVIEW: S.ON_SITE_REVIEW,
    },
    "start_review": {S.TEAM_FILED: S.ON_SITE_REVIEW},
    "conclude_pass": {S.ON_SITE_REVIEW: S.PASSED},
    "conclude_fail": {S.ON_SITE_REVIEW: S.FAILED},
    "seal_samples": {S.PASSED: S.SAMPLED, S.SAMPLED: S.SAMPLED},
    "sign_off": {S.SAMPLED: S.SIGNED_OFF, S.FAILED: S.SIGNED_OFF},
    "record_objection": {S.PASSED: S.PASSED, S.FAILED: S.FAILED, S.SAMPLED: S.SAMPLED},
}

STEP_LABELS = {
    "file_team": "审查组备案",
    "change_team": "变更审查组成员",
    "start_review": "开始实地核查",
    "conclude_pass": "作出核查合格结论",
    "conclude_fail": "作出核查不合格结论",
    "seal_samples": "抽样封样",
    "sign_off": "组长签发",
    "record_objection": "记录企业意见",
}


def lifecycle_step_problems(status: CaseStatus, step: str) -> list[Problem]:
    """An illegal step in the case lifecycle is refused with the reason."""
    if status in TRANSITIONS[step]:
        return []
    allowed = "、".join(STATUS_LABELS[s] for s in TRANSITIONS[step])
    return [
        Problem(
            "lifecycle",
            f"案件当前状态为“{STATUS_LABELS[status]}”，不能{STEP_LABELS[step]}"
            f"（仅在“{allowed}”状态下可以）。",
        )
    ]


def next_status(status: CaseStatus, step: str) -> CaseStatus:
    """Return the status after a legal step (check `lifecycle_step_problems` first)."""
    return TRANSITIONS[step][status]


def case_open_problems(status: CaseStatus) -> list[Problem]:
    """Nothing is added to a signed-off case, and nothing in it changes: a correction is a new,
    signed amendment, never an edit."""
    if status != S.SIGNED_OFF:
        return []
    return [
        Problem(
            "case_signed_off",
            "本案已由审查组长签发，不能再添加或修改任何记录；如需更正，请另立经签名的更正记录。",
        )
    ]
