"""Taking a result back to "no result" (撤回评定): what the store holds, what it refuses, and how
case files and the on-site report carry such a result."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from inspector_app.casefile.reader import parse_case_file
from inspector_app.casefile.replay import import_case
from inspector_app.casefile.writer import case_json
from inspector_app.core import checklist
from inspector_app.core.errors import RuleViolation
from inspector_app.core.forms.model import RESULT_CONFORM
from inspector_app.core.model import Actor, ChecklistResult
from inspector_app.demo import demo_id, fill_demo
from inspector_app.reports.documents import build_document
from inspector_app.store import records
from inspector_app.store.audit import verify_audit_trail
from inspector_app.store.casework import Casework, case_form, case_verdict, load_case_file
from inspector_app.store.overview import case_overview
from inspector_app.store.workspace import Workspace, open_workspace

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
CHEN = Actor(demo_id("reviewer", "chen"), "陈志强")
WANG = Actor(demo_id("reviewer", "wang"), "王建华")
LI = Actor(demo_id("reviewer", "li"), "李春梅")  # not on the cement team
CLERK = Actor("00000000-0000-4000-8000-000000000002", "张三")
CEMENT = demo_id("c", "case")  # on-site review under way
PASSED = demo_id("d", "case")  # concluded: passed


def work(ws: Workspace, actor: Actor) -> Casework:
    return Casework(ws.db, actor, lambda: LATER)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with open_workspace(tmp_path / "ws") as workspace:
        fill_demo(workspace, NOW)
        yield workspace


def count(ws: Workspace, table: str) -> int:
    return int(ws.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def recorded_by_chen(ws: Workspace) -> ChecklistResult:
    """Record 符合 with a note on an unanswered item of the cement case, as 陈志强."""
    state = load_case_file(ws.db, CEMENT)
    done = {r.item_code for r in state.results}
    code = next(
        i.code
        for i in case_form(ws.db, state.case).items()
        if i.code not in done and not i.requires.get(RESULT_CONFORM)
    )
    member = next(m for m in state.members if m.reviewer_id == CHEN.id)
    result = ChecklistResult(
        "21212121-2121-4212-8212-212121212121", CEMENT, code, RESULT_CONFORM, "已查", member.id, NOW
    )
    work(ws, CHEN).record_result(result)
    return result


def test_withdraw_result_writes_a_new_version_that_says_nothing(ws: Workspace) -> None:
    result = recorded_by_chen(ws)
    before = case_verdict(ws.db, load_case_file(ws.db, CEMENT))
    events, outbox = count(ws, "audit_event"), count(ws, "outbox")
    change = work(ws, CHEN).withdraw_result(CEMENT, result.item_code)
    (saved,) = change.of("checklist_result")
    assert saved.record_id == result.id and saved.base_version_id is not None
    stored = records.load(ws.db, ChecklistResult, result.id)
    assert stored is not None
    assert stored.result == checklist.NO_RESULT
    assert stored.note == "已查" and stored.assessed_at == LATER  # note kept, time of the act
    rows = ws.db.execute(
        "SELECT count(*) FROM checklist_result WHERE item_code = ? AND case_id = ?",
        [result.item_code, CEMENT],
    ).fetchone()[0]
    assert rows == 1  # one record per item, now at its new version
    assert count(ws, "audit_event") == events + 1 and count(ws, "outbox") == outbox + 1
    old = ws.db.execute(
        "SELECT old FROM audit_event WHERE record_id = ? ORDER BY seq DESC LIMIT 1", [result.id]
    ).fetchone()[0]
    assert RESULT_CONFORM in old  # history keeps the result that was taken back
    assert verify_audit_trail(ws.db) == []
    after = case_verdict(ws.db, load_case_file(ws.db, CEMENT))
    assert result.item_code in after.pending and result.item_code not in before.pending
    overview = case_overview(ws.db, CEMENT, LATER)
    assert checklist.NO_RESULT not in overview["checklist"]["results"]


def test_withdraw_result_is_refused_without_a_result_and_for_an_outsider(ws: Workspace) -> None:
    result = recorded_by_chen(ws)
    with pytest.raises(RuleViolation) as refused:
        work(ws, LI).withdraw_result(CEMENT, result.item_code)
    assert refused.value.rule == "filed_member_only"
    work(ws, WANG).withdraw_result(CEMENT, result.item_code)  # any recorder of the team
    events = count(ws, "audit_event")
    with pytest.raises(RuleViolation) as refused:
        work(ws, WANG).withdraw_result(CEMENT, result.item_code)
    assert refused.value.rule == "result_to_withdraw"
    assert count(ws, "audit_event") == events


def test_withdraw_result_is_refused_after_the_conclusion(ws: Workspace) -> None:
    state = load_case_file(ws.db, PASSED)
    code = state.results[0].item_code
    with pytest.raises(RuleViolation) as refused:
        work(ws, WANG).withdraw_result(PASSED, code)
    assert refused.value.rule == "review_in_progress"
    stored = load_case_file(ws.db, PASSED).results[0]
    assert stored.result == state.results[0].result


def test_a_withdrawn_result_travels_in_a_case_file(ws: Workspace, tmp_path: Path) -> None:
    result = recorded_by_chen(ws)
    work(ws, CHEN).withdraw_result(CEMENT, result.item_code)
    text = case_json(load_case_file(ws.db, CEMENT), ws)
    with open_workspace(tmp_path / "other") as other:
        case_id = import_case(
            other, parse_case_file(text.encode()), importer=CLERK, clock=lambda: LATER
        )
        imported = load_case_file(other.db, case_id)
        (again,) = [r for r in imported.results if r.item_code == result.item_code]
        assert again.result == checklist.NO_RESULT and again.note == "已查"
        assert result.item_code in case_verdict(other.db, imported).pending


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_report_shows_a_withdrawn_result_as_not_assessed(ws: Workspace, tmp_path: Path) -> None:
    result = recorded_by_chen(ws)
    work(ws, CHEN).withdraw_result(CEMENT, result.item_code)
    pending = len(case_verdict(ws.db, load_case_file(ws.db, CEMENT)).pending)
    pdf = tmp_path / "onsite.pdf"
    pdf.write_bytes(build_document(ws, CEMENT, "onsite", now=LATER))
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    squeezed = "".join(text.split())
    assert f"未核查{pending}项" in squeezed
    assert "已查" not in squeezed  # the taken-back item shows no result and no note
