"""The amendment (更正说明) of a signed-off case: a new document, signed by the leader, that
names the signed document it corrects (its title, SHA-256 and signing time), the reason and
the correction; the corrected document and the case's records stay as they are.

In three parts, like the sign-off: `Casework.amendment_draft` (the rules), `sign_amendment`
(build and sign the PDF; reads the workspace and writes nothing, so it can run as a job of
`inspector_app.ui.tasks` on the worker's own connection), `Casework.record_amendment` (store
the PDF by its SHA-256 and the signed record, in one transaction). `amend_case` runs all three,
for the command line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from inspector_app.core.amendment import AMENDMENT_MEANING, signed_documents
from inspector_app.core.errors import Problem, RuleViolation
from inspector_app.core.model import Amendment, TeamMember
from inspector_app.reports.context import CaseContext
from inspector_app.reports.fonts import FontSet
from inspector_app.reports.kinds import TITLES, DocumentKind
from inspector_app.reports.layout import DocumentInfo, PageMarks, Styles, field_table, render
from inspector_app.reports.signing import SignatureSlot, add_signature_fields, sign_pdf
from inspector_app.reports.verify import verify_pdf
from inspector_app.store.casework import Casework, Change, load_case_file
from inspector_app.store.identities import UnlockedIdentity, known_certificates, unlock_identity
from inspector_app.store.reviewers import get_reviewer
from inspector_app.store.secrets import PassphraseError
from inspector_app.store.workspace import Workspace

LEADER_FIELD = "leader"
STAMP_BOX = (212, 40, 382, 104)
"""The leader's signature field: centred at the bottom of the last page (points)."""


@dataclass(frozen=True)
class CorrectedDocument:
    """The signed document an amendment corrects, as the amendment names it."""

    sha256: str
    title: str
    signed_at: datetime


@dataclass(frozen=True)
class SignedAmendment:
    """Part two of an amendment: the signed PDF and the record naming its SHA-256."""

    pdf: bytes
    amendment: Amendment


@dataclass(frozen=True)
class AmendResult:
    """A stored amendment: the signed PDF, the record and what the store changed."""

    signed: SignedAmendment
    change: Change


def corrected_document(context: CaseContext, sha256: str) -> CorrectedDocument:
    """Return the signed document of the case with this SHA-256 (its title and time)."""
    state = context.state
    documents = signed_documents(state)
    if sha256 not in documents:
        raise RuleViolation(
            Problem("amendment_corrects", f"SHA-256 {sha256[:12]}… 不是本案已签名的文书。")
        )
    title = TITLES[DocumentKind.ONSITE] + "（签发）"
    for earlier in state.amendments:
        if earlier.document_sha256 == sha256:
            title = f"{TITLES[DocumentKind.AMENDMENT]}（{context.when(earlier.issued_at)}）"
    return CorrectedDocument(sha256, title, documents[sha256])


def _flowables(
    context: CaseContext, styles: Styles, draft: Amendment, corrected: CorrectedDocument
) -> list[Flowable]:
    case, enterprise = context.state.case, context.state.enterprise
    leader = context.members_by_id.get(draft.issued_by)
    p = styles.p
    flow: list[Flowable] = [
        p(TITLES[DocumentKind.AMENDMENT], styles.title),
        p("审查组长签发后的更正：原已签名文书不作改动，以本说明更正", styles.subtitle),
        p("一、案件", styles.heading),
        field_table(
            styles,
            [
                ("申请编号", case.application_no),
                ("企业名称", enterprise.name),
                ("产品／产品单元", f"{case.product}／{case.product_unit}"),
            ],
            34 * mm,
        ),
        p("二、被更正的文书", styles.heading),
        field_table(
            styles,
            [
                ("文书", corrected.title),
                ("SHA-256", corrected.sha256),
                ("签发时间", context.when(corrected.signed_at)),
            ],
            34 * mm,
        ),
        p("三、更正原因", styles.heading),
        p(draft.reason),
        p("四、更正内容", styles.heading),
        *[p(line) for line in (draft.text or "（见更正原因）").splitlines() if line.strip()],
        p("五、签发", styles.heading),
        field_table(
            styles,
            [
                ("审查组长", f"{leader.name}（{leader.unit}）" if leader else draft.issued_by),
                ("审查员证书编号", leader.certificate_no if leader else ""),
                ("更正时间", context.when(draft.issued_at)),
            ],
            34 * mm,
        ),
        p(
            "本更正说明与被更正的文书一并有效；被更正文书按其 SHA-256 保存在工作区中，"
            "可用 inspector verify 验证两者的签名。",
            styles.note,
        ),
        # Room at the bottom of the last page for the leader's visible signature.
        CondPageBreak(45 * mm),
        Spacer(1, 40 * mm),
    ]
    return flow


def build_amendment_pdf(
    workspace: Workspace, draft: Amendment, *, now: datetime, fonts: FontSet | None = None
) -> bytes:
    """Build the (unsigned) amendment document of `draft` and return the PDF's bytes.

    Raises:
        ReportError: no Chinese font, or a character no font has (named with its field).
        RuleViolation: the corrected hash names no signed document of the case.
    """
    fonts = fonts or FontSet()
    context = CaseContext.load(workspace, draft.case_id, now)
    corrected = corrected_document(context, draft.corrects_sha256)
    fonts.cover(
        [
            ("更正说明：更正原因", draft.reason),
            ("更正说明：更正内容", draft.text),
            ("更正说明：被更正的文书", corrected.title),
            ("企业：名称", context.state.enterprise.name),
            ("案件：产品", context.state.case.product),
            ("案件：产品单元", context.state.case.product_unit),
            *((f"审查组成员 {m.name}：所在单位", m.unit) for m in context.state.members),
            *((f"审查组成员 {m.name}：姓名", m.name) for m in context.state.members),
        ]
    )
    case = context.state.case
    at = context.calendar.local(draft.issued_at)
    offset = at.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    title = TITLES[DocumentKind.AMENDMENT]
    page = PageMarks(
        case.application_no, title, (), f"D:{at:%Y%m%d%H%M%S}{sign}{hours:02d}'{mins:02d}'"
    )
    info = DocumentInfo(
        title=f"{title}（{case.application_no}）",
        subject=f"更正 {draft.corrects_sha256}",
        keywords=f"{case.application_no} 更正说明 内部资料 注意保密",
    )
    return render(_flowables(context, Styles(fonts), draft, corrected), fonts, page, info)


def unlock_leader(
    workspace: Workspace, draft: Amendment, ask: Callable[[], str]
) -> UnlockedIdentity:
    """Open the issuing leader's signing identity with the leader's own passphrase.

    Raises:
        PassphraseError: the passphrase is wrong (nothing is built or stored).
        RuleViolation: the leader has no signing identity (`identity_missing`).
    """
    state_member = next(
        (m for m in _members(workspace, draft.case_id) if m.id == draft.issued_by), None
    )
    if state_member is None:
        raise RuleViolation(Problem("amendment_by_leader", "更正说明的签发人不在审查组中。"))
    reviewer = get_reviewer(workspace.db, state_member.reviewer_id)
    if reviewer is None:  # pragma: no cover - a member names a reviewer of the registry
        raise RuleViolation(Problem("person_on_team", f"名册中没有 {state_member.name} 的记录。"))
    try:
        return unlock_identity(workspace.db, reviewer, ask=ask)
    except PassphraseError as error:
        if "口令不正确" not in str(error):
            raise
        raise PassphraseError(
            f"{state_member.name}（{state_member.unit}，证书编号 {state_member.certificate_no}）"
            "的口令不正确，更正说明未签名，未保存任何内容。"
        ) from error


def _members(workspace: Workspace, case_id: str) -> list[TeamMember]:
    return list(load_case_file(workspace.db, case_id, team_only=True).members)


def sign_amendment(
    workspace: Workspace,
    draft: Amendment,
    leader: UnlockedIdentity,
    *,
    now: datetime,
    fonts: FontSet | None = None,
) -> SignedAmendment:
    """Part two of an amendment: build the document, make the leader's signature field and
    sign it (PAdES) at the amendment's time; check it with `verify_pdf`. Writes nothing.

    Raises:
        RuleViolation: the identity is not the leader's, or the signed document does not
            verify; ReportError: the document cannot be built.
    """
    members = {m.id: m for m in _members(workspace, draft.case_id)}
    issuer = members.get(draft.issued_by)
    if issuer is None or leader.identity.reviewer_id != issuer.reviewer_id:
        raise RuleViolation(Problem("signer_identity", "更正说明须由审查组长本人的签名身份签名。"))
    pdf = build_amendment_pdf(workspace, draft, now=now, fonts=fonts)
    pdf = add_signature_fields(pdf, [SignatureSlot(LEADER_FIELD, -1, STAMP_BOX)])
    zone = CaseContext.load(workspace, draft.case_id, now).calendar
    pdf = sign_pdf(
        pdf,
        leader,
        field_name=LEADER_FIELD,
        meaning=AMENDMENT_MEANING,
        signed_at=zone.local(draft.issued_at),
    )
    report = verify_pdf(
        pdf, trust_roots=[leader.identity.certificate, *known_certificates(workspace.db)]
    )
    if not report.ok or len(report.signatures) != 1:
        raise RuleViolation(
            Problem(
                "signed_amendment_verifies",
                "签名后的更正说明未通过验证：" + "；".join(report.problems) + "。未保存任何内容。",
            )
        )
    digest = hashlib.sha256(pdf).hexdigest()
    return SignedAmendment(pdf, replace(draft, document_sha256=digest))


def amend_case(
    workspace: Workspace,
    work: Casework,
    case_id: str,
    *,
    corrects: str,
    reason: str,
    text: str,
    ask: Callable[[], str],
    at: datetime | None = None,
    fonts: FontSet | None = None,
) -> AmendResult:
    """The whole amendment by the leader (`work`'s acting reviewer): the rules, the leader's
    passphrase, the document built and signed, then stored.

    Raises:
        RuleViolation: a rule refuses the amendment; nothing is stored.
        PassphraseError: the passphrase is wrong; nothing is stored.
    """
    draft = work.amendment_draft(case_id, corrects, reason, text, at)
    leader = unlock_leader(workspace, draft, ask)
    signed = sign_amendment(workspace, draft, leader, now=work.clock(), fonts=fonts)
    change = work.record_amendment(workspace, signed.amendment, signed.pdf)
    return AmendResult(signed, change)
