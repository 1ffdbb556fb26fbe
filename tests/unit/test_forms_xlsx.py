"""Spreadsheets: round trip, the documented layout, and every problem placed at its row."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from inspector_app.core.forms.model import (
    ChecklistForm,
    CountRule,
    FormError,
    FormItem,
    FormSection,
)
from inspector_app.formio.shipped import load_shipped_forms
from inspector_app.formio.xlsx.reader import import_xlsx
from inspector_app.formio.xlsx.writer import export_xlsx


def problems_of(path: Path) -> list[str]:
    with pytest.raises(FormError) as caught:
        import_xlsx(path)
    return [str(p) for p in caught.value.problems]


def write_book(
    path: Path, info: list[list[Any]], items: list[list[Any]], rules: list[list[Any]]
) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "核查表"
    for row in info:
        sheet.append(row)
    items_sheet = book.create_sheet("核查项")
    for row in items:
        items_sheet.append(row)
    if rules:
        rules_sheet = book.create_sheet("判定规则")
        for row in rules:
            rules_sheet.append(row)
    book.save(path)
    return path


INFO = [
    ["字段", "值"],
    ["表单编号", "tiny"],
    ["版本", 1],
    ["标题", "小表"],
    ["实施日期", "2024-01-01"],
    ["适用产品单元", "单元甲"],
]
HEADER = ["章节编号", "章节名称", "项目编号", "核查内容", "核查方法", "否决项", "允许结论"]


@pytest.mark.parametrize("form", load_shipped_forms(), ids=lambda f: f"{f.form_id}-v{f.version}")
def test_export_then_import_loses_nothing(form: ChecklistForm, tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    export_xlsx(form, path)
    assert import_xlsx(path) == form


def test_round_trip_keeps_unusual_values(tmp_path: Path) -> None:
    odd = ChecklistForm(
        form_id="odd",
        version=12,
        title="特殊值",
        title_en="Odd values",
        effective_date=load_shipped_forms()[0].effective_date,
        product_units=("甲", "乙；丙"),
        sections=(
            FormSection(
                "A",
                "附录",
                (
                    FormItem(
                        "3.10",
                        "要求\n第二行",
                        "  前后空格  ",
                        True,
                        ("符合", "不符合"),
                        {"不符合": ("note", "photo")},
                        "条款 1",
                    ),
                    FormItem("3.2", "=不是公式", "", False, ("符合", "不适用"), {}, ""),
                    FormItem("007", "编号以 0 开头", requires={"符合": ("photo",)}),
                ),
            ),
        ),
        verdict_rules=(CountRule("基本符合", 0, ("3.2", "3.10"), True, "关键项"),),
    )
    path = tmp_path / "odd.xlsx"
    export_xlsx(odd, path)
    assert import_xlsx(path) == odd


def test_import_minimal_layout_uses_defaults(tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "min.xlsx",
        INFO,
        [HEADER[:4], ["1", "职责", "1.1", "有负责人"], [2, "检验", "2.1", "出厂检验"]],
        [],
    )
    form = import_xlsx(path)
    assert [s.code for s in form.sections] == ["1", "2"]
    item = form.item("1.1")
    assert item is not None and item.veto is False
    assert dict(item.requires) == {"基本符合": ("note",), "不符合": ("note",)}
    assert form.verdict_rules == ()


def test_import_places_problems_at_rows(tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "bad.xlsx",
        INFO,
        [
            HEADER,
            ["1", "职责", "1.1", "甲", "", "是", ""],
            ["1", "职责", "1.1", "重复编号", "", "否", ""],
            ["1", "职责", "1.3", "乙", "", "也许", "符合、合格"],
        ],
        [["计数结论", "上限", "适用项目"], ["不符合", 2, "9.9"]],
    )
    lines = problems_of(path)
    assert any("工作表「核查项」第 4 行「否决项」列" in line and "也许" in line for line in lines)
    assert any(line.startswith("工作表「核查项」第 3 行") and "重复" in line for line in lines)
    # Row 4's bad veto cell is reported once; its other problem (an unknown result) too.
    assert any(line.startswith("工作表「核查项」第 4 行") and "合格" in line for line in lines)
    assert any(line.startswith("工作表「判定规则」第 2 行") and "9.9" in line for line in lines)


def test_import_refuses_numeric_item_code(tmp_path: Path) -> None:
    path = write_book(tmp_path / "num.xlsx", INFO, [HEADER[:4], ["1", "职责", 3.1, "甲"]], [])
    (line,) = problems_of(path)
    assert "第 2 行「项目编号」列" in line and "3.10" in line


def test_import_refuses_formula_cells_with_their_place(tmp_path: Path) -> None:
    path = write_book(tmp_path / "f.xlsx", INFO, [HEADER[:4], ["1", "职责", "1.1", "=A1&B1"]], [])
    (line,) = problems_of(path)
    assert "工作表「核查项」第 2 行" in line and "D2" in line and "公式" in line


def test_import_refuses_merged_cells_with_their_place(tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "m.xlsx",
        INFO,
        [HEADER[:4], ["1", "职责", "1.1", "甲"], [None, None, "1.2", "乙"]],
        [],
    )
    book = openpyxl.load_workbook(path)
    book["核查项"].merge_cells("A2:A3")
    book.save(path)
    lines = problems_of(path)
    assert any("A2:A3" in line and "合并单元格" in line for line in lines)


def test_import_refuses_missing_sheet_and_header(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Sheet"
    path = tmp_path / "empty.xlsx"
    book.save(path)
    lines = problems_of(path)
    assert len(lines) == 2 and all("缺少工作表" in line for line in lines)
    path = write_book(tmp_path / "noheader.xlsx", INFO, [["编号", "内容"]], [])
    (line,) = problems_of(path)
    assert "表头缺少" in line and "章节编号" in line


def test_import_refuses_wrong_types(tmp_path: Path) -> None:
    info = [row[:] for row in INFO]
    info[2] = ["版本", "第一版"]
    path = write_book(tmp_path / "t.xlsx", info, [HEADER[:4], ["1", "职责", "1.1", 3.5]], [])
    lines = problems_of(path)
    assert any("「核查内容」列" in line and "3.5" in line for line in lines)


def test_import_reports_version_problem_at_its_info_row(tmp_path: Path) -> None:
    info = [row[:] for row in INFO]
    info[2] = ["版本", "第一版"]
    path = write_book(tmp_path / "t.xlsx", info, [HEADER[:4], ["1", "职责", "1.1", "甲"]], [])
    (line,) = problems_of(path)
    assert line.startswith("工作表「核查表」第 3 行") and "版本号" in line


def test_import_accepts_excel_dates_and_integral_floats(tmp_path: Path) -> None:
    from datetime import datetime

    info = [row[:] for row in INFO]
    info[2] = ["版本", 2.0]
    info[4] = ["实施日期", datetime(2024, 5, 6)]
    path = write_book(tmp_path / "d.xlsx", info, [HEADER[:4], ["1", "职责", "1.1", "甲"]], [])
    form = import_xlsx(path)
    assert form.version == 2 and form.effective_date.isoformat() == "2024-05-06"


def test_exported_codes_are_text_cells(tmp_path: Path) -> None:
    form = load_shipped_forms()[0]
    path = tmp_path / "x.xlsx"
    export_xlsx(dataclasses.replace(form), path)
    sheet = openpyxl.load_workbook(path)["核查项"]
    assert sheet["C2"].number_format == "@" and isinstance(sheet["C2"].value, str)
