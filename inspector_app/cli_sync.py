"""`inspector enroll` and `inspector sync`: this laptop and the central office (see README,
"Sync")."""

from __future__ import annotations

import json

import click

from inspector_app.cli_common import services_of, user_errors
from inspector_app.cli_identity import ask_passphrase, new_passphrase


@click.command()
@click.option("--server", "server_url", required=True, help="The central office's URL.")
@click.option("--code", required=True, help="The one-time enrollment code from the office.")
@click.pass_context
@user_errors
def enroll(ctx: click.Context, server_url: str, code: str) -> None:
    """Enroll this workspace's device with the central office.

    Trades the one-time code for a device token, kept in the workspace sealed under a key
    derived from your passphrase (asked twice; $INSPECTOR_PASSPHRASE for scripts and tests).
    """
    import httpx

    from sync.client.engine import enroll as enroll_device

    services = services_of(ctx, write=True)
    passphrase = new_passphrase()
    with httpx.Client(base_url=server_url, timeout=30) as http:
        made = enroll_device(
            services.workspace.db,
            http,
            server_url=server_url,
            code=code,
            passphrase=passphrase,
        )
    click.echo(
        f"已登记到 {server_url}：审查员 {made.reviewer.name}（{made.reviewer.unit}，"
        f"id {made.reviewer.id}），设备 {made.device_id}"
    )


@click.command("sync")
@click.option("--json", "as_json", is_flag=True, help="Print what happened as a JSON object.")
@click.pass_context
@user_errors
def sync_command(ctx: click.Context, as_json: bool) -> None:
    """Send the queued changes to the central office, then fetch what changed there.

    Asks the passphrase that protects the device token ($INSPECTOR_PASSPHRASE for scripts and
    tests). A change leaves the queue only once the office has acknowledged it.
    """
    from inspector_app.store.sync_state import sync_state
    from sync.client.session import NotEnrolled, sync_workspace

    services = services_of(ctx, write=True)
    db = services.workspace.db
    if not sync_state(db).enrolled:  # before asking a passphrase for nothing
        raise NotEnrolled()
    passphrase = ask_passphrase()
    report = sync_workspace(db, passphrase=passphrase, now=services.clock())
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False))
        return
    click.echo(
        f"上传 {report.pushed} 项更改（新 {report.applied}，已有 {report.duplicates}，"
        f"冲突 {len(report.conflicts)}）；下载 {report.pulled} 项更改；"
        f"队列中还有 {report.pending} 项"
    )
    for c in report.conflicts:
        click.echo(f"冲突：{c['mutation_id']}：{c['detail']}")
    if report.attachments:  # sync-pg: attachments go up before the changes that name them
        click.echo(
            f"上传附件 {report.attachments} 个（{report.attachment_bytes / 1048576:.1f} MB，"
            f"断点续传 {report.attachments_resumed} 个）"
        )
