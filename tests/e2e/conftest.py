"""What the end-to-end tests share: a private X display (Xvfb) for Qt's xcb platform."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest

from tests.e2e.waiting import stop


def need(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        pytest.fail(
            f"{program} is missing: run `sudo bash tools/system-deps.sh` (or `make test` as root)"
        )
    return found


@pytest.fixture
def display() -> Iterator[str]:
    """Start a private Xvfb on a free display number (it says which through -displayfd)."""
    xvfb = need("Xvfb")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-nolisten", "tcp", "-screen", "0", "1280x800x24"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(write_end)
    try:
        said = b""
        deadline = time.monotonic() + 30
        while not said.endswith(b"\n"):
            left = deadline - time.monotonic()
            ready, _, _ = select.select([read_end], [], [], max(left, 0))
            chunk = os.read(read_end, 64) if ready else b""
            if not chunk:  # the deadline passed, or Xvfb ended without naming a display
                server.kill()
                _out, err = server.communicate(timeout=30)
                pytest.fail(f"Xvfb did not start: {err}")
            said += chunk
        yield f":{int(said)}"
    finally:
        os.close(read_end)
        stop(server)
