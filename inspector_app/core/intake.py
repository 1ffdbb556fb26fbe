"""Case intake (受理): what a new case must carry, and the enterprise's objection (异议)."""

from __future__ import annotations

from collections.abc import Sequence

from inspector_app.core.credit_code import credit_code_problems
from inspector_app.core.errors import Problem
from inspector_app.core.lifecycle import lifecycle_step_problems
from inspector_app.core.model import (
    Case,
    CaseStatus,
    Enterprise,
    EnterpriseObjection,
    TeamMember,
)


def case_intake_problems(enterprise: Enterprise, case: Case) -> list[Problem]:
    """A new case names its application, a valid credit code, and starts as accepted."""
    problems = credit_code_problems(enterprise.credit_code)
    if not case.application_no.strip():
        problems.append(Problem("application_no", "申请编号不能为空。"))
    if not enterprise.name.strip():
        problems.append(Problem("enterprise_name", "企业名称不能为空。"))
    if case.status != CaseStatus.ACCEPTED:
        problems.append(Problem("lifecycle", "新案件的状态必须是“已受理”。"))
    if case.review_date < case.accepted_on:
        problems.append(Problem("review_date", "审查日期不能早于受理日期。"))
    return problems


def enterprise_reuse_problems(stored: Enterprise | None, incoming: Enterprise) -> list[Problem]:
    """An enterprise already in the workspace is reused only as it is: what a case shows, a
    signed-off case above all, never changes because a later case spells its enterprise anew.
    A changed enterprise is a new enterprise record (a new id)."""
    if stored is None or stored == incoming:
        return []
    fields = [
        label
        for label, name in (
            ("名称", "name"),
            ("统一社会信用代码", "credit_code"),
            ("地址", "address"),
            ("联系人", "contact_person"),
            ("电话", "phone"),
        )
        if getattr(stored, name) != getattr(incoming, name)
    ]
    return [
        Problem(
            "enterprise_unchanged",
            f"企业 {stored.name}（id {stored.id}）已在工作区中，"
            f"与本次提供的不同（{'、'.join(fields)}）；"
            "为保证已有案件的记录不变，不能修改。如企业信息确有变化，请以新的企业记录受理。",
        )
    ]


def signed_enterprise_unchanged_problems(
    stored: Enterprise | None, incoming: Enterprise, signed_application_nos: Sequence[str]
) -> list[Problem]:
    """An enterprise with a signed-off case (已签发) does not change, whoever brings the new
    version (a sync, a conflict settled): the signed case's documents, its case file and its
    overview show the enterprise as it was at sign-off. A later application of a changed
    enterprise is a new enterprise record (`enterprise_reuse_problems`)."""
    if stored is None or stored == incoming or not signed_application_nos:
        return []
    return [
        Problem(
            "signed_enterprise_unchanged",
            f"企业 {stored.name}（id {stored.id}）已有签发的案件"
            f"（{'、'.join(signed_application_nos)}），其信息不能再修改，"
            "以保证已签发的文书和案件记录不变；企业信息确有变化的，请以新的企业记录受理新的申请。",
        )
    ]


def objection_problems(status: CaseStatus, objection: EnterpriseObjection) -> list[Problem]:
    """The enterprise objects to a conclusion, before sign-off, in words (申诉和投诉机制)."""
    problems = lifecycle_step_problems(status, "record_objection")
    if not objection.text.strip():
        problems.append(Problem("objection_text", "企业意见不能为空。"))
    if not objection.representative.strip():
        problems.append(Problem("objection_text", "请填写提出意见的企业代表。"))
    return problems


def objection_recorder_problems(recorder: TeamMember | None, recorder_name: str) -> list[Problem]:
    """The enterprise's opinion (企业意见) is taken down by a member of the case's team, on
    their laptop; a reviewer off the team (another case's, a namesake) records nothing in
    this case. `recorder` is the acting reviewer's member of the team (by id), or None."""
    if recorder is not None:
        return []
    return [
        Problem(
            "recorder_on_team",
            f"只有本案审查组成员才能记录企业意见（当前用户：{recorder_name}，不在本案审查组）。",
        )
    ]
