"""Forms as spreadsheets (xlsx), for clerks who author checklists in Excel or WPS.

The column layout is documented in forms/README.md. A spreadsheet from outside is untrusted:
before openpyxl sees it, the file size, the zip members and their unpacked size are capped and
XML document type declarations (the way to an entity-expansion "XML bomb") are refused; openpyxl
itself parses through defusedxml. Formula cells and merged cells are refused with their place,
because neither has one plain value a form can take.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from inspector_app.core.forms import (
    DEFAULT_REQUIRES,
    DEFAULT_RESULTS,
    REQUIRE_NOTE,
    REQUIRE_PHOTO,
    ChecklistForm,
    FormError,
    FormProblem,
    form_problems,
)

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_MEMBERS = 500
MAX_ROWS = 6000
MAX_COLUMNS = 30
DTD_SCAN_BYTES = 64 * 1024

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


class _Problems:
    """Problems found in a spreadsheet, each placed at a sheet, a row and perhaps a column."""

    def __init__(self) -> None:
        self.items: list[FormProblem] = []
        self.cells: set[tuple[str, int, str]] = set()
        self.fatal = False  # The sheet's layout is wrong: its content cannot be read at all.

    def add(
        self, rule: str, message: str, sheet: str, row: int | None = None, col: str = ""
    ) -> None:
        if row is not None:
            self.cells.add((sheet, row, col))
        place = f"工作表「{sheet}」"
        if row is not None:
            place += f"第 {row} 行"
        if col:
            place += f"「{col}」列"
        self.items.append(FormProblem(rule, message, place))


@dataclass
class _Rows:
    """Where each part of the form came from, to place the problems of `form_problems`."""

    info: dict[str, int] = field(default_factory=dict)
    sections: dict[int, int] = field(default_factory=dict)
    items: dict[tuple[int, int], int] = field(default_factory=dict)
    rules: dict[int, int] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Opening a workbook safely
# --------------------------------------------------------------------------------------------


def _refuse(rule: str, message: str, source: str) -> FormError:
    return FormError([FormProblem(rule, message)], source)


def _check_container(path: Path, source: str) -> None:
    """Check the zip container before any XML is parsed; raise FormError when it is unsafe."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise _refuse(
            "xlsx.unreadable", f"无法读取文件：{error.strerror or error}。", source
        ) from None
    if size > MAX_FILE_BYTES:
        raise _refuse(
            "xlsx.too_large",
            f"电子表格过大（{size // 1024 // 1024} MB，上限 {MAX_FILE_BYTES // 1024 // 1024} MB）；"
            "核查表通常不到 1 MB，请确认选对了文件。",
            source,
        )
    if not zipfile.is_zipfile(path):
        raise _refuse(
            "xlsx.not_xlsx",
            "不是 xlsx 文件（可能是旧版 .xls、CSV 或已损坏的文件）；"
            "请在 Excel/WPS 中另存为 .xlsx。",
            source,
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise _refuse(
                    "xlsx.too_large", f"电子表格内部文件过多（{len(members)} 个）。", source
                )
            unpacked = sum(m.file_size for m in members)
            if unpacked > MAX_UNPACKED_BYTES:
                # A zip bomb: a small file that unpacks to gigabytes.
                raise _refuse(
                    "xlsx.too_large",
                    f"电子表格解压后过大（{unpacked // 1024 // 1024} MB，"
                    f"上限 {MAX_UNPACKED_BYTES // 1024 // 1024} MB），拒绝读取。",
                    source,
                )
            for member in members:
                if not member.filename.endswith((".xml", ".rels")):
                    continue
                with archive.open(member) as handle:
                    head = handle.read(DTD_SCAN_BYTES)
                # Office files never declare a DTD; one here is the way to an entity bomb or to
                # reading local files (XXE). defusedxml would refuse it too: say so plainly first.
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise _refuse(
                        "xlsx.dtd_forbidden",
                        f"电子表格内部文件 {member.filename} 含有 XML 文档类型声明（DTD），"
                        "正常的 Excel 文件不会有；为安全起见拒绝读取。"
                        "请用 Excel/WPS 重新另存后再试。",
                        source,
                    )
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as error:
        raise _refuse("xlsx.corrupt", f"电子表格已损坏，无法解压：{error}。", source) from None


def _open_workbook(path: Path, handle: BinaryIO, source: str) -> Any:
    if not openpyxl.DEFUSEDXML:
        # Without defusedxml openpyxl parses with the plain standard library parser.
        raise _refuse(
            "xlsx.unsafe_parser",
            "未安装 defusedxml，无法安全读取电子表格；请重新安装本程序。",
            source,
        )
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (styles, extensions); they carry no content.
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(handle, read_only=True, data_only=False, keep_links=False)
    except Exception as error:
        # openpyxl raises many kinds of errors on a damaged or hostile file (KeyError for a
        # missing part, defusedxml's EntitiesForbidden, ParseError, ValueError...). All of them
        # mean "this spreadsheet cannot be read" for the person, never a crash.
        raise _refuse("xlsx.corrupt", _unreadable_message(error), source) from None


def _unreadable_message(error: BaseException) -> str:
    """Say why a spreadsheet cannot be read, naming the root cause on one line."""
    root = error
    while root.__cause__ is not None or root.__context__ is not None:
        root = root.__cause__ or root.__context__  # type: ignore[assignment]
    if isinstance(root, DefusedXmlException):
        return (
            f"电子表格内部含有被禁止的 XML 声明（{type(root).__name__}），可能是恶意构造的文件，"
            "为安全起见拒绝读取。请用 Excel/WPS 重新另存后再试。"
        )
    detail = " ".join(f"{type(root).__name__}: {root}".split())[:200]
    return f"无法读取电子表格（文件损坏或不是 Excel 2007 及以上格式）：{detail}。"


def _scan_sheet_xml(sheet: Any, name: str, problems: _Problems) -> None:
    """Report merged cells and content beyond the allowed columns, from the sheet's XML.

    Read-only mode lists neither, and bounding the rows it reads to the allowed columns would
    silently drop content further right; one streaming pass over the sheet (through defusedxml)
    finds both without building the wide rows.
    """
    from defusedxml.ElementTree import iterparse

    worksheet_path = getattr(sheet, "_worksheet_path", None)
    archive = getattr(sheet.parent, "_archive", None)
    if worksheet_path is None or archive is None:
        return
    wide = 0
    with archive.open(worksheet_path) as source:
        for _event, element in iterparse(source):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "mergeCell":
                problems.add(
                    "xlsx.merged_cell",
                    f"单元格 {element.get('ref', '')} 是合并单元格；"
                    "请取消合并，并在每一行填写完整内容。",
                    name,
                )
            elif tag == "c" and wide < 10 and _has_value(element):
                ref = str(element.get("r", ""))
                try:
                    letters, row = coordinate_from_string(ref)
                    column = column_index_from_string(letters)
                except ValueError:
                    continue
                if column > MAX_COLUMNS:
                    wide += 1
                    problems.add(
                        "xlsx.too_many_columns",
                        f"单元格 {ref} 有内容，但表格最多使用 {MAX_COLUMNS} 列"
                        f"（到 {get_column_letter(MAX_COLUMNS)} 列）；请删去多余的列。",
                        name,
                        row,
                    )
            if tag in ("c", "row", "mergeCell"):
                element.clear()


def _has_value(cell: Any) -> bool:
    return any(
        child.tag.rsplit("}", 1)[-1] in ("v", "is", "f") and (child.text or len(child))
        for child in cell
    )


def _sheet_rows(sheet: Any, name: str, problems: _Problems) -> Iterator[tuple[int, list[Any]]]:
    """Yield (row number, values) of a sheet, refusing formulas, errors and oversize sheets."""
    _scan_sheet_xml(sheet, name, problems)
    count = 0
    for row in sheet.iter_rows(max_col=MAX_COLUMNS):
        count += 1
        if count > MAX_ROWS:
            problems.add("xlsx.too_many_rows", f"行数过多（超过 {MAX_ROWS} 行）。", name)
            return
        values: list[Any] = []
        number = None
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None:
                values.append(None)
                continue
            number = cell.row
            if cell.data_type == "f":
                problems.add(
                    "xlsx.formula",
                    f"单元格 {cell.coordinate} 是公式（{str(value)[:40]}）；"
                    "核查表只接受直接填写的值，请复制后“选择性粘贴为数值”。",
                    name,
                    cell.row,
                )
                value = None
            elif cell.data_type == "e":
                problems.add(
                    "xlsx.error_cell",
                    f"单元格 {cell.coordinate} 是错误值 {value}；请改为正确内容。",
                    name,
                    cell.row,
                )
                value = None
            values.append(value)
        if number is not None and any(v is not None for v in values):
            yield number, values[:MAX_COLUMNS]


# --------------------------------------------------------------------------------------------
# Reading cells
# --------------------------------------------------------------------------------------------


class _Cells:
    """Typed access to one row by header name, recording problems with their place."""

    def __init__(
        self, sheet: str, row: int, values: list[Any], header: dict[str, int], problems: _Problems
    ) -> None:
        self.sheet = sheet
        self.row = row
        self.values = values
        self.header = header
        self.problems = problems

    def raw(self, column: str) -> Any:
        index = self.header.get(column)
        if index is None or index >= len(self.values):
            return None
        return self.values[index]

    def bad(self, rule: str, column: str, message: str) -> None:
        self.problems.add(rule, message, self.sheet, self.row, column)

    def text(self, column: str) -> str:
        value = self.raw(column)
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            self.bad("xlsx.cell_type", column, f"应为文本，实为 {value}。")
            return ""
        if isinstance(value, int):
            return str(value)
        self.bad(
            "xlsx.cell_type",
            column,
            f"应为文本，实为 {type(value).__name__} 值 {value}；请把该列设为“文本”格式后重新填写。",
        )
        return ""

    def code(self, column: str) -> str:
        value = self.raw(column)
        if isinstance(value, float):
            # Excel turns a typed 3.10 into the number 3.1: the code the clerk meant is lost.
            self.bad(
                "xlsx.code_is_number",
                column,
                f"编号是数字 {value}，不是文本；Excel 会把 3.10 变成 3.1。"
                "请把该列设为“文本”格式后重新输入编号（或在编号前加英文单引号 '）。",
            )
            return ""
        return self.text(column).strip()

    def flag(self, column: str) -> bool:
        value = self.raw(column)
        if value is None or value is False:
            return False
        if value is True:
            return True
        text = str(value).strip()
        if text in ("", NO, "否决项：否"):
            return False
        if text in (YES, "★", "*"):
            return True
        self.bad("xlsx.flag_invalid", column, f"「{text}」无效，请填写“是”或“否”（空白为否）。")
        return False

    def results(self, column: str) -> list[str] | None:
        """Return the results listed in a cell: None when blank, [] for "无"."""
        text = self.text(column).strip()
        if not text:
            return None
        if text == NONE:
            return []
        parts = [text]
        for separator in LIST_SEPARATORS:
            parts = [piece for part in parts for piece in part.split(separator)]
        return [p.strip() for p in parts if p.strip()]

    def codes(self, column: str) -> list[str]:
        value = self.raw(column)
        if isinstance(value, float):
            return [self.code(column)]
        text = self.text(column).strip()
        parts = [text]
        for separator in LIST_SEPARATORS:
            parts = [piece for part in parts for piece in part.split(separator)]
        return [p.strip() for p in parts if p.strip()]


def _header(
    sheet: str, row: int, values: list[Any], required: tuple[str, ...], problems: _Problems
) -> dict[str, int] | None:
    header: dict[str, int] = {}
    for index, value in enumerate(values):
        if isinstance(value, str) and value.strip():
            name = value.strip()
            if name in header:
                problems.add("xlsx.header_duplicate", f"表头「{name}」出现了两次。", sheet, row)
            header[name] = index
    missing = [name for name in required if name not in header]
    if missing:
        problems.fatal = True
        problems.add(
            "xlsx.header_missing",
            f"第一行表头缺少：{'、'.join(missing)}（表头应为：{'、'.join(required)} 等，"
            "见 forms/README.md）。",
            sheet,
            row,
        )
        return None
    return header


def _read_info(
    rows: Iterator[tuple[int, list[Any]]], problems: _Problems, where: _Rows
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    units: list[str] = []
    for number, values in rows:
        cells = _Cells(INFO_SHEET, number, values, {"字段": 0, "值": 1}, problems)
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
    rows: Iterator[tuple[int, list[Any]]], problems: _Problems, where: _Rows
) -> list[dict[str, Any]]:
    sections: list[dict[str, Any]] = []
    by_code: dict[str, int] = {}
    header: dict[str, int] | None = None
    for number, values in rows:
        if header is None:
            header = _header(ITEMS_SHEET, number, values, ITEM_REQUIRED, problems)
            if header is None:
                return sections
            continue
        cells = _Cells(ITEMS_SHEET, number, values, header, problems)
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
    rows: Iterator[tuple[int, list[Any]]], problems: _Problems, where: _Rows
) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    header: dict[str, int] | None = None
    for number, values in rows:
        if header is None:
            header = _header(RULES_SHEET, number, values, RULE_REQUIRED, problems)
            if header is None:
                return rules
            continue
        cells = _Cells(RULES_SHEET, number, values, header, problems)
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


def form_dict_from_xlsx(path: Path) -> tuple[dict[str, Any] | None, _Rows, _Problems]:
    """Read the raw form dict from a spreadsheet; problems of the sheet itself are returned."""
    source = str(path)
    _check_container(path, source)
    # Hand openpyxl an open file we close ourselves: when it fails half-way, it leaves its own
    # file open.
    try:
        with path.open("rb") as handle:
            return _read_workbook(path, handle, source)
    except OSError as error:
        raise _refuse(
            "xlsx.unreadable", f"无法读取文件：{error.strerror or error}。", source
        ) from None


def _read_workbook(
    path: Path, handle: BinaryIO, source: str
) -> tuple[dict[str, Any] | None, _Rows, _Problems]:
    workbook = _open_workbook(path, handle, source)
    problems = _Problems()
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
        data = _read_info(_sheet_rows(workbook[INFO_SHEET], INFO_SHEET, problems), problems, where)
        data["sections"] = _read_items(
            _sheet_rows(workbook[ITEMS_SHEET], ITEMS_SHEET, problems), problems, where
        )
        if RULES_SHEET in names:
            data["verdict_rules"] = _read_rules(
                _sheet_rows(workbook[RULES_SHEET], RULES_SHEET, problems), problems, where
            )
    except FormError:
        raise
    except Exception as error:
        # Lazy parsing in read-only mode can still meet a damaged part while iterating rows.
        raise _refuse("xlsx.corrupt", _unreadable_message(error), source) from None
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


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------

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
