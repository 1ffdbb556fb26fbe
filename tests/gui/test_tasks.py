"""The background runner: outcomes on the UI thread, in order, cancellable, one connection."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from inspector_app.store.errors import WorkspaceError
from inspector_app.store.workspace import Workspace, open_workspace
from inspector_app.ui.qt import QApplication, QThread
from inspector_app.ui.tasks import Cancelled, ImmediateRunner, JobContext, TaskRunner

WAIT_MS = 5000
"""Every wait for the worker ends after this long, so that no test can hang."""

GATE_S = 10.0
"""A job blocked on a gate gives up after this long, so that no worker can hang either."""


@dataclass
class Outcomes:
    """Records what the callbacks receive, and on which thread."""

    done: list[tuple[Any, Exception | None]] = field(default_factory=list)
    progress: list[tuple[int, int, str]] = field(default_factory=list)
    threads: list[int] = field(default_factory=list)
    on_ui_thread: list[bool] = field(default_factory=list)

    def _note_thread(self) -> None:
        self.threads.append(threading.get_ident())
        app = QApplication.instance()
        assert app is not None
        self.on_ui_thread.append(QThread.currentThread() is app.thread())

    def on_done(self, result: Any, error: Exception | None) -> None:
        self._note_thread()
        self.done.append((result, error))

    def on_progress(self, done: int, total: int, text: str) -> None:
        self._note_thread()
        self.progress.append((done, total, text))


@dataclass
class Opener:
    """Opens the worker's workspace and notes which threads open and close it."""

    folder: Path
    opened_in: list[int] = field(default_factory=list)
    closed_in: list[int] = field(default_factory=list)
    workspaces: list[Workspace] = field(default_factory=list)

    def __call__(self) -> Workspace:
        workspace = open_workspace(self.folder, install_forms=False)
        self.opened_in.append(threading.get_ident())
        self.workspaces.append(workspace)
        close = workspace.close

        def noted_close() -> None:
            self.closed_in.append(threading.get_ident())
            close()

        workspace.close = noted_close  # type: ignore[method-assign]
        return workspace


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "ws"
    open_workspace(folder, install_forms=False).close()
    return folder


@pytest.fixture
def opener(folder: Path) -> Opener:
    return Opener(folder)


@pytest.fixture
def runner(opener: Opener) -> Iterator[TaskRunner]:
    runner = TaskRunner(opener)
    yield runner
    assert runner.stop(timeout=WAIT_MS / 1000)


def gate_job(gate: threading.Event, started: threading.Event) -> Callable[[JobContext], str]:
    """A job that holds the worker until `gate` opens (or it is cancelled)."""

    def job(context: JobContext) -> str:
        started.set()
        deadline = time.monotonic() + GATE_S
        while not gate.wait(0.01) and time.monotonic() < deadline:
            context.check()
        return "gate passed"

    return job


def test_result_and_error_arrive_on_the_ui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    outcomes = Outcomes()
    job_threads: list[int] = []

    def ok(context: JobContext) -> int:
        job_threads.append(threading.get_ident())
        return 42

    def fails(context: JobContext) -> int:
        raise ValueError("坏了")

    first = runner.submit(ok, outcomes.on_done)
    second = runner.submit(fails, outcomes.on_done)
    qtbot.waitUntil(lambda: second.done, timeout=WAIT_MS)

    assert first.done
    assert outcomes.done[0] == (42, None)
    result, error = outcomes.done[1]
    assert result is None
    assert isinstance(error, ValueError)
    assert str(error) == "坏了"
    assert outcomes.on_ui_thread == [True, True]
    assert set(outcomes.threads) == {threading.get_ident()}
    assert job_threads and job_threads[0] != threading.get_ident()


def test_progress_arrives_in_order_before_the_result(qtbot: QtBot, runner: TaskRunner) -> None:
    outcomes = Outcomes()
    order: list[str] = []

    def job(context: JobContext) -> str:
        for done in range(1, 51):
            context.progress(done, 50, f"第 {done} 项")
        return "完成"

    def on_progress(done: int, total: int, text: str) -> None:
        order.append("progress")
        outcomes.on_progress(done, total, text)

    def on_done(result: Any, error: Exception | None) -> None:
        order.append("done")
        outcomes.on_done(result, error)

    handle = runner.submit(job, on_done, on_progress)
    qtbot.waitUntil(lambda: handle.done, timeout=WAIT_MS)

    assert outcomes.progress == [(d, 50, f"第 {d} 项") for d in range(1, 51)]
    assert order == ["progress"] * 50 + ["done"]
    assert all(outcomes.on_ui_thread)
    assert outcomes.done == [("完成", None)]


def test_cancel_stops_a_running_job_that_checks(qtbot: QtBot, runner: TaskRunner) -> None:
    outcomes = Outcomes()
    started = threading.Event()
    rounds: list[int] = []

    def long_job(context: JobContext) -> str:
        started.set()
        deadline = time.monotonic() + GATE_S
        while time.monotonic() < deadline:
            rounds.append(1)
            if context.cancelled():
                raise Cancelled()
            time.sleep(0.005)  # a slice of work, not a wait for readiness
        return "never cancelled"

    handle = runner.submit(long_job, outcomes.on_done)
    qtbot.waitUntil(started.is_set, timeout=WAIT_MS)
    handle.cancel()
    qtbot.waitUntil(lambda: handle.done, timeout=WAIT_MS)

    result, error = outcomes.done[0]
    assert result is None
    assert isinstance(error, Cancelled)
    assert handle.cancel_requested
    # the worker is free again
    after = runner.submit(lambda context: "next", outcomes.on_done)
    qtbot.waitUntil(lambda: after.done, timeout=WAIT_MS)
    assert outcomes.done[1] == ("next", None)


def test_a_job_cancelled_while_queued_never_runs(qtbot: QtBot, runner: TaskRunner) -> None:
    outcomes = Outcomes()
    gate, started = threading.Event(), threading.Event()
    ran: list[str] = []

    blocker = runner.submit(gate_job(gate, started), outcomes.on_done)
    queued = runner.submit(lambda context: ran.append("queued"), outcomes.on_done)
    qtbot.waitUntil(started.is_set, timeout=WAIT_MS)
    queued.cancel()
    # delivered while the worker is still busy with the first job
    qtbot.waitUntil(lambda: queued.done, timeout=WAIT_MS)
    assert not blocker.done
    assert isinstance(outcomes.done[0][1], Cancelled)

    gate.set()
    qtbot.waitUntil(lambda: blocker.done, timeout=WAIT_MS)
    assert outcomes.done[1] == ("gate passed", None)
    assert ran == []


def test_jobs_run_one_at_a_time_in_submission_order(qtbot: QtBot, runner: TaskRunner) -> None:
    outcomes = Outcomes()
    ran: list[int] = []
    active: list[int] = []
    overlaps: list[int] = []

    def job_for(number: int) -> Callable[[JobContext], int]:
        def job(context: JobContext) -> int:
            active.append(number)
            if len(active) > 1:
                overlaps.append(number)
            ran.append(number)
            active.remove(number)
            return number

        return job

    handles = [runner.submit(job_for(n), outcomes.on_done) for n in range(20)]
    qtbot.waitUntil(lambda: all(h.done for h in handles), timeout=WAIT_MS)

    assert ran == list(range(20))
    assert [result for result, _ in outcomes.done] == list(range(20))
    assert overlaps == []


def test_an_exception_does_not_kill_the_worker(qtbot: QtBot, runner: TaskRunner) -> None:
    outcomes = Outcomes()

    def fails(context: JobContext) -> None:
        raise RuntimeError("任务出错")

    def exits(context: JobContext) -> None:
        raise SystemExit(3)

    runner.submit(fails, outcomes.on_done)
    runner.submit(exits, outcomes.on_done)
    last = runner.submit(lambda context: "still here", outcomes.on_done)
    qtbot.waitUntil(lambda: last.done, timeout=WAIT_MS)

    assert isinstance(outcomes.done[0][1], RuntimeError)
    assert isinstance(outcomes.done[1][1], RuntimeError)
    assert "SystemExit" in str(outcomes.done[1][1])
    assert outcomes.done[2] == ("still here", None)
    assert runner.is_running


def test_the_worker_writes_through_its_own_connection(
    qtbot: QtBot, runner: TaskRunner, opener: Opener, folder: Path
) -> None:
    outcomes = Outcomes()
    connections: list[object] = []

    def write(context: JobContext) -> int:
        connections.append(context.workspace.db.conn)
        context.workspace.db.table("scratch").insert({"id": 1, "text": "由后台写入"}, pk="id")
        return threading.get_ident()

    with open_workspace(folder, install_forms=False) as ui_workspace:
        handle = runner.submit(write, outcomes.on_done)
        qtbot.waitUntil(lambda: handle.done, timeout=WAIT_MS)

        worker_thread, error = outcomes.done[0]
        assert error is None
        assert worker_thread != threading.get_ident()
        assert opener.opened_in == [worker_thread]
        assert connections == [opener.workspaces[0].db.conn]
        assert connections[0] is not ui_workspace.db.conn
        rows = list(ui_workspace.db.query("SELECT text FROM scratch"))
        assert rows == [{"text": "由后台写入"}]


def test_a_failed_job_leaves_no_half_written_transaction(
    qtbot: QtBot, runner: TaskRunner, folder: Path
) -> None:
    outcomes = Outcomes()

    def create(context: JobContext) -> None:
        context.workspace.db.table("scratch").create({"id": int, "text": str}, pk="id")

    def writes_then_fails(context: JobContext) -> None:
        # the raw connection, which (unlike db.execute) leaves the transaction open
        context.workspace.db.conn.execute("INSERT INTO scratch VALUES (1, '半截')")
        raise ValueError("写到一半")

    def forgets_to_commit(context: JobContext) -> None:
        context.workspace.db.conn.execute("INSERT INTO scratch VALUES (2, '未提交')")

    def writes(context: JobContext) -> None:
        context.workspace.db.table("scratch").insert({"id": 3, "text": "完整"})

    for job in (create, writes_then_fails, forgets_to_commit, writes):
        handle = runner.submit(job, outcomes.on_done)
    qtbot.waitUntil(lambda: handle.done, timeout=WAIT_MS)

    errors = [error for _, error in outcomes.done]
    assert errors[0] is None
    assert isinstance(errors[1], ValueError)
    assert isinstance(errors[2], RuntimeError)
    assert "未提交" in str(errors[2])
    assert errors[3] is None
    with open_workspace(folder, install_forms=False) as ui_workspace:
        assert [row["id"] for row in ui_workspace.db.query("SELECT id FROM scratch")] == [3]


def test_stop_cancels_the_queue_closes_the_connection_and_joins(
    qtbot: QtBot, opener: Opener
) -> None:
    runner = TaskRunner(opener)
    outcomes = Outcomes()
    gate, started = threading.Event(), threading.Event()
    ran: list[str] = []

    runner.submit(gate_job(gate, started), outcomes.on_done)
    runner.submit(lambda context: ran.append("queued"), outcomes.on_done)
    qtbot.waitUntil(started.is_set, timeout=WAIT_MS)

    assert runner.stop(timeout=WAIT_MS / 1000)

    # every job's outcome is delivered by the time stop() returns, on this thread
    assert len(outcomes.done) == 2
    assert all(isinstance(error, Cancelled) for _, error in outcomes.done)
    assert all(outcomes.on_ui_thread)
    assert ran == []
    assert not runner.is_running
    assert opener.closed_in == opener.opened_in
    assert opener.closed_in[0] != threading.get_ident()

    # idempotent, and nothing more is accepted
    assert runner.stop(timeout=WAIT_MS / 1000)
    assert len(opener.closed_in) == 1
    with pytest.raises(RuntimeError, match="已停止"):
        runner.submit(lambda context: None, outcomes.on_done)


def returns(value: int, context: JobContext) -> int:
    return value


def test_stop_without_cancel_finishes_the_queue(qtbot: QtBot, opener: Opener) -> None:
    runner = TaskRunner(opener)
    outcomes = Outcomes()
    for number in range(5):
        runner.submit(partial(returns, number), outcomes.on_done)

    assert runner.stop(cancel=False, timeout=WAIT_MS / 1000)

    assert outcomes.done == [(n, None) for n in range(5)]
    assert len(opener.closed_in) == 1


def test_a_workspace_that_cannot_open_is_every_job_s_error(qtbot: QtBot) -> None:
    def cannot_open() -> Workspace:
        raise WorkspaceError("工作区无法打开")

    runner = TaskRunner(cannot_open)
    outcomes = Outcomes()
    handle = runner.submit(lambda context: "never", outcomes.on_done)
    qtbot.waitUntil(lambda: handle.done, timeout=WAIT_MS)
    assert runner.stop(timeout=WAIT_MS / 1000)

    result, error = outcomes.done[0]
    assert result is None
    assert isinstance(error, WorkspaceError)


# The immediate runner: the same contract, synchronously.


def test_immediate_runner_delivers_before_submit_returns(folder: Path) -> None:
    outcomes = Outcomes()

    def job(context: JobContext) -> int:
        context.workspace.db.table("scratch").insert({"id": 1}, pk="id")
        for done in (1, 2, 3):
            context.progress(done, 3, "进行中")
        return threading.get_ident()

    def fails(context: JobContext) -> None:
        raise ValueError("坏了")

    with open_workspace(folder, install_forms=False) as workspace:
        runner = ImmediateRunner(workspace)
        first = runner.submit(job, outcomes.on_done, outcomes.on_progress)
        assert first.done
        second = runner.submit(fails, outcomes.on_done)
        assert second.done
        third = runner.submit(lambda context: "next", outcomes.on_done)

        assert third.done
        assert outcomes.progress == [(1, 3, "进行中"), (2, 3, "进行中"), (3, 3, "进行中")]
        assert outcomes.done[0] == (threading.get_ident(), None)
        assert isinstance(outcomes.done[1][1], ValueError)
        assert outcomes.done[2] == ("next", None)
        assert set(outcomes.threads) == {threading.get_ident()}
        assert workspace.db.table("scratch").count == 1


def test_immediate_runner_cancels_on_stop_and_then_refuses(folder: Path) -> None:
    outcomes = Outcomes()
    with open_workspace(folder, install_forms=False) as workspace:
        runner = ImmediateRunner(workspace)

        def job(context: JobContext) -> str:
            for done in range(1, 100):
                context.progress(done, 99)
                context.check()
            return "never cancelled"

        def on_progress(done: int, total: int, text: str) -> None:
            outcomes.on_progress(done, total, text)
            if done == 3:
                runner.stop()

        handle = runner.submit(job, outcomes.on_done, on_progress)

        assert handle.done
        assert [done for done, _, _ in outcomes.progress] == [1, 2, 3]
        assert outcomes.done[0][0] is None
        assert isinstance(outcomes.done[0][1], Cancelled)
        with pytest.raises(RuntimeError, match="已停止"):
            runner.submit(lambda context: None, outcomes.on_done)
        assert runner.stop()
        # the workspace stays the caller's, still open
        assert workspace.db.execute("SELECT 1").fetchone() == (1,)
