"""What the window tests share: a demo workspace made once and copied for each test, services
over it at a fixed time, and the main window with an `ImmediateRunner` (no waits)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from inspector_app.app import Services, open_services
from inspector_app.casefile.writer import case_json
from inspector_app.core.model import Reviewer, UnitType
from inspector_app.demo import demo_id
from inspector_app.store.casework import load_case_file
from inspector_app.store.reviewers import add_reviewer
from inspector_app.store.workspace import open_workspace
from inspector_app.ui.i18n import remove_translators
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.qt import QApplication
from inspector_app.ui.tasks import ImmediateRunner
from tests.conftest import DemoWorkspaces

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
WANG = demo_id("reviewer", "wang")  # 王建华, 江苏省产品质量监督检验研究院: on every demo team
WANG2 = demo_id("reviewer", "wang2")  # 王建华, 中国水泥协会: on the cement team only
LI = demo_id("reviewer", "li")  # 李春梅: on the wire-cable team
CLERK = Reviewer(
    "6f1c1d2e-0000-4000-8000-00000000c1e7",
    "张三",
    "省局审查中心",
    UnitType.PROVINCIAL_BUREAU,
    "XKSC-2026-0001",
    date(2030, 12, 31),
    "",
)
"""The only reviewer of the otherwise empty workspace that case files are imported into."""
EXPORTED_CASE = "XK06-2026-0104"


@pytest.fixture(scope="session")
def demo_template(demo_workspaces: DemoWorkspaces) -> Path:
    """A demo workspace, made once per session (copy it before writing)."""
    return demo_workspaces.template(NOW)


@pytest.fixture(scope="session")
def case_file(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's signed-off case XK06-2026-0104 as a case file."""
    out = tmp_path_factory.mktemp("casefile") / "宝胜-XK06-2026-0104.json"
    with open_services(demo_template, user=None, write=False, clock=lambda: NOW) as services:
        state = load_case_file(services.workspace.db, services.queries.case_id(EXPORTED_CASE))
        out.write_text(case_json(state, services.workspace), encoding="utf-8")
    return out


@pytest.fixture
def demo_services(demo_template: Path, tmp_path: Path) -> Iterator[Services]:
    """Services over a copy of the demo workspace, at NOW, nobody signed in."""
    folder = tmp_path / "ws"
    shutil.copytree(demo_template, folder)
    with open_services(folder, user=None, write=True, clock=lambda: NOW) as services:
        yield services


@pytest.fixture
def empty_services(tmp_path: Path) -> Iterator[Services]:
    """Services over a workspace with no case and one reviewer (CLERK), nobody signed in."""
    folder = tmp_path / "other"
    with open_workspace(folder) as workspace:
        add_reviewer(workspace.db, CLERK, actor=CLERK.actor, now=NOW)
    with open_services(folder, user=None, write=True, clock=lambda: NOW) as services:
        yield services


@pytest.fixture
def make_window(qtbot: QtBot) -> Callable[[Services], MainWindow]:
    """Build and show the main window over some services, with an ImmediateRunner."""

    def make(services: Services) -> MainWindow:
        window = MainWindow(
            services, lambda: ImmediateRunner(services.workspace), workspace_label="演示工作区"
        )
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        return window

    return make


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    """Show the UI in English for one test (the other tests expect no translator)."""
    from inspector_app.ui.i18n import install_translator

    assert install_translator(qapp, "en") == "en"
    yield
    remove_translators(qapp)
