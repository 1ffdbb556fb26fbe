"""`inspector enroll` and `inspector sync`: this laptop and the central office (see README,
"Sync")."""

from __future__ import annotations

import json
import os

import click

from inspector_app.cli_common import services_of, user_errors
from inspector_app.cli_identity import PASSPHRASE_ENV, ask_passphrase, new_passphrase


@click.command()
@click.option("--server", "server_url", required=True, help="The central office's URL.")
@click.option("--code", required=True, help="The one-time enrollment code from the office.")
@click.pass_context
@user_errors
def enroll(ctx: click.Context, server_url: str, code: str) -> None:
    """Enroll this workspace's device with the central office.

    Trades the one-time code for a device token and keeps the enrolled reviewer in the
    registry. The token is kept sealed under that reviewer's passphrase, the same as their
    signing identity: if they have one on this laptop it is asked (unless the OS keyring
    remembers it), otherwise a new one is set (asked twice). $INSPECTOR_PASSPHRASE supplies it
    for scripts and tests.
    """
    import httpx

    from inspector_app.store.secrets import OsKeyring, SessionKeys, check_passphrase_strength
    from sync.client.engine import enroll as enroll_device
    from sync.protocol import Reviewer

    services = services_of(ctx, write=True)
    given = os.environ.get(PASSPHRASE_ENV) or None
    if given is not None:
        check_passphrase_strength(given)  # before the one-time code is used up
    set_up: list[bool] = []

    def ask(person: Reviewer, new: bool) -> str:
        set_up.append(new)
        if given is None:
            click.echo(
                f"{person.name}（{person.unit}）"
                + ("在本机还没有审查员口令，请设置：" if new else "请输入本机的审查员口令："),
                err=True,
            )
        return new_passphrase() if new else ask_passphrase()

    with httpx.Client(base_url=server_url, timeout=30) as http:
        made = enroll_device(
            services.workspace.db,
            http,
            server_url=server_url,
            code=code,
            ask=ask,
            cache=SessionKeys(OsKeyring()),
            attempts=1 if given else 3,
            refused=lambda message: click.echo(f"{message} 请再试一次。", err=True),
            now=services.clock(),
        )
    click.echo(
        f"已登记到 {server_url}：审查员 {made.reviewer.name}（{made.reviewer.unit}，"
        f"id {made.reviewer.id}），设备 {made.device_id}"
    )
    if set_up and set_up[-1]:
        click.echo(f"已为 {made.reviewer.name} 设置本机的审查员口令（签名身份与同步令牌共用）。")


@click.command("sync")
@click.option("--json", "as_json", is_flag=True, help="Print what happened as a JSON object.")
@click.pass_context
@user_errors
def sync_command(ctx: click.Context, as_json: bool) -> None:
    """Send the queued changes to the central office, then fetch what changed there.

    The device token is opened with the enrolled reviewer's passphrase: the key the OS
    keyring remembers, else the passphrase is asked ($INSPECTOR_PASSPHRASE for scripts and
    tests) and the key remembered in the keyring when it has a backend. A change leaves the
    queue only once the office has acknowledged it.
    """
    from inspector_app.store.secrets import OsKeyring, SessionKeys
    from inspector_app.store.sync_state import sync_state
    from sync.client.session import NotEnrolled, sync_workspace

    services = services_of(ctx, write=True)
    db = services.workspace.db
    if not sync_state(db).enrolled:  # before asking a passphrase for nothing
        raise NotEnrolled()
    report = sync_workspace(
        db, ask=ask_passphrase, cache=SessionKeys(OsKeyring()), now=services.clock()
    )
    if as_json:
        click.echo(json.dumps(report.as_json(), ensure_ascii=False))
        return
    for note in report.notes:
        click.echo(note)
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
    if report.applied_down or report.conflicts_down or report.waiting:
        click.echo(
            f"本机采用 {report.applied_down} 项中心的版本；新的冲突 {report.conflicts_down} 项"
            "（inspector conflicts 查看）"
        )
    for held in report.held:
        click.echo(f"中心拒收（该案件未分配给您，更改仍在队列中，请联系中心分配）：{held}")
    for case_id in report.reassigned:
        click.echo(f"案件 {case_id} 已由省局重新分配给您，可以继续审查；暂存的更改已上传。")
    for w in report.withdrawn:
        click.echo(
            f"案件 {w['application_no'] or w['case_id']} 已于 {w['withdrawn_at']} 由省局撤回"
            f"（不再分配给您）：本机保留全部记录，只读；{w['held']} 项更改暂存不上传"
            "（held: case withdrawn），重新分配后自动上传。"
        )
    if report.registry_held:  # the registry is the office's (issue 9)
        names = "、".join(h["name"] or h["reviewer_id"] for h in report.registry_held)
        click.echo(
            f"审查员名录由中心维护：本机在登记前新增的审查员（{names}）"
            f"共 {len(report.registry_held)} 项更改暂存不上传（held: registry kept by the "
            "central office），不影响其他更改；如需使用，请中心用 inspector-server user add 登记。"
        )
    if report.server_conflicts:
        click.echo(f"中心新报告的冲突 {report.server_conflicts} 项（inspector conflicts 查看）")
    for waiting in report.waiting:
        click.echo(f"暂未采用（下次同步再试）：{waiting}")
    if report.attachments_down or report.attachments_not_yet:  # attachments down (issue 9)
        click.echo(
            f"下载附件 {report.attachments_down} 个"
            f"（{report.attachment_bytes_down / 1048576:.1f} MB，"
            f"断点续传 {report.attachments_down_resumed} 个）；"
            f"尚未传到中心、下次同步再取 {report.attachments_not_yet} 个"
        )
    for refused in report.attachments_refused:
        click.echo(f"附件未保存：{refused}")


# --- conflicts (issue 9) --------------------------------------------------------------------


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the conflicts as a JSON list.")
@click.option("--all", "include_resolved", is_flag=True, help="Include the resolved ones.")
@click.pass_context
@user_errors
def conflicts(ctx: click.Context, as_json: bool, include_resolved: bool) -> None:
    """List sync conflicts with both versions: those found here when applying a sync, and
    those the central office reported (fetched by `inspector sync`)."""
    if ctx.invoked_subcommand is not None:
        return
    from inspector_app.store.conflicts import list_conflicts

    services = services_of(ctx, write=False)
    found = list_conflicts(services.workspace.db, include_resolved=include_resolved)
    if as_json:
        click.echo(json.dumps([c.as_json() for c in found], ensure_ascii=False))
        return
    if not found:
        click.echo("没有待处理的同步冲突。")
    origin = {"pull": "本机同步时发现", "server": "中心报告"}
    for c in found:
        click.echo(
            f"#{c.id} {c.record_table} {c.record_id}（案件 {c.case_id or '—'}，"
            f"{origin.get(c.origin, c.origin)}）：{c.reason}"
        )
        for name, version, record in (
            ("现行版本 current", c.current_version_id, c.current),
            ("另一版本 other", c.other_version_id, c.other),
        ):
            text = json.dumps(record, ensure_ascii=False, sort_keys=True)
            click.echo(f"  {name} {version}: {text}")
        if c.resolved_at:
            click.echo(f"  已处理 {c.resolved_at}，新版本 {c.resolution_version_id}")
        elif c.kind == "rule":  # the refused version kept as it is would be refused again
            offered = "可采用中心的版本（--keep current），或" if c.choices else "请"
            click.echo(f"  违反规则被中心拒收：{offered}在案件中改正该记录后同步。")


@conflicts.command("resolve")
@click.argument("conflict_id", type=int)
@click.option(
    "--keep",
    required=True,
    type=click.Choice(["current", "other"]),
    help="Which version to keep: current (in force) or other (kept apart).",
)
@click.pass_context
@user_errors
def conflicts_resolve(ctx: click.Context, conflict_id: int, keep: str) -> None:
    """Settle a conflict (the case's leader only): the kept version becomes a new version
    made from both, queued for the central office."""
    from inspector_app.store.conflicts import resolve_conflict
    from inspector_app.store.settings import device_id

    services = services_of(ctx, write=True)
    db = services.workspace.db
    saved = resolve_conflict(
        db,
        conflict_id,
        keep,
        actor=services.acting_reviewer().actor,
        now=services.clock(),
        device=device_id(db),
    )
    click.echo(
        f"冲突 #{conflict_id} 已处理：{saved.table} {saved.record_id} 新版本 {saved.version_id}"
        "，下次同步时上传。"
    )
