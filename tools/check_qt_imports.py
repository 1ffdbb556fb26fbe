"""Fails when Qt is imported outside inspector_app/ui/ (the domain, store and sync stay Qt-free)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED = ("inspector_app/ui/", "tests/", "bench/", "build_installer.py")
QT_IMPORT = re.compile(r"^\s*(from|import)\s+(PySide6|PyQt\d|shiboken6)\b", re.MULTILINE)


def offenders(root: Path = ROOT) -> list[str]:
    """Return the project files outside the allowed places that import Qt."""
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith((".venv/", "build/", "dist/")) or rel.startswith(ALLOWED):
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
