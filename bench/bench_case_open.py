"""Case window benchmark: opening a case with a 300-item checklist, and recording by key.

Run: .venv/bin/python bench/bench_case_open.py [--opens N] [--records N] [--load N] [--keep DIR]

In one process, offscreen, over a workspace holding one case under on-site review whose form
has 300 items (200 recorded, 100 open):
(a) open: build the case window (or the checklist page alone), show it and let Qt lay it out
    and paint it, N times; the baseline, taken in turn with it, is a bare QTreeWidget filled
    with the same 300 items in 10 sections, shown and painted. Goal: the case window < 150 ms.
(b) record by key: in the case window opened from the main window (its sync panel, the
    background runner), press 1 on an unanswered item, through the event loop as the keyboard
    does. A 1 ms heartbeat timer notes each time the loop comes round; the longest gap between
    two beats, from the key until 30 ms after the result is durably stored, is the longest
    stretch the UI thread spent without answering input or painting. Median and p99 over N
    records; goal p99 < 16 ms (one frame). The baseline, taken in turn with it: the same
    measure for a key (Down) in the bare QTreeWidget. Also printed: the time from the key
    until the result is durably stored (the page shows it as saved), and the store step alone
    (`Casework.record_result` with synchronous=FULL, as the CLI stores it).

With --load N, N processes spin on the CPU during (b): the machine under load.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_store import ITEMS, build_bench_case  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
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
from inspector_app.ui.main_window import MainWindow  # noqa: E402
from inspector_app.ui.qt import QApplication, Qt, QWidget  # noqa: E402

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
LEADER = demo_id("reviewer", "wang")
CASE = demo_id("z", "case")
QUIET = 0.030
"""Seconds the loop keeps running after a key's work is done (deferred refreshes run then)."""


def build_workspace(folder: Path) -> None:
    """One case under on-site review over the 300-item form, 200 items recorded."""
    with open_workspace(folder) as workspace:
        build_bench_case(workspace, "XK99-2026-0001", CaseStatus.ON_SITE_REVIEW)


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def settle(app: QApplication) -> None:
    """Process every pending event (layout, paint, deletions) of what was just shown or done."""
    app.processEvents()
    app.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


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


class Heartbeat:
    """A 1 ms timer on the UI thread noting when it fires: a gap between two beats is a stretch
    the event loop spent on one thing (an event handler, a paint) without coming back round."""

    def __init__(self) -> None:
        self.beats: list[float] = []
        self.cpu: list[float] = []  # the UI thread's CPU time at each beat (load does not add)
        self.check: Callable[[float], bool] = lambda _now: False
        self.loop: QEventLoop | None = None
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._beat)

    def _beat(self) -> None:
        now = time.perf_counter()
        self.beats.append(now)
        self.cpu.append(time.thread_time())
        if self.loop is not None and self.check(now):
            self.loop.quit()

    def run(
        self, start: Callable[[], None], done: Callable[[float], bool]
    ) -> tuple[list[float], list[float]]:
        """Call `start`, then run the event loop until `done(now)`; return the beats taken,
        the first being the moment `start` was called, and the thread's CPU time at each."""
        self.cpu = [time.thread_time()]
        self.beats = [time.perf_counter()]
        self.check = done
        self.loop = QEventLoop()
        self.timer.start()
        start()
        self.loop.exec()
        self.timer.stop()
        self.loop = None
        return self.beats, self.cpu


def quiet(beat: Heartbeat) -> None:
    """Run the event loop for 30 ms, so that what an untimed action queued (layouts, paints,
    deletions) is done before the next measure."""
    start = time.perf_counter()
    beat.run(lambda: None, lambda now: now - start > QUIET)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def longest_stretch(beats: list[float]) -> float:
    """The longest time between two beats: the UI thread's longest uninterrupted stretch."""
    return max(b - a for a, b in pairwise(beats))


def post_key(widget: QWidget, key: Qt.Key, text: str = "") -> None:
    """Queue a key press and release for `widget`, as the keyboard does (through the loop)."""
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QCoreApplication.postEvent(
            widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text)
        )


def bare_tree_key(app: QApplication, services: Services, beat: Heartbeat) -> tuple[float, float]:
    """The baseline of (b): a key (Down) in a shown bare QTreeWidget of the form's 300 items;
    return the longest stretch of the UI thread from the key until 30 ms of quiet, in time
    and in the thread's CPU time."""
    tree = bare_tree(services)
    tree.resize(1366, 768)
    tree.show()
    settle(app)
    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(0))
    quiet(beat)
    start = time.perf_counter()
    beats, cpu = beat.run(lambda: post_key(tree, Qt.Key.Key_Down), lambda now: now - start > QUIET)
    tree.close()
    tree.deleteLater()
    settle(app)
    return longest_stretch(beats), longest_stretch(cpu)


def bench_record(app: QApplication, services: Services, records: int, folder: Path) -> None:
    from inspector_app.ui.preferences import UserPreferences
    from inspector_app.ui.tasks import TaskRunner

    main = MainWindow(
        services,
        lambda: TaskRunner(lambda: open_workspace(folder, install_forms=False)),
        preferences=UserPreferences.at(folder.parent / "preferences.ini"),
    )
    main.show()
    window = main.open_case(CASE)
    settle(app)
    page = window.checklist
    assert page is not None and page.editable, page.read_only_reason if page else "no page"
    page.tree.setFocus()
    beat = Heartbeat()
    quiet(beat)
    stretches: list[float] = []
    cpus: list[float] = []
    bare_cpus: list[float] = []
    durable: list[float] = []
    bare: list[float] = []
    steps: list[float] = []
    state = load_case_file(services.workspace.db, CASE)
    member = next(m for m in state.members if m.reviewer_id == LEADER)
    again = sorted(r.item_code for r in state.results)  # the store step alone rewrites these
    for n in range(records):
        code = page.current_code
        assert code is not None and page.model.answered(code) is None, code
        stored_at: list[float] = []

        def done(now: float, code: str = code, stored_at: list[float] = stored_at) -> bool:
            if not stored_at and page.model.answered(code) and not page.is_saving(code):
                stored_at.append(now)
            return bool(stored_at) and now - stored_at[0] > QUIET

        beats, cpu = beat.run(lambda: post_key(page.tree, Qt.Key.Key_1, "1"), done)
        assert page.model.answered(code) is not None, page.refusal.text()
        stretches.append(longest_stretch(beats))
        cpus.append(longest_stretch(cpu))
        durable.append(stored_at[0] - beats[0])
        bare_wall, bare_cpu = bare_tree_key(app, services, beat)
        bare.append(bare_wall)
        bare_cpus.append(bare_cpu)
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
        quiet(beat)
    main.close()
    settle(app)
    print(f"(b) record one result by key (1) in the case window, {records} times")
    med, p99 = statistics.median(stretches), quantile(stretches, 0.99)
    bmed, bp99 = statistics.median(bare), quantile(bare, 0.99)
    print(
        f"    longest uninterrupted UI-thread stretch per record: median {med * 1e3:.1f} ms, "
        f"p99 {p99 * 1e3:.1f} ms, max {max(stretches) * 1e3:.1f} ms"
    )
    print(
        f"    baseline, a key in the bare QTreeWidget: median {bmed * 1e3:.1f} ms, "
        f"p99 {bp99 * 1e3:.1f} ms (ratio at p99 {p99 / bp99:.1f}×)"
    )
    print(
        f"    the same in the UI thread's CPU time (what load does not stretch): median "
        f"{statistics.median(cpus) * 1e3:.1f} ms, p99 {quantile(cpus, 0.99) * 1e3:.1f} ms; "
        f"bare tree {statistics.median(bare_cpus) * 1e3:.1f} ms, "
        f"p99 {quantile(bare_cpus, 0.99) * 1e3:.1f} ms"
    )
    dmed, dp99 = statistics.median(durable), quantile(durable, 0.99)
    print(
        f"    from the key until the result is durably stored (shown as saved): "
        f"median {dmed * 1e3:.1f} ms, p99 {dp99 * 1e3:.1f} ms"
    )
    if steps:
        smed, sp99 = statistics.median(steps), quantile(steps, 0.99)
        print(
            f"    store step alone (record_result, synchronous=FULL): median {smed * 1e3:.1f} ms,"
            f" p99 {sp99 * 1e3:.1f} ms"
        )
    print(f"    goal p99 < 16 ms (one frame): {'met' if p99 < 0.016 else 'MISSED'}")


@contextmanager
def busy_processes(count: int) -> Iterator[None]:
    """Keep `count` processes spinning on the CPU meanwhile (a machine under load); each
    stops by itself should this process end without stopping them."""
    spin = "import os\nparent = os.getppid()\nwhile os.getppid() == parent: pass"
    spinners = [subprocess.Popen([sys.executable, "-c", spin]) for _ in range(count)]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opens", type=int, default=15)
    parser.add_argument("--records", type=int, default=100)
    parser.add_argument("--load", type=int, default=0, help="processes spinning during (b)")
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
            with busy_processes(args.load):
                if args.load:
                    time.sleep(1.0)  # let the spinners take their share
                print(f"(b) load added: {args.load} processes spinning")
                bench_record(app, services, args.records, folder)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
