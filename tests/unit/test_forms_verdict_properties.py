"""Property tests (hypothesis) of the verdict (核查结论)."""

from __future__ import annotations

import random
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector_app.core.forms.model import (
    DEFAULT_RESULTS,
    RESULT_CONFORM,
    RESULT_NA,
    RESULT_NONCONFORM,
    ChecklistForm,
    CountRule,
    FormItem,
    FormSection,
)
from inspector_app.core.forms.verdicts import verdict

CODES = [f"{s}.{i}" for s in range(1, 4) for i in range(1, 6)]


@st.composite
def forms(draw: st.DrawFn) -> ChecklistForm:
    """Forms of 1-15 items in 1-3 sections, some veto items, 0-3 count rules."""
    count = draw(st.integers(1, 15))
    codes = CODES[:count]
    items = [FormItem(code, "要求", veto=draw(st.booleans())) for code in codes]
    sections = []
    for start in range(0, count, 5):
        sections.append(FormSection(str(start // 5 + 1), "节", tuple(items[start : start + 5])))
    rules = draw(
        st.lists(
            st.builds(
                CountRule,
                result=st.sampled_from(["不符合", "基本符合"]),
                max_count=st.integers(0, 5),
                items=st.lists(st.sampled_from(codes), unique=True).map(tuple),
                exclude_veto=st.booleans(),
                label=st.just(""),
            ),
            max_size=3,
        )
    )
    return ChecklistForm(
        "prop", 1, "性质", "", date(2024, 1, 1), ("单元",), tuple(sections), tuple(rules)
    )


@st.composite
def form_and_results(draw: st.DrawFn) -> tuple[ChecklistForm, dict[str, str]]:
    form = draw(forms())
    results = {item.code: draw(st.sampled_from(DEFAULT_RESULTS)) for item in form.items()}
    return form, results


def reordered(form: ChecklistForm, seed: int) -> ChecklistForm:
    """The same items and rules, the items shuffled within and across sections."""
    rng = random.Random(seed)
    items = list(form.items())
    rng.shuffle(items)
    cut = rng.randint(0, len(items))
    parts = [tuple(items[:cut]), tuple(items[cut:])]
    sections = tuple(FormSection(str(i), "节", part) for i, part in enumerate(parts) if part)
    return ChecklistForm(
        form.form_id,
        1,
        form.title,
        "",
        form.effective_date,
        form.product_units,
        sections,
        form.verdict_rules,
    )


@settings(max_examples=200, deadline=None)
@given(form_and_results(), st.data())
def test_verdict_changing_a_result_to_conform_never_turns_pass_into_fail(
    case: tuple[ChecklistForm, dict[str, str]], data: st.DataObject
) -> None:
    form, results = case
    code = data.draw(st.sampled_from(sorted(results)))
    before = verdict(form, results)
    after = verdict(form, results | {code: RESULT_CONFORM})
    if before.outcome == "pass":
        assert after.outcome == "pass"
    assert not (before.outcome != "fail" and after.outcome == "fail")


@settings(max_examples=200, deadline=None)
@given(form_and_results(), st.data())
def test_verdict_any_veto_item_nonconform_always_fails(
    case: tuple[ChecklistForm, dict[str, str]], data: st.DataObject
) -> None:
    form, results = case
    veto = [item.code for item in form.items() if item.veto]
    if not veto:
        return
    code = data.draw(st.sampled_from(veto))
    # Also with results missing: a veto fail does not wait for the other items.
    dropped = data.draw(st.lists(st.sampled_from(sorted(results)), unique=True))
    partial = {k: v for k, v in results.items() if k not in dropped} | {code: RESULT_NONCONFORM}
    outcome = verdict(form, partial)
    assert outcome.outcome == "fail"
    assert f"否决项 {code} 不符合" in outcome.reasons


@settings(max_examples=200, deadline=None)
@given(form_and_results(), st.integers(0, 10_000))
def test_verdict_does_not_depend_on_item_order(
    case: tuple[ChecklistForm, dict[str, str]], seed: int
) -> None:
    form, results = case
    shuffled_results = dict(random.Random(seed).sample(list(results.items()), len(results)))
    assert verdict(form, results) == verdict(reordered(form, seed), shuffled_results)


@settings(max_examples=200, deadline=None)
@given(form_and_results(), st.data())
def test_verdict_not_applicable_items_never_change_it(
    case: tuple[ChecklistForm, dict[str, str]], data: st.DataObject
) -> None:
    form, results = case
    na = [code for code, result in results.items() if result == RESULT_NA]
    without = {k: v for k, v in results.items() if v != RESULT_NA}
    # An item judged 不适用 counts like an item that is not on the form at all.
    trimmed_sections = tuple(
        FormSection(s.code, s.title, tuple(i for i in s.items if i.code not in na))
        for s in form.sections
    )
    trimmed_rules = tuple(
        CountRule(r.result, r.max_count, tuple(c for c in r.items if c not in na), r.exclude_veto)
        for r in form.verdict_rules
        # A rule scoped only to 不适用 items counts nothing; dropping the scope would widen it.
        if not r.items or any(c not in na for c in r.items)
    )
    trimmed = ChecklistForm(
        form.form_id,
        1,
        form.title,
        "",
        form.effective_date,
        form.product_units,
        tuple(s for s in trimmed_sections if s.items),
        trimmed_rules,
    )
    if not trimmed.items():
        assert verdict(form, results).outcome == "pass"
        return
    assert verdict(form, results).outcome == verdict(trimmed, without).outcome
    # And turning any other result into 不适用 never makes a pass fail.
    others = sorted(set(results) - set(na))
    if others and verdict(form, results).passed:
        code = data.draw(st.sampled_from(others))
        assert verdict(form, results | {code: RESULT_NA}).passed
