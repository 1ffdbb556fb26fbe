"""`inspector reviewer …` (the reviewer registry) and `inspector settings …` (workspace
settings such as the regulation's time zone)."""

from __future__ import annotations

import json
from datetime import datetime

import click

from inspector_app.cli_common import services_of, user_errors
from inspector_app.core.model import Reviewer, UnitType, new_id
from inspector_app.labels import UNIT_TYPE_LABELS
from inspector_app.store.codec import to_plain
from inspector_app.store.reviewers import add_reviewer, list_reviewers
from inspector_app.store.settings import SETTINGS, save_setting


@click.group()
def reviewer() -> None:
    """The reviewer registry: who may act in this workspace, by stable id."""


@reviewer.command("add")
@click.option("--name", required=True, help="Display name (two reviewers may share one).")
@click.option("--unit", required=True, help="The reviewer's unit (organisation).")
@click.option(
    "--unit-type",
    required=True,
    type=click.Choice([t.value for t in UnitType]),
    help="Kind of unit.",
)
@click.option("--certificate-no", required=True, help="Reviewer certificate number.")
@click.option(
    "--certificate-expiry",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Last day the certificate is valid (YYYY-MM-DD).",
)
@click.option("--phone", default="", help="Phone number.")
@click.option("--id", "reviewer_id", default=None, help="Id to use (default: a new UUID).")
@click.pass_context
@user_errors
def reviewer_add(
    ctx: click.Context,
    name: str,
    unit: str,
    unit_type: str,
    certificate_no: str,
    certificate_expiry: datetime,
    phone: str,
    reviewer_id: str | None,
) -> None:
    """Add a reviewer to the registry and print the new id.

    Recorded as done by the acting reviewer (--user) when one is named, else by the new
    reviewer (self-registration).
    """
    services = services_of(ctx, write=True)
    new = Reviewer(
        id=reviewer_id or new_id(),
        name=name.strip(),
        unit=unit.strip(),
        unit_type=UnitType(unit_type),
        certificate_no=certificate_no.strip(),
        certificate_expiry=certificate_expiry.date(),
        phone=phone.strip(),
    )
    actor = services.acting_reviewer().actor if services.user else new.actor
    add_reviewer(services.workspace.db, new, actor=actor, now=services.clock())
    click.echo(f"已登记审查员 {new.name}（{new.unit}），id {new.id}")


@reviewer.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
@click.pass_context
@user_errors
def reviewer_list(ctx: click.Context, as_json: bool) -> None:
    """List the reviewers of the registry (same names are told apart by unit and id)."""
    reviewers = list_reviewers(services_of(ctx, write=False).workspace.db)
    if as_json:
        click.echo(json.dumps([to_plain(r) for r in reviewers], ensure_ascii=False, indent=2))
        return
    for r in reviewers:
        click.echo(
            f"{r.name}  {r.unit}（{UNIT_TYPE_LABELS[r.unit_type]}）  证书 {r.certificate_no}"
            f"（有效期至 {r.certificate_expiry.isoformat()}）  {r.id}"
        )


@click.group()
def settings() -> None:
    """Workspace settings (time zone of the regulation's calendar, clock tolerance)."""


@settings.command("show")
@click.pass_context
@user_errors
def settings_show(ctx: click.Context) -> None:
    """Show every setting with its value and what it means."""
    current = services_of(ctx, write=False).settings
    for spec in SETTINGS:
        click.echo(f"{spec.name} = {getattr(current, spec.name)}    # {spec.description}")


# A negative value ("-5") must reach the setting's rule, not be taken for an unknown option.
@settings.command("set", context_settings={"ignore_unknown_options": True})
@click.argument("name")
@click.argument("value")
@click.pass_context
@user_errors
def settings_set(ctx: click.Context, name: str, value: str) -> None:
    """Set a workspace setting (e.g. `settings set time_zone Asia/Shanghai`); needs --user."""
    services = services_of(ctx, write=True)
    actor = services.acting_reviewer().actor
    stored = save_setting(services.workspace.db, name, value, actor=actor, now=services.clock())
    click.echo(f"{name} = {stored}")
