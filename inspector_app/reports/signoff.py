"""The sign-off ceremony (签发): every filed member signs the on-site report in turn, each
with their own signing identity, the leader last; then the signed report is stored and the case
locked.

The ceremony is in three parts (see `Casework.sign_off_snapshot` and
`Casework.complete_sign_off`): the snapshot; `sign_report`, a plain function that builds the
on-site report and signs it for every signer (it reads the workspace and writes nothing, so it
can run as a job of `inspector_app.ui.tasks` on the worker's own connection); and the
completion, which refuses if the case changed since the snapshot. `sign_off_case` runs all
three, for the command line and the demo.

Each signer's passphrase is asked in signing order (`unlock_signers`); a wrong one stops the
ceremony before anything is built or stored. The OS keyring is not consulted: on a shared
laptop the logged-in user is not the signer, so every signer types their own passphrase.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from inspector_app.core.errors import Problem, RuleViolation
from inspector_app.core.model import Signature, new_id
from inspector_app.core.signoff import SignerSlot
from inspector_app.reports.documents import build_document
from inspector_app.reports.fonts import FontSet
from inspector_app.reports.kinds import DocumentKind
from inspector_app.reports.signing import add_signature_fields, sign_pdf, team_signature_slots
from inspector_app.reports.verify import verify_pdf
from inspector_app.store.casework import Casework, Change, SignOffSnapshot
from inspector_app.store.identities import UnlockedIdentity, known_certificates, unlock_identity
from inspector_app.store.reviewers import get_reviewer
from inspector_app.store.secrets import KeyCache, PassphraseError
from inspector_app.store.settings import load_settings
from inspector_app.store.workspace import Workspace

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class SignedReport:
    """Part two of a sign-off: the signed on-site report, its SHA-256, and one signature
    record per signer in signing order (the leader last), each naming that hash."""

    pdf: bytes
    sha256: str
    signatures: tuple[Signature, ...]


@dataclass(frozen=True)
class SignOffResult:
    """A finished sign-off: its snapshot (who signed, in order), the signed report and what
    the completion changed."""

    snapshot: SignOffSnapshot
    report: SignedReport
    change: Change


def unlock_signers(
    workspace: Workspace,
    snapshot: SignOffSnapshot,
    ask: Callable[[SignerSlot], str],
    *,
    cache: KeyCache | None = None,
) -> dict[str, UnlockedIdentity]:
    """Open each signer's signing identity in signing order, asking `ask(slot)` for that
    signer's own passphrase; return them by member id.

    Raises:
        PassphraseError: a passphrase is wrong (the ceremony stops there; nothing is stored).
        RuleViolation: a signer has no signing identity (`identity_missing`).
    """
    return {
        slot.member.id: unlock_signer(workspace, slot, functools.partial(ask, slot), cache=cache)
        for slot in snapshot.signers
    }


def unlock_signer(
    workspace: Workspace,
    slot: SignerSlot,
    ask: Callable[[], str],
    *,
    cache: KeyCache | None = None,
) -> UnlockedIdentity:
    """Open one signer's signing identity with their own passphrase (`ask()`), so that the
    app can ask each signer in turn (`ui/signoff_dialog.py`).

    Raises:
        PassphraseError: the passphrase is wrong (naming the signer by unit and certificate).
        RuleViolation: the signer has no signing identity (`identity_missing`).
    """
    reviewer = get_reviewer(workspace.db, slot.member.reviewer_id)
    if reviewer is None:  # pragma: no cover - a member names a reviewer of the registry
        raise RuleViolation(Problem("person_on_team", f"名册中没有 {slot.member.name} 的记录。"))
    try:
        return unlock_identity(workspace.db, reviewer, ask=ask, cache=cache)
    except PassphraseError as error:
        if "口令不正确" not in str(error):
            raise
        # Name the signer fully: two reviewers of a team may share a name.
        member = slot.member
        raise PassphraseError(
            f"{member.name}（{member.unit}，证书编号 {member.certificate_no}）的口令不正确，"
            "签发已停止：未签名，未保存任何内容。请重新运行签发。"
        ) from error


def sign_report(
    workspace: Workspace,
    snapshot: SignOffSnapshot,
    signers: Mapping[str, UnlockedIdentity],
    *,
    now: datetime,
    clock: Clock,
    signature_ids: Mapping[str, str] | None = None,
    fonts: FontSet | None = None,
) -> SignedReport:
    """Part two of a sign-off: build the case's on-site report, make its signature fields,
    and sign it for every signer of `snapshot` in order (the leader last), each at `clock()`.

    Reads the workspace and writes nothing (safe off the UI thread, on the worker's own
    connection). The signed PDF is checked with `verify_pdf` before it is returned.

    Args:
        workspace: the open workspace.
        snapshot: part one (`Casework.sign_off_snapshot`).
        signers: each signer's opened identity, by member id (`unlock_signers`).
        now: the clock's reading for the report's late marks.
        clock: gives each signature's time (read once per signature).
        signature_ids: the signature records' ids by member id (default: new ones).
        fonts: the fonts to use (default: found on this machine).

    Raises:
        RuleViolation: an identity is not the signer's; the report cannot be built or signed.
        ReportError: the report cannot be built (fonts, characters, photos).
    """
    zone = load_settings(workspace.db).calendar
    pdf = build_document(workspace, snapshot.case_id, DocumentKind.ONSITE, now=now, fonts=fonts)
    members = sum(1 for slot in snapshot.signers if slot.field_name != "leader")
    pdf = add_signature_fields(pdf, team_signature_slots(members))
    records = []
    for slot in snapshot.signers:
        unlocked = signers.get(slot.member.id)
        if unlocked is None or unlocked.identity.reviewer_id != slot.member.reviewer_id:
            raise RuleViolation(
                Problem(
                    "signer_identity",
                    f"{slot.member.name}（证书编号 {slot.member.certificate_no}）须用本人的"
                    "签名身份签字。",
                )
            )
        at = zone.local(clock())
        pdf = sign_pdf(
            pdf, unlocked, field_name=slot.field_name, meaning=slot.meaning, signed_at=at
        )
        records.append(
            Signature(
                id=(signature_ids or {}).get(slot.member.id) or new_id(),
                case_id=snapshot.case_id,
                signer_id=slot.member.id,
                meaning=slot.meaning,
                signed_at=at,
            )
        )
    roots = [signer.identity.certificate for signer in signers.values()]
    report = verify_pdf(pdf, trust_roots=roots + known_certificates(workspace.db))
    if not report.ok or len(report.signatures) != len(snapshot.signers):
        raise RuleViolation(
            Problem(
                "signed_report_verifies",
                "签名后的核查报告未通过验证：" + "；".join(report.problems) + "。未保存任何内容。",
            )
        )
    digest = hashlib.sha256(pdf).hexdigest()
    return SignedReport(pdf, digest, tuple(replace(s, document_sha256=digest) for s in records))


def sign_off_case(
    workspace: Workspace,
    work: Casework,
    case_id: str,
    ask: Callable[[SignerSlot], str],
    *,
    clock: Clock | None = None,
    at: datetime | None = None,
    signature_ids: Mapping[str, str] | None = None,
    fonts: FontSet | None = None,
) -> SignOffResult:
    """The whole sign-off by the leader (`work`'s acting reviewer): snapshot, each signer's
    passphrase in turn, the report built and signed, then the completion.

    Args:
        workspace: the open workspace (`work` works on its database).
        work: the case steps, done by the leader.
        case_id: the case's id.
        ask: returns a signer's own passphrase (a prompt; never a cache).
        clock: the signatures' times (default: `work`'s clock).
        at: the snapshot's time (default: the clock's).
        signature_ids: the signature records' ids by member id (default: new ones).
        fonts: the fonts to use (default: found on this machine).

    Raises:
        RuleViolation: a rule refuses the sign-off, a signer has no identity, or the case
            changed since the snapshot (`unchanged_since_snapshot`); nothing is stored.
        PassphraseError: a passphrase is wrong; nothing is stored.
    """
    snapshot = work.sign_off_snapshot(case_id, at)
    signers = unlock_signers(workspace, snapshot, ask)
    report = sign_report(
        workspace,
        snapshot,
        signers,
        now=work.clock(),
        clock=clock or work.clock,
        signature_ids=signature_ids,
        fonts=fonts,
    )
    change = work.complete_sign_off(workspace, snapshot, report.pdf, report.signatures)
    return SignOffResult(snapshot, report, change)
