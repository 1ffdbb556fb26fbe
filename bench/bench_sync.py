"""Sync benchmarks over loopback, against a real uvicorn server (figures only, no asserts).

Run: .venv/bin/python bench/bench_sync.py [--clients N] [--requests N] [--mb N]

(a) A sync with nothing to do (the demo workspace already synced): median and p99 of
    `run_sync` as `inspector sync` runs it, and of that the token unseal (scrypt at the
    workspace's real cost). Goal: < 100 ms for the network part.
(b) Attachment upload: a fresh N MB file through the client's resumable upload (the server
    streams it to disk, hashes it again, fsyncs, records it), as a ratio of its throughput to a
    raw HTTP PUT of the same bytes to a bare endpoint on the same uvicorn stack that only
    writes them to a file. Goal: ratio > 0.5.
(c) N concurrent clients (threads, one device each) against one server, on SQLite and on
    PostgreSQL (a throwaway cluster, when PostgreSQL is installed): each pushes one small
    mutation and pulls a page, `--requests` times; p50 and p99 per request.
"""

from __future__ import annotations

import argparse
import hashlib
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inspector_app.demo import fill_demo  # noqa: E402
from inspector_app.store import sync_queue  # noqa: E402
from inspector_app.store.settings import device_id  # noqa: E402
from inspector_app.store.workspace import open_workspace  # noqa: E402
from sync.client.attachments import UploadCounts, upload  # noqa: E402
from sync.client.engine import enroll, run_sync  # noqa: E402
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION, Reviewer  # noqa: E402
from sync.server.storage import Storage, new_reviewer_id  # noqa: E402
from tests.sync.live import free_port, running_server  # noqa: E402
from tests.sync.postgres import PostgresCluster, find_postgres_bin  # noqa: E402

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
PASSPHRASE = "bench-sync-passphrase"
HEADERS = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}


def percentile(values: list[float], p: float) -> float:
    """Return the p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def new_code(storage: Storage) -> str:
    """A reviewer and its enrollment code."""
    return storage.add_reviewer(
        Reviewer(
            id=new_reviewer_id(),
            name="基准",
            unit="质检院",
            unit_type="inspection_agency",
            role="reviewer",
        )
    )


def device_headers(http: httpx.Client, storage: Storage, device: str) -> dict[str, str]:
    """Enroll `device` directly over HTTP; return its authenticated headers."""
    body = {"code": new_code(storage), "device_id": device}
    token = http.post("/v1/enroll", json=body, headers=HEADERS).json()["token"]
    return {**HEADERS, "Authorization": f"Bearer {token}"}


def bench_noop_sync(storage: Storage, url: str, folder: Path, runs: int) -> None:
    """(a) A sync with nothing to do."""
    with open_workspace(folder / "ws") as workspace:
        fill_demo(workspace, NOW)
        db = workspace.db
        with httpx.Client(base_url=url, timeout=60) as http:
            enroll(db, http, server_url=url, code=new_code(storage), passphrase=PASSPHRASE)
            first = run_sync(db, http, passphrase=PASSPHRASE, now=NOW)
            totals = [_timed_noop(db, http) for _ in range(runs)]
            token = sync_queue.open_token(db, device=device_id(db), passphrase=PASSPHRASE)
            unsealing = sync_queue.open_token
            # The same sync with the token already unsealed (as a session that keeps the
            # derived key in memory would): the exchange with the server alone.
            sync_queue.open_token = lambda *_a, **_k: token  # type: ignore[assignment]
            try:
                network = [_timed_noop(db, http) for _ in range(runs)]
            finally:
                sync_queue.open_token = unsealing
    print(
        f"(a) first sync of the demo workspace: {first.pushed} mutations, "
        f"{first.attachments} attachments"
    )
    print(
        f"    sync with nothing to do: median {statistics.median(totals) * 1000:.1f} ms "
        f"(the token unsealed by scrypt at its real cost, each time)"
    )
    print(
        f"    its exchange with the server (token already unsealed): median "
        f"{statistics.median(network) * 1000:.1f} ms, p99 {percentile(network, 99) * 1000:.1f} "
        f"ms over {runs} runs (goal < 100 ms)"
    )


def _timed_noop(db: Any, http: httpx.Client) -> float:
    start = time.perf_counter()
    report = run_sync(db, http, passphrase=PASSPHRASE, now=NOW)
    assert report.pushed == 0
    return time.perf_counter() - start


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


@contextmanager
def raw_server(folder: Path) -> Iterator[str]:
    """The baseline endpoint under uvicorn on a free port."""
    port = free_port()
    config = uvicorn.Config(
        RawSink(folder), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
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
    """(b) Attachment upload throughput against a raw upload of the same bytes."""
    ours: list[float] = []
    raw: list[float] = []
    size = megabytes * 1024 * 1024
    with httpx.Client(base_url=url, timeout=120) as http, raw_server(folder) as raw_url:
        headers = device_headers(http, storage, "bench-upload")
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
    print(
        f"(b) upload of {megabytes} MB: attachment {megabytes / t_ours:.0f} MB/s, "
        f"raw HTTP PUT {megabytes / t_raw:.0f} MB/s; ratio {t_raw / t_ours:.2f} (goal > 0.5)"
    )


def bench_clients(label: str, storage: Storage, url: str, clients: int, requests: int) -> None:
    """(c) Concurrent clients: each pushes a mutation and pulls a page, `requests` times."""
    with httpx.Client(base_url=url, timeout=60) as http:
        headers = [device_headers(http, storage, f"bench-{label}-{n}") for n in range(clients)]
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
    print(
        f"(c) {clients} clients on {label}: {len(latencies)} requests in {wall:.1f} s "
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
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    try:
        storage = Storage.open(folder / "server")
        with_server(storage, lambda url: bench_noop_sync(storage, url, folder, args.runs))
        storage = Storage.open(folder / "server-b")
        with_server(storage, lambda url: bench_upload(storage, url, folder, args.mb, 3))
        storage = Storage.open(folder / "server-c")
        with_server(
            storage,
            lambda url: bench_clients("sqlite", storage, url, args.clients, args.requests),
        )
        bin_dir = find_postgres_bin()
        if bin_dir is None:
            print("(c) PostgreSQL: not installed, skipped")
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
