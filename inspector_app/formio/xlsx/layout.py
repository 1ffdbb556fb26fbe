"""The documented layout of a form spreadsheet (see forms/README.md): sheets, columns, words.

An info sheet (核查表) of field/value rows, an items sheet (核查项) of one row a checklist item
under a header row, and an optional rules sheet (判定规则) of one row a count rule.
"""

from __future__ import annotations

INFO_SHEET = "核查表"
ITEMS_SHEET = "核查项"
RULES_SHEET = "判定规则"

# Info sheet: column A names the field (Chinese label, or the JSON key), column B holds the value.
INFO_FIELDS = {
    "格式版本": "format_version",
    "表单编号": "form_id",
    "版本": "version",
    "标题": "title",
    "英文标题": "title_en",
    "实施日期": "effective_date",
    "适用产品单元": "product_units",
}
INFO_LABELS = {key: label for label, key in INFO_FIELDS.items()}

# Items sheet: row 1 holds these headers, in any order; the first four are required.
COL_SECTION_CODE = "章节编号"
COL_SECTION_TITLE = "章节名称"
COL_CODE = "项目编号"
COL_REQUIREMENT = "核查内容"
COL_GUIDANCE = "核查方法"
COL_VETO = "否决项"
COL_ALLOWED = "允许结论"
COL_NOTE = "需说明的结论"
COL_PHOTO = "需照片的结论"
COL_CLAUSE = "依据条款"
ITEM_COLUMNS = (
    COL_SECTION_CODE,
    COL_SECTION_TITLE,
    COL_CODE,
    COL_REQUIREMENT,
    COL_GUIDANCE,
    COL_VETO,
    COL_ALLOWED,
    COL_NOTE,
    COL_PHOTO,
    COL_CLAUSE,
)
ITEM_REQUIRED = ITEM_COLUMNS[:4]

COL_RULE_RESULT = "计数结论"
COL_RULE_MAX = "上限"
COL_RULE_ITEMS = "适用项目"
COL_RULE_EXCLUDE_VETO = "排除否决项"
COL_RULE_LABEL = "名称"
RULE_COLUMNS = (
    COL_RULE_RESULT,
    COL_RULE_MAX,
    COL_RULE_ITEMS,
    COL_RULE_EXCLUDE_VETO,
    COL_RULE_LABEL,
)
RULE_REQUIRED = RULE_COLUMNS[:2]

YES = "是"
NO = "否"
NONE = "无"
LIST_SEPARATORS = ("、", "，", ",", "；", ";", "／", "/", "\n")

# The spreadsheet columns a field of the form dict is read from.
FIELD_COLUMNS = {
    "code": (COL_SECTION_CODE, COL_CODE),
    "title": (COL_SECTION_TITLE,),
    "items": (COL_SECTION_CODE, COL_CODE),
    "requirement": (COL_REQUIREMENT,),
    "guidance": (COL_GUIDANCE,),
    "veto": (COL_VETO,),
    "allowed_results": (COL_ALLOWED,),
    "requires": (COL_NOTE, COL_PHOTO, COL_ALLOWED),
    "clause": (COL_CLAUSE,),
    "result": (COL_RULE_RESULT,),
    "max": (COL_RULE_MAX,),
    "exclude_veto": (COL_RULE_EXCLUDE_VETO,),
    "label": (COL_RULE_LABEL,),
}
