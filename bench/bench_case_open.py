"""Case window benchmark: opening a case with a 300-item checklist, and recording by key.

Run: .venv/bin/python bench/bench_case_open.py [--opens N] [--records N] [--keep DIR]

In one process, offscreen, over a workspace holding one case under on-site review whose form
has 300 items (200 recorded, 100 open):
(a) open: build the case window (or the checklist page alone), show it and let Qt lay it out
    and paint it, N times; the baseline, taken in turn with it, is a bare QTreeWidget filled
    with the same 300 items in 10 sections, shown and painted. Goal: the case window < 150 ms.
(b) record by key: in the open window, press 1 on an unanswered item (the result is saved,
    the page and the window refresh) — the time the UI thread is blocked, from the key press
    until every event it caused is processed; median and p99 over N records. Goal < 16 ms
    (one frame). The store step alone (`Casework.record_result`, same durability) is timed
    in turn with it, as the part no view can save.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_store import ITEMS, build_bench_case  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402  # sends a key as the keyboard does
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem  # noqa: E402  # the baseline

from inspector_app.app import Services, open_services  # noqa: E402
from inspector_app.core.forms.model import RESULT_CONFORM  # noqa: E402
from inspector_app.core.model import CaseStatus, ChecklistResult  # noqa: E402
from inspector_app.demo import demo_id  # noqa: E402
from inspector_app.store.casework import load_case_file  # noqa: E402
from inspector_app.store.workspace import open_workspace  # noqa: E402
from inspector_app.ui.case_window import CaseWindow  # noqa: E402
from inspector_app.ui.checklist import ChecklistPage  # noqa: E402
from inspector_app.ui.qt import QApplication, Qt, QWidget  # noqa: E402

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
LEADER = demo_id("reviewer", "wang")
CASE = demo_id("z", "case")


def build_workspace(folder: Path) -> None:
    """One case under on-site review over the 300-item form, 200 items recorded."""
    with open_workspace(folder) as workspace:
        build_bench_case(workspace, "XK99-2026-0001", CaseStatus.ON_SITE_REVIEW)


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def settle(app: QApplication) -> None:
    """Process every pending event (layout, paint) of what was just shown or done."""
    app.processEvents()
    app.processEvents()


def timed_show(app: QApplication, make: Callable[[], QWidget]) -> float:
    """Build a window, show it at 1366×768 and let it paint; return the seconds taken."""
    t0 = time.perf_counter()
    window = make()
    window.resize(1366, 768)
    window.show()
    settle(app)
    window.grab()  # the first paint, for sure
    took = time.perf_counter() - t0
    window.close()
    window.deleteLater()
    settle(app)
    return took


def bare_tree(services: Services) -> QWidget:
    """The baseline: a QTreeWidget with the form's 10 sections and 300 items, two columns."""
    form = services.queries.case_form(services.queries.case_file(CASE).case)
    tree = QTreeWidget()
    tree.setColumnCount(2)
    tree.setHeaderLabels(["核查项目", "结论"])
    for section in form.sections:
        top = QTreeWidgetItem([f"{section.code} {section.title}", ""])
        for item in section.items:
            QTreeWidgetItem(top, [f"{item.code} {item.requirement}", "未核查"])
        tree.addTopLevelItem(top)
    tree.expandAll()
    return tree


def bench_open(app: QApplication, services: Services, runs: int) -> None:
    series: dict[str, list[float]] = {"bare": [], "page": [], "window": []}
    makers: dict[str, Callable[[], QWidget]] = {
        "bare": lambda: bare_tree(services),
        "page": lambda: ChecklistPage(services, CASE),
        "window": lambda: CaseWindow(services, CASE),
    }
    for make in makers.values():  # warm-up: imports, fonts, caches
        timed_show(app, make)
    for _ in range(runs):
        for name, make in makers.items():
            series[name].append(timed_show(app, make))
    base = statistics.median(series["bare"])
    print(f"(a) open, {ITEMS}-item checklist, shown and painted at 1366×768 (median of {runs})")
    print(f"    baseline bare QTreeWidget with {ITEMS} items: {base * 1e3:.1f} ms")
    for name, label in (("page", "checklist page alone"), ("window", "case window")):
        med = statistics.median(series[name])
        print(f"    {label}: {med * 1e3:.1f} ms, ratio {med / base:.1f}×")
    window = statistics.median(series["window"])
    print(f"    goal case window < 150 ms: {'met' if window < 0.150 else 'MISSED'}")


def bench_record(app: QApplication, services: Services, records: int) -> None:
    window = CaseWindow(services, CASE)
    window.resize(1366, 768)
    window.show()
    settle(app)
    page = window.checklist
    assert page is not None and page.editable, page.read_only_reason if page else "no page"
    page.tree.setFocus()
    keyed: list[float] = []
    steps: list[float] = []
    state = load_case_file(services.workspace.db, CASE)
    member = next(m for m in state.members if m.reviewer_id == LEADER)
    done = {r.item_code for r in state.results}
    again = sorted(done)  # the store step alone writes new versions of recorded items
    for n in range(records):
        code = page.current_code
        assert code is not None and page.model.answered(code) is None, code
        t0 = time.perf_counter()
        QTest.keyClick(page.tree, Qt.Key.Key_1)
        settle(app)
        keyed.append(time.perf_counter() - t0)
        assert page.model.answered(code) is not None, page.refusal.text()
        if again:  # the store step alone, in turn with the keyed records
            other = again[n % len(again)]
            result = ChecklistResult(
                demo_id("z", "result", other),
                CASE,
                other,
                RESULT_CONFORM,
                f"第 {n} 次",
                member.id,
                NOW,
            )
            t0 = time.perf_counter()
            services.steps().record_result(result)
            steps.append(time.perf_counter() - t0)
        QTest.keyClick(page.tree, Qt.Key.Key_N)  # to the next open item (not timed)
        settle(app)
    window.close()
    med, p99 = statistics.median(keyed), quantile(keyed, 0.99)
    print(f"(b) record one result by key (1) in the case window, {records} times")
    print(f"    UI thread blocked: median {med * 1e3:.1f} ms, p99 {p99 * 1e3:.1f} ms")
    if steps:
        smed = statistics.median(steps)
        print(
            f"    store step alone (record_result): median {smed * 1e3:.1f} ms; "
            f"the views' share {max(med - smed, 0) * 1e3:.1f} ms (ratio {med / smed:.1f}×)"
        )
    print(
        f"    goal median < 16 ms: {'met' if med < 0.016 else 'MISSED'}; p99 < 16 ms: "
        f"{'met' if p99 < 0.016 else 'MISSED'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opens", type=int, default=15)
    parser.add_argument("--records", type=int, default=100)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-case-open-"))
    work.mkdir(parents=True, exist_ok=True)
    folder = work / "ws"
    try:
        import sqlite3

        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"bench_case_open: Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, "
            f"{os.cpu_count()} CPUs, load average {load} (the ratios hold under load)"
        )
        if not folder.exists():
            build_workspace(folder)
        app = QApplication.instance() or QApplication([])
        assert isinstance(app, QApplication)
        with open_services(folder, user=LEADER, write=True, clock=lambda: NOW) as services:
            bench_open(app, services, args.opens)
            bench_record(app, services, args.records)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
