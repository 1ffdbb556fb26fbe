"""`make run` opens a demo workspace of its own; the set-up reruns when system packages change."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def _dry_run(venv: Path, *args: str) -> list[str]:
    """Return the commands `make` would run (`-n`: nothing is executed)."""
    # Not the flags of a `make test` that runs this test.
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL"}}
    result = subprocess.run(
        ["make", "-n", "--no-print-directory", f"VENV={venv}", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.splitlines()


def _installed_venv(tmp_path: Path) -> Path:
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / ".installed").touch()  # newer than every file of the checkout
    return venv


def test_make_run_opens_the_demo_workspace_never_the_users(tmp_path: Path) -> None:
    venv = _installed_venv(tmp_path)
    commands = _dry_run(venv, "run")
    assert commands == [
        f"{venv}/bin/inspector --workspace .demo-workspace demo",
        f"{venv}/bin/inspector --workspace .demo-workspace",
    ]
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/.demo-workspace/" in ignored


def test_a_new_system_package_list_reruns_the_set_up(tmp_path: Path) -> None:
    venv = _installed_venv(tmp_path)
    # -W: as if tools/system-deps.sh had just changed.
    commands = _dry_run(venv, "-W", "tools/system-deps.sh", "run")
    assert any("tools/system-deps.sh" in command for command in commands)
    assert any("pip install" in command for command in commands)
