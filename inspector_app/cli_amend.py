"""`inspector amend CASE_ID --corrects SHA256 --reason TEXT [--text TEXT] --out FILE.pdf`: an
amendment (更正说明) of a signed-off case, issued and signed by its leader (`--user`).

The amendment is a new document naming the signed document it corrects (by SHA-256), the reason
and the correction; the leader signs it with their own passphrase (asked at the terminal without
echo; $INSPECTOR_PASSPHRASE for scripts and tests only). It is stored in the workspace by its
SHA-256 and written to FILE; the signed case and its documents stay as they are. A refusal or a
wrong passphrase stores nothing and writes no file.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from inspector_app.cli_common import services_of, user_errors
from inspector_app.cli_signoff import PASSPHRASE_ENV
from inspector_app.store.attachments import attachment_path
from inspector_app.store.errors import WorkspaceError
from inspector_app.store.files import write_bytes_atomically


def ask_leader() -> str:
    """Return the leader's passphrase: $INSPECTOR_PASSPHRASE (scripts and tests only), else
    asked at the terminal without echo."""
    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    return str(
        click.prompt(
            "请审查组长输入本人口令以签发更正说明（输入时不显示）", hide_input=True, err=True
        )
    )


@click.command("amend", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("case_id")
@click.option(
    "--corrects",
    required=True,
    help="SHA-256 of the signed document this amendment corrects (the signed report, or an "
    "earlier amendment).",
)
@click.option("--reason", required=True, help="Why the correction is made (not empty).")
@click.option("--text", default="", help="What the correction says.")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the signed amendment (PDF).",
)
@click.pass_context
@user_errors
def amend(
    ctx: click.Context, case_id: str, corrects: str, reason: str, text: str, out: Path
) -> None:
    """Issue a signed amendment of a signed-off case (by id or application number), as its
    leader (--user): a new document that names the corrected document by SHA-256, the reason
    and the correction, signed by the leader; it is stored in the workspace and written to
    FILE. Nothing signed is changed.

    Example: inspector --user LEADER_ID amend XK06-2026-0104 --corrects SHA256 --reason TEXT
    --text TEXT --out amendment.pdf
    """
    from inspector_app.reports.amendment import amend_case

    services = services_of(ctx, write=True)
    resolved = services.queries.case_id(case_id)
    result = amend_case(
        services.workspace,
        services.steps(),
        resolved,
        corrects=corrects,
        reason=reason,
        text=text,
        ask=ask_leader,
    )
    signed = result.signed.amendment
    try:
        write_bytes_atomically(out, result.signed.pdf)
    except OSError as error:
        kept = attachment_path(services.workspace, signed.document_sha256)
        raise WorkspaceError(
            f"无法写入 {out}：{error.strerror}。更正说明已签发并保存在工作区（{kept}）。"
        ) from error
    click.echo(
        f"已签发更正说明：更正 {signed.corrects_sha256[:12]}…，保存到 {out} 和工作区"
        f"（SHA-256 {signed.document_sha256}）。"
    )
