"""The clerk's batch export (批量导出): the documents of the selected cases, with predictable file
names, and a manifest of them.

`export_cases(workspace, out_dir, now=…, since=…, status=…)` is a plain function, to run off the
UI thread as a job: it reports progress and stops between two files when asked to. Running it
again changes nothing: the documents are deterministic, a file is written only when its content
differs, and the manifest is written deterministically (sorted, no time in it).

Every file is written atomically, so an export that stops (an error, a cancel, Ctrl-C, a power
loss) leaves only whole files. The manifest describes the files exactly: before the first file
that changes, the previous manifest is removed, and the new one is written only at the end.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from inspector_app.core.calendar import RegulationCalendar
from inspector_app.core.model import Amendment, CaseStatus, SampleRecord, Signature
from inspector_app.reports.documents import build_document
from inspector_app.reports.errors import ReportError
from inspector_app.reports.fonts import FontSet
from inspector_app.reports.kinds import DocumentKind
from inspector_app.store import records
from inspector_app.store.attachments import SHA256, attachment_path
from inspector_app.store.case_rows import CaseRow
from inspector_app.store.casework import load_case_file
from inspector_app.store.errors import WorkspaceError, storage_errors
from inspector_app.store.files import write_bytes_atomically
from inspector_app.store.queries import Queries
from inspector_app.store.settings import load_settings
from inspector_app.store.sql import fetch_all
from inspector_app.store.workspace import Workspace

MANIFEST_JSON = "manifest.json"
MANIFEST_CSV = "manifest.csv"
MANIFEST_FORMAT = "inspector-export/1"

SIGNED = "signed"
"""The document kind of a signed report (签发报告), exported as stored, never rebuilt."""

AMENDMENT = DocumentKind.AMENDMENT.value
"""The document kind of a signed amendment (更正说明), exported as stored, never rebuilt."""

STORED = (SIGNED, AMENDMENT)
"""The kinds exported byte for byte from the workspace."""

PDF_MEDIA_TYPE = "application/pdf"

FILE_LABELS: dict[str, str] = {
    DocumentKind.FULL.value: "生产许可证实地核查案卷",
    DocumentKind.FILING.value: "审查组备案表",
    DocumentKind.DECLARATION.value: "廉洁承诺书",
    DocumentKind.ONSITE.value: "企业实地核查报告",
    DocumentKind.SAMPLING.value: "抽样单及封样记录",
    SIGNED: "签发报告",
    AMENDMENT: "更正说明",
}
"""The last part of each file name, by document kind (no character a file system refuses)."""

FORBIDDEN = set('/\\:*?"<>|')
"""Characters Windows refuses in a file name (`/` also Linux); each becomes a `-`."""

WINDOWS_DEVICES = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{n}" for n in range(1, 10)),
    *(f"LPT{n}" for n in range(1, 10)),
}

MAX_NAME_CHARS = 100
"""A file name's length at most, in characters: room for the folder within Windows' 260."""

MAX_NAME_BYTES = 200
"""A file name's length at most, in UTF-8 bytes: Linux allows 255, and the atomic write's
temporary file adds a dot, a random part and the suffix."""

MAX_APPLICATION_NO_CHARS = 40
CASE_SUFFIX_CHARS = 8
"""How much of the case id tells apart two cases whose names would otherwise be one."""

CSV_COLUMNS = (
    "case_id",
    "application_no",
    "enterprise",
    "document",
    "title",
    "file",
    "size",
    "sha256",
)

ProgressCallback = Callable[[int, int, str], None]
"""Receives `(done, total, text)`: files done, files planned, the file just handled."""


class ExportError(WorkspaceError):
    """The export cannot go on (the output folder is a file, cannot be created or written, a
    stored signed report is damaged). The message says what was kept."""


class ExportCancelled(Exception):
    """The export was cancelled between two files; `summary` holds what was done."""

    def __init__(self, summary: ExportSummary) -> None:
        super().__init__(
            f"导出已取消：已处理 {len(summary.files)} 个文件，均完整；清单未更新。"
            "重新运行导出即可补全。"
        )
        self.summary = summary


@dataclass(frozen=True)
class ExportedFile:
    """One file of the export, as the manifest lists it."""

    case_id: str
    application_no: str
    enterprise: str
    document: str  # a DocumentKind value, or "signed"
    file: str
    size: int
    sha256: str

    @property
    def title(self) -> str:
        """The document's Chinese name."""
        return FILE_LABELS[self.document]

    def as_json(self) -> dict[str, Any]:
        """Return the manifest entry's plain values."""
        return {
            "case_id": self.case_id,
            "application_no": self.application_no,
            "enterprise": self.enterprise,
            "document": self.document,
            "title": self.title,
            "file": self.file,
            "size": self.size,
            "sha256": self.sha256,
        }


@dataclass(frozen=True)
class ExportSummary:
    """What an export did: every file it holds (sorted by name), how many were (re)written and
    how many were already there with the same content."""

    out_dir: Path
    files: tuple[ExportedFile, ...]
    written: int
    unchanged: int
    cases: int


@dataclass(frozen=True)
class _Planned:
    """A file to export: which case, which document, under which name."""

    row: CaseRow
    kind: str
    base_name: str
    signed_sha256: str = ""
    name: str = ""


# File names -----------------------------------------------------------------------------------


def safe_name_part(text: str, max_chars: int) -> str:
    """Return `text` made safe as part of a file name on Windows and Linux.

    Characters a file system refuses (`/ \\ : * ? " < > |`) become `-`; runs of white space
    (a tab, a line break too) become one space; other control and format characters (NUL, a
    zero-width joiner, a right-to-left override) are left out; spaces, dots, `-` and `_` at
    either end are trimmed (Windows drops trailing dots and spaces, a leading dot hides a
    file, a leading `-` reads as an option). Cut to `max_chars` characters and
    `MAX_NAME_BYTES` UTF-8 bytes. Never empty (`未命名`).
    """
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        if char in FORBIDDEN:
            out.append("-")
        elif char.isspace() or category in ("Zl", "Zp"):
            out.append(" ")
        elif category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        else:
            out.append(char)
    cleaned = _trim(" ".join("".join(out).split()))
    cleaned = _trim(_cut(cleaned, max_chars))
    return cleaned or "未命名"


def _trim(text: str) -> str:
    """Strip what must not begin or end a name part: spaces, dots, and the `-` and `_` that
    would stand at an end (a leading `-` reads as an option to command-line tools)."""
    return text.strip(" .-_")


def _cut(text: str, max_chars: int, max_bytes: int = MAX_NAME_BYTES) -> str:
    text = text[:max_chars]
    while len(text.encode("utf-8")) > max_bytes:
        text = text[:-1]
    return text


def document_file_name(application_no: str, enterprise: str, kind: str) -> str:
    """Return the predictable file name of one document of a case:
    `application number_enterprise_document.pdf`, e.g.
    `XK06-2026-0104_宝胜科技创新股份有限公司_企业实地核查报告.pdf`.

    Safe on Windows and Linux (see `safe_name_part`), at most `MAX_NAME_CHARS` characters and
    `MAX_NAME_BYTES` bytes with room left for the suffix that tells two cases apart; the
    enterprise's name is shortened first.
    """
    label = FILE_LABELS[kind]
    number = safe_name_part(application_no, MAX_APPLICATION_NO_CHARS)
    room = MAX_NAME_CHARS - CASE_SUFFIX_CHARS - 1 - len(f"{number}__{label}.pdf")
    room_bytes = MAX_NAME_BYTES - CASE_SUFFIX_CHARS - 1 - len(f"{number}__{label}.pdf".encode())
    company = _trim(_cut(safe_name_part(enterprise, room), room, room_bytes)) or "未命名"
    name = f"{number}_{company}_{label}.pdf"
    if name.split(".")[0].strip().upper() in WINDOWS_DEVICES:
        name = f"_{name}"  # `NUL.x_…` is the device NUL to Windows
    return name


def _unique_names(planned: list[_Planned]) -> list[_Planned]:
    """Give each file its name; names that two files share (compared as Windows does, without
    case) get the case id's first characters, so each case keeps its names whatever else is
    exported."""
    groups: dict[str, list[int]] = defaultdict(list)
    for n, item in enumerate(planned):
        groups[item.base_name.casefold()].append(n)
    names = [item.base_name for item in planned]
    for members in groups.values():
        if len(members) > 1:
            for n in members:
                stem = names[n].removesuffix(".pdf")
                names[n] = f"{stem}_{planned[n].row.case.id[:CASE_SUFFIX_CHARS]}.pdf"
    seen: set[str] = set()
    out = []
    for item, name in zip(planned, names, strict=True):
        unique, count = name, 1
        while unique.casefold() in seen:  # two documents of one case: never by design
            count += 1
            unique = f"{name.removesuffix('.pdf')}-{count}.pdf"
        seen.add(unique.casefold())
        out.append(_Planned(item.row, item.kind, item.base_name, item.signed_sha256, unique))
    return out


# Selection ------------------------------------------------------------------------------------


def case_selected(
    row: CaseRow,
    *,
    since: date | None,
    status: CaseStatus | None,
    calendar: RegulationCalendar,
    signed_on: Iterable[date] = (),
) -> bool:
    """Return whether an export with these filters takes the case.

    `since` takes a case with anything to report on or after that day (the regulation's
    calendar): accepted, concluded or signed off on or after it. So a clerk who exports every
    Monday with `--since` last Monday gets the new cases and those that moved on.
    """
    case = row.case
    if status is not None and case.status != status:
        return False
    if since is None:
        return True
    days = [case.accepted_on, *signed_on]
    if case.concluded_at is not None:
        days.append(calendar.day_of(case.concluded_at))
    return any(day >= since for day in days)


def _stored_signed_reports(workspace: Workspace, signatures: Iterable[Signature]) -> list[str]:
    """Return the SHA-256 of each signed report a case's signatures point at and the workspace
    holds as a PDF attachment, in signing order; others are left out."""
    ordered = sorted(signatures, key=lambda s: (s.signed_at, s.id))
    return _stored_pdfs(workspace, [s.document_sha256 for s in ordered])


def _stored_pdfs(workspace: Workspace, hashes: Iterable[str]) -> list[str]:
    """Return those of `hashes` (in their order, once each) that the workspace holds as a PDF
    attachment."""
    found: list[str] = []
    for digest in hashes:
        if not SHA256.match(digest) or digest in found:
            continue
        rows = fetch_all(
            workspace.db, "SELECT media_type FROM attachment WHERE sha256 = ?", [digest]
        )
        stored = bool(rows) and rows[0]["media_type"] == PDF_MEDIA_TYPE
        if stored and attachment_path(workspace, digest).is_file():
            found.append(digest)
    return found


def _plan(
    workspace: Workspace,
    rows: list[CaseRow],
    calendar: RegulationCalendar,
    since: date | None,
    status: CaseStatus | None,
) -> tuple[list[_Planned], int]:
    """Return the files to export (named) and the number of cases selected."""
    db = workspace.db
    planned: list[_Planned] = []
    cases = 0
    for row in sorted(rows, key=lambda r: (r.case.application_no, r.case.id)):
        if status is not None and row.case.status != status:
            continue
        signatures = records.load_for_case(db, Signature, row.case.id)
        amendments = records.load_for_case(db, Amendment, row.case.id, "issued_at, id")
        signed_on = [calendar.day_of(s.signed_at) for s in signatures]
        signed_on += [calendar.day_of(a.issued_at) for a in amendments]
        if not case_selected(
            row, since=since, status=status, calendar=calendar, signed_on=signed_on
        ):
            continue
        cases += 1
        state = load_case_file(db, row.case.id, team_only=True)
        kinds = [DocumentKind.FULL.value]
        if state.filings:
            kinds.append(DocumentKind.FILING.value)
        if state.declarations:
            kinds.append(DocumentKind.DECLARATION.value)
        if row.case.review_started_at is not None:
            kinds.append(DocumentKind.ONSITE.value)
        if records.load_for_case(db, SampleRecord, row.case.id):
            kinds.append(DocumentKind.SAMPLING.value)
        for kind in kinds:
            name = document_file_name(row.case.application_no, row.enterprise, kind)
            planned.append(_Planned(row, kind, name))
        for n, digest in enumerate(_stored_signed_reports(workspace, signatures), start=1):
            name = document_file_name(row.case.application_no, row.enterprise, SIGNED)
            if n > 1:  # a later signed document (an amendment) after the first
                name = f"{name.removesuffix('.pdf')}-{n}.pdf"
            planned.append(_Planned(row, SIGNED, name, digest))
        stored = _stored_pdfs(workspace, [a.document_sha256 for a in amendments])
        for n, digest in enumerate(stored, start=1):
            name = document_file_name(row.case.application_no, row.enterprise, AMENDMENT)
            if n > 1:  # the second amendment and later, in the order they were issued
                name = f"{name.removesuffix('.pdf')}-{n}.pdf"
            planned.append(_Planned(row, AMENDMENT, name, digest))
    return _unique_names(planned), cases


# Writing --------------------------------------------------------------------------------------


def _prepare_folder(out_dir: Path) -> None:
    """Make sure the output folder exists and takes files, before anything is built."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir} 是一个文件，不是文件夹。没有写出任何文件。请另选导出文件夹。")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=out_dir, prefix=".inspector-export-probe-")
        os.close(fd)
        os.unlink(probe)
    except OSError as error:
        raise ExportError(
            f"无法写入导出文件夹 {out_dir}：{error.strerror or error}。没有写出任何文件。"
            "请选择可写的文件夹。"
        ) from error


class _Writer:
    """Writes the files whose content differs; removes the stale manifest before the first."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.written = 0  # documents written so far, for the message of a failure
        self._manifest_dropped = False

    def put(self, name: str, data: bytes) -> bool:
        """Write `data` to the file `name` unless it holds them; return whether it wrote."""
        path = self.out_dir / name
        try:
            if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
                return False
            if not self._manifest_dropped:
                for manifest in (MANIFEST_JSON, MANIFEST_CSV):
                    if name != manifest:
                        (self.out_dir / manifest).unlink(missing_ok=True)
                self._manifest_dropped = True
            write_bytes_atomically(path, data)
        except OSError as error:
            raise ExportError(
                f"无法写入 {path}：{error.strerror or error}。已写出的 {self.written} 个文件完整，"
                "清单未更新；解决后重新运行导出。"
            ) from error
        return True


def manifest_json(files: Iterable[ExportedFile], selection: dict[str, str | None]) -> bytes:
    """Return the JSON manifest's bytes (UTF-8, sorted by file name, no time in it)."""
    document = {
        "format": MANIFEST_FORMAT,
        "selection": selection,
        "files": [f.as_json() for f in sorted(files, key=lambda f: f.file)],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _csv_cell(value: object) -> object:
    """A text cell that a spreadsheet would take for a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return f"'{value}"
    return value


def manifest_csv(files: Iterable[ExportedFile]) -> bytes:
    """Return the CSV manifest's bytes: UTF-8 with a BOM (so Excel reads the Chinese), CRLF
    line ends, one row per file sorted by file name. A text starting like a formula (`=`, `+`,
    `-`, `@`) is written with a leading `'`, so a spreadsheet never runs it; the JSON manifest
    keeps every value as it is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for f in sorted(files, key=lambda f: f.file):
        writer.writerow([_csv_cell(f.as_json()[column]) for column in CSV_COLUMNS])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def export_cases(
    workspace: Workspace,
    out_dir: Path,
    *,
    now: datetime,
    since: date | None = None,
    status: CaseStatus | str | None = None,
    queries: Queries | None = None,
    progress: ProgressCallback | None = None,
    cancelled: Callable[[], bool] | None = None,
    fonts: FontSet | None = None,
) -> ExportSummary:
    """Export the documents of the selected cases to `out_dir`, with a manifest.

    Per case: the whole case (`full`), and where they exist the team filing, the integrity
    declarations, the on-site report (once the review started) and the sampling record; for a
    signed-off case, its signed report when the workspace holds it (the PDF attachment a
    signature's `document_sha256` names), exported byte for byte. Then `manifest.json` and
    `manifest.csv` (see `manifest_json`, `manifest_csv`).

    Args:
        workspace: the open workspace (read only).
        out_dir: the folder to write to; created when missing.
        now: the clock's reading; its day on the regulation's calendar decides the late marks,
            so an export on the same day gives byte-identical files.
        since: only cases accepted, concluded or signed off on or after this day.
        status: only cases with this status (`CaseStatus` or its value).
        queries: the queries to select the cases with (default: built over `workspace`, as of
            `now`).
        progress: called with `(done, total, file name)` after each file, and `(0, total, "")`
            once the files are planned.
        cancelled: asked before each file; when it returns True, the export stops there.
        fonts: the fonts for the documents (default: found on this machine).

    Returns:
        What was exported, sorted by file name.

    Raises:
        ExportError: the output folder is a file or cannot be written; a stored signed report
            does not match its hash.
        ExportCancelled: `cancelled()` said so; every file written is whole, the manifest not
            written.
        ReportError: a document cannot be built (no Chinese font, a character no font has, a
            missing photo); the message names the case and the document.
        WorkspaceError: a known storage problem of the workspace.
    """
    status = CaseStatus(status) if status is not None else None
    if queries is None:
        queries = Queries(workspace.db, load_settings(workspace.db).calendar, lambda: now)
    _prepare_folder(out_dir)
    with storage_errors():
        rows = queries.case_rows(alerts=False)
        planned, cases = _plan(workspace, rows, queries.calendar, since, status)
    total = len(planned)
    if progress is not None:
        progress(0, total, "")
    writer = _Writer(out_dir)
    done: list[ExportedFile] = []

    def summary() -> ExportSummary:
        files = tuple(sorted(done, key=lambda f: f.file))
        return ExportSummary(out_dir, files, writer.written, len(files) - writer.written, cases)

    for n, item in enumerate(planned, start=1):
        if cancelled is not None and cancelled():
            raise ExportCancelled(summary())
        if fonts is None and item.kind not in STORED:
            fonts = FontSet()  # found once, not for every document
        data = _content(workspace, item, now, fonts)
        if writer.put(item.name, data):
            writer.written += 1
        case = item.row.case
        done.append(
            ExportedFile(
                case.id,
                case.application_no,
                item.row.enterprise,
                item.kind,
                item.name,
                len(data),
                hashlib.sha256(data).hexdigest(),
            )
        )
        if progress is not None:
            progress(n, total, item.name)
    if cancelled is not None and cancelled():
        raise ExportCancelled(summary())
    selection = {
        "since": since.isoformat() if since else None,
        "status": status.value if status else None,
    }
    writer.put(MANIFEST_JSON, manifest_json(done, selection))
    writer.put(MANIFEST_CSV, manifest_csv(done))
    return summary()


def _content(workspace: Workspace, item: _Planned, now: datetime, fonts: FontSet | None) -> bytes:
    """Return the bytes of one planned file: a built document, or a stored signed report."""
    case = item.row.case
    if item.kind in STORED:
        path = attachment_path(workspace, item.signed_sha256)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise ExportError(
                f"无法读取案件 {case.application_no} 的{FILE_LABELS[item.kind]} {path}："
                f"{error.strerror}。"
                "已写出的文件均完整，清单未更新。"
            ) from error
        if hashlib.sha256(data).hexdigest() != item.signed_sha256:
            raise ExportError(
                f"案件 {case.application_no} 的{FILE_LABELS[item.kind]}文件已损坏"
                "（内容与记录的 SHA-256 不符）："
                f"{path}。已写出的文件均完整，清单未更新。请从备份恢复该文件。"
            )
        return data
    try:
        return build_document(workspace, case.id, item.kind, now=now, fonts=fonts)
    except ReportError as error:
        raise ReportError(
            error.rule,
            f"案件 {case.application_no} 的{FILE_LABELS[item.kind]}无法生成，导出已停止"
            f"（已写出的文件均完整，清单未更新）：{error.problems[0].message}",
        ) from error
