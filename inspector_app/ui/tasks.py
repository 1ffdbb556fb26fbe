"""Background work (后台任务): jobs run off the UI thread; their outcome comes back on it.

A *job* is a plain callable that receives a `JobContext` and returns a result. It runs on the
worker thread, never touches a widget, and works on the workspace the context hands it (the
worker's own connection: a sqlite3 connection belongs to the thread that opened it).

`TaskRunner` owns one worker thread, so jobs run one at a time in submission order and the
database writes they make are serialized. `ImmediateRunner` offers the same interface but runs
each job at once on the calling thread, for deterministic GUI tests (no waits). UI code is
written against the `Runner` protocol and is handed one or the other by its constructor.

What a caller can rely on, with either runner:

- `on_done(result, error)` is called exactly once per submitted job, on the UI thread:
  `(result, None)` when the job returned, `(None, error)` when it raised (the worker lives on).
- A job cancelled before it started never runs; its `on_done` gets `(None, Cancelled(...))`.
  Cancelling a running job is a request: the job sees it through `context.cancelled()` or
  `context.check()` (which raises `Cancelled`). If the job returns anyway, its result is
  delivered, because whatever it wrote is committed and the caller must know.
- Progress arrives in the order the job reported it, always before `on_done`, and none after
  `cancel()`.
- A job must commit what it writes. One that raises has its open transaction rolled back; one
  that returns with a transaction still open has it rolled back and gets an error, so the next
  job never inherits half a write.
"""

from __future__ import annotations

import enum
import queue
import sqlite3
import threading
from collections import deque
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from inspector_app.ui.qt import QObject, Qt, Signal, Slot

if TYPE_CHECKING:
    from inspector_app.store.workspace import Workspace

T = TypeVar("T")

ProgressCallback = Callable[[int, int, str], None]
"""Receives `(done, total, text)` as a job reports it."""

DoneCallback = Callable[[T | None, Exception | None], None]
"""Receives `(result, None)` or `(None, error)` once the job is over."""

STOP_TIMEOUT = 30.0
"""Seconds `stop()` waits for the worker by default before giving up on joining it."""


class Cancelled(Exception):
    """The job was cancelled (by its handle, or because the runner stopped)."""

    def __init__(self, message: str = "后台任务已取消。") -> None:
        super().__init__(message)


class JobContext:
    """What a job may use: its workspace, progress reports and the cancellation flag."""

    def __init__(
        self, workspace: Workspace, cancel_event: threading.Event, report: ProgressCallback
    ) -> None:
        self._workspace = workspace
        self._cancel_event = cancel_event
        self._report = report

    @property
    def workspace(self) -> Workspace:
        """The workspace opened for the thread the job runs on (use its `db` only there)."""
        return self._workspace

    def progress(self, done: int, total: int, text: str = "") -> None:
        """Report that `done` of `total` steps are done, with an optional text for the user."""
        self._report(done, total, text)

    def cancelled(self) -> bool:
        """Return True once cancellation was requested; the job should then stop soon."""
        return self._cancel_event.is_set()

    def check(self) -> None:
        """Raise `Cancelled` if cancellation was requested; otherwise do nothing.

        Raises:
            Cancelled: cancellation was requested.
        """
        if self._cancel_event.is_set():
            raise Cancelled()


def cancel_check(context: JobContext, stop: Callable[[], bool]) -> None:
    """Raise `Cancelled` when the second cancel flag `stop` (a progress window's) is set or
    the job's own context was cancelled."""
    if stop():
        raise Cancelled()
    context.check()


class _State(enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"  # the outcome is known and on its way to the UI thread
    DELIVERED = "delivered"  # on_done has been called


class TaskHandle:
    """A submitted job: cancel it, or ask whether its outcome was delivered.

    Made by a runner's `submit`, not by callers.
    """

    def __init__(
        self,
        on_done: Callable[[Any, Exception | None], None],
        on_progress: ProgressCallback | None,
        *,
        lock: threading.Lock,
        running: bool = False,
        on_cancel_queued: Callable[[TaskHandle], None] | None = None,
    ) -> None:
        self._on_done = on_done
        self._on_progress = on_progress
        self._lock = lock
        self._state = _State.RUNNING if running else _State.QUEUED
        self._on_cancel_queued = on_cancel_queued
        self._cancel_event = threading.Event()

    def cancel(self) -> None:
        """Ask for the job to be cancelled; harmless when it is already over.

        A queued job will not run and its `on_done` gets `Cancelled` (on a later turn of the
        event loop); a running one is asked to stop (see the module's docstring).
        """
        self._cancel_event.set()
        with self._lock:
            if self._state is not _State.QUEUED:
                return
            self._state = _State.FINISHED
        if self._on_cancel_queued is not None:
            self._on_cancel_queued(self)

    @property
    def cancel_requested(self) -> bool:
        """True once `cancel()` was called (or the runner stopped with cancellation)."""
        return self._cancel_event.is_set()

    @property
    def done(self) -> bool:
        """True once `on_done` has been called."""
        return self._state is _State.DELIVERED

    def _begin(self) -> bool:
        """Mark the job running unless it was cancelled while queued; return whether to run."""
        with self._lock:
            if self._state is not _State.QUEUED:
                return False
            self._state = _State.RUNNING
            return True

    def _finish(self) -> None:
        with self._lock:
            self._state = _State.FINISHED

    def _deliver_progress(self, done: int, total: int, text: str) -> None:
        if self._on_progress is None or self._cancel_event.is_set() or self.done:
            return
        self._on_progress(done, total, text)

    def _deliver_done(self, result: object, error: Exception | None) -> None:
        with self._lock:
            self._state = _State.DELIVERED
        self._on_done(result, error)


class Runner(Protocol):
    """What UI code needs of a runner; `TaskRunner` and `ImmediateRunner` both are one."""

    def submit(
        self,
        job: Callable[[JobContext], T],
        on_done: DoneCallback[T],
        on_progress: ProgressCallback | None = None,
    ) -> TaskHandle:
        """Queue `job`; see `TaskRunner.submit`."""
        ...

    def stop(self, *, cancel: bool = True, timeout: float | None = STOP_TIMEOUT) -> bool:
        """Stop taking jobs; see `TaskRunner.stop`."""
        ...

    @property
    def busy(self) -> bool:
        """True while a job is queued or running, or its outcome is still to be delivered."""
        ...


def _close_transaction(conn: sqlite3.Connection) -> Exception | None:
    """Roll back a transaction a job left open; return the error to report, if any."""
    try:
        if not conn.in_transaction:
            return None
        conn.rollback()
    except sqlite3.Error as error:
        return error
    return RuntimeError(
        "后台任务结束时仍有未提交的数据库事务，已回滚，未保存任何内容：任务必须自行提交其写入。"
    )


def _execute(
    job: Callable[[JobContext], object], context: JobContext
) -> tuple[object, Exception | None]:
    """Run `job` and return `(result, None)` or `(None, error)`, leaving no transaction open."""
    conn = context.workspace.db.conn
    try:
        result = job(context)
    except Exception as error:
        _close_transaction(conn)
        return None, error
    leftover = _close_transaction(conn)
    if leftover is not None:
        return None, leftover
    return result, None


class _Bridge(QObject):
    """Lives on the UI thread; a wake-up emitted from the worker runs `drain` there."""

    wake = Signal()

    def __init__(self, drain: Callable[[], None]) -> None:
        super().__init__()
        self._drain = drain
        # Queued even when emitted on the UI thread (a cancel), so a callback never runs
        # inside the call that caused it.
        self.wake.connect(self._on_wake, Qt.ConnectionType.QueuedConnection)

    @Slot()
    def _on_wake(self) -> None:
        self._drain()


class TaskRunner:
    """Runs jobs one at a time, in submission order, on one worker thread.

    Construct it, use it and stop it on the UI thread (the thread whose event loop delivers
    the callbacks). The worker is a Python thread: it needs no event loop of its own, a plain
    queue keeps jobs in order, and it can be joined with a timeout; Qt only carries a wake-up
    to the UI thread, which then takes the outcomes from a thread-safe outbox.

    Args:
        open_workspace: Opens the workspace for the worker; called once, on the worker thread,
            e.g. `lambda: open_workspace(folder, install_forms=False)`. The worker closes it
            when the runner stops. If it raises, every job gets that error as its outcome.
        name: The worker thread's name (seen in debuggers and thread dumps).
    """

    def __init__(
        self, open_workspace: Callable[[], Workspace], *, name: str = "inspector-worker"
    ) -> None:
        self._open_workspace = open_workspace
        self._lock = threading.Lock()
        self._jobs: queue.SimpleQueue[tuple[TaskHandle, Callable[[JobContext], object]] | None]
        self._jobs = queue.SimpleQueue()
        self._outstanding: set[TaskHandle] = set()
        self._outbox: deque[Callable[[], None]] = deque()
        self._wake_pending = False
        self._stopped = False
        self._bridge = _Bridge(self._drain)
        self._thread = threading.Thread(target=self._work, name=name, daemon=True)
        self._thread.start()

    @property
    def is_running(self) -> bool:
        """True while the worker thread is alive (until `stop()` has joined it)."""
        return self._thread.is_alive()

    @property
    def busy(self) -> bool:
        """True while a job is queued or running, or an outcome waits to be delivered (the
        language switch waits for this to end: an outcome goes to the widget that asked)."""
        with self._lock:
            return bool(self._outstanding or self._outbox)

    def submit(
        self,
        job: Callable[[JobContext], T],
        on_done: DoneCallback[T],
        on_progress: ProgressCallback | None = None,
    ) -> TaskHandle:
        """Queue `job` behind the jobs already submitted.

        Args:
            job: Runs on the worker thread with a `JobContext`; returns the result.
            on_done: Called once on the UI thread with `(result, None)` or `(None, error)`.
            on_progress: Called on the UI thread with each `(done, total, text)` reported.

        Returns:
            The handle that cancels the job.

        Raises:
            RuntimeError: the runner was stopped.
        """
        with self._lock:
            if self._stopped:
                raise RuntimeError("后台任务执行器已停止，不再接受新任务。")
            handle = TaskHandle(
                on_done, on_progress, lock=self._lock, on_cancel_queued=self._cancelled_queued
            )
            self._outstanding.add(handle)
            self._jobs.put((handle, job))
        return handle

    def stop(self, *, cancel: bool = True, timeout: float | None = STOP_TIMEOUT) -> bool:
        """Stop taking jobs, end the worker and close its workspace; safe to call again.

        Every job submitted before gets its `on_done` by the time this returns (called here,
        on this thread), unless the worker could not be joined in time.

        Args:
            cancel: Cancel the queued jobs and ask the running one to stop. With False, the
                queued jobs (pending writes, say) run to their end first.
            timeout: Seconds to wait for the worker (None: as long as it takes).

        Returns:
            True when the worker has ended and closed its workspace; False when it is still
            busy after `timeout` (a job that ignores cancellation). It then ends, and closes
            its workspace, when that job returns; being a daemon thread, it never holds up
            the program's exit.
        """
        with self._lock:
            first = not self._stopped
            self._stopped = True
            outstanding = list(self._outstanding) if cancel else []
        for handle in outstanding:
            handle.cancel()
        if first:
            self._jobs.put(None)
        self._thread.join(timeout)
        self._drain()
        return not self._thread.is_alive()

    def _work(self) -> None:
        """The worker thread: open the workspace, run jobs until told to stop, close it."""
        workspace: Workspace | None = None
        open_error: Exception | None = None
        try:
            workspace = self._open_workspace()
        except Exception as error:
            open_error = error
        try:
            while (item := self._jobs.get()) is not None:
                handle, job = item
                if not handle._begin():
                    continue  # cancelled while queued: its outcome is already posted
                if workspace is None:
                    outcome: tuple[object, Exception | None] = (None, open_error)
                else:
                    context = JobContext(
                        workspace, handle._cancel_event, partial(self._post_progress, handle)
                    )
                    try:
                        outcome = _execute(job, context)
                    except BaseException as error:  # SystemExit and kin must not end the worker
                        outcome = (None, RuntimeError(f"后台任务异常终止：{error!r}"))
                handle._finish()
                # Posted before it stops being outstanding: `busy` never misses an outcome.
                self._post(partial(handle._deliver_done, *outcome))
                with self._lock:
                    self._outstanding.discard(handle)
        finally:
            if workspace is not None:
                workspace.close()

    def _cancelled_queued(self, handle: TaskHandle) -> None:
        self._post(partial(handle._deliver_done, None, Cancelled()))
        with self._lock:
            self._outstanding.discard(handle)

    def _post_progress(self, handle: TaskHandle, done: int, total: int, text: str) -> None:
        self._post(partial(handle._deliver_progress, done, total, text))

    def _post(self, deliver: Callable[[], None]) -> None:
        """Queue `deliver` for the UI thread (callable from any thread)."""
        with self._lock:
            self._outbox.append(deliver)
        self._wake()

    def _wake(self) -> None:
        """Ask the UI thread to drain the outbox, unless a wake-up is already on its way."""
        with self._lock:
            if self._wake_pending:
                return
            self._wake_pending = True
        self._bridge.wake.emit()

    def _drain(self) -> None:
        """Deliver the outbox, in order, on the UI thread."""
        with self._lock:
            self._wake_pending = False
        while True:
            with self._lock:
                if not self._outbox:
                    return
                deliver = self._outbox.popleft()
            try:
                deliver()
            except BaseException:
                self._wake()  # a failing callback (a bug, raised below) must not strand the rest
                raise


class ImmediateRunner:
    """Runs each job at once, on the calling thread, with a given workspace (for tests).

    Same interface and guarantees as `TaskRunner`, except that `submit` returns only after
    `on_progress` and `on_done` were called. The workspace stays the caller's to close.

    Args:
        workspace: The workspace every job gets.
    """

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._lock = threading.Lock()
        self._running: list[TaskHandle] = []
        self._stopped = False

    @property
    def busy(self) -> bool:
        """True only while a job runs (the runner delivers its outcome before `submit`
        returns)."""
        return bool(self._running)

    def submit(
        self,
        job: Callable[[JobContext], T],
        on_done: DoneCallback[T],
        on_progress: ProgressCallback | None = None,
    ) -> TaskHandle:
        """Run `job` now; see `TaskRunner.submit`.

        Raises:
            RuntimeError: the runner was stopped.
        """
        if self._stopped:
            raise RuntimeError("后台任务执行器已停止，不再接受新任务。")
        handle = TaskHandle(on_done, on_progress, lock=self._lock, running=True)
        context = JobContext(self._workspace, handle._cancel_event, handle._deliver_progress)
        self._running.append(handle)
        try:
            outcome = _execute(job, context)
        finally:
            self._running.remove(handle)
        handle._finish()
        handle._deliver_done(*outcome)
        return handle

    def stop(self, *, cancel: bool = True, timeout: float | None = STOP_TIMEOUT) -> bool:
        """Stop taking jobs; with `cancel`, ask the running ones (when called from a callback)
        to stop. The workspace is left open. Always returns True."""
        self._stopped = True
        if cancel:
            for handle in list(self._running):
                handle.cancel()
        return True
