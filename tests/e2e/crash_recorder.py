"""Crash-test recorder: the checklist page records results by key, as the app does, until the
process is killed.

Usage: python tests/e2e/crash_recorder.py WORKSPACE

Offscreen, over demo case "c" (the workspace must hold the demo cases, `fill_demo`), signed in
as its leader: the page's edits commit without waiting for the disk and are confirmed on the
flusher's thread, as in the app. Prints `READY` once the page is shown, then, for each edit
the page says is saved (its `confirmed` signal), one line `ACK <item_code> <version_id>`,
flushing each line. The keys never wait for a confirmation: 1 (符合) on each item where it
needs no note or photo, then 0 (take it back) on each, round and round.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtTest import QTest

from inspector_app.app import open_services
from inspector_app.core.forms.model import RESULT_CONFORM
from inspector_app.demo import demo_id
from inspector_app.ui.checklist import ChecklistPage
from inspector_app.ui.qt import QApplication, Qt, QTimer
from inspector_app.ui.signal_repair import repair_signal_emit

CASE_ID = demo_id("c", "case")
LEADER = demo_id("reviewer", "wang")


def main(folder: str) -> None:
    repair_signal_emit()
    app = QApplication([])
    services = open_services(Path(folder), user=LEADER, write=True, clock=lambda: datetime.now(UTC))
    services.sign_in(LEADER)
    page = ChecklistPage(services, CASE_ID, background_flush=True)
    page.resize(1366, 768)
    page.show()
    assert page.editable, page.read_only_reason
    codes = [
        item.code
        for item in page.form.items()
        if RESULT_CONFORM in item.allowed_results and not item.requires.get(RESULT_CONFORM)
    ]
    out = sys.stdout

    def acknowledge(written: list[tuple[str, str]]) -> None:
        for code, version in written:
            out.write(f"ACK {code} {version}\n")
        out.flush()

    page.confirmed.connect(acknowledge)
    presses = [0]

    def press() -> None:
        n = presses[0]
        presses[0] += 1
        code = codes[n % len(codes)]
        page.select_code(code)
        taking_back = (n // len(codes)) % 2 == 1
        QTest.keyClick(page.tree, Qt.Key.Key_0 if taking_back else Qt.Key.Key_1)

    timer = QTimer()
    timer.setInterval(2)
    timer.timeout.connect(press)
    timer.start()
    out.write("READY\n")
    out.flush()
    app.exec()


if __name__ == "__main__":
    main(sys.argv[1])
