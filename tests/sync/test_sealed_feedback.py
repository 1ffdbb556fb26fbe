"""The enterprise's feedback form end to end: sealed on the laptop to the office's key (which
came down with sync), carried up as an envelope, opened only at the office; a changed byte or
another key is reported there, never dropped."""

from __future__ import annotations

import base64
import json

import httpx
from click.testing import CliRunner
from sqlalchemy import select, update

from inspector_app.core.feedback_answers import FeedbackAnswers
from inspector_app.core.feedback_form import FEEDBACK_QUESTIONS
from inspector_app.core.model import Actor, Stage
from inspector_app.demo import demo_id
from inspector_app.store.casework import Casework
from inspector_app.store.centre_key import centre_key
from inspector_app.store.workspace import Workspace
from sync.client.engine import run_sync
from sync.sealing import key_id
from sync.server.cli import cli as server_cli
from sync.server.feedback import opened_feedback
from sync.server.keys import ensure_key_pair
from sync.server.reference import publish_public_key
from sync.server.storage import Storage, change
from tests.sync.conftest import NOW, PASSPHRASE
from tests.sync.test_apply import enroll_as

WANG = Actor(demo_id("reviewer", "wang"), "王建华")  # leads the demo's on-site case c
CASE_C = demo_id("c", "case")


def answers(free_text: str) -> FeedbackAnswers:
    return FeedbackAnswers(
        stage=Stage.ON_SITE,
        answers={q.key: "否" for q in FEEDBACK_QUESTIONS},
        satisfaction="满意",
        free_text=free_text,
        respondent="周莉莉",
    )


def office_key(storage: Storage) -> str:
    """Make the office's key pair (as `open_office` does at first start) and publish it."""
    public = ensure_key_pair(storage.data)
    publish_public_key(storage, public)
    return public


def sync(workspace: Workspace, http: httpx.Client) -> None:
    run_sync(workspace.db, http, passphrase=PASSPHRASE, now=NOW)


def test_the_office_opens_what_the_enterprise_sealed_and_nobody_else_can(
    workspace: Workspace, http: httpx.Client, storage: Storage
) -> None:
    public = office_key(storage)
    enroll_as(workspace, http, storage, "王建华")
    sync(workspace, http)  # the office's key comes down and replaces the demo's
    assert base64.b64encode(centre_key(workspace.db)).decode() == public
    Casework(workspace.db, WANG, lambda: NOW).seal_feedback(CASE_C, answers("认真负责。"))
    sync(workspace, http)

    (form,) = opened_feedback(storage, storage.data)
    assert form.problem == "" and form.case_id == CASE_C and form.stage == "on_site"
    assert form.key_id == key_id(base64.b64decode(public))
    assert form.answers["respondent"] == "周莉莉" and form.answers["free_text"] == "认真负责。"
    assert set(form.answers["answers"].values()) == {"否"}

    options = ["--data", str(storage.data)]
    if storage.dialect == "postgresql":
        options += ["--database-url", storage.engine.url.render_as_string(hide_password=False)]
    shown = CliRunner().invoke(server_cli, [*options, "feedback", "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)[0]["answers"]["free_text"] == "认真负责。"
    # What the server holds in its change log is the envelope only.
    with storage.reading() as conn:
        payloads = [r.payload for r in conn.execute(select(change.c.payload))]
    assert not any("认真负责" in p or "周莉莉" in p for p in payloads)


def test_a_changed_byte_or_another_key_is_reported_by_the_office(
    workspace: Workspace, http: httpx.Client, storage: Storage
) -> None:
    # Sealed before the office's key came down: to the demo's key, not this office's.
    Casework(workspace.db, WANG, lambda: NOW).seal_feedback(CASE_C, answers("好"))
    office_key(storage)
    enroll_as(workspace, http, storage, "王建华")
    sync(workspace, http)
    (form,) = opened_feedback(storage, storage.data)
    assert form.problem.startswith("sealed to another key") and form.answers == {}

    # A changed byte in the envelope the office holds (not through any API: on its disk).
    with storage.transaction() as conn:
        row = conn.execute(
            select(change.c.seq, change.c.payload).where(change.c.record_table == "sealed_feedback")
        ).one()
        payload = json.loads(row.payload)
        envelope = bytearray(base64.b64decode(payload["record"]["envelope"]))
        envelope[-1] ^= 0x01
        payload["record"]["envelope"] = base64.b64encode(bytes(envelope)).decode()
        payload["record"]["key_id"] = ""  # so that the envelope itself is tried
        conn.execute(
            update(change).where(change.c.seq == row.seq).values(payload=json.dumps(payload))
        )
    (form,) = opened_feedback(storage, storage.data)
    assert "内容已被改动" in form.problem and form.answers == {}


def test_the_feedback_command_without_the_office_key_says_so(storage: Storage) -> None:
    result = CliRunner().invoke(
        server_cli, ["--data", str(storage.data), "feedback"], catch_exceptions=False
    )
    # The command opens the office (which makes its key at the first start): no forms yet.
    assert result.exit_code == 0, result.output
    assert "feedback forms: 0" in result.output
