"""The forms shipped with the app (`forms/*.json` at the top of the project)."""

from __future__ import annotations

from pathlib import Path

from inspector_app.core.forms import ChecklistForm
from inspector_app.formio.jsonfile import load_form_file
from inspector_app.formio.paths import shipped_forms_dir


def shipped_form_files(folder: Path | None = None) -> list[Path]:
    """Return the shipped form files, sorted by name."""
    return sorted((folder or shipped_forms_dir()).glob("*.json"))


def load_shipped_forms(folder: Path | None = None) -> list[ChecklistForm]:
    """Load every shipped form, sorted by form id and version.

    Raises:
        FormError: A shipped form is broken (a bug of the release: tests check every one).
    """
    forms = [load_form_file(path) for path in shipped_form_files(folder)]
    return sorted(forms, key=lambda form: (form.form_id, form.version))
