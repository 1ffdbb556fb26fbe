"""Reading a file named by the user with a bound on its size, shared by every command that takes
an input file (case files, PDFs to verify, the office's case, form and reference files).

A file chosen by mistake may be huge (a video), endless (`/dev/zero`) or something that is not
a file at all (a folder, a named pipe that would wait for a writer for ever): each is refused at
once, in one line, without reading more than the limit plus one byte.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_INPUT_BYTES = 256 * 1024 * 1024
"""The largest input file any command reads (256 MB): far above a real case file or PDF."""


class InputTooLarge(ValueError):
    """The input file holds more than the limit (a file chosen by mistake, or a device)."""

    def __init__(self, path: Path, limit: int) -> None:
        self.path = path
        self.limit = limit
        super().__init__(f"{path} is larger than {limit_text(limit)}")


def limit_text(limit: int) -> str:
    """Return a size limit as people write it ("256 MB", "4 MB", "512 KB")."""
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MB"
    if limit >= 1024 and limit % 1024 == 0:
        return f"{limit // 1024} KB"
    return f"{limit} bytes"


def refuse_non_files(path: Path) -> None:
    """Raise OSError unless `path` names something a read can finish on: a folder, a named pipe
    (opening it waits for a writer for ever) or a socket is refused; a device is left to the
    reader's bound.

    Raises:
        OSError: it is missing, a folder (EISDIR), a pipe or socket (EINVAL; `strerror` says so).
    """
    mode = os.stat(path).st_mode
    if stat.S_ISDIR(mode):
        raise OSError(errno.EISDIR, "is a folder, not a file", str(path))
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        raise OSError(errno.EINVAL, "is a pipe or socket, not a file", str(path))


def read_bounded(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """Return the bytes of the file at `path`, reading no more than `limit` + 1 bytes.

    Raises:
        InputTooLarge: the file holds more than `limit` bytes.
        OSError: it cannot be read: missing, no permission, a folder (EISDIR), a named pipe or
            socket (opening a pipe would wait for a writer; `strerror` says why).
    """
    refuse_non_files(path)
    with path.open("rb") as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise InputTooLarge(path, limit)
    return raw
