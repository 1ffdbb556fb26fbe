"""Case intake (受理): what a new case must carry, and the enterprise's objection (异议)."""

from __future__ import annotations

from inspector_app.core.credit_code import credit_code_problems
from inspector_app.core.errors import Problem
from inspector_app.core.lifecycle import lifecycle_step_problems
from inspector_app.core.model import Case, CaseStatus, Enterprise, EnterpriseObjection


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


def objection_problems(status: CaseStatus, objection: EnterpriseObjection) -> list[Problem]:
    """The enterprise objects to a conclusion, before sign-off, in words (申诉和投诉机制)."""
    problems = lifecycle_step_problems(status, "record_objection")
    if not objection.text.strip():
        problems.append(Problem("objection_text", "企业意见不能为空。"))
    if not objection.representative.strip():
        problems.append(Problem("objection_text", "请填写提出意见的企业代表。"))
    return problems
