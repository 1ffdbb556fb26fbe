"""Build hook: compile the Qt translations (resources/i18n/*.ts) into the package as .qm files.

Everything else of the build is declared in pyproject.toml. The `.qm` files are generated, never
committed: a wheel gets them in `inspector_app/ui/translations/`, and an editable install
(`pip install -e .`) gets them in that folder of the checkout. Qt's `lrelease` comes from
PySide6-Essentials, a build requirement; without it the build stops with a clear message rather
than making an app without its translations.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
TS_FOLDER = HERE / "resources" / "i18n"
QM_PACKAGE_FOLDER = Path("inspector_app") / "ui" / "translations"


def lrelease() -> str:
    """Return the path of Qt's lrelease, from PySide6 (the build requirement) or the PATH."""
    spec = importlib.util.find_spec("PySide6")  # finds the package without loading Qt
    name = "lrelease.exe" if sys.platform == "win32" else "lrelease"
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder) / name
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("pyside6-lrelease")
    if found:
        return found
    raise SystemExit(
        "error: cannot compile the translations: Qt's lrelease was not found (it comes with "
        "PySide6-Essentials, a build requirement in pyproject.toml). Install PySide6-Essentials "
        "into the build environment, or build with build isolation on (the default)."
    )


def compile_translations(out_folder: Path) -> list[str]:
    """Compile each resources/i18n/*.ts into `out_folder` as a .qm file; return the files made."""
    sources = sorted(TS_FOLDER.glob("*.ts"))
    if not sources:
        raise SystemExit(f"error: no translation sources (*.ts) in {TS_FOLDER}")
    out_folder.mkdir(parents=True, exist_ok=True)
    tool = lrelease()
    made = []
    for ts in sources:
        qm = out_folder / f"{ts.stem}.qm"
        result = subprocess.run(
            [tool, "-silent", str(ts), "-qm", str(qm)], capture_output=True, text=True
        )
        if result.returncode != 0 or not qm.is_file():
            raise SystemExit(
                f"error: lrelease could not compile {ts.name}:\n{result.stdout}{result.stderr}"
            )
        made.append(os.fspath(qm))
    return made


class BuildPyWithTranslations(build_py):  # type: ignore[misc]
    """`build_py` that also compiles the translations into the built package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # the package is the checkout's folder: put them there
            compile_translations(HERE / QM_PACKAGE_FOLDER)
        else:
            compile_translations(Path(self.build_lib) / QM_PACKAGE_FOLDER)


setup(cmdclass={"build_py": BuildPyWithTranslations})
