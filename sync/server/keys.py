"""The central office's X25519 key pair, made at the first start in its data folder.

The private key is a PEM file readable by its owner only (mode 0600); the public key is
published down to every laptop (and at `/v1/server-key`), so that a laptop can seal what only
the office may open.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

PRIVATE_FILE = "server_x25519_private.pem"
PUBLIC_FILE = "server_x25519_public.txt"


class KeyFileError(Exception):
    """The office's key file cannot be read or is not an X25519 private key."""


def ensure_key_pair(data: Path) -> str:
    """Return the office's public key (base64 of its 32 raw bytes), making the key pair in
    `data` when there is none yet.

    Raises:
        KeyFileError: the private key file exists but cannot be read as an X25519 key.
    """
    data.mkdir(parents=True, exist_ok=True)
    private_path = data / PRIVATE_FILE
    if private_path.exists():
        key = _load_private(private_path)
    else:
        key = X25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        # Created with its final mode: the key is never readable by others, not even briefly.
        fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
            out.flush()
            os.fsync(out.fileno())
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    public = base64.b64encode(raw).decode()
    (data / PUBLIC_FILE).write_text(public + "\n", encoding="ascii")
    return public


def private_key_raw(data: Path) -> bytes:
    """Return the office's X25519 private key (its 32 raw bytes), read from `data`.

    Raises:
        KeyFileError: there is none yet, or it cannot be read as an X25519 key.
    """
    return _load_private(data / PRIVATE_FILE).private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def _load_private(private_path: Path) -> X25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as error:
        reason = error.strerror if isinstance(error, OSError) else error
        raise KeyFileError(
            f"cannot read the office's private key {private_path}: {reason}"
        ) from None
    if not isinstance(key, X25519PrivateKey):
        raise KeyFileError(f"{private_path} is not an X25519 private key")
    return key
