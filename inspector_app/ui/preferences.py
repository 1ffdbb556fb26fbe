"""The person's own preferences on this computer (not the workspace's settings): the UI's
language and the workspace folder the app opens, kept per user by QSettings (an INI file in the
user's configuration folder, e.g. ~/.config/inspector/inspector.ini).

The workspace's own settings (the calendar's time zone, …) live in the workspace
(`inspector_app.store.settings`), so that every laptop of a team counts days alike.
"""

from __future__ import annotations

import os
from pathlib import Path

from inspector_app.labels import (
    WORKSPACE_NOT_DATABASE,
    WORKSPACE_NOT_FOLDER,
    WORKSPACE_NOT_WORKSPACE,
    WORKSPACE_NOT_WRITABLE,
)
from inspector_app.store.workspace import DATABASE_NAME
from inspector_app.ui.i18n import LANGUAGES, tr_label
from inspector_app.ui.qt import QSettings

ORGANIZATION = "inspector"
APPLICATION = "inspector"
LANGUAGE_KEY = "ui/language"
WORKSPACE_KEY = "workspace/folder"
SQLITE_HEADER = b"SQLite format 3\x00"


class UserPreferences:
    """The person's preferences, read and written through one QSettings.

    Args:
        settings: Where they are kept; `UserPreferences.for_user()` gives the user's own,
            `UserPreferences.at(path)` a file of one's choosing (tests).
    """

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    @classmethod
    def for_user(cls) -> UserPreferences:
        """Return the preferences of the person running the app (their configuration folder)."""
        return cls(
            QSettings(
                QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
            )
        )

    @classmethod
    def at(cls, path: Path) -> UserPreferences:
        """Return preferences kept in the INI file `path`."""
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    @property
    def file(self) -> Path:
        """The file the preferences are kept in."""
        return Path(self._settings.fileName())

    @property
    def language(self) -> str | None:
        """The chosen language ("zh" or "en"), or None to follow the system."""
        value = self._settings.value(LANGUAGE_KEY)
        return str(value) if value in LANGUAGES else None

    def set_language(self, language: str | None) -> None:
        """Keep the language ("zh", "en", or None to follow the system)."""
        if language is None:
            self._settings.remove(LANGUAGE_KEY)
        elif language in LANGUAGES:
            self._settings.setValue(LANGUAGE_KEY, language)
        else:
            raise ValueError(f"unknown language {language!r}")
        self._settings.sync()

    @property
    def workspace(self) -> Path | None:
        """The workspace folder the app opens when none is named, or None for the default."""
        value = self._settings.value(WORKSPACE_KEY)
        return Path(str(value)) if value else None

    def set_workspace(self, folder: Path | None) -> None:
        """Keep the workspace folder (None: back to the default)."""
        if folder is None:
            self._settings.remove(WORKSPACE_KEY)
        else:
            self._settings.setValue(WORKSPACE_KEY, str(folder))
        self._settings.sync()


def workspace_folder_problem(folder: Path) -> str | None:
    """Return why `folder` cannot be the workspace the app opens, or None when it can.

    It can when it is an existing folder that can be written and either holds a workspace
    database (`workspace.db`, a SQLite file) or is empty (the next start makes a workspace in
    it). The message is in the UI's language.
    """
    path = str(folder)
    try:
        if not folder.is_dir():
            return tr_label(WORKSPACE_NOT_FOLDER).format(path=path)
        if not os.access(folder, os.W_OK | os.X_OK):
            return tr_label(WORKSPACE_NOT_WRITABLE).format(path=path)
        database = folder / DATABASE_NAME
        if not database.exists():
            if any(folder.iterdir()):
                return tr_label(WORKSPACE_NOT_WORKSPACE).format(path=path)
            return None
        if not os.access(database, os.R_OK | os.W_OK):
            return tr_label(WORKSPACE_NOT_WRITABLE).format(path=str(database))
        with database.open("rb") as file:
            if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return tr_label(WORKSPACE_NOT_DATABASE).format(path=path)
    except OSError:
        return tr_label(WORKSPACE_NOT_FOLDER).format(path=path)
    return None
