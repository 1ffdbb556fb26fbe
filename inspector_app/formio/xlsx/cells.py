"""Reading the cells of a form spreadsheet: typed access by header, problems placed at cells."""

from __future__ import annotations

from typing import Any

from inspector_app.core.forms.model import FormProblem
from inspector_app.formio.xlsx.layout import LIST_SEPARATORS, NO, NONE, YES


class SheetProblems:
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


class RowCells:
    """Typed access to one row by header name, recording problems with their place."""

    def __init__(
        self,
        sheet: str,
        row: int,
        values: list[Any],
        header: dict[str, int],
        problems: SheetProblems,
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


def read_header(
    sheet: str, row: int, values: list[Any], required: tuple[str, ...], problems: SheetProblems
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
