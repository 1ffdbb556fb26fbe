"""What the sync tests share: a server over a temporary folder (in-process through Starlette's
test client, an httpx client on the ASGI app), enrollment codes, and a demo workspace made
once and copied for each test.

Every test that uses `database_url` (and so `storage`, `http`) runs on both backends: SQLite
(the file in the data folder) and PostgreSQL (a fresh database in a throwaway cluster started
once per session, see tests/sync/postgres.py). Without PostgreSQL on the machine the
postgresql runs skip with the reason; with INSPECTOR_REQUIRE_POSTGRES=1 (set by .ci/run) they
fail instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlite_utils import Database

from inspector_app.store.workspace import Workspace, open_workspace
from sync.client.engine import enroll
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION, EnrollResponse, Reviewer
from sync.server.app import create_app
from sync.server.assignments import assign_by_id
from sync.server.storage import Storage, new_reviewer_id
from tests.conftest import DemoWorkspaces
from tests.sync.asgi import asgi_client
from tests.sync.postgres import PostgresCluster, find_postgres_bin

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
PASSPHRASE = "sync-test-passphrase"
CHEAP_KDF = 2**10
HEADERS = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}


BACKENDS = ("sqlite", "postgresql")


def _postgres_missing(reason: str) -> None:
    if os.environ.get("INSPECTOR_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"INSPECTOR_REQUIRE_POSTGRES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster | str]:
    """A throwaway PostgreSQL cluster for the session, or the reason there is none."""
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        yield "PostgreSQL is not installed (no initdb; set INSPECTOR_PG_BIN)"
        return
    cluster = PostgresCluster(bin_dir)
    try:
        cluster.start()
    except (RuntimeError, OSError, KeyError) as error:
        cluster.stop()
        yield f"PostgreSQL did not start: {error}"
        return
    yield cluster
    cluster.stop()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str | None:
    """The server's database: None for SQLite in the data folder, or a fresh PostgreSQL
    database's URL."""
    if request.param == "sqlite":
        return None
    cluster = request.getfixturevalue("postgres_cluster")
    if isinstance(cluster, str):
        _postgres_missing(cluster)
    assert isinstance(cluster, PostgresCluster)
    return cluster.new_database()


@pytest.fixture
def storage(tmp_path: Path, database_url: str | None) -> Iterator[Storage]:
    """The server's storage in a fresh data folder, on each backend."""
    made = Storage.open(tmp_path / "server", database_url)
    yield made
    made.close()


@pytest.fixture
def http(storage: Storage) -> Iterator[httpx.Client]:
    """An httpx client talking to the server in-process (no socket)."""
    with asgi_client(create_app(storage)) as client:
        yield client


def new_code(storage: Storage, name: str = "王建华", role: str = "leader") -> str:
    """Add a reviewer to the server's registry and return its enrollment code."""
    return storage.add_reviewer(
        Reviewer(
            id=new_reviewer_id(),
            name=name,
            unit="江苏省产品质量监督检验研究院",
            unit_type="inspection_agency",
            role=role,  # type: ignore[arg-type]
            certificate_no="XKSC-2026-0101",
            certificate_expiry="2030-12-31",
        )
    )


def token_for(
    http: httpx.Client,
    storage: Storage,
    device: str = "device-1",
    cases: tuple[str, ...] = ("c-1",),
    name: str = "王建华",
) -> dict[str, str]:
    """Enroll `device` for a new reviewer to whom `cases` are assigned, and return the
    headers of its authenticated calls."""
    response = http.post(
        "/v1/enroll",
        json={"code": new_code(storage, name), "device_id": device},
        headers=HEADERS,
    )
    assert response.status_code == 200, response.text
    for case_id in cases:
        assign_by_id(storage, case_id, response.json()["reviewer"]["id"])
    return {**HEADERS, "Authorization": f"Bearer {response.json()['token']}"}


def enroll_laptop(
    db: Database, http: httpx.Client, storage: Storage, name: str = "王建华"
) -> EnrollResponse:
    """Enroll the laptop of workspace `db` with the server for a new reviewer `name`, with the
    tests' passphrase; return what the enrollment made."""
    return enroll(
        db,
        http,
        server_url="http://testserver",
        code=new_code(storage, name),
        passphrase=PASSPHRASE,
        kdf_n=CHEAP_KDF,
    )


@pytest.fixture(scope="session")
def demo_template(demo_workspaces: DemoWorkspaces) -> Path:
    """A demo workspace with a full outbox, made once (copy it before writing)."""
    return demo_workspaces.template(NOW)


def copy_workspace(template: Path, to: Path) -> Workspace:
    """Open a copy of the workspace `template` in `to`."""
    shutil.copytree(template, to)
    return open_workspace(to)


@pytest.fixture
def workspace(demo_template: Path, tmp_path: Path) -> Iterator[Workspace]:
    """A copy of the demo workspace."""
    with copy_workspace(demo_template, tmp_path / "ws") as opened:
        yield opened


def laptop_changes(storage: Storage) -> int:
    """Return how many changes of the server's log laptops made (the office publishes its
    registry, reference data and key as changes too)."""
    from sqlalchemy import func, select

    from sync.server.publish import CENTRAL_OFFICE
    from sync.server.storage import change

    with storage.engine.connect() as conn:
        query = select(func.count()).where(change.c.device_id != CENTRAL_OFFICE)
        return int(conn.execute(query).scalar_one())


@pytest.fixture
def laptop_b(tmp_path: Path) -> Iterator[Workspace]:
    """A second laptop: a fresh workspace (of another reviewer, once enrolled)."""
    with open_workspace(tmp_path / "b") as made:
        yield made
