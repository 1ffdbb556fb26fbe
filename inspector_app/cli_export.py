"""`inspector export …`: the clerk's batch export of the selected cases' documents, with a
manifest (see `inspector_app.reports.export`).

Reads only: the workspace is opened read-only. A problem (the output path is a file, a folder
that cannot be written, a document that cannot be built) is one line on stderr, exit 1; a bad
date or an unknown status is a usage error, exit 2. Every file is written whole or not at all.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from inspector_app.cli_common import services_of, user_errors
from inspector_app.core.model import CaseStatus


def _date_option(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    """Read --since as a calendar day (YYYY-MM-DD); anything else is a usage error."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-05-01."
        ) from None


def _out_folder(_ctx: click.Context, _param: click.Parameter, value: str) -> Path:
    """Refuse an empty --out (it would silently mean the current folder)."""
    if not value.strip():
        raise click.BadParameter("the folder is empty; name the folder to export to.")
    return Path(value)


@click.command("export", context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(),  # kept as text until checked: Path("") would be the current folder
    callback=_out_folder,
    help="Folder to write the documents and the manifest to (created when missing).",
)
@click.option(
    "--since",
    callback=_date_option,
    metavar="YYYY-MM-DD",
    help="Only cases accepted, concluded or signed off on or after this day (the "
    "regulation's calendar).",
)
@click.option(
    "--status",
    type=click.Choice([status.value for status in CaseStatus]),
    help="Only cases with this status.",
)
@click.pass_context
@user_errors
def export(ctx: click.Context, out: Path, since: date | None, status: str | None) -> None:
    """Export the documents of the selected cases (all by default) to a folder, with
    predictable names (application number_enterprise_document.pdf) and a manifest
    (manifest.json, manifest.csv) giving each file's size and SHA-256. Running it again on
    the same day changes nothing: only files whose content differs are written.

    Example: inspector export --out exported --since 2026-05-01 --status signed_off
    """
    from inspector_app.reports.export import MANIFEST_CSV, MANIFEST_JSON, export_cases

    services = services_of(ctx, write=False)
    summary = export_cases(
        services.workspace,
        out,
        now=services.clock(),
        since=since,
        status=status,
        queries=services.queries,
    )
    click.echo(
        f"已导出 {summary.cases} 件案件的 {len(summary.files)} 个文件到 {out}"
        f"（新写入或更新 {summary.written} 个，未变 {summary.unchanged} 个）；"
        f"清单 {MANIFEST_JSON}、{MANIFEST_CSV}"
    )
