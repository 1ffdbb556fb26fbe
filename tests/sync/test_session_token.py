"""The device token opened once per session of the app: scrypt runs at the first sync, not at
every one; a wrong passphrase opens nothing; a token of an older enrollment is refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from inspector_app.store import secrets, sync_queue
from inspector_app.store.secrets import PassphraseError
from inspector_app.store.settings import device_id
from inspector_app.store.workspace import Workspace
from sync.client.engine import run_sync
from sync.client.session import SessionToken
from sync.server.storage import Storage
from tests.sync.conftest import CHEAP_KDF, NOW, PASSPHRASE, laptop_changes
from tests.sync.test_client import enrolled


@pytest.fixture
def scrypt_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the scrypt derivations made while unsealing the token."""
    calls: list[int] = []
    real: Callable[..., Any] = secrets.derive_key

    def counting(passphrase: str, params: secrets.KdfParams) -> secrets.DerivedKey:
        calls.append(params.n)
        return real(passphrase, params)  # type: ignore[no-any-return]

    monkeypatch.setattr(sync_queue, "derive_key", counting)
    return calls


def enrolled_again(workspace: Workspace, token: str) -> None:
    """Keep `token` as the workspace's device token, sealed anew (a new salt), as a new
    enrollment of this device leaves it."""
    sync_queue.save_enrollment(
        workspace.db,
        server_url="http://testserver",
        device=device_id(workspace.db),
        token=token,
        reviewer={"name": "王建华"},
        passphrase=PASSPHRASE,
        kdf_n=CHEAP_KDF,
    )


def test_an_opened_token_syncs_without_unsealing_again(
    workspace: Workspace, http: httpx.Client, storage: Storage, scrypt_calls: list[int]
) -> None:
    enrolled(workspace, http, storage)
    scrypt_calls.clear()  # enrollment sealed the token
    queued = sync_queue.outbox_count(workspace.db)
    opened = sync_queue.unseal_token(
        workspace.db, device=device_id(workspace.db), passphrase=PASSPHRASE
    )
    assert len(scrypt_calls) == 1
    report = run_sync(workspace.db, http, token=opened, now=NOW)
    again = run_sync(workspace.db, http, token=opened, now=NOW)
    assert report.pushed == queued and laptop_changes(storage) == report.applied
    assert (again.pushed, again.pulled) == (0, 0)
    assert len(scrypt_calls) == 1
    assert opened.token not in repr(opened)


def test_a_session_unseals_once_and_again_after_a_new_enrollment(
    workspace: Workspace, http: httpx.Client, storage: Storage, scrypt_calls: list[int]
) -> None:
    enrolled(workspace, http, storage)
    scrypt_calls.clear()
    session = SessionToken(PASSPHRASE)
    first = session.opened(workspace.db)
    assert session.opened(workspace.db) is first
    assert len(scrypt_calls) == 1
    assert first.token not in repr(session) and PASSPHRASE not in repr(session)
    enrolled_again(workspace, first.token)
    scrypt_calls.clear()
    second = session.opened(workspace.db)
    assert len(scrypt_calls) == 1  # another sealed token: unsealed again
    assert second is not first and second.token == first.token
    assert storage.authenticate(second.token) is not None


def test_a_token_of_an_older_enrollment_is_refused_and_nothing_is_sent(
    workspace: Workspace, http: httpx.Client, storage: Storage
) -> None:
    enrolled(workspace, http, storage)
    old = sync_queue.unseal_token(
        workspace.db, device=device_id(workspace.db), passphrase=PASSPHRASE
    )
    enrolled_again(workspace, "another-device-token")
    queued = sync_queue.outbox_count(workspace.db)
    with pytest.raises(PassphraseError, match="重新登记"):
        run_sync(workspace.db, http, token=old, now=NOW)
    assert sync_queue.outbox_count(workspace.db) == queued
    assert laptop_changes(storage) == 0


def test_a_session_with_a_wrong_passphrase_opens_nothing(
    workspace: Workspace, http: httpx.Client, storage: Storage, scrypt_calls: list[int]
) -> None:
    enrolled(workspace, http, storage)
    scrypt_calls.clear()
    queued = sync_queue.outbox_count(workspace.db)
    session = SessionToken("wrong-words")
    for _ in range(2):  # nothing is kept from a failed attempt: scrypt runs and fails again
        with pytest.raises(PassphraseError, match="口令不对"):
            session.opened(workspace.db)
    assert len(scrypt_calls) == 2
    assert sync_queue.outbox_count(workspace.db) == queued


def test_a_sync_needs_a_passphrase_or_an_opened_token(
    workspace: Workspace, http: httpx.Client, storage: Storage
) -> None:
    enrolled(workspace, http, storage)
    with pytest.raises(TypeError):
        run_sync(workspace.db, http, now=NOW)
