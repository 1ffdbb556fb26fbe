"""Photos of seals and evidence: a readable JPEG or PNG is stored by its hash with a thumbnail;
anything else is refused with a clear message and nothing is stored."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from inspector_app.core.model import Actor
from inspector_app.demo import demo_png
from inspector_app.store.attachments import attachment_path, known_hashes
from inspector_app.store.photos import PhotoError, photo_thumbnail, store_photo
from inspector_app.store.workspace import Workspace, open_workspace

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
ACTOR = Actor("r1", "王建华")


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    with open_workspace(tmp_path / "ws") as workspace:
        yield workspace


def _count(ws: Workspace) -> int:
    return int(ws.db.execute("SELECT count(*) FROM attachment").fetchone()[0])


def _thumb_size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        return image.size


def test_store_photo_keeps_a_png_by_its_hash_with_a_thumbnail(
    ws: Workspace, tmp_path: Path
) -> None:
    data = demo_png("seal")
    path = tmp_path / "封条1.png"
    path.write_bytes(data)
    stored = store_photo(ws, path, actor=ACTOR, now=NOW)
    digest = hashlib.sha256(data).hexdigest()
    assert stored.attachment.sha256 == digest
    assert stored.attachment.media_type == "image/png"
    assert attachment_path(ws, digest).read_bytes() == data
    assert known_hashes(ws.db, [digest]) == {digest}
    assert _thumb_size(stored.thumbnail) == (16, 16)  # small pictures are not enlarged
    assert photo_thumbnail(ws, digest) == stored.thumbnail


def test_a_big_jpeg_gets_a_small_thumbnail_and_its_type_from_its_content(
    ws: Workspace, tmp_path: Path
) -> None:
    out = io.BytesIO()
    Image.new("RGB", (1200, 800), (200, 30, 30)).save(out, "JPEG")
    path = tmp_path / "seal.png"  # a misleading extension: the content decides
    path.write_bytes(out.getvalue())
    stored = store_photo(ws, path, actor=ACTOR, now=NOW)
    assert stored.attachment.media_type == "image/jpeg"
    assert _thumb_size(stored.thumbnail) == (96, 64)


def _noise_jpeg() -> bytes:
    out = io.BytesIO()
    Image.frombytes("RGB", (200, 200), hashlib.sha256(b"x").digest() * 3750).save(out, "JPEG")
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        b"not a picture at all",
        b"",
        _noise_jpeg()[:3000],  # cut off in the middle
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",  # an image, but not a photo format we keep
    ],
    ids=["text", "empty", "truncated", "gif"],
)
def test_a_broken_or_non_image_file_is_refused_and_nothing_stored(
    ws: Workspace, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "seal.jpg"
    path.write_bytes(content)
    with pytest.raises(PhotoError, match=r"seal\.jpg"):
        store_photo(ws, path, actor=ACTOR, now=NOW)
    assert _count(ws) == 0
    assert not any(p.is_file() for p in ws.attachments.rglob("*"))


def test_a_decompression_bomb_is_refused(ws: Workspace, tmp_path: Path) -> None:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 60000, 60000, 8, 2, 0, 0, 0)  # claims 3.6 gigapixels
    bomb = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")
    path = tmp_path / "bomb.png"
    path.write_bytes(bomb)
    with pytest.raises(PhotoError):
        store_photo(ws, path, actor=ACTOR, now=NOW)
    assert _count(ws) == 0


def test_a_missing_file_is_refused(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(PhotoError, match=r"gone\.jpg"):
        store_photo(ws, tmp_path / "gone.jpg", actor=ACTOR, now=NOW)


def test_photo_thumbnail_of_a_missing_attachment_is_refused(ws: Workspace) -> None:
    with pytest.raises(PhotoError, match="不在工作区"):
        photo_thumbnail(ws, "ab" * 32)
