"""`inspector identity …` (a reviewer's signing identity) and `inspector verify FILE.pdf` (the
signatures of a PDF)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from inspector_app.cli_common import read_input_file, services_of, user_errors

PASSPHRASE_ENV = "INSPECTOR_PASSPHRASE"
"""Supplies the passphrase to scripts and tests only; a person is asked at the terminal."""


def new_passphrase() -> str:
    """Return the passphrase for a new identity: $INSPECTOR_PASSPHRASE, else asked twice
    without echo."""
    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    return str(
        click.prompt(
            "请设置口令（输入时不显示）",
            hide_input=True,
            confirmation_prompt="请再输入一次口令",
            err=True,
        )
    )


def ask_passphrase() -> str:
    """Return the passphrase to open an identity: $INSPECTOR_PASSPHRASE, else asked once."""
    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    return str(click.prompt("请输入口令（输入时不显示）", hide_input=True, err=True))


@click.group()
def identity() -> None:
    """Your signing identity: a key pair and a self-issued certificate, the key kept encrypted
    under your passphrase."""


@identity.command("create")
@click.pass_context
@user_errors
def identity_create(ctx: click.Context) -> None:
    """Make a signing identity for the acting reviewer (--user).

    Asks the passphrase twice (or takes $INSPECTOR_PASSPHRASE, for scripts and tests only);
    once when the reviewer already set it on this laptop (at enrollment): the identity then
    shares it with the device's sync token. The OS keyring, when there is one, remembers the
    key derived from it.
    """
    from inspector_app.store.identities import create_identity, get_identity
    from inspector_app.store.profile_keys import load_profile
    from inspector_app.store.secrets import OsKeyring, SessionKeys

    services = services_of(ctx, write=True)
    reviewer = services.acting_reviewer()
    existing = get_identity(services.workspace.db, reviewer.id)
    # Ask only when the passphrase can be used; create_identity refuses a second identity.
    # A reviewer who set a passphrase here already (at enrollment) gives it once.
    passphrase = ""
    if existing is None:
        has_one = load_profile(services.workspace.db, reviewer.id) is not None
        passphrase = ask_passphrase() if has_one else new_passphrase()
    made = create_identity(
        services.workspace.db,
        reviewer,
        passphrase,
        now=services.clock(),
        cache=SessionKeys(OsKeyring()),
    )
    click.echo(
        f"已为 {made.name}（证书编号 {made.certificate_no}，id {made.reviewer_id}）创建签名身份；"
        f"证书指纹 SHA-256 {made.fingerprint}"
    )


@identity.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of text.")
@click.pass_context
@user_errors
def identity_show(ctx: click.Context, as_json: bool) -> None:
    """List the signing identities the workspace knows (certificates only, never keys)."""
    from inspector_app.store.identities import list_identities

    identities = list_identities(services_of(ctx, write=False).workspace.db)
    rows = [
        {
            "reviewer_id": i.reviewer_id,
            "name": i.name,
            "certificate_no": i.certificate_no,
            "certificate_sha256": i.fingerprint,
            "created_at": i.created_at.isoformat(),
        }
        for i in identities
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(
            f"{row['name']}  证书编号 {row['certificate_no']}  id {row['reviewer_id']}  "
            f"指纹 {row['certificate_sha256'][:16]}…  创建于 {row['created_at']}"
        )


@click.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as a JSON object.")
@click.pass_context
@user_errors
def verify(ctx: click.Context, file: Path, as_json: bool) -> None:
    """Verify the signatures of a PDF against the workspace's signing identities.

    Exit 0 only when every signature is intact, valid and trusted and the last one covers the
    whole file; prints each signer, time and meaning. Otherwise one line per problem, exit 1.
    """
    # pyHanko takes about a third of a second to import: not at every start of the app.
    from inspector_app.reports.verify import verify_pdf
    from inspector_app.store.identities import known_certificates

    pdf = read_input_file(file)
    services = services_of(ctx, write=False)
    report = verify_pdf(
        pdf,
        trust_roots=known_certificates(services.workspace.db),
        at=services.clock(),
    )
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        for s in report.signatures:
            mark = "有效" if s.ok else "无效"
            click.echo(
                f"{s.field_name}  {s.meaning}  {s.name}（证书编号 {s.certificate_no}）  "
                f"{s.signed_at or '时间未知'}  {mark}"
            )
        for name in report.unsigned_fields:
            click.echo(f"{name}  尚未签名")
        for problem in report.problems:
            click.echo(f"错误：{file}: {problem}", err=True)
        if report.ok:
            click.echo(
                f"{file}：{len(report.signatures)} 个签名均完好有效，最后一个签名覆盖整个文件。"
            )
    if not report.ok:
        sys.exit(1)
