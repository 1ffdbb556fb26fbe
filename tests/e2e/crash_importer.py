"""Crash-test importer: imports one case file into a workspace, then waits to be killed.

Usage: python tests/e2e/crash_importer.py WORKSPACE CASEFILE

Reads and checks the case file, opens the workspace, prints `READY`, imports the case through
the Python API (`parse_case_file` + `import_case`), prints `DONE` once the import has
committed, and then sleeps until it is killed.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from inspector_app.casefile.reader import parse_case_file
from inspector_app.casefile.replay import import_case
from inspector_app.core.model import Actor
from inspector_app.store.workspace import open_workspace

CLERK = Actor("00000000-0000-4000-8000-000000000002", "张三")


def main(folder: str, case_file: str) -> None:
    parsed = parse_case_file(Path(case_file).read_bytes())
    workspace = open_workspace(Path(folder))
    out = sys.stdout
    out.write("READY\n")
    out.flush()
    import_case(
        workspace,
        parsed,
        importer=CLERK,
        clock=lambda: datetime.now(UTC),
    )
    out.write("DONE\n")
    out.flush()
    while True:
        time.sleep(60)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
