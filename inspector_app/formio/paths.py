"""Where the shipped forms and their JSON Schema are: package data, read via importlib.resources.

The top-level `forms/` folder of the project is the package `inspector_app.shipped_forms`
(pyproject.toml maps it), so a wheel carries the forms inside the app and an editable install
reads them from the checkout. What these functions return is a `Traversable`: read it with
`read_bytes()`/`open()`, and use `importlib.resources.as_file` where a real path is needed.

The installer (PyInstaller, `build_installer.py`) must bundle the package
`inspector_app.shipped_forms` with its data, e.g. `--collect-all inspector_app.shipped_forms`
(nothing imports it, so it is collected by name); PyInstaller's importer then serves
importlib.resources from the bundle.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

SHIPPED_FORMS_PACKAGE = "inspector_app.shipped_forms"


def shipped_forms() -> Traversable:
    """Return the folder of the shipped forms (`forms/` in the project) as a Traversable.

    Raises:
        ModuleNotFoundError: The app is installed without its forms (a packaging bug).
    """
    try:
        return files(SHIPPED_FORMS_PACKAGE)
    except ModuleNotFoundError:
        # The source tree put on sys.path by hand (PYTHONPATH) rather than installed: the mapping
        # in pyproject.toml is not in effect then, but `forms/` is right beside the package.
        source_tree = Path(__file__).resolve().parents[2] / "forms"
        if (source_tree / "__init__.py").is_file():
            return source_tree
        raise


def form_schema() -> Traversable:
    """Return the JSON Schema of form files (`forms/schema/checklist-form.schema.json`)."""
    return shipped_forms() / "schema" / "checklist-form.schema.json"
