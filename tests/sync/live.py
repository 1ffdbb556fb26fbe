"""A real server for the tests and benchmarks: uvicorn in a thread on a free loopback port,
and a small fault-injecting TCP proxy to put between it and a client. Every wait is bounded."""

from __future__ import annotations

import random
import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

import uvicorn

from sync.server.app import create_app
from sync.server.storage import Storage


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(storage: Storage) -> Iterator[str]:
    """Serve `storage` with uvicorn on a free port; yield its URL."""
    port = free_port()
    config = uvicorn.Config(
        create_app(storage), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "server did not start within 10 s"
        assert thread.is_alive(), "server thread died"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@dataclass
class Faults:
    """What the proxy does to each connection.

    reset_chance: the chance that a connection is reset after a random number of bytes (up to
        reset_within) in either direction.
    lose_push_responses: how many responses to POST /v1/push to swallow (the server has
        committed; the client sees the connection reset instead of the answer).
    cut_upload_every: reset a connection after this many bytes from the client (0: never).
    cut_download_every: reset a connection after this many bytes from the server (0: never).
    corrupt_content_at: flip one byte at this offset of the first attachment download
        (`GET …/content`) whose response gets that long, counted from the start of the
        response (-1: never), as a faulty network would.
    """

    reset_chance: float = 0.0
    reset_within: int = 64 * 1024
    lose_push_responses: int = 0
    cut_upload_every: int = 0
    cut_download_every: int = 0
    corrupt_content_at: int = -1
    seed: int = 2026


def _reset(sock: socket.socket) -> None:
    """Break the connection at once, as a broken network does (shutdown first: it wakes the
    other pump thread blocked in recv, which a bare close would not)."""
    with suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


class FaultyProxy:
    """A TCP proxy from a free port to `upstream_port`, injecting `faults`; counts what it
    broke (`resets`, `lost_responses`, `cuts`, `corrupted`) and what came down (`bytes_down`)."""

    def __init__(self, upstream_port: int, faults: Faults) -> None:
        self.upstream_port = upstream_port
        self.faults = faults
        self.random = random.Random(faults.seed)
        self.lock = threading.Lock()
        self.resets = self.lost_responses = self.cuts = 0
        self.bytes_down = 0
        """Bytes the server sent through the proxy (on every connection)."""
        self.corrupted = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.closing = False
        self.open_sockets: set[socket.socket] = set()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        """The URL a client uses instead of the server's."""
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> FaultyProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closing = True
        with suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes accept(); close alone does not
        self.listener.close()
        self.thread.join(timeout=10)
        with self.lock:
            open_sockets = list(self.open_sockets)
        for sock in open_sockets:
            _reset(sock)

    def _accept(self) -> None:
        while not self.closing:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30)
        except OSError:
            _reset(client)
            return
        with self.lock:
            budget = (
                self.random.randint(0, self.faults.reset_within)
                if self.random.random() < self.faults.reset_chance
                else -1
            )
            self.open_sockets |= {client, upstream}
        state = {
            "budget": budget,
            "swallow": False,
            "sent_up": 0,
            "sent_down": 0,
            "content_from": -1,  # where the response to the last GET …/content began
            "dead": False,
        }

        def kill() -> None:
            if not state["dead"]:
                state["dead"] = True
                _reset(client)
                _reset(upstream)

        def spend(n: int) -> bool:
            """Count n bytes against the random reset; True when the connection dies now."""
            if state["budget"] < 0:
                return False
            state["budget"] -= n
            if state["budget"] < 0:
                with self.lock:
                    self.resets += 1
                kill()
                return True
            return False

        def up() -> None:
            while True:
                try:
                    data = client.recv(65536)
                except OSError:
                    data = b""
                if not data or spend(len(data)):
                    kill()
                    return
                if b"/content HTTP/1.1" in data:
                    state["content_from"] = state["sent_down"]
                if b"POST /v1/push" in data:
                    with self.lock:
                        if self.lost_responses < self.faults.lose_push_responses:
                            self.lost_responses += 1
                            state["swallow"] = True
                every = self.faults.cut_upload_every
                before = state["sent_up"]
                state["sent_up"] += len(data)
                if every and before // every != state["sent_up"] // every:
                    keep = every - before % every
                    with suppress(OSError):
                        upstream.sendall(data[:keep])
                    with self.lock:
                        self.cuts += 1
                    kill()
                    return
                try:
                    upstream.sendall(data)
                except OSError:
                    kill()
                    return

        def down() -> None:
            while True:
                try:
                    data = upstream.recv(65536)
                except OSError:
                    data = b""
                if not data or state["swallow"] or spend(len(data)):
                    kill()
                    return
                with self.lock:
                    at = state["content_from"] + self.faults.corrupt_content_at - state["sent_down"]
                    wanted = self.faults.corrupt_content_at >= 0 and state["content_from"] >= 0
                    if wanted and not self.corrupted and 0 <= at < len(data):
                        data = data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]
                        self.corrupted += 1
                    self.bytes_down += len(data)
                every = self.faults.cut_download_every
                before = state["sent_down"]
                state["sent_down"] += len(data)
                if every and before // every != state["sent_down"] // every:
                    keep = every - before % every
                    with suppress(OSError):
                        client.sendall(data[:keep])
                    with self.lock:
                        self.bytes_down -= len(data) - keep
                        self.cuts += 1
                    # End the client's side with a FIN, not a reset: a reset would also throw
                    # away what sits unread in the client's socket buffer (megabytes on
                    # loopback), and `bytes_down` is to count what the client received.
                    state["dead"] = True
                    with suppress(OSError):
                        client.shutdown(socket.SHUT_WR)
                    _reset(upstream)
                    return
                try:
                    client.sendall(data)
                except OSError:
                    kill()
                    return

        pumps = [
            threading.Thread(target=up, daemon=True),
            threading.Thread(target=down, daemon=True),
        ]
        for p in pumps:
            p.start()
        for p in pumps:
            p.join(timeout=120)
        kill()
        with suppress(OSError):
            client.close()  # after a download cut's FIN (kill() did nothing then)
