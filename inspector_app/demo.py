"""Demo cases (演示案件): realistic enterprises and teams, one case at each lifecycle stage.

Ids are derived from fixed names, so running the demo again finds its cases and adds nothing.
"""

from __future__ import annotations

import hashlib
import struct
import uuid
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlite_utils import Database

from inspector_app.core.credit_code import check_character
from inspector_app.core.forms import RESULT_CONFORM, RESULT_MINOR, RESULT_NONCONFORM
from inspector_app.core.model import (
    Case,
    CaseStatus,
    ChecklistResult,
    Enterprise,
    EnterpriseObjection,
    FeedbackHandover,
    IntegrityDeclaration,
    Role,
    SampleRecord,
    Seal,
    Stage,
    TeamMember,
    UnitType,
)
from inspector_app.store import records
from inspector_app.store.attachments import add_attachment
from inspector_app.store.casework import Casework, case_form
from inspector_app.store.form_library import latest_version
from inspector_app.store.workspace import Workspace

DEMO_NAMESPACE = uuid.UUID("6f1c1d2e-8f4b-4c1a-9a53-1d3c5e7f9b20")
IMPORTER = "演示数据"

AGENCIES = (
    "国家电线电缆质量检验检测中心（上海）",
    "国家水泥质量检验检测中心",
    "广东产品质量监督检验研究院",
)


def demo_id(*parts: str) -> str:
    """Return a stable UUID for a demo record."""
    return str(uuid.uuid5(DEMO_NAMESPACE, "/".join(parts)))


def demo_credit_code(seed: int) -> str:
    """Return a valid unified social credit code for demo enterprise number `seed`."""
    body = f"91{320000 + seed * 1111:06d}MA{seed:07d}"[:17]
    body = body.replace("I", "1").replace("O", "0")
    return body + check_character(body)


@dataclass(frozen=True)
class DemoCase:
    """One demo case: who, what, and how far its review got."""

    key: str
    application_no: str
    enterprise: tuple[str, str, str, str]  # name, address, contact, phone
    product: str
    product_unit: str
    form_id: str
    stage: CaseStatus
    accepted_days_ago: int
    fail_item: bool = False
    objection: str = ""
    form_version: int | None = None  # None: the latest installed version


DEMO_CASES = (
    DemoCase(
        "a",
        "XK06-2026-0101",
        ("江苏远东电缆有限公司", "江苏省宜兴市高塍镇远东大道6号", "周建国", "0510-87249999"),
        "电线电缆",
        "架空绞线",
        "wire-cable",
        CaseStatus.ACCEPTED,
        3,
    ),
    DemoCase(
        "b",
        "XK06-2026-0102",
        ("浙江万马电缆股份有限公司", "浙江省杭州市临安区青山湖街道", "吴海燕", "0571-63755123"),
        "电线电缆",
        "电力电缆",
        "wire-cable",
        CaseStatus.TEAM_FILED,
        6,
    ),
    DemoCase(
        "c",
        "XK08-2026-0201",
        ("安徽海螺水泥股份有限公司", "安徽省芜湖市文化路39号", "李振华", "0553-8398976"),
        "水泥",
        "通用硅酸盐水泥",
        "cement",
        CaseStatus.ON_SITE_REVIEW,
        9,
    ),
    DemoCase(
        "d",
        "XK08-2026-0202",
        ("华新水泥（黄石）有限公司", "湖北省黄石市黄石港区华新路1号", "张明远", "0714-6228888"),
        "水泥",
        "通用硅酸盐水泥",
        "cement",
        CaseStatus.PASSED,
        12,
        form_version=1,  # accepted under the old form: keeps it after version 2 arrived
    ),
    DemoCase(
        "e",
        "XK06-2026-0103",
        ("广东新亚光电缆股份有限公司", "广东省清远市清城区石角镇", "陈伟强", "0763-3621888"),
        "电线电缆",
        "塑料绝缘控制电缆",
        "wire-cable",
        CaseStatus.FAILED,
        15,
        fail_item=True,
    ),
    DemoCase(
        "f",
        "XK08-2026-0203",
        ("冀东水泥唐山有限责任公司", "河北省唐山市丰润区林荫路", "王立军", "0315-3273666"),
        "水泥",
        "通用硅酸盐水泥",
        "cement",
        CaseStatus.SAMPLED,
        18,
    ),
    DemoCase(
        "g",
        "XK06-2026-0104",
        ("宝胜科技创新股份有限公司", "江苏省扬州市宝应县苏中路1号", "刘志刚", "0514-88248888"),
        "电线电缆",
        "电力电缆",
        "wire-cable",
        CaseStatus.SIGNED_OFF,
        25,
    ),
    DemoCase(
        "h",
        "XK16-2026-0301",
        ("山东泰山钢铁集团有限公司", "山东省济南市莱芜区府前大街", "赵洪涛", "0634-6821234"),
        "建筑用钢筋",
        "热轧带肋钢筋",
        "general-onsite",
        CaseStatus.SIGNED_OFF,
        28,
        fail_item=True,
        objection="企业认为第 3.2 项的判定依据不足，已提交设备检定证书，请复核。",
    ),
    DemoCase(
        "i",
        "XK06-2026-0099",
        ("河南通达电缆股份有限公司", "河南省洛阳市高新区滨河北路", "孙晓峰", "0379-65107666"),
        "电线电缆",
        "架空绞线",
        "wire-cable",
        CaseStatus.ACCEPTED,
        40,
    ),
)

ASSOCIATIONS = {
    "wire-cable": "中国电器工业协会电线电缆分会",
    "cement": "中国水泥协会",
    "general-onsite": "中国钢铁工业协会",
}

REVIEWERS = (
    ("王建华", "江苏省产品质量监督检验研究院", UnitType.TECHNICAL_INSTITUTION, Role.LEADER),
    ("李春梅", "{association}", UnitType.INDUSTRY_ASSOCIATION, Role.MEMBER),
    ("陈志强", "江苏省市场监督管理局", UnitType.PROVINCIAL_BUREAU, Role.MEMBER),
)


def fill_demo(workspace: Workspace, now: datetime) -> int:
    """Add the demo cases that are not in the workspace yet; return how many were added."""
    added = 0
    for demo in DEMO_CASES:
        if records.load(workspace.db, Case, demo_id(demo.key, "case")) is None:
            build_demo_case(workspace, demo, now.date())
            added += 1
    return added


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def build_demo_case(workspace: Workspace, demo: DemoCase, today: date) -> None:
    db = workspace.db
    accepted = today - timedelta(days=demo.accepted_days_ago)
    review_day = accepted + timedelta(days=5)
    name, address, contact, phone = demo.enterprise
    enterprise = Enterprise(
        demo_id(demo.key, "enterprise"),
        name,
        demo_credit_code(ord(demo.key)),
        address,
        contact,
        phone,
    )
    case = Case(
        id=demo_id(demo.key, "case"),
        application_no=demo.application_no,
        enterprise_id=enterprise.id,
        product=demo.product,
        product_unit=demo.product_unit,
        form_id=demo.form_id,
        form_version=demo.form_version or latest_version(db, demo.form_id) or 1,
        accepted_on=accepted,
        review_date=review_day,
        qualified_agencies=AGENCIES,
    )
    clerk = Casework(db, IMPORTER)
    with db.atomic():
        clerk.create_case(enterprise, case, _at(accepted, 1))
        if demo.stage == CaseStatus.ACCEPTED:
            return
        members = []
        for i, (person, unit_pattern, unit_type, role) in enumerate(REVIEWERS):
            unit = unit_pattern.format(association=ASSOCIATIONS[demo.form_id])
            member = TeamMember(
                demo_id(demo.key, "member", str(i)),
                case.id,
                person,
                unit,
                unit_type,
                f"XKSC-{2021 + i}-{1000 + ord(demo.key) * 7 + i:05d}",
                review_day + timedelta(days=700 - 200 * i),
                role,
                f"1390000{1000 + i:04d}",
            )
            clerk.save_member(member, _at(accepted, 2, i))
            members.append(member)
        leader = members[0]
        for i, member in enumerate(members):
            Casework(db, member.name).sign_declaration(
                IntegrityDeclaration(
                    demo_id(demo.key, "declaration", str(i)),
                    case.id,
                    member.id,
                    True,
                    True,
                    True,
                    _at(accepted, 3, i),
                ),
                _at(accepted, 3, i),
            )
        _hand_over(db, demo, case, Stage.ACCEPTANCE, _at(accepted, 4), contact, leader)
        Casework(db, leader.name).file_team(case.id, _at(accepted, 5), demo_id(demo.key, "filing"))
        if demo.stage == CaseStatus.TEAM_FILED:
            return
        _hand_over(db, demo, case, Stage.ON_SITE, _at(review_day, 8, 30), contact, leader)
        Casework(db, leader.name).start_review(case.id, _at(review_day, 9))
        _record_results(workspace, demo, case, members, review_day)
        if demo.stage == CaseStatus.ON_SITE_REVIEW:
            return
        Casework(db, leader.name).conclude(case.id, _at(review_day + timedelta(days=1), 16))
        if not demo.fail_item and demo.stage in (CaseStatus.SAMPLED, CaseStatus.SIGNED_OFF):
            _seal_samples(workspace, demo, case, members, contact, review_day + timedelta(days=1))
        if demo.objection:
            clerk.record_objection(
                EnterpriseObjection(
                    demo_id(demo.key, "objection"),
                    case.id,
                    demo.objection,
                    contact,
                    _at(review_day + timedelta(days=1), 17),
                ),
                _at(review_day + timedelta(days=1), 17),
            )
        if demo.stage == CaseStatus.SIGNED_OFF:
            Casework(db, leader.name).sign_off(
                case.id, _at(review_day + timedelta(days=1), 18), demo_id(demo.key, "signature")
            )


def _record_results(
    workspace: Workspace, demo: DemoCase, case: Case, members: list[TeamMember], day: date
) -> None:
    db = workspace.db
    form = case_form(db, case)
    items = form.items()
    if demo.stage == CaseStatus.ON_SITE_REVIEW:
        items = items[: len(items) * 2 // 3]  # a review still under way
    veto = next((item for item in items if item.veto), None)
    for i, item in enumerate(items):
        member = members[i % len(members)]
        result, note = RESULT_CONFORM, ""
        if demo.fail_item and item is veto:
            result, note = (
                RESULT_NONCONFORM,
                "现场未能提供有效的出厂检验记录，关键检验设备未经检定。",
            )
        elif i % 9 == 4 and RESULT_MINOR in item.allowed_results:
            result, note = RESULT_MINOR, "记录填写不完整，已要求企业当场整改。"
        if "note" in item.requires.get(result, ()) and not note:
            note = "已核查相关记录。"
        evidence: tuple[str, ...] = ()
        if "photo" in item.requires.get(result, ()):
            evidence = (_photo(workspace, f"{demo.key}-{item.code}", member.name, day),)
        at = _at(day, 10, i % 60)
        Casework(db, member.name).record_result(
            ChecklistResult(
                demo_id(demo.key, "result", item.code),
                case.id,
                item.code,
                result,
                note,
                member.id,
                at,
                evidence,
            ),
            at,
        )


def _hand_over(
    db: Database,
    demo: DemoCase,
    case: Case,
    stage: Stage,
    at: datetime,
    contact: str,
    leader: TeamMember,
) -> None:
    """The leader hands the feedback form (反馈表) to the enterprise's contact before `stage`."""
    Casework(db, leader.name).record_handover(
        FeedbackHandover(
            demo_id(demo.key, "handover", stage.value), case.id, stage, at, contact, leader.id
        ),
        at,
    )


def demo_png(seed: str) -> bytes:
    """Return a small valid PNG whose colour depends on `seed` (a stand-in for a photo)."""
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    width = height = 16
    raw = b"".join(b"\x00" + digest[:3] * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _photo(workspace: Workspace, seed: str, actor: str, day: date) -> str:
    attachment = add_attachment(
        workspace,
        demo_png(seed),
        media_type="image/png",
        original_name=f"{seed}.png",
        actor=actor,
        now=_at(day, 9),
    )
    return attachment.sha256


def _seal_samples(
    workspace: Workspace,
    demo: DemoCase,
    case: Case,
    members: list[TeamMember],
    contact: str,
    day: date,
) -> None:
    db = workspace.db
    leader = members[0]
    _hand_over(db, demo, case, Stage.INSPECTION, _at(day, 8), contact, leader)
    sample = SampleRecord(
        id=demo_id(demo.key, "sample"),
        case_id=case.id,
        product_name=case.product_unit,
        model_spec="P·O 42.5" if demo.form_id == "cement" else "YJV22-8.7/15kV 3×240",
        batch_no=f"{day:%Y%m%d}-01",
        base_quantity="500 t" if demo.form_id == "cement" else "3000 m",
        sample_quantity="12 kg" if demo.form_id == "cement" else "10 m",
        reserve_quantity="12 kg" if demo.form_id == "cement" else "10 m",
        sampling_place="成品库",
        sampled_at=_at(day, 10),
        sampler_ids=(leader.id, members[1].id),
        enterprise_representative=contact,
        agency=AGENCIES[1] if demo.form_id == "cement" else AGENCIES[0],
        agency_chosen_by_enterprise=True,
    )
    seals = [
        Seal(
            demo_id(demo.key, "seal", str(n)),
            sample.id,
            case.id,
            f"FY-{day:%Y}-{n:04d}",
            _photo(workspace, f"seal-{demo.key}-{n}", leader.name, day),
        )
        for n in (ord(demo.key) * 10 + 1, ord(demo.key) * 10 + 2)
    ]
    Casework(db, leader.name).record_sample(sample, seals, _at(day, 10, 30))
