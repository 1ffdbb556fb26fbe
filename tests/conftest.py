"""Test configuration shared by every suite."""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest

import inspector_app  # noqa: F401  (sets openpyxl's parser switch before a test imports openpyxl)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

GUI_DIR = Path(__file__).parent / "gui"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/gui as `gui`, so `-m "not gui"` runs the pure part alone."""
    for item in items:
        if GUI_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.gui)


class DemoWorkspaces:
    """Demo workspaces made once per test session and copied for each test that needs one.

    `fill_demo` creates five signing identities (scrypt) and signs two cases off through the
    real ceremony: about 3 s. Made once per clock reading (`now`) and copied (a few ms), the
    suite pays that a handful of times instead of once per test. The real code paths run
    unchanged: no lower scrypt cost than the demo's own, no shortcut in the sign-off.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.templates: dict[str, Path] = {}

    def template(self, now: datetime) -> Path:
        """Return the session's demo workspace made at `now` (never write into it)."""
        key = now.isoformat()
        folder = self.templates.get(key)
        if folder is None:
            from inspector_app.demo import fill_demo
            from inspector_app.store.workspace import open_workspace

            folder = self.root / f"demo-{len(self.templates)}" / "ws"
            with open_workspace(folder) as workspace:
                fill_demo(workspace, now)
            self.templates[key] = folder
        return folder

    def copy(self, to: Path, now: datetime) -> Path:
        """Copy the demo workspace made at `now` to the new folder `to`; return `to`."""
        shutil.copytree(self.template(now), to)
        return to


@pytest.fixture(scope="session")
def demo_workspaces(tmp_path_factory: pytest.TempPathFactory) -> DemoWorkspaces:
    """The session's demo workspaces: `demo_workspaces.copy(tmp_path / "ws", NOW)`."""
    return DemoWorkspaces(tmp_path_factory.mktemp("demo-templates"))
