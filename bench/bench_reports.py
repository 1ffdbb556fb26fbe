"""Benchmark: the on-site report (企业实地核查报告) of a 300-item case with 20 evidence photos
(12-megapixel camera JPEGs). Goal: under 3 s and under 10 MB.

Prints the median build time and the PDF's size, and the ratio to a baseline measured in the
same run: reportlab building the same pages without the photos (a twin case whose results are
the same but carry no evidence).
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_store import FORM_ID, ITEMS, bench_form  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from inspector_app.core.calendar import CHINA  # noqa: E402
from inspector_app.core.forms.model import RESULT_CONFORM  # noqa: E402
from inspector_app.core.forms.reader import form_from_dict  # noqa: E402
from inspector_app.core.model import Actor, CaseStatus, ChecklistResult  # noqa: E402
from inspector_app.demo import DemoCase, build_demo_case, demo_id, demo_team  # noqa: E402
from inspector_app.reports.documents import build_document  # noqa: E402
from inspector_app.store.attachments import add_attachment  # noqa: E402
from inspector_app.store.casework import Casework, load_case_file  # noqa: E402
from inspector_app.store.form_library import install_form  # noqa: E402
from inspector_app.store.workspace import Workspace, open_workspace  # noqa: E402

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
PHOTOS = 20
PHOTO_SIZE = (4000, 3000)  # 12 megapixels
REPEAT = 5
TARGET_S = 3.0
TARGET_MB = 10.0


def camera_jpeg(seed: int) -> bytes:
    """A 12-megapixel JPEG with the detail of a photo (noise over shapes), as a phone makes."""
    noise = Image.effect_noise(PHOTO_SIZE, 40 + seed).convert("RGB")
    scene = Image.new("RGB", PHOTO_SIZE, (90 + seed * 7 % 120, 120, 160))
    draw = ImageDraw.Draw(scene)
    for n in range(12):
        box = (n * 300 + seed * 13, n * 200, n * 300 + 900, n * 200 + 700)
        draw.ellipse(box, fill=((n * 40 + seed * 11) % 256, (n * 70) % 256, (seed * 29) % 256))
    photo = Image.blend(scene, noise, 0.25)
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=90)
    return out.getvalue()


def build_case(workspace: Workspace, key: str, photos: list[bytes]) -> str:
    """A filed 300-item case, every item recorded; the first len(photos) items carry a photo."""
    demo = DemoCase(
        key,
        f"XK99-2026-00{ord(key) % 100:02d}",
        ("基准测试水泥有限公司", "北京市海淀区测试路 1 号", "测试员", "010-00000000"),
        "水泥",
        "通用硅酸盐水泥",
        FORM_ID,
        CaseStatus.TEAM_FILED,
        9,
    )
    team = demo_team(workspace, FORM_ID, NOW)
    build_demo_case(workspace, demo, team, NOW, CHINA)
    case_id = demo_id(key, "case")
    state = load_case_file(workspace.db, case_id)
    members = sorted(state.members, key=lambda m: m.id)
    leader = next(m for m in members if m.role.value == "leader")
    start = CHINA.start_of_day(state.case.review_date) + timedelta(hours=9)
    steps = Casework(workspace.db, Actor(leader.reviewer_id, leader.name), lambda: NOW)
    steps.start_review(case_id, start)
    for n, item in enumerate(form_from_dict(bench_form()).items()):
        member = members[n % len(members)]
        actor = Actor(member.reviewer_id, member.name)
        at = start + timedelta(minutes=1 + n)
        evidence: tuple[str, ...] = ()
        if n < len(photos):
            attachment = add_attachment(
                workspace,
                photos[n],
                media_type="image/jpeg",
                original_name=f"IMG_{n:04d}.jpg",
                actor=actor,
                now=at,
            )
            evidence = (attachment.sha256,)
        Casework(workspace.db, actor, lambda: NOW).record_result(
            ChecklistResult(
                demo_id(key, "result", item.code),
                case_id,
                item.code,
                RESULT_CONFORM,
                "",
                member.id,
                at,
                evidence,
            )
        )
    steps.conclude(case_id, start + timedelta(hours=6))
    return case_id


def timings(func: Callable[[], bytes]) -> tuple[list[float], bytes]:
    pdf = func()  # warm up: fonts are loaded once per process
    result = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        pdf = func()
        result.append(time.perf_counter() - started)
    return result, pdf


def main() -> int:
    print(f"reports: on-site report, {ITEMS} items, {PHOTOS} photos of 12 MP, {REPEAT} runs")
    started = time.perf_counter()
    photos = [camera_jpeg(n) for n in range(PHOTOS)]
    photo_mb = sum(len(p) for p in photos) / 1e6
    print(f"  made {PHOTOS} JPEGs ({photo_mb:.1f} MB) in {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory() as folder, open_workspace(Path(folder) / "ws") as ws:
        install_form(ws.db, form_from_dict(bench_form()), NOW)
        with_photos = build_case(ws, "p", photos)
        without = build_case(ws, "q", [])
        full, pdf = timings(lambda: build_document(ws, with_photos, "onsite", now=NOW))
        base, plain = timings(lambda: build_document(ws, without, "onsite", now=NOW))
    full_median, base_median = statistics.median(full), statistics.median(base)
    size_mb = len(pdf) / 1e6
    print(
        f"  with photos      median {full_median:6.2f} s   max {max(full):6.2f} s   "
        f"{size_mb:5.2f} MB"
    )
    print(
        f"  without photos   median {base_median:6.2f} s   max {max(base):6.2f} s   "
        f"{len(plain) / 1e6:5.2f} MB   (baseline: the same pages)"
    )
    print(f"  ratio to baseline (median): {full_median / base_median:.1f}x")
    ok = full_median < TARGET_S and size_mb < TARGET_MB
    print(f"  target < {TARGET_S:.0f} s and < {TARGET_MB:.0f} MB: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
