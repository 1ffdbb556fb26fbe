"""The one door of Qt (`inspector_app.ui.qt`): what type checkers see is what it lets through,
and each name is found in PySide6 when first used."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from inspector_app.ui import qt


def _type_checking_names() -> set[str]:
    tree = ast.parse(Path(qt.__file__).read_text(encoding="utf-8"))
    guard = next(node for node in tree.body if isinstance(node, ast.If))
    return {alias.name for node in guard.body if isinstance(node, ast.ImportFrom)
            for alias in node.names}  # fmt: skip


def test_the_door_lets_through_what_type_checkers_see() -> None:
    assert set(qt.__all__) == set(qt._MODULE_OF) == _type_checking_names()
    for name in qt.__all__:
        assert getattr(qt, name) is not None, name


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        qt.QNoSuchWidget  # noqa: B018
    except AttributeError as error:
        assert "QNoSuchWidget" in str(error)
    else:
        raise AssertionError("an unknown name went through")


def test_importing_the_door_looks_up_no_qt_name() -> None:
    code = "import inspector_app.ui.qt as qt; print(sorted(set(qt.__all__) & set(vars(qt))))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
