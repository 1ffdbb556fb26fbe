"""Sealed envelopes: only the centre's private key opens them, and any change is detected."""

from __future__ import annotations

import pytest

from sync.sealing import (
    MAX_CONTENT,
    SealBroken,
    SealError,
    key_id,
    new_centre_key,
    open_sealed,
    public_key_of,
    seal,
)

CONTEXT = b"inspector-feedback|case-1|on_site"
CONTENT = "审查人员是否刁难企业？否。".encode()


@pytest.fixture(scope="module")
def centre() -> tuple[bytes, bytes]:
    return new_centre_key()


def test_the_centre_opens_what_was_sealed_to_it(centre: tuple[bytes, bytes]) -> None:
    private, public = centre
    envelope = seal(public, CONTENT, CONTEXT)
    assert CONTENT not in envelope
    assert open_sealed(private, envelope, CONTEXT) == CONTENT
    assert public_key_of(private) == public


def test_two_envelopes_of_the_same_content_differ(centre: tuple[bytes, bytes]) -> None:
    _, public = centre
    assert seal(public, CONTENT, CONTEXT) != seal(public, CONTENT, CONTEXT)


def test_every_changed_byte_is_detected(centre: tuple[bytes, bytes]) -> None:
    private, public = centre
    envelope = seal(public, CONTENT, CONTEXT)
    for position in range(len(envelope)):
        changed = bytearray(envelope)
        changed[position] ^= 0x01
        with pytest.raises(SealBroken):
            open_sealed(private, bytes(changed), CONTEXT)


def test_a_cut_or_extended_envelope_does_not_open(centre: tuple[bytes, bytes]) -> None:
    private, public = centre
    envelope = seal(public, CONTENT, CONTEXT)
    for cut in (0, 3, 40, len(envelope) - 1):
        with pytest.raises(SealBroken):
            open_sealed(private, envelope[:cut], CONTEXT)
    with pytest.raises(SealBroken):
        open_sealed(private, envelope + b"\x00", CONTEXT)


def test_an_envelope_moved_to_another_case_or_stage_does_not_open(
    centre: tuple[bytes, bytes],
) -> None:
    private, public = centre
    envelope = seal(public, CONTENT, CONTEXT)
    with pytest.raises(SealBroken):
        open_sealed(private, envelope, b"inspector-feedback|case-2|on_site")


def test_another_centre_cannot_open_it(centre: tuple[bytes, bytes]) -> None:
    _, public = centre
    other_private, _ = new_centre_key()
    with pytest.raises(SealBroken):
        open_sealed(other_private, seal(public, CONTENT, CONTEXT), CONTEXT)


def test_a_crafted_all_zero_ephemeral_key_is_refused(centre: tuple[bytes, bytes]) -> None:
    private, public = centre
    envelope = seal(public, CONTENT, CONTEXT)
    crafted = envelope[:4] + bytes(32) + envelope[36:]
    with pytest.raises(SealBroken):
        open_sealed(private, crafted, CONTEXT)


@pytest.mark.parametrize("key", [b"", b"short", bytes(33), "x" * 32])
def test_a_key_that_is_not_an_x25519_key_is_refused(key: bytes) -> None:
    with pytest.raises(SealError, match="32 字节"):
        seal(key, CONTENT, CONTEXT)


def test_oversized_content_is_refused(centre: tuple[bytes, bytes]) -> None:
    _, public = centre
    with pytest.raises(SealError, match="过大"):
        seal(public, bytes(MAX_CONTENT + 1), CONTEXT)


def test_key_id_is_a_short_stable_fingerprint(centre: tuple[bytes, bytes]) -> None:
    _, public = centre
    assert key_id(public) == key_id(public) and len(key_id(public)) == 16
    assert key_id(public) != key_id(new_centre_key()[1])
