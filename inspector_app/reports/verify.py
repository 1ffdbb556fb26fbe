"""Verifying a signed PDF (pyHanko): is every signature intact, valid and trusted, and does
the last one cover the whole file?

A signature is judged by pyHanko's `bottom_line` (intact, cryptographically valid, trusted,
and what was appended after it allowed), never by `valid` alone, which stays true on a
tampered file. Trust comes from the certificates passed in: the self-issued certificates the
workspace knows (`store.identities.known_certificates`) or explicit roots.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class SignerReport:
    """One signature of the document: who signed, when, what it means, and how it checks."""

    field_name: str
    name: str  # the certificate's CN
    certificate_no: str  # serialNumber of the subject (the reviewer certificate number)
    reviewer_id: str  # UID of the subject (the registry id)
    meaning: str  # /Reason, e.g. 组员签字 or 审查组长签发
    signed_at: str | None  # the signing time as recorded (/M), ISO 8601
    location: str
    certificate_sha256: str
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    ok: bool  # pyHanko's bottom line


@dataclass(frozen=True)
class VerificationReport:
    """What `verify_pdf` found: each signature, empty signature fields, and every problem
    (one sentence each, in Chinese). The document checks out only with no problem."""

    signatures: tuple[SignerReport, ...] = ()
    unsigned_fields: tuple[str, ...] = ()
    problems: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """Return whether there is at least one signature and no problem at all."""
        return bool(self.signatures) and not self.problems

    def as_json(self) -> dict[str, Any]:
        """Return the report as plain JSON-ready data."""
        return {
            "ok": self.ok,
            "signatures": [asdict(s) for s in self.signatures],
            "unsigned_fields": list(self.unsigned_fields),
            "problems": list(self.problems),
        }


def _fail(message: str) -> VerificationReport:
    return VerificationReport(problems=(message,))


def _subject_value(certificate: x509.Certificate, oid: x509.ObjectIdentifier) -> str:
    values = certificate.subject.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def _text(sig_object: Any, key: str) -> str:
    try:
        return str(sig_object[key])
    except KeyError:
        return ""


def _label(index: int, name: str) -> str:
    return f"第 {index} 个签名（{name or '未知签名人'}）"


def _status_problems(index: int, name: str, status: PdfSignatureStatus, last: bool) -> list[str]:
    label = _label(index, name)
    problems = []
    if not status.intact:
        problems.append(f"{label}：签名范围内的内容已被改动（摘要不符），文件不是签名时的样子。")
    elif not status.valid:
        problems.append(f"{label}：签名值无效（密码学校验失败）。")
    if status.intact and status.valid and not status.trusted:
        problems.append(
            f"{label}：签名人的证书不受信任——它不是本工作区已知的签名身份，也不在所给的信任根中。"
        )
    level = status.modification_level
    if level is not None and level >= ModificationLevel.OTHER:
        problems.append(f"{label}：签名之后文件又被修改，页面所显示的内容可能已被改动。")
    elif not status.docmdp_ok and level is not None:
        problems.append(f"{label}：签名之后的修改不为签名所允许。")
    if last and status.coverage != SignatureCoverageLevel.ENTIRE_FILE and not problems:
        problems.append(f"{label}是最后一个签名，但它之后文件又被追加了内容；签名未覆盖整个文件。")
    if not problems and not status.bottom_line:
        problems.append(f"{label}：未通过校验。")
    return problems


def verify_pdf(
    data: bytes,
    *,
    trust_roots: Sequence[x509.Certificate] = (),
    at: datetime | None = None,
) -> VerificationReport:
    """Verify every signature of a PDF.

    The document checks out (`report.ok`) only when it has at least one signature, every
    signature is intact, cryptographically valid and trusted (pyHanko's bottom line), nothing
    appended after a signature changes what the pages show, and the last signature covers the
    whole file.

    Args:
        data: the PDF's bytes.
        trust_roots: the certificates to trust (the workspace's self-issued ones, or roots).
        at: the moment at which certificates are checked (default: now, by pyHanko).

    Returns:
        The report: each signer (name, certificate number, time, meaning) and every problem.
    """
    if data.lstrip()[:5] != PDF_MAGIC:
        return _fail("这不是 PDF 文件（文件开头没有 %PDF- 标记）。")
    if b"%%EOF" not in data[-1024:]:
        return _fail("PDF 文件不完整：文件末尾缺少结束标记，可能被截断了。")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_regular_signatures)
        unsigned = tuple(
            str(name) for name, value, _ in fields.enumerate_sig_fields(reader) if value is None
        )
    except (PdfError, ValueError, KeyError, TypeError) as error:
        return _fail(f"PDF 文件已损坏或不完整，无法读取其结构（{type(error).__name__}）。")
    if not embedded:
        return VerificationReport(
            unsigned_fields=unsigned,
            problems=("文件中没有任何签名：它未经签署，或签名已被去除。",),
        )
    roots = [
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in trust_roots
    ]
    reports: list[SignerReport] = []
    problems: list[str] = []
    ordered = sorted(embedded, key=lambda s: s.signed_revision)
    for index, signature in enumerate(ordered, start=1):
        last = index == len(ordered)
        try:
            # pyHanko checks here that the certificate is the one the signer signed for
            # (its hash in the signed attributes): an edited certificate stops here.
            certificate = x509.load_der_x509_certificate(signature.signer_cert.dump())
        except (PdfError, ValueError) as error:  # pyHanko's errors are ValueErrors
            problems.append(
                f"第 {index} 个签名：找不到与签名相符的签名人证书（{type(error).__name__}），"
                "签名中的证书可能已被改动。"
            )
            continue
        name = _subject_value(certificate, x509.NameOID.COMMON_NAME)
        try:
            context = ValidationContext(trust_roots=roots, moment=at, allow_fetching=False)
            status = validate_pdf_signature(signature, context)
        except (PdfError, ValueError) as error:
            problems.append(
                f"{_label(index, name)}：无法校验（{type(error).__name__}），文件可能被截断或改动。"
            )
            continue
        found = _status_problems(index, name, status, last)
        problems += found
        when = signature.self_reported_timestamp
        reports.append(
            SignerReport(
                field_name=str(signature.field_name),
                name=name,
                certificate_no=_subject_value(certificate, x509.NameOID.SERIAL_NUMBER),
                reviewer_id=_subject_value(certificate, x509.NameOID.USER_ID),
                meaning=_text(signature.sig_object, "/Reason"),
                signed_at=when.isoformat() if when else None,
                location=_text(signature.sig_object, "/Location"),
                certificate_sha256=signature.signer_cert.sha256.hex(),
                intact=bool(status.intact),
                valid=bool(status.valid),
                trusted=bool(status.trusted),
                covers_whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
                ok=bool(status.bottom_line) and not found,
            )
        )
    return VerificationReport(tuple(reports), unsigned, tuple(problems))
