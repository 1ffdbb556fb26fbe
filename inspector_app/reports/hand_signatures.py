"""Handwritten signatures (手写签名) on the printed documents: each drawing cropped to its ink,
put on white and scaled small, to stand in its place on the signature line.

The same drawing gives the same image bytes (Pillow's PNG encoder, fixed settings), so a
document stays byte-identical for the same case.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from datetime import datetime

from PIL import Image as PILImage
from PIL import ImageChops, UnidentifiedImageError
from reportlab.lib.units import mm
from reportlab.platypus import Image

from inspector_app.core.hand_signature import SignedDocument
from inspector_app.core.model import CaseFile, HandSignature, SignerKind
from inspector_app.reports.errors import ReportError
from inspector_app.store.attachments import attachment_path
from inspector_app.store.workspace import Workspace

SIGN_W, SIGN_H = 34 * mm, 11 * mm
"""The largest printed size of a signature (it keeps its proportions)."""
PRINT_DPI = 200
POINTS_PER_INCH = 72
MARGIN_PX = 4


@dataclass(frozen=True)
class PrintSignature:
    """A signature ready for the page: PNG bytes on white and its printed size in points."""

    png: bytes
    width: float
    height: float

    def flowable(self) -> Image:
        """The signature as a reportlab flowable."""
        return Image(io.BytesIO(self.png), width=self.width, height=self.height)


def print_signature(
    workspace: Workspace,
    signature: HandSignature,
    what: str,
    max_width: float = SIGN_W,
    max_height: float = SIGN_H,
) -> PrintSignature:
    """Return a signature's drawing cropped to its ink, on white, fitted to the box.

    Raises:
        ReportError: the image's file is missing (`report_photo_missing`) or unreadable
            (`report_photo_unreadable`); `what` names whose signature it is.
    """
    path = attachment_path(workspace, signature.image)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)  # not decoded
            with PILImage.open(path, formats=["PNG"]) as original:
                rgba = original.convert("RGBA")
    except FileNotFoundError as error:
        raise ReportError(
            "report_photo_missing",
            f"{what}的手写签名图像（附件 {signature.image[:12]}…）不在工作区中：{path}。"
            "请先同步或重新导入该案件；没有生成任何文件。",
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
            f"{what}的手写签名图像（附件 {signature.image[:12]}…）不是可读取的 PNG：{path}；"
            "没有生成任何文件。",
        ) from error
    white = PILImage.new("RGBA", rgba.size, (255, 255, 255, 255))
    drawing = PILImage.alpha_composite(white, rgba).convert("RGB")
    ink = ImageChops.invert(drawing.convert("L")).point(lambda v: 255 if v > 60 else 0)
    box = ink.getbbox()
    if box is not None:
        left, top, right, bottom = box
        drawing = drawing.crop(
            (
                max(0, left - MARGIN_PX),
                max(0, top - MARGIN_PX),
                min(drawing.width, right + MARGIN_PX),
                min(drawing.height, bottom + MARGIN_PX),
            )
        )
    limit = (
        round(max_width / POINTS_PER_INCH * PRINT_DPI),
        round(max_height / POINTS_PER_INCH * PRINT_DPI),
    )
    drawing.thumbnail(limit, PILImage.Resampling.LANCZOS)
    out = io.BytesIO()
    drawing.save(out, "PNG", optimize=False, compress_level=9)
    scale = min(max_width / drawing.width, max_height / drawing.height)
    return PrintSignature(out.getvalue(), drawing.width * scale, drawing.height * scale)


def member_signature(
    state: CaseFile, document: SignedDocument, member_id: str
) -> HandSignature | None:
    """Return a member's handwritten signature on a document, if they signed it."""
    return next(
        (
            h
            for h in state.hand_signatures
            if h.document == document.value
            and h.signer_kind == SignerKind.MEMBER
            and h.member_id == member_id
        ),
        None,
    )


def representative_signatures(
    state: CaseFile,
    document: SignedDocument,
    name: str | None = None,
    after: datetime | None = None,
) -> list[HandSignature]:
    """Return the enterprise representatives' signatures on a document, by time (only the one
    named `name`, and only those made at or after `after`, when given)."""
    return sorted(
        (
            h
            for h in state.hand_signatures
            if h.document == document.value
            and h.signer_kind == SignerKind.REPRESENTATIVE
            and (name is None or (h.representative or "").strip() == name.strip())
            and (after is None or h.signed_at >= after)
        ),
        key=lambda h: (h.signed_at, h.id),
    )
