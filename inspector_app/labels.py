"""The display labels (显示用语) of the domain's values and the UI's fixed words, in one place.

Each label is the Chinese word (the app is Chinese first) and is marked with
`QT_TRANSLATE_NOOP("labels", "…")`, a no-op that Qt's `lupdate` extracts into the translation
sources `resources/i18n/inspector_*.ts` (`python tools/update_translations.py`). The CLI prints
these words as they are (its output stays Chinese); the desktop app shows them through Qt's
translator (`inspector_app.ui.i18n.tr_label`), in Chinese or English.

Pure Python: no Qt here, so the CLI and the store can use the labels without loading Qt.

Not here yet: the messages of the rules (`Problem.message`, verdict explanations, built in
`inspector_app.core` with f-strings) stay Chinese in both languages for now. The core keeps its
own copy of the status and stage words for those messages (`core.model.STATUS_LABELS`,
`STAGE_LABELS`); a test keeps them equal to the labels here.
"""

from __future__ import annotations

from inspector_app.core.forms.model import (
    RESULT_CONFORM,
    RESULT_MINOR,
    RESULT_NA,
    RESULT_NONCONFORM,
)
from inspector_app.core.model import CaseStatus, Role, Stage, UnitType

CONTEXT = "labels"
"""The Qt translation context of every label (the `<context>` of the `.ts` files)."""

_MARKED: list[str] = []


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name Qt's lupdate looks for
    """Mark `text` for translation in `context` and return it unchanged.

    Qt's `lupdate` finds the calls by this name in the source; at run time the call only records
    the label, so that `all_labels()` (and the test of the translations) knows every one.
    """
    if context != CONTEXT:
        raise ValueError(f"labels are translated in the context {CONTEXT!r}, not {context!r}")
    _MARKED.append(text)
    return text


# Domain values -------------------------------------------------------------------------------

STATUS_LABELS: dict[CaseStatus, str] = {
    CaseStatus.ACCEPTED: QT_TRANSLATE_NOOP("labels", "已受理"),
    CaseStatus.TEAM_FILED: QT_TRANSLATE_NOOP("labels", "审查组已备案"),
    CaseStatus.ON_SITE_REVIEW: QT_TRANSLATE_NOOP("labels", "实地核查中"),
    CaseStatus.PASSED: QT_TRANSLATE_NOOP("labels", "核查合格"),
    CaseStatus.FAILED: QT_TRANSLATE_NOOP("labels", "核查不合格"),
    CaseStatus.SAMPLED: QT_TRANSLATE_NOOP("labels", "已抽样封样"),
    CaseStatus.SIGNED_OFF: QT_TRANSLATE_NOOP("labels", "已签发"),
}
"""Case statuses (案件状态)."""

ROLE_LABELS: dict[Role, str] = {
    Role.LEADER: QT_TRANSLATE_NOOP("labels", "组长"),
    Role.MEMBER: QT_TRANSLATE_NOOP("labels", "组员"),
}
"""Roles in the review team (审查组)."""

UNIT_TYPE_LABELS: dict[UnitType, str] = {
    UnitType.TECHNICAL_INSTITUTION: QT_TRANSLATE_NOOP("labels", "技术机构"),
    UnitType.INDUSTRY_ASSOCIATION: QT_TRANSLATE_NOOP("labels", "行业协会"),
    UnitType.PROVINCIAL_BUREAU: QT_TRANSLATE_NOOP("labels", "省级质量技术监督局"),
    UnitType.OTHER: QT_TRANSLATE_NOOP("labels", "其他"),
}
"""Kinds of unit a reviewer comes from (审查组成员来源)."""

STAGE_LABELS: dict[Stage, str] = {
    Stage.ACCEPTANCE: QT_TRANSLATE_NOOP("labels", "受理"),
    Stage.ON_SITE: QT_TRANSLATE_NOOP("labels", "实地核查"),
    Stage.INSPECTION: QT_TRANSLATE_NOOP("labels", "产品检验"),
}
"""Stages before which the feedback form (反馈表) is handed over."""

RESULT_LABELS: dict[str, str] = {
    RESULT_CONFORM: QT_TRANSLATE_NOOP("labels", "符合"),
    RESULT_MINOR: QT_TRANSLATE_NOOP("labels", "基本符合"),
    RESULT_NONCONFORM: QT_TRANSLATE_NOOP("labels", "不符合"),
    RESULT_NA: QT_TRANSLATE_NOOP("labels", "不适用"),
}
"""Checklist results (核查结论), keyed by the stored value: the form's own words, kept as is."""

# The UI's fixed words ------------------------------------------------------------------------

APP_TITLE = QT_TRANSLATE_NOOP("labels", "生产许可证实地核查")
"""The window title."""

CASE_LIST_HEADERS: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("labels", "申请编号"),
    QT_TRANSLATE_NOOP("labels", "企业名称"),
    QT_TRANSLATE_NOOP("labels", "产品单元"),
    QT_TRANSLATE_NOOP("labels", "状态"),
    QT_TRANSLATE_NOOP("labels", "核查期限"),
)
"""The column headers of the case list, in order."""

OVERDUE_MARK = QT_TRANSLATE_NOOP("labels", "（已超期）")
"""After the deadline of a case whose on-site review is overdue."""

CONCLUDED_LATE_MARK = QT_TRANSLATE_NOOP("labels", "（逾期作出结论）")
"""After the deadline of a case concluded after it."""

REVIEWER_PREFIX = QT_TRANSLATE_NOOP("labels", "审查员：")
"""Before the acting reviewer's name."""

NO_REVIEWER = QT_TRANSLATE_NOOP("labels", "未指定（只读）")
"""In place of the acting reviewer when none was named (the app only shows)."""

CASE_COUNT = QT_TRANSLATE_NOOP("labels", "共 {count} 件审查任务")
"""How many cases the list holds; fill in with `.format(count=…)` after translating."""


def all_labels() -> tuple[str, ...]:
    """Return every label marked for translation, in the order of this module."""
    return tuple(_MARKED)
