"""The house rules that `make test` enforces: Qt only inside inspector_app/ui/."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _checker():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "check_qt_imports", ROOT / "tools" / "check_qt_imports.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_qt_imports"] = module
    spec.loader.exec_module(module)
    return module


def test_qt_import_outside_ui_is_reported(tmp_path: Path) -> None:
    (tmp_path / "inspector_app" / "core").mkdir(parents=True)
    (tmp_path / "inspector_app" / "ui").mkdir(parents=True)
    (tmp_path / "inspector_app" / "core" / "bad.py").write_text("from PySide6 import QtCore\n")
    (tmp_path / "inspector_app" / "ui" / "fine.py").write_text("from PySide6 import QtCore\n")
    assert _checker().offenders(tmp_path) == ["inspector_app/core/bad.py"]


def test_project_has_no_qt_import_outside_ui() -> None:
    assert _checker().offenders(ROOT) == []
