"""Sealed envelopes for the enterprise's feedback (反馈表): encrypted on the laptop to the
central office's public key, so that the review team can neither read nor change what the
enterprise wrote; only the central office, holding the private key, opens them.

The scheme is ECIES over X25519 with the primitives of `cryptography`: a fresh ephemeral key
per envelope, HKDF-SHA256 over the shared secret (salted with both public keys), AES-256-GCM
over the content. The envelope's context (the case and the stage) is bound as associated data,
so an envelope moved to another case or stage does not open. A changed byte anywhere fails the
GCM tag and is reported as `SealBroken`.

Envelope bytes: MAGIC (4) | ephemeral public key (32) | nonce (12) | ciphertext and tag.
"""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.x25519 import (
        X25519PrivateKey,
        X25519PublicKey,
    )

MAGIC = b"ISF1"
KEY_SIZE = 32
NONCE_SIZE = 12
TAG_SIZE = 16
HKDF_INFO = b"inspector sealed feedback v1"
MAX_CONTENT = 1 << 20
"""The largest content sealed (1 MiB): a filled feedback form is a few kilobytes."""


class SealError(ValueError):
    """A key or an envelope is not what sealing needs; the message says what (in Chinese)."""


class SealBroken(SealError):
    """The envelope does not open: changed, cut, for another context or another key."""


def is_envelope_shaped(envelope: bytes) -> bool:
    """Whether bytes have an envelope's shape (its magic, at least its head and tag, at most
    the largest sealed content): what can be checked without the key."""
    head = len(MAGIC) + KEY_SIZE + NONCE_SIZE + TAG_SIZE
    return envelope.startswith(MAGIC) and head <= len(envelope) <= head + MAX_CONTENT


def key_id(public_key: bytes) -> str:
    """Return the short fingerprint that names a centre key (the first 16 hex of its SHA-256)."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def new_centre_key() -> tuple[bytes, bytes]:
    """Return a new (private, public) X25519 key pair, as raw 32-byte strings."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    private = X25519PrivateKey.generate()
    return _raw_private(private), _raw_public(private.public_key())


def public_key_of(private_key: bytes) -> bytes:
    """Return the raw public key of a raw X25519 private key."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    _check_key(private_key, "私钥")
    return _raw_public(X25519PrivateKey.from_private_bytes(private_key).public_key())


def seal(public_key: bytes, content: bytes, context: bytes) -> bytes:
    """Return an envelope of `content` that only the holder of `public_key`'s private key opens.

    Raises:
        SealError: The key is not a raw X25519 public key, or the content is too large.
    """
    from cryptography.hazmat.primitives.asymmetric.x25519 import (
        X25519PrivateKey,
        X25519PublicKey,
    )
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    _check_key(public_key, "中心公钥")
    if len(content) > MAX_CONTENT:
        raise SealError(f"要密封的内容过大（{len(content)} 字节，上限 {MAX_CONTENT} 字节）。")
    try:
        recipient = X25519PublicKey.from_public_bytes(public_key)
    except ValueError as error:
        raise SealError("中心公钥无效。") from error
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _raw_public(ephemeral.public_key())
    shared = ephemeral.exchange(recipient)
    key = _derive(shared, ephemeral_public, public_key)
    nonce = os.urandom(NONCE_SIZE)
    return MAGIC + ephemeral_public + nonce + AESGCM(key).encrypt(nonce, content, context)


def open_sealed(private_key: bytes, envelope: bytes, context: bytes) -> bytes:
    """Return the content of an envelope sealed to this private key for this context.

    Raises:
        SealBroken: The envelope was changed, cut, sealed for another context or another key.
        SealError: The private key is not a raw X25519 key.
    """
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.asymmetric.x25519 import (
        X25519PrivateKey,
        X25519PublicKey,
    )
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    _check_key(private_key, "私钥")
    head = len(MAGIC) + KEY_SIZE + NONCE_SIZE
    if len(envelope) < head + TAG_SIZE or not envelope.startswith(MAGIC):
        raise SealBroken("密封内容不完整或不是密封的反馈表。")
    ephemeral_public = envelope[len(MAGIC) : len(MAGIC) + KEY_SIZE]
    nonce = envelope[len(MAGIC) + KEY_SIZE : head]
    private = X25519PrivateKey.from_private_bytes(private_key)
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    except ValueError as error:  # an all-zero shared secret: a crafted ephemeral key
        raise SealBroken("密封内容无效（临时公钥不合法）。") from error
    key = _derive(shared, ephemeral_public, _raw_public(private.public_key()))
    try:
        return AESGCM(key).decrypt(nonce, envelope[head:], context)
    except InvalidTag as error:
        raise SealBroken(
            "密封内容无法打开：内容已被改动，或不属于这一案件和阶段，或不是用本中心的公钥密封的。"
        ) from error


def _derive(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=ephemeral_public + recipient_public,
        info=HKDF_INFO,
    ).derive(shared)


def _check_key(key: bytes, what: str) -> None:
    if not isinstance(key, bytes) or len(key) != KEY_SIZE:
        raise SealError(f"{what}应为 {KEY_SIZE} 字节的 X25519 密钥。")


def _raw_public(key: X25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _raw_private(key: X25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )

    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
