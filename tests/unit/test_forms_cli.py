"""`inspector forms import / export / validate`, and the shipped forms and their schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from inspector_app.cli_forms import forms
from inspector_app.core.forms.model import FormError
from inspector_app.core.forms.reader import form_from_dict
from inspector_app.formio.jsonfile import load_form_file, schema_problems
from inspector_app.formio.paths import form_schema
from inspector_app.formio.shipped import load_shipped_forms, shipped_form_files
from inspector_app.store.workspace import open_workspace


def run(args: list[str], workspace: Path | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    obj = {"workspace": workspace} if workspace else {}
    result = runner.invoke(forms, args, obj=obj, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_shipped_forms_are_valid_and_realistic() -> None:
    shipped = {(f.form_id, f.version): f for f in load_shipped_forms()}
    assert {("general-onsite", 1), ("wire-cable", 1), ("cement", 1), ("cement", 2)} <= set(shipped)
    general = shipped[("general-onsite", 1)]
    assert len(general.items()) >= 25
    assert [s.title for s in general.sections][:5] == [
        "质量管理职责",
        "生产资源提供",
        "技术文件管理",
        "过程质量控制",
        "产品质量检验",
    ]
    for key in [("wire-cable", 1), ("cement", 1)]:
        assert len(shipped[key].items()) >= 15
    for form in shipped.values():
        assert any(item.veto for item in form.items())
        assert form.verdict_rules


def test_shipped_files_are_named_after_id_and_version() -> None:
    for path in shipped_form_files():
        form = load_form_file(path)
        assert path.name == f"{form.form_id}.v{form.version}.json"


def test_schema_is_a_valid_json_schema() -> None:
    schema = json.loads(form_schema().read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema).check_schema(schema)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(version="1"),
        lambda d: d.update(form_id="Bad Id"),
        lambda d: d["sections"][0].update(items=[]),
        lambda d: d["sections"][0]["items"][0].update(vetoo=True),
        lambda d: d["sections"][0]["items"][0].update(allowed_results=["合格"]),
        lambda d: d["verdict_rules"][0].update(result="符合"),
        lambda d: d["verdict_rules"][0].update(max=-1),
        lambda d: d.pop("product_units"),
    ],
)
def test_schema_and_app_both_refuse_broken_forms(change: object) -> None:
    data = json.loads(shipped_form_files()[0].read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    assert schema_problems(data)
    with pytest.raises(FormError):
        form_from_dict(data)


def test_forms_validate_clean_files_exit_0() -> None:
    code, out, err = run(["validate", *map(str, shipped_form_files())])
    assert code == 0 and err == ""
    assert out.count("通过") == len(shipped_form_files())


def test_forms_validate_reports_each_problem_with_place_and_exits_1(tmp_path: Path) -> None:
    data = json.loads(shipped_form_files()[0].read_text(encoding="utf-8"))
    data["sections"][0]["items"][1]["code"] = data["sections"][0]["items"][0]["code"]
    data["sections"][1]["items"] = []
    data["verdict_rules"].append(
        {"kind": "max_count", "result": "不符合", "max": 1, "items": ["9.9"]}
    )
    data["sections"][2]["items"][0]["allowed_results"] = ["符合", "不符合", "合格"]
    data["sections"][2]["items"][1]["allowed_results"] = ["符合", "不符合"]
    data["sections"][2]["items"][1]["requires"] = {"基本符合": ["note"]}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(["validate", str(bad), str(shipped_form_files()[1])])
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("错误：")]
    assert len(lines) == 5
    assert all(str(bad) in line for line in lines)
    assert any("重复" in line and "第 1 节" in line for line in lines)
    assert any("没有任何核查项" in line and "第 2 节" in line for line in lines)
    assert any("9.9" in line and "判定规则" in line for line in lines)
    assert any("合格" in line and "无效" in line for line in lines)
    assert any("requires" in line and "基本符合" in line for line in lines)
    assert "通过" in out  # the good file is still reported as good


def test_forms_validate_refuses_clashing_versions(tmp_path: Path) -> None:
    data = json.loads(shipped_form_files()[0].read_text(encoding="utf-8"))
    data["title"] = "同号不同内容"
    clash = tmp_path / "clash.json"
    clash.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, _out, err = run(["validate", str(shipped_form_files()[0]), str(clash)])
    assert code == 1 and "同号但内容不同" in err


def test_forms_validate_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    code, _out, err = run(["validate", str(tmp_path / "nope.json"), str(tmp_path / "x.csv")])
    assert code == 1 and "无法读取文件" in err and "不支持的文件类型" in err


def test_forms_import_export_round_trip(tmp_path: Path) -> None:
    source = shipped_form_files()[0]
    sheet = tmp_path / "表.xlsx"
    code, _out, err = run(["export", str(source), "--out", str(sheet)])
    assert code == 0, err
    back = tmp_path / "back.json"
    code, _out, err = run(["import", str(sheet), "--out", str(back)])
    assert code == 0, err
    assert load_form_file(back) == load_form_file(source)


def test_forms_export_from_workspace_by_id_and_version(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    open_workspace(workspace).close()  # a writing open installs the shipped forms
    sheet = tmp_path / "cement.xlsx"
    code, out, err = run(["export", "cement", "--out", str(sheet)], workspace)
    assert code == 0, err
    assert "cement 第 2 版" in out  # default: the latest version
    code, out, err = run(["export", "cement", "--version", "1", "--out", str(sheet)], workspace)
    assert code == 0 and "cement 第 1 版" in out
    code, out, err = run(["export", "cement", "--version", "9", "--out", str(sheet)], workspace)
    assert code == 1 and "cement 第 9 版" in err and "Traceback" not in err
    code, out, err = run(["export", "no-such-form", "--out", str(sheet)], workspace)
    assert code == 1 and "no-such-form" in err


def test_forms_import_reports_rows_and_exits_1(tmp_path: Path) -> None:
    sheet = tmp_path / "bad.xlsx"
    sheet.write_bytes(b"not a spreadsheet")
    code, _out, err = run(["import", str(sheet), "--out", str(tmp_path / "x.json")])
    assert code == 1 and "不是 xlsx 文件" in err
    assert not (tmp_path / "x.json").exists()


def test_forms_usage_errors_exit_2(tmp_path: Path) -> None:
    source = shipped_form_files()[0]
    assert run(["export", str(source), "--out", str(tmp_path / "x.csv")])[0] == 2
    assert run(["validate"])[0] == 2
    assert run(["import", str(tmp_path / "missing.xlsx"), "--out", "x.json"])[0] == 2


@pytest.mark.parametrize("command", ["import", "export", "validate"])
def test_forms_commands_have_help_and_are_documented(command: str) -> None:
    code, out, _err = run([command, "--help"])
    assert code == 0 and "Example:" in out
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    doc = (Path(__file__).resolve().parents[2] / "forms" / "README.md").read_text(encoding="utf-8")
    assert f"inspector forms {command}" in readme and f"inspector forms {command}" in doc
