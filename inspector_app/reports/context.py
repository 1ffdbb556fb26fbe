"""What a document is built from: the case as the store holds it, read once, with the helpers
every document shares (people by id, times on the regulation's calendar, late marks), and the
list of every text a document may print, checked against the fonts before building.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any

from inspector_app.core.alerts import concluded_late_text
from inspector_app.core.calendar import RegulationCalendar
from inspector_app.core.deadlines import case_is_overdue, onsite_deadline
from inspector_app.core.forms.model import ChecklistForm
from inspector_app.core.forms.verdicts import Verdict
from inspector_app.core.model import CaseFile, Role, TeamFiling, TeamMember
from inspector_app.store.casework import case_form, case_verdict, load_case_file
from inspector_app.store.settings import load_settings
from inspector_app.store.workspace import Workspace

ROLE_LABELS = {Role.LEADER.value: "组长", Role.MEMBER.value: "组员"}

# How a message names a record's field when a character of it cannot be printed.
FIELD_LABELS = {
    "name": "名称/姓名",
    "unit": "所在单位",
    "address": "地址",
    "contact_person": "联系人",
    "phone": "联系电话",
    "credit_code": "统一社会信用代码",
    "application_no": "申请编号",
    "product": "产品",
    "product_unit": "产品单元",
    "certificate_no": "证书编号",
    "note": "说明",
    "result": "结论",
    "item_code": "项目编号",
    "text": "异议内容",
    "representative": "企业代表",
    "seal_no": "封条编号",
    "product_name": "产品名称",
    "model_spec": "型号规格",
    "batch_no": "批号或生产日期",
    "base_quantity": "抽样基数",
    "sample_quantity": "样品数量",
    "reserve_quantity": "备样数量",
    "sampling_place": "抽样地点",
    "enterprise_representative": "企业代表",
    "agency": "检验机构",
    "handed_to": "反馈表接收人",
    "meaning": "签发含义",
    "qualified_agencies": "有资质的检验机构",
}
RECORD_LABELS = {
    "Case": "案件",
    "Enterprise": "企业",
    "TeamMember": "审查组成员",
    "ChecklistResult": "核查结果",
    "SampleRecord": "抽样单",
    "Seal": "封条",
    "FeedbackHandover": "反馈表交付",
    "EnterpriseObjection": "企业异议",
    "Signature": "签发",
    "HandSignature": "手写签名",
}


@dataclass(frozen=True)
class CaseContext:
    """One case, read once for a document: its records, form, verdict and calendar.

    Attributes:
        workspace: the open workspace (for the attachments' files).
        state: every record of the case.
        form: the checklist form version the case started with.
        verdict: the checklist verdict as the results stand.
        calendar: the regulation's calendar of the workspace.
        today: the day the document is made, on that calendar (only for the late marks).
    """

    workspace: Workspace
    state: CaseFile
    form: ChecklistForm
    verdict: Verdict
    calendar: RegulationCalendar
    today: date

    @classmethod
    def load(cls, workspace: Workspace, case_id: str, now: datetime) -> CaseContext:
        """Read the case `case_id` through the store."""
        db = workspace.db
        state = load_case_file(db, case_id)
        calendar = load_settings(db).calendar
        return cls(
            workspace,
            state,
            case_form(db, state.case),
            case_verdict(db, state),
            calendar,
            calendar.day_of(now),
        )

    # People ---------------------------------------------------------------------------------

    @cached_property
    def members_by_id(self) -> dict[str, TeamMember]:
        """The team's members by member id."""
        return {m.id: m for m in self.state.members}

    @cached_property
    def ordered_members(self) -> list[TeamMember]:
        """The team, leader first, then by name and reviewer id (as the filing lists them)."""
        return sorted(
            self.state.members, key=lambda m: (m.role != Role.LEADER, m.name, m.reviewer_id)
        )

    @cached_property
    def _name_counts(self) -> Counter[str]:
        return Counter(m.name for m in self.state.members)

    def person(self, member_id: str) -> str:
        """A member's name, with the unit when another member has the same name: two
        reviewers called 王建华 are two people."""
        member = self.members_by_id.get(member_id)
        if member is None:
            return f"（不在审查组中的人员 {member_id}）"
        if self._name_counts[member.name] > 1:
            return f"{member.name}（{member.unit}）"
        return member.name

    @cached_property
    def leader(self) -> TeamMember | None:
        """The team's leader, if the team has one."""
        return next((m for m in self.state.members if m.role == Role.LEADER), None)

    # Time -----------------------------------------------------------------------------------

    def when(self, at: datetime | None) -> str:
        """A moment as it reads on the regulation's calendar, to the minute."""
        if at is None:
            return "—"
        return self.calendar.local(at).strftime("%Y-%m-%d %H:%M")

    @cached_property
    def latest_filing(self) -> TeamFiling | None:
        """The latest filing of the team (whether or not a later change voided it)."""
        return max(self.state.filings, key=lambda f: f.filed_at, default=None)

    @cached_property
    def moment(self) -> datetime:
        """The document's date: the latest act recorded in the case (never the clock), so
        that the same case always gives the same document."""
        state = self.state
        times: list[datetime] = [
            *(d.signed_at for d in state.declarations),
            *(f.filed_at for f in state.filings),
            *(r.assessed_at for r in state.results),
            *(s.sampled_at for s in state.samples),
            *(h.handed_at for h in state.handovers),
            *(o.recorded_at for o in state.objections),
            *(s.signed_at for s in state.signatures),
            *(h.signed_at for h in state.hand_signatures),
        ]
        for at in (state.case.review_started_at, state.case.concluded_at):
            if at is not None:
                times.append(at)
        if not times:
            return self.calendar.start_of_day(state.case.accepted_on)
        return self.calendar.local(max(times))

    def pdf_date(self) -> str:
        """The document's date in PDF form, with its offset from UTC."""
        at = self.moment
        offset = at.utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset is not None else 0
        sign = "+" if minutes >= 0 else "-"
        hours, mins = divmod(abs(minutes), 60)
        return f"D:{at:%Y%m%d%H%M%S}{sign}{hours:02d}'{mins:02d}'"

    # Marks ----------------------------------------------------------------------------------

    def late_marks(self) -> tuple[str, ...]:
        """The case's late marks: overdue (no on-site result within 30 days of acceptance),
        and the lasting "concluded late" mark."""
        case = self.state.case
        marks = []
        if case_is_overdue(case, self.today):
            marks.append(
                f"【已超期】已超过实地核查期限 {onsite_deadline(case.accepted_on).isoformat()}"
                "（受理后30日），尚未作出核查结论"
            )
        late = concluded_late_text(self.state, self.calendar)
        if late:
            marks.append(f"【逾期作出结论】{late}")
        return tuple(marks)


def _record_texts(record: Any) -> Iterator[tuple[str, str]]:
    kind = type(record).__name__
    label = RECORD_LABELS.get(kind, kind)
    who = getattr(record, "name", "") or getattr(record, "item_code", "") or ""
    for f in fields(record):
        value = getattr(record, f.name)
        what = f"{label}{' ' + who if who else ''}：{FIELD_LABELS.get(f.name, f.name)}"
        if isinstance(value, str):
            yield what, value
        elif isinstance(value, tuple):
            yield from ((what, v) for v in value if isinstance(v, str))


def _json_texts(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _json_texts(inner, f"{where}：{FIELD_LABELS.get(key, key)}")
    elif isinstance(value, list):
        for inner in value:
            yield from _json_texts(inner, where)


def case_texts(context: CaseContext) -> list[tuple[str, str]]:
    """Every text of the case a document may print, each with the field it comes from:
    the records' text fields, the filing's own copy of its fields, and the checklist form."""
    state = context.state
    texts: list[tuple[str, str]] = []
    records: list[Any] = [
        state.case,
        state.enterprise,
        *state.members,
        *state.results,
        *state.samples,
        *state.seals,
        *state.handovers,
        *state.objections,
        *state.signatures,
        *state.hand_signatures,
    ]
    for record in records:
        assert is_dataclass(record)
        texts.extend(_record_texts(record))
    for filing in state.filings:
        texts.extend(_json_texts(json.loads(filing.content), "备案表"))
    form = context.form
    texts.append(("核查表：标题", form.title))
    for section in form.sections:
        texts.append((f"核查表第 {section.code} 节：标题", section.title))
        for item in section.items:
            texts.append((f"核查表第 {item.code} 项：核查内容", item.requirement))
            texts.extend((f"核查表第 {item.code} 项：结论", r) for r in item.allowed_results)
    for rule in form.verdict_rules:
        texts.append(("核查表：判定规则", rule.label))
    texts.extend(("核查结论", reason) for reason in context.verdict.reasons)
    return texts
