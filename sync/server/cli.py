"""`inspector-server`: the central office's command line (serve, user add, db upgrade).

Every command opens the same storage: `--database-url` (PostgreSQL, e.g.
postgresql://user@host/db, or $INSPECTOR_DATABASE_URL) or, by default, the SQLite file in
`--data DIR`; the attachments are always files in `DIR/attachments`. Opening the storage
migrates the schema to the newest revision.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click

from inspector_app.core.model import UnitType
from sync.protocol import Reviewer
from sync.server.keys import KeyFileError
from sync.server.office import open_office
from sync.server.storage import Storage, new_reviewer_id


def _data_folder(_ctx: click.Context, _param: click.Parameter, value: str) -> Path:
    """Refuse an empty --data (it would silently make the office in the current folder)."""
    if not value.strip():
        raise click.BadParameter("the data folder is empty; name the office's data folder.")
    return Path(value)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    "data",
    required=True,
    type=click.Path(file_okay=False),  # text until checked: Path("") is the current folder
    callback=_data_folder,
    help="The server's data folder (attachments; the SQLite database server.db by default).",
)
@click.option(
    "--database-url",
    "database_url",
    default=None,
    envvar="INSPECTOR_DATABASE_URL",
    help="The database, e.g. postgresql://inspector@db.example/inspector "
    "(default: SQLite in --data DIR).",
)
@click.pass_context
def cli(ctx: click.Context, data: Path, database_url: str | None) -> None:
    """The central office's sync service for the on-site review tool."""
    ctx.obj = {"data": data, "database_url": database_url}


def open_storage(ctx: click.Context) -> Storage:
    """Open (and migrate) the storage the options name; a database that cannot be reached is a
    clear message and exit code 1, never a traceback."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        return open_office(ctx.obj["data"], ctx.obj["database_url"])
    except KeyFileError as error:
        raise click.ClickException(str(error)) from None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--database-url") from None
    except (SQLAlchemyError, OSError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise click.ClickException(f"cannot open the database: {message}") from None


def read_input(file: Path) -> bytes:
    """Return the bytes of the input FILE, reading at most the input limit (256 MB, see
    `inspector_app.inputfile`); one that cannot be read or is too large is a clear message."""
    from inspector_app.inputfile import InputTooLarge, limit_text, read_bounded

    try:
        return read_bounded(file)
    except InputTooLarge as error:
        raise click.ClickException(
            f"{file} is larger than {limit_text(error.limit)}; nothing was read "
            "(check that this is the right file)"
        ) from None
    except OSError as error:
        raise click.ClickException(f"cannot read {file}: {error.strerror or error}") from None


@contextmanager
def office_storage(ctx: click.Context, *refusals: type[Exception]) -> Iterator[Storage]:
    """Open the storage (as `open_storage`) for one command's work and close it after; an
    error of the kinds `refusals` raised by the work is a clear message and exit code 1."""
    storage = open_storage(ctx)
    try:
        yield storage
    except refusals as error:
        raise click.ClickException(str(error)) from None
    finally:
        storage.close()


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8765, show_default=True, type=int, help="Port to listen on.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Serve the sync API (OpenAPI document at /openapi.json) until interrupted."""
    import uvicorn

    from sync.server.app import create_app

    with office_storage(ctx) as storage:
        uvicorn.run(create_app(storage), host=host, port=port, log_level="info")


@cli.group()
def user() -> None:
    """The reviewer registry (审查员名册) and its enrollment codes."""


@user.command("add")
@click.argument("name")
@click.option("--unit", required=True, help="The reviewer's unit (单位).")
@click.option(
    "--unit-type",
    required=True,
    type=click.Choice([u.value for u in UnitType]),
    help="The unit's type (the laptops' kinds of unit: 技术机构, 行业协会, 省级局, 其他).",
)
@click.option(
    "--role", required=True, type=click.Choice(["reviewer", "leader", "clerk"]), help="Role."
)
@click.option("--certificate", default=None, help="Certificate number (证书编号).")
@click.option("--expires", default=None, help="Certificate expiry, YYYY-MM-DD.")
@click.pass_context
def user_add(
    ctx: click.Context,
    name: str,
    unit: str,
    unit_type: str,
    role: str,
    certificate: str | None,
    expires: str | None,
) -> None:
    """Add a reviewer and print a one-time enrollment code (the last word of the output).

    A reviewer or leader sits on teams, so needs a certificate (条例第十六条) and its expiry."""
    if role != "clerk":
        if not (certificate or "").strip():
            raise click.BadParameter(
                f"a {role} needs a certificate number (条例第十六条)", param_hint="--certificate"
            )
        if expires is None:
            raise click.BadParameter(
                f"a {role} needs the certificate's expiry (YYYY-MM-DD)", param_hint="--expires"
            )
    if expires is not None:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", expires):
            raise click.BadParameter("use YYYY-MM-DD", param_hint="--expires")
        try:
            date.fromisoformat(expires)
        except ValueError:
            raise click.BadParameter("not a date", param_hint="--expires") from None
    person = Reviewer(
        id=new_reviewer_id(),
        name=name,
        unit=unit,
        unit_type=unit_type,
        role=role,  # type: ignore[arg-type]
        certificate_no=certificate,
        certificate_expiry=expires,
    )
    with office_storage(ctx) as storage:
        code = storage.add_reviewer(person)
    click.echo(f"added {name} (id {person.id}); one-time enrollment code: {code}")


@cli.group()
def db() -> None:
    """The database schema (migrations also run whenever the server opens its storage)."""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Migrate the database to the newest schema and print its revision."""
    from sync.server.migrate import current

    with office_storage(ctx) as storage:
        click.echo(f"database at revision {current(storage.engine)} ({storage.dialect})")


# --- case scoping, reference data, status (issue 9, data side) ----------------------------


@cli.group()
def case() -> None:
    """Cases and the reviewers they are assigned to (a reviewer sees only those)."""


def operator() -> str:
    """Return who runs this command, for the assignment log: the OS user."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


BY_OPTION = click.option(
    "--by",
    "by",
    default=None,
    help="Who does this, for the assignment log (default: the OS user).",
)


@case.command("assign")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--team",
    "team",
    required=True,
    multiple=True,
    help="A reviewer's id or name (repeat, or give several after one --team).",
)
@click.argument("more", nargs=-1)
@BY_OPTION
@click.pass_context
def case_assign(
    ctx: click.Context,
    file: Path,
    team: tuple[str, ...],
    more: tuple[str, ...],
    by: str | None,
) -> None:
    """Assign the case of FILE (an `inspector case export` file, inspector-case/2) to reviewers.

    The case's records go down to the assigned reviewers' laptops with the versions the file
    carries; a name shared by several reviewers is refused (use the id). Assigning adds
    reviewers and never removes one (see `case unassign`); each assignment is logged.
    """
    from inspector_app.casefile.reader import CaseFileError, parse_case_file
    from sync.server.assignments import AssignmentError, assign_case

    try:
        parsed = parse_case_file(read_input(file))
    except CaseFileError as error:
        raise click.ClickException(f"{file} is not a valid case file: {error}") from None
    with office_storage(ctx, AssignmentError) as storage:
        done = assign_case(storage, parsed, [*team, *more], by or operator())
    names = ", ".join(f"{name} ({rid})" for rid, name in done.reviewers)
    click.echo(
        f"case {done.application_no} ({done.case_id}) assigned to {names}; records published "
        f"{done.published}, already there {done.unchanged}, kept as conflicts {done.conflicts}"
    )
    if parsed.time_zone is not None:
        # The zone travels with the case record; a laptop counting days in another holds it.
        click.echo(
            f"its dates were judged in the time zone {parsed.time_zone}: the reviewers' laptops "
            f"must use it too (inspector settings set time_zone {parsed.time_zone}); a laptop "
            "set to another zone holds the case back, saying so, until it is"
        )


@case.command("unassign")
@click.argument("case_key", metavar="CASE_ID")
@click.option(
    "--reviewer",
    "reviewers",
    required=True,
    multiple=True,
    help="A reviewer's id or name (repeat, or give several after one --reviewer).",
)
@click.argument("more", nargs=-1)
@BY_OPTION
@click.pass_context
def case_unassign(
    ctx: click.Context,
    case_key: str,
    reviewers: tuple[str, ...],
    more: tuple[str, ...],
    by: str | None,
) -> None:
    """Withdraw the case CASE_ID (its id or application number) from reviewers.

    Their laptops stop receiving the case's changes and are told at their next sync; they keep
    the case and its queued changes, read-only, until it is assigned to them again. Logged
    with who and when; an unknown case or reviewer, or one the case is not assigned to,
    changes nothing.
    """
    from sync.server.assignments import AssignmentError, unassign_case

    with office_storage(ctx, AssignmentError) as storage:
        done = unassign_case(storage, case_key, [*reviewers, *more], by or operator())
    names = ", ".join(f"{name} ({rid})" for rid, name in done.reviewers)
    left = f"{len(done.remaining)} reviewer(s) still assigned" if done.remaining else "nobody"
    click.echo(
        f"case {done.application_no} ({done.case_id}) withdrawn from {names} at {done.at}; {left}"
    )


@cli.group()
def reference() -> None:
    """Reference data for every laptop (the qualified inspection agencies)."""


@reference.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def reference_import(ctx: click.Context, file: Path) -> None:
    """Load the qualified inspection agencies from FILE (CSV or JSON; see README, "Sync")."""
    from sync.server.reference import (
        ReferenceError,
        import_agencies,
        parse_agencies,
        read_reference_file,
    )

    try:
        agencies = parse_agencies(read_reference_file(file), file.name)
    except ReferenceError as error:
        raise click.ClickException(f"{error}; nothing was imported") from None
    with office_storage(ctx) as storage:
        done = import_agencies(storage, agencies)
    click.echo(
        f"{len(agencies)} agencies: {done.added_or_changed} new or changed, {done.unchanged} "
        f"unchanged, {done.withdrawn} withdrawn"
    )


@cli.group()
def form() -> None:
    """Checklist forms for every laptop."""


@form.command("publish")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def form_publish(ctx: click.Context, file: Path) -> None:
    """Publish a checklist form version (a form JSON file) to every laptop."""
    from inspector_app.core.forms.model import FormError
    from inspector_app.formio.jsonfile import form_from_json_bytes
    from sync.server.reference import ReferenceError, publish_form

    try:
        parsed = form_from_json_bytes(read_input(file), file.name, check_schema=True)
    except FormError as error:
        raise click.ClickException(f"{error}; nothing was published") from None
    with office_storage(ctx, ReferenceError) as storage:
        new = publish_form(storage, parsed)
    state = "published" if new else "already published, unchanged"
    click.echo(f"form {parsed.form_id} version {parsed.version}: {state}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as a JSON object.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """Print the enrolled devices with their last sync, and the pending conflicts."""
    import dataclasses
    import json

    from sync.server.office import office_status

    with office_storage(ctx) as storage:
        report = office_status(storage)
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(report), ensure_ascii=False))
        return
    click.echo(
        f"reviewers {report.reviewers}, cases {report.cases} ({report.assignments} "
        f"assignments), qualified agencies {report.agencies}, changes {report.changes}"
    )
    click.echo(f"devices: {len(report.devices)}")
    for d in report.devices:
        click.echo(
            f"  {d.device_id}  {d.reviewer}  enrolled {d.enrolled_at}  last sync "
            f"{d.last_sync_at or 'never'}  mutations {d.mutations}"
        )
    click.echo(f"withdrawn assignments: {len(report.withdrawals)}")
    for w in report.withdrawals:
        click.echo(
            f"  case {w['application_no']} ({w['case_id']}) withdrawn from {w['reviewer']} "
            f"({w['reviewer_id']}) by {w['by']} at {w['at']}"
        )
    click.echo(f"pending conflicts: {len(report.pending_conflicts)}")
    for c in report.pending_conflicts:
        click.echo(
            f"  #{c['id']} ({c.get('kind') or 'version'}) {c['record_table']} {c['record_id']} "
            f"case {c['case_id']} from {c['device_id']}: {c['reason']}"
        )


def main() -> None:
    """Run `inspector-server`."""
    cli()


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the forms as a JSON list.")
@click.pass_context
def feedback(ctx: click.Context, as_json: bool) -> None:
    """Open the enterprises' sealed feedback forms (反馈表) with the office's private key.

    A form that does not open (changed, cut, moved to another case, another key) is listed
    with the reason.
    """
    import json

    from sync.server.feedback import opened_feedback

    with office_storage(ctx, KeyFileError) as storage:
        forms = opened_feedback(storage, ctx.obj["data"])
    if as_json:
        click.echo(json.dumps([f.as_json() for f in forms], ensure_ascii=False))
        return
    click.echo(f"feedback forms: {len(forms)}")
    for f in forms:
        head = f"  {f.record_id} case {f.case_id} stage {f.stage} sealed {f.sealed_at}"
        if f.problem:
            click.echo(f"{head}: DOES NOT OPEN: {f.problem}")
            continue
        answers = f.answers
        click.echo(
            f"{head}: {answers.get('respondent', '')}, {answers.get('satisfaction', '')}; "
            + ", ".join(f"{k}={v}" for k, v in sorted(answers.get("answers", {}).items()))
        )
        if answers.get("free_text"):
            click.echo(f"    {answers['free_text']}")
