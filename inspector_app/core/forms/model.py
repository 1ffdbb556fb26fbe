"""The checklist form model (实施细则核查表): results, items, sections, count rules, problems.

A product's implementation rules (实施细则) list the items a review team verifies on site. Here a
form is a plain immutable value: sections, items, and the verdict rules that turn the results of
the items into 合格 / 不合格. Reading a form from its dict is in `reader`, writing it in `writer`,
the verdict in `verdicts`.

Pure Python: no Qt, no SQLite, no file access, no clock reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from types import MappingProxyType

from inspector_app.core.errors import Problem
from inspector_app.core.forms.results import DEFAULT_RESULTS as DEFAULT_RESULTS
from inspector_app.core.forms.results import RESULT_CONFORM as RESULT_CONFORM
from inspector_app.core.forms.results import RESULT_MINOR as RESULT_MINOR
from inspector_app.core.forms.results import RESULT_NA as RESULT_NA
from inspector_app.core.forms.results import RESULT_NONCONFORM as RESULT_NONCONFORM

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

RULE_KIND_MAX_COUNT = "max_count"
"""The one kind of verdict rule the file format knows (besides the built-in veto rule)."""


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
        return self._all_items

    def item(self, code: str) -> FormItem | None:
        """Return the item with this code, or None when the form has no such item."""
        return self._by_code.get(code)

    # A form never changes once built: its items and their index by code are made once (a
    # verdict over a 300-item checklist looks every result's item up).

    @cached_property
    def _all_items(self) -> tuple[FormItem, ...]:
        return tuple(item for section in self.sections for item in section.items)

    @cached_property
    def _by_code(self) -> dict[str, FormItem]:
        index: dict[str, FormItem] = {}
        for item in self._all_items:
            index.setdefault(item.code, item)  # the first of a duplicated code, as before
        return index

    @property
    def label(self) -> str:
        """The form as a person names it: "水泥 实地核查表（wire-cable 第 2 版）"."""
        return f"{self.title}（{self.form_id} 第 {self.version} 版）"


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


@lru_cache(maxsize=8192)  # a verdict sorts the same few hundred codes at every result
def code_sort_key(code: str) -> tuple[tuple[int, int | str], ...]:
    """Return a key that sorts item codes as people read them: 3.2 before 3.10."""
    parts = re.split(r"[.\-]", code)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def sorted_codes(codes: Iterable[str]) -> list[str]:
    """Return the codes sorted as people read them (see `code_sort_key`)."""
    return sorted(codes, key=code_sort_key)
