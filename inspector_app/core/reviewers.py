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
