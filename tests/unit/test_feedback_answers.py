"""The enterprise's feedback form: when it is complete, when it may be sealed, and what the
workspace keeps of it (only the envelope, which only the central office opens)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from inspector_app.casefile.reader import parse_case_file
from inspector_app.casefile.writer import case_json
from inspector_app.core.errors import RuleViolation
from inspector_app.core.feedback_answers import (
    FREE_TEXT_LIMIT,
    FeedbackAnswers,
    envelope_shape_problems,
    feedback_answers_problems,
    feedback_sealing_problems,
    seal_context,
)
from inspector_app.core.feedback_form import FEEDBACK_QUESTIONS
from inspector_app.core.model import Actor, FeedbackHandover, SealedFeedback, Stage
from inspector_app.demo import demo_centre_private_key, demo_id, fill_demo
from inspector_app.store.casework import Casework, load_case_file
from inspector_app.store.errors import WorkspaceError
from inspector_app.store.workspace import Workspace, open_workspace
from sync.sealing import open_sealed

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
WANG = Actor(demo_id("reviewer", "wang"), "王建华")
CHEN = Actor(demo_id("reviewer", "chen"), "陈志强")
CASE_C = demo_id("c", "case")  # on-site review; the form handed over for acceptance and on-site

RESPONDENT = "周莉莉"
FREE_TEXT = "审查组工作认真，未收取任何费用。"


def filled(stage: Stage = Stage.ON_SITE, **changes: object) -> FeedbackAnswers:
    values: dict[str, object] = {
        "stage": stage,
        "answers": {q.key: "否" for q in FEEDBACK_QUESTIONS},
        "satisfaction": "满意",
        "free_text": FREE_TEXT,
        "respondent": RESPONDENT,
    }
    values.update(changes)
    return FeedbackAnswers(**values)  # type: ignore[arg-type]


def test_feedback_answers_problems_accepts_a_complete_form() -> None:
    assert feedback_answers_problems(filled()) == []


def test_feedback_answers_problems_names_each_unanswered_question() -> None:
    answers = {q.key: "否" for q in FEEDBACK_QUESTIONS[1:]} | {FEEDBACK_QUESTIONS[4].key: "也许"}
    (problem,) = feedback_answers_problems(filled(answers=answers))
    assert problem.rule == "feedback_answered" and "第 1、5 题" in problem.message


def test_feedback_answers_problems_refuses_unknown_questions_and_missing_choices() -> None:
    answers = {q.key: "是" for q in FEEDBACK_QUESTIONS} | {"<script>": "是"}
    problems = feedback_answers_problems(
        filled(answers=answers, satisfaction="", respondent="  ", free_text="字" * 2001)
    )
    assert [p.rule for p in problems] == [
        "feedback_questions",
        "feedback_satisfaction",
        "feedback_respondent",
        "feedback_free_text",
    ]
    assert str(FREE_TEXT_LIMIT) in problems[-1].message


def test_feedback_sealing_problems_needs_the_hand_over_of_the_stage_first() -> None:
    handed = FeedbackHandover("h", "c", Stage.ACCEPTANCE, NOW, "李振华", "m")
    (problem,) = feedback_sealing_problems(Stage.ON_SITE, [handed], [])
    assert problem.rule == "feedback_handed_over" and "实地核查" in problem.message
    assert feedback_sealing_problems(Stage.ACCEPTANCE, [handed], []) == []


def test_feedback_sealing_problems_seals_a_stage_once() -> None:
    handed = FeedbackHandover("h", "c", Stage.ON_SITE, NOW, "李振华", "m")
    sealed = SealedFeedback("s", "c", Stage.ON_SITE, "", "0" * 16, NOW, "m")
    (problem,) = feedback_sealing_problems(Stage.ON_SITE, [handed], [sealed])
    assert problem.rule == "feedback_sealed_once"


def test_envelope_shape_problems() -> None:
    good = base64.b64encode(b"ISF1" + bytes(80)).decode()
    assert envelope_shape_problems(good) == []
    for bad in ("not base64!", base64.b64encode(b"ISF1").decode(), "全角", ""):
        assert [p.rule for p in envelope_shape_problems(bad)] == ["feedback_envelope"]
    assert envelope_shape_problems(base64.b64encode(b"XXXX" + bytes(80)).decode())


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with open_workspace(tmp_path / "ws") as workspace:
        fill_demo(workspace, NOW)
        yield workspace


def work(ws: Workspace, actor: Actor) -> Casework:
    return Casework(ws.db, actor, lambda: LATER)


def test_sealed_feedback_keeps_only_an_envelope_the_centre_opens(ws: Workspace) -> None:
    change = work(ws, WANG).seal_feedback(CASE_C, filled())
    (saved,) = change.of("sealed_feedback")
    (sealed,) = load_case_file(ws.db, CASE_C).sealed_feedback
    assert sealed.id == saved.record_id and sealed.stage == Stage.ON_SITE
    content = open_sealed(
        demo_centre_private_key(),
        base64.b64decode(sealed.envelope),
        seal_context(CASE_C, Stage.ON_SITE),
    )
    opened = json.loads(content)
    assert opened["respondent"] == RESPONDENT and opened["free_text"] == FREE_TEXT
    assert opened["answers"] == {q.key: "否" for q in FEEDBACK_QUESTIONS}
    # Nothing of what the enterprise wrote is in the workspace's files, audit trail included.
    ws.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    stored = b"".join(p.read_bytes() for p in ws.folder.rglob("*") if p.is_file())
    for text in (RESPONDENT, FREE_TEXT):
        assert text.encode() not in stored


def test_a_sealed_form_cannot_be_filled_again(ws: Workspace) -> None:
    work(ws, WANG).seal_feedback(CASE_C, filled())
    with pytest.raises(RuleViolation) as refused:
        work(ws, WANG).seal_feedback(CASE_C, filled(satisfaction="不满意"))
    assert refused.value.rule == "feedback_sealed_once"
    assert len(load_case_file(ws.db, CASE_C).sealed_feedback) == 1


def test_an_incomplete_form_or_a_stage_not_handed_over_is_refused(ws: Workspace) -> None:
    with pytest.raises(RuleViolation) as refused:
        work(ws, WANG).seal_feedback(CASE_C, filled(satisfaction=""))
    assert refused.value.rule == "feedback_satisfaction"
    with pytest.raises(RuleViolation) as refused:
        work(ws, WANG).seal_feedback(CASE_C, filled(Stage.INSPECTION))
    assert refused.value.rule == "feedback_handed_over"
    with pytest.raises(RuleViolation) as refused:  # not a member of this team
        work(ws, Actor(demo_id("reviewer", "li"), "李春梅")).seal_feedback(CASE_C, filled())
    assert refused.value.rule == "acts_as_self"
    assert load_case_file(ws.db, CASE_C).sealed_feedback == ()


def test_without_the_centre_key_nothing_is_sealed(ws: Workspace) -> None:
    ws.db.execute("DELETE FROM meta WHERE key = 'sync.centre_public_key'")
    with pytest.raises(WorkspaceError, match="中心公钥"):
        work(ws, WANG).seal_feedback(CASE_C, filled())
    assert load_case_file(ws.db, CASE_C).sealed_feedback == ()


def test_a_case_file_carries_the_envelope_unopened(ws: Workspace, tmp_path: Path) -> None:
    work(ws, WANG).seal_feedback(CASE_C, filled())
    text = case_json(load_case_file(ws.db, CASE_C), ws)
    assert RESPONDENT not in text
    parsed = parse_case_file(text.encode())
    (carried,) = parsed.state.sealed_feedback
    assert carried == load_case_file(ws.db, CASE_C).sealed_feedback[0]


def test_a_form_is_sealed_after_its_hand_over_in_time_too(ws: Workspace) -> None:
    """The enterprise fills the form once it has it: a sealing dated before the stage's
    hand-over (a wrong clock, an edited case file) is refused and nothing is kept."""
    handed = next(
        h.handed_at for h in load_case_file(ws.db, CASE_C).handovers if h.stage == Stage.ON_SITE
    )
    with pytest.raises(RuleViolation) as refused:
        work(ws, WANG).seal_feedback(CASE_C, filled(), at=handed - timedelta(hours=1))
    assert refused.value.rule == "feedback_after_handover", str(refused.value)
    assert load_case_file(ws.db, CASE_C).sealed_feedback == ()
    work(ws, WANG).seal_feedback(CASE_C, filled(), at=handed + timedelta(minutes=5))
