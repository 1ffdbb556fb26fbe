"""Storing photos chosen or dropped on the checklist, off the UI thread.

A 12-megapixel photo takes a while to read, check and hash; the job does it on the background
runner's thread (with the runner's own workspace connection) and hands back the hashes. Every
file is checked before any is stored, so one broken file among several stores nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from inspector_app.core.model import Actor
from inspector_app.store.attachments import MAX_ATTACHMENT_BYTES, add_attachment
from inspector_app.ui.tasks import JobContext


class PhotoRejected(Exception):
    """A file is not a readable photo; nothing was stored.

    Attributes:
        name: The file's name.
        error: Why it could not be read, when it could not be read at all (else "").
    """

    def __init__(self, name: str, error: str = "") -> None:
        super().__init__(f"{name}: {error or 'not an image'}")
        self.name = name
        self.error = error


def read_photo(path: Path) -> tuple[bytes, str]:
    """Return a photo file's bytes and media type.

    Raises:
        PhotoRejected: the file cannot be read, or is not a JPEG or PNG image that decodes.
    """
    try:
        if path.stat().st_size > MAX_ATTACHMENT_BYTES:
            limit = MAX_ATTACHMENT_BYTES // (1024 * 1024)
            raise PhotoRejected(path.name, f"文件超过 {limit} MB")
        data = path.read_bytes()
    except OSError as error:
        raise PhotoRejected(path.name, error.strerror or str(error)) from error
    from inspector_app.store.photos import PhotoError, photo_media_type

    try:  # decoded whole, as a seal photo is: a broken file or a decompression bomb is refused
        return data, photo_media_type(data, path.name)
    except PhotoError as error:
        raise PhotoRejected(path.name) from error


def store_photos_job(
    paths: Sequence[Path], actor: Actor, now: datetime
) -> Callable[[JobContext], tuple[str, ...]]:
    """Return a job that checks every file, then stores each in the workspace by its SHA-256.

    The job returns the photos' hashes in the order given (a photo already stored keeps its
    one copy). It raises `PhotoRejected` before storing anything when a file is not a photo.
    """

    def job(context: JobContext) -> tuple[str, ...]:
        photos = []
        for number, path in enumerate(paths):
            context.check()
            photos.append((path.name, *read_photo(path)))
            context.progress(number + 1, len(paths) * 2)
        hashes = []
        for number, (name, data, media_type) in enumerate(photos):
            attachment = add_attachment(
                context.workspace,
                data,
                media_type=media_type,
                original_name=name,
                actor=actor,
                now=now,
            )
            hashes.append(attachment.sha256)
            context.progress(len(paths) + number + 1, len(paths) * 2)
        return tuple(hashes)

    return job
