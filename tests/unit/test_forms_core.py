"""Checklist forms in core: reading a form from its dict, the verdict, what a result requires."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from inspector_app.core.errors import RuleViolation
from inspector_app.core.forms.model import (
    DEFAULT_RESULTS,
    RESULT_CONFORM,
    RESULT_MINOR,
    RESULT_NA,
    RESULT_NONCONFORM,
    ChecklistForm,
    CountRule,
    FormError,
    FormItem,
    FormSection,
    code_sort_key,
)
from inspector_app.core.forms.reader import form_from_dict
from inspector_app.core.forms.verdicts import result_requirement_problems, verdict
from inspector_app.core.forms.writer import form_to_dict


def small_form_dict() -> dict[str, Any]:
    """A small form: two sections, one veto item (2.1), one photo item (2.2)."""
    return {
        "format_version": 1,
        "form_id": "demo-form",
        "version": 1,
        "title": "演示核查表",
        "title_en": "Demo checklist",
        "effective_date": "2024-03-01",
        "product_units": ["演示单元"],
        "sections": [
            {
                "code": "1",
                "title": "质量管理职责",
                "items": [
                    {"code": "1.1", "requirement": "明确质量负责人。"},
                    {"code": "1.2", "requirement": "制定质量目标。", "guidance": "查文件。"},
                ],
            },
            {
                "code": "2",
                "title": "产品质量检验",
                "items": [
                    {"code": "2.1", "requirement": "具备出厂检验能力。", "veto": True},
                    {
                        "code": "2.2",
                        "requirement": "留样封存。",
                        "allowed_results": ["符合", "不符合"],
                        "requires": {"符合": ["photo"], "不符合": ["note", "photo"]},
                        "clause": "细则 5.3",
                    },
                    {"code": "2.3", "requirement": "检验记录完整。"},
                ],
            },
        ],
        "verdict_rules": [
            {
                "kind": "max_count",
                "result": "不符合",
                "max": 1,
                "exclude_veto": True,
                "label": "非否决项",
            },
            {"kind": "max_count", "result": "基本符合", "max": 2},
        ],
    }


@pytest.fixture
def form() -> ChecklistForm:
    return form_from_dict(small_form_dict())


def all_conform(form: ChecklistForm) -> dict[str, str]:
    return {item.code: RESULT_CONFORM for item in form.items()}


def problem_rules(data: dict[str, Any]) -> list[str]:
    with pytest.raises(FormError) as caught:
        form_from_dict(data)
    return [p.rule for p in caught.value.problems]


# --- form_from_dict / form_to_dict ---------------------------------------------------------


def test_form_from_dict_reads_every_field(form: ChecklistForm) -> None:
    assert form.form_id == "demo-form"
    assert form.version == 1
    assert form.effective_date == date(2024, 3, 1)
    assert form.product_units == ("演示单元",)
    assert [s.code for s in form.sections] == ["1", "2"]
    assert [i.code for i in form.items()] == ["1.1", "1.2", "2.1", "2.2", "2.3"]
    seal = form.item("2.2")
    assert seal is not None
    assert seal.allowed_results == (RESULT_CONFORM, RESULT_NONCONFORM)
    assert dict(seal.requires) == {"符合": ("photo",), "不符合": ("note", "photo")}
    assert seal.clause == "细则 5.3"
    assert form.item("9.9") is None
    assert form.verdict_rules[0] == CountRule("不符合", 1, (), True, "非否决项")


def test_form_from_dict_defaults_results_and_note_requirements(form: ChecklistForm) -> None:
    item = form.item("1.1")
    assert item is not None
    assert item.allowed_results == DEFAULT_RESULTS
    assert item.veto is False
    assert item.guidance == ""
    assert dict(item.requires) == {RESULT_MINOR: ("note",), RESULT_NONCONFORM: ("note",)}


def test_form_to_dict_round_trips(form: ChecklistForm) -> None:
    data = form_to_dict(form)
    assert form_from_dict(data) == form
    assert form_to_dict(form_from_dict(data)) == data


def test_form_to_dict_is_canonical_whatever_the_input_order() -> None:
    data = small_form_dict()
    data["sections"][1]["items"][1]["allowed_results"] = ["不符合", "符合"]
    data["sections"][1]["items"][1]["requires"] = {"不符合": ["photo", "note"], "符合": ["photo"]}
    assert form_to_dict(form_from_dict(data)) == form_to_dict(form_from_dict(small_form_dict()))


def test_form_items_are_hashable(form: ChecklistForm) -> None:
    assert len({*form.items()}) == 5
    assert hash(form) == hash(form_from_dict(small_form_dict()))


def test_form_from_dict_refuses_duplicate_item_codes() -> None:
    data = small_form_dict()
    data["sections"][1]["items"][2]["code"] = "1.1"
    with pytest.raises(FormError) as caught:
        form_from_dict(data)
    (problem,) = caught.value.problems
    assert problem.rule == "form.item_code_duplicate"
    assert problem.section_index == 1 and problem.item_index == 2
    assert "1.1" in str(problem) and "第 2 节" in str(problem)


def test_form_from_dict_refuses_rule_naming_unknown_item() -> None:
    data = small_form_dict()
    data["verdict_rules"][0]["items"] = ["1.1", "7.7"]
    with pytest.raises(FormError) as caught:
        form_from_dict(data)
    (problem,) = caught.value.problems
    assert problem.rule == "form.rule_unknown_item"
    assert "7.7" in problem.message and "判定规则第 1 条" in str(problem)


def test_form_from_dict_refuses_empty_section() -> None:
    data = small_form_dict()
    data["sections"][0]["items"] = []
    assert problem_rules(data) == ["form.section_empty"]


def test_form_from_dict_refuses_unknown_result_value() -> None:
    data = small_form_dict()
    data["sections"][0]["items"][0]["allowed_results"] = ["符合", "合格"]
    assert problem_rules(data) == ["form.result_unknown"]


def test_form_from_dict_refuses_requirement_for_result_not_allowed() -> None:
    data = small_form_dict()
    data["sections"][1]["items"][1]["requires"]["基本符合"] = ["note"]
    with pytest.raises(FormError) as caught:
        form_from_dict(data)
    (problem,) = caught.value.problems
    assert problem.rule == "form.requires_result_not_allowed"
    assert "第 2.2 项" in str(problem) and "基本符合" in problem.message


def test_form_from_dict_refuses_unknown_requirement_kind() -> None:
    data = small_form_dict()
    data["sections"][1]["items"][1]["requires"]["符合"] = ["video"]
    assert problem_rules(data) == ["form.requirement_unknown"]


def test_form_from_dict_refuses_misspelt_field() -> None:
    data = small_form_dict()
    data["sections"][1]["items"][0]["vetoo"] = True
    assert problem_rules(data) == ["form.field_unknown"]


def test_form_from_dict_refuses_wrong_types_and_reports_them_all() -> None:
    data = small_form_dict()
    data["version"] = "1"
    data["title"] = 5
    data["sections"][0]["items"][0]["veto"] = "yes"
    data["sections"][0]["items"][1] = ["not", "an", "object"]
    data["verdict_rules"][0]["max"] = -1
    rules = problem_rules(data)
    assert rules == [
        "form.version_invalid",
        "form.field_type",
        "form.field_type",
        "form.field_type",
        "form.rule_max_invalid",
    ]


def test_form_from_dict_refuses_bad_identity() -> None:
    data = small_form_dict()
    data["form_id"] = "Wire Cable"
    data["version"] = 0
    data["effective_date"] = "2024-02-30"
    data["product_units"] = []
    assert problem_rules(data) == [
        "form.form_id_invalid",
        "form.version_invalid",
        "form.date_invalid",
        "form.product_units_missing",
    ]


def test_form_from_dict_refuses_counting_conform_or_na() -> None:
    data = small_form_dict()
    data["verdict_rules"] = [
        {"kind": "max_count", "result": "符合", "max": 3},
        {"kind": "max_count", "result": "不适用", "max": 3},
        {"kind": "at_least", "result": "不符合", "max": 3},
    ]
    assert problem_rules(data) == [
        "form.rule_result_invalid",
        "form.rule_result_invalid",
        "form.rule_kind_unknown",
    ]


def test_form_from_dict_refuses_veto_item_that_cannot_fail() -> None:
    data = small_form_dict()
    data["sections"][1]["items"][0]["allowed_results"] = ["符合", "不适用"]
    assert problem_rules(data) == ["form.veto_without_nonconform"]


def test_form_from_dict_refuses_item_that_cannot_pass() -> None:
    data = small_form_dict()
    data["sections"][0]["items"][0]["allowed_results"] = ["不符合"]
    assert problem_rules(data) == ["form.conform_not_allowed"]


def test_form_from_dict_refuses_non_object() -> None:
    assert problem_rules([1, 2]) == ["form.field_type"]  # type: ignore[arg-type]


def test_form_from_dict_refuses_newer_format() -> None:
    data = small_form_dict()
    data["format_version"] = 2
    assert problem_rules(data) == ["form.format_unsupported"]


def test_form_from_dict_refuses_too_many_items_quickly() -> None:
    data = small_form_dict()
    data["sections"][0]["items"] = [{"code": "x", "requirement": "y"}] * 100_000
    assert problem_rules(data) == ["form.too_large"]


def test_form_error_lists_every_problem_with_source() -> None:
    data = small_form_dict()
    data["sections"][0]["items"] = []
    data["title"] = ""
    with pytest.raises(FormError) as caught:
        form_from_dict(data)
    caught.value.source = "demo.json"
    lines = caught.value.summary().splitlines()
    assert len(lines) == 2
    assert all(line.startswith("demo.json：") for line in lines)


# --- verdict ------------------------------------------------------------------------------


def test_verdict_passes_when_all_conform(form: ChecklistForm) -> None:
    result = verdict(form, all_conform(form))
    assert result.outcome == "pass" and result.passed
    assert result.explain() == "合格"


def test_verdict_fails_on_veto_item_nonconform(form: ChecklistForm) -> None:
    results = all_conform(form) | {"2.1": RESULT_NONCONFORM}
    result = verdict(form, results)
    assert result.outcome == "fail" and not result.passed
    assert result.explain() == "不合格：否决项 2.1 不符合"


def test_verdict_fails_when_more_nonconform_than_allowed(form: ChecklistForm) -> None:
    one = all_conform(form) | {"1.1": RESULT_NONCONFORM}
    assert verdict(form, one).passed
    two = one | {"2.3": RESULT_NONCONFORM}
    result = verdict(form, two)
    assert result.outcome == "fail"
    assert result.reasons == ("非否决项中「不符合」2 项（1.1、2.3），超过允许的 1 项",)


def test_verdict_fails_when_more_minor_than_allowed(form: ChecklistForm) -> None:
    results = all_conform(form) | {"1.1": RESULT_MINOR, "1.2": RESULT_MINOR}
    assert verdict(form, results).passed
    results["2.1"] = RESULT_MINOR
    assert verdict(form, results).explain() == (
        "不合格：全部项目中「基本符合」3 项（1.1、1.2、2.1），超过允许的 2 项"
    )


def test_verdict_count_rule_excludes_veto_items(form: ChecklistForm) -> None:
    # 2.1 is a veto item: its 不符合 fails through the veto rule, not through the count rule.
    results = all_conform(form) | {"2.1": RESULT_NONCONFORM, "1.1": RESULT_NONCONFORM}
    assert verdict(form, results).reasons == ("否决项 2.1 不符合",)


def test_verdict_count_rule_limited_to_named_items() -> None:
    data = small_form_dict()
    data["verdict_rules"] = [
        {"kind": "max_count", "result": "不符合", "max": 0, "items": ["1.2"], "label": "关键项"}
    ]
    scoped = form_from_dict(data)
    assert verdict(scoped, all_conform(scoped) | {"1.1": RESULT_NONCONFORM}).passed
    failed = verdict(scoped, all_conform(scoped) | {"1.2": RESULT_NONCONFORM})
    assert failed.explain() == "不合格：关键项中「不符合」1 项（1.2），超过允许的 0 项"


def test_verdict_ignores_not_applicable_items(form: ChecklistForm) -> None:
    results = all_conform(form) | {"1.1": RESULT_NA, "1.2": RESULT_NA, "2.3": RESULT_NA}
    assert verdict(form, results).passed


def test_verdict_incomplete_while_items_lack_results(form: ChecklistForm) -> None:
    results = {"1.1": RESULT_CONFORM, "2.1": ""}
    result = verdict(form, results)
    assert result.outcome == "incomplete" and not result.passed
    assert result.explain() == "未完成：尚有 4 项未核查"
    assert result.pending == ("1.2", "2.1", "2.2", "2.3")


def test_verdict_fail_found_early_is_reported_before_completion(form: ChecklistForm) -> None:
    result = verdict(form, {"2.1": RESULT_NONCONFORM})
    assert result.outcome == "fail"
    assert result.explain() == "不合格：否决项 2.1 不符合"
    assert len(result.pending) == 4


def test_verdict_lists_every_reason_sorted_by_code() -> None:
    data = small_form_dict()
    for section in data["sections"]:
        for item in section["items"]:
            item["veto"] = True
            item.pop("allowed_results", None)
            item.pop("requires", None)
    data["sections"][0]["items"].append({"code": "1.10", "requirement": "x", "veto": True})
    wide = form_from_dict(data)
    results = {item.code: RESULT_NONCONFORM for item in wide.items()}
    assert verdict(wide, results).reasons[:3] == (
        "否决项 1.1 不符合",
        "否决项 1.2 不符合",
        "否决项 1.10 不符合",
    )


def test_verdict_refuses_result_for_unknown_item(form: ChecklistForm) -> None:
    with pytest.raises(RuleViolation) as caught:
        verdict(form, all_conform(form) | {"9.9": RESULT_CONFORM})
    assert caught.value.rule == "form.result_for_unknown_item"


def test_verdict_refuses_result_the_item_does_not_allow(form: ChecklistForm) -> None:
    with pytest.raises(RuleViolation) as caught:
        verdict(form, all_conform(form) | {"2.2": RESULT_NA})
    assert caught.value.rule == "form.result_not_allowed"


def test_code_sort_key_orders_codes_as_people_read_them() -> None:
    codes = ["3.10", "3.2", "10.1", "3.1", "A.1", "2"]
    assert sorted(codes, key=code_sort_key) == ["2", "3.1", "3.2", "3.10", "10.1", "A.1"]


# --- result_requirement_problems ----------------------------------------------------------


def test_result_requirement_problems_none_for_conform(form: ChecklistForm) -> None:
    item = form.item("1.1")
    assert item is not None
    assert result_requirement_problems(item, RESULT_CONFORM, "", 0) == []


def test_result_requirement_problems_nonconform_needs_note(form: ChecklistForm) -> None:
    item = form.item("1.1")
    assert item is not None
    (problem,) = result_requirement_problems(item, RESULT_NONCONFORM, "  ", 0)
    assert problem.rule == "form.note_required"
    assert "1.1" in problem.message
    assert result_requirement_problems(item, RESULT_NONCONFORM, "未任命质量负责人", 0) == []


def test_result_requirement_problems_seal_item_needs_photo(form: ChecklistForm) -> None:
    item = form.item("2.2")
    assert item is not None
    (problem,) = result_requirement_problems(item, RESULT_CONFORM, "", 0)
    assert problem.rule == "form.photo_required"
    assert result_requirement_problems(item, RESULT_CONFORM, "", 1) == []
    rules = [p.rule for p in result_requirement_problems(item, RESULT_NONCONFORM, "", 0)]
    assert rules == ["form.note_required", "form.photo_required"]


def test_result_requirement_problems_unknown_result(form: ChecklistForm) -> None:
    item = form.item("1.1")
    assert item is not None
    (problem,) = result_requirement_problems(item, "合格", "", 0)
    assert problem.rule == "form.result_unknown"


def test_result_requirement_problems_result_not_allowed(form: ChecklistForm) -> None:
    item = form.item("2.2")
    assert item is not None
    (problem,) = result_requirement_problems(item, RESULT_NA, "说明", 3)
    assert problem.rule == "form.result_not_allowed"
    assert "符合／不符合" in problem.message


def test_form_model_can_be_built_directly() -> None:
    item = FormItem(code="1.1", requirement="要求")
    built = ChecklistForm(
        form_id="direct",
        version=1,
        title="直接构造",
        title_en="",
        effective_date=date(2024, 1, 1),
        product_units=("单元",),
        sections=(FormSection("1", "节", (item,)),),
    )
    assert form_from_dict(copy.deepcopy(form_to_dict(built))) == built
