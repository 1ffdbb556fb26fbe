"""The device token sealed under the enrolled reviewer's key-encryption key (ARCHITECTURE.md,
"Secrets"): enrollment sets up the reviewer and their profile from the office's registry; a
sync opens the token with the key the session or the OS keyring remembers, asking the
passphrase only when none is; a token copied elsewhere does not open; a workspace enrolled the
old way (the token under a passphrase of its own) still syncs and is moved under the profile
key."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from inspector_app.store import profile_keys, sync_queue
from inspector_app.store.profile_keys import Profile, load_profile, passphrase_key
from inspector_app.store.reviewers import get_reviewer
from inspector_app.store.secrets import (
    DerivedKey,
    KdfParams,
    MemoryKeyCache,
    PassphraseError,
    SessionKeys,
    derive_key,
    seal,
)
from inspector_app.store.settings import device_id
from inspector_app.store.sql import fetch_all
from inspector_app.store.sync_apply import apply_change
from inspector_app.store.workspace import Workspace
from sync.client.engine import enroll, run_sync
from sync.protocol import Reviewer
from sync.server.storage import Storage
from tests.sync.conftest import CHEAP_KDF, HEADERS, NOW, PASSPHRASE, laptop_changes, new_code
from tests.sync.test_client import second_code_for_same_reviewer

SERVER = "http://testserver"


class Asker:
    """A passphrase source that counts how often it was asked."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers) or [PASSPHRASE]
        self.asked = 0

    def __call__(self) -> str:
        self.asked += 1
        return self.answers[min(self.asked, len(self.answers)) - 1]


@pytest.fixture
def scrypt_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the scrypt derivations made for the reviewer's key."""
    calls: list[int] = []
    real: Callable[..., Any] = profile_keys.derive_key

    def counting(passphrase: str, params: KdfParams) -> DerivedKey:
        calls.append(params.n)
        return real(passphrase, params)  # type: ignore[no-any-return]

    monkeypatch.setattr(profile_keys, "derive_key", counting)
    return calls


def meta(workspace: Workspace) -> dict[str, str]:
    rows = fetch_all(workspace.db, "SELECT key, value FROM meta", [])
    return {str(r["key"]): str(r["value"]) for r in rows}


def enrolled(
    workspace: Workspace, http: httpx.Client, storage: Storage, name: str = "王建华", **kw: Any
) -> str:
    """Enroll `workspace` as a new registry reviewer; return the reviewer's id."""
    made = enroll(
        workspace.db,
        http,
        server_url=SERVER,
        code=new_code(storage, name),
        passphrase=kw.pop("passphrase", PASSPHRASE),
        kdf_n=CHEAP_KDF,
        now=NOW,
        **kw,
    )
    return made.reviewer.id


def test_enrollment_sets_up_the_reviewer_and_seals_the_token_under_their_key(
    laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    reviewer_id = enrolled(laptop_b, http, storage)
    person = get_reviewer(laptop_b.db, reviewer_id)
    assert person is not None and person.name == "王建华"
    profile = load_profile(laptop_b.db, reviewer_id)
    assert profile is not None and profile.opens(derive_key(PASSPHRASE, profile.params))
    kept = meta(laptop_b)
    assert kept["sync.token_reviewer"] == reviewer_id and "sync.token_kdf" not in kept
    assert sync_queue.outbox_count(laptop_b.db) == 0  # the office's record is not sent back
    opened = sync_queue.open_device_token(laptop_b.db, ask=Asker(), now=NOW)
    assert storage.authenticate(opened.token) is not None
    assert all(opened.token not in value for value in kept.values())
    assert opened.token not in repr(opened)
    # the registry record kept at enrollment is the office's version: the pull finds an echo
    report = run_sync(laptop_b.db, http, passphrase=PASSPHRASE, now=NOW)
    assert report.conflicts_down == 0 and report.echoes >= 1 and report.waiting == []


def test_enrolling_a_reviewer_who_has_a_passphrase_here_needs_that_passphrase(
    workspace: Workspace, http: httpx.Client, storage: Storage
) -> None:
    enrolled(workspace, http, storage)
    before = meta(workspace)
    profiles = fetch_all(workspace.db, "SELECT * FROM reviewer_secret ORDER BY reviewer_id")
    code = second_code_for_same_reviewer(storage, workspace)
    with pytest.raises(PassphraseError, match=r"口令不正确.*登记码已用掉") as refused:
        enroll(
            workspace.db,
            http,
            server_url=SERVER,
            code=code,
            passphrase="another passphrase",
            kdf_n=CHEAP_KDF,
        )
    assert "another passphrase" not in str(refused.value)
    assert meta(workspace) == before  # nothing kept, the old token still in force
    assert fetch_all(workspace.db, "SELECT * FROM reviewer_secret ORDER BY reviewer_id") == (
        profiles
    )


def test_enrollment_asks_again_after_a_wrong_passphrase_and_uses_a_remembered_key(
    workspace: Workspace, http: httpx.Client, storage: Storage
) -> None:
    keys = MemoryKeyCache()
    enrolled(workspace, http, storage, cache=keys)
    # the same reviewer again, the key remembered: not asked at all
    asked: list[tuple[str, bool]] = []

    def ask(person: Reviewer, new: bool) -> str:
        asked.append((person.name, new))
        return "wrong words" if len(asked) == 1 else PASSPHRASE

    enroll(
        workspace.db,
        http,
        server_url=SERVER,
        code=second_code_for_same_reviewer(storage, workspace),
        ask=ask,
        cache=keys,
        kdf_n=CHEAP_KDF,
    )
    assert asked == []
    # nothing remembered: asked, refused once (told why), asked again
    told: list[str] = []
    enroll(
        workspace.db,
        http,
        server_url=SERVER,
        code=second_code_for_same_reviewer(storage, workspace),
        ask=ask,
        cache=MemoryKeyCache(),
        attempts=3,
        refused=told.append,
        kdf_n=CHEAP_KDF,
    )
    assert asked == [("王建华", False), ("王建华", False)]
    assert len(told) == 1 and "口令不正确" in told[0] and "wrong words" not in told[0]
    assert storage.authenticate(
        sync_queue.open_device_token(workspace.db, ask=Asker(), now=NOW).token
    )


def test_an_office_that_sends_no_registry_record_keeps_nothing(
    laptop_b: Workspace, storage: Storage, http: httpx.Client
) -> None:
    def strip(request: httpx.Request) -> httpx.Response:
        response = http.request(
            request.method, request.url.path, content=request.content, headers=request.headers
        )
        body = response.json()
        body.pop("registry_change", None)
        return httpx.Response(response.status_code, json=body)

    before = meta(laptop_b)
    with (
        httpx.Client(transport=httpx.MockTransport(strip), base_url=SERVER) as old_office,
        pytest.raises(sync_queue.EnrollmentError, match=r"名册记录.*登记码已用掉"),
    ):
        enrolled(laptop_b, old_office, storage)
    assert meta(laptop_b) == before


def test_a_session_derives_the_key_once_for_every_sync(
    laptop_b: Workspace, http: httpx.Client, storage: Storage, scrypt_calls: list[int]
) -> None:
    enrolled(laptop_b, http, storage)
    scrypt_calls.clear()
    session = SessionKeys()  # no OS keyring: memory only
    ask = Asker()
    for _ in range(3):
        run_sync(laptop_b.db, http, ask=ask, cache=session, now=NOW)
    assert ask.asked == 1 and len(scrypt_calls) == 1
    run_sync(laptop_b.db, http, ask=ask, cache=SessionKeys(), now=NOW)  # a new session
    assert ask.asked == 2


def test_a_wrong_passphrase_opens_nothing_sends_nothing_and_is_not_shown(
    workspace: Workspace, http: httpx.Client, storage: Storage, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    enrolled(workspace, http, storage)
    queued = sync_queue.outbox_count(workspace.db)
    keys = MemoryKeyCache()
    for _ in range(2):
        with pytest.raises(PassphraseError, match="口令不对") as refused:
            run_sync(workspace.db, http, ask=Asker("wrong words"), cache=keys, now=NOW)
        assert "wrong words" not in str(refused.value)
    assert sync_queue.outbox_count(workspace.db) == queued and laptop_changes(storage) == 0
    token = sync_queue.open_device_token(workspace.db, ask=Asker(), now=NOW).token
    assert token not in caplog.text and PASSPHRASE not in caplog.text


def test_a_sealed_token_copied_to_another_device_server_or_reviewer_does_not_open(
    laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    reviewer_id = enrolled(laptop_b, http, storage)
    db = laptop_b.db
    device = device_id(db)
    db.execute("UPDATE meta SET value = 'another-laptop' WHERE key = 'device_id'")
    with pytest.raises(sync_queue.TokenUnreadable, match="另一台设备"):
        sync_queue.open_device_token(db, ask=Asker(), now=NOW)
    db.execute("UPDATE meta SET value = ? WHERE key = 'device_id'", [device])
    db.execute("UPDATE meta SET value = 'http://elsewhere' WHERE key = 'sync.server_url'")
    with pytest.raises(sync_queue.TokenUnreadable):
        sync_queue.open_device_token(db, ask=Asker(), now=NOW)
    db.execute("UPDATE meta SET value = ? WHERE key = 'sync.server_url'", [SERVER])
    # another reviewer of this laptop, with the same passphrase: the token is not theirs
    other = "r-liming"
    storage.add_reviewer(
        Reviewer(id=other, name="李明", unit="质检院", unit_type="other", role="reviewer")
    )
    in_registry_with_a_profile(laptop_b, storage, other, PASSPHRASE)
    db.execute("UPDATE meta SET value = ? WHERE key = 'sync.token_reviewer'", [other])
    with pytest.raises(sync_queue.TokenUnreadable):
        sync_queue.open_device_token(db, ask=Asker(), now=NOW)
    db.execute("UPDATE meta SET value = ? WHERE key = 'sync.token_reviewer'", [reviewer_id])
    assert storage.authenticate(sync_queue.open_device_token(db, ask=Asker(), now=NOW).token)


def test_a_token_of_an_older_enrollment_is_refused_and_nothing_is_sent(
    workspace: Workspace, http: httpx.Client, storage: Storage
) -> None:
    enrolled(workspace, http, storage)
    old = sync_queue.open_device_token(workspace.db, ask=Asker(), now=NOW)
    enroll(
        workspace.db,
        http,
        server_url=SERVER,
        code=second_code_for_same_reviewer(storage, workspace),
        passphrase=PASSPHRASE,
        kdf_n=CHEAP_KDF,
    )
    queued = sync_queue.outbox_count(workspace.db)
    with pytest.raises(PassphraseError, match="重新登记"):
        run_sync(workspace.db, http, token=old, now=NOW)
    assert sync_queue.outbox_count(workspace.db) == queued and laptop_changes(storage) == 0
    with pytest.raises(TypeError):
        run_sync(workspace.db, http, now=NOW)


# --- a workspace enrolled the old way -------------------------------------------------------


def enrolled_the_old_way(workspace: Workspace, http: httpx.Client, storage: Storage) -> str:
    """Enroll as the code before this change did: the token sealed under a key derived from
    a passphrase of its own (its salt and cost in `sync.token_kdf`); return the reviewer id."""
    device = device_id(workspace.db)
    response = http.post(
        "/v1/enroll",
        json={"code": new_code(storage), "device_id": device},
        headers=HEADERS,
    )
    made = response.json()
    params = KdfParams.fresh(n=CHEAP_KDF)
    context = f"inspector/sync-token/v1|{SERVER}|{device}".encode()
    sealed = seal(derive_key(PASSPHRASE, params), made["token"].encode(), context=context)
    kdf = {"salt": base64.b64encode(params.salt).decode(), "n": params.n, "r": 8, "p": 1}
    for key, value in {
        "sync.server_url": SERVER,
        "sync.token_kdf": json.dumps(kdf),
        "sync.token": base64.b64encode(sealed).decode(),
        "sync.reviewer": json.dumps(made["reviewer"], ensure_ascii=False),
        "sync.cursor": "0",
    }.items():
        workspace.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )
    return str(made["reviewer"]["id"])


def test_a_legacy_enrollment_still_syncs_and_moves_under_the_profile_key(
    laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    reviewer_id = enrolled_the_old_way(laptop_b, http, storage)
    keys = MemoryKeyCache()
    ask = Asker()
    # the reviewer is not in this laptop's registry yet: the old seal is kept, and says so
    first = run_sync(laptop_b.db, http, ask=ask, cache=keys, now=NOW)
    assert any("仍由登记时的口令保护" in note for note in first.notes)
    assert "sync.token_kdf" in meta(laptop_b)
    assert get_reviewer(laptop_b.db, reviewer_id) is not None  # it came down with the pull
    # the next sync opens the old seal, makes the profile from the same passphrase, re-seals
    second = run_sync(laptop_b.db, http, ask=ask, cache=keys, now=NOW)
    assert any("改由 王建华 的审查员口令保护" in note for note in second.notes)
    kept = meta(laptop_b)
    assert "sync.token_kdf" not in kept and kept["sync.token_reviewer"] == reviewer_id
    profile = load_profile(laptop_b.db, reviewer_id)
    assert profile is not None and profile.params.n == CHEAP_KDF  # the old seal's cost
    assert keys.recall(profile.cache_entry) is not None
    assert ask.asked == 2
    # from now on the remembered key opens it: not asked
    third = run_sync(laptop_b.db, http, ask=ask, cache=keys, now=NOW)
    assert ask.asked == 2 and third.notes == []
    assert sync_queue.open_device_token(laptop_b.db, ask=Asker(), now=NOW).reviewer_id == (
        reviewer_id
    )


def in_registry_with_a_profile(
    workspace: Workspace, storage: Storage, reviewer_id: str, passphrase: str
) -> Profile:
    """Bring the reviewer into the laptop's registry (the office's version) and give them a
    profile with `passphrase`, as a signing identity made before would have."""
    change = storage.head_change("reviewer", reviewer_id)
    assert change is not None
    with workspace.db.atomic():
        apply_change(workspace.db, change.model_dump(), NOW)
        _, profile = passphrase_key(
            workspace.db, reviewer_id, passphrase, name="王建华", now=NOW, kdf_n=CHEAP_KDF
        )
    return profile


def test_a_legacy_token_moves_under_an_existing_profile_with_the_same_passphrase(
    laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    reviewer_id = enrolled_the_old_way(laptop_b, http, storage)
    profile = in_registry_with_a_profile(laptop_b, storage, reviewer_id, PASSPHRASE)
    report = run_sync(laptop_b.db, http, passphrase=PASSPHRASE, now=NOW)
    assert any("改由 王建华 的审查员口令保护" in note for note in report.notes)
    assert "sync.token_kdf" not in meta(laptop_b)
    assert load_profile(laptop_b.db, reviewer_id) == profile  # the profile is unchanged


def test_a_legacy_token_whose_passphrase_is_not_the_profiles_is_kept_and_said_so(
    laptop_b: Workspace, http: httpx.Client, storage: Storage
) -> None:
    reviewer_id = enrolled_the_old_way(laptop_b, http, storage)
    profile = in_registry_with_a_profile(laptop_b, storage, reviewer_id, "the profile's words")
    before = meta(laptop_b)["sync.token"]
    report = run_sync(laptop_b.db, http, passphrase=PASSPHRASE, now=NOW)
    assert any("与 王建华 的审查员口令不同" in note for note in report.notes)
    assert meta(laptop_b)["sync.token"] == before and "sync.token_kdf" in meta(laptop_b)
    assert storage.counts()["device"] == 1  # it synced all the same
    # once the profile's key is remembered (e.g. by the keyring), the next open moves it
    keys = MemoryKeyCache()
    keys.remember(profile.cache_entry, derive_key("the profile's words", profile.params))
    moved = run_sync(laptop_b.db, http, passphrase=PASSPHRASE, cache=keys, now=NOW)
    assert any("改由" in note for note in moved.notes)
    assert "sync.token_kdf" not in meta(laptop_b)
    opened = sync_queue.open_device_token(laptop_b.db, ask=Asker("the profile's words"), now=NOW)
    assert storage.authenticate(opened.token) is not None
