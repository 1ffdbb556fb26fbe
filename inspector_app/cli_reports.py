"""`inspector report …`: print one document of a case (or the whole case) to a PDF file.

Reads only: the workspace is opened read-only. A problem (no such case, no Chinese font, a
character no font has, a missing photo, nothing to print) is one line on stderr, exit 1, and
no file is written.
"""

from __future__ import annotations

from pathlib import Path

import click

from inspector_app.cli_common import services_of, user_errors, write_output
from inspector_app.reports.kinds import PRINTABLE, TITLES, DocumentKind


@click.command("report", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("case_id")
@click.option(
    "--document",
    "kind",
    required=True,
    type=click.Choice([kind.value for kind in PRINTABLE]),
    help="Which document: filing (team filing record), declaration (integrity declaration "
    "of each member), onsite (on-site verification report), sampling (sampling and sealing "
    "record), feedback (blank feedback form), full (the whole case, all of them in order).",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="PDF file to write.",
)
@click.pass_context
@user_errors
def report(ctx: click.Context, case_id: str, kind: str, out: Path) -> None:
    """Print a document of one case (by id or application number) to a PDF file: A4,
    Chinese, fonts embedded, each page numbered and marked confidential.

    Example: inspector report XK06-2026-0104 --document full --out case.pdf
    """
    services = services_of(ctx, write=False)
    resolved = services.queries.case_id(case_id)
    from inspector_app.reports.documents import build_document  # reportlab: only when printing

    pdf = build_document(services.workspace, resolved, kind, now=services.clock())
    write_output(out, pdf)
    click.echo(f"已生成{TITLES[DocumentKind(kind)]}：{out}（{len(pdf) // 1024} KB）")
