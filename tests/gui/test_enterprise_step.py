"""The enterprise and application page (企业与申请): what the intake stored, read-only, in the
case window, in Chinese and in English."""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.core.case_steps import StepKey
from inspector_app.labels import (
    INTAKE_AGENCIES,
    INTAKE_CREDIT_CODE,
    INTAKE_DEADLINE,
    INTAKE_FORM,
    INTAKE_NAME,
    INTAKE_PHONE,
    INTAKE_REVIEW_DATE,
)
from inspector_app.ui.case_window import CaseWindow
from inspector_app.ui.enterprise_step import EnterpriseStep
from inspector_app.ui.qt import QLabel
from tests.gui.conftest import WANG

SHOTS = Path(os.environ.get("INSPECTOR_SHOTS", "/tmp/shots-case-pages"))
CEMENT = "XK08-2026-0201"


def _window(qtbot: QtBot, services: Services, application_no: str) -> CaseWindow:
    window = CaseWindow(services, services.queries.case_id(application_no))
    qtbot.addWidget(window)
    window.show()
    window.show_step(StepKey.INTAKE)
    return window


def test_the_page_shows_what_the_intake_stored(qtbot: QtBot, demo_services: Services) -> None:
    demo_services.sign_in(WANG)
    window = _window(qtbot, demo_services, CEMENT)
    page = window.step_pages[StepKey.INTAKE]
    assert isinstance(page, EnterpriseStep)
    assert window.pages.currentWidget() is page
    intake = demo_services.queries.case_intake(window.case_id)
    shown = {name: label.text() for name, label in page.values.items()}
    assert shown[INTAKE_NAME] == intake.enterprise.name == "安徽海螺水泥股份有限公司"
    assert shown[INTAKE_CREDIT_CODE] == intake.enterprise.credit_code
    assert shown[INTAKE_PHONE] == intake.enterprise.phone
    assert shown[INTAKE_AGENCIES].splitlines() == list(intake.case.qualified_agencies)
    assert len(intake.case.qualified_agencies) >= 2
    assert shown[INTAKE_REVIEW_DATE] == intake.case.review_date.isoformat()
    assert shown[INTAKE_DEADLINE] == "2026-12-17"  # accepted 2026-11-17: 30 days on
    assert "cement" in shown[INTAKE_FORM] and "2" in shown[INTAKE_FORM]
    assert intake.case.application_no in page.heading.text()
    # Read-only: nothing on the page takes input.
    assert all(isinstance(label, QLabel) for label in page.values.values())
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "enterprise-zh.png"))


def test_a_case_without_agencies_says_so(qtbot: QtBot, demo_services: Services) -> None:
    window = _window(qtbot, demo_services, "XK06-2026-0101")
    page = window.step_pages[StepKey.INTAKE]
    assert isinstance(page, EnterpriseStep)
    case = demo_services.queries.case_intake(window.case_id).case
    expected = "\n".join(case.qualified_agencies) or "（未列出）"
    assert page.values[INTAKE_AGENCIES].text() == expected


def test_the_page_in_english(qtbot: QtBot, demo_services: Services, english: None) -> None:
    window = _window(qtbot, demo_services, CEMENT)
    page = window.step_pages[StepKey.INTAKE]
    assert isinstance(page, EnterpriseStep)
    assert page.heading.text().startswith("Enterprise and application: XK08-2026-0201")
    assert page.values[INTAKE_CREDIT_CODE].accessibleName() == "Unified social credit code"
    assert page.values[INTAKE_NAME].text() == "安徽海螺水泥股份有限公司"  # data stays as stored
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "enterprise-en.png"))
