"""The sign-off (签发) of a case's on-site report: who signs, in which order, what each
signature means, and what the stored signatures must name.

Every filed member signs the on-site report with their own signing identity, one after the
other on the shared laptop; the leader signs last, and the leader's signature is the sign-off
(审查组长签发). Each signature record names the signed document by its SHA-256, and that
document is kept in the workspace.

A case file of the first sign-off (before signed documents existed) carries one signature: the
leader's, naming no document. It is still accepted (`is_record_only_sign_off`), so that the
cases signed off then can be imported; a signed-off case of today carries the document.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from inspector_app.core.errors import Problem
from inspector_app.core.model import IntegrityDeclaration, Role, Signature, TeamMember
from inspector_app.core.team import has_signed_declaration

LEADER_MEANING = "审查组长签发"
"""The meaning of the leader's signature: the sign-off of the case."""

MEMBER_MEANING = "组员签字"
"""The meaning of a member's signature on the on-site report."""


@dataclass(frozen=True)
class SignerSlot:
    """One signer of the report, in signing order: the member, the meaning of their signature
    and the signature field of the document they fill (`member-1` …, `leader`)."""

    member: TeamMember
    meaning: str
    field_name: str


def signing_order(members: Sequence[TeamMember]) -> list[SignerSlot]:
    """Return who signs the on-site report, in order: the members as the report lists them
    (by name, then reviewer id), the leader last with the meaning 审查组长签发."""
    others = sorted(
        (m for m in members if m.role != Role.LEADER), key=lambda m: (m.name, m.reviewer_id)
    )
    slots = [
        SignerSlot(member, MEMBER_MEANING, f"member-{k}")
        for k, member in enumerate(others, start=1)
    ]
    slots += [SignerSlot(m, LEADER_MEANING, "leader") for m in members if m.role == Role.LEADER]
    return slots


def in_signing_order(
    members: Sequence[TeamMember], signatures: Sequence[Signature]
) -> list[Signature]:
    """Return the signatures in the order they were made: by time, and at the same time in
    the signing order (the leader last). Case files list signatures by time."""
    position = {slot.member.id: k for k, slot in enumerate(signing_order(members))}
    return sorted(signatures, key=lambda s: (s.signed_at, position.get(s.signer_id, -1), s.id))


def _who(member: TeamMember) -> str:
    return f"{member.name}（{member.unit}，证书编号 {member.certificate_no}）"


def signers_ready_problems(
    members: Sequence[TeamMember],
    declarations: Sequence[IntegrityDeclaration],
    with_identity: Collection[str],
) -> list[Problem]:
    """Every member who is to sign has a signed integrity declaration (廉洁承诺) and a signing
    identity (compared by reviewer id); the message names each one missing and what to do."""
    problems = []
    for member in members:
        if not has_signed_declaration(member, declarations):
            problems.append(
                Problem(
                    "signer_declared",
                    f"{_who(member)} 尚未签署本案的廉洁承诺书，不能签字。",
                )
            )
        if member.reviewer_id not in with_identity:
            problems.append(
                Problem(
                    "signer_identity",
                    f"{_who(member)} 还没有签名身份：请本人先运行 "
                    f"inspector --user {member.reviewer_id} identity create，再签发。",
                )
            )
    return problems


def every_member_signed_problems(
    members: Sequence[TeamMember], signatures: Sequence[Signature]
) -> list[Problem]:
    """Every filed member has signed the report, once, and nobody else has (by member id)."""
    by_id = {m.id: m for m in members}
    problems = []
    signed = [s.signer_id for s in signatures]
    for member in members:
        count = signed.count(member.id)
        if count == 0:
            problems.append(Problem("every_member_signed", f"{_who(member)} 尚未签字。"))
        elif count > 1:
            problems.append(
                Problem("every_member_signed", f"{_who(member)} 签了 {count} 次，只能签一次。")
            )
    for signer_id in dict.fromkeys(signed):
        if signer_id not in by_id:
            problems.append(
                Problem("every_member_signed", f"签字人 {signer_id} 不是本案审查组成员。")
            )
    return problems


def leader_signs_last_problems(
    members: Sequence[TeamMember], signatures: Sequence[Signature]
) -> list[Problem]:
    """The leader signs last, with the meaning 审查组长签发; every member before, with the
    meaning 组员签字. `signatures` are in signing order; their times must not go backwards."""
    roles = {m.id: m.role for m in members}
    problems = []
    if signatures and roles.get(signatures[-1].signer_id) != Role.LEADER:
        problems.append(Problem("leader_signs_last", "审查组长须在所有组员之后最后签字。"))
    for signature in signatures:
        expected = (
            LEADER_MEANING if roles.get(signature.signer_id) == Role.LEADER else MEMBER_MEANING
        )
        if signature.meaning != expected:
            problems.append(
                Problem(
                    "leader_signs_last",
                    f"签字含义为“{signature.meaning}”，按签字人的角色应为“{expected}”。",
                )
            )
    for earlier, later in itertools.pairwise(signatures):
        if later.signed_at < earlier.signed_at:
            problems.append(
                Problem("leader_signs_last", "签字时间先后颠倒：后签的签名时间早于先签的。")
            )
            break
    return problems


def signature_document_problems(
    signatures: Sequence[Signature], stored_documents: Collection[str]
) -> list[Problem]:
    """The signatures' document hash names a stored document: all of them the same one, kept
    in the workspace (by its SHA-256)."""
    hashes = {s.document_sha256 for s in signatures}
    if len(hashes) != 1:
        return [Problem("signed_document_stored", "各签名须指向同一份已签名的文件。")]
    (digest,) = hashes
    if not digest or digest not in stored_documents:
        shown = f"{digest[:12]}…" if digest else "（空）"
        return [
            Problem(
                "signed_document_stored",
                f"签名所指的文件 {shown} 不在工作区中；签名记录须指向已保存的已签名文件。",
            )
        ]
    return []


def is_record_only_sign_off(members: Sequence[TeamMember], signatures: Sequence[Signature]) -> bool:
    """Whether the signatures are a sign-off of the first kind, carried by older case files:
    the leader's one signature (审查组长签发), naming no document."""
    if len(signatures) != 1:
        return False
    (only,) = signatures
    leader = {m.id for m in members if m.role == Role.LEADER}
    return only.signer_id in leader and only.meaning == LEADER_MEANING and not only.document_sha256


def sign_off_signatures_problems(
    members: Sequence[TeamMember],
    signatures: Sequence[Signature],
    stored_documents: Collection[str],
) -> list[Problem]:
    """The signatures that complete a sign-off: every member's, the leader last, naming the
    stored signed document; or the leader's one record-only signature of an older case file."""
    if is_record_only_sign_off(members, signatures):
        return []
    return (
        every_member_signed_problems(members, signatures)
        + leader_signs_last_problems(members, signatures)
        + signature_document_problems(signatures, stored_documents)
    )


def unchanged_since_snapshot_problems(
    snapshot: Mapping[str, str], now: Mapping[str, str]
) -> list[Problem]:
    """Nothing of the case changed between the snapshot the document was built from and the
    completion of the sign-off: the same records, each at the same version (by record id)."""
    if dict(snapshot) == dict(now):
        return []
    changed = sorted(k for k in snapshot.keys() & now.keys() if snapshot[k] != now[k])
    added = sorted(now.keys() - snapshot.keys())
    removed = sorted(snapshot.keys() - now.keys())
    parts = []
    if changed:
        parts.append(f"{len(changed)} 条记录有了新版本")
    if added:
        parts.append(f"新增 {len(added)} 条记录")
    if removed:
        parts.append(f"{len(removed)} 条记录不见了")
    return [
        Problem(
            "unchanged_since_snapshot",
            f"本案在生成文件后被修改（{'，'.join(parts)}），签发未完成，未保存任何内容；"
            "请重新签发，以便签名的文件反映本案的现状。",
        )
    ]
