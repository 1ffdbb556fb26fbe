"""Update the translation sources `resources/i18n/*.ts` from the labels in inspector_app/labels.py.

Runs Qt's `lupdate` (from PySide6) over inspector_app/labels.py: a new label appears in each
`.ts` file as unfinished, a removed one disappears, and the translations already made are kept.
The Chinese file (`inspector_zh_CN.ts`) then gets each label as its own translation, since the
source text is Chinese; the English one is translated by hand (a text editor or
`pyside6-linguist resources/i18n/inspector_en.ts`). tests/unit/test_translations.py fails while
a label has no finished translation in either file.

Usage: python tools/update_translations.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path("inspector_app") / "labels.py"
FOLDER = Path("resources") / "i18n"
LANGUAGES = {"zh_CN": "inspector_zh_CN.ts", "en": "inspector_en.ts"}


def lupdate_command() -> list[str]:
    """Return the command that runs Qt's lupdate (the one beside this Python first)."""
    beside = Path(sys.executable).parent / "pyside6-lupdate"
    found = str(beside) if beside.exists() else shutil.which("pyside6-lupdate")
    if found is None:
        raise SystemExit("pyside6-lupdate not found: install PySide6-Essentials (make sets it up)")
    return [found]


def fill_identity(ts_file: Path) -> int:
    """Give each unfinished message of a `.ts` file its source text as translation.

    Returns how many messages were filled. The file is our own (trusted), so ElementTree parses
    it; lupdate rewrites it in its own layout on the next run anyway.
    """
    tree = ET.parse(ts_file)
    filled = 0
    for message in tree.getroot().iter("message"):
        source = message.find("source")
        translation = message.find("translation")
        if source is None or translation is None or translation.get("type") != "unfinished":
            continue
        translation.text = source.text
        del translation.attrib["type"]
        filled += 1
    if filled:
        body = ET.tostring(tree.getroot(), encoding="unicode")
        ts_file.write_text(
            f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n{body}\n', encoding="utf-8"
        )
    return filled


def main() -> int:
    for language, name in LANGUAGES.items():
        target = FOLDER / name
        subprocess.run(
            [
                *lupdate_command(),
                str(SOURCE),
                "-ts",
                str(target),
                "-source-language",
                "zh_CN",
                "-target-language",
                language,
                "-locations",
                "none",
                "-no-obsolete",
            ],
            cwd=ROOT,
            check=True,
        )
        if language == "zh_CN":
            print(f"{target}: {fill_identity(ROOT / target)} label(s) given their own text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
