"""Runs `inspector` (cli.main) with a pause inside the outermost write transaction.

Usage: python tests/unit/interrupt_helper.py INSPECTOR-ARGS...

When a transaction is about to commit with a case in it, prints `PAUSED` on stdout and waits
(in Python, so a signal is handled at once) for SIGINT, which then arrives mid-transaction.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlite_utils import Database

from inspector_app import cli

original_atomic = Database.atomic


@contextmanager
def pausing_atomic(self: Database) -> Iterator[None]:
    with original_atomic(self):
        yield
        busy = self.conn.in_transaction and self["review_case"].exists()
        if busy and self.execute("SELECT count(*) FROM review_case").fetchone()[0]:
            print("PAUSED", flush=True)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                time.sleep(0.01)


Database.atomic = pausing_atomic  # type: ignore[method-assign,assignment]

if __name__ == "__main__":
    cli.main(sys.argv[1:])
