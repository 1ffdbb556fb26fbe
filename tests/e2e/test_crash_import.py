"""Crash test: SIGKILL imports of a case file with large attachments at random moments.

The importer (`crash_importer.py`) imports a case whose evidence photos are a few MB each into a
workspace that already holds another imported case. After each kill the workspace must open
(which cleans up what the crash left) and then: pass SQLite's integrity check and the
audit-chain check, hold no temporary file anywhere, have a file for every `attachment` row and a
row for every file, and hold the imported case wholly or not at all.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import random
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from inspector_app.casefile.reader import parse_case_file
from inspector_app.casefile.replay import import_case
from inspector_app.casefile.writer import case_document
from inspector_app.core.model import Actor
from inspector_app.demo import demo_id, fill_demo
from inspector_app.store.audit import verify_audit_trail
from inspector_app.store.casework import load_case_file
from inspector_app.store.schema import CASE_TABLES
from inspector_app.store.workspace import DATABASE_NAME, open_workspace
from tests.e2e.killing import run_and_kill

CLERK = Actor("00000000-0000-4000-8000-000000000002", "张三")

IMPORTER = Path(__file__).with_name("crash_importer.py")
ROUNDS = 24
SEED = 20260202
BIG_ATTACHMENTS = 4
BIG_BYTES = 3 * 1024 * 1024
NOW = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
CASE_ID = demo_id("f", "case")
COUNTED = ("enterprise", "review_case", *CASE_TABLES, "attachment", "audit_event", "outbox")


def _noise_png(rng: random.Random) -> bytes:
    """Return a real photo of about BIG_BYTES (random pixels barely compress): an import
    checks that evidence decodes as a JPEG or PNG."""
    side = int((BIG_BYTES / 3) ** 0.5)
    image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


def _big_case_file(demo: Path, rng: random.Random) -> tuple[bytes, list[str]]:
    """Return demo case f (sampled) with large random photos as evidence, and their hashes."""
    with open_workspace(demo) as workspace:
        doc: dict[str, Any] = case_document(load_case_file(workspace.db, CASE_ID), workspace)
    hashes = []
    for n in range(BIG_ATTACHMENTS):
        data = _noise_png(rng)
        sha = hashlib.sha256(data).hexdigest()
        hashes.append(sha)
        doc["attachments"].append(
            {
                "sha256": sha,
                "media_type": "image/png",
                "original_name": f"现场照片-{n}.png",
                "data_base64": base64.b64encode(data).decode("ascii"),
            }
        )
        result = doc["results"][n % len(doc["results"])]
        result["evidence"] = [*result["evidence"], sha]
    return json.dumps(doc, ensure_ascii=False).encode("utf-8"), hashes


def _counts(folder: Path) -> dict[str, int]:
    with open_workspace(folder) as workspace:
        return {t: workspace.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED}


def _files(folder: Path) -> set[str]:
    """Return the names of the files (temporary ones too) under the attachments folder."""
    return {p.name for p in (folder / "attachments").rglob("*") if p.is_file()}


def _run_and_kill(folder: Path, case_file: Path, delay: float) -> bool:
    """Start the importer, kill it `delay` seconds after READY; return whether it said DONE."""
    rest = run_and_kill(IMPORTER, [str(folder), str(case_file)], delay)
    return "DONE\n" in rest


def _assert_clean(folder: Path, base: dict[str, int], full: dict[str, int], big: list[str]) -> str:
    """Open the workspace and check what the crash left; return "absent" or "whole"."""
    with open_workspace(folder) as workspace:
        db = workspace.db
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert verify_audit_trail(db) == []
        assert db.execute("SELECT count(*) FROM attachment_pending").fetchone()[0] == 0
        rows = {r[0] for r in db.execute("SELECT sha256 FROM attachment")}
        counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED}
    temporary = list(folder.rglob(".*"))
    assert temporary == [], f"temporary files left: {temporary}"
    files = {p.name for p in (folder / "attachments").rglob("*") if p.is_file()}
    assert files == rows, f"files without rows {files - rows}, rows without files {rows - files}"
    for shard in (folder / "attachments").iterdir():
        assert any(shard.iterdir()), f"empty shard folder {shard.name} left"
    if counts == base:
        assert not set(big) & rows
        return "absent"
    assert counts == full, "the case was imported in part"
    assert set(big) <= rows
    return "whole"


@pytest.mark.slow
def test_killed_imports_leave_nothing_behind(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    demo = tmp_path / "demo"
    with open_workspace(demo) as workspace:
        fill_demo(workspace, NOW)
        other = json.dumps(
            case_document(load_case_file(workspace.db, demo_id("d", "case")), workspace)
        ).encode("utf-8")
    raw, big = _big_case_file(demo, rng)
    case_file = tmp_path / "big-case.json"
    case_file.write_bytes(raw)
    base_folder = tmp_path / "base"
    with open_workspace(base_folder) as workspace:
        import_case(
            workspace,
            parse_case_file(other),
            importer=CLERK,
            clock=lambda: NOW,
        )
    base = _counts(base_folder)
    # one import run to the end: what "wholly there" looks like, and how long an import takes
    reference = tmp_path / "reference"
    shutil.copytree(base_folder, reference)
    parsed = parse_case_file(raw)
    with open_workspace(reference) as workspace:
        started = time.monotonic()
        import_case(
            workspace,
            parsed,
            importer=CLERK,
            clock=lambda: NOW,
        )
        took = time.monotonic() - started
    full = _counts(reference)
    assert full != base

    base_files = _files(base_folder)
    outcomes: dict[str, int] = {"absent": 0, "whole": 0}
    cleaned = 0
    done = 0
    for round_no in range(ROUNDS):
        folder = tmp_path / f"round-{round_no}"
        shutil.copytree(base_folder, folder)
        done += _run_and_kill(folder, case_file, rng.uniform(0.0, took * 1.5))
        assert (folder / DATABASE_NAME).exists()
        left = _files(folder) - base_files  # before the open that cleans up
        try:
            outcome = _assert_clean(folder, base, full, big)
        except AssertionError as error:
            raise AssertionError(f"round {round_no}: {error}") from error
        outcomes[outcome] += 1
        cleaned += bool(left) and outcome == "absent"
        shutil.rmtree(folder)
    # the kills really landed inside imports (some after files were written) and after them
    assert outcomes["absent"] > 0 and outcomes["whole"] > 0, outcomes
    assert cleaned > 0, f"no kill left files to clean up: {outcomes}"
    assert done <= outcomes["whole"]
