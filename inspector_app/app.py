"""The composition root: opens a workspace and hands it to the UI or the command line."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "inspector"
WORKSPACE_ENV = "INSPECTOR_WORKSPACE"
USER_ENV = "INSPECTOR_USER"


def default_workspace() -> Path:
    """Return the workspace folder to use when none is named: $INSPECTOR_WORKSPACE, else the
    user data folder (e.g. ~/.local/share/inspector/workspace)."""
    named = os.environ.get(WORKSPACE_ENV)
    if named:
        return Path(named)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "workspace"


def default_user() -> str:
    """Return the acting reviewer when none is named: $INSPECTOR_USER, else the login name."""
    named = os.environ.get(USER_ENV)
    if named:
        return named
    try:
        return os.getlogin()
    except OSError:
        import getpass

        return getpass.getuser()
