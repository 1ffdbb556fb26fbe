"""Amendments (更正说明) end to end on the demo's signed-off case g (XK06-2026-0104, leader
王建华): the signed amendment document, stored by hash next to the signed case, which stays
locked and unchanged; the command; refusals that store nothing; case files and the export."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from inspector_app.casefile.reader import parse_case_file
from inspector_app.casefile.replay import import_case
from inspector_app.casefile.writer import case_json
from inspector_app.cli import cli
from inspector_app.core.errors import RuleViolation
from inspector_app.core.model import Actor, Amendment, CaseStatus
from inspector_app.demo import demo_id, demo_passphrase
from inspector_app.reports.amendment import amend_case
from inspector_app.reports.export import export_cases
from inspector_app.reports.verify import verify_pdf
from inspector_app.store import records
from inspector_app.store.attachments import attachment_path
from inspector_app.store.audit import verify_audit_trail
from inspector_app.store.casework import Casework, load_case_file
from inspector_app.store.errors import SignedRecordError
from inspector_app.store.identities import known_certificates
from inspector_app.store.secrets import PassphraseError
from inspector_app.store.workspace import Workspace, open_workspace
from tests.conftest import DemoWorkspaces

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
CASE = demo_id("g", "case")
APPLICATION = "XK06-2026-0104"
SAMPLED = demo_id("f", "case")
WANG = Actor(demo_id("reviewer", "wang"), "王建华")
LI = Actor(demo_id("reviewer", "li"), "李春梅")
REASON = "第 3.2 项核查说明笔误"
TEXT = "第 3.2 项的说明应为“原材料进货检验记录齐全”。"

needs_poppler = pytest.mark.skipif(
    shutil.which("pdfsig") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdfsig, pdftotext) not installed",
)


@pytest.fixture
def ws(demo_workspaces: DemoWorkspaces, tmp_path: Path) -> Iterator[Workspace]:
    demo_workspaces.copy(tmp_path / "ws", NOW)
    with open_workspace(tmp_path / "ws") as workspace:
        yield workspace


def leader_work(ws: Workspace, actor: Actor = WANG) -> Casework:
    return Casework(ws.db, actor, lambda: LATER)


def signed_report(ws: Workspace, case_id: str = CASE) -> str:
    return str(
        ws.db.execute(
            "SELECT DISTINCT document_sha256 FROM signature WHERE case_id = ?", [case_id]
        ).fetchone()[0]
    )


def other_signed_off(ws: Workspace) -> str:
    """The demo's other signed-off case, XK16-2026-0301."""
    row = ws.db.execute("SELECT id FROM review_case WHERE application_no = 'XK16-2026-0301'")
    return str(row.fetchone()[0])


def right() -> str:
    return demo_passphrase()


def count(ws: Workspace, table: str) -> int:
    return int(ws.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def files_of(ws: Workspace) -> set[Path]:
    return {p for p in ws.attachments.rglob("*") if p.is_file()}


def test_an_amendment_is_a_signed_document_stored_beside_the_locked_case(ws: Workspace) -> None:
    report = signed_report(ws)
    before = {k: v.version_id for k, v in records.case_versions(ws.db, CASE).items()}
    result = amend_case(
        ws, leader_work(ws), CASE, corrects=report, reason=REASON, text=TEXT, ask=right
    )
    pdf, amendment = result.signed.pdf, result.signed.amendment
    # The record: signed (locked), naming the corrected report and its own signed PDF.
    state = load_case_file(ws.db, CASE)
    assert state.amendments == (amendment,)
    assert amendment.corrects_sha256 == report and amendment.reason == REASON
    assert amendment.document_sha256 == hashlib.sha256(pdf).hexdigest()
    assert amendment.issued_by == next(m.id for m in state.members if m.reviewer_id == WANG.id)
    assert ws.db.execute("SELECT locked FROM amendment").fetchone() == (1,)
    # The signed case did not change: same status, same versions of every record it had.
    assert state.case.status == CaseStatus.SIGNED_OFF
    after = {k: v.version_id for k, v in records.case_versions(ws.db, CASE).items()}
    assert {k: v for k, v in after.items() if k != amendment.id} == before
    assert result.change.status_before == result.change.status_after == CaseStatus.SIGNED_OFF
    assert [s.table for s in result.change.saved] == ["amendment"]
    # Stored by its hash; verifies against the workspace's identities: the leader, 审查组长更正.
    assert attachment_path(ws, amendment.document_sha256).read_bytes() == pdf
    checked = verify_pdf(pdf, trust_roots=known_certificates(ws.db))
    assert checked.ok, checked.problems
    assert [(s.reviewer_id, s.meaning) for s in checked.signatures] == [(WANG.id, "审查组长更正")]
    assert verify_audit_trail(ws.db) == []
    # An amendment is immutable, like every signed record: the store and SQLite refuse.
    with pytest.raises(SignedRecordError):
        leader_work(ws).record_amendment(ws, amendment, None)
    with pytest.raises(sqlite3.IntegrityError):
        ws.db.execute("UPDATE amendment SET reason = 'x'")
    with pytest.raises(sqlite3.IntegrityError):
        ws.db.execute("DELETE FROM amendment")


@needs_poppler
def test_the_amendment_pdf_names_the_reason_and_the_corrected_hash(
    ws: Workspace, tmp_path: Path
) -> None:
    report = signed_report(ws)
    result = amend_case(
        ws, leader_work(ws), CASE, corrects=report, reason=REASON, text=TEXT, ask=right
    )
    path = tmp_path / "更正说明.pdf"
    path.write_bytes(result.signed.pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "更正说明" in text and APPLICATION in text
    assert REASON in text and TEXT in text
    assert report in text  # the corrected document's SHA-256, whole
    assert "企业实地核查报告（签发）" in text
    assert "王建华" in text
    sig = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid." in sig and "Total document signed" in sig


def test_the_amend_command_then_verify(ws: Workspace, tmp_path: Path) -> None:
    report = signed_report(ws)
    out = tmp_path / "更正.pdf"
    runner = CliRunner()
    args = ["--workspace", str(ws.folder), "--user", WANG.id, "amend", APPLICATION]
    env = {"INSPECTOR_PASSPHRASE": demo_passphrase()}
    done = runner.invoke(
        cli,
        [*args, "--corrects", report, "--reason", REASON, "--text", TEXT, "--out", str(out)],
        env=env,
    )
    assert done.exit_code == 0, done.output
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert f"SHA-256 {digest}" in done.output
    checked = runner.invoke(cli, ["--workspace", str(ws.folder), "verify", str(out)])
    assert checked.exit_code == 0, checked.output
    assert "审查组长更正" in checked.output and "王建华" in checked.output
    # An amendment is itself a signed document of the case: a later one may correct it.
    second = tmp_path / "更正2.pdf"
    again = runner.invoke(
        cli,
        [*args, "--corrects", digest, "--reason", "更正说明中的日期有误", "--out", str(second)],
        env=env,
    )
    assert again.exit_code == 0, again.output
    assert count(ws, "amendment") == 2
    audit = runner.invoke(cli, ["--workspace", str(ws.folder), "audit", "verify"])
    assert audit.exit_code == 0, audit.output


@pytest.mark.parametrize(
    ("who", "case_key", "corrects", "reason", "rule"),
    [
        ("wang", "f", "report", REASON, "amendment_after_sign_off"),
        ("wang", "g", "report", "   ", "amendment_reason"),
        ("wang", "g", "unknown", REASON, "amendment_corrects"),
        ("wang", "g", "not-a-hash", REASON, "amendment_corrects"),
        ("wang", "g", "other case", REASON, "amendment_corrects"),
        ("li", "g", "report", REASON, "amendment_by_leader"),
    ],
)
def test_refused_amendments_store_nothing(
    ws: Workspace, who: str, case_key: str, corrects: str, reason: str, rule: str
) -> None:
    actor = {"wang": WANG, "li": LI}[who]
    hashes = {
        "report": signed_report(ws),
        "unknown": "0" * 64,
        "not-a-hash": "abc",
        "other case": signed_report(ws, other_signed_off(ws)),
    }
    audit, files = count(ws, "audit_event"), files_of(ws)
    with pytest.raises(RuleViolation) as refused:
        amend_case(
            ws,
            leader_work(ws, actor),
            demo_id(case_key, "case"),
            corrects=hashes[corrects],
            reason=reason,
            text="",
            ask=right,
        )
    assert refused.value.rule == rule
    assert count(ws, "amendment") == 0 and count(ws, "audit_event") == audit
    assert files_of(ws) == files


def test_a_wrong_passphrase_stores_nothing_and_the_command_writes_no_file(
    ws: Workspace, tmp_path: Path
) -> None:
    with pytest.raises(PassphraseError, match="口令不正确"):
        amend_case(
            ws,
            leader_work(ws),
            CASE,
            corrects=signed_report(ws),
            reason=REASON,
            text="",
            ask=lambda: "wrong passphrase",
        )
    assert count(ws, "amendment") == 0
    out = tmp_path / "x.pdf"
    done = CliRunner().invoke(
        cli,
        [
            *("--workspace", str(ws.folder), "--user", WANG.id, "amend", APPLICATION),
            *("--corrects", signed_report(ws), "--reason", "", "--out", str(out)),
        ],
        env={"INSPECTOR_PASSPHRASE": demo_passphrase()},
    )
    assert done.exit_code == 1 and "原因不能为空" in done.output and "Traceback" not in done.output
    assert not out.exists() and count(ws, "amendment") == 0


def test_a_case_file_carries_its_amendments_and_the_export_writes_them(
    ws: Workspace, tmp_path: Path
) -> None:
    report = signed_report(ws)
    result = amend_case(
        ws, leader_work(ws), CASE, corrects=report, reason=REASON, text=TEXT, ask=right
    )
    amendment = result.signed.amendment
    text = case_json(load_case_file(ws.db, CASE), ws)
    assert '"amendments"' in text
    with open_workspace(tmp_path / "other") as other:
        import_case(other, parse_case_file(text.encode()), importer=WANG, clock=lambda: LATER)
        state = load_case_file(other.db, CASE)
        assert state.amendments == (amendment,)
        assert attachment_path(other, amendment.document_sha256).read_bytes() == result.signed.pdf
        version = records.stored_version(other.db, Amendment, amendment.id)
        assert version == records.stored_version(ws.db, Amendment, amendment.id)
        # Exported again, the same file.
        assert case_json(state, other) == text
    # A case without amendments gives the same file as before amendments existed.
    plain = case_json(load_case_file(ws.db, other_signed_off(ws)), ws)
    assert '"amendments"' not in plain
    # The clerk's export writes the amendment as stored, byte for byte.
    summary = export_cases(ws, tmp_path / "out", now=LATER, status=CaseStatus.SIGNED_OFF)
    amended = [f for f in summary.files if f.document == "amendment"]
    assert [f.file for f in amended] == [f"{APPLICATION}_宝胜科技创新股份有限公司_更正说明.pdf"]
    assert (tmp_path / "out" / amended[0].file).read_bytes() == result.signed.pdf
    assert amended[0].title == "更正说明"


def test_a_case_file_with_a_tampered_amendment_is_refused(ws: Workspace, tmp_path: Path) -> None:
    import json

    amend_case(
        ws, leader_work(ws), CASE, corrects=signed_report(ws), reason=REASON, text="", ask=right
    )
    doc = json.loads(case_json(load_case_file(ws.db, CASE), ws))
    doc["amendments"][0]["corrects_sha256"] = "0" * 64
    from inspector_app.casefile.reader import CaseFileError

    with open_workspace(tmp_path / "other") as other, pytest.raises(CaseFileError) as refused:
        import_case(
            other, parse_case_file(json.dumps(doc).encode()), importer=WANG, clock=lambda: LATER
        )
    assert refused.value.rule == "amendment_corrects"
    assert refused.value.path == "$.amendments[0]"
