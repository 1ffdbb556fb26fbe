"""What every `inspector` command shares: the clock, the workspace, the acting reviewer, and
how a user's mistake is reported (one line on stderr, exit 1)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import click

from inspector_app.app import system_clock
from inspector_app.casefile.reader import CaseFileError
from inspector_app.core.errors import Problem, RuleViolation
from inspector_app.core.model import Reviewer
from inspector_app.store.errors import WorkspaceError
from inspector_app.store.reviewers import resolve_reviewer
from inspector_app.store.workspace import Workspace, open_workspace

F = TypeVar("F", bound=Callable[..., Any])

USER_ERRORS: tuple[type[Exception], ...] = (RuleViolation, CaseFileError, WorkspaceError)


def user_errors(func: F) -> F:
    """Print a user's mistake or a known storage problem as one line and exit 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except USER_ERRORS as error:
            click.echo(f"错误：{error}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def now_utc() -> datetime:
    """Return the current time (the composition root's clock)."""
    return system_clock()


def acting_reviewer(ctx: click.Context, workspace: Workspace) -> Reviewer:
    """Return the reviewer named by `--user` (or $INSPECTOR_USER) for a command that writes.

    Raises:
        RuleViolation: no acting reviewer was named, or the name is unknown or ambiguous.
    """
    key = ctx.obj["user"]
    if not key:
        raise RuleViolation(
            Problem(
                "acting_user",
                "此命令会写入工作区，请用 --user（或环境变量 INSPECTOR_USER）指定执行操作的"
                "审查员：id，或名册中唯一的姓名（inspector reviewer list 可查看）。",
            )
        )
    return resolve_reviewer(workspace.db, key)


def workspace_of(ctx: click.Context, *, write: bool) -> Workspace:
    """Open the workspace named on the command line, closing it when the command ends.

    A command that only reads passes `write=False`: nothing is created at a mistyped path,
    nothing is migrated or installed, and a read-only workspace opens. A writing command passes
    `write=True` (the workspace is created and migrated as needed). There is no default, so
    that each command says which it is.
    """
    workspace = open_workspace(ctx.obj["workspace"], read_only=not write)
    ctx.call_on_close(workspace.close)
    return workspace
