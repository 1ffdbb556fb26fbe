"""The composition root: opens a workspace and hands it to the UI or the command line."""

from __future__ import annotations

import os
from datetime import UTC, datetime
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


def system_clock() -> datetime:
    """Return the laptop's time (the one clock of the app; the domain never reads one)."""
    return datetime.now(UTC)


def named_user() -> str | None:
    """Return the acting reviewer named by $INSPECTOR_USER (an id or a unique name), if any.

    The operating system's login name is never taken for a reviewer.
    """
    return os.environ.get(USER_ENV) or None
