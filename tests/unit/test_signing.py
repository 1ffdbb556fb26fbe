"""Signing a PDF by two members then the leader, and verifying it: pyHanko's bottom line and
poppler's pdfsig agree; each kind of tampering fails with its message."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from inspector_app.core.errors import RuleViolation
from inspector_app.reports.signing import (
    SignatureMeaning,
    add_signature_fields,
    sign_pdf,
    signature_fields,
    team_signature_slots,
)
from inspector_app.reports.verify import verify_pdf
from inspector_app.store.identities import (
    UnlockedIdentity,
    create_identity,
    known_certificates,
    unlock_identity,
)
from inspector_app.store.workspace import open_workspace
from tests.unit.signing_helpers import (
    BODY_TEXT,
    CHEAP,
    NOW,
    PASSPHRASE,
    TEAM,
    add_team,
    chinese_pdf,
)

needs_poppler = pytest.mark.skipif(
    shutil.which("pdfsig") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdfsig, pdftotext) not installed",
)


@dataclass(frozen=True)
class Signed:
    """A document with empty fields, then signed by two members and the leader."""

    prepared: bytes  # fields made, nothing signed
    after_members: bytes
    signed: bytes
    roots: list[x509.Certificate]
    signers: list[UnlockedIdentity]


@pytest.fixture(scope="module")
def team_signed(tmp_path_factory: pytest.TempPathFactory) -> Signed:
    folder = tmp_path_factory.mktemp("signing") / "ws"
    with open_workspace(folder) as ws:
        add_team(ws.db)
        for person in TEAM:
            create_identity(ws.db, person, PASSPHRASE, now=NOW, kdf_n=CHEAP)
        signers = [unlock_identity(ws.db, p, ask=lambda: PASSPHRASE) for p in TEAM]
        roots = known_certificates(ws.db)
    prepared = add_signature_fields(chinese_pdf(), team_signature_slots(2))
    pdf = prepared
    for k, field in enumerate(("member-1", "member-2")):
        pdf = sign_pdf(
            pdf,
            signers[k],
            field_name=field,
            meaning=SignatureMeaning.MEMBER,
            signed_at=NOW + timedelta(minutes=k),
            location="某某水泥有限公司",
        )
    after_members = pdf
    signed = sign_pdf(
        pdf,
        signers[2],
        field_name="leader",
        meaning=SignatureMeaning.LEADER,
        signed_at=NOW + timedelta(minutes=10),
    )
    return Signed(prepared, after_members, signed, roots, signers)


def pdfsig(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    run = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    return run.stdout + run.stderr


def test_members_then_the_leader_sign_and_it_verifies(team_signed: Signed) -> None:
    report = verify_pdf(team_signed.signed, trust_roots=team_signed.roots)
    assert report.ok, report.problems
    got = [(s.field_name, s.name, s.certificate_no, s.meaning) for s in report.signatures]
    assert got == [
        ("member-1", "张三", "XKSC-2026-0001", "组员签字"),
        ("member-2", "李四", "XKSC-2026-0002", "组员签字"),
        ("leader", "王建华", "XKSC-2026-0003", "审查组长签发"),
    ]
    assert [s.signed_at for s in report.signatures] == [
        "2026-11-30T09:00:00+08:00",
        "2026-11-30T09:01:00+08:00",
        "2026-11-30T09:10:00+08:00",
    ]
    assert [s.reviewer_id for s in report.signatures] == ["r-zhang", "r-li", "r-wang"]
    assert report.signatures[0].location == "某某水泥有限公司"
    assert [s.covers_whole_file for s in report.signatures] == [False, False, True]
    assert report.unsigned_fields == ()
    assert report.as_json()["ok"] is True


def test_each_signature_is_an_incremental_update(team_signed: Signed) -> None:
    assert team_signed.signed.startswith(team_signed.after_members)
    assert team_signed.after_members.startswith(team_signed.prepared)


def test_a_partly_signed_document_lists_the_fields_still_to_sign(team_signed: Signed) -> None:
    report = verify_pdf(team_signed.after_members, trust_roots=team_signed.roots)
    assert report.ok
    assert report.unsigned_fields == ("leader",)
    assert signature_fields(team_signed.after_members) == [
        ("member-1", True),
        ("member-2", True),
        ("leader", False),
    ]


@needs_poppler
def test_pdfsig_recognises_every_signature(team_signed: Signed, tmp_path: Path) -> None:
    out = pdfsig(tmp_path, team_signed.signed)
    assert out.count("Signature Validation: Signature is Valid.") == 3
    assert out.count("Total document signed") == 1  # the leader's, the last
    assert out.count("Not total document signed") == 2
    assert "Signer Certificate Common Name: 王建华" in out
    assert "serialNumber=XKSC-2026-0003" in out
    # self-issued: poppler does not know the issuer, but the signature itself is valid
    assert "Certificate Validation: Certificate issuer is unknown." in out


@needs_poppler
def test_the_stamp_and_the_body_text_are_on_the_page(team_signed: Signed, tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(team_signed.signed)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert BODY_TEXT in text
    for expected in ("组员签字", "审查组长签发", "签名人：张三", "签名人：李四", "签名人：王建华"):
        assert expected in text
    assert "证书编号：XKSC-2026-0003" in text
    assert "2026-11-30 09:10 UTC+08:00" in text


def test_a_changed_byte_in_the_signed_range_fails(team_signed: Signed) -> None:
    data = team_signed.signed
    at = data.index(b"ReportLab Generated")  # a comment in the header: every signature covers it
    tampered = data[:at] + b"X" + data[at + 1 :]
    report = verify_pdf(tampered, trust_roots=team_signed.roots)
    assert not report.ok
    assert len(report.problems) == 3
    assert all("签名范围内的内容已被改动" in p for p in report.problems)


@needs_poppler
def test_pdfsig_also_sees_the_changed_byte(team_signed: Signed, tmp_path: Path) -> None:
    data = team_signed.signed
    at = data.index(b"ReportLab Generated")
    out = pdfsig(tmp_path, data[:at] + b"X" + data[at + 1 :])
    assert "Signature Validation: Signature is Valid." not in out
    assert out.count("Digest Mismatch") == 3


def test_a_changed_signature_value_fails(team_signed: Signed) -> None:
    data = team_signed.signed
    start = data.rindex(b"/Contents <") + len(b"/Contents <")
    hex_digits = data[start : data.index(b">", start)].rstrip(b"0")
    at = start + len(hex_digits) - 10  # inside the signature value, the CMS's last field
    flipped = b"0" if data[at : at + 1] != b"0" else b"1"
    report = verify_pdf(data[:at] + flipped + data[at + 1 :], trust_roots=team_signed.roots)
    assert not report.ok
    assert report.problems == ("第 3 个签名（王建华）：签名值无效（密码学校验失败）。",)


def test_an_edited_embedded_certificate_fails(team_signed: Signed) -> None:
    """The signer's certificate travels in the signature's unsigned part; editing it (here the
    reviewer certificate number, kept the same length) must not pass as the same signer."""
    data = team_signed.signed
    at = data.rindex(b"/Contents <") + len(b"/Contents <")
    end = data.index(b">", at)
    serial = b"XKSC-2026-0003".hex().upper().encode()
    forged = b"XKSC-2026-9003".hex().upper().encode()
    # the certificate is embedded once; its number appears in its issuer and subject, then in
    # the signer identifier and the signed signing-certificate attribute (issuer names)
    assert data.count(serial, at, end) == 4
    subject_at = data.index(serial, data.index(serial, at, end) + 1, end)
    tampered = data[:subject_at] + forged + data[subject_at + len(serial) :]
    report = verify_pdf(tampered, trust_roots=team_signed.roots)
    assert not report.ok
    assert report.problems == (
        "第 3 个签名：找不到与签名相符的签名人证书（SignatureValidationError），"
        "签名中的证书可能已被改动。",
    )


def appended_revision(data: bytes) -> bytes:
    """Append an incremental update that draws a filled box over the page."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    stream = generic.StreamObject(stream_data=b"q 0 0 1 rg 72 600 300 80 re f Q")
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_revision_after_the_last_signature_that_changes_the_page_fails(
    team_signed: Signed,
) -> None:
    tampered = appended_revision(team_signed.signed)
    report = verify_pdf(tampered, trust_roots=team_signed.roots)
    assert not report.ok
    assert any("王建华" in p and "页面所显示的内容" in p for p in report.problems)


def test_a_truncated_file_fails(team_signed: Signed) -> None:
    for cut in (team_signed.signed[:-300], team_signed.signed[: len(team_signed.signed) // 2]):
        report = verify_pdf(cut, trust_roots=team_signed.roots)
        assert not report.ok
        assert "不完整" in report.problems[0]


def test_a_copy_without_its_signatures_fails(team_signed: Signed) -> None:
    report = verify_pdf(team_signed.prepared, trust_roots=team_signed.roots)
    assert not report.ok
    assert report.problems == ("文件中没有任何签名：它未经签署，或签名已被去除。",)
    assert report.unsigned_fields == ("member-1", "member-2", "leader")
    assert not verify_pdf(chinese_pdf()).ok


def test_a_file_that_is_not_a_pdf_fails() -> None:
    for data in (b"", b"hello", b"\x89PNG\r\n\x1a\n" + bytes(100)):
        report = verify_pdf(data)
        assert not report.ok
        assert report.problems == ("这不是 PDF 文件（文件开头没有 %PDF- 标记）。",)


def test_an_unknown_signer_is_not_trusted(team_signed: Signed) -> None:
    report = verify_pdf(team_signed.signed, trust_roots=team_signed.roots[:2])
    assert not report.ok
    assert len(report.problems) == 1
    assert "王建华" in report.problems[0] and "不受信任" in report.problems[0]
    assert verify_pdf(team_signed.signed).problems[0].endswith("也不在所给的信任根中。")


def test_a_field_signed_twice_or_missing_is_refused(team_signed: Signed) -> None:
    with pytest.raises(RuleViolation, match="已经签过名"):
        sign_pdf(
            team_signed.signed,
            team_signed.signers[0],
            field_name="member-1",
            meaning=SignatureMeaning.MEMBER,
            signed_at=NOW,
        )
    with pytest.raises(RuleViolation, match="没有名为 member-9"):
        sign_pdf(
            team_signed.prepared,
            team_signed.signers[0],
            field_name="member-9",
            meaning=SignatureMeaning.MEMBER,
            signed_at=NOW,
        )


def test_fields_are_not_added_after_a_signature(team_signed: Signed) -> None:
    with pytest.raises(RuleViolation, match="第一个签名之前"):
        add_signature_fields(team_signed.after_members, team_signed_slots())


def team_signed_slots() -> list:  # type: ignore[type-arg]
    return team_signature_slots(1)[:1]


def test_not_a_pdf_is_refused_for_signing(team_signed: Signed) -> None:
    with pytest.raises(RuleViolation, match="不是 PDF"):
        sign_pdf(
            b"plain text",
            team_signed.signers[0],
            field_name="member-1",
            meaning=SignatureMeaning.MEMBER,
            signed_at=NOW,
        )
