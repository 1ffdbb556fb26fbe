"""Demo cases (演示案件): realistic enterprises and teams, one case at each lifecycle stage.

Ids are derived from fixed names, so running the demo again finds its cases and adds nothing.
Every act is done by the reviewer it names, in the regulation's order and on its calendar
(China Standard Time by default). Two reviewers share the name 王建华, as happens in real teams:
the cement cases have both on one team.

The demo reviewers get signing identities, under the passphrase $INSPECTOR_PASSPHRASE or else
`DEMO_PASSPHRASE`, with a cheaper scrypt cost than a real profile (`DEMO_KDF_N`: they protect
nothing but the demo, and the demo must stay quick). The signed-off demo cases are signed off
by the real ceremony: every member signs the on-site report, the leader last, and the signed
PDF is stored in the workspace.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import os
import random
import struct
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from inspector_app.core.calendar import RegulationCalendar
from inspector_app.core.credit_code import check_character
from inspector_app.core.forms.model import RESULT_CONFORM, RESULT_MINOR, RESULT_NONCONFORM
from inspector_app.core.model import (
    Actor,
    Case,
    CaseStatus,
    ChecklistResult,
    Enterprise,
    EnterpriseObjection,
    FeedbackHandover,
    HandSignature,
    IntegrityDeclaration,
    Reviewer,
    Role,
    SampleRecord,
    Seal,
    SignerKind,
    Stage,
    TeamMember,
    UnitType,
)
from inspector_app.core.team import member_from_reviewer
from inspector_app.store import records
from inspector_app.store.attachments import add_attachment, reserve_attachments
from inspector_app.store.casework import Casework, case_form
from inspector_app.store.centre_key import save_centre_key
from inspector_app.store.form_library import latest_version
from inspector_app.store.identities import create_identity, identity_reviewer_ids
from inspector_app.store.pending import Reservation
from inspector_app.store.reviewers import add_reviewer, get_reviewer
from inspector_app.store.settings import load_settings
from inspector_app.store.workspace import Workspace
from sync.sealing import public_key_of

DEMO_PASSPHRASE = "demo-passphrase-2026"
"""The demo reviewers' passphrase when $INSPECTOR_PASSPHRASE is not set (named in the README)."""

DEMO_KDF_N = 2**14
"""scrypt cost of the demo reviewers' passphrases (a real profile uses 2**17, ~0.5 s)."""

DEMO_NAMESPACE = uuid.UUID("6f1c1d2e-8f4b-4c1a-9a53-1d3c5e7f9b20")

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
    review_after_days: int = 5  # from acceptance to the first day on site


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
        45,
        fail_item=True,
        objection="企业认为第 3.2 项的判定依据不足，已提交设备检定证书，请复核。",
        review_after_days=32,  # concluded after the 30-day deadline: marked "concluded late"
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

# The registry's demo reviewers: (key, name, unit, unit type, days of certificate left).
REVIEWERS = (
    ("wang", "王建华", "江苏省产品质量监督检验研究院", UnitType.TECHNICAL_INSTITUTION, 700),
    ("li", "李春梅", "中国电器工业协会电线电缆分会", UnitType.INDUSTRY_ASSOCIATION, 500),
    ("wang2", "王建华", "中国水泥协会", UnitType.INDUSTRY_ASSOCIATION, 450),
    ("sun", "孙海涛", "中国钢铁工业协会", UnitType.INDUSTRY_ASSOCIATION, 400),
    ("chen", "陈志强", "江苏省市场监督管理局", UnitType.PROVINCIAL_BUREAU, 300),
)

# Who reviews which product: the leader first. The cement team has two reviewers named 王建华.
TEAMS = {
    "wire-cable": ("wang", "li", "chen"),
    "cement": ("wang", "wang2", "chen"),
    "general-onsite": ("wang", "sun", "chen"),
}


def demo_reviewers(today: date) -> list[Reviewer]:
    """Return the demo's registry reviewers (certificates valid well past `today`)."""
    return [
        Reviewer(
            demo_id("reviewer", key),
            name,
            unit,
            unit_type,
            f"XKSC-{2021 + i}-{3100 + i * 17:05d}",
            today + timedelta(days=days_left),
            f"1390000{1000 + i:04d}",
        )
        for i, (key, name, unit, unit_type, days_left) in enumerate(REVIEWERS)
    ]


DEMO_CENTRE_SEED = b"inspector demo centre key (not a secret)"


def demo_centre_private_key() -> bytes:
    """Return the demo centre's private key: derived from a published seed, so anybody can open
    the demo's sealed feedback (a real workspace gets its centre's key by sync)."""
    return hashlib.sha256(DEMO_CENTRE_SEED).digest()


def demo_centre_public_key() -> str:
    """Return the demo centre's public key, base64, as the workspace keeps it."""
    return base64.b64encode(public_key_of(demo_centre_private_key())).decode("ascii")


def fill_demo(workspace: Workspace, now: datetime) -> int:
    """Add the demo reviewers and cases that are not in the workspace yet; return how many
    cases were added."""
    db = workspace.db
    calendar = load_settings(db).calendar
    passphrase = demo_passphrase()
    demo_team(workspace, "cement", now)  # adds every demo reviewer to the registry
    registry = [get_reviewer(db, r.id) for r in demo_reviewers(calendar.day_of(now))]
    demo_identities(workspace, [r for r in registry if r is not None], passphrase, now)
    lead = registry[0]
    if lead is not None:
        save_centre_key(db, demo_centre_public_key(), actor=lead.actor, now=now)
    added = 0
    for demo in DEMO_CASES:
        if records.load(db, Case, demo_id(demo.key, "case")) is None:
            team = demo_team(workspace, demo.form_id, now)
            build_demo_case(workspace, demo, team, now, calendar, passphrase)
            added += 1
    return added


def demo_passphrase() -> str:
    """Return the demo reviewers' passphrase: $INSPECTOR_PASSPHRASE, else DEMO_PASSPHRASE."""
    return os.environ.get("INSPECTOR_PASSPHRASE") or DEMO_PASSPHRASE


def demo_identities(
    workspace: Workspace, team: list[Reviewer], passphrase: str, now: datetime
) -> None:
    """Give each reviewer of `team` a signing identity, unless they have one (made with
    `passphrase`, at the cheap demo cost)."""
    db = workspace.db
    with_identity = identity_reviewer_ids(db, [r.id for r in team])
    for reviewer in team:
        if reviewer.id not in with_identity:
            create_identity(db, reviewer, passphrase, now=now, kdf_n=DEMO_KDF_N)


def demo_team(workspace: Workspace, form_id: str, now: datetime) -> list[Reviewer]:
    """Return the demo team for a product (leader first), adding the demo reviewers to the
    registry when they are not there yet."""
    db = workspace.db
    reviewers = demo_reviewers(load_settings(db).calendar.day_of(now))
    with db.atomic():
        for reviewer in reviewers:
            if get_reviewer(db, reviewer.id) is None:
                add_reviewer(db, reviewer, actor=reviewer.actor, now=now)
    by_key = {key: r for (key, *_), r in zip(REVIEWERS, reviewers, strict=True)}
    return [by_key[key] for key in TEAMS.get(form_id, TEAMS["cement"])]


def build_demo_case(
    workspace: Workspace,
    demo: DemoCase,
    team: list[Reviewer],
    now: datetime,
    calendar: RegulationCalendar,
    passphrase: str = DEMO_PASSPHRASE,
) -> None:
    """Build one demo case up to its stage, each act by its reviewer at a time in the past; a
    signed-off case is signed off by the ceremony, each member with `passphrase`."""
    db = workspace.db
    today = calendar.day_of(now)
    accepted = today - timedelta(days=demo.accepted_days_ago)
    review_day = accepted + timedelta(days=demo.review_after_days)
    next_day = review_day + timedelta(days=1)

    def at(day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=calendar.zone)

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
    leader = team[0]
    work = Casework(db, leader.actor, lambda: now)

    def by(member: TeamMember) -> Casework:
        return work.acting_as(Actor(member.reviewer_id, member.name))

    # Photos are written before the case's transaction commits: reserve them first, so that a
    # crash part-way leaves no file without its record (the next open removes it).
    photos = [f"{demo.key}-{item.code}" for item in case_form(db, case).items()]
    photos += [f"seal-{demo.key}-{n}" for n in _seal_numbers(demo)]
    hashes = [hashlib.sha256(demo_png(seed)).hexdigest() for seed in photos]
    signs = demo.stage in (CaseStatus.PASSED, CaseStatus.FAILED, *_SAMPLED)
    if signs:
        hashes += [_scribble_hash(who) for who in (*(r.id for r in team), contact)]
    with reserve_attachments(workspace, hashes) as reservation, db.atomic():
        work.create_case(enterprise, case)
        if demo.stage == CaseStatus.ACCEPTED:
            return
        members = []
        for i, reviewer in enumerate(team):
            role = Role.LEADER if i == 0 else Role.MEMBER
            member = member_from_reviewer(
                reviewer, case.id, demo_id(demo.key, "member", str(i)), role
            )
            work.save_member(member)
            members.append(member)
        for i, member in enumerate(members):
            by(member).sign_declaration(
                IntegrityDeclaration(
                    demo_id(demo.key, "declaration", str(i)),
                    case.id,
                    member.id,
                    True,
                    True,
                    True,
                    at(accepted, 9, i),
                )
            )
        lead = by(members[0])
        _hand_over(lead, demo, case, Stage.ACCEPTANCE, at(accepted, 10), contact, members[0])
        lead.file_team(case.id, at(accepted, 11), demo_id(demo.key, "filing"))
        if demo.stage == CaseStatus.TEAM_FILED:
            return
        _hand_over(lead, demo, case, Stage.ON_SITE, at(review_day, 8, 30), contact, members[0])
        lead.start_review(case.id, at(review_day, 9))
        _record_results(workspace, reservation, demo, case, members, by, at(review_day, 10))
        if demo.stage == CaseStatus.ON_SITE_REVIEW:
            return
        lead.conclude(case.id, at(review_day, 16))
        if demo.objection:
            work.record_objection(
                EnterpriseObjection(
                    demo_id(demo.key, "objection"),
                    case.id,
                    demo.objection,
                    contact,
                    at(review_day, 17),
                )
            )
        sampled = not demo.fail_item and demo.stage in _SAMPLED
        if sampled:
            _seal_samples(
                workspace, reservation, demo, case, members, lead, contact, at(next_day, 8)
            )
        if signs:
            signers = _demo_signers(members, contact, at(accepted, 11), at(review_day, 17, 30))
            if sampled:
                signers += [
                    ("sampling", members[0], "", at(next_day, 10, 30)),
                    ("sampling", members[1], "", at(next_day, 10, 31)),
                    ("sampling", None, contact, at(next_day, 10, 32)),
                ]
            for n, (document, signer, name, when) in enumerate(signers):
                _hand_sign(
                    workspace, reservation, lead, demo, case, document, signer, name, when, n
                )
    if demo.stage == CaseStatus.SIGNED_OFF:
        _sign_off(workspace, demo, members, by(members[0]), at(next_day, 18), passphrase)


_SAMPLED = (CaseStatus.SAMPLED, CaseStatus.SIGNED_OFF)

_Signer = tuple[str, TeamMember | None, str, datetime]


def _demo_signers(
    members: list[TeamMember], contact: str, filed: datetime, concluded: datetime
) -> list[_Signer]:
    """Who signs by hand, and when: the leader the filing, each member their declaration (after
    the filing), every member and the enterprise's contact the on-site report (after the
    conclusion and any objection)."""
    signers: list[_Signer] = [("filing", members[0], "", filed + timedelta(minutes=5))]
    signers += [
        ("declaration", m, "", filed + timedelta(minutes=10 + i)) for i, m in enumerate(members)
    ]
    signers += [("onsite", m, "", concluded + timedelta(minutes=i)) for i, m in enumerate(members)]
    signers.append(("onsite", None, contact, concluded + timedelta(minutes=len(members))))
    return signers


def _hand_sign(
    workspace: Workspace,
    reservation: Reservation,
    lead: Casework,
    demo: DemoCase,
    case: Case,
    document: str,
    member: TeamMember | None,
    name: str,
    when: datetime,
    n: int,
) -> None:
    """The leader hands the pad to a signer: a member (by id) or the enterprise's contact."""
    png = demo_scribble(member.reviewer_id if member else name)
    lead.record_hand_signature(
        workspace,
        HandSignature(
            demo_id(demo.key, "hand", str(n)),
            case.id,
            document,
            SignerKind.MEMBER if member else SignerKind.REPRESENTATIVE,
            member.id if member else None,
            None if member else name,
            hashlib.sha256(png).hexdigest(),
            when,
        ),
        png,
        reservation=reservation,
    )


@functools.cache  # the same signer's scribble is drawn once per run
def demo_scribble(seed: str) -> bytes:
    """Return a PNG of a handwritten-looking scribble, the same for the same `seed` (a signer),
    drawn with Pillow so that the demo needs no Qt: dark blue ink on a transparent ground."""
    from PIL import Image, ImageDraw

    rng = random.Random(hashlib.sha256(seed.encode("utf-8")).digest())
    image = Image.new("RGBA", (360, 120), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    x = 20.0
    for _stroke in range(rng.randint(2, 4)):
        points = []
        for _ in range(rng.randint(5, 9)):
            x = min(x + rng.uniform(8, 22), 340)
            points.append((x, rng.uniform(25, 95)))
        draw.line(points, fill=(20, 30, 110, 255), width=4, joint="curve")
        x = min(x + 12, 330)
    draw.line([(30, 104), (x, 100)], fill=(20, 30, 110, 255), width=3)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _scribble_hash(seed: str) -> str:
    return hashlib.sha256(demo_scribble(seed)).hexdigest()


def _sign_off(
    workspace: Workspace,
    demo: DemoCase,
    members: list[TeamMember],
    lead: Casework,
    evening: datetime,
    passphrase: str,
) -> None:
    """The evening after sampling: every member signs the on-site report, a minute apart,
    the leader last; the signed report is stored and the case locked."""
    from inspector_app.reports.signoff import sign_off_case

    times = iter([evening + timedelta(minutes=k) for k in range(len(members))])
    sign_off_case(
        workspace,
        lead,
        demo_id(demo.key, "case"),
        lambda _slot: passphrase,
        clock=lambda: next(times),
        at=evening,
        signature_ids={m.id: demo_id(demo.key, "signature", str(i)) for i, m in enumerate(members)},
    )


def _record_results(
    workspace: Workspace,
    reservation: Reservation,
    demo: DemoCase,
    case: Case,
    members: list[TeamMember],
    by: Callable[[TeamMember], Casework],
    start: datetime,
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
        at = start + timedelta(minutes=i)
        evidence: tuple[str, ...] = ()
        if "photo" in item.requires.get(result, ()):
            evidence = (_photo(workspace, reservation, f"{demo.key}-{item.code}", member, at),)
        by(member).record_result(
            ChecklistResult(
                demo_id(demo.key, "result", item.code),
                case.id,
                item.code,
                result,
                note,
                member.id,
                at,
                evidence,
            )
        )


def _hand_over(
    lead: Casework,
    demo: DemoCase,
    case: Case,
    stage: Stage,
    at: datetime,
    contact: str,
    leader: TeamMember,
) -> None:
    """The leader hands the feedback form (反馈表) to the enterprise's contact before `stage`."""
    lead.record_handover(
        FeedbackHandover(
            demo_id(demo.key, "handover", stage.value), case.id, stage, at, contact, leader.id
        )
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


def _photo(
    workspace: Workspace, reservation: Reservation, seed: str, member: TeamMember, at: datetime
) -> str:
    attachment = add_attachment(
        workspace,
        demo_png(seed),
        media_type="image/png",
        original_name=f"{seed}.png",
        actor=Actor(member.reviewer_id, member.name),
        now=at,
        reservation=reservation,
    )
    return attachment.sha256


def _seal_numbers(demo: DemoCase) -> tuple[int, int]:
    return (ord(demo.key) * 10 + 1, ord(demo.key) * 10 + 2)


def _seal_samples(
    workspace: Workspace,
    reservation: Reservation,
    demo: DemoCase,
    case: Case,
    members: list[TeamMember],
    lead: Casework,
    contact: str,
    morning: datetime,
) -> None:
    """The next morning: the feedback form for the inspection stage, then sampling and seals."""
    leader = members[0]
    day = morning.date()
    _hand_over(lead, demo, case, Stage.INSPECTION, morning, contact, leader)
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
        sampled_at=morning + timedelta(hours=2),
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
            _photo(workspace, reservation, f"seal-{demo.key}-{n}", leader, morning),
        )
        for n in _seal_numbers(demo)
    ]
    lead.record_sample(sample, seals)
