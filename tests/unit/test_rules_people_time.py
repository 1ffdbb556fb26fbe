"""Rules about people (by id), the order of acts (by timestamp) and the regulation's calendar,
each tested by a test named after its function."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

from inspector_app.core import chronology, deadlines, feedback, intake, lifecycle, team
from inspector_app.core.alerts import case_alerts, concluded_late_text
from inspector_app.core.calendar import (
    CHINA,
    RegulationCalendar,
    UnknownTimeZone,
    case_time_zone_problems,
    synced_case_time_zone_problems,
    time_zone,
)
from inspector_app.core.model import (
    Actor,
    Case,
    CaseFile,
    CaseStatus,
    ChecklistResult,
    Enterprise,
    EnterpriseObjection,
    FeedbackHandover,
    IntegrityDeclaration,
    Reviewer,
    Role,
    SampleRecord,
    SealedFeedback,
    Stage,
    TeamMember,
    UnitType,
)
from inspector_app.core.reviewers import registry_kept_by_office_problems, reviewer_problems

BEIJING = timezone(timedelta(hours=8))
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=BEIJING)
HOUR = timedelta(hours=1)


def rules_of(problems: list) -> set[str]:  # type: ignore[type-arg]
    return {p.rule for p in problems}


def member(n: int, name: str = "", role: Role = Role.MEMBER, **kw: object) -> TeamMember:
    base = TeamMember(
        id=f"m{n}",
        case_id="c",
        reviewer_id=f"r{n}",
        name=name or f"审查员{n}",
        unit=f"单位{n}",
        unit_type=UnitType.TECHNICAL_INSTITUTION,
        certificate_no=f"XKSC-{n}",
        certificate_expiry=date(2027, 1, 1),
        role=role,
        phone="1",
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def case(status: CaseStatus = CaseStatus.ON_SITE_REVIEW, **kw: object) -> Case:
    base = Case(
        "c", "A-1", "e", "电缆", "电力电缆", "wire-cable", 1, date(2026, 11, 10), T0.date(), status
    )
    return replace(base, **kw)  # type: ignore[arg-type]


ENTERPRISE = Enterprise("e", "企业", "91110000600037341L", "地址", "联系人", "1")


# -- the calendar --------------------------------------------------------------------------


def test_regulation_calendar() -> None:
    # 23:30 UTC on the 9th is 07:30 on the 10th in Beijing
    assert CHINA.day_of(datetime(2026, 11, 9, 23, 30, tzinfo=UTC)) == date(2026, 11, 10)
    end = CHINA.end_of_day(date(2026, 11, 10))
    assert end.astimezone(UTC) < datetime(2026, 11, 10, 16, 0, tzinfo=UTC)
    assert CHINA.day_of(end) == date(2026, 11, 10)
    assert CHINA.day_of(end + timedelta(microseconds=1)) == date(2026, 11, 11)
    assert RegulationCalendar("UTC").day_of(datetime(2026, 11, 9, 23, 30, tzinfo=UTC)) == date(
        2026, 11, 9
    )


def test_time_zone() -> None:
    assert str(time_zone("Asia/Shanghai")) == "Asia/Shanghai"
    for bad in ("Mars/Base", "", "../etc/passwd"):
        try:
            time_zone(bad)
        except UnknownTimeZone as error:
            assert "时区" in str(error)
        else:
            raise AssertionError(f"{bad!r} accepted")


def test_case_time_zone_problems() -> None:
    assert case_time_zone_problems(None, "UTC") == []  # an older file: the workspace's zone
    assert case_time_zone_problems("Asia/Shanghai", "Asia/Shanghai") == []
    (problem,) = case_time_zone_problems("Asia/Shanghai", "UTC")
    assert problem.rule == "case.time_zone"
    assert "Asia/Shanghai" in problem.message and "UTC" in problem.message
    assert "settings set time_zone Asia/Shanghai" in problem.message


def test_synced_case_time_zone_problems() -> None:
    assert synced_case_time_zone_problems(None, "UTC") == []  # an older app: the workspace's
    assert synced_case_time_zone_problems("Asia/Shanghai", "Asia/Shanghai") == []
    (problem,) = synced_case_time_zone_problems("Asia/Shanghai", "UTC")
    assert problem.rule == "case.time_zone"
    assert "Asia/Shanghai" in problem.message and "UTC" in problem.message
    assert "暂不应用" in problem.message and "下次同步时应用" in problem.message
    assert "settings set time_zone Asia/Shanghai" in problem.message


def test_stage_started_at() -> None:
    started = feedback.stage_started_at(Stage.ACCEPTANCE, case(), [], CHINA)
    assert started is not None and CHINA.day_of(started) == date(2026, 11, 10)
    assert feedback.stage_started_at(Stage.ON_SITE, case(review_started_at=T0), [], CHINA) == T0


def test_handover_statuses_count_the_acceptance_day_in_china_standard_time() -> None:
    # 01:00 in Beijing on the day after acceptance is 17:00 UTC on the acceptance day: late.
    after_midnight = datetime(2026, 11, 10, 17, 0, tzinfo=UTC)
    handover = FeedbackHandover("h", "c", Stage.ACCEPTANCE, after_midnight, "周建国", "m1")
    statuses = feedback.handover_statuses(case(), [handover], [], date(2026, 11, 20), CHINA)
    assert statuses[0].late
    # on a UTC calendar the same moment is still the acceptance day
    utc = RegulationCalendar("UTC")
    assert not feedback.handover_statuses(case(), [handover], [], date(2026, 11, 20), utc)[0].late
    before_midnight = replace(handover, handed_at=datetime(2026, 11, 10, 15, 59, tzinfo=UTC))
    in_time = feedback.handover_statuses(case(), [before_midnight], [], date(2026, 11, 20), CHINA)
    assert not in_time[0].late


def test_concluded_late() -> None:
    deadline = deadlines.onsite_deadline(date(2026, 11, 10))  # 2026-12-10
    on_the_day = datetime(2026, 12, 10, 23, 0, tzinfo=BEIJING)
    assert not deadlines.concluded_late(case(concluded_at=on_the_day), CHINA)
    next_day_in_beijing = datetime(2026, 12, 10, 16, 30, tzinfo=UTC)  # 00:30 on the 11th
    assert deadlines.concluded_late(case(concluded_at=next_day_in_beijing), CHINA)
    assert not deadlines.concluded_late(case(concluded_at=None), CHINA)
    assert deadline == date(2026, 12, 10)


def test_concluded_late_text() -> None:
    late = case(CaseStatus.SIGNED_OFF, concluded_at=datetime(2026, 12, 12, 9, tzinfo=BEIJING))
    text = concluded_late_text(CaseFile(late, ENTERPRISE), CHINA)
    assert text is not None and "2026-12-12" in text and "2026-12-10" in text
    # the mark stays on a signed-off case: case_alerts shows it whatever the status
    alerts = case_alerts(CaseFile(late, ENTERPRISE), date(2027, 3, 1), CHINA)
    assert any("逾期作出" in a for a in alerts)
    in_time = replace(late, concluded_at=datetime(2026, 12, 1, 9, tzinfo=BEIJING))
    assert concluded_late_text(CaseFile(in_time, ENTERPRISE), CHINA) is None


def test_case_alerts_names_an_overdue_sample() -> None:
    sample = SampleRecord(
        "s", "c", "电缆", "YJV", "1", "10", "1", "1", "库", T0, ("m1",), "周", "甲", True
    )
    sampled = case(CaseStatus.SAMPLED)
    state = CaseFile(sampled, ENTERPRISE, samples=(sample,))
    assert any(
        "2026-11-27 前送达检验机构，已逾期" in a
        for a in case_alerts(state, date(2026, 11, 28), CHINA)
    )
    assert not any("已逾期" in a for a in case_alerts(state, date(2026, 11, 27), CHINA))


# -- people by id --------------------------------------------------------------------------


def test_acting_member() -> None:
    # two reviewers named 王伟 on one team: the acting one is found by id, never by name
    leader = member(1, "王伟", Role.LEADER)
    other = member(2, "王伟")
    assert team.acting_member([leader, other], Actor("r2", "王伟")) == other
    assert team.acting_member([leader, other], Actor("r1", "王伟")) == leader
    assert team.acting_member([leader, other], Actor("r9", "王伟")) is None


def test_leader_action_problems_tell_apart_two_reviewers_of_one_name() -> None:
    leader = member(1, "王建华", Role.LEADER)
    namesake = member(2, "王建华")
    members = [leader, namesake, member(3)]
    filing = team.filing_content(ENTERPRISE, members)
    assert filing["members"][0]["reviewer_id"] == "r1"  # type: ignore[index]
    from inspector_app.core.model import TeamFiling

    filings = [TeamFiling("f", "c", T0, "m1", team.team_fingerprint(members), "{}")]
    declared = [IntegrityDeclaration(f"d{m.id}", "c", m.id, True, True, True, T0) for m in members]
    as_namesake = team.acting_member(members, Actor("r2", "王建华"))
    problems = team.leader_action_problems(
        as_namesake, "王建华", "签发", filings, members, declared
    )
    assert rules_of(problems) == {"leader_only"}
    as_leader = team.acting_member(members, Actor("r1", "王建华"))
    assert (
        team.leader_action_problems(as_leader, "王建华", "签发", filings, members, declared) == []
    )


def test_member_from_reviewer() -> None:
    reviewer = Reviewer(
        "r7", "李娜", "省院", UnitType.PROVINCIAL_BUREAU, "XKSC-7", date(2028, 1, 1), "138"
    )
    made = team.member_from_reviewer(reviewer, "c", "m7", Role.MEMBER)
    assert made.reviewer_id == "r7" and made.name == "李娜" and made.unit == "省院"
    assert made.certificate_expiry == date(2028, 1, 1) and made.role == Role.MEMBER


def test_member_reviewer_problems() -> None:
    members = [member(1, role=Role.LEADER), member(2)]
    assert team.member_reviewer_problems(member(3), {"r3"}, members) == []
    assert rules_of(team.member_reviewer_problems(member(3), set(), members)) == {"reviewer_known"}
    again = replace(member(3), reviewer_id="r2")
    assert rules_of(team.member_reviewer_problems(again, {"r2"}, members)) == {"reviewer_once"}
    # changing a member keeps its own reviewer
    assert team.member_reviewer_problems(replace(members[1], phone="2"), {"r2"}, members) == []


def test_named_member_problems() -> None:
    members = [member(1), member(2)]
    assert team.named_member_problems("m2", members, "评定人") == []
    problems = team.named_member_problems("ghost", members, "签发人")
    assert rules_of(problems) == {"person_on_team"} and "ghost" in problems[0].message


def test_acts_as_self_problems() -> None:
    m2 = member(2, "王伟")
    assert team.acts_as_self_problems(m2, Actor("r2", "王伟"), "核查结果") == []
    namesake = team.acts_as_self_problems(m2, Actor("r9", "王伟"), "核查结果")
    assert rules_of(namesake) == {"acts_as_self"} and "r9" in namesake[0].message
    # two people called 王伟: the message tells apart whose act it is, by unit and id
    assert "单位2" in namesake[0].message and "r2" in namesake[0].message
    assert rules_of(team.acts_as_self_problems(None, Actor("r2", "王伟"), "备案")) == {
        "acts_as_self"
    }


def test_declared_at() -> None:
    m = member(1)
    first = IntegrityDeclaration("d1", "c", "m1", True, True, True, T0)
    later = replace(first, id="d2", signed_at=T0 + HOUR)
    assert team.declared_at(m, [later, first]) == T0
    assert team.declared_at(m, [replace(first, no_gifts=False)]) is None


def test_filing_content_problems() -> None:
    members = [member(1, role=Role.LEADER), member(2)]
    assert team.filing_content_problems(team.filing_content(ENTERPRISE, members)) == []
    alone = team.filing_content(ENTERPRISE, members[:1])
    assert rules_of(team.filing_content_problems(alone)) == {"team_size"}
    one_unit = team.filing_content(ENTERPRISE, [members[0], replace(members[1], unit="单位1")])
    assert rules_of(team.filing_content_problems(one_unit)) == {"not_all_one_unit"}
    assert rules_of(team.filing_content_problems({})) == {"team_filing"}
    assert rules_of(team.filing_content_problems({"members": [{"role": "boss"}]})) == {
        "team_filing"
    }


def test_certificate_problems_on_the_day_of_the_act() -> None:
    expiring = member(2, certificate_expiry=date(2026, 11, 20))
    assert team.certificate_problems([expiring], date(2026, 11, 20), "核查") == []
    problems = team.certificate_problems([expiring], date(2026, 11, 21), "签发")
    assert (
        rules_of(problems) == {"certificate_valid"} and "签发日期 2026-11-21" in problems[0].message
    )


def test_reviewer_problems() -> None:
    good = Reviewer("r", "李娜", "省院", UnitType.OTHER, "XKSC-1", date(2028, 1, 1), "")
    assert reviewer_problems(good) == []
    bad = replace(good, name=" ", certificate_no="")
    problems = reviewer_problems(bad)
    assert rules_of(problems) == {"reviewer_fields"} and "姓名" in problems[0].message


def test_registry_kept_by_office_problems() -> None:
    assert registry_kept_by_office_problems(None) == []  # before enrollment: by hand
    problems = registry_kept_by_office_problems("https://office.example")
    assert rules_of(problems) == {"registry_kept_by_office"}
    assert problems[0].message.startswith("审查员名录由中心维护：")


def test_signed_enterprise_unchanged_problems() -> None:
    renamed = replace(ENTERPRISE, name="改名后的企业")
    rule = intake.signed_enterprise_unchanged_problems
    assert rule(ENTERPRISE, renamed, []) == []  # no signed case: it may change
    assert rule(None, renamed, ["XK-1"]) == []  # a new enterprise
    assert rule(ENTERPRISE, ENTERPRISE, ["XK-1"]) == []  # the same content
    problems = rule(ENTERPRISE, renamed, ["XK-1", "XK-2"])
    assert rules_of(problems) == {"signed_enterprise_unchanged"}
    assert "XK-1、XK-2" in problems[0].message and "新的企业记录" in problems[0].message


def test_enterprise_reuse_problems() -> None:
    assert intake.enterprise_reuse_problems(None, ENTERPRISE) == []
    assert intake.enterprise_reuse_problems(ENTERPRISE, ENTERPRISE) == []
    renamed = replace(ENTERPRISE, name="改名后的企业", address="新地址")
    problems = intake.enterprise_reuse_problems(ENTERPRISE, renamed)
    assert rules_of(problems) == {"enterprise_unchanged"}
    assert "名称" in problems[0].message and "地址" in problems[0].message


# -- acts in time order --------------------------------------------------------------------


def test_not_in_future_problems() -> None:
    now = T0
    tolerance = timedelta(minutes=10)
    assert (
        chronology.not_in_future_problems(now + timedelta(minutes=9), now, tolerance, CHINA) == []
    )
    problems = chronology.not_in_future_problems(now + HOUR, now, tolerance, CHINA)
    assert rules_of(problems) == {"not_in_future"} and "2026-11-20 10:00" in problems[0].message


def test_acceptance_not_in_future_problems() -> None:
    today = date(2026, 11, 20)
    assert chronology.acceptance_not_in_future_problems(today, today) == []
    problems = chronology.acceptance_not_in_future_problems(date(2026, 11, 21), today)
    assert rules_of(problems) == {"not_in_future"} and "2026-11-21" in problems[0].message


def test_filing_after_acceptance_problems() -> None:
    accepted = date(2026, 11, 10)
    # 16:30 UTC on the 9th is 00:30 on the 10th in Beijing: the acceptance day
    assert (
        chronology.filing_after_acceptance_problems(
            datetime(2026, 11, 9, 16, 30, tzinfo=UTC), accepted, CHINA
        )
        == []
    )
    problems = chronology.filing_after_acceptance_problems(
        datetime(2026, 11, 9, 15, 30, tzinfo=UTC), accepted, CHINA
    )
    assert rules_of(problems) == {"filing_after_acceptance"}


def test_handover_after_acceptance_problems() -> None:
    """A feedback form is handed over on or after the day the case was accepted: a date of a
    year typed wrong (2016 for 2026) is refused, not counted as "in time"."""
    accepted = date(2026, 11, 10)
    # 16:30 UTC on the 9th is 00:30 on the 10th in Beijing: the acceptance day
    on_the_day = datetime(2026, 11, 9, 16, 30, tzinfo=UTC)
    assert chronology.handover_after_acceptance_problems(on_the_day, accepted, CHINA) == []
    before = chronology.handover_after_acceptance_problems(
        datetime(2026, 11, 9, 15, 30, tzinfo=UTC), accepted, CHINA
    )
    assert rules_of(before) == {"handover_after_acceptance"}
    assert "2026-11-09 23:30" in before[0].message and "2026-11-10" in before[0].message
    typo = chronology.handover_after_acceptance_problems(
        datetime(2016, 11, 10, 2, tzinfo=UTC), accepted, CHINA
    )
    assert rules_of(typo) == {"handover_after_acceptance"}


def test_declaration_before_result_problems() -> None:
    assert chronology.declaration_before_result_problems(T0, T0 + HOUR, "李娜") == []
    assert chronology.declaration_before_result_problems(T0, T0, "李娜") == []
    late = chronology.declaration_before_result_problems(T0 + HOUR, T0, "李娜")
    assert rules_of(late) == {"declaration_before_result"} and "李娜" in late[0].message
    assert rules_of(chronology.declaration_before_result_problems(None, T0, "李娜")) == {
        "declaration_before_result"
    }


def test_declaration_after_acceptance_problems() -> None:
    accepted = date(2026, 11, 10)
    # 16:30 UTC on the 9th is 00:30 on the 10th in Beijing: the acceptance day
    on_the_day = datetime(2026, 11, 9, 16, 30, tzinfo=UTC)
    assert (
        chronology.declaration_after_acceptance_problems(on_the_day, accepted, "李娜", CHINA) == []
    )
    before = chronology.declaration_after_acceptance_problems(
        datetime(2025, 11, 9, 10, 0, tzinfo=BEIJING), accepted, "李娜", CHINA
    )
    assert rules_of(before) == {"declaration_after_acceptance"}
    assert "李娜" in before[0].message and "2026-11-10" in before[0].message


def test_removal_after_acceptance_problems() -> None:
    accepted = date(2026, 11, 10)
    on_the_day = datetime(2026, 11, 9, 16, 30, tzinfo=UTC)  # 00:30 on the 10th in Beijing
    assert chronology.removal_after_acceptance_problems(on_the_day, accepted, "李娜", CHINA) == []
    before = chronology.removal_after_acceptance_problems(
        on_the_day - HOUR, accepted, "李娜", CHINA
    )
    assert rules_of(before) == {"removal_after_acceptance"} and "李娜" in before[0].message


def test_removal_after_declaration_problems() -> None:
    assert chronology.removal_after_declaration_problems(T0, [], "李娜", CHINA) == []
    assert chronology.removal_after_declaration_problems(T0, [T0 - HOUR, T0], "李娜", CHINA) == []
    late = chronology.removal_after_declaration_problems(T0, [T0 + HOUR], "李娜", CHINA)
    assert rules_of(late) == {"removal_after_declaration"} and "10:00" in late[0].message


def test_filing_after_removals_problems() -> None:
    gone = member(2, removed_at=T0)
    assert chronology.filing_after_removals_problems(T0, [gone], CHINA) == []
    assert chronology.filing_after_removals_problems(T0 + HOUR, [gone], CHINA) == []
    early = chronology.filing_after_removals_problems(T0 - HOUR, [gone, member(3)], CHINA)
    assert rules_of(early) == {"filing_after_removals"} and "审查员2" in early[0].message


def test_review_start_after_filing_problems() -> None:
    assert chronology.review_start_after_filing_problems(T0 + HOUR, T0, CHINA) == []
    assert rules_of(chronology.review_start_after_filing_problems(T0 - HOUR, T0, CHINA)) == {
        "review_after_filing"
    }


def test_result_within_review_problems() -> None:
    assert chronology.result_within_review_problems(T0 + HOUR, T0, None, CHINA) == []
    assert chronology.result_within_review_problems(T0 + HOUR, T0, T0 + 2 * HOUR, CHINA) == []
    before = chronology.result_within_review_problems(T0 - HOUR, T0, None, CHINA)
    after = chronology.result_within_review_problems(T0 + 3 * HOUR, T0, T0 + 2 * HOUR, CHINA)
    assert rules_of(before) == rules_of(after) == {"result_within_review"}


def test_conclusion_after_results_problems() -> None:
    times = [T0, T0 + HOUR]
    assert chronology.conclusion_after_results_problems(T0 + HOUR, times, CHINA) == []
    assert chronology.conclusion_after_results_problems(T0, [], CHINA) == []
    assert rules_of(chronology.conclusion_after_results_problems(T0, times, CHINA)) == {
        "conclusion_after_results"
    }


def test_sampling_after_conclusion_problems() -> None:
    assert chronology.sampling_after_conclusion_problems(T0 + HOUR, T0, CHINA) == []
    # the demo once sealed at 10:00 and concluded "pass" at 16:00 the same day
    assert rules_of(
        chronology.sampling_after_conclusion_problems(T0 + HOUR, T0 + 7 * HOUR, CHINA)
    ) == {"sampling_after_conclusion"}
    assert rules_of(chronology.sampling_after_conclusion_problems(T0, None, CHINA)) == {
        "sampling_after_conclusion"
    }


def test_objection_after_conclusion_problems() -> None:
    assert chronology.objection_after_conclusion_problems(T0 + HOUR, T0, CHINA) == []
    assert rules_of(chronology.objection_after_conclusion_problems(T0, T0 + HOUR, CHINA)) == {
        "objection_after_conclusion"
    }


def _concluded_state() -> CaseFile:
    concluded = case(CaseStatus.SAMPLED, review_started_at=T0, concluded_at=T0 + 3 * HOUR)
    result = ChecklistResult("r", "c", "1.1", "符合", "", "m1", T0 + HOUR)
    sample = SampleRecord(
        "s", "c", "电缆", "Y", "1", "10", "1", "1", "库", T0 + 5 * HOUR, ("m1",), "周", "甲", True
    )
    objection = EnterpriseObjection("o", "c", "有异议", "周", T0 + 6 * HOUR)
    return CaseFile(
        concluded, ENTERPRISE, results=(result,), samples=(sample,), objections=(objection,)
    )


def test_latest_act() -> None:
    at, what = chronology.latest_act(_concluded_state()) or (None, "")
    assert at == T0 + 6 * HOUR and what == "企业意见"
    assert chronology.latest_act(CaseFile(case(CaseStatus.ACCEPTED), ENTERPRISE)) is None


def test_sign_off_after_acts_problems() -> None:
    state = _concluded_state()
    assert chronology.sign_off_after_acts_problems(T0 + 7 * HOUR, state, CHINA) == []
    before_objection = chronology.sign_off_after_acts_problems(T0 + 5 * HOUR, state, CHINA)
    assert (
        rules_of(before_objection) == {"sign_off_last"}
        and "企业意见" in before_objection[0].message
    )
    before_conclusion = chronology.sign_off_after_acts_problems(T0 + 2 * HOUR, state, CHINA)
    assert rules_of(before_conclusion) == {"sign_off_last"}


def test_sign_off_after_acts_problems_counts_the_sealed_feedback() -> None:
    sealed = SealedFeedback("s", "c", Stage.ON_SITE, "e", "k", T0 + 8 * HOUR, "m1")
    state = replace(_concluded_state(), sealed_feedback=(sealed,))
    problems = chronology.sign_off_after_acts_problems(T0 + 7 * HOUR, state, CHINA)
    assert rules_of(problems) == {"sign_off_last"} and "反馈表密封" in problems[0].message


def test_sealed_after_handover_problems() -> None:
    handed = FeedbackHandover("h", "c", Stage.ON_SITE, T0, "周建国", "m1")
    later = replace(handed, id="h2", handed_at=T0 + 2 * HOUR)
    assert (
        chronology.sealed_after_handover_problems(T0, Stage.ON_SITE, [later, handed], CHINA) == []
    )
    assert chronology.sealed_after_handover_problems(T0, Stage.INSPECTION, [handed], CHINA) == []
    early = chronology.sealed_after_handover_problems(T0 - HOUR, Stage.ON_SITE, [handed], CHINA)
    assert rules_of(early) == {"feedback_after_handover"} and "09:00" in early[0].message


def test_case_open_problems() -> None:
    assert lifecycle.case_open_problems(CaseStatus.SAMPLED) == []
    problems = lifecycle.case_open_problems(CaseStatus.SIGNED_OFF)
    assert rules_of(problems) == {"case_signed_off"} and "已由审查组长签发" in problems[0].message


def test_lifecycle_refuses_signing_off_a_passed_case_without_sampling() -> None:
    assert rules_of(lifecycle.lifecycle_step_problems(CaseStatus.PASSED, "sign_off")) == {
        "lifecycle"
    }
    assert lifecycle.lifecycle_step_problems(CaseStatus.SAMPLED, "sign_off") == []
