"""The forms shipped with the app (`forms/*.json` at the top of the project, package data)."""

from __future__ import annotations

from importlib.resources.abc import Traversable

from inspector_app.core.forms.model import ChecklistForm
from inspector_app.formio.jsonfile import load_form_file
from inspector_app.formio.paths import shipped_forms


def shipped_form_files(folder: Traversable | None = None) -> list[Traversable]:
    """Return the shipped form files (the `*.json` directly in the folder), sorted by name.

    Args:
        folder: Where to look (default: the shipped forms, `inspector_app.formio.paths`).
    """
    where = folder or shipped_forms()
    found = [f for f in where.iterdir() if f.name.endswith(".json") and f.is_file()]
    return sorted(found, key=lambda f: f.name)


def load_shipped_forms(folder: Traversable | None = None) -> list[ChecklistForm]:
    """Load every shipped form, sorted by form id and version.

    Raises:
        FormError: A shipped form is broken (a bug of the release: tests check every one).
    """
    forms = [load_form_file(path) for path in shipped_form_files(folder)]
    return sorted(forms, key=lambda form: (form.form_id, form.version))
