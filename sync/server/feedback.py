"""The enterprises' feedback forms (反馈表), opened at the central office.

A laptop keeps only the envelope the enterprise's answers were sealed in (`sync.sealing`, to
this office's X25519 key); it arrives as a `sealed_feedback` record like any other. Only here,
with the office's private key, is it opened. An envelope that was changed, cut, moved to another
case or stage, or sealed to another key does not open: it is listed with the reason, never
dropped.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from inspector_app.core.feedback_answers import seal_context
from inspector_app.core.model import Stage
from sync.sealing import SealError, key_id, open_sealed, public_key_of
from sync.server.keys import private_key_raw
from sync.server.storage import Storage, change, record_head


@dataclass(frozen=True)
class OpenedFeedback:
    """One feedback form as the office reads it: its answers, or why it does not open."""

    record_id: str
    case_id: str
    stage: str
    sealed_at: str
    key_id: str
    answers: dict[str, Any] = field(default_factory=dict)
    problem: str = ""

    def as_json(self) -> dict[str, Any]:
        """Return the form as plain JSON values."""
        return {
            "record_id": self.record_id,
            "case_id": self.case_id,
            "stage": self.stage,
            "sealed_at": self.sealed_at,
            "key_id": self.key_id,
            "answers": self.answers,
            "problem": self.problem,
        }


def opened_feedback(storage: Storage, data: Path) -> list[OpenedFeedback]:
    """Open every feedback form the office holds (the newest version of each), in the order
    they arrived.

    Raises:
        KeyFileError: the office has no private key in `data`, or it cannot be read.
    """
    private = private_key_raw(data)
    own = key_id(public_key_of(private))
    with storage.reading() as conn:
        rows = conn.execute(
            select(change.c.record_id, change.c.case_id, change.c.payload)
            .join(record_head, record_head.c.change_seq == change.c.seq)
            .where(record_head.c.record_table == "sealed_feedback")
            .order_by(change.c.seq)
        ).all()
    return [_open(private, own, row.record_id, row.case_id, row.payload) for row in rows]


def _open(
    private: bytes, own: str, record_id: str, case_id: str | None, payload: str
) -> OpenedFeedback:
    try:
        record = json.loads(payload).get("record", {})
    except (ValueError, AttributeError):
        record = {}
    if not isinstance(record, dict):
        record = {}
    stage = str(record.get("stage", ""))
    found = OpenedFeedback(
        record_id=record_id,
        case_id=str(case_id or record.get("case_id", "")),
        stage=stage,
        sealed_at=str(record.get("sealed_at", "")),
        key_id=str(record.get("key_id", "")),
    )
    if found.key_id and found.key_id != own:
        return _refused(found, f"sealed to another key ({found.key_id}), not this office's ({own})")
    try:
        envelope = base64.b64decode(str(record.get("envelope", "")).encode("ascii"), validate=True)
        context = seal_context(found.case_id, Stage(stage))
        answers = json.loads(open_sealed(private, envelope, context))
    except (binascii.Error, UnicodeEncodeError):
        return _refused(found, "the envelope is not base64")
    except ValueError as error:  # an unknown stage, a broken envelope (SealError), bad JSON
        reason = str(error) if isinstance(error, SealError) else "not a feedback form"
        return _refused(found, reason)
    if not isinstance(answers, dict) or answers.get("case_id") != found.case_id:
        return _refused(found, "the opened form names another case")
    return OpenedFeedback(**{**found.__dict__, "answers": answers})


def _refused(found: OpenedFeedback, problem: str) -> OpenedFeedback:
    return OpenedFeedback(**{**found.__dict__, "problem": problem})
