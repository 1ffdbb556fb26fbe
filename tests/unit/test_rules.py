"""The regulation's rules, each tested by a test named after its function."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from inspector_app.core import checklist, deadlines, feedback, lifecycle, sampling, team
from inspector_app.core.calendar import CHINA, RegulationCalendar
from inspector_app.core.credit_code import check_character, credit_code_problems
from inspector_app.core.model import (
    Case,
    CaseStatus,
    FeedbackHandover,
    IntegrityDeclaration,
    Role,
    SampleRecord,
    Seal,
    Stage,
    TeamFiling,
    TeamMember,
    UnitType,
)

REVIEW = date(2026, 11, 20)
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def member(n: int, unit: str = "", role: Role = Role.MEMBER, **kw: object) -> TeamMember:
    base = TeamMember(
        id=f"m{n}",
        case_id="c",
        reviewer_id=f"r{n}",
        name=f"审查员{n}",
        unit=unit or f"单位{n}",
        unit_type=[UnitType.TECHNICAL_INSTITUTION, UnitType.INDUSTRY_ASSOCIATION][n % 2],
        certificate_no=f"XKSC-{n}",
        certificate_expiry=date(2027, 1, 1),
        role=role,
        phone="1",
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def good_team() -> list[TeamMember]:
    return [member(1, role=Role.LEADER), member(2), member(3)]


def rules_of(problems: list) -> set[str]:  # type: ignore[type-arg]
    return {p.rule for p in problems}


def test_team_size_problems() -> None:
    assert team.team_size_problems(good_team()) == []
    assert rules_of(team.team_size_problems([member(1, role=Role.LEADER)])) == {"team_size"}
    five = [member(1, role=Role.LEADER), *[member(i) for i in range(2, 6)]]
    assert "第十五条" in team.team_size_problems(five)[0].message


def test_team_leader_problems() -> None:
    assert team.team_leader_problems(good_team()) == []
    assert rules_of(team.team_leader_problems([member(1), member(2)])) == {"one_leader"}
    two = [member(1, role=Role.LEADER), member(2, role=Role.LEADER)]
    assert rules_of(team.team_leader_problems(two)) == {"one_leader"}


def test_team_units_problems() -> None:
    one_unit = [member(1, "省质检院", Role.LEADER), member(2, "省质检院")]
    assert rules_of(team.team_units_problems(one_unit)) == {"not_all_one_unit"}
    two_units = [member(1, "省质检院", Role.LEADER), member(2, "行业协会")]
    assert team.team_units_problems(two_units) == []


def test_team_unit_types_warnings() -> None:
    same_type = [
        member(1, role=Role.LEADER, unit_type=UnitType.TECHNICAL_INSTITUTION),
        member(2, unit_type=UnitType.TECHNICAL_INSTITUTION),
    ]
    assert rules_of(team.team_unit_types_warnings(same_type)) == {"unit_types"}
    report = team.check_team_composition(same_type, REVIEW)
    assert report.ok and report.warnings
    assert team.team_unit_types_warnings(good_team()) == []


def test_certificate_problems() -> None:
    expired = member(2, certificate_expiry=date(2026, 11, 19))
    problems = team.certificate_problems([member(1), expired], REVIEW)
    assert rules_of(problems) == {"certificate_valid"}
    assert "审查员2" in problems[0].message and "2026-11-19" in problems[0].message
    on_the_day = member(2, certificate_expiry=REVIEW)
    assert team.certificate_problems([on_the_day], REVIEW) == []


def test_certificate_problems_refuses_a_member_without_a_certificate() -> None:
    # A reviewer of the office's registry added without a certificate comes down to the laptop
    # with an empty number (and no real expiry): 条例第十六条 asks for a certificate, so such a
    # member cannot be filed or act, whatever the expiry says.
    without = member(2, certificate_no=" ", certificate_expiry=date(9999, 12, 31))
    problems = team.certificate_problems([member(1), without], REVIEW, "备案")
    assert rules_of(problems) == {"certificate_valid"}
    assert "审查员2" in problems[0].message and "证书" in problems[0].message
    assert not team.check_team_composition([member(1, role=Role.LEADER), without], REVIEW).ok


def test_check_team_composition_refuses_all_one_unit_and_accepts_two_units() -> None:
    one_unit = [member(1, "同一单位", Role.LEADER), member(2, "同一单位")]
    assert not team.check_team_composition(one_unit, REVIEW).ok
    assert team.check_team_composition(good_team(), REVIEW).ok


def test_may_file_team() -> None:
    assert team.may_file_team(good_team(), REVIEW) == []
    assert rules_of(team.may_file_team([member(1)], REVIEW)) == {"team_size", "one_leader"}


def _filing(members: list[TeamMember]) -> TeamFiling:
    return TeamFiling("f", "c", T0, "m1", team.team_fingerprint(members), "{}")


def test_current_filing() -> None:
    members = good_team()
    filing = _filing(members)
    assert team.current_filing([filing], members) == filing
    changed = [*members[:2], replace(members[2], unit="新单位")]
    assert team.current_filing([filing], changed) is None
    assert team.current_filing([], members) is None


def test_start_review_problems() -> None:
    members = good_team()
    assert rules_of(checklist.start_review_problems([], members)) == {"team_filed_first"}
    assert checklist.start_review_problems([_filing(members)], members) == []
    changed = [*members, member(4)]
    problems = checklist.start_review_problems([_filing(members)], changed)
    assert "重新备案" in problems[0].message


def _declared(m: TeamMember) -> IntegrityDeclaration:
    return IntegrityDeclaration(f"d{m.id}", "c", m.id, True, True, True, T0)


def test_recorder_problems() -> None:
    members = good_team()
    filings = [_filing(members)]
    status = CaseStatus.ON_SITE_REVIEW
    ok = checklist.recorder_problems(
        status, members[1], members[1].name, filings, members, [_declared(members[1])]
    )
    assert ok == []
    unfiled = checklist.recorder_problems(status, None, "外人", filings, members, [])
    assert rules_of(unfiled) == {"filed_member_only"}
    undeclared = checklist.recorder_problems(
        status, members[1], members[1].name, filings, members, []
    )
    assert rules_of(undeclared) == {"integrity_declaration"}
    not_started = checklist.recorder_problems(
        CaseStatus.TEAM_FILED, members[1], "x", filings, members, [_declared(members[1])]
    )
    assert rules_of(not_started) == {"review_in_progress"}


def test_has_signed_declaration() -> None:
    m = member(1)
    assert team.has_signed_declaration(m, [_declared(m)])
    partial = replace(_declared(m), no_gifts=False)
    assert not team.has_signed_declaration(m, [partial])


def _sample(**kw: object) -> SampleRecord:
    base = SampleRecord(
        "s",
        "c",
        "电力电缆",
        "YJV 3×240",
        "20261120",
        "3000 m",
        "10 m",
        "10 m",
        "成品库",
        T0,
        ("m1",),
        "周建国",
        "甲检验院",
        True,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def test_sampling_allowed_problems() -> None:
    assert sampling.sampling_allowed_problems(CaseStatus.PASSED) == []
    for status in (CaseStatus.FAILED, CaseStatus.ON_SITE_REVIEW, CaseStatus.ACCEPTED):
        assert rules_of(sampling.sampling_allowed_problems(status)) == {"sampling_after_pass"}


def test_agency_choice_problems() -> None:
    qualified = ["甲检验院", "乙检验院"]
    assert sampling.agency_choice_problems(_sample(), qualified) == []
    assert rules_of(sampling.agency_choice_problems(_sample(agency=""), qualified)) == {
        "agency_by_enterprise"
    }
    imposed = _sample(agency_chosen_by_enterprise=False)
    assert rules_of(sampling.agency_choice_problems(imposed, qualified)) == {"agency_by_enterprise"}
    unlisted = _sample(agency="丙公司")
    assert rules_of(sampling.agency_choice_problems(unlisted, qualified)) == {"agency_qualified"}


def test_sample_record_problems() -> None:
    seals = [Seal("x", "s", "c", "FY-1")]
    assert sampling.sample_record_problems(_sample(), seals, [member(1)], ["甲检验院"]) == []
    problems = sampling.sample_record_problems(
        _sample(batch_no=" ", sampler_ids=("外人",)), [], [member(1)], ["甲检验院"]
    )
    assert rules_of(problems) == {"sample_fields", "seal_required", "sampler_filed"}


def test_seal_number_problems() -> None:
    assert (
        sampling.seal_number_problems([Seal("x", "s", "c", "FY-1"), Seal("y", "s", "c", "FY-2")])
        == []
    )
    blank = [Seal("x", "s", "c", " ")]
    assert rules_of(sampling.seal_number_problems(blank)) == {"seal_number"}
    twice = [Seal("x", "s", "c", "FY-1"), Seal("y", "s", "c", " FY-1")]
    problems = sampling.seal_number_problems(twice)
    assert rules_of(problems) == {"seal_number"} and "FY-1" in problems[0].message
    assert rules_of(
        sampling.sample_record_problems(_sample(), twice, [member(1)], ["甲检验院"])
    ) == {"seal_number"}


def test_onsite_deadline() -> None:
    assert deadlines.onsite_deadline(date(2026, 11, 1)) == date(2026, 12, 1)


def test_sample_send_by() -> None:
    assert deadlines.sample_send_by(T0, CHINA) == date(2026, 11, 27)
    # sealed at 20:00 UTC = 04:00 the next day in Beijing: the 7 days count from that day
    late_evening = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)
    assert deadlines.sample_send_by(late_evening, CHINA) == date(2026, 11, 28)


SHANGHAI, UTC_CALENDAR = RegulationCalendar("Asia/Shanghai"), RegulationCalendar("UTC")


def test_onsite_deadline_at_year_end_and_leap_day() -> None:
    assert deadlines.onsite_deadline(date(2026, 12, 31)) == date(2027, 1, 30)
    assert deadlines.onsite_deadline(date(2028, 2, 29)) == date(2028, 3, 30)
    assert deadlines.onsite_deadline(date(2028, 1, 30)) == date(2028, 2, 29)


def test_sample_send_by_near_midnight_depends_on_the_time_zone() -> None:
    """The same sealing moment gives another send-by day in another zone: why a case is judged
    in one zone only (`case_time_zone_problems`)."""
    # 2026-12-31 16:30 UTC is already 2027-01-01 00:30 in Beijing
    year_end = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)
    assert deadlines.sample_send_by(year_end, SHANGHAI) == date(2027, 1, 8)
    assert deadlines.sample_send_by(year_end, UTC_CALENDAR) == date(2027, 1, 7)
    # 2028-02-28 17:00 UTC is the leap day 2028-02-29 01:00 in Beijing
    leap = datetime(2028, 2, 28, 17, 0, tzinfo=UTC)
    assert deadlines.sample_send_by(leap, SHANGHAI) == date(2028, 3, 7)
    assert deadlines.sample_send_by(leap, UTC_CALENDAR) == date(2028, 3, 6)
    on_leap_day = datetime(2028, 2, 29, 12, 0, tzinfo=UTC)
    assert deadlines.sample_send_by(on_leap_day, UTC_CALENDAR) == date(2028, 3, 7)


def test_concluded_late_near_midnight_depends_on_the_time_zone() -> None:
    case = replace(
        _case(CaseStatus.PASSED, date(2026, 12, 1)),
        concluded_at=datetime(2026, 12, 31, 17, 0, tzinfo=UTC),  # 2027-01-01 01:00 in Beijing
    )
    assert deadlines.onsite_deadline(case.accepted_on) == date(2026, 12, 31)
    assert deadlines.concluded_late(case, SHANGHAI)
    assert not deadlines.concluded_late(case, UTC_CALENDAR)


def _case(status: CaseStatus, accepted: date) -> Case:
    return Case("c", "A-1", "e", "电缆", "电力电缆", "wire-cable", 1, accepted, accepted, status)


def test_case_is_overdue() -> None:
    accepted = date(2026, 10, 1)
    assert deadlines.case_is_overdue(_case(CaseStatus.ON_SITE_REVIEW, accepted), date(2026, 11, 1))
    assert not deadlines.case_is_overdue(_case(CaseStatus.PASSED, accepted), date(2026, 11, 1))
    assert not deadlines.case_is_overdue(_case(CaseStatus.ACCEPTED, accepted), date(2026, 10, 31))


def test_sample_is_overdue() -> None:
    assert deadlines.sample_is_overdue(_sample(), date(2026, 11, 28), CHINA)
    assert not deadlines.sample_is_overdue(_sample(), date(2026, 11, 27), CHINA)
    assert not deadlines.sample_is_overdue(_sample(onsite_testing=True), date(2026, 12, 28), CHINA)


def test_lifecycle_step_problems() -> None:
    assert lifecycle.lifecycle_step_problems(CaseStatus.TEAM_FILED, "start_review") == []
    problems = lifecycle.lifecycle_step_problems(CaseStatus.ACCEPTED, "sign_off")
    assert rules_of(problems) == {"lifecycle"} and "已受理" in problems[0].message
    assert lifecycle.next_status(CaseStatus.FAILED, "sign_off") == CaseStatus.SIGNED_OFF
    assert lifecycle.lifecycle_step_problems(CaseStatus.FAILED, "seal_samples")


def test_handover_is_late() -> None:
    assert not feedback.handover_is_late(T0, None)
    assert feedback.handover_is_late(T0, datetime(2026, 11, 20, 8, 0, tzinfo=UTC))
    assert not feedback.handover_is_late(T0, datetime(2026, 11, 20, 10, 0, tzinfo=UTC))


def test_handover_statuses_flags_late_and_missing() -> None:
    case = replace(
        _case(CaseStatus.ON_SITE_REVIEW, date(2026, 11, 10)),
        review_started_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
    )
    late = FeedbackHandover(
        "h", "c", Stage.ON_SITE, datetime(2026, 11, 20, 11, tzinfo=UTC), "周建国", "m1"
    )
    statuses = {s.stage: s for s in feedback.handover_statuses(case, [late], [], T0.date(), CHINA)}
    assert statuses[Stage.ON_SITE].late
    assert statuses[Stage.ACCEPTANCE].missing
    assert not statuses[Stage.INSPECTION].missing and statuses[Stage.INSPECTION].handover is None
    assert "迟交" in statuses[Stage.ON_SITE].describe()


def test_credit_code_problems() -> None:
    body = "91320000MA1MXXXX0"
    assert credit_code_problems(body + check_character(body)) == []
    wrong = body + ("0" if check_character(body) != "0" else "1")
    assert "校验位" in credit_code_problems(wrong)[0].message
    assert rules_of(credit_code_problems("123")) == {"credit_code"}
    assert credit_code_problems("91110000600037341L") == []  # a real published code


def test_leader_action_problems() -> None:
    members = good_team()
    leader = members[0]
    filings = [_filing(members)]
    declared = [_declared(leader)]
    assert (
        team.leader_action_problems(leader, leader.name, "签发", filings, members, declared) == []
    )
    by_member = team.leader_action_problems(
        members[1], members[1].name, "签发", filings, members, [_declared(members[1])]
    )
    assert rules_of(by_member) == {"leader_only"}
    undeclared = team.leader_action_problems(leader, leader.name, "签发", filings, members, [])
    assert rules_of(undeclared) == {"integrity_declaration"}
    voided = team.leader_action_problems(leader, leader.name, "签发", [], members, declared)
    assert rules_of(voided) == {"team_filed_first"}


def test_case_alerts() -> None:
    from inspector_app.core.alerts import case_alerts
    from inspector_app.core.model import CaseFile, Enterprise

    enterprise = Enterprise("e", "企业", "91110000600037341L", "地址", "联系人", "1")
    members = good_team()
    case = replace(
        _case(CaseStatus.ON_SITE_REVIEW, date(2026, 10, 1)),
        review_started_at=datetime(2026, 10, 5, 9, tzinfo=UTC),
    )
    state = CaseFile(case, enterprise, members=tuple(members), filings=(_filing(members),))
    alerts = case_alerts(state, date(2026, 11, 26), CHINA)
    assert any("已超过实地核查期限 2026-10-31" in a for a in alerts)
    assert any("受理：阶段已开始，未交反馈表" in a for a in alerts)
    assert not any("重新备案" in a for a in alerts)
    changed = replace(state, members=(*members, member(4)))
    assert any("重新备案" in a for a in case_alerts(changed, date(2026, 10, 2), CHINA))


def test_conclusion_problems() -> None:
    from inspector_app.core.forms.verdicts import Verdict

    assert checklist.conclusion_problems(Verdict("pass", (), ())) == []
    open_fail = Verdict("fail", ("否决项 1.1 不符合",), ("2.1", "2.2"))
    problems = checklist.conclusion_problems(open_fail)
    assert rules_of(problems) == {"checklist_complete"} and "2.1、2.2" in problems[0].message


def test_case_intake_problems() -> None:
    from inspector_app.core.intake import case_intake_problems
    from inspector_app.core.model import Enterprise

    enterprise = Enterprise("e", "企业", "91110000600037341L", "地址", "联系人", "1")
    case = _case(CaseStatus.ACCEPTED, date(2026, 11, 1))
    assert case_intake_problems(enterprise, case) == []
    bad = replace(case, application_no=" ", status=CaseStatus.PASSED, review_date=date(2026, 10, 1))
    assert rules_of(case_intake_problems(replace(enterprise, credit_code="X"), bad)) == {
        "credit_code",
        "application_no",
        "lifecycle",
        "review_date",
    }


def test_objection_problems() -> None:
    from inspector_app.core.intake import objection_problems
    from inspector_app.core.model import EnterpriseObjection

    objection = EnterpriseObjection("o", "c", "对第 3.2 项结论有异议", "周建国", T0)
    assert objection_problems(CaseStatus.FAILED, objection) == []
    assert rules_of(objection_problems(CaseStatus.ON_SITE_REVIEW, objection)) == {"lifecycle"}
    assert rules_of(objection_problems(CaseStatus.PASSED, replace(objection, text=" "))) == {
        "objection_text"
    }


def test_objection_recorder_problems() -> None:
    """The enterprise's opinion is taken down by a member of the case's team: a reviewer off
    the team (another case's reviewer, a namesake) records nothing in this case."""
    from inspector_app.core.intake import objection_recorder_problems

    assert objection_recorder_problems(member(1), "李娜") == []
    refused = objection_recorder_problems(None, "孙海涛")
    assert rules_of(refused) == {"recorder_on_team"} and "孙海涛" in refused[0].message


def test_declaration_problems() -> None:
    members = good_team()
    assert team.declaration_problems(_declared(members[0]), members) == []
    partial = replace(_declared(members[0]), no_part_time_job=False)
    assert rules_of(team.declaration_problems(partial, members)) == {"declaration_complete"}
    stranger = replace(_declared(members[0]), member_id="nobody")
    assert rules_of(team.declaration_problems(stranger, members)) == {"declaration_member"}


def test_stages_owed() -> None:
    accepted = _case(CaseStatus.ACCEPTED, date(2026, 11, 1))
    assert feedback.stages_owed(accepted, []) == tuple(Stage)
    failed = replace(accepted, status=CaseStatus.FAILED)
    assert feedback.stages_owed(failed, []) == (Stage.ACCEPTANCE, Stage.ON_SITE)
    signed_failed = replace(accepted, status=CaseStatus.SIGNED_OFF)
    assert feedback.stages_owed(signed_failed, []) == (Stage.ACCEPTANCE, Stage.ON_SITE)
    assert feedback.stages_owed(signed_failed, [_sample()]) == tuple(Stage)
    assert feedback.stages_owed(replace(accepted, status=CaseStatus.PASSED), []) == tuple(Stage)
    statuses = feedback.handover_statuses(failed, [], [], T0.date(), CHINA)
    owed = {status.stage: status.owed for status in statuses}
    assert owed == {Stage.ACCEPTANCE: True, Stage.ON_SITE: True, Stage.INSPECTION: False}
    (inspection,) = [status for status in statuses if status.stage == Stage.INSPECTION]
    assert "不需交付" in inspection.describe()


def test_handover_problems() -> None:
    handover = FeedbackHandover("h", "c", Stage.ON_SITE, T0, "周建国", "m1")
    assert feedback.handover_problems(handover, {"m1"}) == []
    nobody = replace(handover, handed_to=" ", handed_by="x")
    assert rules_of(feedback.handover_problems(nobody, {"m1"})) == {"handover_to", "handover_by"}


def test_present_members() -> None:
    removed = member(3, removed_at=T0)
    assert team.present_members([*good_team()[:2], removed]) == good_team()[:2]
    # Composition rules see only present members: two left of three is still a team.
    present = team.present_members([*good_team()[:2], removed])
    assert team.check_team_composition(present, REVIEW).ok
    alone = team.present_members([member(1, role=Role.LEADER), member(2, removed_at=T0)])
    assert rules_of(team.check_team_composition(alone, REVIEW).errors) == {"team_size"}


def test_member_removal_problems() -> None:
    from inspector_app.core.model import CaseFile, ChecklistResult, Enterprise

    enterprise = Enterprise("e", "企业", "91110000600037341L", "地址", "联系人", "1")
    members = tuple(good_team())
    state = CaseFile(_case(CaseStatus.ON_SITE_REVIEW, date(2026, 10, 1)), enterprise, members)
    assert team.member_removal_problems("m2", state) == []
    assert rules_of(team.member_removal_problems("m9", state)) == {"person_on_team"}
    result = ChecklistResult("r", "c", "1.1", "符合", "", "m2", T0)
    handover = FeedbackHandover("h", "c", Stage.ON_SITE, T0, "企业负责人", "m2")
    busy = replace(state, results=(result,), handovers=(handover,))
    (problem,) = team.member_removal_problems("m2", busy)
    assert problem.rule == "member_has_records"
    assert "1 条核查结果" in problem.message and "1 次反馈表交付" in problem.message
    assert team.member_removal_problems("m3", busy) == []  # others may still leave
    declared = replace(
        state, declarations=(IntegrityDeclaration("d", "c", "m2", True, True, True, T0),)
    )
    assert team.member_removal_problems("m2", declared) == []  # a declaration stays as history


def test_filed_team_change_problems() -> None:
    members = good_team()
    leader, other = members[0], members[1]
    filings = [_filing(members)]
    assert team.filed_team_change_problems(leader, leader.name, filings, members) == []
    assert team.filed_team_change_problems(other, other.name, filings, members) == []
    outsider = team.filed_team_change_problems(None, "外聘人员", filings, members)
    assert rules_of(outsider) == {"filed_team_by_member"}
    assert "审查组已备案" in outsider[0].message and "外聘人员" in outsider[0].message
    gone = replace(other, removed_at=T0)
    assert rules_of(team.filed_team_change_problems(gone, gone.name, filings, members)) == {
        "filed_team_by_member"
    }
    # Before the team is filed (or once its filing is void), whoever sets the case up composes it.
    assert team.filed_team_change_problems(None, "办事员", [], members) == []
    changed = [*members[:2], replace(members[2], role=Role.LEADER)]
    assert team.filed_team_change_problems(None, "办事员", filings, changed) == []
