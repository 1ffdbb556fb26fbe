"""Sync benchmarks over loopback, against a real uvicorn server (figures only, no asserts).

Run: .venv/bin/python bench/bench_sync.py [--cases N] [--clients N] [--requests N] [--mb N]

(a) First sync of a fresh laptop whose reviewer the office assigned N cases of 300 checklist
    items (`case assign` of N case files, as `bench_store.py` makes them): time, changes and
    cases per second, and the laptop's database size.
(b) A sync with nothing to do, the whole `run_sync` with the device token already opened (as
    the app's sync panel keeps it for its run), on a small workspace (the demo, already synced)
    and on the big one of (a), with no open conflict and with 600 and 2,000 open conflicts of
    its cases on the office (once the laptop took them, the conflicts cursor leaves nothing
    about conflicts to send). Goal: < 100 ms whatever the workspace size. Also `run_sync` as
    `inspector sync` runs it with no keyring backend (one process per run: the reviewer's key
    derived by scrypt at the workspace's real cost), that opening alone, and `run_sync` with
    the reviewer's key remembered (the OS keyring or the app's session: no scrypt).
(c) Attachment upload: a fresh N MB file through the client's resumable upload (the server
    streams it to disk, hashes it again, fsyncs, records it), as a ratio of its throughput to a
    raw HTTP PUT of the same bytes to a bare endpoint on the same uvicorn stack that only
    writes them to a file. Goal: ratio > 0.5.
(e) Attachment download: the same N MB file fetched by the client as `inspector sync` fetches
    a missing attachment (streamed to a partial file, hashed as it comes, fsynced, moved into
    the workspace and recorded), as a ratio of its throughput to a raw HTTP GET of the same
    bytes from a bare endpoint on the same uvicorn stack that only streams the file, the
    client only writing them to a file.
(d) N concurrent clients (threads, one device each) against one server, on SQLite and on
    PostgreSQL (a throwaway cluster, when PostgreSQL is installed): each pushes one small
    mutation and pulls a page, `--requests` times; p50 and p99 per request.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "bench"))

import bench_store  # noqa: E402

from inspector_app.casefile.reader import parse_case_file  # noqa: E402
from inspector_app.casefile.writer import case_json  # noqa: E402
from inspector_app.core.forms.reader import form_from_dict  # noqa: E402
from inspector_app.demo import fill_demo  # noqa: E402
from inspector_app.store import sync_queue  # noqa: E402
from inspector_app.store.secrets import MemoryKeyCache  # noqa: E402
from inspector_app.store.sql import fetch_one  # noqa: E402
from inspector_app.store.workspace import DATABASE_NAME, open_workspace  # noqa: E402
from sync.client.attachments import UploadCounts, upload  # noqa: E402
from sync.client.downloads import DownloadCounts, fetch  # noqa: E402
from sync.client.engine import enroll, run_sync  # noqa: E402
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION, Reviewer  # noqa: E402
from sync.server.assignments import assign_by_id, assign_case  # noqa: E402
from sync.server.attachments import AttachmentFiles  # noqa: E402
from sync.server.reference import publish_form  # noqa: E402
from sync.server.storage import Storage, change, keep_conflict, new_reviewer_id  # noqa: E402
from tests.sync.live import free_port, running_server  # noqa: E402
from tests.sync.postgres import PostgresCluster, find_postgres_bin  # noqa: E402

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
CONFLICT_COUNTS = (600, 2000)
"""Open conflicts on the office during the no-op syncs of (b)."""
PASSPHRASE = "bench-sync-passphrase"
HEADERS = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}


def percentile(values: list[float], p: float) -> float:
    """Return the p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def new_code(storage: Storage) -> str:
    """A reviewer and its enrollment code."""
    return new_reviewer(storage)[1]


def device_headers(
    http: httpx.Client, storage: Storage, device: str, case_id: str
) -> dict[str, str]:
    """Enroll `device` directly over HTTP for a new reviewer to whom the office assigned
    `case_id` (a device may change only its reviewer's cases); return its headers."""
    body = {"code": new_code(storage), "device_id": device}
    made = http.post("/v1/enroll", json=body, headers=HEADERS).json()
    assign_by_id(storage, case_id, made["reviewer"]["id"])
    return {**HEADERS, "Authorization": f"Bearer {made['token']}"}


def new_reviewer(storage: Storage) -> tuple[str, str]:
    """A reviewer of the registry: its id and its enrollment code."""
    person = Reviewer(
        id=new_reviewer_id(),
        name="基准",
        unit="质检院",
        unit_type="inspection_agency",
        role="reviewer",
    )
    return person.id, storage.add_reviewer(person)


def noop_runs(
    db: Any, http: httpx.Client, runs: int, *, conflicts: bool = False, **credentials: Any
) -> list[float]:
    """Time `runs` syncs with nothing to do (the whole `run_sync`); unless `conflicts`,
    check that none of them brought a conflict down."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        report = run_sync(db, http, now=NOW, **credentials)
        times.append(time.perf_counter() - start)
        assert report.pushed == 0 and report.pulled == 0
        assert conflicts or report.server_conflicts == 0
    return times


def ms(values: list[float]) -> str:
    """Median and p99 of `values` in milliseconds."""
    return (
        f"median {statistics.median(values) * 1000:.1f} ms, "
        f"p99 {percentile(values, 99) * 1000:.1f} ms"
    )


def same_reviewers(template: str, cases: int) -> list[bytes]:
    """`cases` copies of the template's case file (`bench_store.case_copies`), each carrying
    the same version of the team's reviewer records, as real case files of one team do (the
    copies renew every other version id; a renewed reviewer version would be a conflict per
    reviewer and case on the server, which is not what a first sync meets)."""
    reviewers = json.loads(template)["reviewers"]
    copies = []
    for raw in bench_store.case_copies(template, cases):
        doc = json.loads(raw)
        doc["reviewers"] = reviewers
        copies.append(json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    return copies


def bench_first_sync(storage: Storage, url: str, folder: Path, cases: int, runs: int) -> None:
    """(a) First sync of a fresh laptop assigned `cases` cases; then (b) on that big workspace."""
    print(f"(a) building {cases} case files of {bench_store.ITEMS} checklist items …")
    sys.stdout.flush()
    template = bench_store.template_case(folder / "template")
    with open_workspace(folder / "template") as source:
        texts = same_reviewers(case_json(template, source), cases)
    reviewer, code = new_reviewer(storage)
    form = form_from_dict(bench_store.bench_form())
    publish_form(storage, form)
    started = time.perf_counter()
    published = sum(
        assign_case(storage, parse_case_file(raw), [reviewer]).published for raw in texts
    )
    assigning = time.perf_counter() - started
    laptop = folder / "laptop"
    with open_workspace(laptop) as workspace, httpx.Client(base_url=url, timeout=120) as http:
        db = workspace.db
        enroll(db, http, server_url=url, code=code, passphrase=PASSPHRASE)
        token = sync_queue.open_device_token(db, ask=lambda: PASSPHRASE, now=NOW)
        started = time.perf_counter()
        first = run_sync(db, http, token=token, now=NOW)
        took = time.perf_counter() - started
        held = fetch_one(db, "SELECT COUNT(*) AS n FROM review_case", [])
        results = fetch_one(db, "SELECT COUNT(*) AS n FROM checklist_result", [])
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = sum(p.stat().st_size for p in laptop.glob(f"{DATABASE_NAME}*")) / 1e6
        print(
            f"    the office: {cases} cases assigned in {assigning:.1f} s "
            f"({published} records published)"
        )
        print(
            f"    first sync: {took:.1f} s for {first.pulled} changes "
            f"({first.pulled / took:.0f} changes/s, {cases / took:.1f} cases/s, "
            f"{took / cases * 1000:.0f} ms per case); applied {first.applied_down}, "
            f"waiting {len(first.waiting)}"
        )
        print(
            f"    the laptop holds {held['n'] if held else 0} cases, "
            f"{results['n'] if results else 0} checklist results; database {size:.0f} MB"
        )
        big = noop_runs(db, http, runs, token=token)
        with_conflicts: list[tuple[int, float, list[float]]] = []
        kept = 0
        for wanted in CONFLICT_COUNTS:
            kept += keep_conflicts(storage, wanted - kept, offset=kept)
            started = time.perf_counter()
            noop_runs(db, http, 1, token=token, conflicts=True)  # the laptop takes them once
            taking = time.perf_counter() - started
            with_conflicts.append((kept, taking, noop_runs(db, http, runs, token=token)))
    print("(b) a sync with nothing to do, the token already opened (goal < 100 ms):")
    print(f"    big workspace ({cases} cases × {bench_store.ITEMS} items): {ms(big)} ({runs} runs)")
    for kept, taking, times in with_conflicts:
        print(
            f"    the same with {kept} open conflicts on the office (the sync that brought the "
            f"new ones down: {taking * 1000:.0f} ms; then, with the conflicts cursor, nothing "
            f"about conflicts is sent): {ms(times)}"
        )


def keep_conflicts(storage: Storage, count: int, offset: int = 0) -> int:
    """Keep `count` open conflicts of the assigned cases on the office (of the checklist
    results after the first `offset`), as stale pushes from another laptop would (each: a
    checklist result's payload against its current head); return how many. Written straight
    into the office's table, each at its place of the conflicts' sequence as the office keeps
    them: only their number matters here."""
    with storage.transaction() as conn:
        heads = conn.execute(
            select(change)
            .where(change.c.record_table == "checklist_result")
            .order_by(change.c.seq)
            .offset(offset)
            .limit(count)
        ).all()
        for head in heads:
            keep_conflict(
                conn,
                mutation_id=str(uuid.uuid4()),
                device_id="bench-other-laptop",
                record_table=head.record_table,
                record_id=head.record_id,
                case_id=head.case_id,
                version_id=str(uuid.uuid4()),
                base_version_id=head.base_version_id,
                head_version_id=head.version_id,
                reason="bench: a stale base version",
                payload=head.payload,
                found_at=NOW.isoformat(),
            )
    return len(heads)


def bench_noop_small(storage: Storage, url: str, folder: Path, runs: int) -> None:
    """(b) A sync with nothing to do on the demo workspace, with and without an opened token."""
    with open_workspace(folder / "ws") as workspace:
        fill_demo(workspace, NOW)
        db = workspace.db
        with httpx.Client(base_url=url, timeout=60) as http:
            _, code = new_reviewer(storage)
            enroll(db, http, server_url=url, code=code, passphrase=PASSPHRASE)
            first = run_sync(db, http, passphrase=PASSPHRASE, now=NOW)
            opening = []
            for _ in range(3):
                started = time.perf_counter()
                token = sync_queue.open_device_token(db, ask=lambda: PASSPHRASE, now=NOW)
                opening.append(time.perf_counter() - started)
            unsealing = statistics.median(opening)
            small = noop_runs(db, http, runs, token=token)
            whole = noop_runs(db, http, max(3, runs // 4), passphrase=PASSPHRASE)
            keys = MemoryKeyCache()  # the OS keyring (or the session) remembers the key
            run_sync(db, http, passphrase=PASSPHRASE, cache=keys, now=NOW)
            remembered = noop_runs(db, http, runs, passphrase=PASSPHRASE, cache=keys)
    print(
        f"    small workspace (the demo; its first sync pushed {first.pushed} mutations, "
        f"{first.attachments} attachments): {ms(small)} ({runs} runs)"
    )
    print(
        f"    as `inspector sync` runs it with no keyring (the key derived by scrypt each time): "
        f"median {statistics.median(whole) * 1000:.0f} ms, of which unsealing ≈ "
        f"{unsealing * 1000:.0f} ms"
    )
    print(
        f"    with the reviewer's key remembered (keyring or session; no scrypt): "
        f"{ms(remembered)} ({runs} runs)"
    )


class RawSink:
    """The baseline: a bare ASGI endpoint that writes the body to a file, nothing more."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        with open(self.folder / "raw.bin", "wb") as out:
            while True:
                message = await receive()
                out.write(message.get("body", b""))
                if not message.get("more_body"):
                    break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


class RawSource:
    """The baseline of downloads: a bare ASGI endpoint that streams one file, nothing more."""

    def __init__(self, path: Path) -> None:
        self.path = path

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        size = str(self.path.stat().st_size).encode()
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-length", size)]}
        )
        with open(self.path, "rb") as f:
            while block := f.read(1024 * 1024):
                await send({"type": "http.response.body", "body": block, "more_body": True})
        await send({"type": "http.response.body", "body": b""})


@contextmanager
def raw_server(folder: Path, app: Any = None) -> Iterator[str]:
    """The baseline endpoint (`app`, else a `RawSink` in `folder`) under uvicorn on a free
    port."""
    port = free_port()
    config = uvicorn.Config(
        app or RawSink(folder), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _blocks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as f:
        while block := f.read(1024 * 1024):
            yield block


def bench_upload(storage: Storage, url: str, folder: Path, megabytes: int, runs: int) -> None:
    """(c) Attachment upload throughput against a raw upload of the same bytes."""
    ours: list[float] = []
    raw: list[float] = []
    size = megabytes * 1024 * 1024
    with httpx.Client(base_url=url, timeout=120) as http, raw_server(folder) as raw_url:
        headers = device_headers(http, storage, "bench-upload", "bench-case")
        with httpx.Client(base_url=raw_url, timeout=120) as bare:
            for _ in range(runs):
                path = folder / "file.bin"
                path.write_bytes(os.urandom(size))
                sha = hashlib.sha256(path.read_bytes()).hexdigest()
                start = time.perf_counter()
                bare.put("/raw", content=_blocks(path))
                raw.append(time.perf_counter() - start)
                start = time.perf_counter()
                upload(http, headers, path, sha, "bench-case", UploadCounts())
                ours.append(time.perf_counter() - start)
    t_ours, t_raw = statistics.median(ours), statistics.median(raw)
    pairs = sorted(r / o for r, o in zip(raw, ours, strict=True))  # each run against its own raw
    print(
        f"(c) upload of {megabytes} MB: attachment {megabytes / t_ours:.0f} MB/s, "
        f"raw HTTP PUT {megabytes / t_raw:.0f} MB/s (medians of {runs}); ratio per run: median "
        f"{statistics.median(pairs):.2f}, range {pairs[0]:.2f}–{pairs[-1]:.2f} (goal > 0.5)"
    )


def bench_download(storage: Storage, url: str, folder: Path, megabytes: int, runs: int) -> None:
    """(e) Attachment download throughput against a raw GET of the same bytes."""
    ours: list[float] = []
    raw: list[float] = []
    size = megabytes * 1024 * 1024
    path = folder / "down.bin"
    path.write_bytes(os.urandom(size))
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    with (
        httpx.Client(base_url=url, timeout=120) as http,
        open_workspace(folder / "laptop-down") as laptop,
    ):
        headers = device_headers(http, storage, "bench-download", "bench-down-case")
        upload(http, headers, path, sha, "bench-down-case", UploadCounts())
        held = AttachmentFiles(storage).path(sha)
        stored = laptop.attachments / sha[:2] / sha
        with (
            raw_server(folder, RawSource(held)) as raw_url,
            httpx.Client(base_url=raw_url, timeout=120) as bare,
        ):
            for run in range(runs):
                # Each run starts from no file on either side (deleting 50 MB is not timed),
                # and which goes first alternates.
                (folder / "raw.bin").unlink(missing_ok=True)
                stored.unlink(missing_ok=True)
                laptop.db.execute("DELETE FROM attachment WHERE sha256 = ?", [sha])
                for turn in (run % 2, 1 - run % 2):
                    start = time.perf_counter()
                    if turn == 0:
                        with (
                            bare.stream("GET", "/raw") as response,
                            open(folder / "raw.bin", "wb") as out,
                        ):
                            for block in response.iter_bytes():
                                out.write(block)
                        raw.append(time.perf_counter() - start)
                    else:
                        counts = DownloadCounts()
                        fetch(laptop.db, http, headers, sha, NOW, counts)
                        ours.append(time.perf_counter() - start)
                        assert counts.files == 1 and stored.stat().st_size == size
    t_ours, t_raw = statistics.median(ours), statistics.median(raw)
    pairs = sorted(r / o for r, o in zip(raw, ours, strict=True))  # each run against its own raw
    print(
        f"(e) download of {megabytes} MB: attachment {megabytes / t_ours:.0f} MB/s, "
        f"raw HTTP GET {megabytes / t_raw:.0f} MB/s (medians of {runs}); ratio per run: median "
        f"{statistics.median(pairs):.2f}, range {pairs[0]:.2f}–{pairs[-1]:.2f}"
    )


def bench_clients(label: str, storage: Storage, url: str, clients: int, requests: int) -> None:
    """(d) Concurrent clients: each pushes a mutation and pulls a page, `requests` times."""
    with httpx.Client(base_url=url, timeout=60) as http:
        headers = [
            device_headers(http, storage, f"bench-{label}-{n}", f"case-{n}") for n in range(clients)
        ]
    latencies: list[float] = []
    lock = threading.Lock()
    errors: list[str] = []
    start_line = threading.Barrier(clients)

    def client(n: int) -> None:
        mine: list[float] = []
        with httpx.Client(base_url=url, timeout=60) as http:
            start_line.wait()
            cursor = 0
            for i in range(requests):
                m = {
                    "mutation_id": str(uuid.uuid4()),
                    "record_table": "checklist_result",
                    "record_id": f"{label}-{n}-{i}",
                    "case_id": f"case-{n}",
                    "version_id": str(uuid.uuid4()),
                    "payload": {"result": "符合", "n": i},
                    "created_at": NOW.isoformat(),
                }
                for kind in ("push", "pull"):
                    began = time.perf_counter()
                    if kind == "push":
                        response = http.post(
                            "/v1/push", json={"mutations": [m]}, headers=headers[n]
                        )
                    else:
                        response = http.get(
                            "/v1/changes",
                            params={"after": cursor, "limit": 100},
                            headers=headers[n],
                        )
                    mine.append(time.perf_counter() - began)
                    if response.status_code != 200:
                        errors.append(f"{response.status_code} {response.text[:100]}")
                    elif "cursor" in response.json():
                        cursor = response.json()["cursor"]
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    if errors:
        print(f"    first error: {errors[0]}")
    print(
        f"(d) {clients} clients on {label}: {len(latencies)} requests in {wall:.1f} s "
        f"({len(latencies) / wall:.0f}/s); p50 {percentile(latencies, 50) * 1000:.0f} ms, "
        f"p99 {percentile(latencies, 99) * 1000:.0f} ms; errors {len(errors)}"
    )


def with_server(storage: Storage, run: Callable[[str], None]) -> None:
    """Run `run(url)` against `storage` served on loopback, then close the storage."""
    try:
        with running_server(storage) as url:
            run(url)
    finally:
        storage.close()


def main() -> None:
    """Run the benchmarks and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--only-noop", action="store_true", help="Run (a) and (b) only (the no-op syncs)."
    )
    parser.add_argument(
        "--attachments-only", action="store_true", help="Only (c) and (e), the attachments."
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    try:
        if args.attachments_only:
            storage = Storage.open(folder / "server-b")
            with_server(storage, lambda url: bench_upload(storage, url, folder, args.mb, 5))
            storage = Storage.open(folder / "server-e")
            with_server(storage, lambda url: bench_download(storage, url, folder, args.mb, 5))
            return
        storage = Storage.open(folder / "server")
        with_server(
            storage, lambda url: bench_first_sync(storage, url, folder, args.cases, args.runs)
        )
        if args.only_noop:
            return
        storage = Storage.open(folder / "server-s")
        with_server(storage, lambda url: bench_noop_small(storage, url, folder, args.runs))
        storage = Storage.open(folder / "server-b")
        with_server(storage, lambda url: bench_upload(storage, url, folder, args.mb, 5))
        storage = Storage.open(folder / "server-e")
        with_server(storage, lambda url: bench_download(storage, url, folder, args.mb, 5))
        storage = Storage.open(folder / "server-c")
        with_server(
            storage,
            lambda url: bench_clients("sqlite", storage, url, args.clients, args.requests),
        )
        bin_dir = find_postgres_bin()
        if bin_dir is None:
            print("(d) PostgreSQL: not installed, skipped")
            return
        cluster = PostgresCluster(bin_dir)
        try:
            cluster.start()
            storage = Storage.open(folder / "server-d", cluster.new_database())
            with_server(
                storage,
                lambda url: bench_clients("postgresql", storage, url, args.clients, args.requests),
            )
        finally:
            cluster.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
