"""Handwritten signatures printed in their places: the on-site report (members and the
enterprise's representative), each declaration, the filing and the sampling record."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspector_app.demo import demo_id, fill_demo
from inspector_app.reports.errors import ReportError
from inspector_app.store.attachments import attachment_path
from inspector_app.store.casework import load_case_file
from inspector_app.store.workspace import Workspace, open_workspace
from tests.unit.test_reports import NOW, build, printed

pytestmark = pytest.mark.skipif(
    shutil.which("pdfimages") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdfimages, pdftotext) not installed",
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    folder = tmp_path_factory.mktemp("hand-reports") / "ws"
    with open_workspace(folder) as workspace:
        fill_demo(workspace, NOW)
        yield workspace


def images_per_page(pdf: bytes, tmp_path: Path) -> Counter[int]:
    """How many images each page shows (pdfimages -list), with their sizes."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, check=True, text=True
    ).stdout
    pages: Counter[int] = Counter()
    for line in out.splitlines()[2:]:
        fields = line.split()
        if fields and fields[2] == "image":
            pages[int(fields[0])] += 1
    return pages


def page_of(doc_pages: list[str], text: str) -> int:
    return next(n for n, page in enumerate(doc_pages, start=1) if text in page)


def test_onsite_report_shows_every_members_and_the_representatives_signature(
    demo: Workspace, tmp_path: Path
) -> None:
    pdf = build(demo, "f", "onsite")
    doc = printed(pdf, tmp_path)
    signing = page_of(doc.pages, "六、签字")
    page = doc.pages[signing - 1]
    section = page[page.index("六、签字") :]
    assert "王建华（江苏省产品质量监督检验研究院）" in section
    assert "王建华（中国水泥协会）" in section
    assert "企业负责人王立军" in section  # the contact who signed for the enterprise
    state = load_case_file(demo.db, demo_id("f", "case"))
    onsite = [h for h in state.hand_signatures if h.document == "onsite"]
    assert len(onsite) == 4
    assert images_per_page(pdf, tmp_path)[signing] == len(onsite)


def test_an_unsigned_report_has_empty_signature_lines(demo: Workspace, tmp_path: Path) -> None:
    pdf = build(demo, "c", "onsite")  # under review: nobody has signed
    doc = printed(pdf, tmp_path)
    assert images_per_page(pdf, tmp_path)[page_of(doc.pages, "六、签字")] == 0


def test_each_declaration_carries_its_members_signature(demo: Workspace, tmp_path: Path) -> None:
    pdf = build(demo, "f", "declaration")
    doc = printed(pdf, tmp_path)
    counts = images_per_page(pdf, tmp_path)
    assert len(doc.pages) == 3
    assert [counts[n] for n in range(1, 4)] == [1, 1, 1]
    assert "王建华" in doc.pages[0] and "中国水泥协会" in doc.text


def test_the_filing_carries_the_leaders_signature(demo: Workspace, tmp_path: Path) -> None:
    pdf = build(demo, "f", "filing")
    doc = printed(pdf, tmp_path)
    assert "审查组长签字" in doc.text
    assert sum(images_per_page(pdf, tmp_path).values()) == 1


def test_the_sampling_record_carries_the_samplers_and_the_representative(
    demo: Workspace, tmp_path: Path
) -> None:
    pdf = build(demo, "f", "sampling")
    doc = printed(pdf, tmp_path)
    assert "抽样人签字" in doc.text and "企业代表签字" in doc.text
    signing = page_of(doc.pages, "抽样人签字")
    assert "王建华（中国水泥协会）" in doc.pages[signing - 1]
    total = sum(images_per_page(pdf, tmp_path).values())
    assert total == 2 + 3  # two seal photos; two samplers and the representative


@pytest.mark.parametrize("kind", ["filing", "declaration", "onsite", "sampling", "full"])
def test_signed_documents_are_byte_identical(demo: Workspace, kind: str) -> None:
    assert build(demo, "g", kind) == build(demo, "g", kind)


def test_a_missing_signature_image_is_refused_naming_whose(demo: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    shutil.copytree(demo.folder, folder)
    with open_workspace(folder) as copy:
        state = load_case_file(copy.db, demo_id("d", "case"))
        signature = next(h for h in state.hand_signatures if h.signer_kind == "representative")
        attachment_path(copy, signature.image).unlink()
        with pytest.raises(ReportError) as refused:
            build(copy, "d", "onsite")
        assert refused.value.rule == "report_photo_missing"
        assert "企业代表" in str(refused.value) and "手写签名" in str(refused.value)
