"""Sampling and sealing (抽样 / 封样): only after a pass, agency chosen by the enterprise."""

from __future__ import annotations

from collections.abc import Sequence

from inspector_app.core.errors import Problem
from inspector_app.core.model import CaseStatus, SampleRecord, Seal, TeamMember


def sampling_allowed_problems(status: CaseStatus) -> list[Problem]:
    """Sampling may start only after the checklist verdict is pass (现场核查合格后)."""
    if status in (CaseStatus.PASSED, CaseStatus.SAMPLED):
        return []
    return [
        Problem(
            "sampling_after_pass",
            "实地核查结论为合格后才能抽样封样（现场核查合格后，审查组对产品进行抽样和封样）。",
        )
    ]


def agency_choice_problems(sample: SampleRecord, qualified: Sequence[str]) -> list[Problem]:
    """The inspection agency has no default: it is the enterprise's choice from the qualified
    list (审查组长不能强迫企业将样品送到特定的检验机构)."""
    if not sample.agency.strip():
        return [Problem("agency_by_enterprise", "请由企业从有资质的检验机构中选择检验机构。")]
    if not sample.agency_chosen_by_enterprise:
        return [
            Problem(
                "agency_by_enterprise",
                "检验机构须由企业自行选择；请确认该机构是企业的选择。",
            )
        ]
    if sample.agency not in qualified:
        return [
            Problem(
                "agency_qualified",
                f"“{sample.agency}”不在本产品有资质的检验机构名单中。",
            )
        ]
    return []


def sample_record_problems(
    sample: SampleRecord,
    seals: Sequence[Seal],
    members: Sequence[TeamMember],
    qualified: Sequence[str],
) -> list[Problem]:
    """A sampling record needs its fields, at least one seal, and filed samplers."""
    problems = agency_choice_problems(sample, qualified)
    required = {
        "产品名称": sample.product_name,
        "型号规格": sample.model_spec,
        "批号或生产日期": sample.batch_no,
        "抽样基数": sample.base_quantity,
        "样品数量": sample.sample_quantity,
        "抽样地点": sample.sampling_place,
        "企业代表": sample.enterprise_representative,
    }
    missing = [label for label, value in required.items() if not value.strip()]
    if missing:
        problems.append(Problem("sample_fields", f"抽样单缺少：{'、'.join(missing)}。"))
    if not seals:
        problems.append(Problem("seal_required", "抽样单至少需要一个封条编号。"))
    problems += seal_number_problems(seals)
    member_ids = {m.id for m in members}
    if not sample.sampler_ids or not set(sample.sampler_ids) <= member_ids:
        problems.append(Problem("sampler_filed", "抽样人须为本案已备案的审查组成员。"))
    return problems


def seal_number_problems(seals: Sequence[Seal]) -> list[Problem]:
    """Each seal (封条) has a number, and no two seals of a record share one."""
    problems = []
    if any(not seal.seal_no.strip() for seal in seals):
        problems.append(Problem("seal_number", "每个封条都须填写封条编号。"))
    numbers = [seal.seal_no.strip() for seal in seals if seal.seal_no.strip()]
    repeated = sorted({n for n in numbers if numbers.count(n) > 1})
    if repeated:
        problems.append(
            Problem("seal_number", f"封条编号重复：{'、'.join(repeated)}；每个封条编号只能用一次。")
        )
    return problems
