"""Making the checklist's commits durable off the UI thread (落盘确认).

The checklist commits a keyed result at once without waiting for the disk
(`store.durability.commit_without_sync`); a flusher then syncs the workspace's WAL file and
says, on the UI thread, when everything committed before the request is durable. Only then
does the page show the edit as saved.

`WalFlusher` syncs on a thread of its own (not the background runner, whose long jobs —
a sync, a document — would hold the acknowledgement back): requests that arrive while a sync
runs are answered together by the next one. `ImmediateFlusher` syncs at once on the calling
thread (tests, and pages opened without a background runner).
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from inspector_app.store.durability import checkpoint_if_large, sync_wal
from inspector_app.ui.qt import QObject, Qt, Signal, Slot

Flushed = Callable[[Exception | None], None]
"""Called on the UI thread once what was committed before the request is durable (None), or
with the error that kept it from being confirmed."""


class Flusher(Protocol):
    """What the checklist needs: make the commits so far durable, then call back."""

    def request(self, done: Flushed) -> None:
        """Make every commit made before this call durable; then call `done` on this thread."""
        ...

    def stop(self) -> None:
        """Finish the requests made so far and end (safe to call again)."""
        ...


class ImmediateFlusher:
    """Syncs the WAL file at once, on the calling thread, and calls back before returning."""

    def __init__(self, wal: Path) -> None:
        self.wal = wal

    def request(self, done: Flushed) -> None:
        """Sync now; call `done` with None, or with the error."""
        try:
            sync_wal(self.wal)
        except Exception as error:  # told to the page, which shows it
            done(error)
            return
        done(None)
        checkpoint_if_large(self.wal)

    def stop(self) -> None:
        """Nothing runs in the background: nothing to stop."""


class _Bridge(QObject):
    """Lives on the UI thread; a wake-up emitted from the flusher's thread drains there."""

    wake = Signal()

    def __init__(self, drain: Callable[[], None]) -> None:
        super().__init__()
        self._drain = drain
        self.wake.connect(self._on_wake, Qt.ConnectionType.QueuedConnection)

    @Slot()
    def _on_wake(self) -> None:
        self._drain()


class WalFlusher:
    """Syncs the WAL file on its own thread; one sync answers every request made before it.

    Construct, use and stop it on the UI thread. Callbacks are called there, in the order the
    requests were made.

    Args:
        wal: The workspace database's WAL file (`store.durability.wal_path`).
    """

    def __init__(self, wal: Path) -> None:
        self.wal = wal
        self._lock = threading.Lock()
        # A plain queue: putting a request costs the UI thread no wait on a lock the
        # flusher holds (a condition variable's notify made it wait for the GIL handover).
        self._requests: queue.SimpleQueue[Flushed | None] = queue.SimpleQueue()
        self._outbox: deque[tuple[list[Flushed], Exception | None]] = deque()
        self._stopped = False
        self._bridge = _Bridge(self._drain)
        self._thread = threading.Thread(target=self._work, name="inspector-flusher", daemon=True)
        self._thread.start()

    def request(self, done: Flushed) -> None:
        """Queue a sync; `done` is called on the UI thread after it."""
        if self._stopped:
            raise RuntimeError("落盘线程已停止。")
        self._requests.put(done)

    def stop(self, timeout: float = 10.0) -> None:
        """Sync what was requested, end the thread and deliver the last outcomes here."""
        if not self._stopped:
            self._stopped = True
            self._requests.put(None)
        self._thread.join(timeout)
        self._drain()

    def _work(self) -> None:
        stopping = False
        while not stopping:
            batch: list[Flushed] = []
            request = self._requests.get()
            while True:  # every request made until now shares this sync
                if request is None:
                    stopping = True
                else:
                    batch.append(request)
                try:
                    request = self._requests.get_nowait()
                except queue.Empty:
                    break
            if not batch:
                continue
            error: Exception | None = None
            try:
                sync_wal(self.wal)
            except Exception as failure:  # delivered to the page
                error = failure
            with self._lock:
                self._outbox.append((batch, error))
            self._bridge.wake.emit()
            checkpoint_if_large(self.wal)  # the checkpoints the page's commits leave out

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._outbox:
                    return
                batch, error = self._outbox.popleft()
            for done in batch:
                done(error)
