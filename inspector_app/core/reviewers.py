"""What a reviewer of the registry (审查员名册) must carry."""

from __future__ import annotations

from inspector_app.core.errors import Problem
from inspector_app.core.model import Reviewer


def reviewer_problems(reviewer: Reviewer) -> list[Problem]:
    """A reviewer has an id, a name, a unit and a certificate number (条例 第十六条)."""
    required = {
        "id": reviewer.id,
        "姓名": reviewer.name,
        "所在单位": reviewer.unit,
        "审查员证书编号": reviewer.certificate_no,
    }
    missing = [label for label, value in required.items() if not value.strip()]
    if missing:
        return [Problem("reviewer_fields", f"审查员信息缺少：{'、'.join(missing)}。")]
    return []


def registry_kept_by_office_problems(enrolled_server: str | None) -> list[Problem]:
    """Once a workspace is enrolled with the central office, the registry (审查员名录: names,
    units, certificates, roles) comes only from the office (inspector-server user add): no
    reviewer is added or changed on the laptop. Before enrollment (a demo, a laptop working
    offline) reviewers are added by hand."""
    if enrolled_server is None:
        return []
    return [
        Problem(
            "registry_kept_by_office",
            "审查员名录由中心维护：本工作区已登记到中心，不能在本机新增或修改审查员。"
            "请中心用 inspector-server user add 登记，同步后即可使用；未做任何更改。",
        )
    ]
