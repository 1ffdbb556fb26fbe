"""The case window's step list is as wide as its widest step, in either language (at 150 %
scaling: tests/e2e/test_screenshot.py, which needs its own process to scale)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.demo import demo_id
from inspector_app.ui.case_window import CaseWindow
from inspector_app.ui.qt import QApplication
from inspector_app.ui.sizing import fit_list_width


def widest_step(window: CaseWindow) -> int:
    steps = window.steps
    return max(
        steps.sizeHintForIndex(steps.model().index(row, 0)).width() for row in range(steps.count())
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_step_list_shows_every_step_whole(
    qtbot: QtBot, qapp: QApplication, demo_services: Services, lang: str
) -> None:
    from inspector_app.ui.i18n import install_translator, remove_translators

    install_translator(qapp, lang)
    try:
        window = CaseWindow(demo_services, demo_id("c", "case"))
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        assert window.steps.viewport().width() >= widest_step(window)
        assert not window.steps.horizontalScrollBar().isVisible()
        # A narrow window keeps the list whole (the page beside it gives way).
        window.resize(700, 500)
        QApplication.processEvents()
        assert window.steps.viewport().width() >= widest_step(window)
    finally:
        remove_translators(qapp)


def test_fit_list_width_follows_longer_texts(qtbot: QtBot, demo_services: Services) -> None:
    window = CaseWindow(demo_services, demo_id("c", "case"))
    qtbot.addWidget(window)
    before = fit_list_width(window.steps)
    window.steps.item(0).setText(window.steps.item(0).text() + " — a much longer line of text")
    assert fit_list_width(window.steps) > before
    assert window.steps.minimumWidth() > before
