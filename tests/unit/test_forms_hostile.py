"""Broken or hostile forms and spreadsheets: a clear error with its place, never a crash or hang."""

from __future__ import annotations

import json
import os
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from defusedxml import DefusedXmlException

from inspector_app.core.forms.model import FormError
from inspector_app.formio.jsonfile import MAX_FILE_BYTES, form_from_json_bytes, load_form_file
from inspector_app.formio.paths import shipped_forms
from inspector_app.formio.shipped import load_shipped_forms
from inspector_app.formio.xlsx.reader import import_xlsx
from inspector_app.formio.xlsx.safe_open import MAX_ROWS
from inspector_app.formio.xlsx.writer import export_xlsx

BILLION_LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b"%s"
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    b'<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
    b'<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
    b'<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
    b'<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
    b'<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
    b'<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
    b'uniqueCount="1"><si><t>&lol9;</t></si></sst>'
)


def json_problems(raw: bytes) -> list[str]:
    started = time.perf_counter()
    with pytest.raises(FormError) as caught:
        form_from_json_bytes(raw, "hostile.json")
    assert time.perf_counter() - started < 2.0
    assert all(line.startswith("hostile.json：") for line in caught.value.summary().splitlines())
    return [p.rule for p in caught.value.problems]


def xlsx_problems(path: Path) -> list[str]:
    started = time.perf_counter()
    with pytest.raises(FormError) as caught:
        import_xlsx(path)
    assert time.perf_counter() - started < 5.0
    return [str(p) for p in caught.value.problems]


def valid_json() -> dict[str, object]:
    path = shipped_forms() / "cement.v1.json"
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def good_xlsx(tmp_path: Path) -> Path:
    path = tmp_path / "good.xlsx"
    export_xlsx(load_shipped_forms()[0], path)
    return path


def rewrite_member(src: Path, dst: Path, name: str, content: bytes) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = content if info.filename == name else zin.read(info.filename)
            zout.writestr(info.filename, data)
    return dst


# --- JSON ------------------------------------------------------------------------------------


def test_json_too_large_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as out:
        out.truncate(MAX_FILE_BYTES * 20)  # sparse: large on paper, cheap to make
    with pytest.raises(FormError) as caught:
        load_form_file(path)
    assert caught.value.problems[0].rule == "form.file_too_large"


def test_json_deeply_nested_is_refused() -> None:
    assert json_problems(b"[" * 200_000 + b"]" * 200_000) == ["form.too_deep"]
    data = valid_json()
    nested: object = "x"
    for _ in range(40):
        nested = {"a": nested}
    data["title_en"] = nested
    assert json_problems(json.dumps(data).encode()) == ["form.too_deep"]


def test_json_not_utf8_is_refused_with_advice() -> None:
    raw = json.dumps(valid_json(), ensure_ascii=False).encode("gbk")
    with pytest.raises(FormError) as caught:
        form_from_json_bytes(raw, "gbk.json")
    (problem,) = caught.value.problems
    assert problem.rule == "form.not_utf8" and "UTF-8" in problem.message


def test_json_with_bom_is_accepted() -> None:
    raw = b"\xef\xbb\xbf" + json.dumps(valid_json(), ensure_ascii=False).encode()
    assert form_from_json_bytes(raw).form_id == "cement"


def test_json_syntax_error_names_line_and_column() -> None:
    with pytest.raises(FormError) as caught:
        form_from_json_bytes(b'{\n  "form_id": "x",\n  "version": }', "s.json")
    assert "第 3 行" in str(caught.value) and "列" in str(caught.value)


@pytest.mark.parametrize(
    "raw",
    [b"", b"\x00\x01\x02garbage", b"[1, 2, 3]", b'"just a string"', b"null", b"1e999999"],
)
def test_json_not_a_form_is_refused(raw: bytes) -> None:
    assert json_problems(raw)


def test_json_nan_and_duplicate_keys_are_refused() -> None:
    assert json_problems(b'{"version": NaN}') == ["form.not_json"]
    assert json_problems(b'{"veto": true, "veto": false}') == ["form.not_json"]
    assert json_problems(b'{"version": ' + b"9" * 5000 + b"}") == ["form.not_json"]


def test_json_wrong_types_everywhere_are_each_reported() -> None:
    data = valid_json()
    data["sections"] = [{"code": 1, "title": ["x"], "items": "none"}, 7]
    data["product_units"] = "水泥"
    data["verdict_rules"] = {"kind": "max_count"}
    rules = json_problems(json.dumps(data).encode())
    assert rules.count("form.field_type") >= 5


def test_json_million_items_are_refused_quickly() -> None:
    data = valid_json()
    data["sections"] = [{"code": "1", "title": "t", "items": [{}] * 200_000}]
    assert json_problems(json.dumps(data).encode()) == ["form.too_large"]


def test_json_huge_strings_are_refused() -> None:
    data = valid_json()
    data["title"] = "长" * 100_000
    assert json_problems(json.dumps(data, ensure_ascii=False).encode()) == ["form.field_too_long"]


# --- xlsx ------------------------------------------------------------------------------------


def test_openpyxl_parses_through_defusedxml(good_xlsx: Path, tmp_path: Path) -> None:
    """Without our own checks, openpyxl itself refuses the bomb (defusedxml is in use)."""
    assert openpyxl.DEFUSEDXML is True
    bomb = rewrite_member(
        good_xlsx, tmp_path / "bomb.xlsx", "xl/workbook.xml", BILLION_LAUGHS % b""
    )
    started = time.perf_counter()
    # openpyxl wraps the defusedxml error in a ValueError: look for it among the causes.
    with pytest.raises(ValueError) as caught:
        openpyxl.load_workbook(bomb, read_only=True)
    cause = caught.value
    while not isinstance(cause, DefusedXmlException) and cause.__cause__ is not None:
        cause = cause.__cause__  # type: ignore[assignment]
    assert isinstance(cause, DefusedXmlException)
    assert time.perf_counter() - started < 2.0


def test_xml_bomb_in_xlsx_is_refused(good_xlsx: Path, tmp_path: Path) -> None:
    bomb = rewrite_member(
        good_xlsx, tmp_path / "bomb.xlsx", "xl/workbook.xml", BILLION_LAUGHS % b""
    )
    (line,) = xlsx_problems(bomb)
    assert "xl/workbook.xml" in line and "DTD" in line


def test_xml_bomb_hidden_past_the_scan_is_still_refused(good_xlsx: Path, tmp_path: Path) -> None:
    # A long comment pushes the DTD past our quick scan: defusedxml is the layer that stops it.
    padding = b"<!--" + b"x" * 100_000 + b"-->"
    bomb = rewrite_member(
        good_xlsx, tmp_path / "bomb2.xlsx", "xl/workbook.xml", BILLION_LAUGHS % padding
    )
    (line,) = xlsx_problems(bomb)
    assert "EntitiesForbidden" in line and "拒绝读取" in line


def test_zip_bomb_is_refused_before_unpacking(good_xlsx: Path, tmp_path: Path) -> None:
    path = rewrite_member(
        good_xlsx, tmp_path / "zipbomb.xlsx", "xl/worksheets/sheet2.xml", b"\0" * 80_000_000
    )
    assert path.stat().st_size < 1_000_000
    (line,) = xlsx_problems(path)
    assert "解压后过大" in line


def test_xlsx_too_large_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    with path.open("wb") as out:
        out.truncate(50 * 1024 * 1024)
    (line,) = xlsx_problems(path)
    assert "过大" in line


@pytest.mark.parametrize(
    "content", [b"form_id,version\ncement,1\n", b"PK\x03\x04truncated", "表格".encode("gbk")]
)
def test_not_an_xlsx_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(content)
    (line,) = xlsx_problems(path)
    assert "xlsx" in line or "损坏" in line


def test_damaged_xlsx_part_is_refused(good_xlsx: Path, tmp_path: Path) -> None:
    path = rewrite_member(
        good_xlsx, tmp_path / "damaged.xlsx", "xl/worksheets/sheet2.xml", b"<worksheet><sheetData"
    )
    (line,) = xlsx_problems(path)
    assert "损坏" in line


def test_too_many_rows_are_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook(write_only=True)
    info = book.create_sheet("核查表")
    info.append(["表单编号", "rows"])
    items = book.create_sheet("核查项")
    items.append(["章节编号", "章节名称", "项目编号", "核查内容"])
    for index in range(MAX_ROWS + 10):
        items.append(["1", "节", f"1.{index}", "要求"])
    path = tmp_path / "rows.xlsx"
    book.save(path)
    lines = xlsx_problems(path)
    assert any("行数过多" in line for line in lines)


def test_content_beyond_the_allowed_columns_is_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "核查表"
    items = book.create_sheet("核查项")
    items.append(["章节编号", "章节名称", "项目编号", "核查内容"])
    items.cell(row=2, column=200, value="远处的内容")
    path = tmp_path / "wide.xlsx"
    book.save(path)
    lines = xlsx_problems(path)
    assert any("GR2 有内容" in line and "第 2 行" in line for line in lines)


def test_error_cells_are_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "核查表"
    items = book.create_sheet("核查项")
    items.append(["章节编号", "章节名称", "项目编号", "核查内容"])
    items.append(["1", "节", "1.1", "#N/A"])
    items["D2"].data_type = "e"
    path = tmp_path / "err.xlsx"
    book.save(path)
    lines = xlsx_problems(path)
    assert any("D2" in line and "错误值" in line for line in lines)


def test_openpyxl_never_parses_through_lxml(good_xlsx: Path) -> None:
    """lxml comes with pyHanko; openpyxl would then bypass defusedxml. The app switches it off
    before openpyxl is imported, and refuses to read if openpyxl was imported with lxml."""
    import subprocess
    import sys

    check = (
        "import inspector_app.formio.xlsx, openpyxl; print(openpyxl.LXML)",
        "import os; os.environ.pop('OPENPYXL_LXML', None); import openpyxl; "
        "from inspector_app.formio.xlsx import import_xlsx; from pathlib import Path; "
        f"import_xlsx(Path({str(good_xlsx)!r}))",
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENPYXL_LXML"}
    first = subprocess.run(
        [sys.executable, "-c", check[0]], capture_output=True, text=True, env=env, check=False
    )
    assert first.stdout.strip() == "False", first.stderr
    try:
        import lxml  # noqa: F401
    except ImportError:
        return  # without lxml openpyxl cannot bypass defusedxml
    second = subprocess.run(
        [sys.executable, "-c", check[1]], capture_output=True, text=True, env=env, check=False
    )
    assert "xlsx.unsafe_parser" in second.stderr or "defusedxml" in second.stderr, second.stderr
