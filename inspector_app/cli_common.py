"""What every `inspector` command shares: the services of the composition root (workspace,
clock, acting reviewer, queries, steps), and how a user's mistake is reported (one line on
stderr, exit 1)."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from inspector_app.app import Services, open_services, system_clock
from inspector_app.casefile.reader import CaseFileError
from inspector_app.core.errors import RuleViolation
from inspector_app.store.errors import WorkspaceError

F = TypeVar("F", bound=Callable[..., Any])


class InputFileRefused(Exception):
    """An input file named on the command line cannot be read or is too large (one line)."""


USER_ERRORS: tuple[type[Exception], ...] = (
    RuleViolation,
    CaseFileError,
    WorkspaceError,
    InputFileRefused,
)


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


def services_of(ctx: click.Context, *, write: bool) -> Services:
    """Open the services over the workspace named on the command line, closing them when the
    command ends.

    A command that only reads passes `write=False`: nothing is created at a mistyped path,
    nothing is migrated or installed, and a read-only workspace opens. A writing command passes
    `write=True` (the workspace is created and migrated as needed). There is no default, so
    that each command says which it is. The acting reviewer (`--user`) is looked up only when a
    step needs one.
    """
    refuse_undecodable_text(ctx)
    services = open_services(
        ctx.obj["workspace"], user=ctx.obj["user"], write=write, clock=system_clock
    )
    ctx.call_on_close(services.close)
    return services


def _undecodable(value: object) -> bool:
    """Whether a text value holds bytes the terminal could not decode as UTF-8 (Python keeps
    them as lone surrogates, which no database or document can store)."""
    values = value if isinstance(value, tuple | list) else (value,)
    for item in values:
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False


def refuse_undecodable_text(ctx: click.Context) -> None:
    """Refuse (a usage error, exit 2) a text argument of the command, or the acting reviewer,
    that is not valid UTF-8: an id, a name or a reason typed in another encoding. Paths are
    left alone: a folder may have any name the system allows.

    Raises:
        click.BadParameter: naming the argument.
    """
    for param in ctx.command.params:
        if isinstance(param.type, click.Path) or param.name is None:
            continue
        if _undecodable(ctx.params.get(param.name)):
            raise click.BadParameter(
                "not valid UTF-8 text (typed in another encoding?); retype it.",
                ctx=ctx,
                param=param,
            )
    if _undecodable((ctx.obj or {}).get("user")):
        raise click.BadParameter(
            "not valid UTF-8 text (typed in another encoding?); retype it.",
            ctx=ctx,
            param_hint="'--user' / $INSPECTOR_USER",
        )


def write_output(out: Path, data: bytes) -> None:
    """Write a command's output file all at once, or say in one line that nothing was written.

    Raises:
        WorkspaceError: the file cannot be written (a missing folder, no permission, a full disk).
    """
    from inspector_app.store.files import write_bytes_atomically

    try:
        write_bytes_atomically(out, data)
    except OSError as error:
        raise WorkspaceError(f"无法写入 {out}：{error.strerror}。没有写出任何文件。") from error


def read_input_file(path: Path, limit: int | None = None) -> bytes:
    """Return the bytes of an input file named on the command line, read with a bound on its
    size (`inspector_app.inputfile`, 256 MB unless `limit` says otherwise).

    Raises:
        InputFileRefused: it cannot be read (missing, no permission, a folder, a pipe) or is
            larger than the limit; the message names the file and what to do.
    """
    from inspector_app.inputfile import (
        MAX_INPUT_BYTES,
        InputTooLarge,
        limit_text,
        read_bounded,
    )

    bound = MAX_INPUT_BYTES if limit is None else limit
    try:
        return read_bounded(path, bound)
    except InputTooLarge:
        raise InputFileRefused(
            f"{path}：文件过大（超过上限 {limit_text(bound)}）；请确认选对了文件。"
        ) from None
    except OSError as error:
        raise InputFileRefused(f"无法读取 {path}：{error.strerror or error}。") from None
