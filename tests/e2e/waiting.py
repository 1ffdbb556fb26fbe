"""Waiting for a real program by what it says, with a deadline: never a sleep."""

from __future__ import annotations

import queue
import subprocess
import threading
import time
from collections.abc import Callable
from typing import IO, TypeVar

T = TypeVar("T")

READY_PREFIX = "inspector: 已打开工作区"
"""What the app prints on stderr once its window is shown (inspector_app/ui/launch.py)."""


class LineReader:
    """Reads a process's text stream on a thread, so a test can wait for a line with a deadline."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._thread.start()

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self._queue.put(line)
        self._queue.put(None)

    def wait_for(self, prefix: str, timeout: float) -> str:
        """Return the first line starting with `prefix`.

        Raises:
            AssertionError: The stream ended or the deadline passed first (with what was said).
        """
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                raise AssertionError(f"the program ended before {prefix!r}:\n{self.text()}")
            self.lines.append(line)
            if line.startswith(prefix):
                return line
        raise AssertionError(f"no {prefix!r} within {timeout} s:\n{self.text()}")

    def join(self, timeout: float = 30) -> None:
        """Wait until the stream has ended (its process exited) and the reading thread is done."""
        self._thread.join(timeout)

    def text(self) -> str:
        """Return what was read so far (and whatever is already waiting)."""
        while True:
            try:
                line = self._queue.get_nowait()
            except queue.Empty:
                break
            if line is not None:
                self.lines.append(line)
        return "".join(self.lines)


def poll(check: Callable[[], T | None], timeout: float, what: str, interval: float = 0.1) -> T:
    """Call `check` until it returns something other than None; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result is not None:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(interval)  # the pace of polling, bounded by the deadline


def stop(process: subprocess.Popen[str], reader: LineReader | None = None) -> None:
    """Terminate a process started by the test and reap it (killing it if it does not end).

    The reader of its output is joined before the streams are closed under it.
    """
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
    if reader is not None:
        reader.join()
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()
