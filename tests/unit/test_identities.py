"""Signing identities: the key sealed under the passphrase, the keyring as an optional cache,
a wrong passphrase refused with nothing changed, no secret in plaintext anywhere."""

from __future__ import annotations

import base64
import sqlite3
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from inspector_app.core.errors import RuleViolation
from inspector_app.store.identities import (
    create_identity,
    get_identity,
    known_certificates,
    unlock_identity,
)
from inspector_app.store.secrets import (
    DerivedKey,
    MemoryKeyCache,
    OsKeyring,
    PassphraseError,
    SessionKeys,
)
from inspector_app.store.workspace import Workspace, open_workspace
from tests.unit.signing_helpers import (
    CHEAP,
    NOW,
    PASSPHRASE,
    ZHANG,
    MemoryKeyring,
    add_team,
    memory_keyring,
    no_keyring,
    workspace,
)

__all__ = ["memory_keyring", "no_keyring", "workspace"]  # fixtures


def never_asked() -> str:
    raise AssertionError("the passphrase was asked although a key was remembered")


def dump(ws: Workspace) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for table in ("reviewer_secret", "signing_identity", "audit_event"):
        rows += ws.db.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
    return rows


def test_create_then_unlock_with_the_passphrase(workspace: Workspace) -> None:
    made = create_identity(workspace.db, ZHANG, PASSPHRASE, now=NOW, kdf_n=CHEAP)
    subject = made.certificate.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "张三"
    assert subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value == "XKSC-2026-0001"
    assert subject.get_attributes_for_oid(NameOID.USER_ID)[0].value == "r-zhang"
    assert made.certificate.issuer == subject  # self-issued until the central office issues
    unlocked = unlock_identity(workspace.db, ZHANG, ask=lambda: PASSPHRASE)
    assert unlocked.identity == get_identity(workspace.db, ZHANG.id)
    assert unlocked.private_key.public_key().public_numbers() == (
        made.certificate.public_key().public_numbers()  # type: ignore[union-attr]
    )
    assert [c.subject for c in known_certificates(workspace.db)] == [subject]
    assert "private_key" not in repr(unlocked)


def test_the_creation_is_an_audit_event_naming_the_certificate_only(workspace: Workspace) -> None:
    made = create_identity(workspace.db, ZHANG, PASSPHRASE, now=NOW, kdf_n=CHEAP)
    row = workspace.db.execute(
        "SELECT actor_id, new FROM audit_event WHERE record_table = 'signing_identity'"
    ).fetchone()
    assert row[0] == ZHANG.id
    assert made.fingerprint in row[1]
    assert "PRIVATE" not in row[1]


def test_a_wrong_passphrase_is_refused_and_nothing_changes(workspace: Workspace) -> None:
    create_identity(workspace.db, ZHANG, PASSPHRASE, now=NOW, kdf_n=CHEAP)
    before = dump(workspace)
    cache = MemoryKeyCache()
    with pytest.raises(PassphraseError) as refused:
        unlock_identity(workspace.db, ZHANG, ask=lambda: "wrong passphrase", cache=cache)
    assert "口令不正确" in str(refused.value)
    assert "未做任何更改" in str(refused.value)
    assert "wrong passphrase" not in str(refused.value)
    assert dump(workspace) == before
    assert cache._keys == {}


def test_a_short_passphrase_is_refused(workspace: Workspace) -> None:
    with pytest.raises(PassphraseError, match="口令太短"):
        create_identity(workspace.db, ZHANG, "1234567", now=NOW, kdf_n=CHEAP)
    assert get_identity(workspace.db, ZHANG.id) is None


def test_a_second_identity_is_refused(workspace: Workspace) -> None:
    create_identity(workspace.db, ZHANG, PASSPHRASE, now=NOW, kdf_n=CHEAP)
    with pytest.raises(RuleViolation, match="已有签名身份"):
        create_identity(workspace.db, ZHANG, PASSPHRASE, now=NOW, kdf_n=CHEAP)


def test_unlocking_without_an_identity_says_how_to_make_one(workspace: Workspace) -> None:
    with pytest.raises(RuleViolation, match="identity create"):
        unlock_identity(workspace.db, ZHANG, ask=never_asked)


def test_an_altered_sealed_key_does_not_open(workspace: Workspace) -> None:
    create_identity(workspace.db, ZHANG, PASSPHRASE, now=NOW, kdf_n=CHEAP)
    sealed = workspace.db.execute("SELECT sealed_key FROM signing_identity").fetchone()[0]
    changed = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with workspace.db.conn:
        workspace.db.execute("UPDATE signing_identity SET sealed_key = ?", [changed])
    with pytest.raises(PassphraseError, match="已被改动"):
        unlock_identity(workspace.db, ZHANG, ask=lambda: PASSPHRASE)


def test_no_secret_in_plaintext_in_the_workspace_files(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    with open_workspace(folder) as ws:
        add_team(ws.db)
        create_identity(ws.db, ZHANG, PASSPHRASE, now=NOW, kdf_n=CHEAP)
        key = unlock_identity(ws.db, ZHANG, ask=lambda: PASSPHRASE).private_key
        ws.db.execute("PRAGMA wal_checkpoint(FULL)")
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    scalar = key.private_numbers().private_value.to_bytes(32, "big")
    needles = [der, pem, scalar, base64.b64encode(der), PASSPHRASE.encode("utf-8")]
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert any(p.name == "workspace.db" for p in files)
    for path in files:
        content = path.read_bytes()
        for needle in needles:
            assert needle not in content, path.name
    # …and the certificate (public) is there, so the needle search looks in the right place
    with sqlite3.connect(folder / "workspace.db") as conn:
        pem_cert = conn.execute("SELECT certificate_pem FROM signing_identity").fetchone()[0]
    assert pem_cert.encode() in (folder / "workspace.db").read_bytes()


def test_the_keyring_remembers_the_derived_key(
    workspace: Workspace, memory_keyring: MemoryKeyring
) -> None:
    create_identity(workspace.db, ZHANG, PASSPHRASE, now=NOW, cache=OsKeyring(), kdf_n=CHEAP)
    (entry, stored), *_ = memory_keyring.entries.items()
    assert entry[0] == "inspector-app" and ZHANG.id in entry[1]
    assert PASSPHRASE not in stored  # the derived key, never the passphrase
    unlocked = unlock_identity(workspace.db, ZHANG, ask=never_asked, cache=OsKeyring())
    assert unlocked.identity.reviewer_id == ZHANG.id


def test_a_stale_remembered_key_is_forgotten_and_the_passphrase_asked(
    workspace: Workspace, memory_keyring: MemoryKeyring
) -> None:
    create_identity(workspace.db, ZHANG, PASSPHRASE, now=NOW, cache=OsKeyring(), kdf_n=CHEAP)
    entry = next(iter(memory_keyring.entries))
    memory_keyring.entries[entry] = base64.b64encode(bytes(32)).decode()
    asked: list[int] = []

    def ask() -> str:
        asked.append(1)
        return PASSPHRASE

    unlock_identity(workspace.db, ZHANG, ask=ask, cache=OsKeyring())
    assert asked == [1]
    assert memory_keyring.entries[entry] != base64.b64encode(bytes(32)).decode()


def test_without_a_keyring_backend_the_passphrase_is_asked_once_per_session(
    workspace: Workspace, no_keyring: None
) -> None:
    create_identity(workspace.db, ZHANG, PASSPHRASE, now=NOW, cache=OsKeyring(), kdf_n=CHEAP)
    assert OsKeyring().recall("anything") is None  # NoKeyringError is not passed on
    session = SessionKeys(OsKeyring())
    asked: list[int] = []

    def ask() -> str:
        asked.append(1)
        return PASSPHRASE

    unlock_identity(workspace.db, ZHANG, ask=ask, cache=session)
    unlock_identity(workspace.db, ZHANG, ask=ask, cache=session)
    assert asked == [1]
    unlock_identity(workspace.db, ZHANG, ask=ask, cache=SessionKeys(OsKeyring()))
    assert asked == [1, 1]  # a new session asks again: nothing outlived the first


def test_secrets_do_not_show_in_reprs() -> None:
    key = DerivedKey(bytes(range(32)))
    assert "material" not in repr(key)
    assert str(bytes(range(32))) not in repr(key)
