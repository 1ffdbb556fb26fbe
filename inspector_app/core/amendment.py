"""Amendments (更正说明) of a signed-off case: after the sign-off a correction is a new, signed
document that names the document it corrects and why, never an edit of a signed record.

Each rule is one function; the store checks them all before it writes the amendment.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta

from inspector_app.core.calendar import RegulationCalendar
from inspector_app.core.errors import Problem
from inspector_app.core.model import Actor, Amendment, CaseFile, CaseStatus, Role, TeamMember

AMENDMENT_MEANING = "审查组长更正"
"""The meaning of the leader's signature on an amendment."""

MAX_REASON_CHARS = 2000
MAX_TEXT_CHARS = 20000
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def signed_documents(state: CaseFile) -> dict[str, datetime]:
    """Return the signed documents of a case by SHA-256, each with the time it was signed: the
    signed on-site report of the sign-off (its last signature's time) and every amendment."""
    documents: dict[str, datetime] = {}
    for signature in state.signatures:
        if signature.document_sha256:
            known = documents.get(signature.document_sha256)
            if known is None or signature.signed_at > known:
                documents[signature.document_sha256] = signature.signed_at
    for amendment in state.amendments:
        if amendment.document_sha256:
            documents[amendment.document_sha256] = amendment.issued_at
    return documents


def signed_off_at(state: CaseFile) -> datetime | None:
    """Return when the case was signed off (the leader's signature, the last), or None."""
    return max((s.signed_at for s in state.signatures), default=None)


def amendment_after_sign_off_problems(status: CaseStatus) -> list[Problem]:
    """An amendment corrects a signed-off case; before the sign-off the records themselves are
    corrected."""
    if status == CaseStatus.SIGNED_OFF:
        return []
    return [
        Problem(
            "amendment_after_sign_off",
            "本案尚未签发：签发前请直接修改记录，签发后才需要更正说明。",
        )
    ]


def amendment_reason_problems(reason: str, text: str) -> list[Problem]:
    """An amendment says why (a reason that is not empty) and, within limits, what it says."""
    problems = []
    if not reason.strip():
        problems.append(
            Problem("amendment_reason", "更正说明须写明更正原因（原因不能为空），未保存任何内容。")
        )
    elif len(reason) > MAX_REASON_CHARS:
        problems.append(
            Problem("amendment_reason", f"更正原因过长（不超过 {MAX_REASON_CHARS} 字）。")
        )
    if len(text) > MAX_TEXT_CHARS:
        problems.append(
            Problem("amendment_reason", f"更正内容过长（不超过 {MAX_TEXT_CHARS} 字）。")
        )
    return problems


def corrected_document_problems(
    corrects_sha256: str, documents: Mapping[str, datetime], application_no: str
) -> list[Problem]:
    """An amendment names the document it corrects by its SHA-256, and that is a signed
    document of this case (the signed report or an earlier amendment)."""
    if not SHA256.match(corrects_sha256):
        return [
            Problem(
                "amendment_corrects",
                f"“{corrects_sha256[:80]}”不是文件的 SHA-256（64 位小写十六进制）。",
            )
        ]
    if corrects_sha256 not in documents:
        return [
            Problem(
                "amendment_corrects",
                f"SHA-256 {corrects_sha256[:12]}… 不是案件 {application_no} 的已签名文书；"
                "更正说明只能更正本案已签名的文书。",
            )
        ]
    return []


def amendment_issuer_problems(issuer: TeamMember | None, actor: Actor) -> list[Problem]:
    """The case's leader issues an amendment, as themself (审查组长负责制)."""
    if issuer is None or issuer.role != Role.LEADER or issuer.reviewer_id != actor.id:
        return [
            Problem(
                "amendment_by_leader",
                f"只有本案审查组组长本人才能签发更正说明（当前用户：{actor.name}）。",
            )
        ]
    return []


def amendment_time_problems(
    issued_at: datetime,
    signed_off: datetime | None,
    now: datetime,
    tolerance: timedelta,
    calendar: RegulationCalendar,
) -> list[Problem]:
    """An amendment is issued after the sign-off and not later than the laptop's clock."""

    def shown(at: datetime) -> str:
        return calendar.local(at).strftime("%Y-%m-%d %H:%M")

    problems = []
    if signed_off is not None and issued_at <= signed_off:
        problems.append(
            Problem(
                "amendment_time",
                f"更正时间 {shown(issued_at)} 不晚于签发时间 {shown(signed_off)}："
                "更正说明须在签发之后。",
            )
        )
    if issued_at > now + tolerance:
        problems.append(
            Problem(
                "amendment_time",
                f"更正时间 {shown(issued_at)} 晚于本机当前时间 {shown(now)}，"
                "不能记录尚未发生的事。",
            )
        )
    return problems


def amendment_document_problems(amendment: Amendment, stored: Collection[str]) -> list[Problem]:
    """The signed amendment document is stored in the workspace by its SHA-256, and it is not
    the document it corrects."""
    if not amendment.document_sha256 or amendment.document_sha256 not in stored:
        return [
            Problem(
                "amendment_document",
                "更正说明须有经签名的更正文书（按 SHA-256 保存在工作区中）。",
            )
        ]
    if amendment.document_sha256 == amendment.corrects_sha256:
        return [Problem("amendment_document", "更正说明不能更正它自己。")]
    return []
