"""Test configuration shared by every suite."""

from __future__ import annotations

import os
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
