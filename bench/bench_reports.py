"""Benchmark: the on-site report (企业实地核查报告) of a 300-item case with 20 evidence photos
(12-megapixel camera JPEGs). Goal: under 3 s and under 10 MB.

Prints the median build time and the PDF's size, and the ratio to a baseline measured in the
same run: reportlab building the same pages without the photos (a twin case whose results are
the same but carry no evidence).

Then `inspector verify` of the demo's signed report (three signatures, the leader's last).
Goal: under 0.3 s. Measured twice: `verify_pdf` in the process (what the app calls), and the
whole command as a new process, against Poppler's `pdfsig` checking the same file in the same
run (baseline).
"""

from __future__ import annotations

import io
import os
import shutil
import statistics
import subprocess
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
VERIFY_TARGET_S = 0.3
VERIFY_RUNS = 9


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
    verified = bench_verify()
    return 0 if ok and verified else 1


def median_of(runs: int, func: Callable[[], object]) -> tuple[float, float]:
    """Return the median and the max of `runs` timed calls (after one warm-up call)."""
    func()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times)


def bench_verify() -> bool:
    """Time `inspector verify` of the demo's signed report; return whether the goal is met."""
    from inspector_app.demo import fill_demo
    from inspector_app.reports.verify import verify_pdf
    from inspector_app.store.attachments import attachment_path
    from inspector_app.store.identities import known_certificates

    print(f"verify: the demo's signed report (3 signatures), {VERIFY_RUNS} runs")
    with tempfile.TemporaryDirectory() as folder:
        ws_folder = Path(folder) / "ws"
        with open_workspace(ws_folder) as ws:
            fill_demo(ws, datetime(2026, 11, 26, 8, 0, tzinfo=UTC))
            row = ws.db.execute(
                "SELECT document_sha256 FROM signature WHERE document_sha256 != '' LIMIT 1"
            ).fetchone()
            pdf = attachment_path(ws, row[0]).read_bytes()
            roots = known_certificates(ws.db)
        signed = Path(folder) / "signed.pdf"
        signed.write_bytes(pdf)

        def in_process() -> object:
            report = verify_pdf(pdf, trust_roots=roots)
            assert report.ok, report.problems
            return report

        inner, inner_max = median_of(VERIFY_RUNS, in_process)
        print(f"  verify_pdf (in the app)       median {inner:6.3f} s   max {inner_max:6.3f} s")
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "inspector_app.cli", "--workspace", str(ws_folder)]

        def whole() -> object:
            done = subprocess.run(
                [*command, "verify", str(signed)], capture_output=True, env=env, check=False
            )
            assert done.returncode == 0, done.stderr
            return done

        cold, cold_max = median_of(max(3, VERIFY_RUNS // 2), whole)
        print(f"  inspector verify (a process)  median {cold:6.3f} s   max {cold_max:6.3f} s")
        pdfsig = shutil.which("pdfsig")
        if pdfsig is not None:
            base, base_max = median_of(
                max(3, VERIFY_RUNS // 2),
                lambda: subprocess.run([pdfsig, str(signed)], capture_output=True, check=False),
            )
            print(f"  pdfsig (baseline, a process)  median {base:6.3f} s   max {base_max:6.3f} s")
            print(f"  ratio to baseline (process medians): {cold / base:.1f}x")
        bare, _ = median_of(3, lambda: subprocess.run([sys.executable, "-c", "pass"], check=True))
        print(f"  (a bare Python start: {bare:.3f} s)")
    ok = inner < VERIFY_TARGET_S
    print(
        f"  target verify < {VERIFY_TARGET_S} s (in the app): {'met' if ok else 'MISSED'}; "
        f"the command: {'met' if cold < VERIFY_TARGET_S else 'MISSED'}"
    )
    return ok


if __name__ == "__main__":
    raise SystemExit(main())
