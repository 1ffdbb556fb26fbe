"""The sign-off ceremony end to end on demo case "f" (sampled, cement team: leader 王建华,
the namesake 王建华 of 中国水泥协会, 陈志强): snapshot, each signer in turn, the signed report
stored by its hash, the case locked; a change in between, a wrong passphrase or a missing
identity stores nothing."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from inspector_app.cli import cli
from inspector_app.core.errors import RuleViolation
from inspector_app.core.model import Actor, CaseStatus, FeedbackHandover, Role, Stage
from inspector_app.core.signoff import SignerSlot
from inspector_app.demo import demo_id, demo_passphrase
from inspector_app.reports.signoff import sign_off_case, sign_report, unlock_signers
from inspector_app.reports.verify import verify_pdf
from inspector_app.store.attachments import attachment_path
from inspector_app.store.audit import verify_audit_trail
from inspector_app.store.casework import Casework, load_case_file
from inspector_app.store.identities import known_certificates
from inspector_app.store.secrets import PassphraseError
from inspector_app.store.workspace import Workspace, open_workspace
from tests.conftest import DemoWorkspaces
from tests.unit.signing_helpers import no_keyring

__all__ = ["no_keyring"]

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
CASE = demo_id("f", "case")
WANG = Actor(demo_id("reviewer", "wang"), "王建华")
WANG2 = Actor(demo_id("reviewer", "wang2"), "王建华")

needs_poppler = pytest.mark.skipif(
    shutil.which("pdfsig") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdfsig, pdftotext) not installed",
)


def leader_work(ws: Workspace) -> Casework:
    return Casework(ws.db, WANG, lambda: LATER)


def right(_slot: SignerSlot) -> str:
    return demo_passphrase()


def count(ws: Workspace, table: str) -> int:
    return int(ws.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def attachment_files(ws: Workspace) -> set[Path]:
    return {p for p in ws.attachments.rglob("*") if p.is_file()}


@pytest.fixture
def ws(demo_workspaces: DemoWorkspaces, tmp_path: Path, no_keyring: None) -> Iterator[Workspace]:
    demo_workspaces.copy(tmp_path / "ws", NOW)
    with open_workspace(tmp_path / "ws") as workspace:
        yield workspace


def test_the_sign_off_ceremony_end_to_end(ws: Workspace, tmp_path: Path) -> None:
    asked: list[str] = []

    def ask(slot: SignerSlot) -> str:
        asked.append(slot.member.reviewer_id)
        return demo_passphrase()

    result = sign_off_case(ws, leader_work(ws), CASE, ask)
    state = load_case_file(ws.db, CASE)
    leader = next(m for m in state.members if m.role == Role.LEADER)
    # Every member was asked in turn, the leader last.
    assert asked == [s.member.reviewer_id for s in result.snapshot.signers]
    assert asked[-1] == WANG.id and set(asked) == {m.reviewer_id for m in state.members}
    # The PDF verifies: one signature per member, the leader last, 审查组长签发.
    pdf = result.report.pdf
    report = verify_pdf(pdf, trust_roots=known_certificates(ws.db))
    assert report.ok, report.problems
    assert [s.reviewer_id for s in report.signatures] == asked
    assert report.signatures[-1].meaning == "审查组长签发"
    assert {s.meaning for s in report.signatures[:-1]} == {"组员签字"}
    # The case is locked; the signature records carry the PDF's hash, which names a stored
    # attachment whose bytes verify.
    digest = hashlib.sha256(pdf).hexdigest()
    assert state.case.status == CaseStatus.SIGNED_OFF
    assert result.change.status_after == CaseStatus.SIGNED_OFF
    assert len(state.signatures) == 3 and {s.document_sha256 for s in state.signatures} == {digest}
    assert {s.signer_id for s in state.signatures} == {m.id for m in state.members}
    leader_signature = next(s for s in state.signatures if s.signer_id == leader.id)
    assert leader_signature.meaning == "审查组长签发"
    assert leader_signature.signed_at >= max(s.signed_at for s in state.signatures)
    row = ws.db.execute("SELECT media_type FROM attachment WHERE sha256 = ?", [digest]).fetchone()
    assert row == ("application/pdf",)
    stored = attachment_path(ws, digest).read_bytes()
    assert stored == pdf and verify_pdf(stored, trust_roots=known_certificates(ws.db)).ok
    assert ws.db.execute("SELECT count(*) FROM attachment_pending").fetchone()[0] == 0
    # Each signature record is its signer's own act in the audit trail.
    actors = dict(
        ws.db.execute(
            "SELECT record_id, actor_id FROM audit_event WHERE record_table = 'signature'"
            " AND case_id = ?",
            [CASE],
        ).fetchall()
    )
    by_member = {m.id: m.reviewer_id for m in state.members}
    assert all(actors[s.id] == by_member[s.signer_id] for s in state.signatures)
    assert verify_audit_trail(ws.db) == []
    # Nothing more can be added: the case is signed off.
    with pytest.raises(RuleViolation) as again:
        sign_off_case(ws, leader_work(ws), CASE, right)
    assert again.value.rule == "case_signed_off"


@needs_poppler
def test_poppler_checks_the_signed_report_and_shows_the_stamps(
    ws: Workspace, tmp_path: Path
) -> None:
    result = sign_off_case(ws, leader_work(ws), CASE, right)
    path = tmp_path / "signed.pdf"
    path.write_bytes(result.report.pdf)
    pdfsig = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    assert pdfsig.stdout.count("Signature is Valid.") == 3, pdfsig.stdout
    names = [line.split(": ", 1)[1] for line in pdfsig.stdout.splitlines() if "Field Name" in line]
    assert names == ["member-1", "member-2", "leader"]
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "审查组长签发" in text and text.count("组员签字") >= 2
    # The two 王建华 sign as two people: their certificates and stamps differ.
    state = load_case_file(ws.db, CASE)
    numbers = {m.certificate_no for m in state.members if m.name == "王建华"}
    assert len(numbers) == 2 and all(number in text for number in numbers)


def test_two_reviewers_of_one_name_sign_as_two_people(ws: Workspace) -> None:
    result = sign_off_case(ws, leader_work(ws), CASE, right)
    report = verify_pdf(result.report.pdf, trust_roots=known_certificates(ws.db))
    wangs = [s for s in report.signatures if s.name == "王建华"]
    assert len(wangs) == 2
    assert {s.reviewer_id for s in wangs} == {WANG.id, WANG2.id}
    assert len({s.certificate_sha256 for s in wangs}) == 2
    assert len({s.certificate_no for s in wangs}) == 2


def test_a_change_between_snapshot_and_completion_is_refused_and_stores_nothing(
    ws: Workspace,
) -> None:
    work = leader_work(ws)
    snapshot = work.sign_off_snapshot(CASE)
    signers = unlock_signers(ws, snapshot, right)
    signed = sign_report(ws, snapshot, signers, now=LATER, clock=lambda: LATER)
    # Meanwhile the leader records another feedback hand-over.
    state = load_case_file(ws.db, CASE)
    leader = next(m for m in state.members if m.role == Role.LEADER)
    work.record_handover(
        FeedbackHandover(
            "47474747-4747-4747-8747-474747474747",
            CASE,
            Stage.INSPECTION,
            LATER,
            "王立军",
            leader.id,
        )
    )
    events, files = count(ws, "audit_event"), attachment_files(ws)
    with pytest.raises(RuleViolation) as refused:
        work.complete_sign_off(ws, snapshot, signed.pdf, signed.signatures)
    assert refused.value.rule == "unchanged_since_snapshot"
    assert str(refused.value).startswith("本案在生成文件后被修改")
    assert count(ws, "audit_event") == events and attachment_files(ws) == files
    assert count(ws, "attachment_pending") == 0
    assert not ws.db.execute(
        "SELECT 1 FROM attachment WHERE sha256 = ?", [signed.sha256]
    ).fetchall()
    assert load_case_file(ws.db, CASE).case.status == CaseStatus.SAMPLED
    assert load_case_file(ws.db, CASE).signatures == ()


def test_a_wrong_passphrase_stops_the_ceremony_with_nothing_stored(ws: Workspace) -> None:
    events, files = count(ws, "audit_event"), attachment_files(ws)

    def ask(slot: SignerSlot) -> str:
        return "not the passphrase" if slot.field_name == "member-2" else demo_passphrase()

    with pytest.raises(PassphraseError) as refused:
        sign_off_case(ws, leader_work(ws), CASE, ask)
    assert "陈志强" in str(refused.value) and "未保存任何内容" in str(refused.value)
    assert count(ws, "audit_event") == events and attachment_files(ws) == files
    assert load_case_file(ws.db, CASE).case.status == CaseStatus.SAMPLED


def test_a_member_without_identity_is_named_with_the_command(ws: Workspace) -> None:
    ws.db.execute("DELETE FROM signing_identity WHERE reviewer_id = ?", [WANG2.id])
    with pytest.raises(RuleViolation) as refused:
        leader_work(ws).sign_off_snapshot(CASE)
    assert refused.value.rule == "signer_identity"
    assert "中国水泥协会" in str(refused.value)
    assert f"inspector --user {WANG2.id} identity create" in str(refused.value)


def test_only_the_leader_starts_the_sign_off(ws: Workspace) -> None:
    with pytest.raises(RuleViolation) as refused:
        Casework(ws.db, WANG2, lambda: LATER).sign_off_snapshot(CASE)
    assert refused.value.rule == "leader_only"


def test_the_signed_off_demo_cases_carry_a_signed_report(ws: Workspace) -> None:
    roots = known_certificates(ws.db)
    for key in ("g", "h"):
        state = load_case_file(ws.db, demo_id(key, "case"))
        assert state.case.status == CaseStatus.SIGNED_OFF
        assert len(state.signatures) == len(state.members)
        (digest,) = {s.document_sha256 for s in state.signatures}
        assert verify_pdf(attachment_path(ws, digest).read_bytes(), trust_roots=roots).ok


def test_a_signed_off_case_file_round_trips_with_its_signed_report(
    ws: Workspace, tmp_path: Path
) -> None:
    from inspector_app.casefile.reader import parse_case_file
    from inspector_app.casefile.replay import import_case
    from inspector_app.casefile.writer import case_json

    result = sign_off_case(ws, leader_work(ws), CASE, right)
    text = case_json(load_case_file(ws.db, CASE), ws)
    with open_workspace(tmp_path / "other") as other:
        import_case(other, parse_case_file(text.encode()), importer=WANG, clock=lambda: LATER)
        state = load_case_file(other.db, CASE)
        assert state.case.status == CaseStatus.SIGNED_OFF
        assert {s.document_sha256 for s in state.signatures} == {result.report.sha256}
        assert attachment_path(other, result.report.sha256).read_bytes() == result.report.pdf


def test_the_signoff_command(ws: Workspace, tmp_path: Path) -> None:
    folder = ws.folder
    out = tmp_path / "签发.pdf"
    env = {"INSPECTOR_PASSPHRASE": demo_passphrase()}
    runner = CliRunner()
    args = ["--workspace", str(folder), "--user", WANG.id]
    done = runner.invoke(cli, [*args, "signoff", "XK08-2026-0203", "--out", str(out)], env=env)
    assert done.exit_code == 0, done.output
    assert "审查组长签发：王建华" in done.output and "已签发：3 人签字" in done.output
    assert verify_pdf(out.read_bytes(), trust_roots=known_certificates(ws.db)).ok
    checked = runner.invoke(cli, ["--workspace", str(folder), "verify", str(out)])
    assert checked.exit_code == 0, checked.output
    audit = runner.invoke(cli, ["--workspace", str(folder), "audit", "verify"])
    assert audit.exit_code == 0, audit.output
    again = runner.invoke(cli, [*args, "signoff", "XK08-2026-0203", "--out", str(out)], env=env)
    assert again.exit_code == 1 and "已由审查组长签发" in again.output


def test_the_signoff_command_asks_each_signer_in_turn(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "signed.pdf"
    typed = f"{demo_passphrase()}\n" * 3
    done = CliRunner().invoke(
        cli,
        ["--workspace", str(ws.folder), "--user", WANG.id, "signoff", CASE, "--out", str(out)],
        env={"INSPECTOR_PASSPHRASE": ""},
        input=typed,
    )
    assert done.exit_code == 0, done.output
    prompts = [line for line in done.output.splitlines() if "输入本人口令" in line]
    assert len(prompts) == 3 and "中国水泥协会" in done.output
    assert demo_passphrase() not in done.output


def test_the_signoff_command_with_a_wrong_passphrase_writes_nothing(
    ws: Workspace, tmp_path: Path
) -> None:
    out = tmp_path / "signed.pdf"
    done = CliRunner().invoke(
        cli,
        ["--workspace", str(ws.folder), "--user", WANG.id, "signoff", CASE, "--out", str(out)],
        env={"INSPECTOR_PASSPHRASE": "wrong passphrase"},
    )
    assert done.exit_code == 1 and "口令不正确" in done.output
    assert not out.exists()


def test_an_older_case_files_record_only_sign_off_still_imports(
    ws: Workspace, tmp_path: Path
) -> None:
    from inspector_app.casefile.reader import parse_case_file
    from inspector_app.casefile.replay import import_case
    from inspector_app.casefile.writer import case_json

    leader_work(ws).sign_off(CASE)  # the leader's one signature, naming no document
    text = case_json(load_case_file(ws.db, CASE), ws)
    with open_workspace(tmp_path / "other") as other:
        import_case(other, parse_case_file(text.encode()), importer=WANG, clock=lambda: LATER)
        state = load_case_file(other.db, CASE)
        assert state.case.status == CaseStatus.SIGNED_OFF
        (only,) = state.signatures
        assert only.meaning == "审查组长签发" and only.document_sha256 == ""


def test_a_case_file_whose_signatures_name_a_missing_document_is_refused(
    ws: Workspace, tmp_path: Path
) -> None:
    import json

    from inspector_app.casefile.reader import CaseFileError, parse_case_file
    from inspector_app.casefile.replay import import_case
    from inspector_app.casefile.writer import case_json

    result = sign_off_case(ws, leader_work(ws), CASE, right)
    doc = json.loads(case_json(load_case_file(ws.db, CASE), ws))
    doc["attachments"] = [a for a in doc["attachments"] if a["sha256"] != result.report.sha256]
    with open_workspace(tmp_path / "other") as other:
        with pytest.raises(CaseFileError) as refused:
            import_case(
                other,
                parse_case_file(json.dumps(doc, ensure_ascii=False).encode()),
                importer=WANG,
                clock=lambda: LATER,
            )
        assert refused.value.rule == "signed_document_stored"
