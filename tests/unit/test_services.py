"""The composition root's services and the typed queries the screens and commands share."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from inspector_app.app import open_services
from inspector_app.core.errors import RuleViolation
from inspector_app.demo import demo_id
from inspector_app.store.errors import WorkspaceError
from tests.conftest import DemoWorkspaces

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
LI = demo_id("reviewer", "li")


@pytest.fixture
def folder(demo_workspaces: DemoWorkspaces, tmp_path: Path) -> Path:
    demo_workspaces.copy(tmp_path / "ws", NOW)
    return tmp_path / "ws"


def test_case_rows_carry_deadline_marks_alerts_and_the_team(folder: Path) -> None:
    with open_services(folder, user=None, write=False, clock=lambda: NOW) as services:
        rows = {row.case.application_no: row for row in services.queries.case_rows()}
    assert len(rows) == 9
    assert (
        rows["XK06-2026-0099"].overdue and "已超过实地核查期限" in rows["XK06-2026-0099"].alerts[0]
    )
    assert rows["XK16-2026-0301"].concluded_late and not rows["XK16-2026-0301"].overdue
    assert any("逾期作出" in a for a in rows["XK16-2026-0301"].alerts)
    assert rows["XK06-2026-0104"].is_mine(LI)  # wire-cable team
    assert not rows["XK08-2026-0201"].is_mine(LI)  # cement team
    assert rows["XK06-2026-0101"].reviewer_ids == frozenset()  # no team yet
    assert rows["XK06-2026-0104"].as_json()["onsite_deadline"] == "2026-12-01"  # 25 days ago + 30


def test_the_case_list_and_a_case_show_the_same_alerts(folder: Path) -> None:
    """`case list --json` and `case show` read a case's alerts two ways (one query per kind
    for the list): a signed-off case whose feedback forms were handed over in time must not
    be listed as missing them."""
    with open_services(folder, user=None, write=False, clock=lambda: NOW) as services:
        queries = services.queries
        for row in queries.case_rows():
            shown = queries.case_overview(row.case.id)["alerts"]
            assert list(row.alerts) == list(shown), row.case.application_no


def test_case_id_by_id_or_application_number(folder: Path) -> None:
    with open_services(folder, user=None, write=False, clock=lambda: NOW) as services:
        case_id = demo_id("g", "case")
        assert services.queries.case_id("XK06-2026-0104") == case_id
        assert services.queries.case_id(case_id) == case_id
        with pytest.raises(WorkspaceError, match="NOPE"):
            services.queries.case_id("NOPE")


def test_the_acting_reviewer_is_looked_up_only_for_a_step(folder: Path) -> None:
    with open_services(folder, user="王建华", write=True, clock=lambda: NOW) as services:
        services.queries.case_rows()  # reading needs no acting reviewer
        with pytest.raises(RuleViolation) as refused:
            services.steps()
        assert refused.value.rule == "reviewer_ambiguous"  # two reviewers are called 王建华
    with open_services(folder, user=None, write=True, clock=lambda: NOW) as services:
        with pytest.raises(RuleViolation) as refused:
            services.acting_reviewer()
        assert refused.value.rule == "acting_user"
    with open_services(folder, user=LI, write=True, clock=lambda: NOW) as services:
        steps = services.steps()
        assert steps.actor.id == LI and steps.clock() == NOW


def test_sign_in_by_id_picks_one_of_two_namesakes(folder: Path) -> None:
    wang2 = demo_id("reviewer", "wang2")
    with open_services(folder, user=None, write=True, clock=lambda: NOW) as services:
        assert services.signed_in() is None
        namesakes = [r for r in services.queries.reviewers() if r.name == "王建华"]
        assert {r.unit for r in namesakes} == {"江苏省产品质量监督检验研究院", "中国水泥协会"}
        assert len({r.certificate_no for r in namesakes}) == 2  # told apart in the sign-in list
        reviewer = services.sign_in(wang2)
        assert (reviewer.id, reviewer.unit) == (wang2, "中国水泥协会")
        assert services.acting_reviewer() == reviewer
        assert services.steps().actor.id == wang2
        assert services.signed_in() == reviewer
        # a later sign-in replaces the acting reviewer; an unknown id changes nothing
        services.sign_in(LI)
        with pytest.raises(RuleViolation) as refused:
            services.sign_in("no-such-id")
        assert refused.value.rule == "reviewer_unknown"
        assert services.acting_reviewer().id == LI
        services.sign_out()
        assert services.signed_in() is None
        with pytest.raises(RuleViolation):
            services.steps()


def test_sign_in_replaces_a_name_given_on_the_command_line(folder: Path) -> None:
    wang = demo_id("reviewer", "wang")
    with open_services(folder, user="王建华", write=True, clock=lambda: NOW) as services:
        assert services.sign_in(wang).unit == "江苏省产品质量监督检验研究院"
        assert services.steps().actor.id == wang
