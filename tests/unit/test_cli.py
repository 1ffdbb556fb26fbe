"""The `inspector` command: every command documented and helpful; errors are one line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from inspector_app.cli import cli
from inspector_app.store.workspace import open_workspace

README = Path(__file__).resolve().parents[2] / "README.md"


def all_commands(group: click.Group = cli, prefix: str = "") -> list[str]:
    names = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            names += all_commands(command, f"{full} ")
        else:
            names.append(full)
    return names


@pytest.mark.parametrize("command", all_commands())
def test_every_command_has_help_and_is_in_the_readme(command: str) -> None:
    result = CliRunner().invoke(cli, [*command.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    assert f"`inspector {command}" in README.read_text(encoding="utf-8")


def test_usage_error_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--workspace", str(tmp_path), "case", "export", "x"])
    assert result.exit_code == 2


def test_case_list_json_has_the_promised_fields(tmp_path: Path) -> None:
    ws = ["--workspace", str(tmp_path / "ws")]
    assert CliRunner().invoke(cli, [*ws, "demo"]).exit_code == 0
    result = CliRunner().invoke(cli, [*ws, "case", "list", "--json"])
    rows = json.loads(result.stdout)
    assert len(rows) == 9
    assert {"id", "application_no", "enterprise", "status"} <= set(rows[0])
    overdue = [r["application_no"] for r in rows if r["overdue"]]
    assert overdue == ["XK06-2026-0099"]


def test_unknown_case_is_one_line_on_stderr(tmp_path: Path) -> None:
    open_workspace(tmp_path).close()
    result = CliRunner().invoke(
        cli, ["--workspace", str(tmp_path), "case", "export", "NOPE", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "NOPE" in result.stderr and "Traceback" not in result.stderr


def test_audit_verify_passes_on_demo_and_names_the_count(tmp_path: Path) -> None:
    ws = ["--workspace", str(tmp_path / "ws")]
    CliRunner().invoke(cli, [*ws, "demo"])
    result = CliRunner().invoke(cli, [*ws, "audit", "verify", "XK06-2026-0104"])
    assert result.exit_code == 0
    assert re.search(r"\d+ 条事件", result.stdout)


def test_case_show_names_alerts_and_verdict(tmp_path: Path) -> None:
    ws = ["--workspace", str(tmp_path / "ws")]
    CliRunner().invoke(cli, [*ws, "demo"])
    overdue = CliRunner().invoke(cli, [*ws, "case", "show", "XK06-2026-0099"])
    assert overdue.exit_code == 0
    assert "提示：已超过实地核查期限" in overdue.stdout
    signed = CliRunner().invoke(cli, [*ws, "case", "show", "XK06-2026-0104"]).stdout
    # the feedback hand-overs, as the README says case show lists them
    assert re.search(r"反馈表：受理 \d{4}-\d\d-\d\d \d\d:\d\d；实地核查 ", signed), signed
    failed = json.loads(
        CliRunner().invoke(cli, [*ws, "case", "show", "XK16-2026-0301", "--json"]).stdout
    )
    assert failed["checklist"]["verdict"].startswith("不合格：否决项")
    assert failed["objections"] and failed["signed_off"]
    old_form = json.loads(
        CliRunner().invoke(cli, [*ws, "case", "show", "XK08-2026-0202", "--json"]).stdout
    )
    assert "第 1 版" in old_form["form"]  # keeps the version it started with


def test_export_names_a_missing_attachment_and_writes_nothing(tmp_path: Path) -> None:
    ws = ["--workspace", str(tmp_path / "ws")]
    CliRunner().invoke(cli, [*ws, "demo"])
    for photo in (tmp_path / "ws" / "attachments").rglob("*"):
        if photo.is_file():
            photo.unlink()
    out = tmp_path / "case.json"
    result = CliRunner().invoke(cli, [*ws, "case", "export", "XK06-2026-0104", "--out", str(out)])
    assert result.exit_code == 1
    assert "缺失" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_export_to_a_missing_folder_is_one_clear_line(tmp_path: Path) -> None:
    ws = ["--workspace", str(tmp_path / "ws")]
    CliRunner().invoke(cli, [*ws, "demo"])
    out = tmp_path / "no-such-folder" / "case.json"
    result = CliRunner().invoke(cli, [*ws, "case", "export", "XK06-2026-0101", "--out", str(out)])
    assert result.exit_code == 1
    assert "无法写入" in result.stderr and len(result.stderr.strip().splitlines()) == 1
