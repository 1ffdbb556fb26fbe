"""Checklist forms (实施细则核查表) as data, and the verdict (核查结论) they lead to.

A product's implementation rules (实施细则) list the items a review team verifies on site. Here a
form is a plain immutable value: sections, items, and the verdict rules that turn the results of
the items into 合格 / 不合格. Forms come from data (JSON files, spreadsheets, the workspace), so
`form_from_dict` checks them precisely and reports every problem with its place.

Pure Python: no Qt, no SQLite, no file access, no clock reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any, Literal

from inspector_app.core.errors import Problem, refuse_if

RESULT_CONFORM = "符合"
RESULT_MINOR = "基本符合"
RESULT_NONCONFORM = "不符合"
RESULT_NA = "不适用"
DEFAULT_RESULTS = (RESULT_CONFORM, RESULT_MINOR, RESULT_NONCONFORM, RESULT_NA)

# What recording a result may demand: a written note (说明) or at least one piece of evidence.
REQUIRE_NOTE = "note"
REQUIRE_PHOTO = "photo"
REQUIREMENT_KINDS = (REQUIRE_NOTE, REQUIRE_PHOTO)
REQUIREMENT_LABELS = {REQUIRE_NOTE: "说明", REQUIRE_PHOTO: "照片"}

# When an item does not say what its results require, a finding must be written down: the report
# has to state the reasons of a failed result (条例 第十八条), and a "基本符合" is a finding too.
DEFAULT_REQUIRES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {RESULT_MINOR: (REQUIRE_NOTE,), RESULT_NONCONFORM: (REQUIRE_NOTE,)}
)

# The results a count rule may count. Counting 符合 would let a better result fail a review, and
# counting 不适用 would let an item that does not apply change the verdict: both are refused.
COUNTABLE_RESULTS = (RESULT_MINOR, RESULT_NONCONFORM)

FORMAT_VERSION = 1
"""Version of the file format (the layout of the dict), not of any one form."""

# Bounds that keep a hostile or broken form from costing unbounded time or memory.
MAX_SECTIONS = 200
MAX_ITEMS = 5000
MAX_RULES = 100
MAX_PRODUCT_UNITS = 200
MAX_TEXT = 4000
MAX_SHORT_TEXT = 200

FORM_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
CODE_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,31}$")

Outcome = Literal["pass", "fail", "incomplete"]


@dataclass(frozen=True)
class FormItem:
    """One item of the checklist (核查项目), e.g. 3.2 with its requirement and guidance.

    Attributes:
        code: The item's code in the 实施细则, unique in the form (e.g. "3.2").
        requirement: What the enterprise must meet (核查内容 / 要求).
        guidance: How the reviewer verifies it (核查方法 / 提示).
        veto: Whether it is a veto item (否决项): 不符合 fails the whole review.
        allowed_results: The results a reviewer may record for it.
        requires: For a result, what recording it demands: a subset of ("note", "photo").
        clause: The clause the item comes from (依据条款).
    """

    code: str
    requirement: str
    guidance: str = ""
    veto: bool = False
    allowed_results: tuple[str, ...] = DEFAULT_RESULTS
    # A read-only mapping is not hashable; leave it out of the hash so items stay hashable.
    requires: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: DEFAULT_REQUIRES, hash=False
    )
    clause: str = ""

    def __post_init__(self) -> None:
        # The defaults name 基本符合 and 不符合; an item that does not allow one of them must not
        # carry a requirement for it. Keep the mapping read-only so the frozen item stays frozen.
        requires = self.requires
        if requires is DEFAULT_REQUIRES:
            requires = {r: v for r, v in requires.items() if r in self.allowed_results}
        if not isinstance(requires, MappingProxyType):
            object.__setattr__(self, "requires", MappingProxyType(dict(requires)))


@dataclass(frozen=True)
class FormSection:
    """A section of the checklist (e.g. 3 生产资源提供) and its items."""

    code: str
    title: str
    items: tuple[FormItem, ...]


@dataclass(frozen=True)
class CountRule:
    """A verdict rule: fail when more than `max_count` items in scope have `result`.

    Attributes:
        result: The counted result: 不符合 or 基本符合 (never 符合 or 不适用).
        max_count: How many such items are still acceptable.
        items: The codes of the items in scope; empty means every item of the form.
        exclude_veto: Leave veto items out of the count (their 不符合 fails anyway).
        label: How the explanation names the scope, e.g. "非否决项" or "关键项".
    """

    result: str
    max_count: int
    items: tuple[str, ...] = ()
    exclude_veto: bool = False
    label: str = ""

    def in_scope(self, item: FormItem) -> bool:
        """Return whether the rule counts this item."""
        if self.exclude_veto and item.veto:
            return False
        return not self.items or item.code in self.items


@dataclass(frozen=True)
class ChecklistForm:
    """A checklist form: one version of one product's 实施细则 核查表.

    The veto rule is built in and cannot be switched off: any veto item (否决项) judged 不符合
    fails the review. `verdict_rules` adds count rules on top of it.
    """

    form_id: str
    version: int
    title: str
    title_en: str
    effective_date: date
    product_units: tuple[str, ...]
    sections: tuple[FormSection, ...]
    verdict_rules: tuple[CountRule, ...] = ()

    def items(self) -> tuple[FormItem, ...]:
        """Return every item of the form, in the order of the sections."""
        return tuple(item for section in self.sections for item in section.items)

    def item(self, code: str) -> FormItem | None:
        """Return the item with this code, or None when the form has no such item."""
        for section in self.sections:
            for item in section.items:
                if item.code == code:
                    return item
        return None

    @property
    def label(self) -> str:
        """The form as a person names it: "水泥 实地核查表（wire-cable 第 2 版）"."""
        return f"{self.title}（{self.form_id} 第 {self.version} 版）"


@dataclass(frozen=True)
class Verdict:
    """The verdict of an on-site verification (核查结论), with the reasons that led to it.

    Attributes:
        outcome: "pass", "fail", or "incomplete" (some item has no result yet).
        reasons: Why, in Chinese, one line each (empty for a pass).
        pending: Codes of the items that have no result yet.
    """

    outcome: Outcome
    reasons: tuple[str, ...] = ()
    pending: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        """Whether the review passed (合格)."""
        return self.outcome == "pass"

    def explain(self) -> str:
        """Return the verdict as one line: "合格", "不合格：否决项 4.1 不符合", "未完成：…"."""
        if self.outcome == "pass":
            return "合格"
        prefix = "不合格" if self.outcome == "fail" else "未完成"
        return f"{prefix}：{'；'.join(self.reasons)}"


@dataclass(frozen=True)
class FormProblem(Problem):
    """A problem in a form, with its place.

    Attributes:
        place: Where, in Chinese ("第 2 节「生产资源提供」第 2.3 项"), empty for the whole form.
        section_index: 0-based index of the section, when the problem is in one.
        item_index: 0-based index of the item in its section, when the problem is in one.
        field_name: The field at fault, as in the file ("requires", "verdict_rules[0].items").
        rule_index: 0-based index of the verdict rule, when the problem is in one.
    """

    place: str = ""
    section_index: int | None = None
    item_index: int | None = None
    field_name: str = ""
    rule_index: int | None = None

    def __str__(self) -> str:
        return f"{self.place}：{self.message}" if self.place else self.message


class FormError(ValueError):
    """A form could not be read: it lists every problem found, each with its place."""

    def __init__(self, problems: Iterable[FormProblem], source: str = "") -> None:
        self.problems = list(problems)
        self.source = source
        super().__init__(self.summary())

    def summary(self) -> str:
        """Return one line per problem, prefixed with the source when it is known."""
        prefix = f"{self.source}：" if self.source else ""
        return "\n".join(f"{prefix}{problem}" for problem in self.problems)


# --------------------------------------------------------------------------------------------
# The verdict
# --------------------------------------------------------------------------------------------


def code_sort_key(code: str) -> tuple[tuple[int, int | str], ...]:
    """Return a key that sorts item codes as people read them: 3.2 before 3.10."""
    parts = re.split(r"[.\-]", code)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def _sorted_codes(codes: Iterable[str]) -> list[str]:
    return sorted(codes, key=code_sort_key)


def _unknown_result_problems(form: ChecklistForm, results: Mapping[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    for code in _sorted_codes(results):
        result = results[code]
        item = form.item(code)
        if item is None:
            problems.append(
                Problem(
                    "form.result_for_unknown_item",
                    f"核查表 {form.label} 没有第 {code} 项，不能为其记录结论；"
                    "请确认案件使用的核查表版本。",
                )
            )
        elif result and result not in item.allowed_results:
            problems.append(
                Problem(
                    "form.result_not_allowed",
                    f"第 {code} 项的结论「{result}」不在允许范围内"
                    f"（{'／'.join(item.allowed_results)}）。",
                )
            )
    return problems


def verdict(form: ChecklistForm, results: Mapping[str, str]) -> Verdict:
    """Compute the verdict (核查结论) of a checklist from the results of its items.

    Rules, in order:
    1. Any veto item (否决项) judged 不符合 fails the review.
    2. Each count rule of the form fails the review when more than its maximum of items in its
       scope have the counted result (不符合 or 基本符合). 不适用 items are never counted.
    3. Otherwise, when some item has no result yet, the verdict is incomplete; else it passes.

    A fail is reported even while items are still open: recording more results can only add to
    the counts, so a fail found early cannot turn into a pass.

    Args:
        form: The checklist form the case uses (the version it started with).
        results: Item code -> recorded result; a missing code or "" means not yet assessed.

    Returns:
        The verdict with its reasons, sorted by item code so that the order of the items or of
        the results never changes it.

    Raises:
        RuleViolation: A result names an item the form does not have, or a result the item does
            not allow (the store should have refused it when it was recorded).
    """
    refuse_if(_unknown_result_problems(form, results))
    items = form.items()
    reasons: list[str] = []

    veto_failed = [i.code for i in items if i.veto and results.get(i.code) == RESULT_NONCONFORM]
    reasons.extend(f"否决项 {code} 不符合" for code in _sorted_codes(veto_failed))

    for rule in form.verdict_rules:
        counted = [i.code for i in items if rule.in_scope(i) and results.get(i.code) == rule.result]
        if len(counted) > rule.max_count:
            scope = rule.label or "全部项目"
            listed = "、".join(_sorted_codes(counted))
            reasons.append(
                f"{scope}中「{rule.result}」{len(counted)} 项（{listed}），"
                f"超过允许的 {rule.max_count} 项"
            )

    pending = tuple(_sorted_codes(i.code for i in items if not results.get(i.code)))
    if reasons:
        return Verdict("fail", tuple(reasons), pending)
    if pending:
        return Verdict("incomplete", (f"尚有 {len(pending)} 项未核查",), pending)
    return Verdict("pass")


def result_requirement_problems(
    item: FormItem, result: str, note: str, evidence_count: int
) -> list[Problem]:
    """Return what is wrong with recording `result` for `item` (empty when it may be recorded).

    Checks that the result is one of the four known results and is allowed for this item, and
    that what the result requires is there: a written note (说明) and/or evidence (照片).

    Args:
        item: The checklist item.
        result: The result to record.
        note: The reviewer's note for the item (blank counts as none).
        evidence_count: How many pieces of evidence (photos) are attached to the item.
    """
    if result not in DEFAULT_RESULTS:
        return [
            Problem(
                "form.result_unknown",
                f"第 {item.code} 项：「{result}」不是有效的核查结论，"
                f"请选择 {'／'.join(DEFAULT_RESULTS)} 之一。",
            )
        ]
    if result not in item.allowed_results:
        return [
            Problem(
                "form.result_not_allowed",
                f"第 {item.code} 项不允许判为「{result}」，"
                f"请选择 {'／'.join(item.allowed_results)} 之一。",
            )
        ]
    problems: list[Problem] = []
    needs = item.requires.get(result, ())
    if REQUIRE_NOTE in needs and not note.strip():
        problems.append(
            Problem(
                "form.note_required",
                f"第 {item.code} 项判为「{result}」时须填写说明：写明发现的问题及其依据。",
            )
        )
    if REQUIRE_PHOTO in needs and evidence_count < 1:
        problems.append(
            Problem(
                "form.photo_required",
                f"第 {item.code} 项判为「{result}」时须附照片作为证据，请先拍照或添加附件。",
            )
        )
    return problems


# --------------------------------------------------------------------------------------------
# Reading and writing the dict form
# --------------------------------------------------------------------------------------------

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
RULE_KIND_MAX_COUNT = "max_count"


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
        str(result), max_count, tuple(_sorted_codes(scope)), exclude_veto, label.strip()
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


def form_to_dict(form: ChecklistForm) -> dict[str, Any]:
    """Return the canonical dict of a form: every field written out, in a fixed order.

    `form_from_dict(form_to_dict(form)) == form`, and two equal forms give equal dicts (so the
    canonical JSON of this dict can be hashed to tell versions apart).
    """
    return {
        "format_version": FORMAT_VERSION,
        "form_id": form.form_id,
        "version": form.version,
        "title": form.title,
        "title_en": form.title_en,
        "effective_date": form.effective_date.isoformat(),
        "product_units": list(form.product_units),
        "sections": [
            {
                "code": section.code,
                "title": section.title,
                "items": [_item_to_dict(item) for item in section.items],
            }
            for section in form.sections
        ],
        "verdict_rules": [
            {
                "kind": RULE_KIND_MAX_COUNT,
                "result": rule.result,
                "max": rule.max_count,
                "items": list(rule.items),
                "exclude_veto": rule.exclude_veto,
                "label": rule.label,
            }
            for rule in form.verdict_rules
        ],
    }


def _item_to_dict(item: FormItem) -> dict[str, Any]:
    return {
        "code": item.code,
        "requirement": item.requirement,
        "guidance": item.guidance,
        "veto": item.veto,
        "allowed_results": list(item.allowed_results),
        "requires": {
            result: list(item.requires[result])
            for result in DEFAULT_RESULTS
            if result in item.requires
        },
        "clause": item.clause,
    }
