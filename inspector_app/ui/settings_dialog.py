"""The settings screen (设置): the UI's language and the workspace folder (the person's own
preferences, `ui/preferences.py`), and the calendar's time zone (a workspace setting, audited).

- Language: 跟随系统 / 中文 / English, kept per user. A change shows at once: the main
  window rebuilds the open windows in the new language where they were
  (`ui/language_switch.py`); while a dialog that a rebuild would close is open, the change is
  refused beside the field, naming it. `--lang` wins over the stored choice at the start only:
  a change made here during such a run switches all the same.
- Workspace folder: chosen with a folder dialog or typed; the next start opens it. A path that
  is not a folder, cannot be written, or holds other files but no workspace is refused with
  the reason beside the field, and nothing is kept.
- Time zone: an IANA name (Asia/Shanghai …), checked against zoneinfo by the store
  (`check_setting`); saved with an audit event by the signed-in reviewer, and in force at once.
  Without a signed-in reviewer the field is read-only, saying why.

OK keeps everything or, when one field is refused, nothing; the dialog then stays open.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from inspector_app.app import Services
from inspector_app.core.errors import RuleViolation
from inspector_app.labels import (
    CHOOSE_FOLDER,
    CHOOSE_WORKSPACE_TITLE,
    LANGUAGE_APPLIES,
    LANGUAGE_SWITCH_BLOCKED,
    LANGUAGE_SYSTEM,
    LIST_JOIN,
    SETTINGS_LANGUAGE,
    SETTINGS_TIME_ZONE,
    SETTINGS_TITLE,
    SETTINGS_WORKSPACE,
    TIME_ZONE_NEEDS_SIGN_IN,
    TIME_ZONE_READ_ONLY,
    TIME_ZONE_TIP,
    WORKSPACE_APPLIES,
)
from inspector_app.store.errors import WorkspaceError
from inspector_app.ui.i18n import choose_language, shown_language, tr_label
from inspector_app.ui.page_parts import action_button
from inspector_app.ui.preferences import UserPreferences, workspace_folder_problem
from inspector_app.ui.qt import (
    QComboBox,
    QCoreApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QLocale,
    Qt,
    QVBoxLayout,
    QWidget,
)

LANGUAGE_NAMES = (("zh", "中文"), ("en", "English"))
"""The languages as the person picks them: each in its own words, in either UI."""

PROBLEM_STYLE = "color: #b00020;"


def choose_folder(parent: QWidget, start: str) -> Path | None:
    """Ask for a folder; return it, or None when the person cancelled.

    Module-level so that tests replace it (a native folder dialog cannot be driven).
    """
    name = QFileDialog.getExistingDirectory(parent, tr_label(CHOOSE_WORKSPACE_TITLE), start)
    return Path(name) if name else None


def _note(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class SettingsDialog(QDialog):
    """The settings screen.

    Args:
        services: The open workspace (its time zone, who is signed in).
        preferences: The person's preferences (language, workspace folder).
        parent: The window it belongs to.
        blockers: Names what a switch of language would close now (given this dialog, to
            leave it out); the main window's `language_switch.switch_blockers`.

    After OK, `switch_to` is the language to show now ("zh" or "en"), or None when the shown
    one stays.
    """

    def __init__(
        self,
        services: Services,
        preferences: UserPreferences,
        parent: QWidget | None = None,
        *,
        blockers: Callable[[QWidget], list[str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.preferences = preferences
        self._blockers = blockers
        self._language_at_open = preferences.language
        self.switch_to: str | None = None
        self.setObjectName("settingsDialog")
        self.setWindowTitle(tr_label(SETTINGS_TITLE))

        # Where a refused value is said, beside its field.
        self.workspace_problem = _note()
        self.workspace_problem.setObjectName("workspaceProblem")
        self.workspace_problem.setStyleSheet(PROBLEM_STYLE)
        self.time_zone_problem = _note()
        self.time_zone_problem.setObjectName("timeZoneProblem")
        self.time_zone_problem.setStyleSheet(PROBLEM_STYLE)
        self.language_problem = _note()
        self.language_problem.setObjectName("languageProblem")
        self.language_problem.setStyleSheet(PROBLEM_STYLE)

        self.language = QComboBox()
        self.language.setObjectName("language")
        self.language.addItem(tr_label(LANGUAGE_SYSTEM), None)
        for code, name in LANGUAGE_NAMES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(preferences.language)))
        self.language.currentIndexChanged.connect(lambda _i: self.language_problem.clear())

        self.workspace = QLineEdit(str(preferences.workspace or ""))
        self.workspace.setObjectName("workspaceFolder")
        self.workspace.setPlaceholderText(str(services.workspace.folder))
        self.workspace.textChanged.connect(lambda _text: self.workspace_problem.clear())
        choose = action_button(CHOOSE_FOLDER, "chooseFolder", self._choose_folder)

        self.time_zone = QComboBox()
        self.time_zone.setObjectName("timeZone")
        self.time_zone.setEditable(True)
        self.time_zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.time_zone.setToolTip(tr_label(TIME_ZONE_TIP))
        self.time_zone.addItems(_zone_names())
        self.time_zone.setCurrentText(services.settings.time_zone)
        self.time_zone.currentTextChanged.connect(lambda _text: self.time_zone_problem.clear())
        why_not = self._time_zone_locked()
        if why_not:
            self.time_zone.setEnabled(False)
            self.time_zone_problem.setText(why_not)

        folder_row = QHBoxLayout()
        folder_row.addWidget(self.workspace, 1)
        folder_row.addWidget(choose)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        language_label = QLabel(tr_label(SETTINGS_LANGUAGE))
        language_label.setBuddy(self.language)
        workspace_label = QLabel(tr_label(SETTINGS_WORKSPACE))
        workspace_label.setBuddy(self.workspace)
        time_zone_label = QLabel(tr_label(SETTINGS_TIME_ZONE))
        time_zone_label.setBuddy(self.time_zone)
        form.addRow(language_label, self.language)
        form.addRow("", _note(tr_label(LANGUAGE_APPLIES)))
        form.addRow("", self.language_problem)
        form.addRow(workspace_label, folder_row)
        form.addRow(
            "", _note(tr_label(WORKSPACE_APPLIES).format(current=services.workspace.folder))
        )
        form.addRow("", self.workspace_problem)
        form.addRow(time_zone_label, self.time_zone)
        form.addRow("", _note(tr_label(TIME_ZONE_TIP)))
        form.addRow("", self.time_zone_problem)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(720, 360)

    def _time_zone_locked(self) -> str:
        """Return why the time zone cannot be changed now, or "" when it can."""
        if self.services.workspace.read_only:
            return tr_label(TIME_ZONE_READ_ONLY)
        try:
            reviewer = self.services.signed_in()
        except RuleViolation as error:
            return str(error)
        return "" if reviewer is not None else tr_label(TIME_ZONE_NEEDS_SIGN_IN)

    def _choose_folder(self) -> None:
        start = self.workspace.text().strip() or str(self.services.workspace.folder)
        folder = choose_folder(self, start)
        if folder is not None:
            self.workspace.setText(str(folder))

    def save(self) -> None:
        """Keep the settings and close; or, when a field is refused, say why beside it and
        keep nothing."""
        typed = self.workspace.text().strip()
        folder = Path(typed).expanduser() if typed else None
        if folder is not None:
            problem = workspace_folder_problem(folder)
            if problem:
                self.workspace_problem.setText(problem)
                self.workspace.setFocus()
                return
        switch_to = self._language_to_show()
        if switch_to is not None and self._blockers is not None:
            blocked = self._blockers(self)
            if blocked:
                self.language_problem.setText(
                    tr_label(LANGUAGE_SWITCH_BLOCKED).format(what=tr_label(LIST_JOIN).join(blocked))
                )
                self.language.setFocus()
                return
        zone = self.time_zone.currentText().strip()
        if self.time_zone.isEnabled() and zone != self.services.settings.time_zone:
            try:
                self.services.change_setting("time_zone", zone)
            except (RuleViolation, WorkspaceError) as error:
                self.time_zone_problem.setText(str(error))
                self.time_zone.setFocus()
                return
        self.preferences.set_language(self.language.currentData())
        self.preferences.set_workspace(folder)
        self.switch_to = switch_to
        self.accept()

    def _language_to_show(self) -> str | None:
        """Return the language to switch to now, or None: only when the person changed the
        choice (a `--lang` run keeps its language while the choice is left alone) and it
        differs from the language shown."""
        chosen = self.language.currentData()
        if chosen == self._language_at_open:
            return None
        wanted = choose_language(None, chosen, QLocale.system().name())
        app = QCoreApplication.instance()
        shown = shown_language(app) if app is not None else None
        return wanted if wanted != shown else None


def _zone_names() -> list[str]:
    """Return the IANA time zone names known to zoneinfo, sorted (Asia/Shanghai first)."""
    import zoneinfo

    names = sorted(zoneinfo.available_timezones())
    return ["Asia/Shanghai", *(name for name in names if name != "Asia/Shanghai")]
