"""Secrets of a reviewer profile: the passphrase, the key-encryption key it derives, and what
that key seals in the workspace (see ARCHITECTURE.md, "Secrets").

A reviewer's passphrase goes through scrypt (slow on purpose) to the key-encryption key (KEK).
The workspace keeps, per reviewer, the scrypt salt and cost and a check value (an AES-GCM seal
of nothing) that tells a right passphrase from a wrong one without opening anything else;
secrets themselves (the signing key, later the sync token and the workspace key) are sealed
with AES-GCM under the KEK, bound by associated data to the row that holds them.

The OS keyring may remember the derived KEK (never the passphrase) for this OS user. With no
keyring backend (headless Linux) nothing is remembered beyond the process: the passphrase is
asked each session. No secret is ever logged, put into an exception message or written in
plaintext.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from inspector_app.store.errors import WorkspaceError

KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16
MIN_PASSPHRASE_CHARS = 8
KEYRING_SERVICE = "inspector-app"
CHECK_CONTEXT = b"inspector/passphrase-check/v1"
DEFAULT_SCRYPT_N = 2**17

PassphraseSource = Callable[[], str]
"""Asks for the passphrase when it is needed (a dialog, a terminal prompt, a test's value)."""


class PassphraseError(WorkspaceError):
    """A passphrase that cannot be used: wrong, too short, or missing. The message never
    contains the passphrase."""


@dataclass(frozen=True)
class KdfParams:
    """How a passphrase becomes a key: scrypt with this salt and cost (stored per reviewer).

    n=2**17, r=8, p=1 is OWASP's recommendation for scrypt (about 128 MB and a few tenths of
    a second on a laptop); tests pass a cheaper cost.
    """

    salt: bytes
    n: int = DEFAULT_SCRYPT_N
    r: int = 8
    p: int = 1

    @classmethod
    def fresh(cls, *, n: int = DEFAULT_SCRYPT_N) -> KdfParams:
        """Return parameters with a new random salt."""
        return cls(salt=os.urandom(SALT_BYTES), n=n)


@dataclass(frozen=True)
class DerivedKey:
    """A key-encryption key. Its repr hides the bytes, so that it never lands in a log."""

    material: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.material) != KEY_BYTES:
            raise ValueError("a derived key has 32 bytes")


def check_passphrase_strength(passphrase: str) -> None:
    """Refuse a passphrase too short to protect a signing key.

    Raises:
        PassphraseError: fewer than 8 characters (or only spaces).
    """
    if len(passphrase.strip()) < MIN_PASSPHRASE_CHARS:
        raise PassphraseError(
            f"口令太短：至少需要 {MIN_PASSPHRASE_CHARS} 个字符。未做任何更改，请换一个更长的口令。"
        )


def derive_key(passphrase: str, params: KdfParams) -> DerivedKey:
    """Return the key-encryption key that `passphrase` derives under `params` (scrypt)."""
    kdf = Scrypt(salt=params.salt, length=KEY_BYTES, n=params.n, r=params.r, p=params.p)
    return DerivedKey(kdf.derive(passphrase.encode("utf-8")))


def seal(key: DerivedKey, plaintext: bytes, *, context: bytes) -> bytes:
    """Return `plaintext` encrypted and authenticated with AES-GCM: nonce + ciphertext + tag.

    `context` (associated data, not secret) binds the sealed bytes to where they are kept: a
    sealed value copied to another row does not open.
    """
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key.material).encrypt(nonce, plaintext, context)


def unseal(key: DerivedKey, sealed: bytes, *, context: bytes) -> bytes | None:
    """Return what `seal` sealed, or None when the key or the context is wrong or the bytes
    were changed (AES-GCM's tag does not match)."""
    if len(sealed) < NONCE_BYTES + 16:
        return None
    try:
        return AESGCM(key.material).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], context)
    except InvalidTag:
        return None


def check_value(key: DerivedKey) -> bytes:
    """Return a new check value for `key` (it seals nothing; only the right key opens it)."""
    return seal(key, b"", context=CHECK_CONTEXT)


def key_matches(key: DerivedKey, check: bytes) -> bool:
    """Return whether `key` opens the check value, i.e. came from the right passphrase."""
    return unseal(key, check, context=CHECK_CONTEXT) == b""


class KeyCache(Protocol):
    """Where derived keys may be remembered between uses (the OS keyring, or memory)."""

    def recall(self, name: str) -> DerivedKey | None:
        """Return the key remembered under `name`, or None."""
        ...

    def remember(self, name: str, key: DerivedKey) -> None:
        """Remember `key` under `name` (silently not, when the store cannot)."""
        ...

    def forget(self, name: str) -> None:
        """Forget the key remembered under `name`, if any."""
        ...


class MemoryKeyCache:
    """Keys remembered in this process only: the session memory when there is no keyring, and
    the fake of the OS keyring in tests."""

    def __init__(self) -> None:
        self._keys: dict[str, DerivedKey] = {}

    def recall(self, name: str) -> DerivedKey | None:
        """Return the key remembered under `name`, or None."""
        return self._keys.get(name)

    def remember(self, name: str, key: DerivedKey) -> None:
        """Remember `key` under `name` until the process ends."""
        self._keys[name] = key

    def forget(self, name: str) -> None:
        """Forget the key remembered under `name`, if any."""
        self._keys.pop(name, None)


class OsKeyring:
    """The OS keyring (through `keyring`) for this OS user.

    With no backend (`NoKeyringError`, e.g. headless Linux) or a failing one, it remembers
    nothing and recalls nothing: the caller then asks for the passphrase. Its errors are not
    passed on, since their text could name the entry; nothing here is logged.
    """

    def __init__(self, service: str = KEYRING_SERVICE) -> None:
        self.service = service

    def recall(self, name: str) -> DerivedKey | None:
        """Return the key the keyring remembers under `name`, or None."""
        import keyring
        from keyring.errors import KeyringError

        try:
            text = keyring.get_password(self.service, name)
        except KeyringError:
            return None
        if not text:
            return None
        try:
            material = base64.b64decode(text, validate=True)
            return DerivedKey(material)
        except ValueError:  # not ours, or damaged: treat as not remembered
            return None

    def remember(self, name: str, key: DerivedKey) -> None:
        """Ask the keyring to remember `key` under `name`; without a backend, do nothing."""
        import keyring
        from keyring.errors import KeyringError

        with contextlib.suppress(KeyringError):
            keyring.set_password(self.service, name, base64.b64encode(key.material).decode())

    def forget(self, name: str) -> None:
        """Remove the entry `name` from the keyring, if there is one."""
        import keyring
        from keyring.errors import KeyringError

        # PasswordDeleteError when absent, NoKeyringError without a backend
        with contextlib.suppress(KeyringError):
            keyring.delete_password(self.service, name)


class SessionKeys:
    """The keys of this session: memory first, then the OS keyring (when it has a backend).

    The app builds one per session, so that without a keyring the passphrase is asked once
    per session and kept (as the derived key) in memory only.
    """

    def __init__(self, lasting: KeyCache | None = None) -> None:
        self.memory = MemoryKeyCache()
        self.lasting = lasting

    def recall(self, name: str) -> DerivedKey | None:
        """Return the key remembered in memory, else by the lasting store, or None."""
        key = self.memory.recall(name)
        if key is None and self.lasting is not None:
            key = self.lasting.recall(name)
            if key is not None:
                self.memory.remember(name, key)
        return key

    def remember(self, name: str, key: DerivedKey) -> None:
        """Remember `key` in memory and in the lasting store."""
        self.memory.remember(name, key)
        if self.lasting is not None:
            self.lasting.remember(name, key)

    def forget(self, name: str) -> None:
        """Forget `name` everywhere."""
        self.memory.forget(name)
        if self.lasting is not None:
            self.lasting.forget(name)


def cache_entry_name(reviewer_id: str, params: KdfParams) -> str:
    """Return the name a reviewer's derived key is remembered under.

    It names the salt too (a digest of it), so that a reviewer with profiles in two workspaces
    (two salts, two keys) has two entries rather than one that opens only one of them.
    """
    return f"kek/{reviewer_id}/{hashlib.sha256(params.salt).hexdigest()[:16]}"
