"""Signing identities (签名身份): each reviewer's key pair and self-issued X.509 certificate.

Until the central office issues certificates, a reviewer's certificate is self-issued: its
subject names the reviewer (CN = name, serialNumber = reviewer certificate number, UID =
registry id, O = unit). The private key (EC P-256) is kept in the workspace sealed with
AES-GCM under the reviewer's key-encryption key (see `store.secrets`); the certificate is
public and is what verification trusts for this workspace.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlite_utils import Database

from inspector_app.core.errors import Problem, RuleViolation
from inspector_app.core.model import Reviewer, new_id
from inspector_app.store.errors import storage_errors
from inspector_app.store.profile_keys import load_profile, passphrase_key, profile_key
from inspector_app.store.records import append_event
from inspector_app.store.secrets import (
    DEFAULT_SCRYPT_N,
    KeyCache,
    PassphraseError,
    PassphraseSource,
    check_passphrase_strength,
    seal,
    unseal,
)
from inspector_app.store.sql import fetch_all, fetch_one

CERTIFICATE_YEARS = 10
"""A self-issued certificate lasts ten years: signed documents must verify long after the
act, and the reviewer certificate's own validity is checked by the rules on the day of each
act, not by the X.509 certificate."""

CLOCK_SLACK = timedelta(days=1)
"""The certificate is valid from a day before its creation, for laptop clocks that drift."""


@dataclass(frozen=True)
class SigningIdentity:
    """A reviewer's signing identity as the workspace keeps it (public part only)."""

    id: str
    reviewer_id: str
    name: str
    certificate_no: str
    certificate_pem: bytes
    created_at: datetime

    @property
    def certificate(self) -> x509.Certificate:
        """Return the X.509 certificate."""
        return x509.load_pem_x509_certificate(self.certificate_pem)

    @property
    def fingerprint(self) -> str:
        """Return the SHA-256 of the certificate's DER, in hex."""
        return certificate_sha256(self.certificate)


@dataclass(frozen=True)
class UnlockedIdentity:
    """A signing identity with its private key opened, for signing. Its repr hides the key."""

    identity: SigningIdentity
    private_key: ec.EllipticCurvePrivateKey = field(repr=False)


def certificate_sha256(certificate: x509.Certificate) -> str:
    """Return the SHA-256 of a certificate's DER encoding, in hex."""
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def _key_context(identity_id: str, reviewer_id: str) -> bytes:
    return f"inspector/signing-key/v1/{identity_id}/{reviewer_id}".encode()


def _subject(reviewer: Reviewer) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COMMON_NAME, reviewer.name[:64]),
        x509.NameAttribute(NameOID.SERIAL_NUMBER, reviewer.certificate_no[:64]),
        x509.NameAttribute(NameOID.USER_ID, reviewer.id),
    ]
    if reviewer.unit.strip():
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, reviewer.unit[:64]))
    return x509.Name(attributes)


def self_issued_certificate(
    reviewer: Reviewer, key: ec.EllipticCurvePrivateKey, *, now: datetime
) -> x509.Certificate:
    """Return a self-issued certificate for `reviewer`'s key, valid from `now` (less a day of
    slack) for ten years, for digital signatures and non-repudiation only."""
    subject = _subject(reviewer)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SLACK)
        .not_valid_after(now + timedelta(days=365 * CERTIFICATE_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def _identity(row: dict[str, object]) -> SigningIdentity:
    return SigningIdentity(
        id=str(row["id"]),
        reviewer_id=str(row["reviewer_id"]),
        name=str(row["name"]),
        certificate_no=str(row["certificate_no"]),
        certificate_pem=str(row["certificate_pem"]).encode("ascii"),
        created_at=datetime.fromisoformat(str(row["created_at"])),
    )


def get_identity(db: Database, reviewer_id: str) -> SigningIdentity | None:
    """Return the reviewer's signing identity, or None if the reviewer has none yet."""
    with storage_errors():
        row = fetch_one(
            db,
            "SELECT * FROM signing_identity WHERE reviewer_id = ? ORDER BY created_at DESC LIMIT 1",
            [reviewer_id],
        )
    return _identity(row) if row else None


def identity_reviewer_ids(db: Database, reviewer_ids: list[str]) -> set[str]:
    """Return which of the given reviewers have a signing identity."""
    if not reviewer_ids:
        return set()
    marks = ",".join("?" for _ in reviewer_ids)
    with storage_errors():
        rows = fetch_all(
            db,
            f"SELECT DISTINCT reviewer_id FROM signing_identity WHERE reviewer_id IN ({marks})",
            reviewer_ids,
        )
    return {str(row["reviewer_id"]) for row in rows}


def list_identities(db: Database) -> list[SigningIdentity]:
    """Return every signing identity of the workspace, by name then creation time."""
    with storage_errors():
        rows = fetch_all(db, "SELECT * FROM signing_identity ORDER BY name, created_at, id")
    return [_identity(row) for row in rows]


def known_certificates(db: Database) -> list[x509.Certificate]:
    """Return the certificates of every signing identity the workspace knows (the trust
    anchors of verification for this workspace)."""
    return [identity.certificate for identity in list_identities(db)]


def create_identity(
    db: Database,
    reviewer: Reviewer,
    passphrase: str,
    *,
    now: datetime,
    cache: KeyCache | None = None,
    kdf_n: int = DEFAULT_SCRYPT_N,
) -> SigningIdentity:
    """Make a signing identity for `reviewer`: a new EC P-256 key and its self-issued
    certificate, the key sealed under the key-encryption key of the reviewer's passphrase.

    The first identity of a reviewer sets the passphrase (salt, cost and check value); a
    reviewer who already has one must give it. The creation is an audit event (the
    certificate's fingerprint, never the key). When `cache` is given, the derived key is
    remembered there (the OS keyring, when it has a backend).

    Args:
        db: the workspace database.
        reviewer: the reviewer (the acting one: people make their own identity).
        passphrase: the reviewer's passphrase.
        now: when the identity is made (the clock's time).
        cache: where to remember the derived key, or None.
        kdf_n: the scrypt cost for a new passphrase (tests use a cheap one).

    Raises:
        PassphraseError: the passphrase is too short, or not the reviewer's.
        RuleViolation: the reviewer already has a signing identity (`identity_exists`).
    """
    with storage_errors(), db.atomic():
        existing = get_identity(db, reviewer.id)
        if existing is not None:
            raise RuleViolation(
                Problem(
                    "identity_exists",
                    f"{reviewer.name}（id {reviewer.id}）已有签名身份（证书指纹 "
                    f"{existing.fingerprint[:16]}…），未创建新的。",
                )
            )
        check_passphrase_strength(passphrase)
        key, profile = passphrase_key(
            db, reviewer.id, passphrase, name=reviewer.name, now=now, kdf_n=kdf_n
        )
        private_key = ec.generate_private_key(ec.SECP256R1())
        certificate = self_issued_certificate(reviewer, private_key, now=now)
        identity_id = new_id()
        der = private_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        sealed = seal(key, der, context=_key_context(identity_id, reviewer.id))
        pem = certificate.public_bytes(serialization.Encoding.PEM)
        fingerprint = certificate_sha256(certificate)
        db.execute(
            """INSERT INTO signing_identity (id, reviewer_id, name, certificate_no,
               certificate_pem, certificate_sha256, sealed_key, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                identity_id,
                reviewer.id,
                reviewer.name,
                reviewer.certificate_no,
                pem.decode("ascii"),
                fingerprint,
                sealed,
                now.isoformat(),
            ],
        )
        append_event(
            db,
            actor=reviewer.actor,
            now=now,
            action="create",
            table="signing_identity",
            record_id=identity_id,
            case_id=None,
            version_id=None,
            old=None,
            new={
                "reviewer_id": reviewer.id,
                "certificate_sha256": fingerprint,
                "subject": certificate.subject.rfc4514_string(),
            },
        )
    if cache is not None:
        cache.remember(profile.cache_entry, key)
    return SigningIdentity(
        identity_id, reviewer.id, reviewer.name, reviewer.certificate_no, pem, now
    )


def unlock_identity(
    db: Database, reviewer: Reviewer, *, ask: PassphraseSource, cache: KeyCache | None = None
) -> UnlockedIdentity:
    """Open the reviewer's signing key, for signing.

    A key remembered in `cache` is tried first (a stale one is forgotten); otherwise `ask` is
    called once for the passphrase, and the derived key is remembered in `cache` when it opens.

    Raises:
        PassphraseError: the passphrase is wrong (nothing is remembered or changed).
        RuleViolation: the reviewer has no signing identity (`identity_missing`).
        WorkspaceError: the sealed key was altered in the workspace.
    """
    with storage_errors():
        identity = get_identity(db, reviewer.id)
        sealed_row = (
            fetch_one(db, "SELECT sealed_key FROM signing_identity WHERE id = ?", [identity.id])
            if identity
            else None
        )
    if identity is None or sealed_row is None or load_profile(db, reviewer.id) is None:
        raise RuleViolation(
            Problem(
                "identity_missing",
                f"{reviewer.name}（id {reviewer.id}）还没有签名身份：请先运行 "
                "inspector --user <id> identity create。",
            )
        )
    key = profile_key(db, reviewer.id, ask, cache, name=reviewer.name)
    sealed = sealed_row["sealed_key"]
    assert isinstance(sealed, bytes)
    der = unseal(key, sealed, context=_key_context(identity.id, reviewer.id))
    if der is None:
        raise PassphraseError(
            f"{reviewer.name} 的签名私钥无法解开：工作区中保存的密文已被改动或损坏。"
            "未做任何更改；请联系技术支持，或删除后重新创建签名身份。"
        )
    private_key = serialization.load_der_private_key(der, password=None)
    if not isinstance(private_key, ec.EllipticCurvePrivateKey):  # pragma: no cover - ours
        raise TypeError("a signing key is an EC key")
    return UnlockedIdentity(identity, private_key)
