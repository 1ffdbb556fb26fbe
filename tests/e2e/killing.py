"""Killing a child process at a chosen moment, as a power cut or `kill -9` would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


def run_and_kill(script: Path, args: list[str], delay: float) -> str:
    """Start `script`, SIGKILL it `delay` seconds after it prints READY; return the rest of
    what it printed (a last line cut by the kill has no newline)."""
    proc = subprocess.Popen(
        [sys.executable, str(script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert proc.stdout is not None and proc.stderr is not None
    try:
        first = proc.stdout.readline()
        if first != "READY\n":
            proc.wait(timeout=30)
            pytest.fail(f"{script.name} did not start: {first!r}\n{proc.stderr.read()}")
        time.sleep(delay)  # the crash moment, not a readiness wait
        os.kill(proc.pid, signal.SIGKILL)
        rest = proc.stdout.read()
        proc.wait(timeout=30)
        errors = proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, f"{script.name} ended by itself:\n{errors}"
    return rest


def acknowledged(printed: str) -> list[tuple[str, str]]:
    """Return the (item code, version id) of each whole `ACK <code> <version>` line that a
    killed writer printed (what `run_and_kill` returns): a last line cut by the kill, without
    its newline, is not an acknowledgement."""
    acked = []
    for line in printed.splitlines(keepends=True):
        parts = line.split()
        if line.endswith("\n") and len(parts) == 3 and parts[0] == "ACK":
            acked.append((parts[1], parts[2]))
    return acked
