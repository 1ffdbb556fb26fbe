"""Writing a form as a spreadsheet in the documented layout (form -> spreadsheet)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from inspector_app.core.forms.model import (
    DEFAULT_RESULTS,
    REQUIRE_NOTE,
    REQUIRE_PHOTO,
    ChecklistForm,
)
from inspector_app.formio.xlsx.layout import (
    INFO_LABELS,
    INFO_SHEET,
    ITEM_COLUMNS,
    ITEMS_SHEET,
    NO,
    NONE,
    RULE_COLUMNS,
    RULES_SHEET,
    YES,
)

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _write_header(sheet: Any, names: tuple[str, ...], widths: tuple[int, ...]) -> None:
    sheet.append(list(names))
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _text_cells(sheet: Any, columns: tuple[int, ...]) -> None:
    # Codes stay text: typed into a number cell, 3.10 would become 3.1.
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = _WRAP
            if isinstance(cell.value, str) and cell.value.startswith("="):
                # openpyxl would write text starting with "=" as a formula; keep it text.
                cell.data_type = "s"
            if cell.column in columns:
                cell.number_format = "@"


def export_xlsx(form: ChecklistForm, path: Path) -> None:
    """Write a form as a spreadsheet in the documented layout; `import_xlsx` reads it back equal."""
    workbook = openpyxl.Workbook()
    info = workbook.active
    info.title = INFO_SHEET
    info.append(["字段", "值"])
    info.append([INFO_LABELS["format_version"], 1])
    info.append([INFO_LABELS["form_id"], form.form_id])
    info.append([INFO_LABELS["version"], form.version])
    info.append([INFO_LABELS["title"], form.title])
    info.append([INFO_LABELS["title_en"], form.title_en])
    info.append([INFO_LABELS["effective_date"], form.effective_date.isoformat()])
    for unit in form.product_units:
        info.append([INFO_LABELS["product_units"], unit])
    for cell in info[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    info.column_dimensions["A"].width = 16
    info.column_dimensions["B"].width = 60
    _text_cells(info, (2,))

    items = workbook.create_sheet(ITEMS_SHEET)
    _write_header(items, ITEM_COLUMNS, (8, 16, 8, 50, 40, 8, 28, 20, 20, 20))
    for section in form.sections:
        for item in section.items:
            note = [r for r in DEFAULT_RESULTS if REQUIRE_NOTE in item.requires.get(r, ())]
            photo = [r for r in DEFAULT_RESULTS if REQUIRE_PHOTO in item.requires.get(r, ())]
            items.append(
                [
                    section.code,
                    section.title,
                    item.code,
                    item.requirement,
                    item.guidance,
                    YES if item.veto else NO,
                    "、".join(item.allowed_results),
                    "、".join(note) if note else NONE,
                    "、".join(photo),
                    item.clause,
                ]
            )
    _text_cells(items, (1, 3))

    rules = workbook.create_sheet(RULES_SHEET)
    _write_header(rules, RULE_COLUMNS, (12, 8, 30, 12, 20))
    for rule in form.verdict_rules:
        rules.append(
            [
                rule.result,
                rule.max_count,
                "、".join(rule.items),
                YES if rule.exclude_veto else NO,
                rule.label,
            ]
        )
    _text_cells(rules, (3,))
    workbook.save(path)
