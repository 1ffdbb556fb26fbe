"""The records of a review case (审查任务), as plain immutable values.

Every record has a client-made UUID (`id`). Times are timezone-aware datetimes (stored with their
offset); days are dates on the regulation's calendar (see `inspector_app.core.calendar`).
People are reviewer ids: a display name is for reading only, and two reviewers may share one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from inspector_app.core.case_record import Case as Case
from inspector_app.core.case_record import CaseStatus as CaseStatus
from inspector_app.core.case_record import Role as Role
from inspector_app.core.case_record import Stage as Stage
from inspector_app.core.case_record import UnitType as UnitType


def new_id() -> str:
    """Return a fresh record id (a UUID made on this laptop)."""
    return str(uuid.uuid4())


# The words of the rules' messages (Chinese, not translated yet). What the app and the CLI show is
# in inspector_app.labels (translatable); tests/unit/test_translations.py keeps the two equal.
STATUS_LABELS: dict[CaseStatus, str] = {
    CaseStatus.ACCEPTED: "已受理",
    CaseStatus.TEAM_FILED: "审查组已备案",
    CaseStatus.ON_SITE_REVIEW: "实地核查中",
    CaseStatus.PASSED: "核查合格",
    CaseStatus.FAILED: "核查不合格",
    CaseStatus.SAMPLED: "已抽样封样",
    CaseStatus.SIGNED_OFF: "已签发",
}


# For the rules' messages, like STATUS_LABELS; the display labels are in inspector_app.labels.
STAGE_LABELS: dict[Stage, str] = {
    Stage.ACCEPTANCE: "受理",
    Stage.ON_SITE: "实地核查",
    Stage.INSPECTION: "产品检验",
}


@dataclass(frozen=True)
class Reviewer:
    """A reviewer (审查员) in the workspace's registry, filled by the central office or by hand.

    The id is stable; every record that names a person refers to it (through a team member).
    """

    id: str
    name: str
    unit: str  # 所在单位
    unit_type: UnitType
    certificate_no: str  # 审查员证书编号
    certificate_expiry: date
    phone: str

    @property
    def actor(self) -> Actor:
        """This reviewer as the author of an act."""
        return Actor(self.id, self.name)


@dataclass(frozen=True)
class Actor:
    """Who does an act: a reviewer's id, with the name kept for reading."""

    id: str
    name: str


@dataclass(frozen=True)
class Enterprise:
    """The applicant enterprise (申请企业)."""

    id: str
    name: str
    credit_code: str  # 统一社会信用代码
    address: str
    contact_person: str
    phone: str


@dataclass(frozen=True)
class TeamMember:
    """A reviewer (审查员) on the review team of one case.

    `reviewer_id` names the person; the other facts are the reviewer's as they stood when the
    member joined this team, so that a later change in the registry never changes a case.
    """

    id: str
    case_id: str
    reviewer_id: str
    name: str
    unit: str  # 所在单位
    unit_type: UnitType
    certificate_no: str  # 审查员证书编号
    certificate_expiry: date
    role: Role
    phone: str
    removed_at: datetime | None = None  # 移出审查组: kept in the history, off the team


@dataclass(frozen=True)
class IntegrityDeclaration:
    """Integrity declaration (廉洁承诺): a member's signed promise for this case."""

    id: str
    case_id: str
    member_id: str
    no_paid_consulting: bool  # 不参与有偿咨询
    no_part_time_job: bool  # 不在被审查企业兼职
    no_gifts: bool  # 不索取、收受财物和不正当利益
    signed_at: datetime


@dataclass(frozen=True)
class TeamFiling:
    """Team filing (审查组备案) sent to the central office before the review."""

    id: str
    case_id: str
    filed_at: datetime
    filed_by: str  # member id
    team_fingerprint: str  # which composition was filed; a change voids the filing
    content: str  # the filing record's fields as canonical JSON


@dataclass(frozen=True)
class ChecklistResult:
    """The result of one checklist item (核查项目), with who assessed it."""

    id: str
    case_id: str
    item_code: str
    result: str  # 符合 / 基本符合 / 不符合 / 不适用 (or what the form allows)
    note: str
    assessor_id: str
    assessed_at: datetime
    evidence: tuple[str, ...] = ()  # attachment hashes (SHA-256)


@dataclass(frozen=True)
class Seal:
    """A seal (封条) on sampled product, with a photo of it."""

    id: str
    sample_id: str
    case_id: str
    seal_no: str  # 封条编号
    photo: str | None = None  # attachment hash


@dataclass(frozen=True)
class SampleRecord:
    """Sampling and sealing record (抽样单 / 封样单)."""

    id: str
    case_id: str
    product_name: str
    model_spec: str  # 型号规格
    batch_no: str  # 批号或生产日期
    base_quantity: str  # 抽样基数
    sample_quantity: str  # 样品数量
    reserve_quantity: str  # 备样数量
    sampling_place: str
    sampled_at: datetime
    sampler_ids: tuple[str, ...]
    enterprise_representative: str
    agency: str  # chosen by the enterprise from the qualified list
    agency_chosen_by_enterprise: bool
    onsite_testing: bool = False  # the agency tests on site (条例第十九条)


@dataclass(frozen=True)
class FeedbackHandover:
    """Hand-over of the feedback form (反馈表) to the enterprise head before a stage."""

    id: str
    case_id: str
    stage: Stage
    handed_at: datetime
    handed_to: str
    handed_by: str  # member id


@dataclass(frozen=True)
class SealedFeedback:
    """A feedback form (反馈表) the enterprise filled in on the laptop, sealed to the central
    office's public key: the team can neither read nor change it (only the centre opens it)."""

    id: str
    case_id: str
    stage: Stage
    envelope: str  # base64 of the sealed bytes (sync.sealing)
    key_id: str  # fingerprint of the centre key it was sealed to
    sealed_at: datetime
    handed_by: str  # the member who handed the laptop to the enterprise


@dataclass(frozen=True)
class EnterpriseObjection:
    """The enterprise's objection to the conclusion (企业意见 / 异议), before signing."""

    id: str
    case_id: str
    text: str
    representative: str
    recorded_at: datetime


@dataclass(frozen=True)
class Signature:
    """A sign-off (签发) of the case by the team leader."""

    id: str
    case_id: str
    signer_id: str
    meaning: str  # e.g. 审查组长签发
    signed_at: datetime
    document_sha256: str = ""


class SignerKind(StrEnum):
    """Who signs a document by hand (手写签名)."""

    MEMBER = "member"  # 审查组成员
    REPRESENTATIVE = "representative"  # 企业代表


@dataclass(frozen=True)
class HandSignature:
    """A handwritten signature (手写签名) on one document of the case, drawn on the laptop.

    `document` is the value of the document it signs (`core.hand_signature.SignedDocument`:
    filing, declaration, onsite, sampling). A member is named by `member_id` (never by name);
    the enterprise's representative, who is in no registry, by `representative`. `image` is the
    SHA-256 of the PNG attachment of the drawing.
    """

    id: str
    case_id: str
    document: str
    signer_kind: SignerKind
    member_id: str | None
    representative: str | None
    image: str
    signed_at: datetime


@dataclass(frozen=True)
class Amendment:
    """A signed amendment (更正说明) of a signed-off case: a new document that names the signed
    document it corrects (by SHA-256), why, and what the correction says. The signed records
    stay as they are; the amendment is issued and signed by the leader after the sign-off."""

    id: str
    case_id: str
    corrects_sha256: str  # the signed document it corrects
    reason: str  # 更正原因
    text: str  # 更正内容
    issued_by: str  # member id (the leader)
    issued_at: datetime
    document_sha256: str = ""  # the signed amendment PDF


@dataclass(frozen=True)
class Attachment:
    """A file (photo, scan) stored by the SHA-256 of its content."""

    sha256: str
    size: int
    media_type: str
    original_name: str
    added_at: datetime


@dataclass(frozen=True)
class CaseFile:
    """Everything recorded for one case, as the rules see it."""

    case: Case
    enterprise: Enterprise
    members: tuple[TeamMember, ...] = ()  # the team as it is: present members only
    declarations: tuple[IntegrityDeclaration, ...] = ()
    filings: tuple[TeamFiling, ...] = ()
    results: tuple[ChecklistResult, ...] = ()
    samples: tuple[SampleRecord, ...] = ()
    seals: tuple[Seal, ...] = ()
    handovers: tuple[FeedbackHandover, ...] = ()
    objections: tuple[EnterpriseObjection, ...] = ()
    signatures: tuple[Signature, ...] = ()
    sealed_feedback: tuple[SealedFeedback, ...] = ()
    hand_signatures: tuple[HandSignature, ...] = ()
    former_members: tuple[TeamMember, ...] = ()  # removed from the team (history only)
    amendments: tuple[Amendment, ...] = ()

    def records(self) -> list[Any]:
        """Return every record of the case: the case, its enterprise and all the rest, each
        after those it refers to."""
        return [
            self.case,
            self.enterprise,
            *self.members,
            *self.former_members,
            *self.declarations,
            *self.filings,
            *self.results,
            *self.samples,
            *self.seals,
            *self.handovers,
            *self.sealed_feedback,
            *self.objections,
            *self.signatures,
            *self.hand_signatures,
            *self.amendments,
        ]
