"""The page of every document: A4, the application number, the confidentiality mark, the late
marks, "第 2 页 共 9 页"; the paragraph and table styles, all in the embedded Chinese font.

reportlab falls back to an unembedded Helvetica for bullets, table cells and the canvas's
initial font unless told otherwise: every style here names the Chinese font for all three.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from inspector_app.reports.fonts import FontSet

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 30 * mm
MARGIN_BOTTOM = 20 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
CONFIDENTIAL = "内部资料 注意保密"
MARK_RED = colors.HexColor("#B00000")
GRID_GREY = colors.HexColor("#808080")
HEADER_FILL = colors.HexColor("#E8E8E8")


Cell: TypeAlias = str | Flowable | list[Flowable]
"""A table cell: text (a wrapping paragraph), a flowable, or flowables stacked."""


@dataclass(frozen=True)
class PageMarks:
    """What every page shows besides its content.

    Attributes:
        application_no: the case's application number (申请编号).
        title: the document's title, in the footer.
        late: the case's late marks (已超期 / 逾期作出结论), in red under the header.
        pdf_date: the document's date in PDF form (D:YYYYMMDDHHmmSS+08'00'), from the case.
    """

    application_no: str
    title: str
    late: tuple[str, ...]
    pdf_date: str


class Styles:
    """The paragraph styles of the documents, all in the main Chinese font."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts

        def style(name: str, size: float, **extra: Any) -> ParagraphStyle:
            return ParagraphStyle(
                name,
                fontName=fonts.main,
                bulletFontName=fonts.main,
                fontSize=size,
                leading=extra.pop("leading", size * 1.45),
                wordWrap="CJK",
                alignment=extra.pop("alignment", TA_LEFT),
                **extra,
            )

        self.title = style("title", 17, alignment=TA_CENTER, spaceAfter=4 * mm)
        self.subtitle = style("subtitle", 10, alignment=TA_CENTER, spaceAfter=4 * mm)
        self.heading = style("heading", 12, spaceBefore=4 * mm, spaceAfter=2 * mm)
        self.body = style("body", 10.5, spaceAfter=2 * mm)
        self.promise = style("promise", 11, leading=20, spaceAfter=2 * mm, firstLineIndent=22)
        self.cell = style("cell", 9)
        self.small_cell = style("small_cell", 8.5)
        self.centered_cell = style("centered_cell", 9, alignment=TA_CENTER)
        self.note = style("note", 8.5, textColor=colors.HexColor("#404040"), spaceAfter=2 * mm)
        self.mark = style("mark", 10.5, textColor=MARK_RED, spaceAfter=2 * mm)

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        """A paragraph of plain text (escaped; rare characters in their fallback font)."""
        return Paragraph(self.fonts.markup(text), style or self.body)


def table(
    styles: Styles,
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    *,
    header: bool = True,
    cell_style: ParagraphStyle | None = None,
    extra: Sequence[tuple[Any, ...]] = (),
    heights: Sequence[float] | None = None,
) -> Table:
    """A grid table; text cells become wrapping paragraphs, the first row (when `header`) is
    shaded and repeated on each page the table runs onto."""
    style = cell_style or styles.cell
    cells = [[styles.p(c, style) if isinstance(c, str) else c for c in row] for row in rows]
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), styles.fonts.main),
        ("FONTSIZE", (0, 0), (-1, -1), style.fontSize),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID_GREY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL))
    commands.extend(extra)
    result = Table(
        cells,
        colWidths=list(widths),
        rowHeights=list(heights) if heights else None,
        repeatRows=1 if header else 0,
    )
    result.setStyle(TableStyle(commands))
    return result


def field_table(styles: Styles, pairs: Sequence[tuple[str, Cell]], label_width: float) -> Table:
    """A two-column table of labelled fields (label | value: text or a flowable)."""
    return table(
        styles,
        [[label, value] for label, value in pairs],
        [label_width, CONTENT_WIDTH - label_width],
        header=False,
        extra=[("BACKGROUND", (0, 0), (0, -1), HEADER_FILL)],
    )


def _draw_runs(
    canvas: Canvas, fonts: FontSet, x: float, y: float, text: str, size: float, align: str
) -> None:
    """Draw one line of text in its fonts (fallback fonts for rare characters)."""
    runs = fonts.runs(text)
    width = sum(stringWidth(run, font, size) for font, run in runs)
    if align == "right":
        x -= width
    elif align == "center":
        x -= width / 2
    for font, run in runs:
        canvas.setFont(font, size)
        canvas.drawString(x, y, run)
        x += stringWidth(run, font, size)


def _decorate(canvas: Canvas, fonts: FontSet, marks: PageMarks, page: int, total: int) -> None:
    canvas.saveState()
    top = PAGE_HEIGHT - 14 * mm
    canvas.setFillColor(colors.black)
    _draw_runs(canvas, fonts, MARGIN_X, top, f"申请编号：{marks.application_no}", 9, "left")
    canvas.setFillColor(MARK_RED)
    _draw_runs(canvas, fonts, PAGE_WIDTH - MARGIN_X, top, CONFIDENTIAL, 10, "right")
    canvas.setStrokeColor(GRID_GREY)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN_X, top - 2.5 * mm, PAGE_WIDTH - MARGIN_X, top - 2.5 * mm)
    y = top - 7 * mm
    for late in marks.late:
        _draw_runs(canvas, fonts, MARGIN_X, y, late, 8.5, "left")
        y -= 4 * mm
    canvas.setFillColor(colors.black)
    bottom = 11 * mm
    canvas.line(MARGIN_X, bottom + 4 * mm, PAGE_WIDTH - MARGIN_X, bottom + 4 * mm)
    _draw_runs(canvas, fonts, MARGIN_X, bottom, marks.title, 8.5, "left")
    _draw_runs(canvas, fonts, PAGE_WIDTH / 2, bottom, f"第 {page} 页 共 {total} 页", 9, "center")
    canvas.setFillColor(MARK_RED)
    _draw_runs(canvas, fonts, PAGE_WIDTH - MARGIN_X, bottom, CONFIDENTIAL, 8.5, "right")
    canvas.restoreState()


def _numbered_canvas(fonts: FontSet, marks: PageMarks) -> Callable[..., Canvas]:
    """A canvas class that holds its pages back until the end, so that each page can say how
    many pages there are ("第 2 页 共 9 页")."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type hints
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []
            # The document's dates come from the case, never from the clock.
            self.setDateFormatter(lambda *_: marks.pdf_date)

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                _decorate(self, fonts, marks, number, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


@dataclass(frozen=True)
class DocumentInfo:
    """The PDF's document information (fixed from the case, so that builds are identical)."""

    title: str
    subject: str
    keywords: str


def render(
    flowables: list[Flowable], fonts: FontSet, marks: PageMarks, info: DocumentInfo
) -> bytes:
    """Lay the flowables out on numbered A4 pages and return the PDF's bytes.

    `invariant=1` keeps reportlab from writing the current time and a random file id; the
    document's dates are the case's (`marks.pdf_date`).
    """
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP + 4 * mm * max(0, len(marks.late) - 1),
        bottomMargin=MARGIN_BOTTOM,
        title=info.title,
        subject=info.subject,
        keywords=info.keywords,
        author="审查组",
        creator="inspector",
        invariant=1,
        initialFontName=fonts.main,
        lang="zh-CN",
    )
    doc.build(flowables, canvasmaker=_numbered_canvas(fonts, marks))
    return out.getvalue()
