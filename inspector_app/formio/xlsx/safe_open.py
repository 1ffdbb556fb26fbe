"""Opening an untrusted spreadsheet safely, and reading its rows within bounds.

Before openpyxl sees a file, its size, the zip members and their unpacked size are capped and XML
document type declarations (the way to an entity-expansion "XML bomb") are refused; openpyxl
itself parses through defusedxml. Formula cells and merged cells are refused with their place,
because neither has one plain value a form can take.
"""

from __future__ import annotations

import stat
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

from inspector_app.core.forms.model import FormError, FormProblem
from inspector_app.formio.xlsx.cells import SheetProblems

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_MEMBERS = 500
MAX_ROWS = 6000
MAX_COLUMNS = 30
DTD_SCAN_BYTES = 64 * 1024


def refuse(rule: str, message: str, source: str) -> FormError:
    """Return the error that refuses a whole file for one reason."""
    return FormError([FormProblem(rule, message)], source)


def check_container(path: Path, source: str) -> None:
    """Check the zip container before any XML is parsed; raise FormError when it is unsafe."""
    try:
        status = path.stat()
    except OSError as error:
        raise refuse(
            "xlsx.unreadable", f"无法读取文件：{error.strerror or error}。", source
        ) from None
    if not stat.S_ISREG(status.st_mode):
        # A folder, a pipe or a device: zip reading would wait or read for ever.
        raise refuse("xlsx.unreadable", "无法读取文件：这不是一个普通文件。", source)
    size = status.st_size
    if size > MAX_FILE_BYTES:
        raise refuse(
            "xlsx.too_large",
            f"电子表格过大（{size // 1024 // 1024} MB，上限 {MAX_FILE_BYTES // 1024 // 1024} MB）；"
            "核查表通常不到 1 MB，请确认选对了文件。",
            source,
        )
    if not zipfile.is_zipfile(path):
        raise refuse(
            "xlsx.not_xlsx",
            "不是 xlsx 文件（可能是旧版 .xls、CSV 或已损坏的文件）；"
            "请在 Excel/WPS 中另存为 .xlsx。",
            source,
        )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise refuse(
                    "xlsx.too_large", f"电子表格内部文件过多（{len(members)} 个）。", source
                )
            unpacked = sum(m.file_size for m in members)
            if unpacked > MAX_UNPACKED_BYTES:
                # A zip bomb: a small file that unpacks to gigabytes.
                raise refuse(
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
                    raise refuse(
                        "xlsx.dtd_forbidden",
                        f"电子表格内部文件 {member.filename} 含有 XML 文档类型声明（DTD），"
                        "正常的 Excel 文件不会有；为安全起见拒绝读取。"
                        "请用 Excel/WPS 重新另存后再试。",
                        source,
                    )
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as error:
        raise refuse("xlsx.corrupt", f"电子表格已损坏，无法解压：{error}。", source) from None


def open_workbook(path: Path, handle: BinaryIO, source: str) -> Any:
    if not openpyxl.DEFUSEDXML or openpyxl.LXML:
        # Without defusedxml openpyxl parses with the plain standard library parser; with lxml
        # switched on (imported before inspector_app could switch it off) it bypasses defusedxml.
        raise refuse(
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
        raise refuse("xlsx.corrupt", unreadable_message(error), source) from None


def unreadable_message(error: BaseException) -> str:
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


def _scan_sheet_xml(sheet: Any, name: str, problems: SheetProblems) -> None:
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


def sheet_rows(sheet: Any, name: str, problems: SheetProblems) -> Iterator[tuple[int, list[Any]]]:
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
