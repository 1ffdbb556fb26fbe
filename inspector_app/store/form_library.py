"""The checklist forms installed in a workspace (table `checklist_form`).

Each (form id, version) is installed once and never changes afterwards: a case keeps the version
it started with, so a newer version is installed beside the older one, never over it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from inspector_app.core.forms.model import ChecklistForm, FormError
from inspector_app.core.forms.reader import form_from_dict
from inspector_app.formio.jsonfile import canonical_json
from inspector_app.formio.shipped import load_shipped_forms
from inspector_app.store.errors import WorkspaceError, storage_errors
from inspector_app.store.sql import fetch_one

TABLE = "checklist_form"


class FormLibraryError(WorkspaceError):
    """A form cannot be installed or found in the workspace; the message says which and why."""


def _sha256(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _row(db: Database, form_id: str, version: int) -> dict[str, object] | None:
    return fetch_one(
        db,
        f"SELECT form_id, version, title, sha256 FROM {TABLE} WHERE form_id = ? AND version = ?",
        [form_id, version],
    )


def _form_of(db: Database, row: dict[str, object]) -> ChecklistForm:
    """Rebuild a stored form; a damaged row is a known storage problem, not a crash.

    Parsed forms are kept by the SHA-256 of their content: an installed version never changes,
    and a checklist result is checked against its form hundreds of times during a review.
    """
    digest = str(row["sha256"])
    cached = _PARSED.get(digest)
    if cached is not None:
        return cached
    found = fetch_one(
        db,
        f"SELECT body FROM {TABLE} WHERE form_id = ? AND version = ?",
        [row["form_id"], row["version"]],
    )
    body = str(found["body"]) if found else ""
    where = f"核查表 {row['form_id']} 第 {row['version']} 版"
    if _sha256(body) != digest:
        raise FormLibraryError(
            f"工作区中的{where}内容与其校验值不符，可能已被改动或损坏。"
            "请从备份恢复工作区，或联系技术支持。"
        )
    try:
        form = form_from_dict(json.loads(body))
    except (ValueError, FormError) as error:
        raise FormLibraryError(f"工作区中的{where}无法读取：{error}") from error
    if len(_PARSED) >= _PARSED_LIMIT:
        _PARSED.clear()
    _PARSED[digest] = form
    return form


_PARSED: dict[str, ChecklistForm] = {}
_PARSED_LIMIT = 64


def forget_parsed_forms() -> None:
    """Drop the parsed forms kept in memory (as a new session starts without them)."""
    _PARSED.clear()


def install_form(db: Database, form: ChecklistForm, now: datetime | None = None) -> bool:
    """Install one version of a form in the workspace.

    Args:
        db: The workspace database.
        form: The form to install.
        now: The installation time (UTC); read from the clock when not given.

    Returns:
        True when it was installed, False when this id and version was already installed with
        identical content.

    Raises:
        FormLibraryError: The same id and version is installed with different content; a form
            version never changes once installed, so the new content needs a new version number.
    """
    body = canonical_json(form)
    digest = _sha256(body)
    installed_at = (now or datetime.now(UTC)).isoformat()
    with storage_errors(), db.atomic():
        existing = _row(db, form.form_id, form.version)
        if existing is not None:
            if existing["sha256"] == digest:
                return False
            next_version = (latest_version(db, form.form_id) or 0) + 1
            raise FormLibraryError(
                f"工作区已安装核查表 {form.form_id} 第 {form.version} 版，但内容与要安装的不同。"
                "已安装的版本保持不变（案件可能正在使用它）。"
                f"如果这是修订后的核查表，请把版本号改为 {next_version} 或更高后再安装。"
            )
        db.execute(
            f"INSERT INTO {TABLE} (form_id, version, title, body, sha256, installed_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [form.form_id, form.version, form.title, body, digest, installed_at],
        )
    return True


def get_form(db: Database, form_id: str, version: int) -> ChecklistForm:
    """Return the installed form with this id and version.

    Raises:
        FormLibraryError: It is not installed (the message names the id, the version and the
            versions that are installed), or its stored content is damaged.
    """
    with storage_errors():
        row = _row(db, form_id, version)
        if row is None:
            versions = [
                r["version"]
                for r in db.query(
                    f"SELECT version FROM {TABLE} WHERE form_id = ? ORDER BY version", [form_id]
                )
            ]
            known = (
                f"已安装的版本：{'、'.join(str(v) for v in versions)}。"
                if versions
                else "工作区中没有这张核查表的任何版本。"
            )
            raise FormLibraryError(
                f"工作区未安装核查表 {form_id} 第 {version} 版；{known}"
                "请导入该版本的核查表文件（inspector forms import 或随案件文件导入）。"
            )
    return _form_of(db, row)


def latest_version(db: Database, form_id: str) -> int | None:
    """Return the highest installed version of a form, or None when none is installed."""
    with storage_errors():
        rows = list(db.query(f"SELECT max(version) AS v FROM {TABLE} WHERE form_id = ?", [form_id]))
    value = rows[0]["v"] if rows else None
    return int(value) if value is not None else None


def list_forms(db: Database) -> list[ChecklistForm]:
    """Return every installed form version, sorted by form id, then version."""
    with storage_errors():
        rows = list(
            db.query(
                f"SELECT form_id, version, title, body, sha256 FROM {TABLE} "
                "ORDER BY form_id, version"
            )
        )
    return [_form_of(db, row) for row in rows]


def install_shipped_forms(
    db: Database, now: datetime | None = None, folder: Path | None = None
) -> int:
    """Install the forms shipped with the app that the workspace does not have yet.

    Args:
        db: The workspace database.
        now: The installation time (UTC); read from the clock when not given.
        folder: Where the shipped forms are (default: the app's `forms/` folder).

    Returns:
        How many form versions were newly installed.

    Raises:
        FormLibraryError: A shipped form clashes with an installed one of the same id and
            version but different content (the release changed a form without a new version).
    """
    try:
        forms = load_shipped_forms(folder)
    except FormError as error:
        raise FormLibraryError(f"随程序提供的核查表文件有误，请联系技术支持：{error}") from error
    moment = now or datetime.now(UTC)
    return sum(install_form(db, form, moment) for form in forms)
