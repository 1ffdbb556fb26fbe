"""Reading a checklist form from its dict (the JSON file's content), reporting every problem.

Forms come from data (JSON files, spreadsheets, the workspace), so `form_problems` checks them
precisely and reports every problem with its place instead of stopping at the first.

Pure Python: no Qt, no SQLite, no file access, no clock reads.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

from inspector_app.core.forms.model import (
    COUNTABLE_RESULTS,
    DEFAULT_REQUIRES,
    DEFAULT_RESULTS,
    FORMAT_VERSION,
    REQUIREMENT_KINDS,
    RESULT_CONFORM,
    RESULT_NONCONFORM,
    RULE_KIND_MAX_COUNT,
    ChecklistForm,
    CountRule,
    FormError,
    FormItem,
    FormProblem,
    FormSection,
    sorted_codes,
)

# Bounds that keep a hostile or broken form from costing unbounded time or memory.
MAX_SECTIONS = 200
MAX_ITEMS = 5000
MAX_RULES = 100
MAX_PRODUCT_UNITS = 200
MAX_TEXT = 4000
MAX_SHORT_TEXT = 200

FORM_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
CODE_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,31}$")

_FORM_KEYS = {
    "format_version",
    "form_id",
    "version",
    "title",
    "title_en",
    "effective_date",
    "product_units",
    "sections",
    "verdict_rules",
}
_SECTION_KEYS = {"code", "title", "items"}
_ITEM_KEYS = {"code", "requirement", "guidance", "veto", "allowed_results", "requires", "clause"}
_RULE_KEYS = {"kind", "result", "max", "items", "exclude_veto", "label"}


def _type_name(value: object) -> str:
    names = {
        str: "文本",
        int: "整数",
        bool: "true/false",
        float: "小数",
        list: "列表",
        dict: "对象",
        type(None): "空值 null",
    }
    return names.get(type(value), type(value).__name__)


class _Reader:
    """Collects problems while a dict is turned into a form, so that all are reported at once."""

    def __init__(self) -> None:
        self.problems: list[FormProblem] = []

    def add(
        self,
        rule: str,
        message: str,
        place: str = "",
        section: int | None = None,
        item: int | None = None,
        field_name: str = "",
        rule_index: int | None = None,
    ) -> None:
        self.problems.append(
            FormProblem(rule, message, place, section, item, field_name, rule_index)
        )

    def text(
        self,
        data: Mapping[str, Any],
        key: str,
        where: dict[str, Any],
        *,
        required: bool,
        limit: int = MAX_TEXT,
    ) -> str:
        """Read a text field; report it when missing, of the wrong type, blank or too long."""
        if key not in data:
            if required:
                self.add("form.field_missing", f"缺少必填字段「{key}」。", field_name=key, **where)
            return ""
        value = data[key]
        if not isinstance(value, str):
            self.add(
                "form.field_type",
                f"字段「{key}」应为文本，实为{_type_name(value)}。",
                field_name=key,
                **where,
            )
            return ""
        if required and not value.strip():
            self.add("form.field_empty", f"字段「{key}」不能为空。", field_name=key, **where)
        if len(value) > limit:
            self.add(
                "form.field_too_long",
                f"字段「{key}」过长（{len(value)} 字，最多 {limit} 字）。",
                field_name=key,
                **where,
            )
            return value[:limit]
        return value

    def boolean(self, data: Mapping[str, Any], key: str, where: dict[str, Any]) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.add(
                "form.field_type",
                f"字段「{key}」应为 true 或 false，实为{_type_name(value)}。",
                field_name=key,
                **where,
            )
            return False
        return value

    def listing(self, data: Mapping[str, Any], key: str, where: dict[str, Any]) -> list[Any]:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.add(
                "form.field_type",
                f"字段「{key}」应为列表，实为{_type_name(value)}。",
                field_name=key,
                **where,
            )
            return []
        return value

    def unknown_keys(
        self, data: Mapping[str, Any], allowed: set[str], where: dict[str, Any]
    ) -> None:
        # A misspelt key ("vetoo") would silently drop a veto item: refuse it instead.
        for key in sorted(str(k) for k in data if k not in allowed):
            self.add(
                "form.field_unknown",
                f"未知字段「{key}」（可用字段：{'、'.join(sorted(allowed))}）。",
                field_name=key,
                **where,
            )


def _where(
    place: str, section: int | None = None, item: int | None = None, rule: int | None = None
) -> dict[str, Any]:
    return {"place": place, "section": section, "item": item, "rule_index": rule}


def _section_place(index: int, code: str, title: str) -> str:
    label = f"第 {index + 1} 节"
    if code:
        label += f"（{code}"
        label += f" {title}）" if title else "）"
    return label


def _read_results(
    reader: _Reader, raw: list[Any], key: str, where: dict[str, Any]
) -> tuple[str, ...]:
    results: list[str] = []
    for value in raw:
        if not isinstance(value, str) or value not in DEFAULT_RESULTS:
            shown = value if isinstance(value, str) else _type_name(value)
            reader.add(
                "form.result_unknown",
                f"「{key}」中的结论「{shown}」无效，只能是 {'／'.join(DEFAULT_RESULTS)}。",
                field_name=key,
                **where,
            )
        elif value in results:
            reader.add(
                "form.result_duplicate",
                f"「{key}」中的结论「{value}」重复。",
                field_name=key,
                **where,
            )
        else:
            results.append(value)
    # Canonical order, so that the same set written in another order is the same form.
    return tuple(r for r in DEFAULT_RESULTS if r in results)


def _read_requires(
    reader: _Reader, data: Mapping[str, Any], allowed: tuple[str, ...], where: dict[str, Any]
) -> Mapping[str, tuple[str, ...]]:
    if "requires" not in data:
        return MappingProxyType({r: v for r, v in DEFAULT_REQUIRES.items() if r in allowed})
    raw = data["requires"]
    if not isinstance(raw, dict):
        reader.add(
            "form.field_type",
            f"字段「requires」应为对象（结论 → 要求列表），实为{_type_name(raw)}。",
            field_name="requires",
            **where,
        )
        return MappingProxyType({})
    requires: dict[str, tuple[str, ...]] = {}
    for result, needs in raw.items():
        if result not in DEFAULT_RESULTS:
            reader.add(
                "form.result_unknown",
                f"「requires」中的结论「{result}」无效，只能是 {'／'.join(DEFAULT_RESULTS)}。",
                field_name="requires",
                **where,
            )
            continue
        if result not in allowed:
            reader.add(
                "form.requires_result_not_allowed",
                f"「requires」为结论「{result}」规定了要求，但本项不允许该结论"
                f"（允许：{'／'.join(allowed)}）；请删去该要求或在 allowed_results 中加入该结论。",
                field_name="requires",
                **where,
            )
            continue
        if not isinstance(needs, list):
            reader.add(
                "form.field_type",
                f"「requires」中「{result}」的要求应为列表（note／photo），实为{_type_name(needs)}。",
                field_name="requires",
                **where,
            )
            continue
        kinds: list[str] = []
        for need in needs:
            if not isinstance(need, str) or need not in REQUIREMENT_KINDS:
                shown = need if isinstance(need, str) else _type_name(need)
                reader.add(
                    "form.requirement_unknown",
                    f"「requires」中「{result}」的要求「{shown}」无效，"
                    "只能是 note（说明）或 photo（照片）。",
                    field_name="requires",
                    **where,
                )
            elif need not in kinds:
                kinds.append(need)
        if kinds:
            requires[result] = tuple(k for k in REQUIREMENT_KINDS if k in kinds)
    return MappingProxyType({r: requires[r] for r in DEFAULT_RESULTS if r in requires})


def _read_item(
    reader: _Reader, raw: Any, s_index: int, i_index: int, section_place: str
) -> FormItem | None:
    where = _where(f"{section_place}第 {i_index + 1} 项", s_index, i_index)
    if not isinstance(raw, dict):
        reader.add(
            "form.field_type",
            f"核查项应为对象，实为{_type_name(raw)}。",
            field_name="items",
            **where,
        )
        return None
    code = reader.text(raw, "code", where, required=True, limit=MAX_SHORT_TEXT)
    if code:
        where = _where(f"{section_place}第 {code} 项", s_index, i_index)
        if not CODE_PATTERN.match(code):
            reader.add(
                "form.code_invalid",
                f"项目编号「{code}」无效：只能用数字、字母、点和短横线，最长 32 个字符，如 3.2。",
                field_name="code",
                **where,
            )
    reader.unknown_keys(raw, _ITEM_KEYS, where)
    requirement = reader.text(raw, "requirement", where, required=True)
    guidance = reader.text(raw, "guidance", where, required=False)
    clause = reader.text(raw, "clause", where, required=False, limit=MAX_SHORT_TEXT).strip()
    veto = reader.boolean(raw, "veto", where)
    if "allowed_results" in raw:
        listed = reader.listing(raw, "allowed_results", where)
        allowed = _read_results(reader, listed, "allowed_results", where)
        if isinstance(raw["allowed_results"], list) and RESULT_CONFORM not in allowed:
            reader.add(
                "form.conform_not_allowed",
                "「allowed_results」必须包含「符合」，否则此项永远无法通过。",
                field_name="allowed_results",
                **where,
            )
    else:
        allowed = DEFAULT_RESULTS
    if veto and allowed and RESULT_NONCONFORM not in allowed:
        reader.add(
            "form.veto_without_nonconform",
            "否决项必须允许「不符合」，否则否决不起作用；请在 allowed_results 中加入「不符合」。",
            field_name="allowed_results",
            **where,
        )
    requires = _read_requires(reader, raw, allowed, where)
    return FormItem(code, requirement, guidance, veto, allowed, requires, clause)


def _read_section(reader: _Reader, raw: Any, s_index: int) -> FormSection | None:
    place = f"第 {s_index + 1} 节"
    where = _where(place, s_index)
    if not isinstance(raw, dict):
        reader.add(
            "form.field_type",
            f"章节应为对象，实为{_type_name(raw)}。",
            field_name="sections",
            **where,
        )
        return None
    code = reader.text(raw, "code", where, required=True, limit=MAX_SHORT_TEXT)
    title = reader.text(raw, "title", where, required=True, limit=MAX_SHORT_TEXT)
    place = _section_place(s_index, code, title)
    where = _where(place, s_index)
    reader.unknown_keys(raw, _SECTION_KEYS, where)
    raw_items = reader.listing(raw, "items", where)
    if not raw_items and isinstance(raw.get("items", []), list):
        reader.add(
            "form.section_empty",
            "本节没有任何核查项；请补充核查项或删去本节。",
            field_name="items",
            **where,
        )
    items = [_read_item(reader, r, s_index, i, place) for i, r in enumerate(raw_items)]
    return FormSection(code, title.strip(), tuple(i for i in items if i is not None))


def _read_rule(reader: _Reader, raw: Any, index: int, codes: set[str]) -> CountRule | None:
    where = _where(f"判定规则第 {index + 1} 条", rule=index)
    fname = f"verdict_rules[{index}]"
    if not isinstance(raw, dict):
        reader.add(
            "form.field_type",
            f"判定规则应为对象，实为{_type_name(raw)}。",
            field_name=fname,
            **where,
        )
        return None
    reader.unknown_keys(raw, _RULE_KEYS, where)
    kind = raw.get("kind")
    if kind != RULE_KIND_MAX_COUNT:
        reader.add(
            "form.rule_kind_unknown",
            f"判定规则类型「{kind}」未知；目前只支持 max_count（某结论超过若干项即不合格），"
            "否决项规则是固定的，无需写出。",
            field_name=f"{fname}.kind",
            **where,
        )
    result = raw.get("result")
    if result not in COUNTABLE_RESULTS:
        reader.add(
            "form.rule_result_invalid",
            f"判定规则计数的结论「{result}」无效，只能是「不符合」或「基本符合」"
            "（「符合」与「不适用」不计入判定）。",
            field_name=f"{fname}.result",
            **where,
        )
    max_count = raw.get("max")
    if isinstance(max_count, bool) or not isinstance(max_count, int) or max_count < 0:
        reader.add(
            "form.rule_max_invalid",
            f"判定规则的「max」应为不小于 0 的整数，实为「{max_count}」。",
            field_name=f"{fname}.max",
            **where,
        )
        max_count = 0
    raw_items = reader.listing(raw, "items", where)
    scope: list[str] = []
    for code in raw_items:
        if not isinstance(code, str) or code not in codes:
            reader.add(
                "form.rule_unknown_item",
                f"判定规则引用的项目「{code}」在本核查表中不存在。",
                field_name=f"{fname}.items",
                **where,
            )
        elif code not in scope:
            scope.append(code)
    exclude_veto = reader.boolean(raw, "exclude_veto", where)
    label = reader.text(raw, "label", where, required=False, limit=MAX_SHORT_TEXT)
    return CountRule(
        str(result), max_count, tuple(sorted_codes(scope)), exclude_veto, label.strip()
    )


def _read_date(reader: _Reader, data: Mapping[str, Any]) -> date:
    raw = data.get("effective_date")
    if raw is None:
        reader.add(
            "form.field_missing",
            "缺少必填字段「effective_date」（实施日期）。",
            field_name="effective_date",
        )
    elif not isinstance(raw, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        reader.add(
            "form.date_invalid",
            f"实施日期「{raw}」应写成 YYYY-MM-DD，如 2024-03-01。",
            field_name="effective_date",
        )
    else:
        try:
            return date.fromisoformat(raw)
        except ValueError:
            reader.add(
                "form.date_invalid", f"实施日期「{raw}」不是有效日期。", field_name="effective_date"
            )
    return date(1970, 1, 1)


def form_problems(data: Mapping[str, Any]) -> tuple[ChecklistForm | None, list[FormProblem]]:
    """Read a form from its dict, collecting every problem instead of stopping at the first.

    Returns:
        The form (None when there are problems) and the list of problems.
    """
    reader = _Reader()
    if not isinstance(data, Mapping):
        reader.add("form.field_type", f"核查表应为 JSON 对象，实为{_type_name(data)}。")
        return None, reader.problems
    top = _where("")
    reader.unknown_keys(data, _FORM_KEYS, top)
    fmt = data.get("format_version", FORMAT_VERSION)
    if fmt != FORMAT_VERSION or isinstance(fmt, bool):
        reader.add(
            "form.format_unsupported",
            f"文件格式版本「{fmt}」不受支持（本程序读取第 {FORMAT_VERSION} 版）；请升级程序。",
            field_name="format_version",
        )
    form_id = reader.text(data, "form_id", top, required=True, limit=MAX_SHORT_TEXT)
    if form_id and not FORM_ID_PATTERN.match(form_id):
        reader.add(
            "form.form_id_invalid",
            f"核查表编号「{form_id}」无效：只能用小写字母、数字和短横线，最长 64 个字符，"
            "如 wire-cable。",
            field_name="form_id",
        )
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        reader.add(
            "form.version_invalid",
            f"版本号「{version}」无效：应为正整数，如 1。",
            field_name="version",
        )
        version = 0
    title = reader.text(data, "title", top, required=True, limit=MAX_SHORT_TEXT)
    title_en = reader.text(data, "title_en", top, required=False, limit=MAX_SHORT_TEXT)
    effective = _read_date(reader, data)

    units: list[str] = []
    raw_units = reader.listing(data, "product_units", top)
    if "product_units" not in data or (isinstance(data["product_units"], list) and not raw_units):
        reader.add(
            "form.product_units_missing",
            "「product_units」至少要列出一个适用的产品单元。",
            field_name="product_units",
        )
    for unit in raw_units[:MAX_PRODUCT_UNITS]:
        if not isinstance(unit, str) or not unit.strip() or len(unit) > MAX_SHORT_TEXT:
            reader.add(
                "form.product_unit_invalid",
                f"产品单元「{unit}」无效：应为非空文本。",
                field_name="product_units",
            )
        elif unit in units:
            reader.add(
                "form.product_unit_duplicate",
                f"产品单元「{unit}」重复。",
                field_name="product_units",
            )
        else:
            units.append(unit.strip())
    if len(raw_units) > MAX_PRODUCT_UNITS:
        reader.add(
            "form.too_large",
            f"产品单元过多（{len(raw_units)} 个，最多 {MAX_PRODUCT_UNITS} 个）。",
            field_name="product_units",
        )

    raw_sections = reader.listing(data, "sections", top)
    if "sections" not in data or (isinstance(data["sections"], list) and not raw_sections):
        reader.add("form.sections_missing", "核查表至少要有一节核查项。", field_name="sections")
    if len(raw_sections) > MAX_SECTIONS:
        reader.add(
            "form.too_large",
            f"章节过多（{len(raw_sections)} 节，最多 {MAX_SECTIONS} 节）。",
            field_name="sections",
        )
        raw_sections = raw_sections[:MAX_SECTIONS]
    item_count = sum(
        len(s["items"])
        for s in raw_sections
        if isinstance(s, dict) and isinstance(s.get("items"), list)
    )
    if item_count > MAX_ITEMS:
        # Stop here: reading a form of millions of items would hang the app for nothing.
        reader.add(
            "form.too_large",
            f"核查项过多（{item_count} 项，最多 {MAX_ITEMS} 项）。",
            field_name="sections",
        )
        return None, reader.problems
    sections: list[FormSection] = []
    section_codes: dict[str, int] = {}
    item_codes: dict[str, str] = {}
    for s_index, raw_section in enumerate(raw_sections):
        section = _read_section(reader, raw_section, s_index)
        if section is None:
            continue
        place = _section_place(s_index, section.code, section.title)
        if section.code and section.code in section_codes:
            reader.add(
                "form.section_code_duplicate",
                f"章节编号「{section.code}」与第 {section_codes[section.code] + 1} 节重复。",
                place=place,
                section=s_index,
                field_name="code",
            )
        section_codes.setdefault(section.code, s_index)
        for i_index, item in enumerate(section.items):
            if not item.code:
                continue
            if item.code in item_codes:
                reader.add(
                    "form.item_code_duplicate",
                    f"项目编号「{item.code}」重复（已在{item_codes[item.code]}出现）；"
                    "每个项目编号在整张核查表中只能出现一次。",
                    place=f"{place}第 {item.code} 项",
                    section=s_index,
                    item=i_index,
                    field_name="code",
                )
            else:
                item_codes[item.code] = place
        sections.append(section)

    raw_rules = reader.listing(data, "verdict_rules", top)
    if len(raw_rules) > MAX_RULES:
        reader.add(
            "form.too_large",
            f"判定规则过多（{len(raw_rules)} 条，最多 {MAX_RULES} 条）。",
            field_name="verdict_rules",
        )
        raw_rules = raw_rules[:MAX_RULES]
    rules = [_read_rule(reader, raw, i, set(item_codes)) for i, raw in enumerate(raw_rules)]

    if reader.problems:
        return None, reader.problems
    form = ChecklistForm(
        form_id=form_id,
        version=version,
        title=title.strip(),
        title_en=title_en.strip(),
        effective_date=effective,
        product_units=tuple(units),
        sections=tuple(sections),
        verdict_rules=tuple(r for r in rules if r is not None),
    )
    return form, []


def form_from_dict(data: Mapping[str, Any]) -> ChecklistForm:
    """Build a checklist form from its dict (the JSON file's content).

    Raises:
        FormError: Listing every problem found, each with its place (section, item code, field).
    """
    form, problems = form_problems(data)
    if form is None:
        raise FormError(problems)
    return form
