"""Writing a checklist form as its canonical dict (the JSON file's content).

Pure Python: no Qt, no SQLite, no file access, no clock reads.
"""

from __future__ import annotations

from typing import Any

from inspector_app.core.forms.model import (
    DEFAULT_RESULTS,
    FORMAT_VERSION,
    RULE_KIND_MAX_COUNT,
    ChecklistForm,
    FormItem,
)


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
