"""Make the README's screenshots (docs/screenshots/*.png) from a fresh demo workspace.

In both languages: the main window, and each step of the demo's on-site case c (XK08-2026-0201)
as 王建华 (its team leader) sees it; the steps case c cannot open yet (sampling, the enterprise's
opinion, signatures) in the cases where they are open (OPEN_STEPS); and the main window and
the case window at 150 % scaling (QT_SCALE_FACTOR=1.5, 1366×768 logical). Each shot is
`inspector --screenshot` in its own process, offscreen, exactly as a person would run it.

Usage: python tools/screenshots.py [--out docs/screenshots]   (`make screenshots`)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inspector_app.demo import demo_id  # noqa: E402
from inspector_app.ui.screenshot import STEP_NAMES  # noqa: E402

CASE = "XK08-2026-0201"
"""The demo's case c: on-site review under way, team filed and declared."""
LEADER = demo_id("reviewer", "wang")
"""王建华 of 江苏省产品质量监督检验研究院, the leader of every demo team."""
LANGUAGES = ("zh", "en")
OPEN_STEPS = (
    ("XK08-2026-0202", "d", "sampling"),
    ("XK08-2026-0203", "f", "sampling"),
    ("XK08-2026-0203", "f", "opinion"),
    ("XK08-2026-0203", "f", "signatures"),
)
"""The steps that case c cannot show yet, in the demo cases where they are open: case d
(XK08-2026-0202, review passed: the sampling record to fill in) and case f (XK08-2026-0203,
sampled and sealed: the record and seals, the enterprise's opinion, every signature made)."""


def shots(out: Path) -> list[tuple[Path, list[str], dict[str, str]]]:
    """Return each screenshot to take: its file, the options after `inspector`, extra env."""
    plan: list[tuple[Path, list[str], dict[str, str]]] = []
    for lang in LANGUAGES:
        plan.append((out / f"main_{lang}.png", ["--lang", lang], {}))
        for n, step in enumerate(STEP_NAMES, start=1):
            plan.append(
                (
                    out / f"case_c_{n}_{step}_{lang}.png",
                    ["--lang", lang, "--case", CASE, "--step", step],
                    {},
                )
            )
        for case, letter, step in OPEN_STEPS:
            plan.append(
                (
                    out / f"case_{letter}_{step}_{lang}.png",
                    ["--lang", lang, "--case", case, "--step", step],
                    {},
                )
            )
        scaled = {"QT_SCALE_FACTOR": "1.5"}
        plan.append((out / f"main_{lang}_150.png", ["--lang", lang], scaled))
        plan.append(
            (
                out / f"case_c_{lang}_150.png",
                ["--lang", lang, "--case", CASE, "--step", "checklist"],
                scaled,
            )
        )
    return plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    for name in ("INSPECTOR_USER", "INSPECTOR_WORKSPACE", "QT_SCALE_FACTOR"):
        env.pop(name, None)
    inspector = [sys.executable, "-m", "inspector_app.cli"]
    with tempfile.TemporaryDirectory(prefix="inspector-screenshots-") as work:
        workspace = Path(work) / "demo"
        base = [*inspector, "--workspace", str(workspace)]
        subprocess.run([*base, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        for path, options, extra in shots(args.out):
            subprocess.run(
                [*base, "--user", LEADER, *options, "--screenshot", str(path)],
                env={**env, **extra},
                check=True,
                stderr=subprocess.DEVNULL,
            )
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
