"""What the enterprise answers on the feedback form (反馈表) it fills in on the laptop, and the
rules for sealing it.

The answers are the enterprise's word about the team: they are sealed to the central office
(`sync.sealing`) as soon as they are given, and the laptop keeps only the sealed bytes. The
rules here decide whether a form is complete and whether it may be sealed for a stage; they
never see the answers after sealing.

Pure Python: no Qt, no SQLite, no cryptography (`sync.sealing` only lends the envelope's shape).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from inspector_app.core.errors import Problem
from inspector_app.core.feedback_form import (
    ANSWERS,
    FEEDBACK_QUESTIONS,
    SATISFACTION_CHOICES,
)
from inspector_app.core.model import STAGE_LABELS, FeedbackHandover, SealedFeedback, Stage
from sync import sealing

FREE_TEXT_LIMIT = 2000
"""The most characters of free text a form takes (about a page)."""

NAME_LIMIT = 50


@dataclass(frozen=True)
class FeedbackAnswers:
    """A filled feedback form: an answer (是/否) to each question, the overall satisfaction,
    free text and the name of the person who filled it for the enterprise."""

    stage: Stage
    answers: Mapping[str, str] = field(default_factory=dict)
    satisfaction: str = ""
    free_text: str = ""
    respondent: str = ""

    def content(self, case_id: str) -> bytes:
        """Return the canonical bytes that are sealed (UTF-8 JSON, keys sorted)."""
        return json.dumps(
            {
                "form": "feedback/1",
                "case_id": case_id,
                "stage": self.stage.value,
                "answers": {q.key: self.answers.get(q.key, "") for q in FEEDBACK_QUESTIONS},
                "satisfaction": self.satisfaction,
                "free_text": self.free_text,
                "respondent": self.respondent,
            },
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        ).encode("utf-8")


def seal_context(case_id: str, stage: Stage) -> bytes:
    """Return what an envelope is bound to: its case and stage (an envelope moved elsewhere
    does not open)."""
    return f"inspector-feedback|{case_id}|{stage.value}".encode()


def feedback_answers_problems(answers: FeedbackAnswers) -> list[Problem]:
    """A form is sealed only when complete: every question answered 是 or 否, a satisfaction
    chosen, the respondent named, and nothing longer than the form holds."""
    problems = []
    unanswered = [
        i + 1 for i, q in enumerate(FEEDBACK_QUESTIONS) if answers.answers.get(q.key) not in ANSWERS
    ]
    if unanswered:
        numbers = "、".join(str(n) for n in unanswered)
        problems.append(Problem("feedback_answered", f"反馈表第 {numbers} 题尚未回答（是/否）。"))
    unknown = sorted(set(answers.answers) - {q.key for q in FEEDBACK_QUESTIONS})
    if unknown:
        problems.append(
            Problem("feedback_questions", f"反馈表没有这些问题：{'、'.join(unknown)}。")
        )
    if answers.satisfaction not in SATISFACTION_CHOICES:
        choices = "、".join(SATISFACTION_CHOICES)
        problems.append(Problem("feedback_satisfaction", f"请选择总体评价（{choices}）。"))
    respondent = answers.respondent.strip()
    if not respondent:
        problems.append(Problem("feedback_respondent", "请填写填表人（企业人员）姓名。"))
    elif len(respondent) > NAME_LIMIT:
        problems.append(Problem("feedback_respondent", f"填表人姓名过长（上限 {NAME_LIMIT} 字）。"))
    if len(answers.free_text) > FREE_TEXT_LIMIT:
        problems.append(
            Problem(
                "feedback_free_text",
                f"其他意见过长（{len(answers.free_text)} 字，上限 {FREE_TEXT_LIMIT} 字）。",
            )
        )
    return problems


def feedback_sealing_problems(
    stage: Stage,
    handovers: Sequence[FeedbackHandover],
    sealed: Sequence[SealedFeedback],
) -> list[Problem]:
    """The enterprise fills the form of a stage after it was handed over for that stage, and
    once: a sealed form is final (nobody, the enterprise included, can change it on the laptop)."""
    label = STAGE_LABELS[stage]
    problems = []
    if not any(h.stage == stage for h in handovers):
        problems.append(
            Problem("feedback_handed_over", f"{label}阶段的反馈表尚未交付企业，不能填写。")
        )
    if any(s.stage == stage for s in sealed):
        problems.append(
            Problem("feedback_sealed_once", f"{label}阶段的反馈表已密封提交，不能再次填写或修改。")
        )
    return problems


def envelope_shape_problems(envelope: str) -> list[Problem]:
    """An envelope that came from elsewhere (a case file, sync) is base64 of at least an
    envelope's head and at most its limit; its content is only the centre's to open."""
    try:
        raw = base64.b64decode(envelope.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return [Problem("feedback_envelope", "密封的反馈表不是有效的 base64 文本。")]
    if not sealing.is_envelope_shaped(raw):
        return [Problem("feedback_envelope", "密封的反馈表不完整或不是本工具的密封格式。")]
    return []
