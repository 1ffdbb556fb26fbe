"""Where the shipped forms and their JSON Schema live, from a checkout or an installer bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def shipped_forms_dir() -> Path:
    """Return the folder of the shipped forms: beside the package, or in the installer bundle.

    The installer (PyInstaller) must bundle the top-level `forms/` folder as data named `forms`.
    """
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "forms"
    return Path(__file__).resolve().parents[2] / "forms"


def schema_path() -> Path:
    """Return the path of the JSON Schema of form files."""
    return shipped_forms_dir() / "schema" / "checklist-form.schema.json"
