"""The verdict (核查结论) a checklist's results lead to, and what recording one result demands.

Pure Python: no Qt, no SQLite, no file access, no clock reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from inspector_app.core.errors import Problem, refuse_if
from inspector_app.core.forms.model import (
    DEFAULT_RESULTS,
    REQUIRE_NOTE,
    REQUIRE_PHOTO,
    RESULT_NONCONFORM,
    ChecklistForm,
    FormItem,
    sorted_codes,
)

Outcome = Literal["pass", "fail", "incomplete"]


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


def unknown_result_problems(form: ChecklistForm, results: Mapping[str, str]) -> list[Problem]:
    """Each result names an item of the form and is one of that item's allowed results (an
    empty result, taken back, is allowed): what a verdict can be computed from."""
    return _unknown_result_problems(form, results)


def _unknown_result_problems(form: ChecklistForm, results: Mapping[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    for code in sorted_codes(results):
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
    reasons.extend(f"否决项 {code} 不符合" for code in sorted_codes(veto_failed))

    for rule in form.verdict_rules:
        counted = [i.code for i in items if rule.in_scope(i) and results.get(i.code) == rule.result]
        if len(counted) > rule.max_count:
            scope = rule.label or "全部项目"
            listed = "、".join(sorted_codes(counted))
            reasons.append(
                f"{scope}中「{rule.result}」{len(counted)} 项（{listed}），"
                f"超过允许的 {rule.max_count} 项"
            )

    pending = tuple(sorted_codes(i.code for i in items if not results.get(i.code)))
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
