"""Reading a form from a spreadsheet in the documented layout (spreadsheet -> form).

The spreadsheet becomes the form's dict, which `form_problems` then checks like a JSON file; its
problems are placed back at the sheet and row they came from.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from inspector_app.core.forms.model import (
    DEFAULT_REQUIRES,
    DEFAULT_RESULTS,
    REQUIRE_NOTE,
    REQUIRE_PHOTO,
    ChecklistForm,
    FormError,
    FormProblem,
)
from inspector_app.core.forms.reader import form_problems
from inspector_app.formio.xlsx.cells import RowCells, SheetProblems, read_header
from inspector_app.formio.xlsx.layout import (
    COL_ALLOWED,
    COL_CLAUSE,
    COL_CODE,
    COL_GUIDANCE,
    COL_NOTE,
    COL_PHOTO,
    COL_REQUIREMENT,
    COL_RULE_EXCLUDE_VETO,
    COL_RULE_ITEMS,
    COL_RULE_LABEL,
    COL_RULE_MAX,
    COL_RULE_RESULT,
    COL_SECTION_CODE,
    COL_SECTION_TITLE,
    COL_VETO,
    FIELD_COLUMNS,
    INFO_FIELDS,
    INFO_LABELS,
    INFO_SHEET,
    ITEM_REQUIRED,
    ITEMS_SHEET,
    RULE_REQUIRED,
    RULES_SHEET,
)
from inspector_app.formio.xlsx.safe_open import (
    check_container,
    open_workbook,
    refuse,
    sheet_rows,
    unreadable_message,
)


@dataclass
class _Rows:
    """Where each part of the form came from, to place the problems of `form_problems`."""

    info: dict[str, int] = field(default_factory=dict)
    sections: dict[int, int] = field(default_factory=dict)
    items: dict[tuple[int, int], int] = field(default_factory=dict)
    rules: dict[int, int] = field(default_factory=dict)


def _read_info(
    rows: Iterator[tuple[int, list[Any]]], problems: SheetProblems, where: _Rows
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    units: list[str] = []
    for number, values in rows:
        cells = RowCells(INFO_SHEET, number, values, {"字段": 0, "值": 1}, problems)
        label = cells.text("字段").strip()
        if not label or label == "字段":
            continue
        key = INFO_FIELDS.get(label, label if label in INFO_LABELS else None)
        if key is None:
            problems.add(
                "xlsx.info_field_unknown",
                f"未知字段「{label}」；可用：{'、'.join(INFO_FIELDS)}。",
                INFO_SHEET,
                number,
            )
            continue
        value = cells.raw("值")
        if key == "product_units":
            where.info.setdefault(key, number)
            units.append(cells.text("值"))
            continue
        if key in data:
            problems.add("xlsx.info_field_duplicate", f"字段「{label}」重复。", INFO_SHEET, number)
            continue
        where.info[key] = number
        if key in ("version", "format_version"):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            elif isinstance(value, str) and value.strip().isdigit():
                value = int(value.strip())
            data[key] = value
        elif key == "effective_date":
            if isinstance(value, datetime):
                value = value.date()
            data[key] = value.isoformat() if isinstance(value, date) else cells.text("值").strip()
        else:
            data[key] = cells.text("值").strip()
    data["product_units"] = [u.strip() for u in units]
    return data


def _read_items(
    rows: Iterator[tuple[int, list[Any]]], problems: SheetProblems, where: _Rows
) -> list[dict[str, Any]]:
    sections: list[dict[str, Any]] = []
    by_code: dict[str, int] = {}
    header: dict[str, int] | None = None
    for number, values in rows:
        if header is None:
            header = read_header(ITEMS_SHEET, number, values, ITEM_REQUIRED, problems)
            if header is None:
                return sections
            continue
        cells = RowCells(ITEMS_SHEET, number, values, header, problems)
        section_code = cells.code(COL_SECTION_CODE)
        section_title = cells.text(COL_SECTION_TITLE).strip()
        if not section_code:
            cells.bad(
                "xlsx.section_missing", COL_SECTION_CODE, "缺少章节编号；每一行都要写明所属章节。"
            )
            continue
        if section_code in by_code:
            s_index = by_code[section_code]
            known_title = sections[s_index]["title"]
            if section_title and section_title != known_title:
                cells.bad(
                    "xlsx.section_title_mismatch",
                    COL_SECTION_TITLE,
                    f"章节 {section_code} 的名称「{section_title}」"
                    f"与前面的「{known_title}」不一致。",
                )
        else:
            s_index = len(sections)
            by_code[section_code] = s_index
            sections.append({"code": section_code, "title": section_title, "items": []})
            where.sections[s_index] = number
        item: dict[str, Any] = {
            "code": cells.code(COL_CODE),
            "requirement": cells.text(COL_REQUIREMENT),
            "guidance": cells.text(COL_GUIDANCE),
            "veto": cells.flag(COL_VETO),
            "clause": cells.text(COL_CLAUSE).strip(),
        }
        if not item["code"] and not item["requirement"]:
            continue  # A row that only names its section declares the section.
        allowed = cells.results(COL_ALLOWED)
        if allowed is not None:
            item["allowed_results"] = allowed
        allowed_set = set(allowed or DEFAULT_RESULTS)
        note = cells.results(COL_NOTE)
        photo = cells.results(COL_PHOTO) or []
        note_results = [r for r in DEFAULT_REQUIRES if r in allowed_set] if note is None else note
        requires: dict[str, list[str]] = {}
        for result in note_results:
            requires.setdefault(result, []).append(REQUIRE_NOTE)
        for result in photo:
            requires.setdefault(result, []).append(REQUIRE_PHOTO)
        item["requires"] = requires
        items = sections[s_index]["items"]
        where.items[(s_index, len(items))] = number
        items.append(item)
    if header is None:
        problems.fatal = True
        problems.add("xlsx.sheet_empty", "工作表是空的；第一行应为表头。", ITEMS_SHEET)
    return sections


def _read_rules(
    rows: Iterator[tuple[int, list[Any]]], problems: SheetProblems, where: _Rows
) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    header: dict[str, int] | None = None
    for number, values in rows:
        if header is None:
            header = read_header(RULES_SHEET, number, values, RULE_REQUIRED, problems)
            if header is None:
                return rules
            continue
        cells = RowCells(RULES_SHEET, number, values, header, problems)
        limit = cells.raw(COL_RULE_MAX)
        if isinstance(limit, float) and limit.is_integer():
            limit = int(limit)
        elif isinstance(limit, str) and limit.strip().isdigit():
            limit = int(limit.strip())
        where.rules[len(rules)] = number
        rules.append(
            {
                "kind": "max_count",
                "result": cells.text(COL_RULE_RESULT).strip(),
                "max": limit,
                "items": cells.codes(COL_RULE_ITEMS),
                "exclude_veto": cells.flag(COL_RULE_EXCLUDE_VETO),
                "label": cells.text(COL_RULE_LABEL).strip(),
            }
        )
    return rules


def _columns_of(problem: FormProblem) -> tuple[str, ...]:
    """Return the columns a problem of `form_problems` can stem from ("" for a whole row)."""
    name = problem.field_name.rsplit(".", 1)[-1]
    if name == "items" and problem.rule_index is not None:
        return ("", COL_RULE_ITEMS)
    return ("", *FIELD_COLUMNS.get(name, ()))


def _placed(problem: FormProblem, where: _Rows) -> tuple[str, int | None, FormProblem]:
    """Put the spreadsheet sheet and row in front of a problem found by `form_problems`."""
    sheet, row = INFO_SHEET, None
    if problem.rule_index is not None:
        sheet, row = RULES_SHEET, where.rules.get(problem.rule_index)
    elif problem.section_index is not None and problem.item_index is not None:
        sheet, row = ITEMS_SHEET, where.items.get((problem.section_index, problem.item_index))
    elif problem.section_index is not None:
        sheet, row = ITEMS_SHEET, where.sections.get(problem.section_index)
    else:
        row = where.info.get(problem.field_name)
    place = f"工作表「{sheet}」" + (f"第 {row} 行" if row is not None else "")
    if problem.place:
        place += f"（{problem.place}）"
    return (
        sheet,
        row,
        FormProblem(
            problem.rule,
            problem.message,
            place,
            problem.section_index,
            problem.item_index,
            problem.field_name,
            problem.rule_index,
        ),
    )


def form_dict_from_xlsx(path: Path) -> tuple[dict[str, Any] | None, _Rows, SheetProblems]:
    """Read the raw form dict from a spreadsheet; problems of the sheet itself are returned."""
    source = str(path)
    check_container(path, source)
    # Hand openpyxl an open file we close ourselves: when it fails half-way, it leaves its own
    # file open.
    try:
        with path.open("rb") as handle:
            return _read_workbook(path, handle, source)
    except OSError as error:
        raise refuse(
            "xlsx.unreadable", f"无法读取文件：{error.strerror or error}。", source
        ) from None


def _read_workbook(
    path: Path, handle: BinaryIO, source: str
) -> tuple[dict[str, Any] | None, _Rows, SheetProblems]:
    workbook = open_workbook(path, handle, source)
    problems = SheetProblems()
    where = _Rows()
    try:
        names = list(workbook.sheetnames)
        for required in (INFO_SHEET, ITEMS_SHEET):
            if required not in names:
                problems.add(
                    "xlsx.sheet_missing",
                    f"缺少工作表「{required}」"
                    f"（应有：{INFO_SHEET}、{ITEMS_SHEET}，可选 {RULES_SHEET}）。",
                    required,
                )
        if problems.items:
            return None, where, problems
        data = _read_info(sheet_rows(workbook[INFO_SHEET], INFO_SHEET, problems), problems, where)
        data["sections"] = _read_items(
            sheet_rows(workbook[ITEMS_SHEET], ITEMS_SHEET, problems), problems, where
        )
        if RULES_SHEET in names:
            data["verdict_rules"] = _read_rules(
                sheet_rows(workbook[RULES_SHEET], RULES_SHEET, problems), problems, where
            )
    except FormError:
        raise
    except Exception as error:
        # Lazy parsing in read-only mode can still meet a damaged part while iterating rows.
        raise refuse("xlsx.corrupt", unreadable_message(error), source) from None
    finally:
        workbook.close()
    return data, where, problems


def import_xlsx(path: Path) -> ChecklistForm:
    """Read a form from a spreadsheet in the documented layout.

    Raises:
        FormError: Every problem found, placed at its sheet and row (and the section and item).
    """
    source = str(path)
    data, where, sheet_problems = form_dict_from_xlsx(path)
    if data is None or sheet_problems.fatal:
        raise FormError(sheet_problems.items, source)
    form, problems = form_problems(data)
    # A cell refused above was read as blank: leave out what that blank causes in its row, so
    # each mistake is reported once, and report the rest of the form's problems with it.
    placed = [_placed(p, where) for p in problems]
    found = sheet_problems.items + [
        p
        for sheet, row, p in placed
        if not any((sheet, row, col) in sheet_problems.cells for col in _columns_of(p))
    ]
    if found:
        raise FormError(found, source)
    assert form is not None
    return form
