"""Fails when Qt is imported outside inspector_app/ui/ (the domain, store and sync stay Qt-free)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = ("inspector_app/ui/", "tests/", "bench/", "build_installer.py")
QT_IMPORT = re.compile(r"^\s*(from|import)\s+(PySide6|PyQt\d|shiboken6)\b", re.MULTILINE)


SKIPPED_DIRS = {"build", "dist", "node_modules", "__pycache__"}


def _python_files(root: Path) -> list[Path]:
    """Return the project's Python files, not descending into hidden or build folders."""
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS]
        files += [Path(folder) / n for n in names if n.endswith(".py")]
    return files


def offenders(root: Path = ROOT) -> list[str]:
    """Return the project files outside the allowed places that import Qt."""
    found = []
    for path in sorted(_python_files(root)):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(ALLOWED):
            continue
        if QT_IMPORT.search(path.read_text(encoding="utf-8")):
            found.append(rel)
    return found


def main() -> int:
    bad = offenders()
    for rel in bad:
        print(f"{rel}: imports Qt outside inspector_app/ui/", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
