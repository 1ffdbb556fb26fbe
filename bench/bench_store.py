"""Store benchmarks: bulk case import, one audited result save, and the case list.

Run: .venv/bin/python bench/bench_store.py [--cases N] [--saves N] [--keep DIR]

(a) Import N demo-sized case files (300 checklist items each): total time, per case, size.
(b) Record one checklist result (record + audit event + outbox row, one transaction):
    median and p99, and the ratio to a bare sqlite3 insert of the same row with the same
    durability (WAL, synchronous=FULL, one transaction per insert).
(c) `case list` over the imported cases: `Queries.case_rows()` (with the alerts) and the
    whole `inspector case list --json` in-process.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from inspector_app.casefile.reader import parse_case_file
from inspector_app.casefile.replay import import_case
from inspector_app.casefile.writer import case_json
from inspector_app.cli import cli
from inspector_app.core import team
from inspector_app.core.calendar import CHINA
from inspector_app.core.forms.model import RESULT_CONFORM
from inspector_app.core.forms.reader import form_from_dict
from inspector_app.core.model import Actor, CaseFile, CaseStatus, ChecklistResult
from inspector_app.demo import DemoCase, build_demo_case, demo_id, demo_team
from inspector_app.store import records
from inspector_app.store.casework import Casework, case_form, load_case_file
from inspector_app.store.form_library import install_form
from inspector_app.store.queries import Queries
from inspector_app.store.settings import device_id
from inspector_app.store.workspace import DATABASE_NAME, Workspace, connect, open_workspace

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
FORM_ID = "bench-300"
ITEMS = 300
NS = uuid.UUID("0b1e7c2a-5d4e-4f60-8a7b-3c2d1e0f9a8b")
CLERK = Actor("00000000-0000-4000-8000-00000000be0c", "基准测试")
LEADER = Actor(demo_id("reviewer", "wang"), "王建华")


def clock() -> datetime:
    """The benchmark's laptop clock: a fixed moment after every act it records."""
    return NOW


def bench_form() -> dict[str, Any]:
    """Return a 300-item form in the shipped format (10 sections of 30 items)."""
    data: dict[str, Any] = json.loads((ROOT / "forms" / "cement.v1.json").read_text("utf-8"))
    data["form_id"] = FORM_ID
    data["title"] = "基准测试核查表（300 项）"
    data["title_en"] = "Benchmark checklist (300 items)"
    data["sections"] = [
        {
            "code": str(s + 1),
            "title": f"第 {s + 1} 部分",
            "items": [
                {
                    "code": f"{s + 1}.{i + 1}",
                    "requirement": f"第 {s + 1}.{i + 1} 项：应具有相应的管理制度并有效实施。",
                    "guidance": "查看制度文件和执行记录。",
                    "clause": f"细则 第 {s + 1}.{i + 1} 条",
                    "requires": {"不符合": ["note"], "基本符合": ["note"]},
                }
                for i in range(ITEMS // 10)
            ],
        }
        for s in range(10)
    ]
    data["verdict_rules"] = [
        {"kind": "max_count", "result": "不符合", "max": 2, "label": "全部项目"},
        {"kind": "max_count", "result": "基本符合", "max": 60, "label": "全部项目"},
    ]
    return data


def build_bench_case(workspace: Workspace, application_no: str, status: CaseStatus) -> str:
    """Install the 300-item form and build one case over it through the review steps, at
    `status`; return its id."""
    form = form_from_dict(bench_form())
    assert len(form.items()) == ITEMS
    install_form(workspace.db, form, NOW)
    demo = DemoCase(
        "z",
        application_no,
        ("基准测试水泥有限公司", "北京市海淀区测试路 1 号", "测试员", "010-00000000"),
        "水泥",
        "通用硅酸盐水泥",
        FORM_ID,
        status,
        9,
    )
    team = demo_team(workspace, FORM_ID, NOW)
    build_demo_case(workspace, demo, team, NOW, CHINA)
    return demo_id("z", "case")


def template_case(folder: Path) -> CaseFile:
    """Build one passed 300-item case through the review steps; return its records."""
    with open_workspace(folder) as workspace:
        case_id = build_bench_case(workspace, "XK99-2026-0000", CaseStatus.PASSED)
        return load_case_file(workspace.db, case_id)


def _nid(n: int, *parts: str) -> str:
    return str(uuid.uuid5(NS, "/".join((str(n), *parts))))


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def case_copies(template: str, count: int) -> list[bytes]:
    """Return `count` case files of the template's review, each with fresh record and version
    ids and its own application number (the reviewers and the device stay the same)."""
    doc = json.loads(template)
    keep = {r["id"] for r in doc["reviewers"]} | set(
        re.findall(r'"device_id": "([^"]+)"', template)
    )
    copies = []
    for n in range(count):

        def fresh(match: re.Match[str], n: int = n) -> str:
            return match.group(0) if match.group(0) in keep else _nid(n, match.group(0))

        text = UUID.sub(fresh, template)
        text = text.replace(doc["case"]["application_no"], f"XK99-2026-{n:05d}")
        copy = json.loads(text)
        members = parse_case_file(text.encode("utf-8")).state.members
        for filing in copy["filings"]:  # the fingerprint covers the members' ids
            filing["team_fingerprint"] = team.team_fingerprint(members)
        copies.append(json.dumps(copy, ensure_ascii=False).encode("utf-8"))
    return copies


def mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.glob(f"{DATABASE_NAME}*")) / 1e6


def bench_import(work: Path, cases: int) -> tuple[Path, CaseFile]:
    source = work / "source"
    template = template_case(source)
    assert not template.samples and not template.seals and not template.signatures
    target = work / "target"
    with open_workspace(source) as src, open_workspace(target) as dst:
        install_form(dst.db, form_from_dict(bench_form()), NOW)
        texts = case_copies(case_json(template, src), cases)
        size = len(texts[0])
        per_case: list[float] = []
        started = time.perf_counter()
        for n, raw in enumerate(texts):
            t0 = time.perf_counter()
            import_case(dst, parse_case_file(raw), importer=CLERK, clock=clock)
            per_case.append(time.perf_counter() - t0)
            if (n + 1) % max(1, cases // 10) == 0:
                print(f"  … {n + 1} cases imported, {time.perf_counter() - started:.1f} s")
                sys.stdout.flush()
        total = time.perf_counter() - started
        dst.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(f"(a) import {cases} cases × {ITEMS} items (case file {size / 1e3:.0f} kB each)")
    print(f"    total {total:.1f} s; per case median {statistics.median(per_case) * 1e3:.0f} ms,")
    print(
        f"    first 10 mean {statistics.mean(per_case[:10]) * 1e3:.0f} ms, "
        f"last 10 mean {statistics.mean(per_case[-10:]) * 1e3:.0f} ms"
    )
    print(f"    database size {mb(target):.1f} MB ({mb(target) / cases * 1e3:.0f} kB per case)")
    if cases < 1000:
        print(f"    extrapolated to 1,000 cases: ≈ {total / cases * 1000 / 60:.1f} min")
    return target, template


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _bare_table(path: Path, row: dict[str, Any]) -> tuple[sqlite3.Connection, str, list[str]]:
    """A bare table holding the same columns, opened with the same durability settings."""
    conn = connect(path)
    conn.isolation_level = None
    cols = [c for c in row if c != "id"]
    conn.execute(f"CREATE TABLE checklist_result (id TEXT PRIMARY KEY, {', '.join(cols)})")
    sql = (
        f"INSERT INTO checklist_result (id, {', '.join(cols)}) "
        f"VALUES ({', '.join('?' for _ in range(len(cols) + 1))})"
    )
    return conn, sql, cols


def _report(label: str, times: list[float], bare_median: float) -> None:
    med, p99 = statistics.median(times), quantile(times, 0.99)
    ratio = med / bare_median
    print(f"    {label}: median {med * 1e3:.2f} ms, p99 {p99 * 1e3:.2f} ms, ratio {ratio:.1f}×")
    print(
        f"      goal p99 < 5 ms: {'met' if p99 < 0.005 else 'MISSED'}; "
        f"goal ratio < 3: {'met' if ratio < 3 else 'MISSED'}"
    )


def bench_save(work: Path, saves: int) -> None:
    """Three series, interleaved so that machine noise falls on all alike:
    the write (record + audit event + outbox in one transaction), the whole
    `Casework.record_result` (the rules checked first), and a bare sqlite3 insert."""
    folder = work / "saves"
    with open_workspace(folder) as workspace:
        from inspector_app.demo import fill_demo

        fill_demo(workspace, NOW)
        db = workspace.db
        case = load_case_file(db, demo_id("c", "case"))
        form = case_form(db, case.case)
        codes = [i.code for i in form.items() if not i.requires.get(RESULT_CONFORM)]
        moment = [NOW]
        work_as = Casework(db, LEADER, lambda: moment[0])
        device = device_id(db)
        template = case.results[0]
        row = next(db.query("SELECT * FROM checklist_result LIMIT 1"))
        conn, sql, cols = _bare_table(work / "bare.db", row)
        full: list[float] = []
        write: list[float] = []
        bare: list[float] = []
        for n in range(saves):
            at = NOW + timedelta(seconds=n)
            moment[0] = at
            code = codes[n % len(codes)]
            result = ChecklistResult(
                demo_id("c", "result", code),
                case.case.id,
                code,
                RESULT_CONFORM,
                f"第 {n} 次" if n % 2 else "",
                demo_id("c", "member", "0"),
                at,
            )
            t0 = time.perf_counter()
            work_as.record_result(result)
            full.append(time.perf_counter() - t0)

            t0 = time.perf_counter()
            with db.atomic():
                records.save(
                    db, replace(template, note=f"第 {n} 次"), actor=LEADER, now=at, device=device
                )
            write.append(time.perf_counter() - t0)

            values = [str(uuid.uuid4()), *(row[c] for c in cols)]
            t0 = time.perf_counter()
            conn.execute("BEGIN")
            conn.execute(sql, values)
            conn.execute("COMMIT")
            bare.append(time.perf_counter() - t0)
        conn.close()
    bmed, bp99 = statistics.median(bare), quantile(bare, 0.99)
    print(f"(b) record one checklist result, {saves} times each, interleaved")
    print(
        f"    bare sqlite3 insert of the same row (WAL, synchronous=FULL): "
        f"median {bmed * 1e3:.2f} ms, p99 {bp99 * 1e3:.2f} ms"
    )
    _report("write (record + audit event + outbox)", write, bmed)
    _report("record_result (rules + write)", full, bmed)


def pad_cases(folder: Path, template: CaseFile, upto: int) -> int:
    """Add accepted cases (case + enterprise only) until the workspace lists `upto` cases;
    `case list` reads nothing else, so they stand in for fully imported ones."""
    added = 0
    with open_workspace(folder) as workspace:
        have = len(_queries(workspace).case_rows(alerts=False))
        clerk = Casework(workspace.db, CLERK, clock)
        for n in range(have, upto):
            enterprise = replace(template.enterprise, id=_nid(100_000 + n, "enterprise"))
            accepted = replace(
                template.case,
                id=_nid(100_000 + n, "case"),
                enterprise_id=enterprise.id,
                application_no=f"XK98-2026-{n:05d}",
                status=CaseStatus.ACCEPTED,
                review_started_at=None,
                concluded_at=None,
            )
            clerk.create_case(enterprise, accepted)
            added += 1
    return added


def _queries(workspace: Any) -> Queries:
    return Queries(workspace.db, CHINA, clock)


def bench_list(folder: Path, repeats: int = 21) -> None:
    with open_workspace(folder) as workspace:
        queries = _queries(workspace)
        count = len(queries.case_rows(alerts=False))
        direct = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            queries.case_rows()
            direct.append(time.perf_counter() - t0)
    runner = CliRunner()
    whole = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = runner.invoke(cli, ["--workspace", str(folder), "case", "list", "--json"])
        whole.append(time.perf_counter() - t0)
        assert result.exit_code == 0, result.output
    med, cmed = statistics.median(direct), statistics.median(whole)
    print(f"(c) case list over {count} cases (median of {repeats})")
    print(f"    case_rows() {med * 1e3:.1f} ms; `inspector case list --json` {cmed * 1e3:.1f} ms")
    print(
        f"    goal < 50 ms: case_rows {'met' if med < 0.05 else 'MISSED'}, "
        f"whole command {'met' if cmed < 0.05 else 'MISSED'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--list-cases", type=int, default=1000)
    parser.add_argument("--saves", type=int, default=2000)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-store-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        print(f"bench_store: Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}")
        bench_save(work, args.saves)
        target, template = bench_import(work, args.cases)
        padded = pad_cases(target, template, args.list_cases)
        if padded:
            print(f"(c) {padded} accepted cases (case + enterprise) added for the list")
        bench_list(target)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
