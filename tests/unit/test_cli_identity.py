"""`inspector identity create|show` and `inspector verify FILE.pdf`."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from inspector_app.cli import cli
from inspector_app.reports.signing import (
    SignatureMeaning,
    add_signature_fields,
    sign_pdf,
    team_signature_slots,
)
from inspector_app.store.identities import unlock_identity
from inspector_app.store.workspace import open_workspace
from tests.unit.signing_helpers import NOW, PASSPHRASE, TEAM, add_team, chinese_pdf, no_keyring

__all__ = ["no_keyring"]


def run(folder: Path, *args: str, env: dict[str, str] | None = None, text: str = "") -> Result:
    return CliRunner().invoke(
        cli, ["--workspace", str(folder), *args], env=env or {}, input=text or None
    )


@pytest.fixture
def folder(tmp_path: Path, no_keyring: None) -> Path:
    path = tmp_path / "ws"
    with open_workspace(path) as ws:
        add_team(ws.db)
    return path


WITH_ENV = {"INSPECTOR_PASSPHRASE": PASSPHRASE}


def test_identity_create_with_the_environment_passphrase(folder: Path) -> None:
    result = run(folder, "--user", "张三", "identity", "create", env=WITH_ENV)
    assert result.exit_code == 0, result.output
    assert "已为 张三" in result.stdout and "XKSC-2026-0001" in result.stdout
    shown = json.loads(run(folder, "identity", "show", "--json").stdout)
    assert [(r["name"], r["reviewer_id"]) for r in shown] == [("张三", "r-zhang")]
    again = run(folder, "--user", "r-zhang", "identity", "create", env=WITH_ENV)
    assert again.exit_code == 1
    assert "已有签名身份" in again.stderr and len(again.stderr.strip().splitlines()) == 1


def test_identity_create_asks_the_passphrase_twice(folder: Path) -> None:
    result = run(folder, "--user", "r-li", "identity", "create", text=f"{PASSPHRASE}\n" * 2)
    assert result.exit_code == 0, result.output
    assert PASSPHRASE not in result.output  # hidden input is never echoed
    with open_workspace(folder) as ws:
        assert unlock_identity(ws.db, TEAM[1], ask=lambda: PASSPHRASE).identity.name == "李四"


def test_identity_create_needs_an_acting_user_and_a_long_passphrase(folder: Path) -> None:
    assert run(folder, "identity", "create", env=WITH_ENV).exit_code == 1
    short = run(folder, "--user", "r-li", "identity", "create", env={"INSPECTOR_PASSPHRASE": "1"})
    assert short.exit_code == 1 and "口令太短" in short.stderr


def signed_file(folder: Path, tmp_path: Path) -> Path:
    for person in TEAM:
        assert run(folder, "--user", person.id, "identity", "create", env=WITH_ENV).exit_code == 0
    with open_workspace(folder) as ws:
        signers = [unlock_identity(ws.db, p, ask=lambda: PASSPHRASE) for p in TEAM]
    pdf = add_signature_fields(chinese_pdf(), team_signature_slots(2))
    for k, field in enumerate(("member-1", "member-2", "leader")):
        meaning = SignatureMeaning.LEADER if field == "leader" else SignatureMeaning.MEMBER
        pdf = sign_pdf(
            pdf, signers[k], field_name=field, meaning=meaning, signed_at=NOW + timedelta(hours=k)
        )
    path = tmp_path / "报告.pdf"
    path.write_bytes(pdf)
    return path


def test_verify_a_signed_file_then_a_tampered_one(folder: Path, tmp_path: Path) -> None:
    path = signed_file(folder, tmp_path)
    result = run(folder, "verify", str(path))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("member-1  组员签字  张三（证书编号 XKSC-2026-0001）")
    assert "审查组长签发  王建华" in lines[2] and "2026-11-30T11:00:00+08:00" in lines[2]
    assert "3 个签名均完好有效" in lines[-1]
    report = json.loads(run(folder, "verify", str(path), "--json").stdout)
    assert report["ok"] is True and len(report["signatures"]) == 3

    data = path.read_bytes()
    at = data.index(b"ReportLab Generated")
    path.write_bytes(data[:at] + b"Y" + data[at + 1 :])
    bad = run(folder, "verify", str(path))
    assert bad.exit_code == 1
    assert len(bad.stderr.strip().splitlines()) == 3  # one line per problem
    assert "签名范围内的内容已被改动" in bad.stderr
    as_json = run(folder, "verify", str(path), "--json")
    assert as_json.exit_code == 1 and json.loads(as_json.stdout)["ok"] is False


def test_verify_trusts_only_the_workspace_identities(folder: Path, tmp_path: Path) -> None:
    path = signed_file(folder, tmp_path)
    other = tmp_path / "other"
    open_workspace(other).close()
    result = run(other, "verify", str(path))
    assert result.exit_code == 1
    assert result.stderr.count("不受信任") == 3


def test_verify_refuses_a_file_that_is_not_a_pdf(folder: Path, tmp_path: Path) -> None:
    path = tmp_path / "note.pdf"
    path.write_text("not a pdf")
    result = run(folder, "verify", str(path))
    assert result.exit_code == 1
    assert "这不是 PDF 文件" in result.stderr
