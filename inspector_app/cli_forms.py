"""`inspector forms …`: turn spreadsheets into form files and back, and check form files.

A problem in the user's input prints one line per problem on stderr and exits 1; click's usage
errors exit 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from inspector_app.core.forms.model import ChecklistForm, FormError
from inspector_app.store.errors import WorkspaceError
from inspector_app.store.files import replace_atomically

# The form readers and writers (openpyxl above all) are imported inside the commands: every
# start of the app builds this command group, and none of them needs them.

forms = click.Group(
    "forms",
    help="Checklist forms: import from a spreadsheet, export to one, validate form files.",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _fail(lines: list[str]) -> NoReturn:
    for line in lines:
        click.echo(f"错误：{line}", err=True)
    sys.exit(1)


def _fail_form(error: FormError) -> NoReturn:
    _fail(error.summary().splitlines())


def _out_path(out: Path, suffix: str) -> Path:
    if out.suffix.lower() != suffix:
        raise click.BadParameter(f"输出文件应以 {suffix} 结尾：{out}", param_hint="--out")
    if not out.parent.exists():
        raise click.BadParameter(f"输出文件夹不存在：{out.parent}", param_hint="--out")
    return out


@forms.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Form file (.json) to write.",
)
def import_command(file: Path, out: Path) -> None:
    """Turn the spreadsheet FILE (.xlsx, layout in forms/README.md) into a form file.

    Example: inspector forms import cement-rules.xlsx --out forms/cement.v3.json
    """
    from inspector_app.formio.jsonfile import form_to_json
    from inspector_app.formio.xlsx import import_xlsx

    out = _out_path(out, ".json")
    try:
        form = import_xlsx(file)
    except FormError as error:
        _fail_form(error)
    text = form_to_json(form)
    try:
        replace_atomically(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    except OSError as error:
        _fail([f"{out}：无法写入文件：{error.strerror or error}。"])
    click.echo(f"已写出 {out}：{form.label}，{len(form.sections)} 节 {len(form.items())} 项。")


def _form_for_export(ctx: click.Context, form: str, version: int | None) -> ChecklistForm:
    candidate = Path(form)
    if candidate.suffix.lower() == ".json" and candidate.is_file():
        if version is not None:
            raise click.BadParameter("导出文件时不能再指定 --version", param_hint="--version")
        from inspector_app.formio.jsonfile import load_form_file

        return load_form_file(candidate)
    from inspector_app.cli_common import refuse_undecodable_text
    from inspector_app.store.form_library import get_form, latest_version
    from inspector_app.store.workspace import open_workspace

    refuse_undecodable_text(ctx)  # a form id, not a file: it must be text the store can hold

    obj = ctx.find_root().obj or {}
    if "workspace" not in obj:
        raise click.UsageError("未指定工作区：请用 inspector --workspace 文件夹 forms export …")
    with open_workspace(obj["workspace"], read_only=True) as workspace:
        chosen = version if version is not None else latest_version(workspace.db, form)
        if chosen is None:
            raise WorkspaceError(
                f"工作区中没有核查表「{form}」；如果它是一个文件，请写出完整路径（以 .json 结尾）。"
            )
        return get_form(workspace.db, form, chosen)


@forms.command("export")
@click.argument("form")
@click.option(
    "--version",
    type=click.IntRange(min=1),
    help="Form version (default: the latest in the workspace).",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Spreadsheet (.xlsx) to write.",
)
@click.pass_context
def export_command(ctx: click.Context, form: str, version: int | None, out: Path) -> None:
    """Export the form FORM to a spreadsheet. FORM is a form id in the workspace (read only,
    never created or changed) or a .json form file.

    Example: inspector forms export cement --version 1 --out cement.xlsx
    """
    from inspector_app.formio.xlsx import export_xlsx

    out = _out_path(out, ".xlsx")
    try:
        chosen = _form_for_export(ctx, form, version)
    except FormError as error:
        _fail_form(error)
    except WorkspaceError as error:
        _fail([str(error)])
    try:
        replace_atomically(out, lambda tmp: export_xlsx(chosen, tmp))
    except OSError as error:
        _fail([f"{out}：无法写入文件：{error.strerror or error}。"])
    click.echo(f"已导出 {chosen.label} 到 {out}。")


@forms.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def validate_command(files: tuple[Path, ...]) -> None:
    """Check form files (.json or .xlsx) and report each problem with its place; exit 1 on
    any problem.

    Example: inspector forms validate forms/*.json new-rules.xlsx
    """
    from inspector_app.formio.validate import check_files

    reports = check_files(list(files))
    lines = [line for report in reports for line in report.lines()]
    for report in reports:
        if report.form is not None:
            form = report.form
            click.echo(f"通过：{report.path}（{form.label}，{len(form.items())} 项）")
    if lines:
        bad = sum(1 for r in reports if r.form is None)
        for line in lines:
            click.echo(f"错误：{line}", err=True)
        click.echo(f"{bad} 个文件有问题，共 {len(lines)} 处。", err=True)
        sys.exit(1)
