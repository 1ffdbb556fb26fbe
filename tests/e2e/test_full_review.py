"""One whole review through the app's windows on a real X display (Qt's xcb platform, Xvfb).

The pytest process runs Qt offscreen, so the review runs in a subprocess
(`full_review_driver.py`) on a private Xvfb: sign-in, a new case by hand, the team of three
(two of them called 王建华, in different units), each member's declaration, the filing, the
feedback hand-over, all 30 items of `general-onsite` v1 by number keys, the conclusion, a
sample with two sealed seals and their photo, the hand signatures and the enterprise's opinion.
This test then reads what the store holds and runs `inspector audit verify`.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PIL import Image

from inspector_app.app import open_services
from inspector_app.core.model import CaseStatus, Reviewer, Role, UnitType
from inspector_app.store.attachments import attachment_path
from inspector_app.store.casework import case_verdict
from inspector_app.store.reviewers import add_reviewer
from inspector_app.store.workspace import open_workspace
from tests.e2e import full_review_driver as driver

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="Xvfb and xcb are Linux's")

DRIVER = Path(driver.__file__)
ROOT = Path(__file__).resolve().parents[2]
INSPECTOR = (sys.executable, "-m", "inspector_app.cli")
"""The `inspector` command of this environment."""
REVIEWERS = (
    Reviewer(
        driver.LEADER,
        "王建华",
        "江苏省产品质量监督检验研究院",
        UnitType.TECHNICAL_INSTITUTION,
        "XKSC-2024-10001",
        date(2031, 12, 31),
        "13900001001",
    ),
    Reviewer(
        driver.NAMESAKE,
        "王建华",
        "中国水泥协会",
        UnitType.INDUSTRY_ASSOCIATION,
        "XKSC-2024-10002",
        date(2031, 12, 31),
        "13900001002",
    ),
    Reviewer(
        driver.THIRD,
        "李春梅",
        "省局审查中心",
        UnitType.PROVINCIAL_BUREAU,
        "XKSC-2024-10003",
        date(2031, 12, 31),
        "13900001003",
    ),
)


def _fresh_workspace(folder: Path) -> None:
    """A new workspace (the shipped forms installed) with only the three reviewers."""
    now = datetime.now(UTC)
    with open_workspace(folder) as workspace:
        for reviewer in REVIEWERS:
            add_reviewer(workspace.db, reviewer, actor=REVIEWERS[0].actor, now=now)


def _seal_photo(path: Path) -> bytes:
    """A small JPEG of a seal (made with Pillow); return its bytes."""
    Image.new("RGB", (64, 48), (180, 20, 30)).save(path, "JPEG")
    return path.read_bytes()


def _run_driver(workspace: Path, photo: Path, display: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k not in {"QT_QPA_PLATFORM", "WAYLAND_DISPLAY"}}
    env.update(
        QT_QPA_PLATFORM="xcb",
        DISPLAY=display,
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    try:
        result = subprocess.run(
            [sys.executable, str(DRIVER), str(workspace), str(photo)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            timeout=240,  # subprocess.run kills the driver when it is reached
        )
    except subprocess.TimeoutExpired as timeout:
        pytest.fail(f"the driver did not finish:\n{timeout.stderr!r}")
    assert result.returncode == 0, f"driver failed:\n{result.stdout}\n{result.stderr}"
    summary: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return summary


def test_a_whole_review_through_the_windows_on_xcb(tmp_path: Path, display: str) -> None:
    workspace = tmp_path / "ws"
    _fresh_workspace(workspace)
    photo = tmp_path / "封条.jpg"
    photo_hash = hashlib.sha256(_seal_photo(photo)).hexdigest()

    summary = _run_driver(workspace, photo, display)
    case_id = str(summary["case_id"])

    with open_services(workspace, user=None, write=False) as services:
        state = services.queries.case_file(case_id)
        case = state.case
        assert case.status == CaseStatus.SAMPLED
        assert case.application_no == driver.APPLICATION_NO
        assert (case.form_id, case.form_version) == ("general-onsite", 1)
        assert case.concluded_at is not None

        # the team by reviewer id: the two 王建华 are two members
        by_reviewer = {m.reviewer_id: m for m in state.members}
        assert set(by_reviewer) == {driver.LEADER, driver.NAMESAKE, driver.THIRD}
        assert by_reviewer[driver.LEADER].role == Role.LEADER
        assert by_reviewer[driver.NAMESAKE].unit == "中国水泥协会"
        assert {d.member_id for d in state.declarations} == {m.id for m in state.members}
        (filing,) = state.filings
        assert filing.filed_by == by_reviewer[driver.LEADER].id
        (handover,) = state.handovers
        assert handover.stage == "on_site" and handover.handed_to == "赵六（总经理）"

        # 30 results, each by the member who recorded it (the namesake told apart)
        results = {r.item_code: r for r in state.results}
        assert len(results) == 30
        assessed_by = summary["assessed_by"]
        assert isinstance(assessed_by, dict) and set(assessed_by) == set(results)
        for code, result in results.items():
            assert result.assessor_id == by_reviewer[assessed_by[code]].id, code
            expected, note = driver.NOTES.get(code, ("符合", ""))
            assert (result.result, result.note) == (expected, note), code
        assert {assessed_by[c] for c in results if c.startswith("5.")} == {driver.NAMESAKE}
        assert {assessed_by[c] for c in results if c.startswith("1.")} == {driver.LEADER}
        assert case_verdict(services.workspace.db, state).passed

        # the sample, its two seals with the photo's hash, the file stored
        (sample,) = state.samples
        assert sample.enterprise_representative == driver.REPRESENTATIVE
        assert (
            sample.agency == "国家建筑材料质量检验检测中心" and sample.agency_chosen_by_enterprise
        )
        assert sample.sampled_at >= case.concluded_at
        assert set(sample.sampler_ids) == {
            by_reviewer[driver.LEADER].id,
            by_reviewer[driver.NAMESAKE].id,
        }
        seals = sorted(state.seals, key=lambda s: s.seal_no)
        assert [(s.seal_no, s.sample_id, s.photo) for s in seals] == [
            (number, sample.id, photo_hash) for number in driver.SEALS
        ]

        # hand signatures on the on-site report: three members and the representative
        signed = {(s.document, s.member_id, s.representative) for s in state.hand_signatures}
        assert signed == {
            *(("onsite", m.id, None) for m in state.members),
            ("onsite", None, driver.REPRESENTATIVE),
        }
        for signature in state.hand_signatures:  # each drawing stored under its hash
            png = attachment_path(services.workspace, signature.image).read_bytes()
            assert hashlib.sha256(png).hexdigest() == signature.image
        assert attachment_path(services.workspace, photo_hash).read_bytes() == photo.read_bytes()
        (objection,) = state.objections
        assert objection.representative == driver.REPRESENTATIVE

    for scope in ([], [driver.APPLICATION_NO]):  # the whole workspace, then the case's chain
        verify = subprocess.run(
            [*INSPECTOR, "--workspace", str(workspace), "audit", "verify", *scope],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
        )
        assert verify.returncode == 0, verify.stdout + verify.stderr
        assert "审计链完好" in verify.stdout and "Traceback" not in verify.stderr
