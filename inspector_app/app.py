"""The composition root: opens a workspace and hands it, with the clock, the acting reviewer,
the queries and the case steps, to the UI or the command line."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from inspector_app.clock import system_clock as system_clock
from inspector_app.core.errors import Problem, RuleViolation
from inspector_app.core.model import Reviewer
from inspector_app.entry import USER_ENV as USER_ENV
from inspector_app.entry import WORKSPACE_ENV as WORKSPACE_ENV
from inspector_app.store.casework import Casework, Clock
from inspector_app.store.errors import storage_errors
from inspector_app.store.queries import Queries
from inspector_app.store.reviewers import get_reviewer, resolve_reviewer
from inspector_app.store.settings import WorkspaceSettings, load_settings, save_setting
from inspector_app.store.workspace import (
    Workspace,
    WorkspaceFile,
    finish_opening,
    open_workspace,
)

APP_NAME = "inspector"


def default_workspace() -> Path:
    """Return the workspace folder to use when none is named: $INSPECTOR_WORKSPACE, else the
    user data folder (e.g. ~/.local/share/inspector/workspace)."""
    named = os.environ.get(WORKSPACE_ENV)
    if named:
        return Path(named)
    import platformdirs  # some 8 ms: only when no workspace is named

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "workspace"


def named_user() -> str | None:
    """Return the acting reviewer named by $INSPECTOR_USER (an id or a unique name), if any.

    The operating system's login name is never taken for a reviewer.
    """
    return os.environ.get(USER_ENV) or None


@dataclass
class Services:
    """What the screens and the commands use, built once by `open_services`: the open
    workspace, the clock, the workspace's settings, the acting reviewer, the queries and the
    case steps. Neither the UI nor the CLI opens the store or reads the clock by itself."""

    workspace: Workspace
    clock: Clock
    settings: WorkspaceSettings
    queries: Queries
    user: str | None = None  # who was named as the acting reviewer (an id or a unique name)
    _reviewer: Reviewer | None = None

    def acting_reviewer(self) -> Reviewer:
        """Return the acting reviewer, for a step that writes (looked up once, when needed:
        a command that only reads needs none).

        Raises:
            RuleViolation: no acting reviewer was named (`acting_user`), or the name names no
                reviewer or several.
        """
        if self._reviewer is None and self.user:
            self._reviewer = resolve_reviewer(self.workspace.db, self.user)
        if self._reviewer is None:
            raise RuleViolation(
                Problem(
                    "acting_user",
                    "此操作会写入工作区，请指定执行操作的审查员：命令行用 --user（或环境变量 "
                    "INSPECTOR_USER），id 或名册中唯一的姓名（inspector reviewer list 可查看）。",
                )
            )
        return self._reviewer

    def signed_in(self) -> Reviewer | None:
        """Return the acting reviewer, or None when nobody was named (the app only shows).

        Raises:
            RuleViolation: a name was given that names no reviewer or several.
        """
        return self.acting_reviewer() if self.user else None

    def sign_in(self, reviewer_id: str) -> Reviewer:
        """Make the reviewer with this id the acting reviewer (登录) and return them.

        The choice is by id, never by name: two reviewers may share a name. Nothing is
        written; the steps from now on are done by this reviewer.

        Raises:
            RuleViolation: no reviewer of the registry has this id (`reviewer_unknown`); the
                acting reviewer is then unchanged.
        """
        with storage_errors():
            reviewer = get_reviewer(self.workspace.db, reviewer_id)
        if reviewer is None:
            raise RuleViolation(
                Problem(
                    "reviewer_unknown",
                    f"审查员名册中没有 id 为“{reviewer_id}”的审查员，未更改当前审查员。",
                )
            )
        self.user = reviewer.id
        self._reviewer = reviewer
        return reviewer

    def sign_out(self) -> None:
        """Forget the acting reviewer: from now on nothing can be written (read-only)."""
        self.user = None
        self._reviewer = None

    def steps(self) -> Casework:
        """Return the case steps, done by the acting reviewer at the clock's time."""
        return Casework(
            self.workspace.db, self.acting_reviewer().actor, self.clock, settings=self.settings
        )

    def change_setting(self, name: str, value: str) -> str:
        """Change one workspace setting as the acting reviewer (audited); return the value
        stored. The settings and the queries in force follow at once (a new time zone
        changes how days are counted from now on).

        Raises:
            RuleViolation: nobody is signed in.
            WorkspaceError: no such setting, a value it refuses (an unknown time zone), or the
                workspace cannot be written.
        """
        actor = self.acting_reviewer().actor
        stored = save_setting(self.workspace.db, name, value, actor=actor, now=self.clock())
        with storage_errors():
            self.settings = load_settings(self.workspace.db)
        self.queries = Queries(self.workspace.db, self.settings.calendar, self.clock)
        return stored

    def close(self) -> None:
        """Close the workspace."""
        self.workspace.close()

    def __enter__(self) -> Services:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_services(
    folder: Path | WorkspaceFile, *, user: str | None, write: bool, clock: Clock = system_clock
) -> Services:
    """Open the workspace in `folder` and build the services over it.

    Args:
        folder: the workspace folder, or its database opened and checked by
            `store.workspace.open_database` (with `write` as it was opened), whose opening
            is finished here.
        user: the acting reviewer (an id, or a name naming exactly one reviewer), or None.
        write: whether the caller writes (creates and migrates the workspace as needed);
            otherwise it is opened read-only and must exist.
        clock: the one clock of the app.

    Raises:
        WorkspaceError: the workspace cannot be opened.
    """
    if isinstance(folder, WorkspaceFile):
        workspace = finish_opening(folder)
    else:
        workspace = open_workspace(folder, read_only=not write)
    try:
        settings = load_settings(workspace.db)
    except BaseException:
        workspace.close()
        raise
    queries = Queries(workspace.db, settings.calendar, clock)
    return Services(workspace, clock, settings, queries, user)
