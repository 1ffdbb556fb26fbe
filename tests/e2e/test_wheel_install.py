"""A wheel of the project, installed into a fresh virtual environment, runs anywhere.

The shipped forms are package data (the top-level `forms/` folder becomes
`inspector_app.shipped_forms`): the installed app must find them without the checkout; so must
it the Qt translations, compiled from `resources/i18n/*.ts` by the build (setup.py). The
wheel is built from a copy of the project (so the checkout gets no `build/` folder), installed
with `--no-deps`, and the new environment borrows this environment's dependencies through a
`.pth` line. Such a line adds the folder to sys.path without processing the `.pth` files in it,
so this environment's editable install of the project stays out of the new one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.e2e.waiting import READY_PREFIX, LineReader, stop

ROOT = Path(__file__).resolve().parents[2]
NOT_SOURCE_PATTERNS = (
    ".git",
    ".venv",
    ".demo-workspace",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    "out",  # bench/out: benchmark databases, hundreds of megabytes
)


def _run(
    args: list[str | Path], cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from a copy of the project (without compiled translations); return it."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCE_PATTERNS, "*.qm"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    _run([*pip, "wheel", ".", "--no-deps", "-w", base / "wheels"], source, env)
    (built,) = (base / "wheels").glob("inspector_app-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path) -> Path:
    """Install the wheel into a new virtual environment; return that environment."""
    base = wheel.parent.parent
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    new = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", new], base, env)
    python = new / "bin" / "python"
    _run([*pip, "--python", python, "install", "--no-deps", "--no-index", wheel], base, env)
    site = _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], base, env)
    (Path(site.stdout.strip()) / "dev-dependencies.pth").write_text(
        sysconfig.get_path("purelib") + "\n", encoding="utf-8"
    )
    return new


@pytest.fixture
def env_outside_checkout() -> dict[str, str]:
    """The environment of a user: no PYTHONPATH into the checkout, no workspace preset."""
    drop = {"PYTHONPATH", "INSPECTOR_WORKSPACE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def test_installed_wheel_carries_the_app_and_its_forms(
    venv: Path, tmp_path: Path, env_outside_checkout: dict[str, str]
) -> None:
    code = (
        "import inspector_app, inspector_app.shipped_forms as forms;"
        "from inspector_app.formio.paths import form_schema, shipped_forms;"
        "print(inspector_app.__file__); print(forms.__file__); print(shipped_forms());"
        "print(form_schema().is_file())"
    )
    said = _run([venv / "bin" / "python", "-c", code], tmp_path, env_outside_checkout).stdout
    package, forms, folder, schema_found = said.splitlines()
    for where in (package, forms, folder):
        assert Path(where).resolve().is_relative_to(venv.resolve()), where
    assert schema_found == "True"


def test_wheel_carries_the_compiled_translations(wheel: Path) -> None:
    """The copy it was built from had no .qm file: the build compiled them with lrelease."""
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {
        "inspector_app/ui/translations/inspector_en.qm",
        "inspector_app/ui/translations/inspector_zh_CN.qm",
    } <= names
    assert not any(name.endswith(".ts") for name in names)


def test_installed_app_speaks_english_from_its_own_translations(
    venv: Path, tmp_path: Path, env_outside_checkout: dict[str, str]
) -> None:
    code = (
        "from inspector_app.ui.qt import QApplication;"
        "from inspector_app.ui.i18n import install_translator, tr_label;"
        "app = QApplication([]);"
        "print(install_translator(app, 'en'), tr_label('已受理'), sep='|')"
    )
    said = _run([venv / "bin" / "python", "-c", code], tmp_path, env_outside_checkout).stdout
    assert said.strip() == "en|Accepted"


def test_installed_inspector_runs_demo_case_list_and_the_app(
    venv: Path, tmp_path: Path, env_outside_checkout: dict[str, str]
) -> None:
    inspector = venv / "bin" / "inspector"
    workspace = tmp_path / "ws"
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    _run([inspector, "--workspace", workspace, "demo"], cwd, env_outside_checkout)
    listed = _run(
        [inspector, "--workspace", workspace, "case", "list", "--json"], cwd, env_outside_checkout
    )
    assert len(json.loads(listed.stdout)) == 9

    process = subprocess.Popen(
        [str(inspector), "--workspace", str(workspace)],
        cwd=cwd,
        env=env_outside_checkout,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert process.stderr is not None
    reader = LineReader(process.stderr)
    try:
        assert "共 9 件" in reader.wait_for(READY_PREFIX, timeout=60)
        assert process.poll() is None  # the window is open, the app still running
    finally:
        stop(process, reader)


def test_installed_server_migrates_and_a_case_file_round_trips(
    venv: Path, tmp_path: Path, env_outside_checkout: dict[str, str]
) -> None:
    """Package data beyond the forms: the server's Alembic migrations (and their template),
    and the case file's JSON Schema, which every import checks."""
    newest = max(
        p.name.split("_")[0]
        for p in (ROOT / "sync" / "server" / "migrations" / "versions").glob("[0-9]*.py")
    )
    upgraded = _run(
        [venv / "bin" / "inspector-server", "--data", tmp_path / "office", "db", "upgrade"],
        tmp_path,
        env_outside_checkout,
    )
    assert f"revision {newest}" in upgraded.stdout, upgraded.stdout

    inspector = venv / "bin" / "inspector"
    a = [inspector, "--workspace", tmp_path / "a"]
    b = [inspector, "--workspace", tmp_path / "b"]
    exported = tmp_path / "case.json"
    _run([*a, "demo"], tmp_path, env_outside_checkout)
    _run(
        [*a, "case", "export", "XK06-2026-0104", "--out", exported], tmp_path, env_outside_checkout
    )
    leader = json.loads(exported.read_text(encoding="utf-8"))["reviewers"][0]
    _run(
        [
            *(*b, "reviewer", "add", "--id", leader["id"]),
            *("--name", leader["name"], "--unit", leader["unit"]),
            *("--unit-type", leader["unit_type"], "--certificate-no", leader["certificate_no"]),
            *("--certificate-expiry", leader["certificate_expiry"]),
        ],
        tmp_path,
        env_outside_checkout,
    )
    imported = _run(
        [*b, "--user", leader["id"], "case", "import", exported], tmp_path, env_outside_checkout
    )
    assert "XK06-2026-0104" in imported.stdout
