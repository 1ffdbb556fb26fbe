"""Which documents a case has: their kinds and titles (no reportlab here, so the commands can
offer the choices without loading it)."""

from __future__ import annotations

from enum import StrEnum


class DocumentKind(StrEnum):
    """Which document to build."""

    FILING = "filing"  # 审查组备案表
    DECLARATION = "declaration"  # 廉洁承诺书
    ONSITE = "onsite"  # 企业实地核查报告
    SAMPLING = "sampling"  # 抽样单 / 封样记录
    FEEDBACK = "feedback"  # 反馈表
    FULL = "full"  # the whole case, for filing
    AMENDMENT = "amendment"  # 更正说明: signed by the leader after the sign-off (`inspector amend`)


TITLES = {
    DocumentKind.FILING: "审查组备案表",
    DocumentKind.DECLARATION: "廉洁承诺书",
    DocumentKind.ONSITE: "企业实地核查报告",
    DocumentKind.SAMPLING: "抽样单 / 封样记录",
    DocumentKind.FEEDBACK: "企业反馈表",
    DocumentKind.FULL: "生产许可证实地核查案卷",
    DocumentKind.AMENDMENT: "更正说明",
}

PRINTABLE = tuple(kind for kind in DocumentKind if kind != DocumentKind.AMENDMENT)
"""The documents `build_document` prints from the case alone; an amendment is issued and
signed by the leader (`inspector_app.reports.amendment`)."""
