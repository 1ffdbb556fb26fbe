"""`inspector enroll` and `inspector sync` and the reviewer's passphrase: set at enrollment (or
the one the reviewer has here), taken from $INSPECTOR_PASSPHRASE or asked at the terminal, and
not asked at all when the OS keyring remembers the key."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from inspector_app.cli import cli
from inspector_app.store import sync_queue
from inspector_app.store.profile_keys import load_profile
from inspector_app.store.workspace import open_workspace
from sync.server.storage import Storage
from tests.sync.conftest import PASSPHRASE, new_code
from tests.sync.live import running_server
from tests.unit.signing_helpers import MemoryKeyring, memory_keyring, no_keyring

__all__ = ["memory_keyring", "no_keyring"]  # fixtures

WITH_ENV = {"INSPECTOR_PASSPHRASE": PASSPHRASE}


@pytest.fixture
def office(tmp_path: Path) -> Iterator[tuple[str, Storage]]:
    """An office on a loopback socket (SQLite storage): its URL and storage."""
    storage = Storage.in_folder(tmp_path / "server")
    with running_server(storage) as url:
        yield url, storage
    storage.close()


def run(folder: Path, *args: str, env: dict[str, str] | None = None, text: str = "") -> Result:
    return CliRunner().invoke(
        cli, ["--workspace", str(folder), *args], env=env or {}, input=text or None
    )


def enroll(
    folder: Path, office: tuple[str, Storage], env: dict[str, str] | None = None, text: str = ""
) -> Result:
    url, storage = office
    return run(folder, "enroll", "--server", url, "--code", new_code(storage), env=env, text=text)


def reviewer_id(folder: Path) -> str:
    with open_workspace(folder) as ws:
        found = sync_queue.token_reviewer(ws.db)
    assert found is not None
    return found


def test_enroll_sets_the_reviewers_passphrase_and_sync_uses_it(
    tmp_path: Path, office: tuple[str, Storage], no_keyring: None
) -> None:
    folder = tmp_path / "ws"
    enrolled = enroll(folder, office, env=WITH_ENV)
    assert enrolled.exit_code == 0, enrolled.output
    assert "已为 王建华 设置本机的审查员口令" in enrolled.stdout
    with open_workspace(folder) as ws:
        assert load_profile(ws.db, reviewer_id(folder)) is not None
    synced = run(folder, "sync", "--json", env=WITH_ENV)
    assert synced.exit_code == 0, synced.output
    assert json.loads(synced.stdout)["notes"] == []
    wrong = run(folder, "sync", env={"INSPECTOR_PASSPHRASE": "wrong words"})
    assert wrong.exit_code == 1
    assert "口令不对" in wrong.stderr and "wrong words" not in wrong.output
    assert len(wrong.stderr.strip().splitlines()) == 1  # a message, not a traceback


def test_without_a_keyring_sync_asks_at_the_terminal(
    tmp_path: Path, office: tuple[str, Storage], no_keyring: None
) -> None:
    folder = tmp_path / "ws"
    asked_twice = enroll(folder, office, text=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert asked_twice.exit_code == 0, asked_twice.output
    assert "还没有审查员口令，请设置" in asked_twice.stderr
    assert PASSPHRASE not in asked_twice.output  # hidden input is never echoed
    synced = run(folder, "sync", text=f"{PASSPHRASE}\n")
    assert synced.exit_code == 0, synced.output
    assert "请输入口令" in synced.stderr and "上传 0 项更改" in synced.stdout


def test_the_keyring_remembers_the_key_so_sync_does_not_ask(
    tmp_path: Path, office: tuple[str, Storage], memory_keyring: MemoryKeyring
) -> None:
    folder = tmp_path / "ws"
    assert enroll(folder, office, env=WITH_ENV).exit_code == 0
    assert len(memory_keyring.entries) == 1
    assert PASSPHRASE not in next(iter(memory_keyring.entries.values()))
    synced = run(folder, "sync")  # no $INSPECTOR_PASSPHRASE, no input: not asked
    assert synced.exit_code == 0, synced.output
    assert "请输入口令" not in synced.stderr


def test_enrolling_again_asks_the_passphrase_the_reviewer_has_here(
    tmp_path: Path, office: tuple[str, Storage], no_keyring: None
) -> None:
    from sqlalchemy import insert

    from sync.server.storage import enrollment_code, token_hash

    folder = tmp_path / "ws"
    assert enroll(folder, office, env=WITH_ENV).exit_code == 0
    url, storage = office
    with storage.engine.begin() as conn:  # a second code for the same reviewer
        conn.execute(
            insert(enrollment_code).values(
                code_hash=token_hash("second-code"),
                reviewer_id=reviewer_id(folder),
                created_at="now",
            )
        )
    again = run(
        folder,
        "enroll",
        "--server",
        url,
        "--code",
        "second-code",
        text=f"wrong words\n{PASSPHRASE}\n",
    )
    assert again.exit_code == 0, again.output
    assert "请输入本机的审查员口令" in again.stderr
    assert "口令不正确，已拒绝" in again.stderr and "请再试一次" in again.stderr
    assert "设置本机的审查员口令" not in again.stdout
    assert run(folder, "sync", env=WITH_ENV).exit_code == 0


def test_a_short_passphrase_is_refused_before_the_code_is_used(
    tmp_path: Path, office: tuple[str, Storage], no_keyring: None
) -> None:
    url, storage = office
    code = new_code(storage)
    folder = tmp_path / "ws"
    short = run(
        folder, "enroll", "--server", url, "--code", code, env={"INSPECTOR_PASSPHRASE": "1"}
    )
    assert short.exit_code == 1 and "口令太短" in short.stderr
    good = run(folder, "enroll", "--server", url, "--code", code, env=WITH_ENV)
    assert good.exit_code == 0, good.output
