"""The documents the tool prints (REQUIREMENTS.md, "Documents the tool prints"), as PDF bytes.

`build_document(workspace, case_id, kind, now=…)` is a plain function, to run off the UI
thread: it reads the case through the store, checks every text against the fonts, then lays
the document out. The same case gives byte-identical PDFs.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer

from inspector_app.core.checklist import answered_results
from inspector_app.core.deadlines import onsite_deadline, sample_is_overdue, sample_send_by
from inspector_app.core.feedback_form import (
    ANSWERS,
    FEEDBACK_QUESTIONS,
    FREE_TEXT_QUESTION,
    SATISFACTION_CHOICES,
    SATISFACTION_QUESTION,
)
from inspector_app.core.forms.model import DEFAULT_RESULTS
from inspector_app.core.hand_signature import SignedDocument
from inspector_app.core.model import (
    STAGE_LABELS,
    CaseStatus,
    HandSignature,
    Role,
    SampleRecord,
    Stage,
)
from inspector_app.core.team import current_filing
from inspector_app.reports.context import ROLE_LABELS, CaseContext, case_texts
from inspector_app.reports.errors import ReportError
from inspector_app.reports.fonts import FontSet
from inspector_app.reports.hand_signatures import (
    member_signature,
    print_signature,
    representative_signatures,
)
from inspector_app.reports.kinds import TITLES, DocumentKind
from inspector_app.reports.layout import (
    CONTENT_WIDTH,
    Cell,
    DocumentInfo,
    PageMarks,
    Styles,
    field_table,
    render,
    table,
)
from inspector_app.reports.photos import print_photo
from inspector_app.store.workspace import Workspace

SECTIONS = (
    DocumentKind.FILING,
    DocumentKind.DECLARATION,
    DocumentKind.ONSITE,
    DocumentKind.SAMPLING,
    DocumentKind.FEEDBACK,
)
"""The documents of the whole case, in the order they are filed."""

NOT_ASSESSED = "（未核查）"
EVIDENCE_W, EVIDENCE_H = 80 * mm, 60 * mm
SEAL_W, SEAL_H = 52 * mm, 39 * mm


class _Builder:
    """Builds the flowables of each document of one case."""

    def __init__(self, context: CaseContext, fonts: FontSet) -> None:
        self.c = context
        self.s = Styles(fonts)
        self.state = context.state
        self.case = context.state.case
        self.enterprise = context.state.enterprise

    def p(self, text: str, style: Any = None) -> Flowable:
        return self.s.p(text, style)

    def title(self, kind: DocumentKind, subtitle: str = "") -> list[Flowable]:
        result = [self.p(TITLES[kind], self.s.title)]
        if subtitle:
            result.append(self.p(subtitle, self.s.subtitle))
        return result

    def hand(self, signature: HandSignature | None, what: str) -> Cell:
        """A handwritten signature in its place on the line (empty while unsigned)."""
        if signature is None:
            return ""
        return print_signature(self.c.workspace, signature, what).flowable()

    def hand_of(self, document: SignedDocument, member_id: str, what: str) -> Cell:
        """A member's handwritten signature on a document (empty while unsigned)."""
        return self.hand(member_signature(self.state, document, member_id), what)

    def signed_on(self, signature: HandSignature | None) -> str:
        """The day a signature was made, as the signature line's date."""
        return self.c.calendar.day_of(signature.signed_at).isoformat() if signature else ""

    def case_line(self) -> str:
        return (
            f"申请编号：{self.case.application_no}　企业：{self.enterprise.name}　"
            f"产品单元：{self.case.product}／{self.case.product_unit}"
        )

    # 审查组备案表 --------------------------------------------------------------------------

    def filing(self, *, alone: bool) -> list[Flowable]:
        filing = self.c.latest_filing
        if filing is None:
            if alone:
                raise ReportError(
                    "report_nothing_to_print",
                    f"案件 {self.case.application_no} 的审查组尚未备案，没有备案表可打印。",
                )
            return [*self.title(DocumentKind.FILING), self.p("审查组尚未备案。", self.s.mark)]
        content = json.loads(filing.content)
        enterprise = content.get("enterprise", {})
        flow: list[Flowable] = self.title(
            DocumentKind.FILING, "实施审查前报省级生产许可证办公室备案（国质检监〔2006〕499号）"
        )
        if current_filing(self.state.filings, self.state.members) is None:
            flow.append(
                self.p("本备案之后审查组成员有变动，本备案已失效，需重新备案。", self.s.mark)
            )
        flow.append(self.p("一、申请企业", self.s.heading))
        flow.append(
            field_table(
                self.s,
                [
                    ("企业名称", str(enterprise.get("name", ""))),
                    ("地址", str(enterprise.get("address", ""))),
                    ("联系人", str(enterprise.get("contact_person", ""))),
                    ("联系电话", str(enterprise.get("phone", ""))),
                ],
                30 * mm,
            )
        )
        flow.append(self.p("二、审查组成员", self.s.heading))
        rows: list[list[Cell]] = [["序号", "角色", "姓名", "所在单位", "联系电话"]]
        for n, member in enumerate(content.get("members", []), start=1):
            rows.append(
                [
                    str(n),
                    ROLE_LABELS.get(str(member.get("role")), str(member.get("role"))),
                    str(member.get("name", "")),
                    str(member.get("unit", "")),
                    str(member.get("phone", "")),
                ]
            )
        flow.append(table(self.s, rows, [12 * mm, 16 * mm, 28 * mm, 80 * mm, 34 * mm]))
        flow.append(Spacer(1, 4 * mm))
        leader = self.c.leader
        signed = member_signature(self.state, SignedDocument.FILING, leader.id) if leader else None
        flow.append(
            field_table(
                self.s,
                [
                    ("备案时间", self.c.when(filing.filed_at)),
                    ("审查组长签字", self.hand(signed, "审查组长")),
                    ("签字日期", self.signed_on(signed)),
                ],
                30 * mm,
            )
        )
        return flow

    # 廉洁承诺书 ----------------------------------------------------------------------------

    def declarations(self) -> list[Flowable]:
        if not self.state.members:
            raise ReportError(
                "report_nothing_to_print",
                f"案件 {self.case.application_no} 还没有审查组成员，没有廉洁承诺书可打印。",
            )
        by_member = {d.member_id: d for d in self.state.declarations}
        flow: list[Flowable] = []
        for n, member in enumerate(self.c.ordered_members):
            if n:
                flow.append(PageBreak())
            declaration = by_member.get(member.id)
            role = "组长" if member.role == Role.LEADER else "组员"
            flow += self.title(DocumentKind.DECLARATION)
            flow.append(
                self.p(
                    f"本人作为{self.enterprise.name}{self.case.product_unit}生产许可证实地核查"
                    f"（申请编号 {self.case.application_no}）审查组{role}，郑重承诺：",
                    self.s.promise,
                )
            )
            promises = [
                (
                    "一、不参与该企业的有偿咨询活动，不向该企业推荐或提供有偿咨询服务；",
                    declaration.no_paid_consulting if declaration else None,
                ),
                (
                    "二、不在该企业兼职，不与该企业有影响公正审查的利益关系；",
                    declaration.no_part_time_job if declaration else None,
                ),
                (
                    "三、不索取、收受该企业的财物，不谋取其他不正当利益。",
                    declaration.no_gifts if declaration else None,
                ),
            ]
            for text, made in promises:
                tick = "" if made is None else ("　✔" if made else "　（未承诺）")
                flow.append(self.p(text + tick, self.s.promise))
            flow.append(
                self.p(
                    "如有违反，本人愿意承担相应责任，接受有关部门的处理。",
                    self.s.promise,
                )
            )
            flow.append(Spacer(1, 8 * mm))
            signed = self.c.when(declaration.signed_at) if declaration else "（尚未签署）"
            flow.append(
                field_table(
                    self.s,
                    [
                        ("承诺人", member.name),
                        ("所在单位", member.unit),
                        ("审查员证书编号", member.certificate_no),
                        ("签署时间", signed),
                        (
                            "签名",
                            self.hand_of(SignedDocument.DECLARATION, member.id, member.name),
                        ),
                    ],
                    34 * mm,
                )
            )
        return flow

    # 企业实地核查报告 ----------------------------------------------------------------------

    def onsite(self) -> list[Flowable]:
        c, s, case = self.c, self.s, self.case
        flow: list[Flowable] = self.title(DocumentKind.ONSITE)
        flow.append(self.p("一、基本情况", s.heading))
        flow.append(
            field_table(
                s,
                [
                    ("企业名称", self.enterprise.name),
                    ("统一社会信用代码", self.enterprise.credit_code),
                    ("地址", self.enterprise.address),
                    (
                        "联系人／电话",
                        f"{self.enterprise.contact_person}　{self.enterprise.phone}",
                    ),
                    ("产品／产品单元", f"{case.product}／{case.product_unit}"),
                    ("核查表", self.c.form.label),
                    (
                        "受理日期／核查期限",
                        f"{case.accepted_on.isoformat()}／"
                        f"{onsite_deadline(case.accepted_on).isoformat()}（受理后30日）",
                    ),
                    ("核查开始", c.when(case.review_started_at)),
                    ("作出结论", c.when(case.concluded_at)),
                ],
                34 * mm,
            )
        )
        flow.append(self.p("二、审查组", s.heading))
        rows: list[list[Cell]] = [["角色", "姓名", "所在单位", "审查员证书编号"]]
        for member in c.ordered_members:
            rows.append(
                [ROLE_LABELS[member.role.value], member.name, member.unit, member.certificate_no]
            )
        flow.append(table(s, rows, [16 * mm, 28 * mm, 80 * mm, 46 * mm]))
        flow += self.checklist()
        flow += self.verdict()
        flow += self.objection()
        flow += self.signatures()
        flow += self.evidence()
        return flow

    def checklist(self) -> list[Flowable]:
        s = self.s
        results = answered_results(self.state.results)  # a taken-back result: unanswered
        flow: list[Flowable] = [
            self.p("三、核查项目及结果", s.heading),
            self.p("★ 为否决项。核查人按审查组成员记录（同名者注明单位）。", s.note),
        ]
        widths = [13 * mm, 62 * mm, 16 * mm, 39 * mm, 28 * mm, 12 * mm]
        for section in self.c.form.sections:
            rows: list[list[Cell]] = [["编号", "核查内容", "结论", "说明", "核查人", "证据"]]
            for item in section.items:
                result = results.get(item.code)
                code = f"{item.code}★" if item.veto else item.code
                if result is None:
                    rows.append([code, item.requirement, NOT_ASSESSED, "", "", ""])
                    continue
                rows.append(
                    [
                        code,
                        item.requirement,
                        result.result,
                        result.note,
                        self.c.person(result.assessor_id),
                        f"{len(result.evidence)} 张" if result.evidence else "—",
                    ]
                )
            flow.append(CondPageBreak(30 * mm))
            flow.append(self.p(f"{section.code}　{section.title}", s.cell))
            flow.append(Spacer(1, 1 * mm))
            flow.append(table(s, rows, widths, cell_style=s.small_cell))
            flow.append(Spacer(1, 2 * mm))
        return flow

    def verdict(self) -> list[Flowable]:
        s, verdict = self.s, self.c.verdict
        answered = answered_results(self.state.results)
        counts = Counter(r.result for r in answered.values())
        pending = len(self.c.form.items()) - len(answered)
        tally = "，".join(f"{name} {counts.get(name, 0)} 项" for name in DEFAULT_RESULTS)
        others = {k: v for k, v in counts.items() if k not in DEFAULT_RESULTS}
        tally += "".join(f"，{name} {n} 项" for name, n in sorted(others.items()))
        tally += f"，未核查 {pending} 项"
        rules = ["任一否决项（★）判为“不符合”即不合格"]
        for rule in self.c.form.verdict_rules:
            scope = rule.label or ("非否决项" if rule.exclude_veto else "全部项目")
            rules.append(f"{scope}中判为“{rule.result}”的超过 {rule.max_count} 项即不合格")
        rules.append("“不适用”不计入；全部项目均有结论且未触及上述规则为合格")
        outcome = {"pass": "合格", "fail": "不合格", "incomplete": "未完成"}[verdict.outcome]
        flow: list[Flowable] = [
            CondPageBreak(50 * mm),
            self.p("四、核查结论", s.heading),
            self.p(f"结论：{outcome}", s.heading),
            self.p(f"判定：{verdict.explain()}"),
            self.p(f"统计：{tally}。"),
            self.p(f"判定规则（{self.c.form.label}）：" + "；".join(rules) + "。", s.note),
        ]
        if verdict.outcome == "fail":
            flow.append(self.p("不合格的理由：", s.body))
            flow += [self.p(f"{n}. {reason}") for n, reason in enumerate(verdict.reasons, 1)]
        return flow

    def objection(self) -> list[Flowable]:
        s = self.s
        flow: list[Flowable] = [self.p("五、企业意见", s.heading)]
        if not self.state.objections:
            flow.append(self.p("企业未对核查结论提出异议。"))
            return flow
        for objection in sorted(self.state.objections, key=lambda o: o.recorded_at):
            flow.append(
                field_table(
                    s,
                    [
                        ("企业异议", objection.text),
                        ("企业代表", objection.representative),
                        ("记录时间", self.c.when(objection.recorded_at)),
                    ],
                    30 * mm,
                )
            )
            flow.append(Spacer(1, 2 * mm))
        return flow

    def signatures(self) -> list[Flowable]:
        s, c = self.s, self.c
        rows: list[list[Cell]] = [["角色", "姓名（所在单位）", "签名", "日期"]]
        for member in c.ordered_members:
            signed = member_signature(self.state, SignedDocument.ONSITE, member.id)
            rows.append(
                [
                    ROLE_LABELS[member.role.value],
                    f"{member.name}（{member.unit}）",
                    self.hand(signed, member.name),
                    self.signed_on(signed),
                ]
            )
        leader = c.leader
        rows.append(
            [
                "审查组长签发",
                f"{leader.name}（{leader.unit}）" if leader else "",
                "",
                "",
            ]
        )
        representatives = representative_signatures(self.state, SignedDocument.ONSITE)
        for signed in representatives:
            name = (signed.representative or "").strip()
            rows.append(
                ["企业负责人", name, self.hand(signed, f"企业代表{name}"), self.signed_on(signed)]
            )
        if not representatives:
            rows.append(["企业负责人", "", "", ""])
        block = table(
            s,
            rows,
            [26 * mm, 80 * mm, 40 * mm, 24 * mm],
            extra=[("TOPPADDING", (0, 1), (-1, -1), 8)],
        )
        flow: list[Flowable] = [self.p("六、签字", s.heading), block]
        for signature in sorted(self.state.signatures, key=lambda x: x.signed_at):
            flow.append(
                self.p(
                    f"签发记录：{signature.meaning}　{c.person(signature.signer_id)}　"
                    f"{c.when(signature.signed_at)}",
                    s.note,
                )
            )
        return [KeepTogether(flow)]

    def evidence(self) -> list[Flowable]:
        s = self.s
        photos = [
            (result.item_code, n, len(result.evidence), digest)
            for result in answered_results(self.state.results).values()
            for n, digest in enumerate(result.evidence, start=1)
        ]
        if not photos:
            return []
        order = {item.code: i for i, item in enumerate(self.c.form.items())}
        photos.sort(key=lambda p: (order.get(p[0], len(order)), p[1]))
        cells: list[list[Flowable]] = []
        for code, n, total, digest in photos:
            what = f"第 {code} 项的证据照片"
            photo = print_photo(self.c.workspace, digest, EVIDENCE_W, EVIDENCE_H, what)
            caption = f"第 {code} 项　证据 {n}/{total}"
            cells.append([photo.flowable(), self.p(caption, s.centered_cell)])
        rows: list[list[Cell]] = [
            [cells[i], cells[i + 1] if i + 1 < len(cells) else ""] for i in range(0, len(cells), 2)
        ]
        grid = table(
            s,
            rows,
            [CONTENT_WIDTH / 2, CONTENT_WIDTH / 2],
            header=False,
            extra=[("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")],
        )
        return [PageBreak(), self.p("附：证据照片", s.heading), grid]

    # 抽样单 / 封样记录 ---------------------------------------------------------------------

    def sampling(self, *, alone: bool) -> list[Flowable]:
        s, c = self.s, self.c
        if not self.state.samples:
            if alone:
                raise ReportError(
                    "report_nothing_to_print",
                    f"案件 {self.case.application_no} 没有抽样记录，没有抽样单可打印。",
                )
            return [
                *self.title(DocumentKind.SAMPLING),
                self.p("本案件没有抽样记录（核查未合格，或尚未抽样封样）。"),
            ]
        flow: list[Flowable] = []
        samples = sorted(self.state.samples, key=lambda x: (x.sampled_at, x.id))
        for n, sample in enumerate(samples):
            if n:
                flow.append(PageBreak())
            flow += self.title(DocumentKind.SAMPLING, self.case_line())
            send_by = sample_send_by(sample.sampled_at, c.calendar).isoformat()
            if sample.onsite_testing:
                delivery = f"由检验机构现场检验（条例第十九条），不需送样（如送样，期限 {send_by}）"
            else:
                delivery = f"{send_by} 前由企业送达检验机构（封样后7日内，条例第十九条）"
            overdue = self.case.status == CaseStatus.SAMPLED and sample_is_overdue(
                sample, c.today, c.calendar
            )
            samplers = "、".join(c.person(sid) for sid in sample.sampler_ids)
            chosen = (
                "检验机构由企业从有资质的检验机构中自主选择"
                if sample.agency_chosen_by_enterprise
                else "未记录企业的选择"
            )
            flow.append(
                field_table(
                    s,
                    [
                        ("产品名称", sample.product_name),
                        ("型号规格", sample.model_spec),
                        ("批号或生产日期", sample.batch_no),
                        ("抽样基数", sample.base_quantity),
                        ("样品数量", sample.sample_quantity),
                        ("备样数量", sample.reserve_quantity),
                        ("抽样地点", sample.sampling_place),
                        ("抽样时间", c.when(sample.sampled_at)),
                        ("抽样人", samplers),
                        ("企业代表", sample.enterprise_representative),
                        ("检验机构", f"{sample.agency}（{chosen}）"),
                        ("现场检验", "是" if sample.onsite_testing else "否"),
                        ("送样期限", delivery),
                    ],
                    34 * mm,
                )
            )
            if overdue:
                flow.append(
                    self.p(f"【已逾期】样品应于 {send_by} 前送达检验机构，已超过期限。", s.mark)
                )
            seals = sorted(
                (x for x in self.state.seals if x.sample_id == sample.id), key=lambda x: x.seal_no
            )
            flow.append(self.p("封样记录", s.heading))
            rows: list[list[Cell]] = [["序号", "封条编号", "封条照片"]]
            for m, seal in enumerate(seals, start=1):
                photo: str | Flowable = "（无照片）"
                if seal.photo:
                    photo = print_photo(
                        c.workspace, seal.photo, SEAL_W, SEAL_H, f"封条 {seal.seal_no} 的照片"
                    ).flowable()
                rows.append([str(m), seal.seal_no, photo])
            if not seals:
                rows.append(["", "（未记录封条）", ""])
            flow.append(table(s, rows, [14 * mm, 50 * mm, CONTENT_WIDTH - 64 * mm]))
            signing = self.sampling_signatures(sample)
            flow.append(KeepTogether([Spacer(1, 6 * mm), signing]))
        return flow

    def sampling_signatures(self, sample: SampleRecord) -> Flowable:
        """The sampling record's signature lines: each sampler's and the representative's
        handwritten signature made after this sampling, with their dates."""
        s, c = self.s, self.c
        samplers: list[Flowable] = []
        days: list[str] = []
        for member_id in sample.sampler_ids:
            signed = member_signature(self.state, SignedDocument.SAMPLING, member_id)
            if signed is None or signed.signed_at < sample.sampled_at:
                continue
            samplers += [
                self.hand(signed, c.person(member_id)),
                self.p(c.person(member_id), s.note),
            ]
            days.append(self.signed_on(signed))
        named = representative_signatures(
            self.state, SignedDocument.SAMPLING, sample.enterprise_representative, sample.sampled_at
        )
        representative = named[0] if named else None
        return table(
            s,
            [
                [
                    "抽样人签字",
                    samplers or "",
                    "企业代表签字",
                    self.hand(representative, f"企业代表{sample.enterprise_representative}"),
                ],
                ["日期", "、".join(sorted(set(days))), "日期", self.signed_on(representative)],
            ],
            [30 * mm, 55 * mm, 30 * mm, 55 * mm],
            header=False,
            extra=[("TOPPADDING", (0, 0), (-1, -1), 8)],
        )

    # 反馈表 -------------------------------------------------------------------------------

    def feedback(self) -> list[Flowable]:
        s = self.s
        flow: list[Flowable] = self.title(DocumentKind.FEEDBACK)
        flow.append(
            self.p(
                "依据国质检监〔2006〕499号，在受理、实地核查、产品检验工作开始前，"
                "审查组将本表交给企业负责人，并说明其用途：请企业如实填写本阶段审查"
                "（核查）人员的工作情况，填好后密封交回国家质检总局审查中心（经本软件填写的，"
                "加密后仅审查中心可以读取，审查组无法查看或修改）。",
                s.body,
            )
        )
        stages = "　".join(f"□ {STAGE_LABELS[stage]}" for stage in Stage)
        flow.append(
            field_table(
                s,
                [
                    ("申请编号", self.case.application_no),
                    ("企业名称", self.enterprise.name),
                    ("产品／产品单元", f"{self.case.product}／{self.case.product_unit}"),
                    ("本表针对的阶段", stages),
                ],
                34 * mm,
            )
        )
        flow.append(self.p("一、请在相应的方框内打“✔”", s.heading))
        rows: list[list[Cell]] = [["序号", "问题", "回答"]]
        answers = "　".join(f"□ {a}" for a in ANSWERS)
        for n, question in enumerate(FEEDBACK_QUESTIONS, start=1):
            rows.append([str(n), question.text, answers])
        n = len(FEEDBACK_QUESTIONS) + 1
        rows.append(
            [str(n), SATISFACTION_QUESTION, "　".join(f"□ {c}" for c in SATISFACTION_CHOICES)]
        )
        flow.append(
            table(
                s,
                rows,
                [12 * mm, 108 * mm, 50 * mm],
                extra=[("TOPPADDING", (0, 1), (-1, -1), 5), ("BOTTOMPADDING", (0, 1), (-1, -1), 5)],
            )
        )
        flow.append(self.p(f"二、{FREE_TEXT_QUESTION}", s.heading))
        flow.append(table(s, [[""]], [CONTENT_WIDTH], header=False, heights=[60 * mm]))
        flow.append(Spacer(1, 6 * mm))
        flow.append(
            table(
                s,
                [["企业负责人（签字）", "", "企业（盖章）", ""], ["填表日期", "", "联系电话", ""]],
                [36 * mm, 49 * mm, 36 * mm, 49 * mm],
                header=False,
                extra=[("TOPPADDING", (0, 0), (-1, -1), 8)],
            )
        )
        return flow

    # 案卷 --------------------------------------------------------------------------------

    def cover(self) -> list[Flowable]:
        s, c = self.s, self.c
        flow: list[Flowable] = [Spacer(1, 30 * mm), *self.title(DocumentKind.FULL)]
        flow.append(
            field_table(
                s,
                [
                    ("申请编号", self.case.application_no),
                    ("企业名称", self.enterprise.name),
                    ("产品／产品单元", f"{self.case.product}／{self.case.product_unit}"),
                    ("受理日期", self.case.accepted_on.isoformat()),
                    ("核查结论", c.verdict.explain()),
                    ("审查组长", c.person(c.leader.id) if c.leader else "—"),
                ],
                34 * mm,
            )
        )
        for mark in c.late_marks():
            flow.append(Spacer(1, 2 * mm))
            flow.append(self.p(mark, s.mark))
        flow.append(self.p("本案卷包括", s.heading))
        listed = [DocumentKind.FILING, DocumentKind.DECLARATION, DocumentKind.ONSITE]
        listed += [DocumentKind.SAMPLING, DocumentKind.FEEDBACK]
        for n, kind in enumerate(listed, start=1):
            flow.append(self.p(f"{n}. {TITLES[kind]}"))
        return flow

    def document(self, kind: DocumentKind) -> list[Flowable]:
        if kind == DocumentKind.FILING:
            return self.filing(alone=True)
        if kind == DocumentKind.DECLARATION:
            return self.declarations()
        if kind == DocumentKind.ONSITE:
            return self.onsite()
        if kind == DocumentKind.SAMPLING:
            return self.sampling(alone=True)
        if kind == DocumentKind.FEEDBACK:
            return self.feedback()
        flow = self.cover()
        for part in (
            self.filing(alone=False),
            self.declarations() if self.state.members else [],
            self.onsite(),
            self.sampling(alone=False),
            self.feedback(),
        ):
            if part:
                flow += [PageBreak(), *part]
        return flow


def build_document(
    workspace: Workspace,
    case_id: str,
    kind: DocumentKind | str,
    *,
    now: datetime,
    fonts: FontSet | None = None,
) -> bytes:
    """Build one document of a case and return the PDF's bytes.

    Args:
        workspace: the open workspace.
        case_id: the case's id.
        kind: which document (`DocumentKind` or its value: filing, declaration, onsite,
            sampling, feedback, full).
        now: the composition root's clock reading; only its day on the regulation's calendar
            is used, for the late marks (已超期). Nothing of it is printed, so the same case
            gives byte-identical PDFs.
        fonts: the fonts to use (default: found on this machine).

    Raises:
        ReportError: no Chinese font, a character no font has (named with its field), a photo
            missing or unreadable, or nothing recorded for this document.
        RuleViolation: the case does not exist.
    """
    kind = DocumentKind(kind)
    if kind == DocumentKind.AMENDMENT:
        raise ReportError(
            "report_nothing_to_print",
            "更正说明由审查组长签发（inspector amend 或 文书 → 更正…），不能单独打印。",
        )
    fonts = fonts or FontSet()
    context = CaseContext.load(workspace, case_id, now)
    marks = context.late_marks()
    # Every text is checked before anything is laid out: a character no font has is refused
    # here, naming its field, instead of being drawn as nothing.
    fonts.cover(case_texts(context))
    fonts.cover(("页眉", mark) for mark in marks)
    flowables = _Builder(context, fonts).document(kind)
    case = context.state.case
    title = f"{TITLES[kind]}（{case.application_no}）"
    page = PageMarks(case.application_no, TITLES[kind], marks, context.pdf_date())
    info = DocumentInfo(
        title=title,
        subject=f"{context.state.enterprise.name} {case.product_unit} 生产许可证实地核查",
        keywords=f"{case.application_no} 内部资料 注意保密",
    )
    return render(flowables, fonts, page, info)
