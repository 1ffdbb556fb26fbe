"""The `inspector` command's entry point (also `python -m inspector_app`).

Opening the desktop app is what a person does most, and a command-line parser is not what
they wait for: a command line that only names the app's options (`--workspace`, `--user`,
`--lang`, each once or more, as `--name value` or `--name=value`) opens the app without
importing click and the commands (some 30 ms of every start). Everything else—a command,
`--help`, `--version`, `--screenshot`, an unknown option, a value click would refuse (an
empty workspace, a language other than zh or en)—goes to the click command line
(`inspector_app.cli`), which parses, refuses and explains it as it always has.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import NamedTuple, NoReturn

WORKSPACE_ENV = "INSPECTOR_WORKSPACE"
USER_ENV = "INSPECTOR_USER"
APP_OPTIONS = ("--workspace", "--user", "--lang")
LANGUAGES = ("zh", "en")

INTERRUPTED = "已中断，未保存任何内容"
"""What Ctrl-C prints: a command's writes are one transaction, rolled back when interrupted."""


class Interrupted(BaseException):
    """Ctrl-C during a command. Not a KeyboardInterrupt, which click would catch and echo a
    blank line for; a BaseException, so that no `except Exception` swallows it and every
    transaction and temporary file on the way out is rolled back or removed."""


class AppStart(NamedTuple):
    """What the app is opened with: as the click command line would pass it to `launch`."""

    workspace: Path | None
    user: str | None
    lang: str | None


def app_start(args: list[str], environ: dict[str, str] | os._Environ[str]) -> AppStart | None:
    """Return how to open the app when `args` only name the app's options with values click
    takes as they are; else None (then click parses them, and refuses or explains).

    The values are the ones the click command line gives: the last of a repeated option wins;
    `--workspace` falls back on $INSPECTOR_WORKSPACE, `--user` on $INSPECTOR_USER (an empty
    one names nobody).
    """
    given: dict[str, str] = {}
    rest = list(args)
    while rest:
        token = rest.pop(0)
        name, equals, value = token.partition("=")
        if name not in APP_OPTIONS:
            return None
        if not equals:
            if not rest or rest[0].startswith("-"):
                return None  # a missing value, or one click may read as an option: click says
            value = rest.pop(0)
        given[name] = value
    lang = given.get("--lang")
    if lang is not None and lang not in LANGUAGES:
        return None
    workspace = given.get("--workspace", environ.get(WORKSPACE_ENV))
    if workspace is not None and not workspace.strip():
        return None  # click refuses an empty workspace folder, saying how
    user = given.get("--user") or environ.get(USER_ENV) or None
    return AppStart(Path(workspace) if workspace is not None else None, user, lang)


def _on_sigint(_signum: int, _frame: object) -> None:
    raise Interrupted


def main(args: list[str] | None = None) -> None:
    """Console-script entry point: open the app, or run the command (`inspector_app.cli`).

    Exit codes as `inspector_app.cli.main` documents them; the app's own: 0 closed, 1 the
    workspace or the named reviewer cannot be opened (one line on stderr), 130 Ctrl-C.
    """
    argv = sys.argv[1:] if args is None else args
    start = app_start(argv, os.environ)
    if start is None:
        from inspector_app.cli import main as command_line

        command_line(argv)
        return
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not if ignored (nohup)
        signal.signal(signal.SIGINT, _on_sigint)
    try:
        from inspector_app.ui.launch import launch

        code = launch(start.workspace, start.user, start.lang)
    except (Interrupted, KeyboardInterrupt):
        _interrupted()
    sys.exit(code)


def _interrupted() -> NoReturn:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the message
    newline = "\n" if sys.stderr.isatty() else ""  # end the terminal's ^C echo first
    print(f"{newline}{INTERRUPTED}", file=sys.stderr, flush=True)
    sys.exit(130)


if __name__ == "__main__":
    main()
