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

from inspector_app.core.case_record import CaseStatus, Role, Stage, UnitType
from inspector_app.core.forms.results import (
    RESULT_CONFORM,
    RESULT_MINOR,
    RESULT_NA,
    RESULT_NONCONFORM,
)

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

DAMAGED_RECORD = QT_TRANSLATE_NOOP("labels", "记录已损坏")
"""In place of the status of a case whose stored record cannot be read (its tooltip says why)."""

REVIEWER_PREFIX = QT_TRANSLATE_NOOP("labels", "审查员：")
"""Before the acting reviewer's name."""

NO_REVIEWER = QT_TRANSLATE_NOOP("labels", "未指定（只读）")
"""In place of the acting reviewer when none was named (the app only shows)."""

CASE_COUNT = QT_TRANSLATE_NOOP("labels", "共 {count} 件审查任务")
"""How many cases the list holds; fill in with `.format(count=…)` after translating."""

REVIEWER_NAME_UNIT = QT_TRANSLATE_NOOP("labels", "{name}（{unit}）")
"""The signed-in reviewer: the name, then the unit that tells namesakes apart."""

SUMMARY_LINE = QT_TRANSLATE_NOOP("labels", "{reviewer}　{count}")
"""The line above the case list: who is signed in, then how many cases it shows."""

CASE_COUNT_SHOWN = QT_TRANSLATE_NOOP("labels", "显示 {shown} 件，共 {count} 件审查任务")
"""How many cases a filtered list shows; fill in with `.format(shown=…, count=…)`."""

CASE_TABLE_NAME = QT_TRANSLATE_NOOP("labels", "审查任务列表")
"""The accessible name of the case table."""

# The case list's search, filters and order.

SEARCH_PLACEHOLDER = QT_TRANSLATE_NOOP("labels", "搜索企业名称、申请编号或产品")
"""Inside the empty search box."""

SEARCH_NAME = QT_TRANSLATE_NOOP("labels", "搜索案件")
"""The accessible name of the search box."""

ALL_STATUSES = QT_TRANSLATE_NOOP("labels", "全部状态")
"""The status filter's first choice: no filter."""

STATUS_FILTER_NAME = QT_TRANSLATE_NOOP("labels", "按状态筛选")
"""The accessible name of the status filter."""

MINE_ONLY = QT_TRANSLATE_NOOP("labels", "只看我参加的(&M)")
"""The check box that lists only the cases whose team includes the signed-in reviewer."""

MINE_NEEDS_SIGN_IN = QT_TRANSLATE_NOOP("labels", "登录后才能只看自己参加的案件。")
"""Why "mine" is disabled while nobody is signed in."""

URGENT_FIRST = QT_TRANSLATE_NOOP("labels", "紧急的排在前面(&U)")
"""The check box that lists overdue and late-concluded cases first."""

URGENT_FIRST_TIP = QT_TRANSLATE_NOOP("labels", "已超期和逾期作出结论的案件排在最前面。")
"""What "urgent first" does."""

# Menus and actions.

FILE_MENU = QT_TRANSLATE_NOOP("labels", "文件(&F)")
"""The File menu."""

TOOLBAR_NAME = QT_TRANSLATE_NOOP("labels", "工具栏")
"""The tool bar's name (its accessible name, and in the context menu of tool bars)."""

IMPORT_ACTION = QT_TRANSLATE_NOOP("labels", "导入案件文件(&I)…")
"""Import a case file (a menu item and a tool bar button)."""

IMPORT_TIP = QT_TRANSLATE_NOOP(
    "labels", "导入一个案件文件（.json），按规则逐步重放；也可把文件拖到窗口上。"
)
"""What importing does."""

IMPORT_NEEDS_SIGN_IN = QT_TRANSLATE_NOOP(
    "labels", "导入需要登录的审查员：请先登录（文件 → 登录/切换审查员）。"
)
"""Why importing is disabled while nobody is signed in."""

IMPORT_BUSY = QT_TRANSLATE_NOOP("labels", "正在导入另一个文件，请等它完成。")
"""Why importing is disabled while an import runs."""

SIGN_IN_ACTION = QT_TRANSLATE_NOOP("labels", "登录/切换审查员(&S)…")
"""Open the sign-in dialog."""

REFRESH_ACTION = QT_TRANSLATE_NOOP("labels", "刷新列表(&R)")
"""Read the case list again."""

QUIT_ACTION = QT_TRANSLATE_NOOP("labels", "退出(&Q)")
"""Close the app."""

FIND_ACTION = QT_TRANSLATE_NOOP("labels", "查找(&F)")
"""Go to the search box."""

# Importing a case file.

IMPORT_DIALOG_TITLE = QT_TRANSLATE_NOOP("labels", "导入案件文件")
"""The title of the file dialog and of the message about an import."""

CASE_FILE_FILTER = QT_TRANSLATE_NOOP("labels", "案件文件 (*.json)")
"""The file dialog's filter."""

IMPORTING = QT_TRANSLATE_NOOP("labels", "正在导入 {name}…")
"""While an import runs; fill in with `.format(name=…)`."""

IMPORTED = QT_TRANSLATE_NOOP("labels", "已导入案件 {application_no}（{name}）")
"""After an import; fill in with `.format(application_no=…, name=…)`."""

IMPORT_REFUSED = QT_TRANSLATE_NOOP("labels", "未导入 {name}，工作区未作任何更改：{message}")
"""A refused import; `message` is the domain's (Chinese) reason."""

IMPORT_UNREADABLE = QT_TRANSLATE_NOOP("labels", "无法读取文件：{reason}")
"""The case file could not be read from the disk; fill in with `.format(reason=…)`."""

IMPORT_UNEXPECTED = QT_TRANSLATE_NOOP("labels", "导入时发生意外错误（{kind}）：{message}")
"""An error that is a bug, not the file's fault; the import's transaction was rolled back."""

DROP_ONLY_CASE_FILES = QT_TRANSLATE_NOOP("labels", "只能把一个案件文件（.json）拖到窗口上。")
"""A drop of something else (several files, another kind of file)."""

# Signing in.

SIGN_IN_TITLE = QT_TRANSLATE_NOOP("labels", "登录：选择审查员")
"""The sign-in dialog's title."""

SIGN_IN_PROMPT = QT_TRANSLATE_NOOP(
    "labels", "您是哪一位审查员？同名的审查员请按所在单位和证书编号区分。"
)
"""Above the list of reviewers."""

SIGN_IN_EMPTY = QT_TRANSLATE_NOOP(
    "labels", "本工作区的审查员名册是空的（可用 inspector reviewer add 登记），只能只读继续。"
)
"""When the registry has nobody to sign in as."""

REVIEWER_HEADERS: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("labels", "姓名"),
    QT_TRANSLATE_NOOP("labels", "所在单位"),
    QT_TRANSLATE_NOOP("labels", "证书编号"),
)
"""The columns of the sign-in list."""

REVIEWER_LIST_NAME = QT_TRANSLATE_NOOP("labels", "审查员名册")
"""The accessible name of the sign-in list."""

SIGN_IN_BUTTON = QT_TRANSLATE_NOOP("labels", "登录(&L)")
"""Sign in as the chosen reviewer."""

READ_ONLY_BUTTON = QT_TRANSLATE_NOOP("labels", "只读继续(&R)")
"""Go on without signing in: the app only shows."""

# The case window and its steps.

CASE_WINDOW_TITLE = QT_TRANSLATE_NOOP("labels", "{application_no} {enterprise}")
"""The case window's title; fill in with `.format(application_no=…, enterprise=…)`."""

CASE_HEADER = QT_TRANSLATE_NOOP(
    "labels", "{application_no}　{enterprise}　{product_unit}　状态：{status}"
)
"""The first line of the case window."""

CASE_DEADLINE = QT_TRANSLATE_NOOP("labels", "实地核查期限：{deadline}（受理日 {accepted}）")
"""The on-site deadline line of the case window."""

NO_ALERTS = QT_TRANSLATE_NOOP("labels", "无提醒")
"""In place of the alerts when the case has none."""

CASE_STEP_LABELS: dict[str, str] = {
    "intake": QT_TRANSLATE_NOOP("labels", "企业与申请"),
    "team": QT_TRANSLATE_NOOP("labels", "审查组"),
    "feedback": QT_TRANSLATE_NOOP("labels", "反馈表"),
    "on_site": STAGE_LABELS[Stage.ON_SITE],  # the same word, marked once
    "sampling": QT_TRANSLATE_NOOP("labels", "抽样封样"),
    "objection": QT_TRANSLATE_NOOP("labels", "企业意见"),
    "sign_off": QT_TRANSLATE_NOOP("labels", "签字"),
}
"""The steps of a case, keyed by `core.case_steps.StepKey` values."""

STEP_STATE_LABELS: dict[str, str] = {
    "done": QT_TRANSLATE_NOOP("labels", "已完成"),
    "blocked": QT_TRANSLATE_NOOP("labels", "暂不能进行"),
    "to_do": QT_TRANSLATE_NOOP("labels", "待办"),
}
"""How a step stands, keyed by `core.case_steps.StepState` values."""

STEP_LIST_NAME = QT_TRANSLATE_NOOP("labels", "案件步骤")
"""The accessible name of the list of steps."""

STEP_LINE = QT_TRANSLATE_NOOP("labels", "{step}：{state}")
"""One step in the list of steps."""

STEP_NOT_HERE_YET = QT_TRANSLATE_NOOP("labels", "此步骤的页面尚未完成，这里只显示它的状态。")
"""On the page of a step whose screen is not built yet."""

CLOSE_ACTION = QT_TRANSLATE_NOOP("labels", "关闭(&C)")
"""Close the case window."""

# The checklist page.

CHECKLIST_HEADERS: tuple[str, ...] = (
    QT_TRANSLATE_NOOP("labels", "核查项目"),
    QT_TRANSLATE_NOOP("labels", "结论"),
)
"""The columns of the checklist tree."""

CHECKLIST_TREE_NAME = QT_TRANSLATE_NOOP("labels", "核查项目列表")
"""The accessible name of the checklist tree."""

NO_RESULT = QT_TRANSLATE_NOOP("labels", "未核查")
"""An item without a result."""

VETO_MARK = QT_TRANSLATE_NOOP("labels", "【否决项】")
"""Before the requirement of a veto item."""

FILTER_ALL = QT_TRANSLATE_NOOP("labels", "全部项目")
"""The checklist filter: every item."""

FILTER_UNANSWERED = QT_TRANSLATE_NOOP("labels", "未核查的")
"""The checklist filter: items without a result."""

FILTER_FINDINGS = QT_TRANSLATE_NOOP("labels", "不符合/基本符合")
"""The checklist filter: items judged 不符合 or 基本符合."""

FILTER_MINE = QT_TRANSLATE_NOOP("labels", "我记录的")
"""The checklist filter: items whose result the signed-in reviewer recorded."""

FILTER_NAME = QT_TRANSLATE_NOOP("labels", "筛选核查项目")
"""The accessible name of the checklist filter."""

GOTO_PLACEHOLDER = QT_TRANSLATE_NOOP("labels", "转到项目编号（Ctrl+G）")
"""Inside the empty "go to item" box."""

GOTO_UNKNOWN = QT_TRANSLATE_NOOP("labels", "核查表中没有项目 {code}。")
"""When "go to item" names no item; fill in with `.format(code=…)`."""

NEXT_UNANSWERED = QT_TRANSLATE_NOOP("labels", "下一未核查项(&N)")
"""Go to the next item without a result (also the N key in the tree)."""

ALL_ANSWERED = QT_TRANSLATE_NOOP("labels", "所有项目都已核查。")
"""When "next unanswered" finds none."""

PROGRESS = QT_TRANSLATE_NOOP("labels", "已核查 {recorded} / {total} 项")
"""The checklist's progress; fill in with `.format(recorded=…, total=…)`."""

VERDICT_LINE = QT_TRANSLATE_NOOP("labels", "当前结论：{verdict}")
"""The live verdict with its reason (the reason is the domain's words)."""

ITEM_HEADING = QT_TRANSLATE_NOOP("labels", "第 {code} 项")
"""The heading of the item shown; fill in with `.format(code=…)`."""

REQUIREMENT_LABEL = QT_TRANSLATE_NOOP("labels", "核查内容：")
"""Before the item's requirement."""

GUIDANCE_LABEL = QT_TRANSLATE_NOOP("labels", "核查方法：")
"""Before the item's guidance."""

CLAUSE_LABEL = QT_TRANSLATE_NOOP("labels", "依据条款：")
"""Before the item's clause."""

RESULT_BUTTON = QT_TRANSLATE_NOOP("labels", "{key} {result}")
"""A result button: its number key, then the result."""

NOTE_LABEL = QT_TRANSLATE_NOOP("labels", "说明：")
"""Before the note editor."""

NOTE_NAME = QT_TRANSLATE_NOOP("labels", "核查说明")
"""The accessible name of the note editor."""

REQUIRES_LINE = QT_TRANSLATE_NOOP("labels", "判为「{result}」须附：{what}")
"""What a result demands; fill in with `.format(result=…, what=…)`."""

REQUIRES_NOTE = QT_TRANSLATE_NOOP("labels", "说明")
"""A result demands a note."""

REQUIRES_PHOTO = QT_TRANSLATE_NOOP("labels", "照片")
"""A result demands a photo."""

ADD_PHOTO = QT_TRANSLATE_NOOP("labels", "添加照片(&P)…")
"""Attach a photo to the item."""

PHOTO_COUNT = QT_TRANSLATE_NOOP("labels", "照片 {count} 张")
"""How many photos the item has; fill in with `.format(count=…)`."""

PHOTO_DIALOG_TITLE = QT_TRANSLATE_NOOP("labels", "添加照片")
"""The title of the photo file dialog."""

PHOTO_FILTER = QT_TRANSLATE_NOOP("labels", "图片 (*.jpg *.jpeg *.png)")
"""The photo file dialog's filter."""

ASSESSED_BY = QT_TRANSLATE_NOOP("labels", "评定人：{name}（{unit}），{at}")
"""Who recorded the item's result, and when."""

SAVED = QT_TRANSLATE_NOOP("labels", "已保存第 {code} 项：{result}")
"""After a result or note was saved."""

READ_ONLY_NOT_SIGNED_IN = QT_TRANSLATE_NOOP(
    "labels", "只读：记录核查结果需要登录的审查员（主窗口：文件 → 登录/切换审查员）。"
)
"""Why the checklist cannot be edited while nobody is signed in."""

READ_ONLY_REASON = QT_TRANSLATE_NOOP("labels", "只读：{reason}")
"""Why the checklist cannot be edited (the domain's reason)."""


# Creating a case by hand and the team step.

NEW_CASE_ACTION = QT_TRANSLATE_NOOP("labels", "新建案件(&N)…")
"""Open the dialog that records a new case by hand (a menu item and a tool bar button)."""

NEW_CASE_TIP = QT_TRANSLATE_NOOP(
    "labels", "手工登记一件已受理的申请：企业、申请编号、产品单元和日期。"
)
"""What "new case" does."""

NEW_CASE_NEEDS_SIGN_IN = QT_TRANSLATE_NOOP(
    "labels", "新建案件需要登录的审查员：请先登录（文件 → 登录/切换审查员）。"
)
"""Why "new case" is disabled while nobody is signed in."""

NEW_CASE_TITLE = QT_TRANSLATE_NOOP("labels", "新建案件")
"""The title of the new-case dialog."""

NEW_CASE_CREATED = QT_TRANSLATE_NOOP("labels", "已新建案件 {application_no}（{enterprise}）")
"""After a new case is stored; fill in with `.format(application_no=…, enterprise=…)`."""

ENTERPRISE_GROUP = QT_TRANSLATE_NOOP("labels", "申请企业")
"""The group of the enterprise's fields."""

APPLICATION_GROUP = QT_TRANSLATE_NOOP("labels", "申请")
"""The group of the application's fields."""

ENTERPRISE_NAME_FIELD = QT_TRANSLATE_NOOP("labels", "企业名称(&E)")
"""The enterprise's name."""

CREDIT_CODE_FIELD = QT_TRANSLATE_NOOP("labels", "统一社会信用代码(&C)")
"""The enterprise's unified social credit code."""

CREDIT_CODE_OK = QT_TRANSLATE_NOOP("labels", "校验通过")
"""Next to a credit code that passes the check."""

ADDRESS_FIELD = QT_TRANSLATE_NOOP("labels", "地址(&D)")
"""The enterprise's address."""

CONTACT_FIELD = QT_TRANSLATE_NOOP("labels", "联系人(&P)")
"""The enterprise's contact person."""

PHONE_FIELD = QT_TRANSLATE_NOOP("labels", "联系电话(&T)")
"""The enterprise's phone."""

APPLICATION_NO_FIELD = QT_TRANSLATE_NOOP("labels", "申请编号(&A)")
"""The application number."""

PRODUCT_FIELD = QT_TRANSLATE_NOOP("labels", "产品名称(&R)")
"""The product applied for."""

PRODUCT_UNIT_FIELD = QT_TRANSLATE_NOOP("labels", "产品单元(&U)")
"""The product unit, which picks the checklist form."""

PRODUCT_UNIT_CHOICE = QT_TRANSLATE_NOOP("labels", "{unit} — {title}（第 {version} 版）")
"""One choice of the product unit combo; fill in with `.format(unit=…, title=…, version=…)`."""

NO_FORMS = QT_TRANSLATE_NOOP(
    "labels", "工作区中没有已安装的核查表（inspector forms import 可导入），无法新建案件。"
)
"""When no form is installed."""

ACCEPTED_ON_FIELD = QT_TRANSLATE_NOOP("labels", "受理日期(&O)")
"""The acceptance date."""

REVIEW_DATE_FIELD = QT_TRANSLATE_NOOP("labels", "计划核查日期(&V)")
"""The planned first day on site."""

AGENCIES_FIELD = QT_TRANSLATE_NOOP("labels", "有资质的检验机构(&G)")
"""The qualified inspection agencies."""

AGENCIES_HINT = QT_TRANSLATE_NOOP("labels", "每行一个检验机构")
"""Inside the empty agencies box."""

NOT_SAVED = QT_TRANSLATE_NOOP("labels", "未保存，工作区未作任何更改：")
"""Before the domain's reasons for a refusal."""

TEAM_STEP_TITLE = QT_TRANSLATE_NOOP("labels", "审查组：{application_no}　{enterprise}")
"""The heading of the team step; fill in with `.format(application_no=…, enterprise=…)`."""

TEAM_HEADERS_ROLE = QT_TRANSLATE_NOOP("labels", "角色")
"""The role column of the team table."""

TEAM_HEADERS_DECLARATION = QT_TRANSLATE_NOOP("labels", "廉洁承诺")
"""The declaration column of the team table."""

TEAM_TABLE_NAME = QT_TRANSLATE_NOOP("labels", "审查组成员")
"""The accessible name of the team table."""

DECLARATION_SIGNED = QT_TRANSLATE_NOOP("labels", "已签署")
"""A member's signed integrity declaration."""

DECLARATION_UNSIGNED = QT_TRANSLATE_NOOP("labels", "未签署")
"""A member's integrity declaration not signed yet."""

PICK_REVIEWER = QT_TRANSLATE_NOOP("labels", "审查员(&W)")
"""The picker of reviewers from the registry."""

PICK_REVIEWER_CHOICE = QT_TRANSLATE_NOOP("labels", "{name}（{unit}，证书 {certificate}）")
"""One reviewer in the picker; fill in with `.format(name=…, unit=…, certificate=…)`."""

PICK_ROLE = QT_TRANSLATE_NOOP("labels", "角色(&L)")
"""The role of the member being added."""

ADD_MEMBER = QT_TRANSLATE_NOOP("labels", "加入审查组(&J)")
"""Add the picked reviewer to the team."""

COMPOSITION_OK = QT_TRANSLATE_NOOP("labels", "审查组组成符合要求。")
"""When the composition has no error and no warning."""

COMPOSITION_ERROR = QT_TRANSLATE_NOOP("labels", "错误：{message}")
"""One composition error; `message` is the domain's (Chinese)."""

COMPOSITION_WARNING = QT_TRANSLATE_NOOP("labels", "提醒：{message}")
"""One composition warning; `message` is the domain's (Chinese)."""

FILING_NONE = QT_TRANSLATE_NOOP("labels", "尚未备案。")
"""The team has never been filed."""

FILING_CURRENT = QT_TRANSLATE_NOOP("labels", "已备案（{filed_at}）。")
"""The team as it is now is filed; fill in with `.format(filed_at=…)`."""

FILING_VOID = QT_TRANSLATE_NOOP("labels", "备案已失效：审查组在备案后有变动，请重新备案。")
"""A change of the team voided its filing."""

FILE_TEAM = QT_TRANSLATE_NOOP("labels", "备案(&F)")
"""File the team with the central office."""

FILE_TEAM_AGAIN = QT_TRANSLATE_NOOP("labels", "重新备案(&F)")
"""File the team again after a change voided the filing."""

DECLARATION_GROUP = QT_TRANSLATE_NOOP("labels", "我的廉洁承诺")
"""The group where the signed-in member signs their own declaration."""

PROMISE_NO_CONSULTING = QT_TRANSLATE_NOOP("labels", "不参与有偿咨询")
"""The first promise of the integrity declaration."""

PROMISE_NO_PART_TIME = QT_TRANSLATE_NOOP("labels", "不在被审查企业兼职")
"""The second promise."""

PROMISE_NO_GIFTS = QT_TRANSLATE_NOOP("labels", "不索取、收受财物和不正当利益")
"""The third promise."""

SIGN_DECLARATION = QT_TRANSLATE_NOOP("labels", "签署廉洁承诺(&S)")
"""Sign the signed-in member's own declaration."""

DECLARATION_NOT_MEMBER = QT_TRANSLATE_NOOP(
    "labels", "只有审查组成员本人才能签署自己的廉洁承诺；您不是本审查组成员。"
)
"""Why signing is disabled for someone off the team."""

DECLARATION_DONE = QT_TRANSLATE_NOOP("labels", "您已签署廉洁承诺（{signed_at}）。")
"""The signed-in member has signed; fill in with `.format(signed_at=…)`."""

DECLARATION_TICK_ALL = QT_TRANSLATE_NOOP("labels", "请勾选全部三项承诺后签署。")
"""Why signing is disabled until all three promises are ticked."""

TEAM_NEEDS_SIGN_IN = QT_TRANSLATE_NOOP("labels", "更改审查组需要登录的审查员：请先登录。")
"""Why the team step's actions are disabled while nobody is signed in."""


# --- sampling page ---

SAMPLING_TITLE = QT_TRANSLATE_NOOP("labels", "抽样封样：{application_no}　{enterprise}")
"""The heading of the sampling page; fill in with `.format(application_no=…, enterprise=…)`."""

SAMPLING_LOCKED = QT_TRANSLATE_NOOP("labels", "暂不能抽样封样：{reason}")
"""The sampling page while the domain forbids sampling; `reason` is the domain's."""

SAMPLING_NEEDS_SIGN_IN = QT_TRANSLATE_NOOP(
    "labels", "只读：记录抽样单需要登录的审查员（主窗口：文件 → 登录/切换审查员）。"
)
"""Why the sampling form cannot be saved while nobody is signed in."""

SAMPLE_GROUP = QT_TRANSLATE_NOOP("labels", "抽样单")
"""The group of the sampling record's fields."""

SAMPLE_FIELD_LABELS: dict[str, str] = {
    "product_name": QT_TRANSLATE_NOOP("labels", "产品名称(&N)"),
    "model_spec": QT_TRANSLATE_NOOP("labels", "型号规格(&M)"),
    "batch_no": QT_TRANSLATE_NOOP("labels", "批号或生产日期(&B)"),
    "base_quantity": QT_TRANSLATE_NOOP("labels", "抽样基数(&Q)"),
    "sample_quantity": QT_TRANSLATE_NOOP("labels", "样品数量(&U)"),
    "reserve_quantity": QT_TRANSLATE_NOOP("labels", "备样数量(&V)"),
    "sampling_place": QT_TRANSLATE_NOOP("labels", "抽样地点(&L)"),
    "sampled_at": QT_TRANSLATE_NOOP("labels", "抽样时间(&T)"),
    "samplers": QT_TRANSLATE_NOOP("labels", "抽样人"),
    "enterprise_representative": QT_TRANSLATE_NOOP("labels", "企业代表(&E)"),
    "agency": QT_TRANSLATE_NOOP("labels", "检验机构(&I)"),
}
"""The sampling record's fields, keyed by `SampleRecord` attribute (samplers: `sampler_ids`)."""

SAMPLER_CHOICE = REVIEWER_NAME_UNIT
"""One team member among the samplers (namesakes told apart by unit; the same words)."""

AGENCY_GROUP = QT_TRANSLATE_NOOP("labels", "检验机构（由企业选择）")
"""The group of the inspection agency."""

AGENCY_PLACEHOLDER = QT_TRANSLATE_NOOP("labels", "请企业从有资质的检验机构中选择")
"""The agency picker before the enterprise has chosen (nothing is preselected)."""

AGENCY_CHOSEN_BY_ENTERPRISE = QT_TRANSLATE_NOOP(
    "labels", "企业已自行选择该检验机构（审查组未指定）(&C)"
)
"""The confirmation that the enterprise chose the agency."""

ONSITE_TESTING = QT_TRANSLATE_NOOP("labels", "检验机构到现场检验，不送样(&O)")
"""The agency tests on site (条例第十九条)."""

SEND_BY = QT_TRANSLATE_NOOP("labels", "样品送达期限：{date}（封样之日起 7 日内送达检验机构）")
"""The date by which the sealed samples reach the agency."""

SEND_BY_OVERDUE = QT_TRANSLATE_NOOP("labels", "样品送达期限：{date}（已逾期）")
"""A send-by date that has passed."""

SEND_BY_ONSITE = QT_TRANSLATE_NOOP("labels", "检验机构现场检验，无需送样。")
"""In place of the send-by date when the agency tests on site."""

SEAL_GROUP = QT_TRANSLATE_NOOP("labels", "封条")
"""The group of the seals."""

SEAL_NUMBER = QT_TRANSLATE_NOOP("labels", "封条编号")
"""The seal number field (封条编号)."""

ADD_SEAL = QT_TRANSLATE_NOOP("labels", "添加封条(&A)")
"""Add a seal with the number typed."""

REMOVE_SEAL = QT_TRANSLATE_NOOP("labels", "删除")
"""Remove a seal from the form."""

SEAL_PHOTO_BUTTON = QT_TRANSLATE_NOOP("labels", "照片…")
"""Choose the photo of one seal."""

SEAL_NO_PHOTO = QT_TRANSLATE_NOOP("labels", "无照片\n可拖放到此")
"""In place of a seal's thumbnail before a photo is added."""

SEAL_PHOTO_READING = QT_TRANSLATE_NOOP("labels", "正在读取…")
"""While a photo is checked and stored in the background."""

SEAL_NONE = QT_TRANSLATE_NOOP(
    "labels", "尚未添加封条：输入封条编号后点“添加封条”，再为每个封条添加照片。"
)
"""The seal list while it is empty."""

SEAL_DROP_ONE = QT_TRANSLATE_NOOP("labels", "请拖放一张照片（JPEG 或 PNG 文件）。")
"""When a drop on a seal is not exactly one local file."""

SAVE_SAMPLE = QT_TRANSLATE_NOOP("labels", "保存抽样单(&S)")
"""Save the sampling record with its seals."""

SAMPLE_RECORDED = QT_TRANSLATE_NOOP("labels", "已记录的抽样单（只读）")
"""The heading of a saved sampling record."""

SAMPLE_SEAL_LINE = QT_TRANSLATE_NOOP("labels", "封条编号：{seal_no}")
"""One recorded seal."""

AGENCY_CHOSEN_YES = QT_TRANSLATE_NOOP("labels", "{agency}（企业自行选择）")
"""A recorded agency, chosen by the enterprise."""
# --- enterprise feedback form (sealed) ---

FEEDBACK_FILL_TITLE = QT_TRANSLATE_NOOP("labels", "企业填写反馈表 — {stage}")
"""The title of the enterprise's own feedback screen; `.format(stage=…)`."""

FEEDBACK_FILL_INTRO = QT_TRANSLATE_NOOP(
    "labels",
    "本表由企业人员填写。提交后内容即加密密封，只有许可证审查中心能够打开；审查组无法查看或修改。",
)
"""What the enterprise is told before filling in the form."""

FEEDBACK_YES = QT_TRANSLATE_NOOP("labels", "是")
"""The answer yes to a feedback question."""

FEEDBACK_NO = QT_TRANSLATE_NOOP("labels", "否")
"""The answer no to a feedback question."""

FEEDBACK_RESPONDENT = QT_TRANSLATE_NOOP("labels", "填表人（企业人员）")
"""The field naming who filled the form for the enterprise."""

FEEDBACK_SEAL = QT_TRANSLATE_NOOP("labels", "提交并密封(&S)")
"""The button that seals the filled form."""

FEEDBACK_SEALED = QT_TRANSLATE_NOOP(
    "labels", "{stage}阶段的反馈表已由企业填写并密封（{sealed_at}），审查组无法查看。"
)
"""What the team sees of a sealed form; `.format(stage=…, sealed_at=…)`."""

FEEDBACK_FILL_BUTTON = QT_TRANSLATE_NOOP("labels", "请企业填写反馈表…")
"""The team's button that hands the laptop to the enterprise for its feedback form."""


# --- sync panel ---

SYNC_BUTTON = QT_TRANSLATE_NOOP("labels", "同步(&Y)")
"""The button that syncs with the central office now."""

SYNC_ONLINE = QT_TRANSLATE_NOOP("labels", "● 中心在线")
"""The office can be reached."""

SYNC_OFFLINE = QT_TRANSLATE_NOOP("labels", "○ 离线")
"""The office cannot be reached (the app works on)."""

SYNC_NOT_ENROLLED = QT_TRANSLATE_NOOP("labels", "未登记到中心")
"""The workspace is not enrolled with an office (`inspector enroll`)."""

SYNC_PENDING = QT_TRANSLATE_NOOP("labels", "待上传 {count} 项")
"""How many changes wait in the queue; `.format(count=…)`."""

SYNC_LAST = QT_TRANSLATE_NOOP("labels", "上次同步：{when}")
"""When the last sync ended; `.format(when=…)`."""

SYNC_NEVER = QT_TRANSLATE_NOOP("labels", "尚未同步")
"""No sync yet."""

SYNC_RUNNING = QT_TRANSLATE_NOOP("labels", "正在同步…")
"""A sync is running in the background."""

SYNC_DONE = QT_TRANSLATE_NOOP(
    "labels", "同步完成：上传 {pushed} 项，下载 {pulled} 项，冲突 {conflicts} 项"
)
"""The outcome of a sync; `.format(pushed=…, pulled=…, conflicts=…)`."""

SYNC_FAILED = QT_TRANSLATE_NOOP("labels", "同步未完成：{reason}")
"""Why a sync did not finish (the queue is kept); `.format(reason=…)`."""

SYNC_PASSPHRASE_TITLE = QT_TRANSLATE_NOOP("labels", "同步口令")
"""The title of the passphrase prompt."""

SYNC_PASSPHRASE_PROMPT = QT_TRANSLATE_NOOP(
    "labels", "请输入登记审查员的口令（与签名身份共用，用于打开本机的同步令牌）："
)
"""The passphrase prompt; the passphrase is kept in memory for this session only."""

SYNC_CANCEL = QT_TRANSLATE_NOOP("labels", "取消同步")
"""Cancel a sync that has not started yet, or stop after the current batch."""
# --- signatures page ---

SIGNATURES_TITLE = QT_TRANSLATE_NOOP("labels", "手写签名：{application_no}　{enterprise}")
"""The heading of the signatures page; fill in with `.format(application_no=…, enterprise=…)`."""

DOCUMENT_KIND_LABELS = {
    "filing": QT_TRANSLATE_NOOP("labels", "审查组备案表"),
    "declaration": QT_TRANSLATE_NOOP("labels", "廉洁承诺书"),
    "onsite": QT_TRANSLATE_NOOP("labels", "企业实地核查报告"),
    "sampling": QT_TRANSLATE_NOOP("labels", "抽样单 / 封样记录"),
    "feedback": QT_TRANSLATE_NOOP("labels", "企业反馈表"),
    "full": QT_TRANSLATE_NOOP("labels", "生产许可证实地核查案卷"),
}
"""The printable documents as the 生成文书 menu lists them, by `DocumentKind` value (the
documents themselves are Chinese)."""

SIGNED_DOCUMENT_LABELS: dict[str, str] = {
    kind: DOCUMENT_KIND_LABELS[kind] for kind in ("filing", "declaration", "onsite", "sampling")
}
"""The documents signed by hand, keyed by `core.hand_signature.SignedDocument` values."""

SIGNATURE_HEADERS = (
    QT_TRANSLATE_NOOP("labels", "文书"),
    QT_TRANSLATE_NOOP("labels", "签字人"),
    QT_TRANSLATE_NOOP("labels", "单位"),
    QT_TRANSLATE_NOOP("labels", "签字情况"),
)
"""The columns of the table of signature lines."""

SIGNATURES_TABLE_NAME = QT_TRANSLATE_NOOP("labels", "各文书的签字人及签字情况")
"""The accessible name of the table of signature lines."""

SIGNER_REPRESENTATIVE = QT_TRANSLATE_NOOP("labels", "企业代表")
"""The enterprise's representative as a signer."""

SIGNER_REPRESENTATIVE_NAMED = QT_TRANSLATE_NOOP("labels", "企业代表：{name}")
"""The representative named by a record; fill in with `.format(name=…)`."""

SIGNER_MEMBER_CHOICE = REVIEWER_NAME_UNIT
"""A member in the signer picker: name and unit (two may share a name)."""

SIGNATURE_SIGNED = QT_TRANSLATE_NOOP("labels", "已签（{signed_at}）")
"""A signed line; fill in with `.format(signed_at=…)`."""

SIGNATURE_MISSING = QT_TRANSLATE_NOOP("labels", "未签")
"""A line not signed yet."""

PICK_DOCUMENT = QT_TRANSLATE_NOOP("labels", "签署的文书(&D)")
"""The picker of the document to sign."""

PICK_SIGNER = QT_TRANSLATE_NOOP("labels", "签字人(&W)")
"""The picker of who signs (a member by id, or the enterprise's representative)."""

REPRESENTATIVE_NAME = QT_TRANSLATE_NOOP("labels", "企业代表姓名(&N)")
"""The name the enterprise's representative signs under."""

SIGNATURE_PAD_NAME = QT_TRANSLATE_NOOP("labels", "签名板")
"""The accessible name of the signature pad."""

SIGNATURE_PAD_HINT = QT_TRANSLATE_NOOP(
    "labels", "请在此处签名：鼠标、手写笔或手指均可；Delete 键清除。"
)
"""What the empty pad says, and its accessible description."""

CLEAR_SIGNATURE = QT_TRANSLATE_NOOP("labels", "清除(&C)")
"""Clear the pad."""

SAVE_SIGNATURE = QT_TRANSLATE_NOOP("labels", "保存签名(&S)")
"""Save the drawing as the chosen signer's signature on the chosen document."""

SIGNATURE_SAVED = QT_TRANSLATE_NOOP("labels", "已保存{signer}在“{document}”上的签名。")
"""After a save; fill in with `.format(signer=…, document=…)`."""

SIGNATURES_NEED_SIGN_IN = QT_TRANSLATE_NOOP(
    "labels", "记录手写签名需要登录的审查组成员：请先登录。"
)
"""Why saving is disabled while nobody is signed in."""

SIGNATURES_NOTHING_YET = QT_TRANSLATE_NOOP("labels", "本案目前没有需要签字的文书。")
"""When no document of the case needs a signature yet."""

SIGN_OFF_SLOT_NAME = QT_TRANSLATE_NOOP("labels", "组长签发")
"""The accessible name of the place where the leader's (cryptographic) sign-off goes."""

# --- end of signatures page ---
# --- case pages: enterprise, feedback, opinion ---

INTAKE_PAGE_TITLE = QT_TRANSLATE_NOOP("labels", "企业与申请：{application_no}　{enterprise}")
"""The heading of the enterprise and application page."""

INTAKE_READ_ONLY = QT_TRANSLATE_NOOP("labels", "受理时记录的内容（只读）。")
"""Under the heading of the enterprise and application page."""

INTAKE_NAME = CASE_LIST_HEADERS[1]  # the same words, marked once
INTAKE_CREDIT_CODE = QT_TRANSLATE_NOOP("labels", "统一社会信用代码")
INTAKE_ADDRESS = QT_TRANSLATE_NOOP("labels", "地址")
INTAKE_CONTACT = QT_TRANSLATE_NOOP("labels", "联系人")
INTAKE_PHONE = QT_TRANSLATE_NOOP("labels", "联系电话")
INTAKE_APPLICATION_NO = CASE_LIST_HEADERS[0]
INTAKE_PRODUCT = QT_TRANSLATE_NOOP("labels", "产品名称")
INTAKE_PRODUCT_UNIT = CASE_LIST_HEADERS[2]
INTAKE_FORM = QT_TRANSLATE_NOOP("labels", "核查表及版本")
INTAKE_FORM_VALUE = QT_TRANSLATE_NOOP("labels", "{title}（{form_id}，第 {version} 版）")
INTAKE_ACCEPTED = QT_TRANSLATE_NOOP("labels", "受理日期")
INTAKE_REVIEW_DATE = QT_TRANSLATE_NOOP("labels", "计划实地核查日期")
INTAKE_AGENCIES = QT_TRANSLATE_NOOP("labels", "有资质的检验机构")
INTAKE_NO_AGENCIES = QT_TRANSLATE_NOOP("labels", "（未列出）")
INTAKE_DEADLINE = QT_TRANSLATE_NOOP("labels", "实地核查期限")
"""Field names of the enterprise and application page (read-only, no shortcut keys)."""

PAGE_BLOCKED = QT_TRANSLATE_NOOP("labels", "暂不能进行：{reason}")
"""On a step page whose step is blocked; `reason` is the domain's (Chinese)."""

PAGE_NEEDS_SIGN_IN = QT_TRANSLATE_NOOP("labels", "记录需要登录的审查员：请先登录。")
"""Why a step page's form is disabled while nobody is signed in."""

FEEDBACK_PAGE_TITLE = QT_TRANSLATE_NOOP("labels", "反馈表：{application_no}　{enterprise}")
"""The heading of the feedback form page."""

FEEDBACK_HEADERS = (
    QT_TRANSLATE_NOOP("labels", "阶段"),
    QT_TRANSLATE_NOOP("labels", "交付情况"),
    QT_TRANSLATE_NOOP("labels", "交付时间"),
    QT_TRANSLATE_NOOP("labels", "接收人"),
    QT_TRANSLATE_NOOP("labels", "交付人"),
)
"""The columns of the feedback hand-over table."""

FEEDBACK_TABLE_NAME = QT_TRANSLATE_NOOP("labels", "各阶段反馈表交付情况")
"""The accessible name of the feedback hand-over table."""

FEEDBACK_STATUS_LABELS: dict[str, str] = {
    "handed": QT_TRANSLATE_NOOP("labels", "已交付"),
    "late": QT_TRANSLATE_NOOP("labels", "迟交（阶段开始后才交付）"),
    "missing": QT_TRANSLATE_NOOP("labels", "阶段已开始，未交付"),
    "not_yet": QT_TRANSLATE_NOOP("labels", "尚未交付"),
    "not_owed": QT_TRANSLATE_NOOP("labels", "不需交付（审查不合格，不进行产品检验）"),
}
"""How a stage's hand-over stands, as `core.feedback.handover_statuses` decides."""

FEEDBACK_FORM_GROUP = QT_TRANSLATE_NOOP("labels", "记录反馈表交付")
FEEDBACK_STAGE_FIELD = QT_TRANSLATE_NOOP("labels", "阶段(&G)")
FEEDBACK_TO_FIELD = QT_TRANSLATE_NOOP("labels", "接收的企业负责人(&N)")
FEEDBACK_AT_FIELD = QT_TRANSLATE_NOOP("labels", "交付时间(&M)")
FEEDBACK_BY_FIELD = FEEDBACK_HEADERS[4]
FEEDBACK_BY_VALUE = QT_TRANSLATE_NOOP("labels", "{name}（{unit}，本人）")
FEEDBACK_RECORD = QT_TRANSLATE_NOOP("labels", "记录交付(&R)")
"""The form that records a hand-over by the signed-in member."""

FEEDBACK_NOT_MEMBER = QT_TRANSLATE_NOOP(
    "labels", "反馈表交付由交付的审查组成员本人记录；您不是本审查组成员。"
)
"""Why the hand-over form is disabled for someone off the team."""

FEEDBACK_SAVED = QT_TRANSLATE_NOOP("labels", "已记录“{stage}”阶段的反馈表交付。")
"""After a hand-over was stored."""

OBJECTION_PAGE_TITLE = QT_TRANSLATE_NOOP("labels", "企业意见：{application_no}　{enterprise}")
"""The heading of the enterprise's opinion page."""

OBJECTION_RECORDED_GROUP = QT_TRANSLATE_NOOP("labels", "已记录的企业意见")
OBJECTION_NONE = QT_TRANSLATE_NOOP("labels", "尚未记录企业意见。")
OBJECTION_ENTRY = QT_TRANSLATE_NOOP("labels", "{at}　企业代表 {representative}：")
"""The recorded opinions; an entry's line before its text."""

OBJECTION_FORM_GROUP = QT_TRANSLATE_NOOP("labels", "记录企业意见或异议")
OBJECTION_TEXT_FIELD = QT_TRANSLATE_NOOP("labels", "意见或异议(&O)")
OBJECTION_REPRESENTATIVE_FIELD = QT_TRANSLATE_NOOP("labels", "企业代表(&P)")
OBJECTION_RECORD = QT_TRANSLATE_NOOP("labels", "记录企业意见(&R)")
OBJECTION_SAVED = QT_TRANSLATE_NOOP("labels", "已记录企业意见。")
"""The form that records the enterprise's opinion or objection."""

REMOVE_MEMBER = QT_TRANSLATE_NOOP("labels", "移出审查组(&X)")
"""Remove the member chosen in the team table."""

REMOVE_MEMBER_TITLE = QT_TRANSLATE_NOOP("labels", "移出审查组成员")
"""The title of the confirmation before removing a member."""

REMOVE_MEMBER_CONFIRM = QT_TRANSLATE_NOOP("labels", "确定将 {name}（{unit}）移出审查组？")
"""The question before removing a member."""

REMOVE_MEMBER_VOIDS = QT_TRANSLATE_NOOP(
    "labels", "审查组已备案：移出成员后备案失效，须重新备案后才能继续审查。"
)
"""Added to the question when the team is filed."""

REMOVE_MEMBER_PICK = QT_TRANSLATE_NOOP("labels", "请先在表中选择要移出的成员。")
"""Why removing is disabled while no member is chosen."""
# --- checklist: undo, photos, conclusion ---

UNDO_BUTTON = QT_TRANSLATE_NOOP("labels", "撤销")
"""Undo the last checklist edit of this page (also Ctrl+Z)."""

REDO_BUTTON = QT_TRANSLATE_NOOP("labels", "重做")
"""Redo the checklist edit last undone (also Ctrl+Shift+Z)."""

UNDO_TIP = QT_TRANSLATE_NOOP("labels", "撤销：{what}（Ctrl+Z）")
"""The undo button's tooltip; `what` is the edit's description."""

REDO_TIP = QT_TRANSLATE_NOOP("labels", "重做：{what}（Ctrl+Shift+Z）")
"""The redo button's tooltip; `what` is the edit's description."""

EDIT_RESULT = QT_TRANSLATE_NOOP("labels", "第 {code} 项判为{result}")
"""An undoable edit: a result recorded."""

EDIT_NOTE = QT_TRANSLATE_NOOP("labels", "第 {code} 项的说明")
"""An undoable edit: a note changed."""

EDIT_PHOTO = QT_TRANSLATE_NOOP("labels", "第 {code} 项添加照片")
"""An undoable edit: photos attached."""

EDIT_WITHDRAW = QT_TRANSLATE_NOOP("labels", "撤回第 {code} 项的评定")
"""An undoable edit: a result taken back to no result."""

UNDONE = QT_TRANSLATE_NOOP("labels", "已撤销：{what}")
"""After an undo; `what` is the edit's description."""

REDONE = QT_TRANSLATE_NOOP("labels", "已重做：{what}")
"""After a redo; `what` is the edit's description."""

UNDO_REFUSED = QT_TRANSLATE_NOOP("labels", "无法撤销或重做“{what}”，已从撤销记录中移除：{reason}")
"""An undo or redo the domain refused (e.g. the review was concluded meanwhile)."""

WITHDRAW_BUTTON = QT_TRANSLATE_NOOP("labels", "0 撤回评定")
"""Take the item's result back to no result (also the 0 or Delete key in the tree)."""

WITHDRAWN = QT_TRANSLATE_NOOP("labels", "已撤回第 {code} 项的评定，该项现为未核查。")
"""After a result was taken back."""

PHOTO_STRIP_NAME = QT_TRANSLATE_NOOP("labels", "照片缩略图")
"""The accessible name of the item's photo thumbnails."""

PHOTO_STRIP_TIP = QT_TRANSLATE_NOOP(
    "labels", "双击或按回车键查看大图；可把照片文件拖到这里或左侧的项目上添加。"
)
"""The tooltip of the thumbnails."""

PHOTO_VIEW_TITLE = QT_TRANSLATE_NOOP("labels", "第 {code} 项的照片 {number}/{total}")
"""The title of the large photo view."""

PHOTO_VIEW_NAME = QT_TRANSLATE_NOOP("labels", "照片大图")
"""The accessible name of the large photo."""

PHOTO_FILE_MISSING = QT_TRANSLATE_NOOP("labels", "照片文件 {sha} 不在工作区中。")
"""A photo whose file is missing from the workspace."""

PHOTO_STORING = QT_TRANSLATE_NOOP("labels", "正在保存 {count} 张照片…")
"""While photos are hashed and stored in the background."""

PHOTO_NOT_IMAGE = QT_TRANSLATE_NOOP(
    "labels", "“{name}”不是可读取的图片（JPEG 或 PNG），未添加任何照片。"
)
"""A dropped or chosen file that is no image; nothing was stored."""

PHOTO_UNREADABLE = QT_TRANSLATE_NOOP("labels", "无法读取“{name}”：{error}。未添加任何照片。")
"""A file that could not be read; nothing was stored."""

PHOTO_NOT_SAVED = QT_TRANSLATE_NOOP("labels", "照片未保存：{error}")
"""Storing photos failed in the workspace."""

CONCLUDE_BUTTON = QT_TRANSLATE_NOOP("labels", "作出结论(&C)…")
"""The leader concludes the on-site review (结论)."""

CONCLUDE_CANNOT = QT_TRANSLATE_NOOP("labels", "暂不能作出结论：{reason}")
"""Why the conclusion button is disabled (the domain's reason)."""

CONCLUDE_TITLE = QT_TRANSLATE_NOOP("labels", "作出核查结论")
"""The title of the conclusion's confirmation dialog."""

CONCLUDE_OUTCOME = QT_TRANSLATE_NOOP("labels", "按核查表判定，本次实地核查的结论为：{outcome}")
"""The verdict, in the confirmation dialog."""

CONCLUDE_REASONS = QT_TRANSLATE_NOOP("labels", "理由：")
"""Before the verdict's reasons."""

CONCLUDE_FINAL = QT_TRANSLATE_NOOP(
    "labels", "结论作出后，核查结果不能再修改或撤销。确定作出此结论吗？"
)
"""The question of the confirmation dialog."""

CONCLUDE_CONFIRM = QT_TRANSLATE_NOOP("labels", "作出结论")
"""The confirming button of the dialog."""

OUTCOME_PASS = QT_TRANSLATE_NOOP("labels", "合格")
"""The review passed."""

OUTCOME_FAIL = QT_TRANSLATE_NOOP("labels", "不合格")
"""The review failed."""

CONCLUDED = QT_TRANSLATE_NOOP("labels", "已作出核查结论：{outcome}。")
"""After the leader concluded."""
# --- app shell: settings, errors ---

SETTINGS_ACTION = QT_TRANSLATE_NOOP("labels", "设置(&T)…")
"""Open the settings screen (File menu, Ctrl+,)."""

SETTINGS_TITLE = QT_TRANSLATE_NOOP("labels", "设置")
"""The settings screen's title."""

SETTINGS_LANGUAGE = QT_TRANSLATE_NOOP("labels", "界面语言(&L)")
"""The language field of the settings."""

LANGUAGE_SYSTEM = QT_TRANSLATE_NOOP("labels", "跟随系统")
"""The language choice that follows the system's locale."""

LANGUAGE_APPLIES = QT_TRANSLATE_NOOP(
    "labels",
    "点“确定”后界面立即换成所选语言，打开的窗口停在原处（命令行的 --lang 只决定启动时的语言）。",
)
"""When a change of language shows."""

SETTINGS_WORKSPACE = QT_TRANSLATE_NOOP("labels", "工作区文件夹(&W)")
"""The workspace folder field of the settings."""

CHOOSE_FOLDER = QT_TRANSLATE_NOOP("labels", "选择(&C)…")
"""Choose a folder."""

CHOOSE_WORKSPACE_TITLE = QT_TRANSLATE_NOOP("labels", "选择工作区文件夹")
"""The title of the folder dialog."""

WORKSPACE_APPLIES = QT_TRANSLATE_NOOP(
    "labels",
    "下次启动时打开此工作区（--workspace 与 INSPECTOR_WORKSPACE 优先于此设置）。当前：{current}",
)
"""When a change of workspace applies; fill in with `.format(current=…)`."""

WORKSPACE_NOT_FOLDER = QT_TRANSLATE_NOOP("labels", "{path} 不是一个已有的文件夹，请选择文件夹。")
"""A chosen workspace path that is no folder."""

WORKSPACE_NOT_WRITABLE = QT_TRANSLATE_NOOP(
    "labels", "{path} 不可写（没有写入权限），不能作为工作区。请选择可写的文件夹。"
)
"""A chosen workspace folder that cannot be written."""

WORKSPACE_NOT_WORKSPACE = QT_TRANSLATE_NOOP(
    "labels",
    "{path} 不是工作区（其中没有 workspace.db，且文件夹不是空的）。"
    "请选择一个工作区文件夹，或一个空文件夹（下次启动时在其中新建工作区）。",
)
"""A chosen folder that holds other files but no workspace."""

WORKSPACE_NOT_DATABASE = QT_TRANSLATE_NOOP(
    "labels", "{path} 中的 workspace.db 不是工作区数据库（文件已损坏或不是 SQLite 文件）。"
)
"""A chosen folder whose workspace.db is not a SQLite database."""

SETTINGS_TIME_ZONE = QT_TRANSLATE_NOOP("labels", "日历时区(&Z)")
"""The time zone field (a workspace setting: deadlines and lateness are counted in it)."""

TIME_ZONE_TIP = QT_TRANSLATE_NOOP(
    "labels",
    "工作区设置：期限与逾期按此时区的日历计算（默认 Asia/Shanghai）。"
    "更改会记入审计记录，立即生效。",
)
"""What the time zone setting does."""

TIME_ZONE_NEEDS_SIGN_IN = QT_TRANSLATE_NOOP(
    "labels", "更改时区需要登录的审查员（文件 → 登录/切换审查员）。"
)
"""Why the time zone cannot be changed while nobody is signed in."""

TIME_ZONE_READ_ONLY = QT_TRANSLATE_NOOP("labels", "工作区以只读方式打开，不能更改时区。")
"""Why the time zone cannot be changed in a read-only workspace."""

SETTINGS_SAVED = QT_TRANSLATE_NOOP("labels", "设置已保存。")
"""Said in the status bar once the settings are saved."""

ERROR_TITLE = QT_TRANSLATE_NOOP("labels", "程序出错")
"""The title of the error report dialog."""

ERROR_INTRO = QT_TRANSLATE_NOOP(
    "labels",
    "程序遇到了一个意外错误（这是程序的缺陷，不是您的操作有误）。"
    "之前保存的数据不受影响：每次修改都已单独保存。"
    "错误报告已写入 {log}。请复制下面的报告发给技术支持。",
)
"""What the error report dialog says; fill in with `.format(log=…)`."""

ERROR_INTRO_NO_LOG = QT_TRANSLATE_NOOP(
    "labels",
    "程序遇到了一个意外错误（这是程序的缺陷，不是您的操作有误）。"
    "之前保存的数据不受影响：每次修改都已单独保存。"
    "错误报告未能写入日志文件（{log}：{reason}）。请复制下面的报告发给技术支持。",
)
"""What the error report dialog says when the log cannot be written; `.format(log=, reason=)`."""

COPY_REPORT = QT_TRANSLATE_NOOP("labels", "复制(&C)")
"""Copy the error report to the clipboard."""

REPORT_COPIED = QT_TRANSLATE_NOOP("labels", "已复制到剪贴板。")
"""Said once the report is copied."""

ERROR_REPORT_NAME = QT_TRANSLATE_NOOP("labels", "错误报告")
"""The accessible name of the report's text."""

STORAGE_ERROR_TITLE = QT_TRANSLATE_NOOP("labels", "无法读写工作区")
"""The title of the message for a known storage problem (disk full, read-only, …)."""


# --- Starting the on-site review (e2e-review) ---------------------------------------------------

START_REVIEW = QT_TRANSLATE_NOOP("labels", "开始实地核查(&S)")
"""Start the on-site checklist of a filed team (the case goes to 实地核查中)."""

START_REVIEW_HINT = QT_TRANSLATE_NOOP(
    "labels", "审查组备案后开始实地核查：之后组员在此逐项记录核查结果。"
)
"""On the on-site page before the review started."""

START_REVIEW_NEEDS_SIGN_IN = QT_TRANSLATE_NOOP("labels", "请先登录（本审查组成员）。")
"""Why the start button is disabled while nobody is signed in."""
# --- documents, sign-off, export (app) ---

DOCUMENTS_MENU = QT_TRANSLATE_NOOP("labels", "文书(&D)")
"""The case window's menu of documents: build, sign off, amend."""

BUILD_DOCUMENT_ACTION = QT_TRANSLATE_NOOP("labels", "生成文书(&B)…")
"""Build one document of the case to a PDF file."""

SIGN_OFF_ACTION = QT_TRANSLATE_NOOP("labels", "签发(&S)…")
"""Start the sign-off ceremony of the case."""

AMEND_ACTION = QT_TRANSLATE_NOOP("labels", "更正(&A)…")
"""Issue a signed amendment of the signed-off case."""

EXPORT_ACTION = QT_TRANSLATE_NOOP("labels", "导出(&E)…")
"""The clerk's export of the documents of many cases to a folder."""

PDF_FILTER = QT_TRANSLATE_NOOP("labels", "PDF 文件 (*.pdf)")
"""The file dialog's filter for PDF files."""

SAVE_DOCUMENT_TITLE = QT_TRANSLATE_NOOP("labels", "保存文书")
"""The title of the save dialog of a document."""

BUILDING_DOCUMENT = QT_TRANSLATE_NOOP("labels", "正在生成{title}…")
"""The progress text while a document is built; `.format(title=…)`."""

DOCUMENT_WRITTEN = QT_TRANSLATE_NOOP("labels", "已生成{title}：{path}")
"""The message once a document is written; `.format(title=…, path=…)`."""

DOCUMENT_FAILED = QT_TRANSLATE_NOOP("labels", "未能生成文书：{message}")
"""A document could not be built; `message` is the domain's (Chinese)."""

TASK_CANCELLED = QT_TRANSLATE_NOOP("labels", "已取消，未保存任何内容。")
"""A background job was cancelled before it stored anything."""

CANCEL_BUTTON = QT_TRANSLATE_NOOP("labels", "取消")
"""Cancel a running job or close a dialog."""

DOCUMENTS_TITLE = SIGNATURE_HEADERS[0]  # 文书: one label, translated once
"""The title of the documents' message boxes."""

DOCUMENTS_NEED_SIGN_IN = QT_TRANSLATE_NOOP("labels", "签发和更正需要登录的审查组组长：请先登录。")
"""Why sign-off and amendment are disabled while nobody is signed in."""

SIGN_OFF_TITLE = QT_TRANSLATE_NOOP("labels", "签发 — {application_no}")
"""The sign-off dialog's title; `.format(application_no=…)`."""

SIGN_OFF_INTRO = QT_TRANSLATE_NOOP(
    "labels", "每位组员依次输入本人口令签名，组长最后签发。签名在本机完成，口令不会保存。"
)
"""What the sign-off dialog asks for."""

SIGNER_LINE = QT_TRANSLATE_NOOP(
    "labels", "{n}. {meaning}：{name}（{unit}，证书编号 {certificate}）"
)
"""One signer of the ceremony, in signing order."""

SIGNER_DONE = QT_TRANSLATE_NOOP("labels", "　✔ 口令已确认")
"""Appended to a signer whose passphrase opened their identity."""

SIGNER_PROMPT = QT_TRANSLATE_NOOP("labels", "请 {name}（{unit}）输入本人口令以{meaning}：")
"""The prompt of the signer whose turn it is."""

PASSPHRASE_NAME = QT_TRANSLATE_NOOP("labels", "口令")
"""The accessible name of a passphrase field."""

NEXT_SIGNER = QT_TRANSLATE_NOOP("labels", "确认口令(&N)")
"""Confirm the current signer's passphrase and go on to the next."""

SIGNING = QT_TRANSLATE_NOOP("labels", "正在生成并签名核查报告…")
"""The progress text while the report is built and signed."""

SIGNED_OFF_DONE = QT_TRANSLATE_NOOP(
    "labels", "已签发：{count} 人签字，签名的核查报告已保存在工作区（SHA-256 {sha256}）。"
)
"""The message once the sign-off is complete."""

SAVE_SIGNED_REPORT = QT_TRANSLATE_NOOP("labels", "另存签发报告(&S)…")
"""Save a copy of the stored signed report."""

AMEND_TITLE = QT_TRANSLATE_NOOP("labels", "更正说明 — {application_no}")
"""The amendment dialog's title; `.format(application_no=…)`."""

AMEND_CORRECTS = QT_TRANSLATE_NOOP("labels", "被更正的文书")
"""The label of the list of signed documents of the case."""

AMEND_REASON = QT_TRANSLATE_NOOP("labels", "更正原因")
"""The label of the reason field."""

AMEND_TEXT = QT_TRANSLATE_NOOP("labels", "更正内容")
"""The label of the correction's text."""

AMEND_PASSPHRASE = QT_TRANSLATE_NOOP("labels", "组长口令")
"""The label of the leader's passphrase field."""

AMEND_SIGN = QT_TRANSLATE_NOOP("labels", "签发更正说明(&S)…")
"""Sign and store the amendment (then asks where to save the PDF)."""

AMEND_DOCUMENT_LINE = QT_TRANSLATE_NOOP("labels", "{title}（{signed_at}，SHA-256 {sha256}…）")
"""One signed document the amendment may correct."""

SIGNED_REPORT_TITLE = QT_TRANSLATE_NOOP("labels", "签发的核查报告")
"""A signed on-site report, in the list of documents to correct."""

AMENDMENT_TITLE = QT_TRANSLATE_NOOP("labels", "更正说明")
"""An earlier amendment, in the list of documents to correct."""

AMENDING = QT_TRANSLATE_NOOP("labels", "正在生成并签名更正说明…")
"""The progress text while the amendment is built and signed."""

AMENDED = QT_TRANSLATE_NOOP("labels", "已签发更正说明：{path}（SHA-256 {sha256}）")
"""The message once the amendment is stored and written."""

EXPORT_TITLE = QT_TRANSLATE_NOOP("labels", "导出文书")
"""The export dialog's title."""

EXPORT_FOLDER = QT_TRANSLATE_NOOP("labels", "导出到文件夹")
"""The label of the export's folder."""

BROWSE = QT_TRANSLATE_NOOP("labels", "浏览(&B)…")
"""Choose a folder."""

EXPORT_SINCE = QT_TRANSLATE_NOOP("labels", "只导出此日起有新进展的案件")
"""The check box of the export's --since."""

EXPORT_STATUS = QT_TRANSLATE_NOOP("labels", "案件状态")
"""The label of the export's --status."""

EXPORT_START = QT_TRANSLATE_NOOP("labels", "导出(&E)")
"""Start the export."""

EXPORT_NEEDS_FOLDER = QT_TRANSLATE_NOOP("labels", "请选择导出到的文件夹。")
"""The export cannot start without a folder."""

EXPORTING = QT_TRANSLATE_NOOP("labels", "正在导出 {done}/{total}：{name}")
"""The progress of the export."""

EXPORT_DONE = QT_TRANSLATE_NOOP(
    "labels", "已导出 {cases} 件案件的 {files} 个文件（新写入 {written} 个）。清单：{manifest}"
)
"""The message once the export is done."""

EXPORT_CANCELLED = QT_TRANSLATE_NOOP(
    "labels", "导出已取消：已写出的文件均完整，未写清单；再次导出会接着完成。"
)
"""The export was cancelled between two files."""

EXPORT_FAILED = QT_TRANSLATE_NOOP("labels", "导出未完成：{message}")
"""The export stopped; `message` is the domain's (Chinese)."""


# --- conflicts view ---

CONFLICTS_ACTION = QT_TRANSLATE_NOOP("labels", "同步冲突(&C)…")
"""The main window's action that opens the conflicts view."""

CONFLICTS_TITLE = QT_TRANSLATE_NOOP("labels", "同步冲突")
"""The title of the conflicts view."""

CONFLICTS_COUNT = QT_TRANSLATE_NOOP("labels", "冲突 {count} 项")
"""The sync panel's button while conflicts wait; `.format(count=…)`."""

CONFLICTS_COUNT_TIP = QT_TRANSLATE_NOOP(
    "labels", "同步时有并发修改冲突，两个版本都已保留，等待本案组长处理。点击查看。"
)
"""The tooltip of the sync panel's conflicts button."""

CONFLICTS_NONE = QT_TRANSLATE_NOOP("labels", "没有待处理的同步冲突。")
"""The conflicts view with nothing to show."""

CONFLICTS_LIST_NAME = QT_TRANSLATE_NOOP("labels", "同步冲突列表")
"""The accessible name of the list of conflicts."""

CONFLICTS_SHOW_RESOLVED = QT_TRANSLATE_NOOP("labels", "显示已处理的冲突(&S)")
"""The check box that lists the settled conflicts too."""

CONFLICT_LINE = QT_TRANSLATE_NOOP("labels", "#{id}　{case}　{record}　{origin}")
"""One conflict in the list; `.format(id=…, case=…, record=…, origin=…)`."""

CONFLICT_LINE_RESOLVED = QT_TRANSLATE_NOOP("labels", "#{id}　{case}　{record}　{origin}（已处理）")
"""One settled conflict in the list."""

CONFLICT_NO_CASE = QT_TRANSLATE_NOOP("labels", "（不属于案件）")
"""In place of the case of a record that belongs to none (e.g. the registry)."""

CONFLICT_RECORD_LABELS: dict[str, str] = {
    "reviewer": QT_TRANSLATE_NOOP("labels", "审查员"),
    "enterprise": QT_TRANSLATE_NOOP("labels", "企业"),
    "review_case": QT_TRANSLATE_NOOP("labels", "案件"),
    "team_member": QT_TRANSLATE_NOOP("labels", "审查组成员信息"),
    "integrity_declaration": DOCUMENT_KIND_LABELS["declaration"],
    "team_filing": QT_TRANSLATE_NOOP("labels", "审查组备案"),
    "checklist_result": QT_TRANSLATE_NOOP("labels", "核查结果"),
    "sample_record": SAMPLE_GROUP,
    "seal": QT_TRANSLATE_NOOP("labels", "封条记录"),
    "feedback_handover": QT_TRANSLATE_NOOP("labels", "反馈表交付"),
    "enterprise_objection": CASE_STEP_LABELS["objection"],
    "signature": QT_TRANSLATE_NOOP("labels", "签发签名"),
    "sealed_feedback": QT_TRANSLATE_NOOP("labels", "密封的反馈表"),
    "hand_signature": QT_TRANSLATE_NOOP("labels", "手写签名"),
    "amendment": AMENDMENT_TITLE,
}
"""The kinds of record a conflict is about, keyed by record table (unknown ones: raw)."""

CONFLICT_ORIGIN_LABELS: dict[str, str] = {
    "pull": QT_TRANSLATE_NOOP(
        "labels",
        "本机同步时发现：现行版本是本机的版本，另一版本是中心传来的并发修改，已另行保留。",
    ),
    "server": QT_TRANSLATE_NOOP(
        "labels",
        "中心报告：现行版本是中心的版本，另一版本是本机上传的并发修改，中心已另行保留。",
    ),
}
"""Where a conflict was found and what its two versions are, keyed by `SyncConflict.origin`."""

CONFLICT_ORIGIN_SHORT: dict[str, str] = {
    "pull": QT_TRANSLATE_NOOP("labels", "本机发现"),
    "server": QT_TRANSLATE_NOOP("labels", "中心报告"),
}
"""Where a conflict was found, in the list (keyed by `SyncConflict.origin`)."""

CONFLICT_HEADING = QT_TRANSLATE_NOOP("labels", "冲突 #{id}：{record}（案件 {case}）")
"""The heading of the conflict shown; `.format(id=…, record=…, case=…)`."""

CONFLICT_REASON = QT_TRANSLATE_NOOP("labels", "原因：{reason}　（发现于 {found_at}）")
"""The reason the sync gave (its own words) and when the conflict was found."""

CONFLICT_LEADERS = QT_TRANSLATE_NOOP("labels", "由本案组长处理：{leaders}")
"""Who may settle the conflict shown."""

CONFLICT_FIELD = QT_TRANSLATE_NOOP("labels", "字段")
"""The first column of the side-by-side comparison."""

CONFLICT_CURRENT = QT_TRANSLATE_NOOP("labels", "现行版本")
"""The column of the version in force."""

CONFLICT_OTHER = QT_TRANSLATE_NOOP("labels", "另一版本")
"""The column of the version kept apart."""

CONFLICT_FIELDS_NAME = QT_TRANSLATE_NOOP("labels", "两个版本逐字段对照")
"""The accessible name of the comparison table."""

CONFLICT_DIFFERS = QT_TRANSLATE_NOOP("labels", "两个版本此字段不同")
"""The tooltip of a field whose values differ (the row is highlighted)."""

CONFLICT_NO_VERSION = QT_TRANSLATE_NOOP("labels", "（无此版本）")
"""In place of a value when one version is not known here."""

CONFLICT_KEEP_CURRENT = QT_TRANSLATE_NOOP("labels", "保留现行版本(&K)")
"""The leader keeps the version in force."""

CONFLICT_TAKE_OTHER = QT_TRANSLATE_NOOP("labels", "采用另一版本(&T)")
"""The leader takes the version kept apart."""

CONFLICT_NEEDS_SIGN_IN = QT_TRANSLATE_NOOP(
    "labels", "只读：处理冲突需要本案组长登录（主窗口：文件 → 登录/切换审查员）。"
)
"""Why the settle buttons are disabled while nobody is signed in."""

CONFLICT_SETTLED = QT_TRANSLATE_NOOP(
    "labels", "冲突 #{id} 已处理：已保存{record}的新版本，下次同步时上传。"
)
"""The message once a conflict is settled."""

CONFLICT_REFUSED = QT_TRANSLATE_NOOP("labels", "未处理：{message}")
"""A settlement refused; `message` is the domain's (Chinese)."""

CONFLICT_RESOLVED_AT = QT_TRANSLATE_NOOP("labels", "已于 {at} 处理，新版本 {version}。")
"""A settled conflict, shown with the settled ones."""

CONFLICT_FIELD_LABELS: dict[str, str] = {
    **SAMPLE_FIELD_LABELS,
    "sampler_ids": SAMPLE_FIELD_LABELS["samplers"],
    "name": REVIEWER_HEADERS[0],
    "unit": REVIEWER_HEADERS[1],
    "certificate_no": REVIEWER_HEADERS[2],
    "phone": INTAKE_PHONE,
    "address": INTAKE_ADDRESS,
    "credit_code": INTAKE_CREDIT_CODE,
    "contact_person": INTAKE_CONTACT,
    "product": INTAKE_PRODUCT,
    "application_no": CASE_LIST_HEADERS[0],
    "product_unit": CASE_LIST_HEADERS[2],
    "status": CASE_LIST_HEADERS[3],
    "accepted_on": INTAKE_ACCEPTED,
    "role": TEAM_HEADERS_ROLE,
    "item_code": CHECKLIST_HEADERS[0],
    "result": CHECKLIST_HEADERS[1],
    "note": NOTE_NAME,
    "evidence": QT_TRANSLATE_NOOP("labels", "证据照片"),
    "photo": QT_TRANSLATE_NOOP("labels", "封条照片"),
    "assessor_id": QT_TRANSLATE_NOOP("labels", "核查人"),
    "assessed_at": QT_TRANSLATE_NOOP("labels", "核查时间"),
    "seal_no": SEAL_NUMBER,
    "stage": FEEDBACK_HEADERS[0],
    "handed_at": FEEDBACK_HEADERS[2],
    "handed_to": FEEDBACK_HEADERS[3],
    "handed_by": FEEDBACK_HEADERS[4],
    "representative": SIGNER_REPRESENTATIVE,
    "reason": AMEND_REASON,
}
"""Readable names of record fields in the comparison (a field not here shows its raw name).
The view drops the keyboard mnemonics of the sampling labels once translated."""

# --- end of conflicts view ---
# --- Screenshots review (issue 7): separators of lists the UI composes ---------------------

LIST_JOIN = QT_TRANSLATE_NOOP("labels", "、")
"""Between the items of a short list the UI composes (a photo, a note; the samplers)."""

CLAUSE_JOIN = QT_TRANSLATE_NOOP("labels", "；")
"""Between the clauses of a line the UI composes (what each result needs)."""

# --- end of the screenshots review block ---------------------------------------------------
# --- Cases withdrawn from this reviewer (issue 9, case unassign) ---------------------------

WITHDRAWN_MARK = QT_TRANSLATE_NOOP("labels", "（已撤回）")
"""After the status of a case the office withdrew from this reviewer (read-only here)."""

SYNC_HELD = QT_TRANSLATE_NOOP("labels", "，暂存 {count} 项（案件已撤回）")
"""After the queue count: changes held back because their case was withdrawn (they are not
waiting to sync)."""

# -- sync-guards: the registry is the office's (begin) --
SYNC_REGISTRY_HELD = QT_TRANSLATE_NOOP("labels", "，暂存 {count} 项（审查员名录由中心维护）")
"""After the queue count: registry changes made before enrollment, held and never sent (the
central office keeps the registry)."""
# -- sync-guards (end) --

# --- end of cases withdrawn -------------------------------------------------------------------

# --- Live language switch (issue 7): ui/language_switch.py ---------------------------------

LANGUAGE_SWITCH_BLOCKED = QT_TRANSLATE_NOOP(
    "labels", "切换语言会重建窗口，请先完成或关闭：{what}。没有保存任何设置。"
)
"""Beside the language in the settings: open dialogs would be lost by rebuilding the windows."""

LANGUAGE_DIALOG_IN = QT_TRANSLATE_NOOP("labels", "“{window}”中的“{dialog}”")
"""One dialog still open, named with the window it belongs to."""

LANGUAGE_SWITCH_WAITING = QT_TRANSLATE_NOOP(
    "labels", "后台任务（同步、导入、照片、文书）完成后即切换语言……"
)
"""In the status bar while the switch waits for background work to end."""

LANGUAGE_SWITCHED = QT_TRANSLATE_NOOP("labels", "界面已切换为中文。")
"""In the status bar of the rebuilt main window (said in the new language)."""

LANGUAGE_NOT_SWITCHED = QT_TRANSLATE_NOOP(
    "labels", "语言未切换：{what}。完成后请在设置中再次选择语言。"
)
"""When the windows could not be rebuilt after all (a dialog opened meanwhile, or typed
text that the rebuilt window has no place for); nothing typed was lost."""

LANGUAGE_UNCARRIED = QT_TRANSLATE_NOOP("labels", "“{window}”中尚未保存的输入（{fields}）")
"""Typed text the rebuilt window could not take over."""

# --- end of the live language switch block -------------------------------------------------

# --- Recording within one frame (issue 7): saving until the disk confirmed it --------------

SAVING = QT_TRANSLATE_NOOP("labels", "正在保存…")
"""While an edit of the checklist is written but the disk has not yet confirmed it."""

SAVING_TIP = QT_TRANSLATE_NOOP("labels", "正在保存：尚未确认已写到磁盘")
"""Tooltip of an item's result in the tree while it is being saved."""

FLUSH_FAILED = QT_TRANSLATE_NOOP(
    "labels", "第 {code} 项已写入，但磁盘未确认（{error}），断电可能丢失：请检查磁盘后再记录一次。"
)
"""The disk did not confirm a checklist edit (the sync of the workspace's log failed)."""

# --- end of the recording block ------------------------------------------------------------

# --- Attachments down (issue 9): photos not yet synced, what a sync brought ----------------

PHOTO_NOT_SYNCED = QT_TRANSLATE_NOOP("labels", "照片尚未同步到本机（{sha}…）：同步后即可查看。")
"""A photo another laptop took whose file has not come down yet; `.format(sha=…)`."""

PHOTO_NOT_SYNCED_SHORT = QT_TRANSLATE_NOOP("labels", "待同步")
"""Written on the placeholder of a photo not synced yet (a thumbnail's size: keep it short)."""

SYNC_ATTACHMENTS_DOWN = QT_TRANSLATE_NOOP(
    "labels",
    "收到附件 {down} 个；尚未传到中心、下次同步再取 {not_yet} 个；内容校验不符未保存 {refused} 个",
)
"""What a sync did with the attachments coming down (the sync message's tooltip);
`.format(down=…, not_yet=…, refused=…)`."""

SYNC_ATTACHMENTS_SHORT = QT_TRANSLATE_NOOP("labels", "收到附件 {down} 个")
"""Appended to the sync message (one line in the status bar); `.format(down=…)`."""

# --- end of attachments down ----------------------------------------------------------------

# --- sync keeps the domain's rules (sync-chronology) ------------------------------------------

SYNC_WAITING_SHORT = QT_TRANSLATE_NOOP("labels", "{count} 项收到的记录暂未应用（原因见提示）")
"""Appended to the sync message when pulled records wait in the inbox (one breaks a rule of its
case, or its case is not here yet); `.format(count=…)`; the tooltip lists each with its reason."""

# --- end of sync keeps the domain's rules -----------------------------------------------------


# --- sync-left: rule conflicts in the conflicts view (begin) ---------------------------------

CONFLICT_RULE_OFFICE_OR_CORRECT = QT_TRANSLATE_NOOP(
    "labels",
    "中心因违反规则拒收了本机的版本（原因见上）。原样保留只会再次被拒收，因此不能保留本机版本："
    "请采用中心的版本，或在案件中改正该记录（改正时本机重新检查规则，"
    "改正后的版本在下次同步时上传并了结此冲突）。",
)
"""Under a rule conflict whose record the office holds: why only its version is offered."""

CONFLICT_RULE_CORRECT_ONLY = QT_TRANSLATE_NOOP(
    "labels",
    "中心因违反规则拒收了本机的版本（原因见上），且中心没有该记录的版本：请在案件中改正该记录"
    "（改正时本机重新检查规则，改正后的版本在下次同步时上传并了结此冲突）。",
)
"""Under a rule conflict of a record the office does not hold: only a correction settles it."""

CONFLICT_TAKE_OFFICE = QT_TRANSLATE_NOOP("labels", "采用中心的版本(&O)")
"""The settle button of a rule conflict: the office's version replaces the refused one."""

# --- sync-left (end) ---------------------------------------------------------------------------


def all_labels() -> tuple[str, ...]:
    """Return every label marked for translation, in the order of this module."""
    return tuple(_MARKED)
