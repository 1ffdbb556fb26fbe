"""The clerk's batch export: predictable, safe file names; a manifest whose hashes match the
files; a second run changes nothing; the filters select; errors are one line; a cancelled
export leaves only whole files."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from inspector_app.cli import cli
from inspector_app.core.model import CaseStatus
from inspector_app.demo import (
    DEMO_CASES,
    DemoCase,
    build_demo_case,
    demo_id,
    demo_team,
)
from inspector_app.reports.export import (
    FORBIDDEN,
    MANIFEST_CSV,
    MANIFEST_JSON,
    MAX_NAME_BYTES,
    MAX_NAME_CHARS,
    ExportCancelled,
    ExportError,
    ExportSummary,
    document_file_name,
    export_cases,
)
from inspector_app.store.attachments import attachment_path
from inspector_app.store.settings import load_settings
from inspector_app.store.workspace import Workspace, open_workspace
from tests.conftest import DemoWorkspaces

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)

# What each demo case has to print, by how far its review got (see inspector_app/demo.py).
EXPECTED_KINDS = {
    "XK06-2026-0101": {"生产许可证实地核查案卷"},  # accepted
    "XK06-2026-0099": {"生产许可证实地核查案卷"},  # accepted (overdue)
    "XK06-2026-0102": {"生产许可证实地核查案卷", "审查组备案表", "廉洁承诺书"},  # team filed
    "XK08-2026-0201": {"生产许可证实地核查案卷", "审查组备案表", "廉洁承诺书", "企业实地核查报告"},
    "XK08-2026-0202": {"生产许可证实地核查案卷", "审查组备案表", "廉洁承诺书", "企业实地核查报告"},
    "XK06-2026-0103": {"生产许可证实地核查案卷", "审查组备案表", "廉洁承诺书", "企业实地核查报告"},
    "XK08-2026-0203": {
        "生产许可证实地核查案卷",
        "审查组备案表",
        "廉洁承诺书",
        "企业实地核查报告",
        "抽样单及封样记录",
    },
    "XK06-2026-0104": {
        "生产许可证实地核查案卷",
        "审查组备案表",
        "廉洁承诺书",
        "企业实地核查报告",
        "抽样单及封样记录",
        "签发报告",  # the signed on-site report stored by the sign-off
    },
    "XK16-2026-0301": {
        "生产许可证实地核查案卷",
        "审查组备案表",
        "廉洁承诺书",
        "企业实地核查报告",
        "签发报告",
    },
}
ENTERPRISES = {demo.application_no: demo.enterprise[0] for demo in DEMO_CASES}


@pytest.fixture(scope="module")
def demo_folder(demo_workspaces: DemoWorkspaces, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export") / "ws"
    demo_workspaces.copy(folder, NOW)
    return folder


@pytest.fixture
def demo(demo_folder: Path) -> Iterator[Workspace]:
    with open_workspace(demo_folder, read_only=True) as workspace:
        yield workspace


@pytest.fixture(scope="module")
def exported(
    demo_folder: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, bytes]]:
    """One whole export of the demo, and the bytes of each file it wrote."""
    out = tmp_path_factory.mktemp("out") / "导出"
    with open_workspace(demo_folder, read_only=True) as workspace:
        export_cases(workspace, out, now=NOW)
    return out, {p.name: p.read_bytes() for p in out.iterdir()}


def manifest(out: Path) -> list[dict[str, Any]]:
    files: list[dict[str, Any]] = json.loads((out / MANIFEST_JSON).read_text(encoding="utf-8"))[
        "files"
    ]
    return files


def run(folder: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--workspace", str(folder), "export", *args])


def one_line_error(result: Result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_files_and_manifest_have_the_predicted_names(
    exported: tuple[Path, dict[str, bytes]],
) -> None:
    out, files = exported
    predicted = {
        f"{number}_{ENTERPRISES[number]}_{title}.pdf"
        for number, titles in EXPECTED_KINDS.items()
        for title in titles
    }
    assert "XK06-2026-0104_宝胜科技创新股份有限公司_企业实地核查报告.pdf" in predicted
    assert set(files) == predicted | {MANIFEST_JSON, MANIFEST_CSV}
    listed = manifest(out)
    assert [entry["file"] for entry in listed] == sorted(predicted)
    entry = next(
        e for e in listed if e["file"].startswith("XK06-2026-0104_宝胜科技创新股份有限公司_企业")
    )
    assert entry["case_id"] == demo_id("g", "case")
    assert entry["application_no"] == "XK06-2026-0104"
    assert entry["enterprise"] == "宝胜科技创新股份有限公司"
    assert entry["document"] == "onsite"
    assert entry["title"] == "企业实地核查报告"


def test_manifest_sha256_and_sizes_match_the_files(exported: tuple[Path, dict[str, bytes]]) -> None:
    out, files = exported
    for entry in manifest(out):
        data = files[entry["file"]]
        assert entry["size"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert data.startswith(b"%PDF-")
    raw = files[MANIFEST_CSV]
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert [row["file"] for row in rows] == [entry["file"] for entry in manifest(out)]
    for row in rows:
        assert row["sha256"] == hashlib.sha256(files[row["file"]]).hexdigest()
        assert int(row["size"]) == len(files[row["file"]])
    assert set(rows[0]) == {
        "case_id",
        "application_no",
        "enterprise",
        "document",
        "title",
        "file",
        "size",
        "sha256",
    }


def test_a_second_run_changes_nothing(
    exported: tuple[Path, dict[str, bytes]], demo: Workspace
) -> None:
    out, files = exported
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    reported: list[tuple[int, int, str]] = []
    summary = export_cases(
        demo,
        out,
        now=NOW,
        progress=lambda *a: reported.append(a),
    )
    assert summary.written == 0
    assert summary.unchanged == len(files) - 2  # the manifests are not documents
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before
    assert {p.name: p.read_bytes() for p in out.iterdir()} == files
    total = len(files) - 2
    assert reported[0] == (0, total, "")
    assert [done for done, _, _ in reported] == list(range(total + 1))


def test_the_same_day_gives_the_same_bytes_in_another_folder(
    exported: tuple[Path, dict[str, bytes]],
    demo: Workspace,
    tmp_path: Path,
) -> None:
    _, files = exported
    export_cases(demo, tmp_path / "again", now=NOW.replace(hour=14))
    assert {p.name: p.read_bytes() for p in (tmp_path / "again").iterdir()} == files


def test_status_and_since_select(demo_folder: Path, tmp_path: Path) -> None:
    # --since takes a case accepted, concluded or signed off on or after the day.
    result = run(demo_folder, "--out", str(tmp_path / "since"), "--since", "2026-05-20")
    assert result.exit_code == 0, result.output
    numbers = {entry["application_no"] for entry in manifest(tmp_path / "since")}
    assert numbers == {
        "XK06-2026-0101",  # accepted 05-29
        "XK06-2026-0102",  # accepted 05-26
        "XK08-2026-0201",  # accepted 05-23
        "XK08-2026-0202",  # accepted 05-20 (the day itself)
        "XK06-2026-0103",  # accepted 05-17, concluded 05-22
        "XK16-2026-0301",  # accepted 04-17, concluded 05-19, signed off 05-20
    }
    selection = json.loads((tmp_path / "since" / MANIFEST_JSON).read_text(encoding="utf-8"))
    assert selection["selection"] == {"since": "2026-05-20", "status": None}

    result = run(demo_folder, "--out", str(tmp_path / "st"), "--status", "signed_off")
    assert result.exit_code == 0, result.output
    numbers = {entry["application_no"] for entry in manifest(tmp_path / "st")}
    assert numbers == {"XK06-2026-0104", "XK16-2026-0301"}

    both = tmp_path / "both"
    args = ["--out", str(both), "--status", "signed_off", "--since", "2026-05-20"]
    assert run(demo_folder, *args).exit_code == 0
    assert {entry["application_no"] for entry in manifest(both)} == {"XK16-2026-0301"}

    nothing = tmp_path / "nothing"
    assert run(demo_folder, "--out", str(nothing), "--since", "2026-06-02").exit_code == 0
    assert manifest(nothing) == []
    assert sorted(p.name for p in nothing.iterdir()) == [MANIFEST_CSV, MANIFEST_JSON]


@pytest.mark.parametrize(
    "enterprise",
    [
        '宝胜/科技:创新*股份?有限"公司<>|\\',
        "..",
        "../../etc/passwd",
        ".隐藏公司. ",
        "换行\n公司\t制表\x00空字符\u202e反向\u200d连接",
        "超长" * 200,
        "𠀀𠀁𠀂" * 100,  # CJK extension B: four UTF-8 bytes, two UTF-16 units each
    ],
)
def test_hostile_enterprise_names_give_safe_file_names(enterprise: str) -> None:
    name = document_file_name("XK06-2026-0104", enterprise, "onsite")
    assert not FORBIDDEN & set(name)
    assert all(ord(c) >= 32 and c not in "\u202e\u200d" for c in name)
    assert name.startswith("XK06-2026-0104_") and name.endswith("_企业实地核查报告.pdf")
    assert len(name) <= MAX_NAME_CHARS and len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert len(name.encode("utf-16-le")) // 2 <= 255  # NTFS counts UTF-16 units
    assert "_." not in name and " _" not in name  # nothing hidden, no trailing dot or space
    assert Path(name).name == name


def test_hostile_application_numbers_give_safe_file_names() -> None:
    assert document_file_name("NUL.x", "甲公司", "full").startswith("_NUL.x_")
    assert document_file_name("../..", "甲", "full") == "未命名_甲_生产许可证实地核查案卷.pdf"
    assert document_file_name("A" * 300, "甲", "full").startswith("A" * 40 + "_甲_")


def test_a_hostile_enterprise_exports_inside_the_folder_with_unique_names(tmp_path: Path) -> None:
    """Two cases of enterprises whose long names differ only at the end, and a name with
    separators and dots, export into the folder itself, each under its own name."""
    long_name = "江苏/宝胜:科技..创新" + "股份" * 80
    hostile = [
        DemoCase(
            key,
            number,
            (name, "江苏省扬州市宝应县苏中路1号", "刘志刚", "0514-88248888"),
            "电线电缆",
            "电力电缆",
            "wire-cable",
            CaseStatus.TEAM_FILED,
            6,
        )
        for key, number, name in (
            ("x", "XK06-2026-0901", long_name + "甲公司"),
            ("y", "xk06-2026-0901", long_name + "乙公司"),  # the same number but for case
            ("z", "../XK06-2026-0902", "../.."),
        )
    ]
    with open_workspace(tmp_path / "ws") as workspace:
        calendar = load_settings(workspace.db).calendar
        for case in hostile:
            team = demo_team(workspace, case.form_id, NOW)
            build_demo_case(workspace, case, team, NOW, calendar)
        out = tmp_path / "out"
        summary = export_cases(workspace, out, now=NOW)
    names = [f.file for f in summary.files]
    assert len(names) == 9 and len({n.casefold() for n in names}) == 9
    assert sorted(p.name for p in out.iterdir()) == sorted([*names, MANIFEST_CSV, MANIFEST_JSON])
    assert all(p.is_file() for p in out.iterdir())
    assert not list(tmp_path.glob("*.pdf")) and not (tmp_path / "etc").exists()
    for name in names:
        assert not FORBIDDEN & set(name) and not name.startswith(".")
        assert len(name) <= MAX_NAME_CHARS
    ids = {demo_id("x", "case")[:8], demo_id("y", "case")[:8]}
    assert {n.rsplit("_", 1)[1].removesuffix(".pdf") for n in names if "股份" in n} == ids
    assert "XK06-2026-0902_未命名_审查组备案表.pdf" in names


def test_errors_are_one_line_and_nothing_is_written(demo_folder: Path, tmp_path: Path) -> None:
    a_file = tmp_path / "a-file.pdf"
    a_file.write_bytes(b"keep me")
    assert "不是文件夹" in one_line_error(run(demo_folder, "--out", str(a_file)))
    assert a_file.read_bytes() == b"keep me"

    under_a_file = a_file / "out"
    assert str(under_a_file) in one_line_error(run(demo_folder, "--out", str(under_a_file)))

    bad_date = run(demo_folder, "--out", str(tmp_path / "o"), "--since", "2026-02-30")
    assert bad_date.exit_code == 2
    assert "YYYY-MM-DD" in bad_date.stderr
    bad_status = run(demo_folder, "--out", str(tmp_path / "o"), "--status", "archived")
    assert bad_status.exit_code == 2
    assert "archived" in bad_status.stderr
    assert not (tmp_path / "o").exists()

    missing = tmp_path / "no-workspace"
    assert "没有工作区" in one_line_error(run(missing, "--out", str(tmp_path / "o")))
    assert not missing.exists() and not (tmp_path / "o").exists()


@pytest.fixture
def unwritable(tmp_path: Path) -> Iterator[Path]:
    """Yield a folder that cannot be written: a read-only bind mount as root, else chmod."""
    folder = tmp_path / "locked"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    if shutil.which("mount") is None:
        pytest.skip("a read-only folder for root needs mount(8)")
    target = tmp_path / "ro"
    target.mkdir()
    if subprocess.run(["mount", "--bind", str(folder), str(target)]).returncode != 0:
        pytest.skip("mount --bind is not permitted here")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(target)], check=True)
        yield target
    finally:
        subprocess.run(["umount", str(target)], check=True)


def test_an_unwritable_folder_is_one_line(demo_folder: Path, unwritable: Path) -> None:
    message = one_line_error(run(demo_folder, "--out", str(unwritable)))
    assert str(unwritable) in message and "没有写出任何文件" in message
    assert not list(unwritable.iterdir())


def test_a_cancelled_export_leaves_only_whole_files(
    exported: tuple[Path, dict[str, bytes]],
    demo: Workspace,
    tmp_path: Path,
) -> None:
    _, files = exported
    out = tmp_path / "out"
    done: list[int] = []
    with pytest.raises(ExportCancelled) as cancelled:
        export_cases(
            demo,
            out,
            now=NOW,
            progress=lambda n, total, text: done.append(n),
            cancelled=lambda: len(done) > 3,
        )
    summary: ExportSummary = cancelled.value.summary
    assert summary.written == 3
    left = {p.name: p.read_bytes() for p in out.iterdir()}  # hidden temporary files too
    assert len(left) == 3
    assert all(files[name] == data for name, data in left.items())  # whole, as a full export
    assert MANIFEST_JSON not in left and MANIFEST_CSV not in left

    again = export_cases(demo, out, now=NOW)  # picks up where it stopped
    assert again.written == len(files) - 2 - 3 and again.unchanged == 3
    assert {p.name: p.read_bytes() for p in out.iterdir()} == files


def test_a_changed_file_removes_the_stale_manifest_until_the_export_ends(
    exported: tuple[Path, dict[str, bytes]],
    demo: Workspace,
    tmp_path: Path,
) -> None:
    _, files = exported
    out = tmp_path / "out"
    out.mkdir()
    for name, data in files.items():
        (out / name).write_bytes(data)
    first = min(name for name in files if name.endswith(".pdf"))
    (out / first).write_bytes(b"%PDF- edited by hand")
    done: list[int] = []
    with pytest.raises(ExportCancelled):
        export_cases(
            demo,
            out,
            now=NOW,
            progress=lambda n, *_: done.append(n),
            cancelled=lambda: len(done) > 1,
        )
    assert (out / first).read_bytes() == files[first]
    assert not (out / MANIFEST_JSON).exists() and not (out / MANIFEST_CSV).exists()
    assert export_cases(demo, out, now=NOW).written == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == files


def test_a_stored_signed_report_is_exported_as_it_is(
    demo_workspaces: DemoWorkspaces, tmp_path: Path
) -> None:
    demo_workspaces.copy(
        tmp_path / "ws", NOW
    )  # the signed-off demo cases went through the real sign-off
    with open_workspace(tmp_path / "ws") as workspace:
        db = workspace.db
        digest = db.execute(
            "SELECT DISTINCT document_sha256 FROM signature WHERE case_id = ?",
            [demo_id("g", "case")],
        ).fetchone()[0]
        signed_pdf = attachment_path(workspace, digest).read_bytes()
        out = tmp_path / "out"
        summary = export_cases(workspace, out, now=NOW, status=CaseStatus.SIGNED_OFF)
        name = "XK06-2026-0104_宝胜科技创新股份有限公司_签发报告.pdf"
        assert (out / name).read_bytes() == signed_pdf
        entry = next(f for f in summary.files if f.file == name)
        assert (entry.document, entry.sha256, entry.size) == ("signed", digest, len(signed_pdf))
        assert len([f for f in summary.files if f.document == "signed"]) == 2  # cases g and h

        attachment_path(workspace, digest).write_bytes(b"%PDF-1.7 damaged")
        with pytest.raises(ExportError, match="已损坏"):
            export_cases(workspace, tmp_path / "out2", now=NOW, status="signed_off")
