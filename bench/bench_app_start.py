"""App start benchmark: the desktop app to its case list, against a bare PySide6 window.

Run: .venv/bin/python bench/bench_app_start.py [--cases N] [--runs N] [--keep DIR]

Every figure counts from the start of the process (interpreter start-up included), offscreen,
over several runs taken in turn (bare, empty, full, bare, …) so that machine noise falls on all
alike:
(a) baseline: a bare PySide6 script that shows a QMainWindow holding an empty QTableView and
    quits once the table has been painted; it prints when it was painted;
(b) `python -m inspector_app --workspace W` (what the `inspector` command runs) with
    INSPECTOR_QUIT_AFTER_START=1, on an empty workspace and on one with N cases: the app prints
    when its case list was first painted and when the window was ready (the rest of the
    workspace opened and attached: every action usable), then quits. Both are given as a ratio
    to the bare window's paint; so is the whole process (to its exit) against the bare one's;
(c) peak memory (ru_maxrss) of the app with N cases;
(d) the CPU time (user + system) to the paint, to the ready window and of the whole process,
    which other work on the machine disturbs less than the wall-clock time.
Goals: the case list painted in under 1.5× the bare window's time with 1,000 cases; memory
under 300 MB.
The children run with Python's bytecode cache (`__pycache__`, filled by a warm-up run), as an
installed app does, even when PYTHONDONTWRITEBYTECODE is set for this script.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inspector_app.core.model import Actor, CaseStatus  # noqa: E402
from inspector_app.demo import demo_id, fill_demo  # noqa: E402
from inspector_app.store.casework import Casework, load_case_file  # noqa: E402
from inspector_app.store.queries import Queries  # noqa: E402
from inspector_app.store.settings import load_settings  # noqa: E402
from inspector_app.store.workspace import open_workspace  # noqa: E402

CLERK = Actor("00000000-0000-4000-8000-00000000be0c", "基准测试")
RATIO_GOAL = 1.5
MEMORY_GOAL_MB = 300.0

BARE_WINDOW = """\
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

app = QApplication(sys.argv)
window = QMainWindow()
table = QTableView()
window.setCentralWidget(table)
window.resize(980, 520)


def painted():
    print(f"painted {time.time():.6f} cpu {time.process_time():.6f}", file=sys.stderr, flush=True)
    app.quit()


class QuitAfterPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, painted)
        return False


quit_after_paint = QuitAfterPaint()
table.viewport().installEventFilter(quit_after_paint)
window.show()
sys.exit(app.exec())
"""


def clock() -> datetime:
    """The laptop clock: now, as the app itself will see it."""
    return datetime.now(UTC)


def prepare(folder: Path, cases: int) -> int:
    """Fill `folder` with the demo and accepted cases (case + enterprise, what the list reads)
    until it holds `cases`; return how many it holds."""
    with open_workspace(folder) as workspace:
        db = workspace.db
        fill_demo(workspace, clock())
        template = load_case_file(db, demo_id("a", "case"))
        today = load_settings(db).calendar.day_of(clock())
        clerk = Casework(db, CLERK, clock)
        queries = Queries(db, load_settings(db).calendar, clock)
        for n in range(len(queries.case_rows(alerts=False)), cases):
            enterprise = replace(
                template.enterprise,
                id=f"bench-enterprise-{n:05d}",
                name=f"{template.enterprise.name}（基准 {n}）",
            )
            accepted_on = today - timedelta(days=n % 90)  # some within their deadline, some not
            clerk.create_case(
                enterprise,
                replace(
                    template.case,
                    id=f"bench-case-{n:05d}",
                    enterprise_id=enterprise.id,
                    application_no=f"XK98-2026-{n:05d}",
                    status=CaseStatus.ACCEPTED,
                    accepted_on=accepted_on,
                    review_date=accepted_on + timedelta(days=5),
                    review_started_at=None,
                    concluded_at=None,
                ),
            )
        return len(queries.case_rows(alerts=False))


BARE_PAINTED = re.compile(r"^painted (?P<painted>[0-9.]+) cpu (?P<painted_cpu>[0-9.]+)$", re.M)
APP_STARTED = re.compile(
    r"^inspector: start-up painted (?P<painted>[0-9.]+) ready (?P<ready>[0-9.]+) "
    r"cpu painted (?P<painted_cpu>[0-9.]+) ready (?P<ready_cpu>[0-9.]+)$",
    re.M,
)


@dataclass(frozen=True)
class Run:
    """One run of a command: seconds from its start to its paint, to its ready window (the
    paint for the bare one) and to its exit; its peak memory (MB); its CPU seconds by its
    paint, by its ready window and in all."""

    painted: float
    ready: float
    whole: float
    peak_mb: float
    cpu: float
    painted_cpu: float
    ready_cpu: float


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float, str, float, float]:
    """Run a command to its end; return its wall seconds, its peak memory (MB), stderr, its CPU
    seconds (user + system) and the time (`time.time()`) it was started at."""
    epoch = time.time()
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True
    )
    assert process.stderr is not None
    with process.stderr:
        errors = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited with {process.returncode}:\n{errors}")
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, usage.ru_maxrss / 1024, errors, cpu, epoch  # ru_maxrss is in KiB on Linux


def measure(name: str, command: list[str], env: dict[str, str]) -> Run:
    """Run a command once and read when it painted (and was ready) from what it printed."""
    elapsed, peak, errors, cpu, epoch = run_once(command, env)
    found = (BARE_PAINTED if name == "bare" else APP_STARTED).search(errors)
    if found is None:
        raise SystemExit(f"{' '.join(command)} printed no start-up times:\n{errors}")
    painted = float(found["painted"]) - epoch
    ready = float(found["ready"]) - epoch if name != "bare" else painted
    painted_cpu = float(found["painted_cpu"])
    ready_cpu = float(found["ready_cpu"]) if name != "bare" else painted_cpu
    return Run(painted, ready, elapsed, peak, cpu, painted_cpu, ready_cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-app-start-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        empty, full = work / "empty", work / "full"
        with open_workspace(empty):
            pass  # created and migrated once, so that the runs time a start, not a set-up
        t0 = time.perf_counter()
        count = prepare(full, args.cases)
        bare = work / "bare_window.py"
        bare.write_text(BARE_WINDOW, "utf-8")
        print(
            f"bench_app_start: Python {sys.version.split()[0]}, {os.cpu_count()} cores; "
            f"workspace of {count} cases prepared in {time.perf_counter() - t0:.1f} s"
        )
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "INSPECTOR_QUIT_AFTER_START": "1",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        env.pop("INSPECTOR_USER", None)
        # Started as a person starts it: with Python's bytecode cache, which the warm-up fills.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        app = [sys.executable, "-m", "inspector_app", "--workspace"]
        commands = {
            "bare": [sys.executable, str(bare)],
            "empty": [*app, str(empty)],
            "full": [*app, str(full)],
        }
        for name, command in commands.items():  # warm-up: the disk cache, and a check
            _, _, errors, _, _ = run_once(command, env)
            if name != "bare" and "inspector: 已打开工作区" not in errors:
                raise SystemExit(f"the app did not show its case list:\n{errors}")
        runs: dict[str, list[Run]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                runs[name].append(measure(name, command, env))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)

    def median(name: str, figure: str) -> float:
        return statistics.median(getattr(run, figure) for run in runs[name])

    def spread(name: str, figure: str) -> str:
        values = [getattr(run, figure) for run in runs[name]]
        return f"min {min(values):.3f}, max {max(values):.3f}"

    bare = median("bare", "painted")
    print(f"(a) bare PySide6 window (QMainWindow + empty QTableView), median of {args.runs}:")
    print(
        f"    painted at {bare:.3f} s ({spread('bare', 'painted')}); whole process "
        f"{median('bare', 'whole'):.3f} s; peak {median('bare', 'peak_mb'):.0f} MB"
    )
    print("(b) the app (`python -m inspector_app --workspace W`), ratios to the bare window:")
    for name, label in (("empty", "empty workspace"), ("full", f"{count} cases")):
        painted, ready = median(name, "painted"), median(name, "ready")
        whole = median(name, "whole")
        print(
            f"    {label}: case list painted at {painted:.3f} s ({spread(name, 'painted')}), "
            f"{painted / bare:.2f}×; ready at {ready:.3f} s ({spread(name, 'ready')}), "
            f"{ready / bare:.2f}×; whole process {whole:.3f} s, "
            f"{whole / median('bare', 'whole'):.2f}× the bare one's"
        )
    ratio = median("full", "painted") / bare
    print(
        f"    goal: the case list painted in < {RATIO_GOAL}× the bare window with {count} "
        f"cases: {'met' if ratio < RATIO_GOAL else 'MISSED'} ({ratio:.2f}×; ready "
        f"{median('full', 'ready') / bare:.2f}×)"
    )
    bare_cpu = median("bare", "painted_cpu")
    print(
        f"    CPU time (user + system), which other work disturbs less: bare window painted "
        f"{bare_cpu:.3f} s;"
    )
    for name, label in (("empty", "empty workspace"), ("full", f"{count} cases")):
        painted, ready = median(name, "painted_cpu"), median(name, "ready_cpu")
        print(
            f"    {label}: painted {painted:.3f} s ({painted / bare_cpu:.2f}×), ready "
            f"{ready:.3f} s ({ready / bare_cpu:.2f}×)"
        )
    cpu = {name: median(name, "cpu") for name in runs}
    print(
        f"    whole process: bare {cpu['bare']:.3f} s, empty "
        f"{cpu['empty']:.3f} s ({cpu['empty'] / cpu['bare']:.2f}×), {count} cases "
        f"{cpu['full']:.3f} s ({cpu['full'] / cpu['bare']:.2f}×)"
    )
    print(f"(c) peak memory (ru_maxrss), median of {args.runs}:")
    peak_full = median("full", "peak_mb")
    print(
        f"    empty workspace {median('empty', 'peak_mb'):.0f} MB; {count} cases {peak_full:.0f} MB"
    )
    print(
        f"    goal < {MEMORY_GOAL_MB:.0f} MB with {count} cases: "
        f"{'met' if peak_full < MEMORY_GOAL_MB else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
