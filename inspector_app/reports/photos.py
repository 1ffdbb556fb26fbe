"""Photos (seals, evidence) downscaled for print: a 12-megapixel camera JPEG becomes a small
JPEG at about 200 dpi of its printed size, so a report with many photos stays small and quick.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError
from reportlab.platypus import Image

from inspector_app.reports.errors import ReportError
from inspector_app.store.attachments import attachment_path
from inspector_app.store.workspace import Workspace

PRINT_DPI = 200
JPEG_QUALITY = 80
POINTS_PER_INCH = 72


@dataclass(frozen=True)
class PrintPhoto:
    """A photo ready for the page: JPEG bytes and its printed size in points."""

    jpeg: bytes
    width: float
    height: float

    def flowable(self) -> Image:
        """The photo as a reportlab flowable (the JPEG is embedded as it is)."""
        return Image(io.BytesIO(self.jpeg), width=self.width, height=self.height)


def print_photo(
    workspace: Workspace, sha256: str, max_width: float, max_height: float, what: str
) -> PrintPhoto:
    """Return the attachment `sha256` downscaled to fit `max_width` × `max_height` points.

    Args:
        workspace: the workspace holding the attachment's file.
        sha256: the attachment's hash.
        max_width: the largest printed width, in points.
        max_height: the largest printed height, in points.
        what: what the photo shows, for a message ("第 3.2 项的证据照片").

    Raises:
        ReportError: the file is missing (rule `report_photo_missing`) or not a readable image
            (rule `report_photo_unreadable`).
    """
    path = attachment_path(workspace, sha256)
    limit = (
        round(max_width / POINTS_PER_INCH * PRINT_DPI),
        round(max_height / POINTS_PER_INCH * PRINT_DPI),
    )
    try:
        with warnings.catch_warnings():
            # A decompression bomb (a small file claiming a gigantic picture) is refused,
            # not decoded into gigabytes.
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(path) as original:
                # JPEG decodes straight at 1/2, 1/4 or 1/8 scale: a 12-megapixel photo in a
                # fraction of the time of a full decode.
                original.draft("RGB", limit)
                image = ImageOps.exif_transpose(original).convert("RGB")
                image.thumbnail(limit, PILImage.Resampling.BICUBIC)
                out = io.BytesIO()
                image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
                width_px, height_px = image.size
    except FileNotFoundError as error:
        raise ReportError(
            "report_photo_missing",
            f"{what}（附件 {sha256[:12]}…）的文件不在工作区中：{path}。"
            "请先同步或重新导入该案件的附件；没有生成任何文件。",
        ) from error
    except (
        OSError,
        UnidentifiedImageError,
        ValueError,
        PILImage.DecompressionBombError,
        PILImage.DecompressionBombWarning,
    ) as error:
        raise ReportError(
            "report_photo_unreadable",
            f"{what}（附件 {sha256[:12]}…）不是可读取的图片：{path}；没有生成任何文件。",
        ) from error
    scale = min(max_width / width_px, max_height / height_px)
    return PrintPhoto(out.getvalue(), width_px * scale, height_px * scale)
