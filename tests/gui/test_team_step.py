"""The team step: members picked from the registry by id, the composition's errors as the team
is built, each member signing their own declaration, the filing, and its voiding by a change."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.core.model import (
    Case,
    CaseStatus,
    Enterprise,
    Reviewer,
    Role,
    UnitType,
    new_id,
)
from inspector_app.demo import demo_credit_code, demo_id
from inspector_app.store.casework import load_case_file
from inspector_app.store.reviewers import add_reviewer
from inspector_app.ui.qt import QApplication, QPoint, Qt
from inspector_app.ui.team_step import TeamStep
from tests.gui.conftest import NOW, WANG, WANG2

CHEN = demo_id("reviewer", "chen")
SUN = demo_id("reviewer", "sun")
ZHOU = Reviewer(
    "6f1c1d2e-0000-4000-8000-0000000020c0",
    "周敏",
    "江苏省产品质量监督检验研究院",  # WANG's unit
    UnitType.TECHNICAL_INSTITUTION,
    "XKSC-2026-0777",
    date(2030, 12, 31),
    "",
)
SHOTS = Path(os.environ.get("INSPECTOR_SHOTS", "/tmp/shots"))


@pytest.fixture
def new_case(demo_services: Services) -> str:
    """A new case accepted today in the demo (周敏 added to the registry); WANG signed in."""
    add_reviewer(demo_services.workspace.db, ZHOU, actor=ZHOU.actor, now=NOW)
    demo_services.sign_in(WANG)
    today = demo_services.queries.today()
    enterprise = Enterprise(
        new_id(), "南京新材料有限公司", demo_credit_code(77), "南京", "赵六", "1"
    )
    case = Case(
        new_id(), "XK-TEAM-1", enterprise.id, "水泥", "通用硅酸盐水泥", "cement", 2, today, today
    )
    return demo_services.steps().create_case(enterprise, case).case_id


def _step(qtbot: QtBot, services: Services, case_id: str) -> TeamStep:
    step = TeamStep(services, case_id)
    qtbot.addWidget(step)
    step.resize(900, 640)
    step.show()
    return step


def _add(qtbot: QtBot, step: TeamStep, reviewer_id: str, role: Role = Role.MEMBER) -> None:
    step.picker.setCurrentIndex(step.picker.findData(reviewer_id))
    step.role.setCurrentIndex(step.role.findData(role.value))
    with qtbot.waitSignal(step.changed):
        qtbot.mouseClick(step.add_button, Qt.MouseButton.LeftButton)


def _rules(step: TeamStep) -> set[str]:
    return {p.rule for p in step.composition_report.errors}


def _declaration_column(step: TeamStep) -> dict[str, str]:
    return {
        step.table.item(r, 0).text(): step.table.item(r, 4).text()
        for r in range(step.table.rowCount())
    }


def _sign(qtbot: QtBot, step: TeamStep) -> None:
    for box in step.promises:
        assert box.isEnabled() and not step.sign_button.isEnabled()
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
        assert box.isChecked(), (box.rect(), box.isVisible())
    assert step.sign_button.isEnabled()
    with qtbot.waitSignal(step.changed):
        qtbot.mouseClick(step.sign_button, Qt.MouseButton.LeftButton)


def test_a_team_of_three_is_built_declared_and_filed(
    qtbot: QtBot, demo_services: Services, new_case: str
) -> None:
    services = demo_services
    step = _step(qtbot, services, new_case)
    assert "team_size" in _rules(step) and not step.file_button.isEnabled()

    _add(qtbot, step, WANG, Role.LEADER)
    assert "team_size" in _rules(step)
    assert "现有 1 名" in step.composition.text()  # the domain's message, live
    _add(qtbot, step, ZHOU.id)
    assert _rules(step) == {"not_all_one_unit"}
    assert "不得全部来自同一单位" in step.composition.text()
    assert not step.file_button.isEnabled()
    _add(qtbot, step, CHEN)
    assert _rules(step) == set() and step.file_button.isEnabled()
    state = load_case_file(services.workspace.db, new_case)
    assert sorted(m.reviewer_id for m in state.members) == sorted([WANG, ZHOU.id, CHEN])
    assert [m.reviewer_id for m in state.members if m.role == Role.LEADER] == [WANG]

    # declarations: each member signs their own, and only their own
    _sign(qtbot, step)
    assert _declaration_column(step) == {"王建华": "已签署", "周敏": "未签署", "陈志强": "未签署"}
    assert not step.sign_button.isEnabled() and not any(b.isEnabled() for b in step.promises)
    services.sign_in(SUN)  # not on the team: may not sign anyone's declaration
    step.refresh()
    assert not any(b.isEnabled() for b in step.promises) and not step.sign_button.isEnabled()
    assert "不是本审查组成员" in step.declaration_state.text()
    services.sign_in(CHEN)
    step.refresh()
    _sign(qtbot, step)
    state = load_case_file(services.workspace.db, new_case)
    by_member = {d.member_id for d in state.declarations}
    assert by_member == {m.id for m in state.members if m.reviewer_id in (WANG, CHEN)}

    # filing
    services.sign_in(WANG)
    step.refresh()
    with qtbot.waitSignal(step.changed):
        qtbot.mouseClick(step.file_button, Qt.MouseButton.LeftButton)
    state = load_case_file(services.workspace.db, new_case)
    assert len(state.filings) == 1
    assert state.case.status == CaseStatus.TEAM_FILED
    assert "已备案" in step.filing.text() and not step.file_button.isEnabled()
    SHOTS.mkdir(parents=True, exist_ok=True)
    step.grab().save(str(SHOTS / "team-zh.png"))

    # a change after filing voids it, and filing again is offered
    _add(qtbot, step, SUN)
    assert step.filing.text() == "备案已失效：审查组在备案后有变动，请重新备案。"
    assert step.file_button.isEnabled() and "重新备案" in step.file_button.text()
    assert load_case_file(services.workspace.db, new_case).case.status == CaseStatus.ACCEPTED
    step.grab().save(str(SHOTS / "team-void-zh.png"))
    with qtbot.waitSignal(step.changed):
        qtbot.keyClick(step.file_button, Qt.Key.Key_Space)
    state = load_case_file(services.workspace.db, new_case)
    assert len(state.filings) == 2 and state.case.status == CaseStatus.TEAM_FILED


def test_the_namesakes_are_told_apart_and_added_by_id(
    qtbot: QtBot, demo_services: Services, new_case: str
) -> None:
    step = _step(qtbot, demo_services, new_case)
    texts = [step.picker.itemText(i) for i in range(step.picker.count())]
    wangs = [t for t in texts if t.startswith("王建华")]
    assert len(wangs) == 2 and len(set(wangs)) == 2
    assert any("中国水泥协会" in t for t in wangs)
    assert any("江苏省产品质量监督检验研究院" in t for t in wangs)
    _add(qtbot, step, WANG2, Role.LEADER)
    (member,) = load_case_file(demo_services.workspace.db, new_case).members
    assert member.reviewer_id == WANG2 and member.unit == "中国水泥协会"
    # the one added leaves the picker; the other 王建华 stays
    assert step.picker.findData(WANG2) == -1 and step.picker.findData(WANG) >= 0
    assert step.table.item(0, 1).text() == "中国水泥协会"


def test_a_refusal_shows_the_domains_message_and_writes_nothing(
    qtbot: QtBot, demo_services: Services, new_case: str
) -> None:
    step = _step(qtbot, demo_services, new_case)
    for reviewer_id, role in ((WANG2, Role.LEADER), (CHEN, Role.MEMBER)):
        _add(qtbot, step, reviewer_id, role)
    demo_services.sign_in(SUN)  # not on the team: may not file it
    step.refresh()
    assert step.file_button.isEnabled()
    qtbot.mouseClick(step.file_button, Qt.MouseButton.LeftButton)
    assert step.problems.isVisible()
    assert "审查组备案" in step.problems.text()
    state = load_case_file(demo_services.workspace.db, new_case)
    assert state.filings == () and state.case.status == CaseStatus.ACCEPTED


def test_nobody_signed_in_disables_the_team_actions(
    qtbot: QtBot, demo_services: Services, new_case: str
) -> None:
    demo_services.sign_out()
    step = _step(qtbot, demo_services, new_case)
    assert not step.add_button.isEnabled() and not step.file_button.isEnabled()
    assert "登录" in step.add_button.toolTip()
    # nobody is "not a member": the declaration line asks to sign in
    assert "登录" in step.declaration_state.text(), step.declaration_state.text()
    assert "不是本审查组成员" not in step.declaration_state.text()


@pytest.mark.parametrize("key", ["f", "g"])  # sampled and sealed; signed off
def test_a_team_that_can_no_longer_change_disables_joining_and_says_why(
    qtbot: QtBot, demo_services: Services, key: str
) -> None:
    """After the conclusion the domain refuses any change of the team: the step shows it
    before a click, with the domain's reason, rather than offering 加入审查组."""
    demo_services.sign_in(WANG)
    step = _step(qtbot, demo_services, demo_id(key, "case"))
    step.table.selectRow(0)
    assert step.picker.count() > 0  # there are reviewers who could have joined
    for widget in (step.add_button, step.remove_button, step.picker, step.role):
        assert not widget.isEnabled(), widget.objectName()
    assert "不能" in step.add_button.toolTip(), step.add_button.toolTip()


def test_the_team_step_in_english(
    qtbot: QtBot, english: None, qapp: QApplication, demo_services: Services, new_case: str
) -> None:
    step = _step(qtbot, demo_services, new_case)
    _add(qtbot, step, WANG, Role.LEADER)
    assert step.table.horizontalHeaderItem(3).text() == "Role"
    assert step.table.item(0, 3).text() == "Team leader"
    assert step.table.item(0, 4).text() == "Not signed"
    assert step.file_button.text() == "&File the team"
    assert step.composition.text().startswith('<span style="color: #b00020;">Error: ')
    step.grab().save(str(SHOTS / "team-en.png"))
