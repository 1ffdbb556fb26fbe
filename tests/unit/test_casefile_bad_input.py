"""Bad case files through `inspector case import`: one clear line, nothing partial kept.

Each bad file starts from a real exported demo case (the sampled XK08-2026-0203, with photos)
and is mutated. Also: the export → import → export round trip and audit-trail tampering.
"""

from __future__ import annotations

import copy
import json
import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from inspector_app.cli import cli
from inspector_app.demo import DEMO_CASES
from inspector_app.store.workspace import open_workspace
from tests.conftest import DemoWorkspaces

NOW = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
SAMPLED = "XK08-2026-0203"
SIGNED_OFF = "XK06-2026-0104"

Doc = dict[str, Any]


def run(workspace: Path, *args: str, user: str = "张三") -> Result:
    return CliRunner().invoke(cli, ["--workspace", str(workspace), "--user", user, *args])


IMPORTER_ID = "11111111-2222-4333-8444-555555555555"


def add_importer(folder: Path) -> None:
    """Register 张三, the clerk who imports the files, in the workspace at `folder`."""
    result = CliRunner().invoke(
        cli,
        [
            "--workspace",
            str(folder),
            "reviewer",
            "add",
            "--name",
            "张三",
            "--unit",
            "省局审查中心",
            "--unit-type",
            "provincial_bureau",
            "--certificate-no",
            "XKSC-2026-9999",
            "--certificate-expiry",
            "2030-12-31",
            "--id",
            IMPORTER_ID,
        ],
    )
    assert result.exit_code == 0, result.stderr


@pytest.fixture(scope="module")
def exported(
    demo_workspaces: DemoWorkspaces, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, bytes]:
    """Every demo case exported by the CLI, by application number."""
    base = tmp_path_factory.mktemp("export")
    folder = base / "demo"
    demo_workspaces.copy(folder, NOW)
    out = {}
    for demo in DEMO_CASES:
        target = base / f"{demo.application_no}.json"
        result = run(folder, "case", "export", demo.application_no, "--out", str(target))
        assert result.exit_code == 0, result.stderr
        out[demo.application_no] = target.read_bytes()
    return out


@pytest.fixture(scope="module")
def seeded_target(tmp_path_factory: pytest.TempPathFactory, exported: dict[str, bytes]) -> Path:
    """A workspace already holding one imported case (with photos), to import into."""
    base = tmp_path_factory.mktemp("seed")
    file = base / "seed.json"
    file.write_bytes(exported["XK08-2026-0202"])
    folder = base / "target"
    add_importer(folder)
    assert run(folder, "case", "import", str(file)).exit_code == 0
    return folder


@pytest.fixture
def target(tmp_path: Path, seeded_target: Path) -> Path:
    folder = tmp_path / "target"
    shutil.copytree(seeded_target, folder)
    return folder


def snapshot(folder: Path) -> tuple[Any, ...]:
    with open_workspace(folder) as workspace:
        db = workspace.db
        counted = tuple(
            db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("review_case", "audit_event", "outbox", "attachment")
        )
    files = sorted(
        str(p.relative_to(folder)) for p in (folder / "attachments").rglob("*") if p.is_file()
    )
    return (*counted, tuple(files))


def import_refused(target: Path, tmp_path: Path, raw: bytes, *expected: str) -> str:
    """Import `raw`; assert one clear line naming `expected`, exit 1, nothing kept."""
    before = snapshot(target)
    file = tmp_path / "bad.json"
    file.write_bytes(raw)
    result = run(target, "case", "import", str(file))
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("错误：")
    for text in expected:
        assert text in line, line
    assert snapshot(target) == before
    return line


def mutated(raw: bytes, change: Callable[[Doc], None]) -> bytes:
    doc = json.loads(raw)
    change(doc)
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def test_sampled_case_file_imports_cleanly(
    target: Path, tmp_path: Path, exported: dict[str, bytes]
) -> None:
    file = tmp_path / "ok.json"
    file.write_bytes(exported[SAMPLED])
    result = run(target, "case", "import", str(file))
    assert result.exit_code == 0, result.stderr


# malformed input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("truncated", lambda raw: raw[: len(raw) // 2], ("JSON 格式错误", "行")),
        ("empty", lambda raw: b"", ("JSON 格式错误",)),
        ("gbk", lambda raw: raw.decode("utf-8").encode("gbk"), ("UTF-8",)),
        ("array", lambda raw: b"[" + raw + b"]", ("$", "JSON 对象")),
        ("deep", lambda raw: b"[" * 100_000, ("嵌套",)),
        (
            "duplicate key",
            lambda raw: raw.replace(b"{", b'{\n  "format": "inspector-case/1",', 1),
            ("重复的键", "format"),
        ),
    ],
)
def test_malformed_files(
    target: Path,
    tmp_path: Path,
    exported: dict[str, bytes],
    name: str,
    make: Callable[[bytes], bytes],
    expected: tuple[str, ...],
) -> None:
    import_refused(target, tmp_path, make(exported[SAMPLED]), *expected)


def _set(path: list[Any], value: Any) -> Callable[[Doc], None]:
    def change(doc: Doc) -> None:
        node: Any = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def _duplicate_result_id(doc: Doc) -> None:
    doc["results"][1]["id"] = doc["results"][0]["id"]


def _bad_attachment_hash(doc: Doc) -> None:
    attachment = doc["attachments"][0]
    attachment["sha256"] = "0" * 64
    for sample in doc["samples"]:
        for seal in sample["seals"]:
            seal["photo"] = seal["photo"]  # unchanged: the hash check comes first


@pytest.mark.parametrize(
    ("name", "change", "expected"),
    [
        ("format version", _set(["format"], "inspector-case/9"), ("$.format",)),
        ("older format", _set(["format"], "inspector-case/1"), ("$.format", "旧版程序")),
        ("unknown field", _set(["case", "colour"], "红"), ("$.case", "未知字段")),
        ("wrong type", _set(["case", "form_version"], "1"), ("$.case.form_version",)),
        ("result type", _set(["results", 0, "note"], 5), ("$.results[0].note",)),
        ("feb 30", _set(["case", "review_date"], "2026-02-30"), ("$.case.review_date",)),
        ("yesterday", _set(["case", "accepted_on"], "yesterday"), ("$.case.accepted_on",)),
        ("duplicate id", _duplicate_result_id, ("$.results[1].id", "重复的 id")),
        ("attachment hash", _bad_attachment_hash, ("$.attachments[0].sha256", "SHA-256")),
    ],
)
def test_invalid_documents(
    target: Path,
    tmp_path: Path,
    exported: dict[str, bytes],
    name: str,
    change: Callable[[Doc], None],
    expected: tuple[str, ...],
) -> None:
    import_refused(target, tmp_path, mutated(exported[SAMPLED], change), *expected)


# rule violations inside a valid file -----------------------------------------------------------


def _team_of_five(doc: Doc) -> None:
    for i in range(2):
        reviewer = copy.deepcopy(doc["reviewers"][1])
        reviewer["id"] = f"00000000-0000-4000-8000-00000000010{i}"
        doc["reviewers"].append(reviewer)
        extra = copy.deepcopy(doc["members"][1])
        extra["id"] = f"00000000-0000-4000-8000-00000000000{i}"
        extra["reviewer_id"] = reviewer["id"]
        extra["name"] = f"新成员{i}"
        extra["role"] = "member"
        doc["members"].append(extra)


def _one_unit(doc: Doc) -> None:
    for member in doc["members"]:
        member["unit"] = doc["members"][0]["unit"]
        member["unit_type"] = doc["members"][0]["unit_type"]


def _expired_certificate(doc: Doc) -> None:
    doc["members"][1]["certificate_expiry"] = "2020-01-01"


def _non_member_result(doc: Doc) -> None:
    doc["results"][0]["assessor_id"] = "00000000-0000-4000-8000-0000000000ff"


def _sampled_with_failures(doc: Doc) -> None:
    for result in doc["results"][:8]:  # more 基本符合 than the form allows: a failed review
        result["result"] = "基本符合"
        result["note"] = "现场发现问题，已要求整改。"


def _agency_not_chosen(doc: Doc) -> None:
    doc["samples"][0]["agency_chosen_by_enterprise"] = False


@pytest.mark.parametrize(
    ("name", "change", "where", "rule"),
    [
        ("team of five", _team_of_five, "$.filings[0]", "team_size"),
        ("one unit", _one_unit, "$.filings[0]", "not_all_one_unit"),
        ("expired certificate", _expired_certificate, "$.filings[0]", "certificate_valid"),
        ("non-member result", _non_member_result, "$.results[0].assessor_id", "person_on_team"),
        ("sampled with failures", _sampled_with_failures, "$.case.status", "verdict"),
        ("agency not chosen", _agency_not_chosen, "$.samples[0]", "agency_by_enterprise"),
    ],
)
def test_rule_violations(
    target: Path,
    tmp_path: Path,
    exported: dict[str, bytes],
    name: str,
    change: Callable[[Doc], None],
    where: str,
    rule: str,
) -> None:
    import_refused(target, tmp_path, mutated(exported[SAMPLED], change), where, f"（规则 {rule}）")


# round trip and audit -------------------------------------------------------------------------


def test_round_trip_is_byte_identical(tmp_path: Path, exported: dict[str, bytes]) -> None:
    folder = tmp_path / "fresh"
    add_importer(folder)
    for number, raw in exported.items():
        file = tmp_path / f"{number}.json"
        file.write_bytes(raw)
        result = run(folder, "case", "import", str(file))
        assert result.exit_code == 0, (number, result.stderr)
        again = tmp_path / f"{number}.again.json"
        result = run(folder, "case", "export", number, "--out", str(again))
        assert result.exit_code == 0, result.stderr
        assert again.read_bytes() == raw, number
    result = run(folder, "audit", "verify")
    assert result.exit_code == 0, result.stderr
    assert "审计链完好" in result.stdout


def _tamper(folder: Path, *statements: str) -> None:
    conn = sqlite3.connect(folder / "workspace.db")
    conn.execute("DROP TRIGGER audit_event_append_only_update")
    conn.execute("DROP TRIGGER audit_event_append_only_delete")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("name", "statements", "seq"),
    [
        ("altered", ["UPDATE audit_event SET actor = '某人' WHERE seq = 20"], "20"),
        ("removed", ["DELETE FROM audit_event WHERE seq = 20"], "#21 之前有事件被删除"),
        (
            "reordered",
            [
                "UPDATE audit_event SET seq = -1 WHERE seq = 20",
                "UPDATE audit_event SET seq = 20 WHERE seq = 21",
                "UPDATE audit_event SET seq = 21 WHERE seq = -1",
            ],
            "20",
        ),
    ],
)
def test_audit_verify_detects_tampering(
    target: Path, name: str, statements: list[str], seq: str
) -> None:
    assert run(target, "audit", "verify").exit_code == 0
    _tamper(target, *statements)
    result = run(target, "audit", "verify")
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("审计链异常")
    assert seq in result.stderr, result.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_case_file_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    """A file chosen by mistake may be huge (a video) or endless (a device): the import reads
    no more than the size limit and refuses it in one line. Run with its address space capped,
    so that reading the whole file would fail with a MemoryError instead of exhausting the
    machine."""
    import os
    import subprocess
    import sys

    script = (
        "import resource, sys;"
        "resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3));"
        "from inspector_app.cli import main;"
        "sys.argv = ['inspector', '--workspace', sys.argv[1], '--user', '张三',"
        " 'case', 'import', '/dev/zero'];"
        "main()"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "ws")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env=env,
    )
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "文件过大" in result.stderr and "/dev/zero" in result.stderr, result.stderr


def bomb_png(side: int = 10_000) -> bytes:
    """A tiny PNG that claims a gigantic grey picture (side × side pixels: 100 megapixels by
    default, over Pillow's decompression-bomb threshold), made without decoding anything."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    packer = zlib.compressobj(9)
    row = b"\x00" * (side + 1)  # the filter byte, then the grey pixels
    idat = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def _seal_photo_replaced_by(data: bytes) -> Callable[[Doc], None]:
    """Make the first seal's photo `data`, carried as a PNG attachment of the file."""

    def change(doc: Doc) -> None:
        import base64
        import hashlib

        digest = hashlib.sha256(data).hexdigest()
        doc["samples"][0]["seals"][0]["photo"] = digest
        doc["attachments"].append(
            {
                "sha256": digest,
                "media_type": "image/png",
                "original_name": "封条.png",
                "data_base64": base64.b64encode(data).decode("ascii"),
            }
        )

    return change


@pytest.mark.parametrize(
    "data",
    [pytest.param(b"\x89PNG\r\n\x1a\n not a picture", id="broken"), pytest.param(None, id="bomb")],
)
def test_a_seal_photo_that_is_no_readable_photo_is_refused(
    target: Path, tmp_path: Path, exported: dict[str, bytes], data: bytes | None
) -> None:
    """The app refuses such a file as a photo (store/photos.py); a case file cannot bring one
    in either, where every report would later fail on it."""
    change = _seal_photo_replaced_by(bomb_png() if data is None else data)
    import_refused(
        target,
        tmp_path,
        mutated(exported[SAMPLED], change),
        "$.samples[0].seals[0].photo",
        "封条.png",
    )
