"""A reviewer profile's key-encryption key, in one place for the signing key and the sync token:
made on first use, refused when wrong, remembered by the session or the OS keyring, a stale
remembered key forgotten, asked once per session without a keyring backend."""

from __future__ import annotations

import base64

import pytest

from inspector_app.store.identities import create_identity, unlock_identity
from inspector_app.store.profile_keys import (
    NoProfile,
    WrongPassphrase,
    load_profile,
    new_profile,
    passphrase_key,
    profile_key,
    store_profile,
)
from inspector_app.store.secrets import (
    MemoryKeyCache,
    OsKeyring,
    PassphraseError,
    SessionKeys,
    derive_key,
)
from inspector_app.store.workspace import Workspace
from tests.unit.signing_helpers import (
    CHEAP,
    NOW,
    PASSPHRASE,
    ZHANG,
    MemoryKeyring,
    memory_keyring,
    no_keyring,
    workspace,
)

__all__ = ["memory_keyring", "no_keyring", "workspace"]  # fixtures


@pytest.fixture
def profiled(workspace: Workspace) -> Workspace:
    """张三 has a passphrase on this laptop (no signing identity yet)."""
    with workspace.db.atomic():
        passphrase_key(workspace.db, ZHANG.id, PASSPHRASE, name=ZHANG.name, now=NOW, kdf_n=CHEAP)
    return workspace


class Asker:
    """A passphrase source that counts how often it was asked."""

    def __init__(self, answer: str = PASSPHRASE) -> None:
        self.answer = answer
        self.asked = 0

    def __call__(self) -> str:
        self.asked += 1
        return self.answer


def test_profile_key_with_the_right_passphrase_is_the_profiles_key(profiled: Workspace) -> None:
    ask = Asker()
    key = profile_key(profiled.db, ZHANG.id, ask, name=ZHANG.name)
    profile = load_profile(profiled.db, ZHANG.id)
    assert profile is not None and profile.opens(key)
    assert key == derive_key(PASSPHRASE, profile.params) and ask.asked == 1


def test_profile_key_refuses_a_wrong_passphrase_and_remembers_nothing(
    profiled: Workspace,
) -> None:
    cache = MemoryKeyCache()
    with pytest.raises(WrongPassphrase, match="张三 的口令不正确") as refused:
        profile_key(profiled.db, ZHANG.id, Asker("not the passphrase"), cache, name=ZHANG.name)
    assert "not the passphrase" not in str(refused.value)
    profile = load_profile(profiled.db, ZHANG.id)
    assert profile is not None and cache.recall(profile.cache_entry) is None


def test_profile_key_needs_a_profile(workspace: Workspace) -> None:
    ask = Asker()
    with pytest.raises(NoProfile, match="还没有审查员口令"):
        profile_key(workspace.db, ZHANG.id, ask, name=ZHANG.name)
    assert ask.asked == 0


def test_passphrase_key_makes_the_profile_once_then_checks_it(workspace: Workspace) -> None:
    with workspace.db.atomic():
        first, made = passphrase_key(
            workspace.db, ZHANG.id, PASSPHRASE, name=ZHANG.name, now=NOW, kdf_n=CHEAP
        )
    with workspace.db.atomic():
        again, kept = passphrase_key(
            workspace.db, ZHANG.id, PASSPHRASE, name=ZHANG.name, now=NOW, kdf_n=CHEAP
        )
    assert first == again and made == kept
    with pytest.raises(WrongPassphrase):
        passphrase_key(workspace.db, ZHANG.id, "another passphrase", name=ZHANG.name, now=NOW)
    rows = workspace.db.execute("SELECT count(*) FROM reviewer_secret").fetchone()
    assert rows == (1,)


def test_new_profile_refuses_a_short_passphrase_and_writes_nothing(workspace: Workspace) -> None:
    with pytest.raises(PassphraseError, match="口令太短"):
        new_profile(ZHANG.id, "short", kdf_n=CHEAP)
    profile, key = new_profile(ZHANG.id, PASSPHRASE, kdf_n=CHEAP)
    assert load_profile(workspace.db, ZHANG.id) is None  # made, not written
    with workspace.db.atomic():
        store_profile(workspace.db, profile, now=NOW)
    assert profile_key(workspace.db, ZHANG.id, Asker()) == key


def test_the_keyring_remembers_the_key_and_is_not_asked_again(
    profiled: Workspace, memory_keyring: MemoryKeyring
) -> None:
    ask = Asker()
    profile_key(profiled.db, ZHANG.id, ask, SessionKeys(OsKeyring()))
    (entry, stored), *_ = memory_keyring.entries.items()
    assert ZHANG.id in entry[1] and PASSPHRASE not in stored
    profile_key(profiled.db, ZHANG.id, ask, SessionKeys(OsKeyring()))  # a new session
    assert ask.asked == 1


def test_a_stale_remembered_key_is_forgotten_and_the_passphrase_asked(
    profiled: Workspace, memory_keyring: MemoryKeyring
) -> None:
    ask = Asker()
    profile_key(profiled.db, ZHANG.id, ask, OsKeyring())
    entry = next(iter(memory_keyring.entries))
    stale = base64.b64encode(bytes(32)).decode()  # e.g. the key of an older passphrase
    memory_keyring.entries[entry] = stale
    key = profile_key(profiled.db, ZHANG.id, ask, OsKeyring())
    assert ask.asked == 2
    assert memory_keyring.entries[entry] == base64.b64encode(key.material).decode()
    # a wrong answer after a stale entry: the stale one is gone, nothing new is kept
    memory_keyring.entries[entry] = stale
    with pytest.raises(WrongPassphrase):
        profile_key(profiled.db, ZHANG.id, Asker("not the passphrase"), OsKeyring())
    assert entry not in memory_keyring.entries


def test_without_a_keyring_backend_the_passphrase_is_asked_once_per_session(
    profiled: Workspace, no_keyring: None
) -> None:
    ask = Asker()
    session = SessionKeys(OsKeyring())
    for _ in range(3):
        profile_key(profiled.db, ZHANG.id, ask, session)
    assert ask.asked == 1
    profile_key(profiled.db, ZHANG.id, ask, SessionKeys(OsKeyring()))
    assert ask.asked == 2  # a new session asks again: nothing outlived the first


def test_the_signing_identity_and_the_profile_share_one_key(
    profiled: Workspace, memory_keyring: MemoryKeyring
) -> None:
    # the passphrase set before (at enrollment) is the identity's: another one is refused
    with pytest.raises(WrongPassphrase):
        create_identity(profiled.db, ZHANG, "another passphrase", now=NOW, kdf_n=CHEAP)
    create_identity(profiled.db, ZHANG, PASSPHRASE, now=NOW, cache=OsKeyring(), kdf_n=CHEAP)
    ask = Asker()
    profile_key(profiled.db, ZHANG.id, ask, OsKeyring())  # remembered by create_identity
    unlock_identity(profiled.db, ZHANG, ask=ask, cache=OsKeyring())
    assert ask.asked == 0
