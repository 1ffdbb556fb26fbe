"""Photos taken on site (seals 封条, evidence): checked to be a readable image, stored as an
attachment by SHA-256, and a small thumbnail made for the screen.

Both functions read and decode whole files, so the UI runs them off its thread (`ui.tasks`).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from inspector_app.core.model import Actor, Attachment
from inspector_app.store.attachments import MAX_ATTACHMENT_BYTES, add_attachment, attachment_path
from inspector_app.store.errors import WorkspaceError
from inspector_app.store.workspace import Workspace

PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}
"""The image formats a photo may have (Pillow's name) and their media types."""

THUMBNAIL_SIZE = 96
"""The longest side of a thumbnail, in pixels."""


class PhotoError(WorkspaceError):
    """The file is not a photo the workspace can keep (unreadable, not an image, too big)."""


@dataclass(frozen=True)
class StoredPhoto:
    """A photo stored in the workspace, and its thumbnail (PNG bytes) for the screen."""

    attachment: Attachment
    thumbnail: bytes


def _thumbnail(data: bytes, name: str) -> tuple[str, bytes]:
    """Decode `data` fully; return its media type and a PNG thumbnail.

    Raises:
        PhotoError: not a JPEG or PNG image, or a broken one.
    """
    refusal = f"“{name}”不是可读取的 JPEG 或 PNG 图片（文件损坏或不是照片），未保存。"
    try:
        with warnings.catch_warnings():
            # A decompression bomb (a tiny file claiming a gigantic picture) is refused.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                media_type = PHOTO_FORMATS.get(image.format or "")
                if media_type is None:
                    raise PhotoError(refusal)
                image.draft("RGB", (THUMBNAIL_SIZE * 2, THUMBNAIL_SIZE * 2))
                small = ImageOps.exif_transpose(image).convert("RGB")
                small.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
                out = io.BytesIO()
                small.save(out, "PNG")
    except PhotoError:
        raise
    except (
        OSError,
        UnidentifiedImageError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise PhotoError(refusal) from error
    return media_type, out.getvalue()


def photo_media_type(data: bytes, name: str) -> str:
    """Return the media type of a photo's bytes after decoding it whole, as `store_photo`
    does: what a case file brings as a seal photo or evidence passes the same check.

    Raises:
        PhotoError: not a JPEG or PNG image, a broken one, or a decompression bomb.
    """
    return _thumbnail(data, name)[0]


def store_photo(workspace: Workspace, path: Path, *, actor: Actor, now: datetime) -> StoredPhoto:
    """Check that the file at `path` is a readable JPEG or PNG photo, store it by its hash and
    return it with a thumbnail. A refused file stores nothing.

    Raises:
        PhotoError: the file cannot be read, is too big, or is not a readable image.
        WorkspaceError: a known storage failure.
    """
    try:
        size = path.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            raise PhotoError(
                f"照片“{path.name}”超过 {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB，未保存。"
            )
        data = path.read_bytes()
    except OSError as error:
        raise PhotoError(
            f"无法读取照片“{path.name}”：{error.strerror or error}。未保存。"
        ) from error
    media_type, thumbnail = _thumbnail(data, path.name)
    attachment = add_attachment(
        workspace, data, media_type=media_type, original_name=path.name, actor=actor, now=now
    )
    return StoredPhoto(attachment, thumbnail)


def photo_thumbnail(workspace: Workspace, sha256: str) -> bytes:
    """Return a PNG thumbnail of the stored photo `sha256`.

    Raises:
        PhotoError: the file is missing from the workspace or not a readable image.
        WorkspaceError: `sha256` is not a SHA-256.
    """
    path = attachment_path(workspace, sha256)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PhotoError(
            f"照片（附件 {sha256[:12]}…）的文件不在工作区中；请先同步或重新导入该案件的附件。"
        ) from error
    return _thumbnail(data, f"附件 {sha256[:12]}…")[1]
