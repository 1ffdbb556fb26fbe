"""Open the services a window runs on (the GUI and the screenshot command): the workspace with
the real clock, and the named reviewer's sign-in checked; a refusal is one line on stderr."""

from __future__ import annotations

import sys
from pathlib import Path

from inspector_app.app import Services, open_services, system_clock
from inspector_app.core.errors import RuleViolation
from inspector_app.store.errors import WorkspaceError
from inspector_app.store.workspace import WorkspaceFile


def open_for_window(
    folder: Path | WorkspaceFile, user: str | None, *, write: bool
) -> Services | None:
    """Return the services of the workspace in `folder` acting as `user`, or None after saying
    on stderr why not (the workspace cannot be opened, or the user may not sign in).

    `folder` may be the workspace's database opened and checked (`open_database`): the
    opening is finished here (and the connection closed when it fails)."""
    try:
        services = open_services(folder, user=user, write=write, clock=system_clock)
    except WorkspaceError as error:
        print(f"错误：{error}", file=sys.stderr)
        return None
    try:
        services.signed_in()
    except RuleViolation as error:
        services.close()
        print(f"错误：{error}", file=sys.stderr)
        return None
    return services
