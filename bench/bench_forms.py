"""Benchmark: load and validate a 500-item checklist form file (target: under 50 ms).

Prints the median and p99 of `load_form_file`, the app's path (read, UTF-8, JSON with
duplicate-key check, depth check, every rule of `form_from_dict`), of the same plus the JSON
Schema (what `inspector forms validate` does), and the ratio to a baseline measured in the same
run: a bare `json.loads` of the same file. The target applies to the app's path.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inspector_app.formio.jsonfile import load_form_file  # noqa: E402

ITEMS = 500
REPEAT = 200
TARGET_MS = 50.0


def generated_form() -> dict[str, object]:
    """A 500-item form: 20 sections of 25 items, every 10th a veto item, three count rules."""
    sections = []
    for s in range(1, 21):
        items = []
        for i in range(1, ITEMS // 20 + 1):
            items.append(
                {
                    "code": f"{s}.{i}",
                    "requirement": f"第 {s}.{i} 项要求："
                    + "企业应按实施细则规定建立并实施相应的控制措施，记录完整、可追溯。" * 2,
                    "guidance": "查阅文件和记录，现场询问相关人员，必要时拍照取证。",
                    "veto": i % 10 == 0,
                    "allowed_results": ["符合", "基本符合", "不符合", "不适用"],
                    "requires": {"基本符合": ["note"], "不符合": ["note", "photo"]},
                    "clause": f"细则 {s}.{i}",
                }
            )
        sections.append({"code": str(s), "title": f"第 {s} 部分", "items": items})
    return {
        "format_version": 1,
        "form_id": "bench-500",
        "version": 1,
        "title": "基准测试核查表",
        "title_en": "Benchmark form",
        "effective_date": "2025-01-01",
        "product_units": ["基准单元"],
        "sections": sections,
        "verdict_rules": [
            {"kind": "max_count", "result": "不符合", "max": 10, "exclude_veto": True},
            {"kind": "max_count", "result": "基本符合", "max": 30},
            {"kind": "max_count", "result": "不符合", "max": 0, "items": ["1.1", "2.1", "3.1"]},
        ],
    }


def timings(func: Callable[[], object]) -> list[float]:
    func()  # warm up: the schema validator is compiled once per process
    result = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        func()
        result.append((time.perf_counter() - started) * 1000)
    return result


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench-500.json"
        path.write_text(json.dumps(generated_form(), ensure_ascii=False, indent=2), "utf-8")
        form = load_form_file(path)
        assert len(form.items()) == ITEMS
        size_kb = path.stat().st_size / 1024
        baseline = timings(lambda: json.loads(path.read_bytes()))
        full = timings(lambda: load_form_file(path))
        schema = timings(lambda: load_form_file(path, check_schema=True))
    base_median, full_median = statistics.median(baseline), statistics.median(full)
    print(f"forms: load+validate a {ITEMS}-item form ({size_kb:.0f} KB), {REPEAT} runs")
    print(f"  load_form_file   median {full_median:7.2f} ms   p99 {p99(full):7.2f} ms")
    print(
        f"  + JSON Schema    median {statistics.median(schema):7.2f} ms   p99 {p99(schema):7.2f} ms"
        "   (inspector forms validate)"
    )
    print(f"  json.loads only  median {base_median:7.2f} ms   p99 {p99(baseline):7.2f} ms")
    print(f"  ratio to baseline (median): {full_median / base_median:.1f}x")
    ok = p99(full) < TARGET_MS
    print(f"  target p99 < {TARGET_MS:.0f} ms: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
