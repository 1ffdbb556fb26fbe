"""The review team (审查组): its composition and its filing (备案) with the central office."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from inspector_app.core.audit_chain import canonical_json
from inspector_app.core.errors import Problem
from inspector_app.core.model import (
    Actor,
    CaseFile,
    Enterprise,
    IntegrityDeclaration,
    Reviewer,
    Role,
    TeamFiling,
    TeamMember,
)

MIN_MEMBERS = 2  # 条例 第十五条
MAX_MEMBERS = 4


@dataclass(frozen=True)
class CompositionReport:
    """The result of checking a team: errors refuse it, warnings only inform."""

    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """True when the team may be filed."""
        return not self.errors


def team_size_problems(members: Sequence[Any]) -> list[Problem]:
    """A team has 2 to 4 members (条例 第十五条)."""
    if MIN_MEMBERS <= len(members) <= MAX_MEMBERS:
        return []
    return [
        Problem(
            "team_size",
            f"审查组须由 {MIN_MEMBERS} 至 {MAX_MEMBERS} 名审查员组成（条例第十五条），"
            f"现有 {len(members)} 名。",
        )
    ]


def team_leader_problems(members: Sequence[Any]) -> list[Problem]:
    """A team has exactly one leader (组长)."""
    leaders = [m for m in members if Role(m.role) == Role.LEADER]
    if len(leaders) == 1:
        return []
    return [Problem("one_leader", f"审查组须有且仅有一名组长，现有 {len(leaders)} 名。")]


def team_units_problems(members: Sequence[Any]) -> list[Problem]:
    """Members must not all come from one unit (审查组成员不得全部来自同一单位)."""
    units = {m.unit.strip() for m in members}
    if len(members) < 2 or len(units) > 1:
        return []
    return [
        Problem(
            "not_all_one_unit",
            f"审查组成员不得全部来自同一单位（{next(iter(units))}），"
            "请由技术机构、行业协会、省级质量技术监督局等不同单位人员组成。",
        )
    ]


def team_unit_types_warnings(members: Sequence[TeamMember]) -> list[Problem]:
    """Warn when fewer than two unit types are present (the notice names several)."""
    if len(members) < 2 or len({m.unit_type for m in members}) >= 2:
        return []
    return [
        Problem(
            "unit_types",
            "审查组成员只来自一类单位；宜由技术机构、行业协会、省级质量技术监督局等不同类型单位组成。",
        )
    ]


def certificate_problems(
    members: Sequence[TeamMember], day: date, act: str = "审查"
) -> list[Problem]:
    """A member's certificate must be valid on the day of each act that needs it (条例 第十六条):
    the planned review date, the filing, each result, the sign-off. A member without a
    certificate number holds none (a registry entry of the office may lack one)."""
    problems = []
    for m in members:
        if not m.certificate_no.strip():
            problems.append(
                Problem(
                    "certificate_valid",
                    f"{m.name}（{m.unit}）没有审查员证书编号，不能参加{act}（条例第十六条）；"
                    "请先在审查员名册中登记其证书。",
                )
            )
        elif m.certificate_expiry < day:
            problems.append(
                Problem(
                    "certificate_valid",
                    f"{m.name} 的审查员证书（{m.certificate_no}）已于 "
                    f"{m.certificate_expiry.isoformat()} 过期，早于{act}日期 {day.isoformat()}"
                    "（条例第十六条）。",
                )
            )
    return problems


def check_team_composition(members: Sequence[TeamMember], review_date: date) -> CompositionReport:
    """Check a team against every composition rule; return its errors and warnings."""
    errors = [
        *team_size_problems(members),
        *team_leader_problems(members),
        *team_units_problems(members),
        *certificate_problems(members, review_date),
    ]
    return CompositionReport(tuple(errors), tuple(team_unit_types_warnings(members)))


def team_fingerprint(members: Sequence[TeamMember]) -> str:
    """Return a hash of the filed facts of a team; any change to them changes it."""
    facts = sorted(
        (
            m.id,
            m.reviewer_id,
            m.name,
            m.unit,
            m.unit_type.value,
            m.certificate_no,
            m.role.value,
            m.phone,
        )
        for m in members
    )
    return hashlib.sha256(canonical_json(facts).encode("utf-8")).hexdigest()


def filing_content(enterprise: Enterprise, members: Sequence[TeamMember]) -> dict[str, object]:
    """Return the fields of the filing record (备案表): members' names and units, the
    enterprise's name, address, contact person and phone — exactly what the notice lists."""
    ordered = sorted(members, key=lambda m: (m.role != Role.LEADER, m.name, m.reviewer_id))
    return {
        "members": [
            {
                "reviewer_id": m.reviewer_id,
                "name": m.name,
                "unit": m.unit,
                "role": m.role.value,
                "phone": m.phone,
            }
            for m in ordered
        ],
        "enterprise": {
            "name": enterprise.name,
            "address": enterprise.address,
            "contact_person": enterprise.contact_person,
            "phone": enterprise.phone,
        },
    }


def current_filing(
    filings: Sequence[TeamFiling], members: Sequence[TeamMember]
) -> TeamFiling | None:
    """Return the filing that covers the team as it is now, or None.

    A change of the team after filing voids the filing until it is filed again.
    """
    if not filings:
        return None
    latest = max(filings, key=lambda f: f.filed_at)
    return latest if latest.team_fingerprint == team_fingerprint(members) else None


def may_file_team(members: Sequence[TeamMember], review_date: date) -> list[Problem]:
    """Team filing is refused while the composition has errors."""
    return list(check_team_composition(members, review_date).errors)


@dataclass(frozen=True)
class _FiledMember:
    role: str
    unit: str


def filing_content_problems(content: Mapping[str, Any]) -> list[Problem]:
    """A filing, even one a later team change superseded, lists a team that could be filed:
    2 to 4 members, one leader, not all from one unit. A one-member filing is never stored."""
    listed = content.get("members")
    if not isinstance(listed, list) or not all(isinstance(m, dict) for m in listed):
        return [Problem("team_filing", "备案内容中没有审查组成员名单。")]
    try:
        filed = [_FiledMember(Role(m.get("role")).value, str(m.get("unit", ""))) for m in listed]
    except ValueError:
        return [Problem("team_filing", "备案内容中的成员角色无效。")]
    return [*team_size_problems(filed), *team_leader_problems(filed), *team_units_problems(filed)]


def acting_member(members: Sequence[TeamMember], actor: Actor) -> TeamMember | None:
    """Return the team member who is the acting reviewer, or None (compared by id, never name)."""
    return next((m for m in members if m.reviewer_id == actor.id), None)


def member_from_reviewer(
    reviewer: Reviewer, case_id: str, member_id: str, role: Role
) -> TeamMember:
    """Return a team member for `reviewer`: the registry's facts as they stand today."""
    return TeamMember(
        id=member_id,
        case_id=case_id,
        reviewer_id=reviewer.id,
        name=reviewer.name,
        unit=reviewer.unit,
        unit_type=reviewer.unit_type,
        certificate_no=reviewer.certificate_no,
        certificate_expiry=reviewer.certificate_expiry,
        role=role,
        phone=reviewer.phone,
    )


def member_reviewer_problems(
    member: TeamMember, known_reviewer_ids: set[str], members: Sequence[TeamMember]
) -> list[Problem]:
    """A team member is a reviewer of the registry, and a reviewer sits on a team only once."""
    if member.reviewer_id not in known_reviewer_ids:
        return [
            Problem(
                "reviewer_known",
                f"审查员 {member.reviewer_id}（{member.name}）不在本工作区的审查员名册中，"
                "请先登记该审查员（inspector reviewer add）。",
            )
        ]
    twice = [m for m in members if m.reviewer_id == member.reviewer_id and m.id != member.id]
    if twice:
        return [
            Problem(
                "reviewer_once",
                f"审查员 {member.name}（{member.reviewer_id}）已是本审查组成员，不能重复加入。",
            )
        ]
    return []


def has_signed_declaration(
    member: TeamMember, declarations: Sequence[IntegrityDeclaration]
) -> bool:
    """Return whether the member signed a complete integrity declaration for the case."""
    return declared_at(member, declarations) is not None


def declared_at(
    member: TeamMember, declarations: Sequence[IntegrityDeclaration]
) -> datetime | None:
    """Return when the member signed a complete integrity declaration, or None."""
    return min(
        (
            d.signed_at
            for d in declarations
            if d.member_id == member.id
            and d.no_paid_consulting
            and d.no_part_time_job
            and d.no_gifts
        ),
        default=None,
    )


def filed_team_change_problems(
    actor: TeamMember | None,
    actor_name: str,
    filings: Sequence[TeamFiling],
    members: Sequence[TeamMember],
) -> list[Problem]:
    """A filed team (备案) is changed only by one of its members, as only a member files it:
    the change voids the filing, which a member files anew, so nobody off the team — a
    reviewer of another team, the other 王建华 — can void a team's filing. `actor` is the
    acting reviewer's member of this team, or None. Before the team is filed (or once its
    filing is void), whoever sets the case up composes it."""
    if current_filing(filings, members) is None:
        return []
    if actor is not None and actor.removed_at is None:
        return []
    return [
        Problem(
            "filed_team_by_member",
            "审查组已备案，只有本组成员才能更改审查组（更改会使备案失效，须重新备案；"
            f"当前用户：{actor_name}）。",
        )
    ]


def leader_action_problems(
    actor: TeamMember | None,
    actor_name: str,
    action: str,
    filings: Sequence[TeamFiling],
    members: Sequence[TeamMember],
    declarations: Sequence[IntegrityDeclaration],
) -> list[Problem]:
    """Only the filed team's leader, with a signed integrity declaration, concludes and signs.

    The leader answers first for the review (审查组长负责制); a member without a signed
    declaration cannot sign (廉洁承诺).
    """
    if actor is None or actor.role != Role.LEADER:
        return [
            Problem("leader_only", f"只有本案审查组组长才能{action}（当前用户：{actor_name}）。")
        ]
    if current_filing(filings, members) is None:
        return [Problem("team_filed_first", f"审查组备案已失效，重新备案前不能{action}。")]
    if not has_signed_declaration(actor, declarations):
        return [
            Problem(
                "integrity_declaration", f"{actor.name} 尚未签署本案的廉洁承诺书，不能{action}。"
            )
        ]
    return []


def declaration_problems(
    declaration: IntegrityDeclaration, members: Sequence[TeamMember]
) -> list[Problem]:
    """A member of this case's team signs all three promises (廉洁承诺): no paid consulting,
    no part-time job at the enterprise, no money, gifts or benefits."""
    problems = []
    if declaration.member_id not in {m.id for m in members}:
        problems.append(Problem("declaration_member", "廉洁承诺书须由本案审查组成员签署。"))
    if not (
        declaration.no_paid_consulting and declaration.no_part_time_job and declaration.no_gifts
    ):
        problems.append(
            Problem(
                "declaration_complete",
                "廉洁承诺书须承诺全部三项：不参与有偿咨询、不在企业兼职、不收受财物和利益。",
            )
        )
    return problems


def named_member_problems(member_id: str, members: Sequence[TeamMember], who: str) -> list[Problem]:
    """A record that names a person (assessor, filer, sampler, hand-over, signer) names a member
    of this case's team; an unknown id is refused, never attributed to someone else."""
    if any(m.id == member_id for m in members):
        return []
    return [
        Problem(
            "person_on_team",
            f"{who}（{member_id}）不是本案审查组的成员；记录中的人员须为本案审查组成员。",
        )
    ]


def acts_as_self_problems(member: TeamMember | None, actor: Actor, act: str) -> list[Problem]:
    """A person's own act (a declaration, a result, a hand-over, a filing) is recorded by that
    person: the acting reviewer is the member the record names (compared by id)."""
    if member is not None and member.reviewer_id == actor.id:
        return []
    # By unit and id too: the member and the acting reviewer may be two people of one name.
    named = (
        f"{member.name}（{member.unit}，id {member.reviewer_id}）" if member else "本案审查组成员"
    )
    return [
        Problem(
            "acts_as_self",
            f"{act}须由{named}本人记录（当前用户：{actor.name}，id {actor.id}）。",
        )
    ]


def present_members(members: Sequence[TeamMember]) -> list[TeamMember]:
    """Return the members on the team now: a removed member (移出审查组) stays in the history
    only, and no composition rule, filing or act sees them."""
    return [m for m in members if m.removed_at is None]


def member_removal_problems(member_id: str, state: CaseFile) -> list[Problem]:
    """A member leaves the team only while no record of the review names them as its author:
    a member who recorded a checklist result, took a sample, handed over the feedback form or
    signed stays on the team (those records would name someone off it). Their integrity
    declaration and a filing they made stay in the history."""
    member = next((m for m in state.members if m.id == member_id), None)
    if member is None:
        return named_member_problems(member_id, state.members, "要移出的成员")
    acts = [
        (sum(r.assessor_id == member_id for r in state.results), "条核查结果"),
        (sum(member_id in s.sampler_ids for s in state.samples), "份抽样单"),
        (sum(h.handed_by == member_id for h in state.handovers), "次反馈表交付"),
        (sum(s.signer_id == member_id for s in state.signatures), "个签名"),
    ]
    done = [f"{count} {what}" for count, what in acts if count]
    if not done:
        return []
    return [
        Problem(
            "member_has_records",
            f"{member.name}（{member.unit}）已在本案记录了{'、'.join(done)}，不能移出审查组；"
            "这些记录须由本案审查组成员作出。",
        )
    ]
