"""Handwritten signatures (手写签名) on the case's documents: who signs which document, and the
rules a signature drawn on the laptop must meet before it is kept.

The documents are the printed ones that carry a signature line: the team filing (the leader),
each member's integrity declaration, the on-site report (every member and the enterprise's
representative) and the sampling record (its samplers and the enterprise's representative).
People are ids: a member signs as a member id; the representative, who is in no registry, by
the name written under the signature.

Pure Python: the image check decodes the PNG's bytes with Pillow (imported when needed); no
Qt, no files, no clock.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from inspector_app.core.errors import Problem
from inspector_app.core.model import (
    CaseFile,
    HandSignature,
    Role,
    SignerKind,
    TeamMember,
)
from inspector_app.core.team import current_filing


class SignedDocument(StrEnum):
    """The documents signed by hand; the values are the reports' `DocumentKind` values."""

    FILING = "filing"  # 审查组备案表
    DECLARATION = "declaration"  # 廉洁承诺书
    ONSITE = "onsite"  # 企业实地核查报告
    SAMPLING = "sampling"  # 抽样单 / 封样记录


# For the rules' messages; the display labels are in inspector_app.labels.
DOCUMENT_LABELS: dict[SignedDocument, str] = {
    SignedDocument.FILING: "审查组备案表",
    SignedDocument.DECLARATION: "廉洁承诺书",
    SignedDocument.ONSITE: "企业实地核查报告",
    SignedDocument.SAMPLING: "抽样单 / 封样记录",
}

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_SIDE = 4096
MIN_SIDE = 8
MIN_INK_PIXELS = 20
"""Fewer dark pixels than this is a blank pad or a stray dot, not a signature."""
INK_LUMINANCE = 160
"""A pixel darker than this (0–255, drawn over white) is ink."""
MAX_NAME = 100


@dataclass(frozen=True)
class SignatureLine:
    """One place a document needs a handwritten signature, and the signature if it is there.

    A member's line names the member; the representative's line names whoever signed (empty
    while nobody has).
    """

    document: SignedDocument
    kind: SignerKind
    member: TeamMember | None
    representative: str
    signature: HandSignature | None

    @property
    def signed(self) -> bool:
        """Whether the line is signed."""
        return self.signature is not None


def signer_key(signature: HandSignature) -> tuple[str, str, str, str]:
    """Return who signs what: one signature per document and signer (a new drawing by the same
    signer replaces the old one as a new version of the same record)."""
    return (
        signature.document,
        signature.signer_kind.value,
        signature.member_id or "",
        (signature.representative or "").strip(),
    )


def _ordered(members: Sequence[TeamMember]) -> list[TeamMember]:
    return sorted(members, key=lambda m: (m.role != Role.LEADER, m.name, m.reviewer_id))


def representatives(state: CaseFile) -> list[str]:
    """Return the enterprise representatives named by the sampling records, in order."""
    names: list[str] = []
    for sample in sorted(state.samples, key=lambda s: (s.sampled_at, s.id)):
        name = sample.enterprise_representative.strip()
        if name and name not in names:
            names.append(name)
    return names


def expected_signers(
    state: CaseFile, document: SignedDocument
) -> tuple[list[TeamMember], list[str] | None]:
    """Return who signs a document: its members, and its representatives (a list of names
    when the names are fixed by a record, [] when any name may sign, None when the
    representative does not sign). Nothing is expected of a document that is not there yet."""
    members = _ordered(state.members)
    if document == SignedDocument.FILING:
        if current_filing(state.filings, state.members) is None:
            return [], None
        return [m for m in members if m.role == Role.LEADER], None
    if document == SignedDocument.DECLARATION:
        return members, None
    if document == SignedDocument.ONSITE:
        if state.case.concluded_at is None:
            return [], None
        return members, []
    samplers = {sid for s in state.samples for sid in s.sampler_ids}
    if not state.samples:
        return [], None
    return [m for m in members if m.id in samplers], representatives(state)


def signature_sheet(state: CaseFile) -> list[SignatureLine]:
    """Return every signature line of the case's documents, signed or not, document by
    document (the filing, the declarations, the on-site report, the sampling record)."""
    by_key = {signer_key(s): s for s in state.hand_signatures}
    lines: list[SignatureLine] = []
    for document in SignedDocument:
        members, names = expected_signers(state, document)
        for member in members:
            key = (document.value, SignerKind.MEMBER.value, member.id, "")
            lines.append(SignatureLine(document, SignerKind.MEMBER, member, "", by_key.get(key)))
        if names is None:
            continue
        signed = sorted(
            (
                s
                for s in state.hand_signatures
                if s.document == document.value and s.signer_kind == SignerKind.REPRESENTATIVE
            ),
            key=lambda s: (s.signed_at, s.id),
        )
        for signature in signed:
            lines.append(
                SignatureLine(
                    document,
                    SignerKind.REPRESENTATIVE,
                    None,
                    (signature.representative or "").strip(),
                    signature,
                )
            )
        signed_names = {(s.representative or "").strip() for s in signed}
        for name in names or ([] if signed else [""]):
            if name not in signed_names:
                lines.append(SignatureLine(document, SignerKind.REPRESENTATIVE, None, name, None))
    return lines


# The rules -------------------------------------------------------------------------------------


def hand_signer_on_filed_team_problems(signature: HandSignature, state: CaseFile) -> list[Problem]:
    """A member signs as a member of the filed team, named by member id (never by name): the
    id is on the team, and the team as it is now has been filed."""
    if signature.signer_kind != SignerKind.MEMBER:
        return []
    if not signature.member_id or signature.member_id not in {m.id for m in state.members}:
        return [
            Problem(
                "signer_on_team",
                f"签字人（{signature.member_id or '未指定'}）不是本案审查组的成员；"
                "手写签名须由已备案的审查组成员签署。",
            )
        ]
    if current_filing(state.filings, state.members) is None:
        return [
            Problem(
                "signer_on_team",
                "审查组尚未备案或备案已失效，已备案的审查组成员才能签字；请先（重新）备案。",
            )
        ]
    return []


def representative_named_problems(signature: HandSignature) -> list[Problem]:
    """The enterprise's representative signs under a name that is written out (not empty, not
    overlong); a member's signature names no representative."""
    name = (signature.representative or "").strip()
    if signature.signer_kind == SignerKind.MEMBER:
        if name:
            return [Problem("representative_named", "审查组成员的签名不应填写企业代表姓名。")]
        return []
    if not name:
        return [Problem("representative_named", "请填写签字的企业代表的姓名。")]
    if len(name) > MAX_NAME:
        return [
            Problem(
                "representative_named", f"企业代表姓名过长（{len(name)} 字，最多 {MAX_NAME}）。"
            )
        ]
    if signature.member_id:
        return [Problem("representative_named", "企业代表的签名不能同时指定审查组成员。")]
    return []


def signer_expected_problems(signature: HandSignature, state: CaseFile) -> list[Problem]:
    """A signature goes on a document that exists and that this signer signs: the filing by
    the leader, a declaration by any member, the on-site report (once concluded) by the members
    and the representative, the sampling record by its samplers and the representative it
    names."""
    try:
        document = SignedDocument(signature.document)
    except ValueError:
        return [Problem("signed_document", f"没有可手写签名的文书“{signature.document}”。")]
    label = DOCUMENT_LABELS[document]
    members, names = expected_signers(state, document)
    if not members and names is None:
        return [Problem("signed_document", f"{label}尚未形成，还不能签字。")]
    if signature.signer_kind == SignerKind.MEMBER:
        if signature.member_id in {m.id for m in members}:
            return []
        return [Problem("signer_expected", f"该审查组成员不是{label}的签字人。")]
    if names is None:
        return [Problem("signer_expected", f"{label}不需要企业代表签字。")]
    name = (signature.representative or "").strip()
    if names and name not in names:
        return [
            Problem(
                "signer_expected",
                f"{label}记录的企业代表是{'、'.join(names)}，不是“{name}”。",
            )
        ]
    return []


def signature_image_problems(png: bytes) -> list[Problem]:
    """The drawing is a PNG image of a sensible size with ink on it: a blank pad (or a stray
    dot) is not a signature."""
    if not png.startswith(PNG_MAGIC):
        return [Problem("signature_image", "签名图像不是 PNG 图片。")]
    if len(png) > MAX_IMAGE_BYTES:
        return [
            Problem(
                "signature_image",
                f"签名图像过大（{len(png) // 1024} KB，最多 {MAX_IMAGE_BYTES // 1024} KB）。",
            )
        ]
    from PIL import Image, UnidentifiedImageError  # only a signature's check needs Pillow

    try:
        with Image.open(io.BytesIO(png), formats=["PNG"]) as image:
            width, height = image.size
            if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
                return [
                    Problem(
                        "signature_image",
                        f"签名图像尺寸 {width}×{height} 不合理"
                        f"（每边 {MIN_SIDE}–{MAX_SIDE} 像素）。",
                    )
                ]
            rgba = image.convert("RGBA")
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError):
        return [Problem("signature_image", "签名图像无法读取（PNG 文件已损坏）。")]
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    gray = Image.alpha_composite(white, rgba).convert("L")
    ink = sum(gray.histogram()[:INK_LUMINANCE])
    if ink < MIN_INK_PIXELS:
        return [Problem("signature_not_blank", "签名板上没有签名：请先在签名板上签字再保存。")]
    return []


def hand_signature_recorder_problems(
    recorder: TeamMember | None, recorder_name: str
) -> list[Problem]:
    """A handwritten signature is taken on the laptop of a member of the case's team (who
    hands the pad to the signer); someone off the team records nothing in the case."""
    if recorder is not None:
        return []
    return [
        Problem(
            "recorder_on_team",
            f"只有本案审查组成员才能在本机记录手写签名（当前用户：{recorder_name}）。",
        )
    ]
