"""Every display label is translated: finished in English, and Chinese as itself.

The `.ts` files are our own, read with defusedxml all the same. No Qt is loaded here; the Qt
side (the compiled translations at run time) is tested in tests/gui/test_i18n.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from defusedxml import ElementTree

from inspector_app import labels
from inspector_app.cli import cli
from inspector_app.core import model
from inspector_app.core.forms.model import DEFAULT_RESULTS
from inspector_app.core.model import CaseStatus, Role, Stage, UnitType

ROOT = Path(__file__).resolve().parents[2]
TS_FOLDER = ROOT / "resources" / "i18n"
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def _messages(ts_file: Path) -> dict[str, tuple[str | None, str]]:
    """Return {source: (type of the translation or None when finished, translation)}."""
    root = ElementTree.parse(ts_file).getroot()
    found = {}
    for context in root.iter("context"):
        assert context.findtext("name") == labels.CONTEXT
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            found[message.findtext("source")] = (translation.get("type"), translation.text or "")
    return found


def test_every_value_of_the_domain_has_a_label() -> None:
    assert set(labels.STATUS_LABELS) == set(CaseStatus)
    assert set(labels.ROLE_LABELS) == set(Role)
    assert set(labels.UNIT_TYPE_LABELS) == set(UnitType)
    assert set(labels.STAGE_LABELS) == set(Stage)
    # The checklist results are the form's own words: the label of each is the word itself.
    assert list(labels.RESULT_LABELS) == list(DEFAULT_RESULTS)
    assert all(key == label for key, label in labels.RESULT_LABELS.items())


def test_the_rules_words_are_the_labels() -> None:
    """The core keeps the status and stage words of its messages; they must not drift."""
    assert model.STATUS_LABELS == labels.STATUS_LABELS
    assert model.STAGE_LABELS == labels.STAGE_LABELS


def test_every_label_is_marked_once_in_the_labels_context() -> None:
    marked = labels.all_labels()
    assert len(marked) == len(set(marked)), "a label marked twice"
    assert set(labels.STATUS_LABELS.values()) <= set(marked)
    assert labels.APP_TITLE == "生产许可证实地核查"
    assert labels.CASE_LIST_HEADERS == ("申请编号", "企业名称", "产品单元", "状态", "核查期限")
    with pytest.raises(ValueError, match="labels"):
        labels.QT_TRANSLATE_NOOP("other", "x")


def test_every_label_has_a_finished_english_translation() -> None:
    messages = _messages(TS_FOLDER / "inspector_en.ts")
    assert set(messages) == set(labels.all_labels()), "run tools/update_translations.py"
    for source, (kind, text) in messages.items():
        assert kind is None and text.strip(), f"{source!r} has no finished English translation"
        assert not re.search(r"[\u4e00-\u9fff]", text), f"{source!r}: {text!r} is not English"
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), source
    assert messages["已受理"][1] == "Accepted"


def test_every_label_is_its_own_chinese_translation() -> None:
    messages = _messages(TS_FOLDER / "inspector_zh_CN.ts")
    assert set(messages) == set(labels.all_labels()), "run tools/update_translations.py"
    for source, (kind, text) in messages.items():
        assert kind is None and text == source, source


@pytest.mark.skipif(
    not (Path(sys.executable).parent / "pyside6-lupdate").exists()
    and shutil.which("pyside6-lupdate") is None,
    reason="needs Qt's lupdate (PySide6)",
)
def test_lupdate_finds_every_label(tmp_path: Path) -> None:
    """A label lupdate cannot see (a variable in the marker, another spelling) would never be
    translated: what lupdate extracts from labels.py is exactly what the module marks."""
    beside = Path(sys.executable).parent / "pyside6-lupdate"
    tool = str(beside) if beside.exists() else shutil.which("pyside6-lupdate")
    assert tool is not None
    out = tmp_path / "extracted.ts"
    subprocess.run(
        [tool, "-silent", str(ROOT / "inspector_app" / "labels.py"), "-ts", str(out)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    assert set(_messages(out)) == set(labels.all_labels())


def test_the_build_compiles_the_translations_into_the_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert any(r.startswith("PySide6-Essentials") for r in config["build-system"]["requires"])
    assert config["tool"]["setuptools"]["package-data"]["inspector_app.ui"] == ["translations/*.qm"]
    assert "include resources/i18n/*.ts" in (ROOT / "MANIFEST.in").read_text(encoding="utf-8")
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/inspector_app/ui/translations/" in ignored


def test_lang_is_zh_or_en_else_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["--lang", "fr", "case", "list"])
    assert result.exit_code == 2
    assert "'fr' is not one of 'zh', 'en'" in result.output


def test_lang_is_passed_to_the_desktop_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a command the app opens; a stand-in for ui.launch keeps Qt out of this test."""
    calls: list[tuple[object, ...]] = []

    class FakeLaunch:
        @staticmethod
        def launch(*args: object) -> int:
            calls.append(args)
            return 0

    monkeypatch.setitem(sys.modules, "inspector_app.ui.launch", FakeLaunch)
    for option in (["--lang", "en"], ["--lang", "zh"], []):
        result = CliRunner().invoke(cli, ["--workspace", str(tmp_path), "--user", "u", *option])
        assert result.exit_code == 0, result.output
    assert calls == [
        (tmp_path, "u", "en"),
        (tmp_path, "u", "zh"),
        (tmp_path, "u", None),
    ]
