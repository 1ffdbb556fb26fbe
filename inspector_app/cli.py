"""The `inspector` command: open the app, or work on the workspace from the command line.

A rule or input error prints one clear line on stderr and exits 1; a usage error exits 2.
What only one command needs is imported inside it, so that opening the app stays fast.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import sys
from datetime import datetime
from pathlib import Path
from typing import NoReturn

import click

from inspector_app.app import WORKSPACE_ENV, default_workspace, named_user
from inspector_app.cli_amend import amend
from inspector_app.cli_common import InputFileRefused, services_of, user_errors, write_output
from inspector_app.cli_export import export
from inspector_app.cli_forms import forms
from inspector_app.cli_identity import identity, verify
from inspector_app.cli_reports import report
from inspector_app.cli_reviewers import reviewer, settings
from inspector_app.cli_signoff import signoff
from inspector_app.cli_sync import conflicts, enroll, sync_command
from inspector_app.core.calendar import RegulationCalendar
from inspector_app.entry import INTERRUPTED, Interrupted
from inspector_app.labels import STATUS_LABELS


def _workspace_option(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> Path | None:
    """Refuse an empty --workspace or $INSPECTOR_WORKSPACE (a usage error, exit 2)."""
    if value is None:
        value = os.environ.get(WORKSPACE_ENV)  # click skips an empty variable; refuse it too
    if value is not None and not value.strip():
        raise click.BadParameter(
            f"the workspace folder is empty. Name a folder, or unset ${WORKSPACE_ENV} and leave "
            "out the option to use the default one.",
            param_hint=f"'--workspace' / ${WORKSPACE_ENV}",
        )
    return Path(value) if value is not None else None


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """Print `inspector VERSION` and exit. Looked up only when asked for: reading the package
    metadata costs every start of the app some 15 ms."""
    if not value or ctx.resilient_parsing:
        return
    from inspector_app.version import app_version

    click.echo(f"inspector {app_version()}")
    ctx.exit()


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    "-V",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version and exit.",
)
@click.option(
    "--workspace",
    type=click.Path(),  # open_workspace explains a wrong path in Chinese
    envvar=WORKSPACE_ENV,
    callback=_workspace_option,
    help="Workspace folder (default: $INSPECTOR_WORKSPACE or the user data folder).",
)
@click.option(
    "--user",
    "user",
    envvar="INSPECTOR_USER",
    help="The acting reviewer: an id, or a name that names exactly one reviewer "
    "(default: $INSPECTOR_USER). Commands that only read need none.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    help="Language of the desktop app: zh (Simplified Chinese) or en (English); default: the "
    "system's (Chinese on a Chinese system, else English). The commands print Chinese.",
)
@click.option(
    "--screenshot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Render the app's window into this PNG file (1366×768, offscreen) and exit: the "
    "main window, or with --case the case's window.",
)
@click.option(
    "--case",
    "shot_case",
    metavar="ID",
    help="With --screenshot: the case (an id or an application number) whose window is shown.",
)
@click.option(
    "--step",
    "shot_step",
    metavar="STEP",
    help="With --screenshot --case: the step shown, one of enterprise, team, feedback, "
    "checklist (default), sampling, opinion, signatures.",
)
@click.pass_context
def cli(
    ctx: click.Context,
    workspace: Path | None,
    user: str | None,
    lang: str | None,
    screenshot: Path | None,
    shot_case: str | None,
    shot_step: str | None,
) -> None:
    """Inspector: the on-site production-licence review tool.

    Without a command, opens the desktop app on the workspace (the one named, else the one
    chosen in the app's settings, else the default one). Commands that only read
    (case list/show/export, audit verify, forms export) never create or change a workspace.
    Ctrl-C stops a command and keeps nothing of it (exit 130).
    """
    ctx.ensure_object(dict)
    ctx.obj["workspace"] = workspace or default_workspace()
    ctx.obj["user"] = user or named_user()
    shot_options = screenshot is not None or shot_case is not None or shot_step is not None
    if ctx.invoked_subcommand is not None:
        if shot_options:
            raise click.UsageError("--screenshot, --case and --step open no command.")
        return
    if screenshot is None:
        if shot_options:
            raise click.UsageError("--case and --step go with --screenshot FILE.")
        from inspector_app.ui.launch import launch

        sys.exit(launch(workspace, ctx.obj["user"], lang))
    from inspector_app.ui.launch import app_workspace
    from inspector_app.ui.preferences import UserPreferences
    from inspector_app.ui.screenshot import take_screenshot

    folder = app_workspace(workspace, UserPreferences.for_user())
    sys.exit(
        take_screenshot(
            folder, screenshot, user=ctx.obj["user"], lang=lang, case=shot_case, step=shot_step
        )
    )


@cli.command()
@click.pass_context
@user_errors
def demo(ctx: click.Context) -> None:
    """Fill the workspace with demo cases at each stage (running it again changes nothing)."""
    from inspector_app.demo import fill_demo

    services = services_of(ctx, write=True)
    added = fill_demo(services.workspace, services.clock())
    click.echo(f"演示案件：新增 {added} 件（工作区 {services.workspace.folder}）")


@cli.group()
def case() -> None:
    """List, import and export review cases."""


@case.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
@click.pass_context
@user_errors
def case_list(ctx: click.Context, as_json: bool) -> None:
    """List the cases of the workspace."""
    rows = [
        {**row.as_json(), "status_label": STATUS_LABELS[row.case.status]}
        for row in services_of(ctx, write=False).queries.case_rows()
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        flag = "  【已超期】" if row["overdue"] else ""
        flag += "  【逾期作出结论】" if row["concluded_late"] else ""
        click.echo(
            f"{row['application_no']}  {row['enterprise']}  {row['product_unit']}  "
            f"{row['status_label']}  核查期限 {row['onsite_deadline']}{flag}  {row['id']}"
        )


def local_time(iso: str, zone_name: str) -> str:
    """Return a stored time as it reads on the regulation's calendar, to the minute."""
    return (
        RegulationCalendar(zone_name).local(datetime.fromisoformat(iso)).strftime("%Y-%m-%d %H:%M")
    )


@case.command("show")
@click.argument("case_id")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object instead of text.")
@click.pass_context
@user_errors
def case_show(ctx: click.Context, case_id: str, as_json: bool) -> None:
    """Show one case (by id or application number): team, checklist, verdict, alerts."""
    queries = services_of(ctx, write=False).queries
    overview = queries.case_overview(queries.case_id(case_id))
    if as_json:
        click.echo(json.dumps(overview, ensure_ascii=False, indent=2))
        return
    checklist = overview["checklist"]
    filed = (
        f"已备案 {local_time(overview['filed_at'], overview['time_zone'])}"
        if overview["filed_at"]
        else "未备案"
    )
    lines = [
        f"{overview['application_no']}  {overview['enterprise']}  {overview['status_label']}",
        f"产品单元：{overview['product_unit']}　核查表：{overview['form']}",
        f"受理日期：{overview['accepted_on']}　核查期限：{overview['onsite_deadline']}",
        f"审查组：{filed}",
        *[
            f"  {m['role']} {m['name']}（{m['unit']}）证书 {m['certificate']}"
            f"{'' if m['declaration_signed'] else '　未签廉洁承诺'}"
            for m in overview["team"]
        ],
        f"核查进度：{checklist['recorded']}/{checklist['items']}　结论：{checklist['verdict']}",
        *[
            f"抽样：{s['product']}　封条 {'、'.join(s['seals'])}　送检机构 {s['agency']}"
            f"　送达期限 {s['send_by']}"
            for s in overview["samples"]
        ],
        *(
            [
                "反馈表："
                + "；".join(
                    f"{stage} {local_time(at, overview['time_zone'])}"
                    for stage, at in overview["feedback"].items()
                )
            ]
            if overview["feedback"]
            else []
        ),
        *[f"企业意见：{text}" for text in overview["objections"]],
        *[f"提示：{alert}" for alert in overview["alerts"]],
    ]
    click.echo("\n".join(lines))


@case.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
@user_errors
def case_import(ctx: click.Context, file: Path) -> None:
    """Import a case file (inspector-case/2), replaying it through the rules (needs --user)."""
    from inspector_app.casefile.reader import CaseFileError, parse_case_file, read_case_file
    from inspector_app.casefile.replay import import_case

    try:
        try:
            raw = read_case_file(file)
        except OSError as error:
            raise InputFileRefused(f"无法读取 {file}：{error.strerror or error}。") from None
        parsed = parse_case_file(raw)
        services = services_of(ctx, write=True)
        importer = services.acting_reviewer().actor
        case_id = import_case(services.workspace, parsed, importer=importer, clock=services.clock)
    except CaseFileError as error:  # name the file before the JSON path
        where = f"{file}: {error.path}" if error.path else str(file)
        raise CaseFileError(where, error.detail, error.rule) from error
    click.echo(f"已导入案件 {parsed.state.case.application_no}（{case_id}）")


@case.command("export")
@click.argument("case_id")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write the case to.",
)
@click.pass_context
@user_errors
def case_export(ctx: click.Context, case_id: str, out: Path) -> None:
    """Export one case (by id or application number) to a case file."""
    from inspector_app.casefile.writer import case_json
    from inspector_app.store.casework import load_case_file

    services = services_of(ctx, write=False)
    state = load_case_file(services.workspace.db, services.queries.case_id(case_id))
    write_output(out, case_json(state, services.workspace).encode("utf-8"))
    click.echo(f"已导出到 {out}")


@cli.group()
def audit() -> None:
    """Check the audit trail."""


@audit.command("verify")
@click.argument("case_id", required=False)
@click.pass_context
@user_errors
def audit_verify(ctx: click.Context, case_id: str | None) -> None:
    """Verify the hash-chained audit trail (of one case, when given); exit 1 on a problem."""
    from inspector_app.store.audit import audit_event_count, verify_audit_trail

    services = services_of(ctx, write=False)
    resolved = services.queries.case_id(case_id) if case_id else None
    problems = verify_audit_trail(services.workspace.db, resolved)
    if problems:
        for problem in problems:
            click.echo(f"审计链异常：{problem.message}", err=True)
        sys.exit(1)
    count = audit_event_count(services.workspace.db, resolved)
    click.echo(f"审计链完好：{count} 条事件均已核验。")


cli.add_command(forms)
cli.add_command(reviewer)
cli.add_command(settings)
cli.add_command(report)
cli.add_command(identity)
cli.add_command(verify)
cli.add_command(export)
cli.add_command(signoff)
cli.add_command(amend)
cli.add_command(enroll)
cli.add_command(sync_command)
cli.add_command(conflicts)


def _on_sigint(_signum: int, _frame: object) -> None:
    raise Interrupted


def main(args: list[str] | None = None) -> None:
    """Console-script entry point: run the command and exit with its code.

    Exit codes: 0 done, 1 a rule, input or storage problem (one line on stderr), 2 a usage
    error (click's message), 130 interrupted by Ctrl-C (one line, nothing kept).
    """
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not if ignored (nohup)
        signal.signal(signal.SIGINT, _on_sigint)
    try:
        cli.main(args=args, prog_name="inspector", standalone_mode=False)
    except (Interrupted, KeyboardInterrupt, click.Abort):
        _interrupted()
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except OSError as error:
        if error.errno != errno.EPIPE:  # output piped into `head`, which has stopped reading
            raise
        # Python's advice: point stdout at devnull, so the flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    sys.exit(0)


def _interrupted() -> NoReturn:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the message
    newline = "\n" if sys.stderr.isatty() else ""  # end the terminal's ^C echo first
    click.echo(f"{newline}{INTERRUPTED}", err=True)
    sys.exit(130)


if __name__ == "__main__":
    main()
