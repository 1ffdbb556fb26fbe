"""`inspector-server`: the central office's command line (serve, user add, db upgrade).

Every command opens the same storage: `--database-url` (PostgreSQL, e.g.
postgresql://user@host/db, or $INSPECTOR_DATABASE_URL) or, by default, the SQLite file in
`--data DIR`; the attachments are always files in `DIR/attachments`. Opening the storage
migrates the schema to the newest revision.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import click

from sync.protocol import Reviewer
from sync.server.storage import Storage, new_reviewer_id


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data",
    "data",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
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
        return Storage.open(ctx.obj["data"], ctx.obj["database_url"])
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--database-url") from None
    except (SQLAlchemyError, OSError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise click.ClickException(f"cannot open the database: {message}") from None


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8765, show_default=True, type=int, help="Port to listen on.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Serve the sync API (OpenAPI document at /openapi.json) until interrupted."""
    import uvicorn

    from sync.server.app import create_app

    storage = open_storage(ctx)
    try:
        uvicorn.run(create_app(storage), host=host, port=port, log_level="info")
    finally:
        storage.close()


@cli.group()
def user() -> None:
    """The reviewer registry (审查员名册) and its enrollment codes."""


@user.command("add")
@click.argument("name")
@click.option("--unit", required=True, help="The reviewer's unit (单位).")
@click.option("--unit-type", required=True, help="The unit's type.")
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
    """Add a reviewer and print a one-time enrollment code (the last word of the output)."""
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
    storage = open_storage(ctx)
    try:
        code = storage.add_reviewer(person)
    finally:
        storage.close()
    click.echo(f"added {name} (id {person.id}); one-time enrollment code: {code}")


@cli.group()
def db() -> None:
    """The database schema (migrations also run whenever the server opens its storage)."""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Migrate the database to the newest schema and print its revision."""
    from sync.server.migrate import current

    storage = open_storage(ctx)
    try:
        click.echo(f"database at revision {current(storage.engine)} ({storage.dialect})")
    finally:
        storage.close()


def main() -> None:
    """Run `inspector-server`."""
    cli()
