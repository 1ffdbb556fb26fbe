"""The case (审查任务) and the kinds the display labels name (its status, a member's role, a
reviewer's unit, a feedback stage): what the app reads to paint its case list.

Apart from the other records (`inspector_app.core.model`, which re-exports every name here), so
that the case list is painted before those are built: building a frozen dataclass compiles its
methods, some 0.6 ms a class at every start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class CaseStatus(StrEnum):
    """Where a case stands in its lifecycle."""

    ACCEPTED = "accepted"  # 已受理
    TEAM_FILED = "team_filed"  # 审查组已备案
    ON_SITE_REVIEW = "on_site_review"  # 实地核查中
    PASSED = "passed"  # 核查合格
    FAILED = "failed"  # 核查不合格
    SAMPLED = "sampled"  # 已抽样封样
    SIGNED_OFF = "signed_off"  # 已签发


class Role(StrEnum):
    """A member's role in the review team."""

    LEADER = "leader"  # 组长
    MEMBER = "member"  # 组员


class UnitType(StrEnum):
    """The kind of unit a reviewer comes from (审查组成员来源)."""

    TECHNICAL_INSTITUTION = "technical_institution"  # 技术机构
    INDUSTRY_ASSOCIATION = "industry_association"  # 行业协会
    PROVINCIAL_BUREAU = "provincial_bureau"  # 省级质量技术监督局
    OTHER = "other"  # 其他


class Stage(StrEnum):
    """The stages before which the feedback form (反馈表) is handed over."""

    ACCEPTANCE = "acceptance"  # 受理
    ON_SITE = "on_site"  # 实地核查
    INSPECTION = "inspection"  # 产品检验


@dataclass(frozen=True)
class Case:
    """A review case (审查任务): one application of one enterprise for one product unit."""

    id: str
    application_no: str
    enterprise_id: str
    product: str
    product_unit: str
    form_id: str
    form_version: int
    accepted_on: date  # 受理日期
    review_date: date  # planned first day on site
    status: CaseStatus = CaseStatus.ACCEPTED
    qualified_agencies: tuple[str, ...] = ()  # 有资质的检验机构
    review_started_at: datetime | None = None
    concluded_at: datetime | None = None
