"""The key-encryption key of a reviewer profile (审查员口令派生的密钥), in one place.

A reviewer profile on this laptop is one row of `reviewer_secret`: the scrypt salt and cost
that turn the reviewer's passphrase into their key-encryption key (KEK), and a check value
that tells the right passphrase from a wrong one. Everything the KEK protects (the signing key,
`store.identities`; the device's sync token, `store.sync_queue`) gets the key from here:

- `passphrase_key`: from a passphrase just typed, making the profile on first use (a new
  signing identity);
- `new_profile` + `store_profile`: a profile made apart from its first use (enrollment asks
  the passphrase before it writes anything);
- `profile_key`: for opening what the key sealed: a key remembered in the session or the OS
  keyring first (a stale one is forgotten), else the passphrase is asked once and the key
  remembered when it is right.

No passphrase or key is ever logged or put into an exception message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlite_utils import Database

from inspector_app.store.errors import storage_errors
from inspector_app.store.secrets import (
    DEFAULT_SCRYPT_N,
    DerivedKey,
    KdfParams,
    KeyCache,
    PassphraseError,
    PassphraseSource,
    cache_entry_name,
    check_passphrase_strength,
    check_value,
    derive_key,
    key_matches,
)
from inspector_app.store.sql import fetch_one


class WrongPassphrase(PassphraseError):
    """The passphrase given is not the reviewer's (the check value does not open)."""


class NoProfile(PassphraseError):
    """The reviewer has no passphrase on this laptop yet."""


@dataclass(frozen=True)
class Profile:
    """A reviewer profile's key derivation: how the passphrase becomes the KEK, and the check
    value that tells a wrong one (neither is secret)."""

    reviewer_id: str
    params: KdfParams
    check: bytes = field(repr=False)

    @property
    def cache_entry(self) -> str:
        """The name the KEK is remembered under (the reviewer and a digest of the salt)."""
        return cache_entry_name(self.reviewer_id, self.params)

    def opens(self, key: DerivedKey) -> bool:
        """Return whether `key` is this profile's KEK."""
        return key_matches(key, self.check)


def wrong_passphrase(name: str) -> WrongPassphrase:
    """Return the refusal of a wrong passphrase for the reviewer called `name`."""
    return WrongPassphrase(f"{name} 的口令不正确，已拒绝。未做任何更改；请重新输入口令。")


def load_profile(db: Database, reviewer_id: str) -> Profile | None:
    """Return the reviewer's profile on this laptop, or None when they have no passphrase."""
    with storage_errors():
        row = fetch_one(db, "SELECT * FROM reviewer_secret WHERE reviewer_id = ?", [reviewer_id])
    if row is None:
        return None
    salt, check = row["salt"], row["check_value"]
    assert isinstance(salt, bytes) and isinstance(check, bytes)
    params = KdfParams(
        salt=salt, n=int(str(row["kdf_n"])), r=int(str(row["kdf_r"])), p=int(str(row["kdf_p"]))
    )
    return Profile(reviewer_id, params, check)


def new_profile(
    reviewer_id: str, passphrase: str, *, kdf_n: int = DEFAULT_SCRYPT_N
) -> tuple[Profile, DerivedKey]:
    """Return a new profile for `passphrase` (a fresh salt) and its KEK; nothing is written.

    Raises:
        PassphraseError: the passphrase is too short.
    """
    check_passphrase_strength(passphrase)
    params = KdfParams.fresh(n=kdf_n)
    key = derive_key(passphrase, params)
    return Profile(reviewer_id, params, check_value(key)), key


def store_profile(db: Database, profile: Profile, *, now: datetime) -> None:
    """Write `profile` as the reviewer's (in the caller's transaction); the reviewer must be in
    the registry and have no profile yet."""
    p = profile.params
    db.execute(
        """INSERT INTO reviewer_secret (reviewer_id, kdf, salt, kdf_n, kdf_r, kdf_p, check_value,
           created_at) VALUES (?, 'scrypt', ?, ?, ?, ?, ?, ?)""",
        [profile.reviewer_id, p.salt, p.n, p.r, p.p, profile.check, now.isoformat()],
    )


def passphrase_key(
    db: Database,
    reviewer_id: str,
    passphrase: str,
    *,
    name: str,
    now: datetime,
    kdf_n: int = DEFAULT_SCRYPT_N,
) -> tuple[DerivedKey, Profile]:
    """Return the reviewer's KEK from `passphrase`, making the profile (salt and check value)
    on first use, in the caller's transaction.

    Raises:
        PassphraseError: the passphrase is too short (`new_profile`), or the reviewer already
            has a passphrase and this is not it (`WrongPassphrase`).
    """
    profile = load_profile(db, reviewer_id)
    if profile is not None:
        key = derive_key(passphrase, profile.params)
        if not profile.opens(key):
            raise wrong_passphrase(name)
        return key, profile
    profile, key = new_profile(reviewer_id, passphrase, kdf_n=kdf_n)
    store_profile(db, profile, now=now)
    return key, profile


def remembered_key(profile: Profile, cache: KeyCache | None) -> DerivedKey | None:
    """Return the profile's KEK if `cache` remembers it; a remembered key that no longer opens
    the profile (an older passphrase, another workspace's profile) is forgotten."""
    if cache is None:
        return None
    key = cache.recall(profile.cache_entry)
    if key is not None and not profile.opens(key):
        cache.forget(profile.cache_entry)
        return None
    return key


def profile_key(
    db: Database,
    reviewer_id: str,
    ask: PassphraseSource,
    cache: KeyCache | None = None,
    *,
    name: str = "",
) -> DerivedKey:
    """Return the reviewer's KEK: the one remembered in `cache` when it still opens the
    profile (a stale one is forgotten), else derived from `ask()` (called once) and remembered
    in `cache` when right.

    Args:
        db: the workspace database.
        reviewer_id: whose key.
        ask: asks the passphrase (a dialog, a terminal prompt, $INSPECTOR_PASSPHRASE).
        cache: the session's keys (memory, and the OS keyring when it has a backend), or None.
        name: the reviewer's name, for the messages (the id when not given).

    Raises:
        NoProfile: the reviewer has no passphrase on this laptop.
        WrongPassphrase: the passphrase is wrong (nothing is remembered or changed).
    """
    who = name or reviewer_id
    profile = load_profile(db, reviewer_id)
    if profile is None:
        raise NoProfile(f"{who} 在本机还没有审查员口令。未做任何更改。")
    key = remembered_key(profile, cache)
    if key is None:
        key = derive_key(ask(), profile.params)
        if not profile.opens(key):
            raise wrong_passphrase(who)
        if cache is not None:
            cache.remember(profile.cache_entry, key)
    return key
