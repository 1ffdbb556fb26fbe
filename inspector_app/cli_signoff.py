"""`inspector signoff CASE_ID --out FILE.pdf`: the sign-off ceremony (签发) from the command
line, done by the leader (`--user`).

Each filed member signs the on-site report in turn, the leader last: the command asks each
signer's own passphrase at the terminal, without echo (with $INSPECTOR_PASSPHRASE set, that
one passphrase is used for every signer: for scripts and tests only). The signed report is
stored in the workspace by its SHA-256, the case is locked, and the PDF is written to FILE
(atomically). A refusal, a wrong passphrase or a change of the case during the ceremony
stores nothing and writes no file.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from inspector_app.cli_common import services_of, user_errors
from inspector_app.core.signoff import SignerSlot
from inspector_app.store.attachments import attachment_path
from inspector_app.store.errors import WorkspaceError
from inspector_app.store.files import write_bytes_atomically

PASSPHRASE_ENV = "INSPECTOR_PASSPHRASE"


def ask_signer(slot: SignerSlot) -> str:
    """Return a signer's passphrase: $INSPECTOR_PASSPHRASE (scripts and tests only), else
    asked at the terminal without echo, naming the signer so that the right person types."""
    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    member = slot.member
    return str(
        click.prompt(
            f"请 {member.name}（{member.unit}，证书编号 {member.certificate_no}）"
            f"输入本人口令以{slot.meaning}（输入时不显示）",
            hide_input=True,
            err=True,
        )
    )


@click.command("signoff", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("case_id")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the signed on-site report (PDF).",
)
@click.pass_context
@user_errors
def signoff(ctx: click.Context, case_id: str, out: Path) -> None:
    """Sign a case off (by id or application number), as its leader (--user): every filed
    member signs the on-site report in turn with their own passphrase, the leader last; the
    signed report is stored in the workspace and written to FILE, and the case is locked.

    Example: inspector --user LEADER_ID signoff XK08-2026-0203 --out signed.pdf
    """
    from inspector_app.reports.signoff import sign_off_case

    services = services_of(ctx, write=True)
    resolved = services.queries.case_id(case_id)
    result = sign_off_case(services.workspace, services.steps(), resolved, ask_signer)
    report = result.report
    for signature, slot in zip(report.signatures, result.snapshot.signers, strict=True):
        click.echo(
            f"{slot.meaning}：{slot.member.name}（证书编号 {slot.member.certificate_no}）"
            f"  {signature.signed_at.isoformat(timespec='seconds')}"
        )
    try:
        write_bytes_atomically(out, report.pdf)
    except OSError as error:
        kept = attachment_path(services.workspace, report.sha256)
        raise WorkspaceError(
            f"无法写入 {out}：{error.strerror}。本案已签发，签名的报告已保存在工作区（{kept}）。"
        ) from error
    click.echo(
        f"已签发：{len(report.signatures)} 人签字，签名的核查报告已保存到 {out} 和工作区"
        f"（SHA-256 {report.sha256}）。"
    )
