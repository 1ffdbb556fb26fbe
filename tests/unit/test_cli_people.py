"""The acting reviewer on the command line: by id, or by a name that names exactly one."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from inspector_app.cli import cli
from inspector_app.store.workspace import open_workspace

WANG_A = "aaaaaaaa-0000-4000-8000-000000000001"
WANG_B = "bbbbbbbb-0000-4000-8000-000000000002"


def run(folder: Path, *args: str) -> Result:
    return CliRunner(env={"INSPECTOR_USER": None}).invoke(cli, ["--workspace", str(folder), *args])


def add(folder: Path, reviewer_id: str, name: str, unit: str, *extra: str) -> Result:
    return run(
        folder,
        *extra,
        "reviewer",
        "add",
        "--id",
        reviewer_id,
        "--name",
        name,
        "--unit",
        unit,
        "--unit-type",
        "technical_institution",
        "--certificate-no",
        f"XKSC-{reviewer_id[:4]}",
        "--certificate-expiry",
        "2030-01-01",
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "ws"
    assert add(folder, WANG_A, "王伟", "江苏省产品质量监督检验研究院").exit_code == 0
    assert add(folder, WANG_B, "王伟", "中国水泥协会").exit_code == 0
    return folder


@pytest.fixture(scope="module")
def case_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A case file of the demo, made once for the module (the tests only read it)."""
    tmp_path = tmp_path_factory.mktemp("people")
    demo = tmp_path / "demo"
    assert run(demo, "demo").exit_code == 0
    out = tmp_path / "case.json"
    assert run(demo, "case", "export", "XK08-2026-0202", "--out", str(out)).exit_code == 0
    return out


def one_error_line(result: Result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), result.stderr
    return lines[0]


def test_reviewer_list_tells_namesakes_apart(folder: Path) -> None:
    result = run(folder, "reviewer", "list", "--json")
    rows = json.loads(result.stdout)
    assert {(r["id"], r["name"], r["unit"]) for r in rows} == {
        (WANG_A, "王伟", "江苏省产品质量监督检验研究院"),
        (WANG_B, "王伟", "中国水泥协会"),
    }
    text = run(folder, "reviewer", "list").stdout
    assert WANG_A in text and WANG_B in text and "中国水泥协会" in text


def test_an_ambiguous_name_lists_the_candidates(folder: Path, case_file: Path) -> None:
    line = one_error_line(run(folder, "--user", "王伟", "case", "import", str(case_file)))
    assert "reviewer_ambiguous" in line
    assert WANG_A in line and WANG_B in line and "中国水泥协会" in line
    assert json.loads(run(folder, "case", "list", "--json").stdout) == []


def test_an_unknown_user_is_an_error(folder: Path, case_file: Path) -> None:
    line = one_error_line(run(folder, "--user", "李娜", "case", "import", str(case_file)))
    assert "reviewer_unknown" in line and "李娜" in line


def test_the_login_name_is_never_taken_for_a_reviewer(tmp_path: Path, case_file: Path) -> None:
    folder = tmp_path / "login"
    assert add(folder, WANG_A, getpass.getuser(), "某单位").exit_code == 0
    line = one_error_line(run(folder, "case", "import", str(case_file)))
    assert "--user" in line and "acting_user" in line


def test_an_id_names_the_acting_reviewer(folder: Path, case_file: Path) -> None:
    result = run(folder, "--user", WANG_B, "case", "import", str(case_file))
    assert result.exit_code == 0, result.stderr
    event = run(folder, "case", "list", "--json")
    assert len(json.loads(event.stdout)) == 1


def test_a_unique_name_names_the_acting_reviewer(tmp_path: Path, case_file: Path) -> None:
    folder = tmp_path / "unique"
    assert add(folder, WANG_A, "李娜", "某单位").exit_code == 0
    assert run(folder, "--user", "李娜", "case", "import", str(case_file)).exit_code == 0


def test_commands_that_only_read_need_no_acting_user(folder: Path) -> None:
    for command in (["case", "list"], ["reviewer", "list"], ["audit", "verify"]):
        assert run(folder, *command).exit_code == 0, command


def test_reviewer_add_refuses_a_taken_id_and_missing_fields(folder: Path) -> None:
    assert "reviewer_id" in one_error_line(add(folder, WANG_A, "王伟", "别的单位"))
    assert "reviewer_fields" in one_error_line(add(folder, WANG_A[:-1] + "9", " ", "单位"))
    bad_date = run(
        folder, "reviewer", "add", "--name", "x", "--unit", "y", "--unit-type", "other",
        "--certificate-no", "z", "--certificate-expiry", "2030-02-30",
    )  # fmt: skip
    assert bad_date.exit_code == 2


def test_settings_set_and_show(folder: Path) -> None:
    assert "time_zone = Asia/Shanghai" in run(folder, "settings", "show").stdout
    assert "acting_user" in one_error_line(run(folder, "settings", "set", "time_zone", "UTC"))
    who = ("--user", WANG_B)
    assert run(folder, *who, "settings", "set", "time_zone", "Asia/Urumqi").exit_code == 0
    assert "time_zone = Asia/Urumqi" in run(folder, "settings", "show").stdout
    with open_workspace(folder) as workspace:
        event = workspace.db.execute(
            "SELECT actor_id, record_table, old, new FROM audit_event ORDER BY seq DESC LIMIT 1"
        ).fetchone()
    assert event[:2] == (WANG_B, "setting") and "Asia/Shanghai" in event[2]
    assert "Asia/Urumqi" in event[3]
    bad_zone = run(folder, *who, "settings", "set", "time_zone", "Mars/Base")
    assert "时区" in one_error_line(bad_zone)
    assert "clock_tolerance_minutes" in one_error_line(
        run(folder, *who, "settings", "set", "clock_tolerance_minutes", "五分钟")
    )
    assert "没有名为" in one_error_line(run(folder, *who, "settings", "set", "colour", "red"))


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("-5", "不能为负数"),
        ("-0", None),
        ("abc", "整数"),
        ("", "整数"),
        ("   ", "整数"),
        ("²", "整数"),
        ("1e3", "整数"),
        ("9" * 5000, "0 至 1440"),
        ("1441", "0 至 1440"),
        ("-99999999999999999999", "不能为负数"),
    ],
)
def test_settings_set_clock_tolerance_bad_values_get_the_rule(
    folder: Path, value: str, words: str | None
) -> None:
    """A negative value reaches the rule (click does not take it for an option), and text, a
    huge number or nothing at all is refused in one line; the setting keeps its value."""
    result = run(folder, "--user", WANG_B, "settings", "set", "clock_tolerance_minutes", value)
    if words is None:  # "-0" is zero, a valid tolerance
        assert result.exit_code == 0, result.output
        assert "clock_tolerance_minutes = 0" in run(folder, "settings", "show").stdout
        return
    line = one_error_line(result)
    assert "clock_tolerance_minutes" in line and words in line, line
    assert "clock_tolerance_minutes = 10" in run(folder, "settings", "show").stdout


@pytest.mark.parametrize("value", ["", "-UTC", "/etc/passwd", "../../etc/localtime", "a\x00b"])
def test_settings_set_time_zone_bad_values_get_the_rule(folder: Path, value: str) -> None:
    result = run(folder, "--user", WANG_B, "settings", "set", "time_zone", value)
    assert "时区" in one_error_line(result)
    assert "time_zone = Asia/Shanghai" in run(folder, "settings", "show").stdout
