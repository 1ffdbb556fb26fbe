"""The UI speaks Chinese or English: the compiled translations, the choice of language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from defusedxml import ElementTree

from inspector_app import labels
from inspector_app.core.model import CaseStatus
from inspector_app.ui import i18n
from inspector_app.ui.i18n import choose_language, install_translator, remove_translators, tr_label
from inspector_app.ui.qt import QApplication, QCoreApplication
from tests.unit.test_translations import TS_FOLDER


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The test application; the other GUI tests expect no translator, so none is left."""
    yield qapp
    remove_translators(qapp)


def _english() -> dict[str, str]:
    root = ElementTree.parse(TS_FOLDER / "inspector_en.ts").getroot()
    return {m.findtext("source"): m.findtext("translation") for m in root.iter("message")}


def test_english_shows_every_label_in_english(app: QApplication) -> None:
    assert install_translator(app, "en") == "en"
    assert QCoreApplication.translate("labels", "已受理") == "Accepted"
    english = _english()
    for label in labels.all_labels():
        assert tr_label(label) == english[label], label
    assert tr_label(labels.STATUS_LABELS[CaseStatus.SIGNED_OFF]) == "Signed off"
    assert tr_label(labels.CASE_COUNT).format(count=9) == "Review cases: 9"


def test_chinese_shows_every_label_as_it_is(app: QApplication) -> None:
    install_translator(app, "en")
    assert install_translator(app, "zh") == "zh"  # switching replaces the English
    assert QCoreApplication.translate("labels", "已受理") == "已受理"
    for label in labels.all_labels():
        assert tr_label(label) == label
    # Qt's own words (standard buttons) follow, where Qt ships a translation.
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


@pytest.mark.parametrize(
    ("explicit", "preference", "system", "chosen"),
    [
        ("en", "zh", "zh_CN", "en"),  # --lang wins
        ("zh", "en", "en_US", "zh"),
        (None, "en", "zh_CN", "en"),  # then the stored preference
        (None, "zh", "de_DE", "zh"),
        (None, None, "zh_CN", "zh"),  # then the system: Chinese → zh
        (None, None, "zh_TW", "zh"),
        (None, None, "zh-Hans-CN", "zh"),
        (None, None, "en_GB", "en"),  # anything else → English
        (None, None, "fr_FR", "en"),
        (None, None, "C", "en"),
        (None, "fr", "zh_CN", "zh"),  # an unknown preference is passed over
    ],
)
def test_choose_language(
    explicit: str | None, preference: str | None, system: str, chosen: str
) -> None:
    assert choose_language(explicit, preference, system) == chosen


def test_without_lang_the_system_decides(app: QApplication) -> None:
    assert install_translator(app, None, system_locale="en_US") == "en"
    assert tr_label("已受理") == "Accepted"
    assert install_translator(app, None, system_locale="zh_CN") == "zh"
    assert tr_label("已受理") == "已受理"
    assert install_translator(app, None, preference="en", system_locale="zh_CN") == "en"
    assert tr_label("核查期限") == "Review deadline"


def test_a_missing_translation_leaves_the_app_chinese_and_says_so(
    app: QApplication, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(i18n.QM_NAMES, "en", "inspector_xx.qm")
    assert install_translator(app, "en") == "zh"
    assert tr_label("已受理") == "已受理"
    assert "make translations" in capsys.readouterr().err
