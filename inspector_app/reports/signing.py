"""Signing a finished PDF (pyHanko): PAdES signatures as incremental updates, with a visible
stamp, by each member in turn and the leader last.

The document first gets its empty signature fields (`add_signature_fields`), before any
signature: adding a field later would be a change after the earlier signatures. Each
`sign_pdf` then fills one field as an incremental update, so every earlier signature still
covers the revision it signed. Each signature records, in the signed signature dictionary,
the signer's name (/Name), the meaning of the signature (/Reason, e.g. 组员签字 or 审查组长签发),
the reviewer certificate number (/ContactInfo), where (/Location) and when (/M): the time is
passed in, never read from a clock here.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import content, generic, layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.stamp.static import StaticStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from inspector_app.core.errors import Problem, RuleViolation
from inspector_app.reports.stamp import StampText, stamp_pdf
from inspector_app.store.identities import UnlockedIdentity


class SignatureMeaning(StrEnum):
    """What a signature means on a document (签字含义)."""

    MEMBER = "组员签字"
    LEADER = "审查组长签发"


CERTIFICATE_NO_PREFIX = "审查员证书编号 "
"""How /ContactInfo carries the reviewer certificate number (read back by verification)."""

A4_WIDTH = 595


@dataclass(frozen=True)
class SignatureSlot:
    """An empty signature field to create: its name, page (0-based; -1 the last) and box
    (lower-left x, y, upper-right x, y, in points)."""

    field_name: str
    page: int
    box: tuple[int, int, int, int]


def team_signature_slots(
    member_count: int,
    *,
    page: int = -1,
    page_width: int = A4_WIDTH,
    bottom: int = 40,
    width: int = 170,
    height: int = 64,
) -> list[SignatureSlot]:
    """Return one slot per member (`member-1`, `member-2`, …) and one for the leader
    (`leader`, last), laid out in rows of three from the bottom of `page`.

    The leader's slot comes last: the leader signs after every member.
    """
    names = [f"member-{k}" for k in range(1, member_count + 1)] + ["leader"]
    per_row = 3
    gap = (page_width - per_row * width) // (per_row + 1)
    rows = (len(names) + per_row - 1) // per_row
    slots = []
    for index, name in enumerate(names):
        row, column = divmod(index, per_row)
        x = gap + column * (width + gap)
        y = bottom + (rows - 1 - row) * (height + 12)
        slots.append(SignatureSlot(name, page, (x, y, x + width, y + height)))
    return slots


def _refused(rule: str, message: str) -> RuleViolation:
    return RuleViolation(Problem(rule, message))


def _reader(pdf: bytes) -> PdfFileReader:
    if pdf.lstrip()[:5] != b"%PDF-":
        raise _refused("pdf_unreadable", "不是 PDF 文件，无法签名。")
    try:
        return PdfFileReader(io.BytesIO(pdf), strict=False)
    except (PdfError, ValueError, KeyError) as error:
        raise _refused("pdf_unreadable", "PDF 文件已损坏或不完整，无法签名。") from error


def signature_fields(pdf: bytes) -> list[tuple[str, bool]]:
    """Return the document's signature fields in order, each with whether it is signed."""
    reader = _reader(pdf)
    return [
        (str(name), value is not None) for name, value, _ref in fields.enumerate_sig_fields(reader)
    ]


def add_signature_fields(pdf: bytes, slots: Sequence[SignatureSlot]) -> bytes:
    """Return `pdf` with an empty visible signature field for each slot (an incremental
    update), to be done before the first signature.

    Raises:
        RuleViolation: the document is not a readable PDF, already holds a signature, or
            already has a field of one of these names.
    """
    existing = signature_fields(pdf)
    if any(signed for _, signed in existing):
        raise _refused(
            "fields_before_signing",
            "文件已有签名：签名栏须在第一个签名之前建好，之后再加会使已有签名失效。",
        )
    taken = {name for name, _ in existing} & {slot.field_name for slot in slots}
    if taken:
        raise _refused("field_name_taken", f"文件中已有签名栏：{'、'.join(sorted(taken))}。")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    for slot in slots:
        fields.append_signature_field(
            writer, fields.SigFieldSpec(slot.field_name, on_page=slot.page, box=slot.box)
        )
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    return out.getvalue()


class _StampPage(content.PdfContent):
    """A stamp's appearance: the first page of a small PDF (in memory) as a form XObject."""

    def __init__(self, pdf: bytes) -> None:
        super().__init__()
        self.pdf = pdf

    def render(self) -> bytes:
        writer = self._ensure_writer
        xobject = writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.pdf)), page_ix=0)
        self.resources.xobject["/Stamp"] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = layout.BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return b"/Stamp Do"


class _TimedWriter(IncrementalPdfFileWriter):
    """An incremental writer that records the given time as the document's /ModDate, where
    pyHanko would read the clock."""

    def __init__(self, pdf: bytes, at: datetime) -> None:
        super().__init__(io.BytesIO(pdf), strict=False)
        self._at = at

    def _update_meta(self) -> None:
        super()._update_meta()  # type: ignore[no-untyped-call]
        info = self._info.get_object() if self._info is not None else None  # type: ignore[no-untyped-call]
        if info is not None and "/ModDate" in info:
            info["/ModDate"] = generic.pdf_date(self._at)


class _TimedSigner(signers.PdfSigner):
    """A PdfSigner whose signing time (the signature's /M) is the one passed in."""

    def __init__(self, at: datetime, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._at = at

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._at
        return session


def _field_box(reader: PdfFileReader, field_name: str) -> tuple[float, float]:
    for name, _value, ref in fields.enumerate_sig_fields(reader, with_name=field_name):
        if name == field_name:
            x1, y1, x2, y2 = (float(v) for v in ref.get_object()["/Rect"])
            return abs(x2 - x1), abs(y2 - y1)
    raise KeyError(field_name)


def sign_pdf(
    pdf: bytes,
    signer: UnlockedIdentity,
    *,
    field_name: str,
    meaning: str,
    signed_at: datetime,
    location: str = "",
) -> bytes:
    """Return `pdf` signed by `signer` in the empty field `field_name`: a PAdES signature as
    an incremental update, with a visible stamp (meaning, name, certificate number, time).

    Args:
        pdf: the document (with its signature fields already made).
        signer: an unlocked signing identity.
        field_name: the empty signature field to fill.
        meaning: what the signature means, e.g. `SignatureMeaning.MEMBER` (组员签字).
        signed_at: the signing time (time zone aware; passed in, never read from a clock).
        location: where it is signed (optional).

    Raises:
        RuleViolation: not a readable PDF; no such field, or it is already signed.
    """
    if signed_at.tzinfo is None:
        raise ValueError("signed_at must carry a time zone")
    reader = _reader(pdf)
    states = dict(signature_fields(pdf))
    if field_name not in states:
        names = "、".join(states) or "无"
        raise _refused(
            "signature_field", f"文件中没有名为 {field_name} 的签名栏（现有签名栏：{names}）。"
        )
    if states[field_name]:
        raise _refused("signature_field", f"签名栏 {field_name} 已经签过名，不能再签。")
    width, height = _field_box(reader, field_name)
    identity = signer.identity
    stamp = stamp_pdf(
        StampText(meaning, identity.name, identity.certificate_no, signed_at), width, height
    )
    style = StaticStampStyle(
        background=_StampPage(stamp),
        border_width=0,
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins(0, 0, 0, 0),
        ),
    )
    certificate = asn1_x509.Certificate.load(
        identity.certificate.public_bytes(serialization.Encoding.DER)
    )
    key = asn1_keys.PrivateKeyInfo.load(
        signer.private_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cms_signer = signers.SimpleSigner(
        signing_cert=certificate,
        signing_key=key,
        # empty: the signer's certificate is embedded once, and no other goes with it
        cert_registry=SimpleCertificateStore(),  # type: ignore[no-untyped-call]
    )
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=identity.name,
        reason=str(meaning),
        location=location or None,
        contact_info=f"{CERTIFICATE_NO_PREFIX}{identity.certificate_no}",
    )
    pdf_signer = _TimedSigner(signed_at, meta, cms_signer, stamp_style=style)
    try:
        out = pdf_signer.sign_pdf(_TimedWriter(pdf, signed_at), existing_fields_only=True)
    except SigningError as error:
        raise _refused("signing_failed", f"签名未完成：{error}。文件未改动。") from error
    return bytes(out.getvalue())
