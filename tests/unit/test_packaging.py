"""The shipped forms are package data, and pyproject.toml lists every package of the app."""

from __future__ import annotations

import tomllib
import zipfile
from pathlib import Path

from inspector_app.formio.jsonfile import load_form_file
from inspector_app.formio.paths import form_schema, shipped_forms
from inspector_app.formio.shipped import load_shipped_forms, shipped_form_files

ROOT = Path(__file__).resolve().parents[2]


def _setuptools_config() -> dict[str, object]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    config: dict[str, object] = data["tool"]["setuptools"]
    return config


def test_every_package_folder_is_listed_in_pyproject() -> None:
    config = _setuptools_config()
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("inspector_app", "sync")
        for init in (ROOT / top).rglob("__init__.py")
    }
    shipped = {"inspector_app.shipped_forms", "inspector_app.shipped_forms.schema"}
    assert found | shipped == set(config["packages"])  # type: ignore[arg-type]


def test_top_level_forms_folder_is_the_shipped_forms_package() -> None:
    config = _setuptools_config()
    assert config["package-dir"] == {"inspector_app.shipped_forms": "forms"}
    data = config["package-data"]
    assert data["inspector_app.shipped_forms"] == ["*.json"]  # type: ignore[index]
    assert data["inspector_app.shipped_forms.schema"] == ["*.json"]  # type: ignore[index]
    assert (ROOT / "forms" / "README.md").is_file()
    assert (ROOT / "forms" / "__init__.py").is_file()


def test_shipped_forms_and_schema_are_read_as_resources() -> None:
    names = [f.name for f in shipped_form_files()]
    assert names == sorted(p.name for p in (ROOT / "forms").glob("*.json"))
    assert {"cement.v1.json", "cement.v2.json", "general-onsite.v1.json"} <= set(names)
    assert form_schema().is_file()
    assert (shipped_forms() / "schema" / "checklist-form.schema.json").read_bytes() == (
        ROOT / "forms" / "schema" / "checklist-form.schema.json"
    ).read_bytes()


def test_shipped_forms_load_from_a_zip_as_well(tmp_path: Path) -> None:
    """No file-system path is assumed: a zipped package (a Traversable) loads the same."""
    archive = tmp_path / "forms.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in shipped_form_files():
            out.writestr(f"shipped_forms/{path.name}", path.read_bytes())
        out.writestr("shipped_forms/schema/checklist-form.schema.json", b"{}")
    folder = zipfile.Path(archive, "shipped_forms/")
    assert load_shipped_forms(folder) == load_shipped_forms()
    assert load_form_file(folder / "cement.v1.json").form_id == "cement"
