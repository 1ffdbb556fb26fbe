"""The amendment's rules (inspector_app/core/amendment.py), each tested under its function's
name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from inspector_app.core import amendment
from inspector_app.core.calendar import CHINA
from inspector_app.core.model import (
    Actor,
    Amendment,
    CaseFile,
    CaseStatus,
    Enterprise,
    Role,
    Signature,
)
from tests.unit.test_rules_people_time import case, member, rules_of

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
REPORT = "ab" * 32
FIRST_AMENDMENT = "cd" * 32
LEADER = member(1, "王建华", Role.LEADER)
MEMBER = member(2, "李春梅")
TOLERANCE = timedelta(minutes=10)


def signed_off_state() -> CaseFile:
    signatures = (
        Signature("s2", "c", MEMBER.id, "组员签字", T0, REPORT),
        Signature("s1", "c", LEADER.id, "审查组长签发", T0 + timedelta(minutes=1), REPORT),
    )
    earlier = Amendment(
        "a1", "c", REPORT, "笔误", "", LEADER.id, T0 + timedelta(days=1), FIRST_AMENDMENT
    )
    return CaseFile(
        case=case(CaseStatus.SIGNED_OFF),
        enterprise=Enterprise("e", "企业", "91", "地址", "联系人", "1"),
        members=(LEADER, MEMBER),
        signatures=signatures,
        amendments=(earlier,),
    )


def test_signed_documents() -> None:
    documents = amendment.signed_documents(signed_off_state())
    # The signed report at the leader's (last) signature, and the earlier amendment.
    assert documents == {REPORT: T0 + timedelta(minutes=1), FIRST_AMENDMENT: T0 + timedelta(days=1)}


def test_signed_off_at() -> None:
    assert amendment.signed_off_at(signed_off_state()) == T0 + timedelta(minutes=1)
    assert amendment.signed_off_at(CaseFile(case(), signed_off_state().enterprise)) is None


def test_amendment_after_sign_off_problems() -> None:
    assert amendment.amendment_after_sign_off_problems(CaseStatus.SIGNED_OFF) == []
    for status in (CaseStatus.SAMPLED, CaseStatus.FAILED, CaseStatus.ON_SITE_REVIEW):
        problems = amendment.amendment_after_sign_off_problems(status)
        assert rules_of(problems) == {"amendment_after_sign_off"}
        assert "尚未签发" in problems[0].message


def test_amendment_reason_problems() -> None:
    assert amendment.amendment_reason_problems("第 3.2 项笔误", "") == []
    for empty in ("", "   ", "\n\t"):
        problems = amendment.amendment_reason_problems(empty, "更正内容")
        assert rules_of(problems) == {"amendment_reason"} and "原因不能为空" in problems[0].message
    too_long = amendment.amendment_reason_problems("因" * (amendment.MAX_REASON_CHARS + 1), "")
    assert rules_of(too_long) == {"amendment_reason"}
    long_text = amendment.amendment_reason_problems("笔误", "字" * (amendment.MAX_TEXT_CHARS + 1))
    assert rules_of(long_text) == {"amendment_reason"}


def test_corrected_document_problems() -> None:
    documents = amendment.signed_documents(signed_off_state())
    assert amendment.corrected_document_problems(REPORT, documents, "XK06-1") == []
    assert amendment.corrected_document_problems(FIRST_AMENDMENT, documents, "XK06-1") == []
    unknown = amendment.corrected_document_problems("ef" * 32, documents, "XK06-1")
    assert rules_of(unknown) == {"amendment_corrects"} and "XK06-1" in unknown[0].message
    for bad in ("", "abc", "AB" * 32, "zz" * 32, REPORT + "0"):
        problems = amendment.corrected_document_problems(bad, documents, "XK06-1")
        assert rules_of(problems) == {"amendment_corrects"} and "SHA-256" in problems[0].message


def test_amendment_issuer_problems() -> None:
    leader_actor = Actor(LEADER.reviewer_id, LEADER.name)
    assert amendment.amendment_issuer_problems(LEADER, leader_actor) == []
    member_actor = Actor(MEMBER.reviewer_id, MEMBER.name)
    refused = amendment.amendment_issuer_problems(MEMBER, member_actor)
    assert rules_of(refused) == {"amendment_by_leader"} and "李春梅" in refused[0].message
    # The leader's member, but someone else at the keyboard (a namesake): refused.
    namesake = Actor("r9", "王建华")
    assert rules_of(amendment.amendment_issuer_problems(LEADER, namesake)) == {
        "amendment_by_leader"
    }
    assert rules_of(amendment.amendment_issuer_problems(None, namesake)) == {"amendment_by_leader"}


def test_amendment_time_problems() -> None:
    signed = T0 + timedelta(minutes=1)
    now = T0 + timedelta(days=2)

    def rules(at: datetime) -> set[str]:
        return rules_of(amendment.amendment_time_problems(at, signed, now, TOLERANCE, CHINA))

    assert rules(T0 + timedelta(days=1)) == set()
    assert rules(now + TOLERANCE) == set()  # within the drift tolerance
    assert rules(signed) == {"amendment_time"}  # not after the sign-off
    assert rules(T0) == {"amendment_time"}  # before it
    assert rules(now + TOLERANCE + timedelta(seconds=1)) == {"amendment_time"}  # in the future
    message = amendment.amendment_time_problems(T0, signed, now, TOLERANCE, CHINA)[0].message
    assert "2026-11-20 18:01" in message  # on the regulation's calendar


def test_amendment_document_problems() -> None:
    signed = Amendment("a2", "c", REPORT, "笔误", "", LEADER.id, T0, "ee" * 32)
    assert amendment.amendment_document_problems(signed, {"ee" * 32}) == []
    assert rules_of(amendment.amendment_document_problems(signed, set())) == {"amendment_document"}
    unsigned = Amendment("a2", "c", REPORT, "笔误", "", LEADER.id, T0)
    assert rules_of(amendment.amendment_document_problems(unsigned, {""})) == {"amendment_document"}
    itself = Amendment("a2", "c", REPORT, "笔误", "", LEADER.id, T0, REPORT)
    assert rules_of(amendment.amendment_document_problems(itself, {REPORT})) == {
        "amendment_document"
    }
