"""Recording handwritten signatures in the workspace: what the table holds after a step, and a
refused step that leaves nothing (no row, no attachment, no file, no audit event)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from inspector_app.core.errors import RuleViolation
from inspector_app.core.model import Actor, HandSignature, Role, SignerKind, TeamMember, new_id
from inspector_app.demo import demo_id, fill_demo
from inspector_app.store.attachments import attachment_path
from inspector_app.store.casework import Casework, load_case_file
from inspector_app.store.workspace import Workspace, open_workspace
from tests.unit.test_hand_signature import png

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
SAMPLED = demo_id("f", "case")  # cement: two members called 王建华; signed by hand in the demo
IN_REVIEW = demo_id("c", "case")  # cement too; nothing signed by hand yet
SIGNED_OFF = demo_id("g", "case")
ACCEPTED = demo_id("a", "case")
WANG = demo_id("reviewer", "wang")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hand") / "ws"
    with open_workspace(folder) as workspace:
        fill_demo(workspace, NOW)
    return folder


@pytest.fixture
def ws(template: Path, tmp_path: Path) -> Iterator[Workspace]:
    shutil.copytree(template, tmp_path / "ws")
    with open_workspace(tmp_path / "ws") as workspace:
        yield workspace


def members(ws: Workspace, case_id: str) -> list[TeamMember]:
    """The team, leader first."""
    team = load_case_file(ws.db, case_id, team_only=True).members
    return sorted(team, key=lambda m: (m.role != Role.LEADER, m.id))


def leader_work(ws: Workspace, case_id: str) -> Casework:
    leader = members(ws, case_id)[0]
    return Casework(ws.db, Actor(leader.reviewer_id, leader.name), lambda: NOW)


def count(ws: Workspace, sql: str, *args: object) -> int:
    return int(ws.db.execute(sql, list(args)).fetchone()[0])


def footprint(ws: Workspace) -> tuple[int, int, int, int, int]:
    """What a step would leave: rows, attachments, audit events, outbox, files."""
    files = sum(1 for p in ws.attachments.rglob("*") if p.is_file())
    return (
        count(ws, "SELECT count(*) FROM hand_signature"),
        count(ws, "SELECT count(*) FROM attachment"),
        count(ws, "SELECT count(*) FROM audit_event"),
        count(ws, "SELECT count(*) FROM outbox"),
        files,
    )


def signature(case_id: str, member: TeamMember | None, image: bytes, **kw: object) -> HandSignature:
    base = HandSignature(
        new_id(),
        case_id,
        "onsite",
        SignerKind.MEMBER if member else SignerKind.REPRESENTATIVE,
        member.id if member else None,
        None if member else "王立军",
        hashlib.sha256(image).hexdigest(),
        NOW - timedelta(hours=1),
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def test_record_hand_signature_stores_the_row_the_png_audit_and_outbox(ws: Workspace) -> None:
    team = members(ws, IN_REVIEW)
    second_wang = next(m for m in team if m.name == "王建华" and m.unit == "中国水泥协会")
    image = png()
    record = signature(IN_REVIEW, second_wang, image, document="declaration")
    before = footprint(ws)
    change = leader_work(ws, IN_REVIEW).record_hand_signature(ws, record, image)
    assert [s.record_id for s in change.of("hand_signature")] == [record.id]
    row = next(ws.db.query("SELECT * FROM hand_signature WHERE id = ?", [record.id]))
    assert row["member_id"] == second_wang.id and row["signer_kind"] == "member"
    assert row["document"] == "declaration" and row["image"] == record.image
    assert row["representative"] is None and row["locked"] == 0
    assert attachment_path(ws, record.image).read_bytes() == image
    after = footprint(ws)
    assert after[0] == before[0] + 1 and after[1] == before[1] + 1 and after[4] == before[4] + 1
    assert count(ws, "SELECT count(*) FROM outbox WHERE record_table = 'hand_signature'") >= 1
    assert count(
        ws, "SELECT count(*) FROM audit_event WHERE record_id = ? AND actor_id = ?", record.id, WANG
    )
    assert load_case_file(ws.db, IN_REVIEW).hand_signatures == (record,)


def test_the_representative_signs_by_name(ws: Workspace) -> None:
    image = png()
    record = signature(SAMPLED, None, image, document="sampling")
    leader_work(ws, SAMPLED).record_hand_signature(ws, record, image)
    rows = ws.db.execute(
        "SELECT signer_kind, member_id, image FROM hand_signature WHERE case_id = ? "
        "AND document = 'sampling' AND representative = '王立军'",
        [SAMPLED],
    ).fetchall()
    assert [tuple(row) for row in rows] == [("representative", None, record.image)]


def test_signing_again_makes_a_new_version_of_the_same_record(ws: Workspace) -> None:
    work = leader_work(ws, IN_REVIEW)
    leader = members(ws, IN_REVIEW)[0]
    first, second = png(), png(size=(220, 90))
    a = signature(IN_REVIEW, leader, first, document="declaration")
    work.record_hand_signature(ws, a, first)
    b = signature(IN_REVIEW, leader, second, document="declaration")
    change = work.record_hand_signature(ws, b, second)
    saved = change.of("hand_signature")[0]
    assert saved.record_id == a.id and saved.base_version_id is not None
    rows = ws.db.execute(
        "SELECT id, image FROM hand_signature WHERE case_id = ? AND document = 'declaration' "
        "AND member_id = ?",
        [IN_REVIEW, leader.id],
    ).fetchall()
    assert [tuple(r) for r in rows] == [(a.id, b.image)]


@pytest.mark.parametrize(
    "spoil, rule",
    [
        (lambda s, m: (s, png(ink=False)), "signature_not_blank"),
        (lambda s, m: (s, b"GIF89a not a png"), "signature_image"),
        (lambda s, m: (replace(s, member_id=new_id()), png()), "signer_on_team"),
        (lambda s, m: (replace(s, signed_at=NOW + timedelta(hours=2)), png()), "not_in_future"),
        (lambda s, m: (replace(s, signed_at=NOW - timedelta(days=60)), png()), None),
        (lambda s, m: (replace(s, document="feedback"), png()), "signed_document"),
    ],
)
def test_a_refused_signature_leaves_nothing(ws: Workspace, spoil: object, rule: str | None) -> None:
    member = members(ws, SAMPLED)[1]
    image = png()
    record, data = spoil(signature(SAMPLED, member, image), member)  # type: ignore[operator]
    record = replace(record, image=hashlib.sha256(data).hexdigest())
    before = footprint(ws)
    with pytest.raises(RuleViolation) as refused:
        leader_work(ws, SAMPLED).record_hand_signature(ws, record, data)
    if rule:
        assert refused.value.rule == rule
    assert footprint(ws) == before
    assert count(ws, "SELECT count(*) FROM attachment_pending") == 0


def test_an_empty_representative_name_is_refused(ws: Workspace) -> None:
    image = png()
    record = signature(SAMPLED, None, image, representative="  ")
    before = footprint(ws)
    with pytest.raises(RuleViolation) as refused:
        leader_work(ws, SAMPLED).record_hand_signature(ws, record, image)
    assert refused.value.rule == "representative_named" and footprint(ws) == before


def test_a_reviewer_off_the_team_records_no_signature(ws: Workspace) -> None:
    image = png()
    record = signature(SAMPLED, members(ws, SAMPLED)[0], image)
    stranger = Casework(ws.db, Actor(demo_id("reviewer", "sun"), "孙海涛"), lambda: NOW)
    with pytest.raises(RuleViolation) as refused:
        stranger.record_hand_signature(ws, record, image)
    assert refused.value.rule == "recorder_on_team"


def test_an_image_not_matching_the_record_is_refused(ws: Workspace) -> None:
    record = signature(SAMPLED, members(ws, SAMPLED)[0], png())
    with pytest.raises(RuleViolation) as refused:
        leader_work(ws, SAMPLED).record_hand_signature(ws, record, png(size=(100, 100)))
    assert refused.value.rule == "signature_image"


def test_nothing_is_signed_after_the_sign_off(ws: Workspace) -> None:
    image = png()
    record = signature(SIGNED_OFF, members(ws, SIGNED_OFF)[0], image)
    before = footprint(ws)
    with pytest.raises(RuleViolation) as refused:
        leader_work(ws, SIGNED_OFF).record_hand_signature(ws, record, image)
    assert refused.value.rule == "case_signed_off" and footprint(ws) == before
    locked = ws.db.execute(
        "SELECT count(*), min(locked) FROM hand_signature WHERE case_id = ?", [SIGNED_OFF]
    ).fetchone()
    assert locked[0] > 0 and locked[1] == 1  # the demo's signatures were locked at sign-off


def test_sqlite_refuses_changing_a_signed_hand_signature(ws: Workspace) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        ws.db.execute("DELETE FROM hand_signature WHERE case_id = ?", [SIGNED_OFF])
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        ws.db.execute(
            "INSERT INTO hand_signature (id, case_id, document, signer_kind, image, signed_at, "
            "version_id, updated_at, updated_by) VALUES ('x', ?, 'onsite', 'member', '', '', "
            "'v', '', '')",
            [SIGNED_OFF],
        )


def test_the_sign_off_comes_after_every_hand_signature(ws: Workspace) -> None:
    image = png()
    work = leader_work(ws, SAMPLED)
    work.record_hand_signature(ws, signature(SAMPLED, members(ws, SAMPLED)[0], image), image)
    with pytest.raises(RuleViolation) as refused:
        work.sign_off(SAMPLED, NOW - timedelta(hours=2))
    assert refused.value.rule == "sign_off_last" and "手写签名" in str(refused.value)
