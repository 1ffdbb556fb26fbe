"""What the screenshots review (issue 7) fixed, as a person sees it at 1366×768.

Lists the UI composes read as English in English (no Chinese 、 or ；), and as Chinese in
Chinese; the step list is as wide as its steps and no wider; the leader's 签发 sits at the right
of the 签字 step.
"""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.core.case_steps import StepKey
from inspector_app.demo import demo_id
from inspector_app.ui.case_window import CaseWindow
from inspector_app.ui.qt import QLabel, QToolButton
from tests.gui.conftest import WANG

CEMENT_CASE = demo_id("c", "case")  # XK08-2026-0201, on-site review under way
SEALED_CASE = demo_id("f", "case")  # XK08-2026-0203, sampled and sealed, every signature made


def open_window(qtbot: QtBot, services: Services, case_id: str, step: StepKey) -> CaseWindow:
    services.sign_in(WANG)
    window = CaseWindow(services, case_id)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_step(step)
    return window


def requirement_line(window: CaseWindow) -> str:
    """The line under the result buttons saying what each result needs (item 3.2 of case c)."""
    assert window.checklist is not None
    return window.checklist.requires_label.text()


def samplers_shown(window: CaseWindow) -> str:
    assert window.sampling is not None
    label = window.sampling.findChild(QLabel, "shown_samplers")
    assert label is not None
    return label.text()


def test_what_a_result_needs_reads_as_english(
    qtbot: QtBot, english: None, demo_services: Services
) -> None:
    window = open_window(qtbot, demo_services, CEMENT_CASE, StepKey.ON_SITE)
    line = requirement_line(window)
    assert line == ("“Largely conforms” needs: a note; “Does not conform” needs: a note, a photo")
    assert "、" not in line and "；" not in line


def test_what_a_result_needs_reads_as_chinese(qtbot: QtBot, demo_services: Services) -> None:
    window = open_window(qtbot, demo_services, CEMENT_CASE, StepKey.ON_SITE)
    assert requirement_line(window) == "判为「基本符合」须附：说明；判为「不符合」须附：说明、照片"


def test_the_samplers_are_listed_in_the_language_of_the_ui(
    qtbot: QtBot, demo_services: Services, english: None
) -> None:
    window = open_window(qtbot, demo_services, SEALED_CASE, StepKey.SAMPLING)
    shown = samplers_shown(window)
    assert "), 王建华 (" in shown and "、" not in shown


def test_the_samplers_are_listed_in_chinese(qtbot: QtBot, demo_services: Services) -> None:
    window = open_window(qtbot, demo_services, SEALED_CASE, StepKey.SAMPLING)
    assert "）、王建华（" in samplers_shown(window)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_step_list_is_as_wide_as_its_steps_and_no_wider(
    qtbot: QtBot, demo_services: Services, request: pytest.FixtureRequest, language: str
) -> None:
    if language == "en":
        request.getfixturevalue("english")
    window = open_window(qtbot, demo_services, CEMENT_CASE, StepKey.ON_SITE)
    steps = window.steps
    widest = max(
        steps.fontMetrics().horizontalAdvance(steps.item(row).text())
        for row in range(steps.count())
    )
    assert steps.width() >= widest  # no step's name or state is cut
    assert steps.width() == steps.minimumWidth()  # the page gets the rest
    assert steps.horizontalScrollBar().isHidden() or not steps.horizontalScrollBar().isVisible()


def test_sign_off_sits_at_the_right_of_the_signatures_step(
    qtbot: QtBot, demo_services: Services
) -> None:
    window = open_window(qtbot, demo_services, SEALED_CASE, StepKey.SIGN_OFF)
    assert window.signatures is not None
    button = window.signatures.findChild(QToolButton, "signOffButton")
    assert button is not None and button.isVisible()
    page = window.signatures
    right_edge = button.mapTo(page, button.rect().topRight()).x()
    assert right_edge > page.width() - 30  # at the right, under 保存签名, not in the middle
