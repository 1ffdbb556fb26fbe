"""The sign-off's rules (inspector_app/core/signoff.py), each tested under its function's name."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from inspector_app.core import signoff
from inspector_app.core.model import IntegrityDeclaration, Role, Signature
from tests.unit.test_rules_people_time import member, rules_of

T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
DOC = "ab" * 32

# Two members share the name 王建华: they are two people, told apart by id.
LEADER = member(1, "王建华", Role.LEADER)
NAMESAKE = member(2, "王建华")
CHEN = member(3, "陈志强")
TEAM = [LEADER, NAMESAKE, CHEN]


def sig(who: object, meaning: str, minutes: int, document: str = DOC) -> Signature:
    signer = who.id  # type: ignore[attr-defined]
    return Signature(f"s-{signer}", "c", signer, meaning, T0 + minutes * MINUTE, document)


def ceremony() -> list[Signature]:
    """Every member's signature, the leader last, all naming DOC."""
    return [
        sig(NAMESAKE, signoff.MEMBER_MEANING, 0),
        sig(CHEN, signoff.MEMBER_MEANING, 1),
        sig(LEADER, signoff.LEADER_MEANING, 2),
    ]


def test_signing_order() -> None:
    slots = signoff.signing_order(TEAM)
    assert [s.member.id for s in slots] == ["m2", "m3", "m1"]
    assert [s.field_name for s in slots] == ["member-1", "member-2", "leader"]
    assert [s.meaning for s in slots] == ["组员签字", "组员签字", "审查组长签发"]


def test_in_signing_order() -> None:
    same_time = [replace(s, signed_at=T0) for s in reversed(ceremony())]
    assert [s.signer_id for s in signoff.in_signing_order(TEAM, same_time)] == ["m2", "m3", "m1"]


def test_signers_ready_problems() -> None:
    declared = [IntegrityDeclaration(f"d{m.id}", "c", m.id, True, True, True, T0) for m in TEAM]
    everyone = {m.reviewer_id for m in TEAM}
    assert signoff.signers_ready_problems(TEAM, declared, everyone) == []
    missing = signoff.signers_ready_problems(TEAM, declared, everyone - {NAMESAKE.reviewer_id})
    assert rules_of(missing) == {"signer_identity"}
    # The message names the namesake by unit and certificate and says what to run.
    assert "单位2" in missing[0].message and "XKSC-2" in missing[0].message
    assert f"inspector --user {NAMESAKE.reviewer_id} identity create" in missing[0].message
    undeclared = signoff.signers_ready_problems(TEAM, declared[:2], everyone)
    assert rules_of(undeclared) == {"signer_declared"}


def test_every_filed_member_has_signed() -> None:
    assert signoff.every_member_signed_problems(TEAM, ceremony()) == []
    without_chen = [s for s in ceremony() if s.signer_id != CHEN.id]
    problems = signoff.every_member_signed_problems(TEAM, without_chen)
    assert rules_of(problems) == {"every_member_signed"} and "陈志强" in problems[0].message
    twice = [*ceremony()[:1], *ceremony()]
    assert rules_of(signoff.every_member_signed_problems(TEAM, twice)) == {"every_member_signed"}
    stranger = [*ceremony(), replace(ceremony()[0], signer_id="m9")]
    assert "m9" in signoff.every_member_signed_problems(TEAM, stranger)[0].message


def test_every_member_signed_problems_tell_namesakes_apart() -> None:
    """The namesake's signature does not count as the leader's (ids, not names)."""
    only_namesake = [sig(NAMESAKE, signoff.MEMBER_MEANING, 0), sig(CHEN, "组员签字", 1)]
    problems = signoff.every_member_signed_problems(TEAM, only_namesake)
    assert len(problems) == 1 and "单位1" in problems[0].message


def test_the_leader_signs_last() -> None:
    assert signoff.leader_signs_last_problems(TEAM, ceremony()) == []
    leader_first = [ceremony()[2], *ceremony()[:2]]
    assert rules_of(signoff.leader_signs_last_problems(TEAM, leader_first)) == {"leader_signs_last"}
    wrong_meaning = [*ceremony()[:2], replace(ceremony()[2], meaning="组员签字")]
    assert rules_of(signoff.leader_signs_last_problems(TEAM, wrong_meaning)) == {
        "leader_signs_last"
    }
    backwards = [ceremony()[1], ceremony()[0], ceremony()[2]]
    assert "颠倒" in signoff.leader_signs_last_problems(TEAM, backwards)[0].message


def test_the_signatures_document_hash_names_a_stored_document() -> None:
    assert signoff.signature_document_problems(ceremony(), {DOC}) == []
    assert rules_of(signoff.signature_document_problems(ceremony(), set())) == {
        "signed_document_stored"
    }
    mixed = [*ceremony()[:2], replace(ceremony()[2], document_sha256="cd" * 32)]
    assert rules_of(signoff.signature_document_problems(mixed, {DOC, "cd" * 32})) == {
        "signed_document_stored"
    }
    empty = [replace(s, document_sha256="") for s in ceremony()]
    assert signoff.signature_document_problems(empty, {DOC})


def test_is_record_only_sign_off() -> None:
    leader_only = [sig(LEADER, signoff.LEADER_MEANING, 0, document="")]
    assert signoff.is_record_only_sign_off(TEAM, leader_only)
    assert not signoff.is_record_only_sign_off(TEAM, [sig(NAMESAKE, "审查组长签发", 0, "")])
    assert not signoff.is_record_only_sign_off(TEAM, [sig(LEADER, "审查组长签发", 0)])
    assert not signoff.is_record_only_sign_off(TEAM, ceremony())


def test_sign_off_signatures_problems() -> None:
    assert signoff.sign_off_signatures_problems(TEAM, ceremony(), {DOC}) == []
    record_only = [sig(LEADER, signoff.LEADER_MEANING, 0, document="")]
    assert signoff.sign_off_signatures_problems(TEAM, record_only, set()) == []
    assert signoff.sign_off_signatures_problems(TEAM, ceremony()[1:], {DOC})


def test_nothing_changed_since_the_snapshot() -> None:
    before = {"a": "v1", "b": "v1"}
    assert signoff.unchanged_since_snapshot_problems(before, dict(before)) == []
    changed = signoff.unchanged_since_snapshot_problems(before, {"a": "v2", "b": "v1", "c": "v1"})
    assert rules_of(changed) == {"unchanged_since_snapshot"}
    assert changed[0].message.startswith("本案在生成文件后被修改")
    assert "1 条记录有了新版本" in changed[0].message and "新增 1 条记录" in changed[0].message
