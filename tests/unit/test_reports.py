"""The PDF documents: every required field printed, every page numbered and marked
confidential, fonts embedded, byte-identical builds, rare characters never dropped."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from inspector_app.cli import cli
from inspector_app.core.feedback_form import FEEDBACK_QUESTIONS
from inspector_app.core.model import Actor, Role, new_id
from inspector_app.core.team import member_from_reviewer
from inspector_app.demo import demo_id, demo_reviewers
from inspector_app.reports.context import CaseContext
from inspector_app.reports.documents import build_document
from inspector_app.reports.errors import ReportError
from inspector_app.reports.fonts import FontFile, FontSet, candidate_fonts
from inspector_app.reports.kinds import PRINTABLE, DocumentKind
from inspector_app.store.casework import Casework, load_case_file
from inspector_app.store.reviewers import add_reviewer
from inspector_app.store.workspace import Workspace, open_workspace
from tests.conftest import DemoWorkspaces

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
WQY = FontFile(Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0)
DEJAVU = FontFile(Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"), 0)
RARE = "䶮"  # U+4DAE, CJK extension A: not in WenQuanYi Micro Hei

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils (pdftotext, pdffonts) not installed",
)
needs_wqy = pytest.mark.skipif(not WQY.path.is_file(), reason="fonts-wqy-microhei not installed")


@pytest.fixture(scope="module")
def demo(
    demo_workspaces: DemoWorkspaces, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Workspace]:
    folder = tmp_path_factory.mktemp("reports") / "ws"
    demo_workspaces.copy(folder, NOW)
    with open_workspace(folder) as workspace:
        yield workspace


def build(workspace: Workspace, key: str, kind: str, fonts: FontSet | None = None) -> bytes:
    return build_document(workspace, demo_id(key, "case"), kind, now=NOW, fonts=fonts)


@dataclass
class Printed:
    pages: list[str]

    @property
    def text(self) -> str:
        return "".join(self.pages)


def squeeze(text: str) -> str:
    """Text without whitespace: a long value may wrap inside its table cell."""
    return re.sub(r"\s+", "", text)


def printed(pdf: bytes, tmp_path: Path) -> Printed:
    path = tmp_path / f"doc-{new_id()}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    return Printed([squeeze(page) for page in out.split("\f") if page.strip()])


def fonts_listed(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    path = tmp_path / f"fonts-{new_id()}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)
    return [line.split() for line in out.stdout.splitlines()[2:] if line.strip()]


def assert_every_page_marked(doc: Printed, application_no: str) -> None:
    total = len(doc.pages)
    assert total >= 1
    for number, page in enumerate(doc.pages, start=1):
        assert f"第{number}页共{total}页" in page
        assert "内部资料注意保密" in page
        assert application_no in page


# What each document must show ----------------------------------------------------------------


@needs_poppler
def test_filing_holds_every_field_of_the_filing(demo: Workspace, tmp_path: Path) -> None:
    state = load_case_file(demo.db, demo_id("f", "case"))
    doc = printed(build(demo, "f", "filing"), tmp_path)
    ent = state.enterprise
    for value in (ent.name, ent.address, ent.contact_person, ent.phone, "备案时间"):
        assert squeeze(value) in doc.text
    for member in state.members:
        for value in (member.name, member.unit, member.phone):
            assert squeeze(value) in doc.text
    assert "组长" in doc.text and "组员" in doc.text
    assert_every_page_marked(doc, state.case.application_no)


@needs_poppler
def test_declaration_one_per_member_with_promises(demo: Workspace, tmp_path: Path) -> None:
    state = load_case_file(demo.db, demo_id("g", "case"))
    doc = printed(build(demo, "g", "declaration"), tmp_path)
    assert len(doc.pages) == len(state.members)
    for page in doc.pages:
        assert "廉洁承诺书" in page
        assert "有偿咨询" in page and "兼职" in page and "不正当利益" in page
        assert "签署时间" in page and "尚未签署" not in page
    for member in state.members:
        assert any(member.name in p and squeeze(member.unit) in p for p in doc.pages)
    assert_every_page_marked(doc, state.case.application_no)


@needs_poppler
@pytest.mark.parametrize("key", ["c", "d", "h"])
def test_onsite_report_lists_every_item_with_assessor_and_verdict(
    demo: Workspace, tmp_path: Path, key: str
) -> None:
    context = CaseContext.load(demo, demo_id(key, "case"), NOW)
    doc = printed(build(demo, key, "onsite"), tmp_path)
    for item in context.form.items():
        assert item.code in doc.text
    for member in context.state.members:
        assert member.name in doc.text
    assert squeeze(context.verdict.explain()) in doc.text
    assert squeeze(context.state.enterprise.name) in doc.text
    assert "审查组长签发" in doc.text and "签名" in doc.text
    assert_every_page_marked(doc, context.state.case.application_no)


@needs_poppler
def test_onsite_report_tells_namesakes_apart_by_unit(demo: Workspace, tmp_path: Path) -> None:
    """The cement team has two reviewers called 王建华: each result names its assessor's unit."""
    doc = printed(build(demo, "d", "onsite"), tmp_path)
    assert "王建华（中国水泥协会）" in doc.text
    assert "王建华（江苏省产品质量监督检验研究院）" in doc.text


@needs_poppler
def test_onsite_report_of_h_has_objection_fail_reasons_and_late_mark(
    demo: Workspace, tmp_path: Path
) -> None:
    state = load_case_file(demo.db, demo_id("h", "case"))
    doc = printed(build(demo, "h", "onsite"), tmp_path)
    assert squeeze(state.objections[0].text) in doc.text
    assert "不合格：否决项" in doc.text
    for page in doc.pages:  # concluded after the 30-day deadline: said on every page
        assert "【逾期作出结论】" in page
    assert "附：证据照片" in doc.text  # the failed veto item's photo


@needs_poppler
def test_overdue_case_says_so(demo: Workspace, tmp_path: Path) -> None:
    doc = printed(build(demo, "i", "onsite"), tmp_path)
    assert all("【已超期】" in page for page in doc.pages)
    assert "未完成" in doc.text
    in_time = printed(build(demo, "g", "onsite"), tmp_path)
    assert "【已超期】" not in in_time.text and "【逾期作出结论】" not in in_time.text


@needs_poppler
@pytest.mark.parametrize("key", ["f", "g"])
def test_sampling_record_holds_every_field_and_seal(
    demo: Workspace, tmp_path: Path, key: str
) -> None:
    context = CaseContext.load(demo, demo_id(key, "case"), NOW)
    doc = printed(build(demo, key, "sampling"), tmp_path)
    (sample,) = context.state.samples
    for value in (
        sample.product_name,
        sample.model_spec,
        sample.batch_no,
        sample.base_quantity,
        sample.sample_quantity,
        sample.reserve_quantity,
        sample.sampling_place,
        sample.enterprise_representative,
        sample.agency,
        context.when(sample.sampled_at),
    ):
        assert squeeze(value) in doc.text
    for seal in context.state.seals:
        assert seal.seal_no in doc.text
    for sampler in sample.sampler_ids:
        assert squeeze(context.person(sampler)) in doc.text
    assert "企业从有资质的检验机构中自主选择" in doc.text
    assert "2026-05-" in doc.text or "2026-06-" in doc.text  # the send-by date
    assert_every_page_marked(doc, context.state.case.application_no)


def test_sampling_record_embeds_a_downscaled_photo_per_seal(demo: Workspace) -> None:
    pdf = build(demo, "f", "sampling")
    assert pdf.count(b"/Subtype /Image") >= 2


@needs_poppler
def test_feedback_form_asks_the_regulations_questions(demo: Workspace, tmp_path: Path) -> None:
    doc = printed(build(demo, "a", "feedback"), tmp_path)
    for question in FEEDBACK_QUESTIONS:
        assert squeeze(question.text) in doc.text
    for word in ("收取", "有偿咨询", "刁难", "礼品", "检验机构", "仪器设备", "满意", "意见和建议"):
        assert word in doc.text
    assert_every_page_marked(doc, "XK06-2026-0101")


@needs_poppler
def test_full_report_has_all_documents_in_order(demo: Workspace, tmp_path: Path) -> None:
    doc = printed(build(demo, "g", "full"), tmp_path)
    assert "本案卷包括" in doc.pages[0]
    titles = ("审查组备案表", "廉洁承诺书", "企业实地核查报告", "抽样单/封样记录", "企业反馈表")
    first_pages = [
        next(n for n, page in enumerate(doc.pages[1:], start=1) if title in page)
        for title in titles
    ]
    assert first_pages == sorted(first_pages)
    assert len(set(first_pages)) == len(titles)
    assert_every_page_marked(doc, "XK06-2026-0104")


def test_nothing_to_print_is_refused_clearly(demo: Workspace) -> None:
    with pytest.raises(ReportError, match="没有抽样记录") as refused:
        build(demo, "a", "sampling")
    assert refused.value.rule == "report_nothing_to_print"
    with pytest.raises(ReportError, match="尚未备案"):
        build(demo, "i", "filing")


# Fonts ---------------------------------------------------------------------------------------


@needs_poppler
@pytest.mark.parametrize("kind", [k.value for k in PRINTABLE if k != DocumentKind.SAMPLING])
def test_every_font_is_embedded(demo: Workspace, tmp_path: Path, kind: str) -> None:
    fonts = fonts_listed(build(demo, "h", kind), tmp_path)
    assert fonts
    for row in fonts:  # name type [encoding] emb sub uni id gen
        assert row[-5] == "yes" and row[-4] == "yes", row  # embedded, subset
        assert "Helvetica" not in row[0]


@needs_wqy
def test_wenquanyi_lacks_the_rare_character_the_tests_rely_on() -> None:
    fonts = FontSet([WQY])
    for common in "堃喆王建华":
        assert fonts.font_of(common) == fonts.main
    with pytest.raises(ReportError):
        fonts.font_of(RARE)


def add_rare_member(workspace: Workspace, key: str) -> None:
    """Add a reviewer whose name has a character WenQuanYi lacks to a demo case's team."""
    base = demo_reviewers(NOW.date())[1]
    reviewer = type(base)(**{**base.__dict__, "id": new_id(), "name": f"李{RARE}"})
    add_reviewer(workspace.db, reviewer, actor=reviewer.actor, now=NOW)
    leader = demo_reviewers(NOW.date())[0]
    member = member_from_reviewer(reviewer, demo_id(key, "case"), new_id(), Role.MEMBER)
    Casework(workspace.db, Actor(leader.id, leader.name), lambda: NOW).save_member(member)


@needs_wqy
def test_a_character_no_font_has_is_refused_naming_it_and_its_field(
    demo_workspaces: DemoWorkspaces, tmp_path: Path
) -> None:
    demo_workspaces.copy(tmp_path / "ws", NOW)
    with open_workspace(tmp_path / "ws") as workspace:
        add_rare_member(workspace, "a")
        with pytest.raises(ReportError) as refused:
            build(workspace, "a", "feedback", fonts=FontSet([WQY]))
    message = str(refused.value)
    assert refused.value.rule == "report_glyph_missing"
    assert RARE in message and "U+4DAE" in message
    assert "审查组成员" in message and "姓名" in message
    assert "fonts-hanazono" in message  # says what to install


@needs_wqy
@needs_poppler
@pytest.mark.skipif(not DEJAVU.path.is_file(), reason="DejaVu Sans not installed")
def test_a_character_the_main_font_lacks_is_drawn_in_a_fallback(
    demo_workspaces: DemoWorkspaces, tmp_path: Path
) -> None:
    fonts = FontSet([WQY, DEJAVU])
    rare = next(c for c in "ȘșȚțǅǈŉ" if fonts.font_of(c) != fonts.main)
    demo_workspaces.copy(tmp_path / "ws", NOW)
    with open_workspace(tmp_path / "ws") as workspace:
        base = demo_reviewers(NOW.date())[1]
        reviewer = type(base)(**{**base.__dict__, "id": new_id(), "name": f"王{rare}"})
        add_reviewer(workspace.db, reviewer, actor=reviewer.actor, now=NOW)
        leader = demo_reviewers(NOW.date())[0]
        member = member_from_reviewer(reviewer, demo_id("b", "case"), new_id(), Role.MEMBER)
        Casework(workspace.db, Actor(leader.id, leader.name), lambda: NOW).save_member(member)
        pdf = build(workspace, "b", "declaration", fonts=fonts)
    assert f"王{rare}" in printed(pdf, tmp_path).text
    listed = fonts_listed(pdf, tmp_path)
    assert any("DejaVu" in row[0] for row in listed)
    assert all(row[-5] == "yes" for row in listed)


def test_no_chinese_font_names_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="fonts-wqy-microhei") as refused:
        FontSet([FontFile(tmp_path / "missing.ttf")])
    assert refused.value.rule == "report_font_missing"
    assert "simsun.ttc" in str(refused.value)


def test_this_platform_has_a_font_list() -> None:
    assert candidate_fonts()


# Determinism and the command -----------------------------------------------------------------


@pytest.mark.parametrize("kind", [k.value for k in PRINTABLE if k != DocumentKind.SAMPLING])
def test_same_case_gives_identical_bytes(demo: Workspace, kind: str) -> None:
    first = build(demo, "h", kind)
    assert build(demo, "h", kind) == first
    assert b"CreationDate" in first
    later = build_document(demo, demo_id("h", "case"), kind, now=NOW.replace(hour=NOW.hour + 5))
    assert later == first  # the clock is not printed (same day: same late marks)


def test_same_sampling_record_gives_identical_bytes(demo: Workspace) -> None:
    assert build(demo, "f", "sampling") == build(demo, "f", "sampling")


def test_report_command_writes_the_pdf(tmp_path: Path) -> None:
    ws = ["--workspace", str(tmp_path / "ws")]
    assert CliRunner().invoke(cli, [*ws, "demo"]).exit_code == 0
    out = tmp_path / "case.pdf"
    result = CliRunner().invoke(
        cli, [*ws, "report", "XK06-2026-0104", "--document", "full", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
    refused = CliRunner().invoke(
        cli,
        [*ws, "report", "XK06-2026-0101", "--document", "sampling", "--out", str(tmp_path / "x")],
    )
    assert refused.exit_code == 1
    assert len(refused.stderr.strip().splitlines()) == 1 and "没有抽样记录" in refused.stderr
    assert not (tmp_path / "x").exists()


def test_report_command_opens_the_workspace_read_only(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "--workspace",
            str(tmp_path / "nowhere"),
            "report",
            "X",
            "--document",
            "feedback",
            "--out",
            str(tmp_path / "x.pdf"),
        ],
    )
    assert result.exit_code == 1
    assert not (tmp_path / "nowhere").exists()


def test_a_photo_that_is_a_decompression_bomb_is_refused_naming_it(
    demo_workspaces: DemoWorkspaces, tmp_path: Path
) -> None:
    """A seal photo whose file claims a gigantic picture (one that came in before photos
    were checked, or by sync) is refused in the report's words, never a traceback."""
    from inspector_app.store.attachments import attachment_path
    from tests.unit.test_casefile_bad_input import bomb_png

    demo_workspaces.copy(tmp_path / "ws", NOW)
    with open_workspace(tmp_path / "ws") as workspace:
        seal = load_case_file(workspace.db, demo_id("f", "case")).seals[0]
        assert seal.photo
        path = attachment_path(workspace, seal.photo)
        path.chmod(0o600)
        path.write_bytes(bomb_png(14_000))  # 196 megapixels: Pillow refuses to open it
        with pytest.raises(ReportError) as refused:
            build(workspace, "f", "sampling")
        assert refused.value.rule == "report_photo_unreadable"
        assert seal.photo[:12] in str(refused.value)
        path.write_bytes(bomb_png(10_000))  # 100 megapixels: Pillow only warns
        with pytest.raises(ReportError) as refused:
            build(workspace, "f", "sampling")
        assert refused.value.rule == "report_photo_unreadable"
