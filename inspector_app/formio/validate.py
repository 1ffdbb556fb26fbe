"""Checking form files (JSON or xlsx) and reporting every problem with its place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from inspector_app.core.forms.model import ChecklistForm, FormError, FormProblem
from inspector_app.formio.jsonfile import canonical_json, load_form_file
from inspector_app.formio.xlsx.reader import import_xlsx


@dataclass(frozen=True)
class FileReport:
    """What checking one file found: the form when it is valid, else the problems."""

    path: Path
    form: ChecklistForm | None
    problems: tuple[FormProblem, ...]

    def lines(self) -> list[str]:
        """Return one line per problem: "file：place：message"."""
        return [f"{self.path}：{problem}" for problem in self.problems]


def load_any(path: Path, *, check_schema: bool = True) -> ChecklistForm:
    """Read a form from a JSON file or a spreadsheet, chosen by the file's extension.

    A JSON file is also checked against the published JSON Schema unless told otherwise.

    Raises:
        FormError: The file cannot be read or is not a valid form.
    """
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return import_xlsx(path)
    if suffix == ".json":
        return load_form_file(path, check_schema=check_schema)
    raise FormError(
        [
            FormProblem(
                "form.file_type",
                f"不支持的文件类型「{path.suffix or '无扩展名'}」："
                "核查表应为 .json 或 .xlsx 文件。",
            )
        ],
        str(path),
    )


def check_file(path: Path) -> FileReport:
    """Check one file; never raises for a problem in the file."""
    try:
        return FileReport(path, load_any(path), ())
    except FormError as error:
        return FileReport(path, None, tuple(error.problems))


def check_files(paths: list[Path]) -> list[FileReport]:
    """Check files one by one, then across them: one id and version must mean one content."""
    reports = [check_file(path) for path in paths]
    seen: dict[tuple[str, int], tuple[Path, str]] = {}
    for index, report in enumerate(reports):
        if report.form is None:
            continue
        key = (report.form.form_id, report.form.version)
        body = canonical_json(report.form)
        if key in seen and seen[key][1] != body:
            clash = FormProblem(
                "form.version_clash",
                f"核查表 {key[0]} 第 {key[1]} 版与 {seen[key][0]} 同号但内容不同；"
                "修订后的核查表必须使用新的版本号。",
            )
            reports[index] = FileReport(report.path, None, (clash,))
        else:
            seen.setdefault(key, (report.path, body))
    return reports
