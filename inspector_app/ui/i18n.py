"""The app's language: Simplified Chinese (zh) or English (en), through Qt's translator.

The labels (`inspector_app.labels`) are Chinese words marked for translation; the compiled
translations (`translations/inspector_<locale>.qm`, made from `resources/i18n/*.ts` by the
set-up or the build) turn them into the chosen language once `install_translator` has run.
Widgets show a label with `tr_label(label)`.

Which language at the start: `--lang` wins; then the stored preference (the settings); then
the system's locale: Chinese (any zh_* locale, Traditional Chinese included, as Simplified is
the only Chinese we have) gives zh, any other locale gives English, the more likely language of
a reviewer whose system is not Chinese. A change in the settings switches the running app at once
(`ui/language_switch.py` installs the new translator and rebuilds the windows).

The rules' messages (`Problem.message`, verdict explanations) are not translated yet: the
English UI shows them in Chinese.
"""

from __future__ import annotations

import sys
from pathlib import Path

from inspector_app.labels import CONTEXT
from inspector_app.ui.qt import QCoreApplication, QLibraryInfo, QLocale, QTranslator

LANGUAGES = ("zh", "en")
"""The languages of the UI, as `--lang` names them."""

QM_NAMES = {"zh": "inspector_zh_CN.qm", "en": "inspector_en.qm"}
"""The compiled translation of each language, in the package folder `translations`."""

QT_BASE_LOCALES = {"zh": "zh_CN"}
"""The languages for which Qt's own words (standard buttons, …) are loaded from Qt's files."""

_OBJECT_NAMES = ("inspector-labels", "inspector-qtbase")

LANGUAGE_PROPERTY = "inspectorLanguage"
"""The application property that names the language shown (set by `install_translator`)."""


def choose_language(explicit: str | None, preference: str | None, system_locale: str) -> str:
    """Return the UI language: `explicit` (--lang), else `preference`, else from the system.

    `system_locale` is a locale name such as `zh_CN`, `zh_TW` or `en_US` (as
    `QLocale.system().name()` gives it): Chinese gives "zh", anything else "en". A value that is
    not a known language is passed over.
    """
    for wanted in (explicit, preference):
        if wanted in LANGUAGES:
            assert wanted is not None
            return wanted
    return "zh" if system_locale.lower().split("_")[0].split("-")[0] == "zh" else "en"


_installed = False
"""Whether `install_translator` has installed any: else there is none to remove, and the app's
children are not looked through (which would make PySide6 build its QStyle type, ~7 ms)."""


def remove_translators(app: QCoreApplication) -> None:
    """Uninstall the translators `install_translator` installed (to switch language)."""
    app.setProperty(LANGUAGE_PROPERTY, None)
    if not _installed:
        return
    for translator in app.findChildren(QTranslator):
        if translator.objectName() in _OBJECT_NAMES:
            app.removeTranslator(translator)
            translator.setParent(None)
            translator.deleteLater()


def _load_labels(app: QCoreApplication, language: str) -> bool:
    """Install the app's translation of `language`; return False when it is not compiled."""
    global _installed
    translator = QTranslator(app)  # owned by the app, so it lives as long as it is installed
    translator.setObjectName(_OBJECT_NAMES[0])
    _installed = True
    beside = Path(__file__).parent / "translations" / QM_NAMES[language]
    if beside.is_file():  # installed as files: no need of importlib.resources (some 10 ms)
        loaded = translator.load(str(beside))
    else:
        from importlib.resources import as_file, files

        resource = files("inspector_app.ui") / "translations" / QM_NAMES[language]
        if not resource.is_file():
            return False
        # A packaged zip gives a temporary copy; Qt reads the file while loading.
        with as_file(resource) as path:
            loaded = translator.load(str(path))
    if loaded:
        app.installTranslator(translator)
    return loaded


def _load_qt_base(app: QCoreApplication, language: str) -> None:
    """Install Qt's own translation (standard buttons and dialogs), when Qt ships one."""
    locale = QT_BASE_LOCALES.get(language)
    if locale is None:
        return
    global _installed
    translator = QTranslator(app)
    translator.setObjectName(_OBJECT_NAMES[1])
    _installed = True
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{locale}", folder):
        app.installTranslator(translator)


def install_translator(
    app: QCoreApplication,
    lang: str | None,
    *,
    preference: str | None = None,
    system_locale: str | None = None,
) -> str:
    """Install the translation of the chosen language on `app`; return the language shown.

    Args:
        app: The application (call before building the windows).
        lang: "zh" or "en" from `--lang`, or None.
        preference: The language stored in the settings, or None.
        system_locale: The system's locale name; None reads it from Qt (`QLocale.system()`).

    Returns:
        "zh" or "en". When the English translation was never compiled (a checkout without the
        set-up) the app stays Chinese, says so on stderr and returns "zh".
    """
    if system_locale is None:
        system_locale = QLocale.system().name()
    language = choose_language(lang, preference, system_locale)
    remove_translators(app)
    if not _load_labels(app, language) and language != "zh":
        print(
            f"inspector: the {language} translation is not compiled "
            f"({QM_NAMES[language]}); showing Chinese. Run `make translations` in the checkout.",
            file=sys.stderr,
        )
        language = "zh"
    _load_qt_base(app, language)
    app.setProperty(LANGUAGE_PROPERTY, language)
    return language


def shown_language(app: QCoreApplication) -> str:
    """Return the language the UI shows now: the one `install_translator` installed last, or
    "zh" when none was (the labels are Chinese)."""
    value = app.property(LANGUAGE_PROPERTY)
    return str(value) if value in LANGUAGES else "zh"


def tr_label(text: str) -> str:
    """Return a label of `inspector_app.labels` in the installed language."""
    return QCoreApplication.translate(CONTEXT, text)
