"""The sync protocol, shared by the laptop (`sync.client`) and the central office
(`sync.server`): the messages, their limits and the supported protocol versions.

Every request names its protocol version in the `X-Inspector-Protocol` header. A server
refuses a version outside `SUPPORTED` with 426 and a message naming the range, before it
reads or changes anything; the client then leaves its outbox as it is.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

PROTOCOL_VERSION = 1
"""The version this code speaks."""

SUPPORTED = (1, 1)
"""The lowest and highest protocol version the server accepts (inclusive)."""

PROTOCOL_HEADER = "X-Inspector-Protocol"
MAX_BODY_BYTES = 8 * 1024 * 1024
"""The largest request body the server reads (attachments will travel apart, by hash)."""
MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
"""The largest attachment (the workspace's own limit, inspector_app.store.attachments)."""
ATTACHMENT_PATH = "/v1/attachments/"
"""Attachments travel apart: `GET {path}{sha256}` says how many bytes the server holds;
`PUT {path}{sha256}?offset=N&size=TOTAL&case_id=C` appends the body at offset N (which must
be what the server holds). When all `size` bytes are there the server hashes the whole file
and keeps it only when the SHA-256 matches. `GET {path}{sha256}/content` sends an attachment
tied to a case of the device's reviewer down (`Range: bytes=N-` resumes; 404 for any other
hash)."""
MAX_MUTATIONS_PER_PUSH = 500
MAX_PAGE = 1000
DEFAULT_PAGE = 200

Id = Field(min_length=1, max_length=64)


class Message(BaseModel):
    """A protocol message: unknown fields are refused, so that a typo is not silently lost."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class EnrollRequest(Message):
    """Trade a one-time enrollment code for this device's token."""

    code: str = Field(min_length=1, max_length=128)
    device_id: str = Id
    device_name: str = Field(default="", max_length=200)


class Reviewer(Message):
    """A reviewer of the central office's registry (审查员名册)."""

    id: str
    name: str
    unit: str
    unit_type: str
    role: Literal["reviewer", "leader", "clerk"]
    certificate_no: str | None = None
    certificate_expiry: str | None = None


class Mutation(Message):
    """One outbox row of the laptop: a record's new version, made on that device."""

    mutation_id: str = Id
    record_table: str = Field(min_length=1, max_length=64, pattern=r"^[a-z_]+$")
    record_id: str = Id
    case_id: str | None = Field(default=None, max_length=64)
    version_id: str | None = Field(default=None, max_length=64)
    base_version_id: str | None = Field(default=None, max_length=64)
    payload: dict[str, Any]
    created_at: str = Field(max_length=64)

    @field_validator("payload")
    @classmethod
    def _plain_json(cls, payload: dict[str, Any]) -> dict[str, Any]:
        """A payload is plain JSON that the server can store and send on as it came: no NaN
        or Infinity (they would reach the other laptops as null), no lone surrogate (it
        cannot be stored as UTF-8)."""
        try:
            json.dumps(payload, allow_nan=False, ensure_ascii=False).encode("utf-8")
        except (ValueError, UnicodeEncodeError) as error:
            raise ValueError(f"the payload is not plain JSON text: {error}") from None
        return payload


class PushRequest(Message):
    """Outbox mutations in the order they were made."""

    mutations: list[Mutation] = Field(max_length=MAX_MUTATIONS_PER_PUSH)


MutationStatus = Literal["applied", "conflict", "duplicate"]
"""applied: the record's new head; conflict: kept apart for the leader (a stale base version,
or a change of a signed record); duplicate: that version was already on the server (e.g. a
case carried by USB and synced from two laptops)."""


class MutationResult(Message):
    """What the server did with one mutation (a replay returns the same result)."""

    mutation_id: str
    status: MutationStatus
    detail: str = ""
    server_seq: int | None = None


class PushResponse(Message):
    """One result per mutation, in the order sent."""

    results: list[MutationResult]


class Change(Message):
    """One change of the server's log, in commit order."""

    seq: int
    record_table: str
    record_id: str
    case_id: str | None
    version_id: str | None
    base_version_id: str | None
    device_id: str
    payload: dict[str, Any]


class EnrollResponse(Message):
    """The device token (shown once; the server keeps only its hash), who enrolled, and the
    registry's current version of that reviewer (the change a pull would bring down), so that
    the laptop can set up the reviewer's profile before its first sync."""

    token: str
    device_id: str
    reviewer: Reviewer
    registry_change: Change | None = None


class PullResponse(Message):
    """A page of changes after the cursor; `cursor` is where the next page starts.

    The last page (`more` false) also says where the conflicts' sequence stands
    (`conflicts_cursor`): a laptop whose conflicts cursor is there has nothing to ask about
    conflicts (`GET /v1/conflicts?after=` only when it is behind)."""

    changes: list[Change]
    cursor: int
    more: bool
    conflicts_cursor: int = 0


class AttachmentStatus(Message):
    """How much of an attachment the server holds; `complete` once received whole and
    hash-checked (then `received` is its size)."""

    sha256: str
    received: int
    complete: bool


class Refusal(Message):
    """Why a request was refused (every 4xx carries one)."""

    detail: str
    supported: tuple[int, int] | None = None
    mutation_id: str | None = None
    """A push refused with 403: the mutation outside the reviewer's cases (nothing of the push
    was applied; the laptop holds back that case and pushes the rest)."""


def supports(version: int) -> bool:
    """Return whether the server accepts protocol `version`."""
    return SUPPORTED[0] <= version <= SUPPORTED[1]


# --- conflicts and the office's key (issue 9, data side) -----------------------------------


class ServerConflict(Message):
    """A change the server kept apart (never applied, never discarded), with both versions:
    the one kept (`payload`) and the server's head (`head_payload`) it lost against."""

    id: int
    mutation_id: str
    device_id: str
    record_table: str
    record_id: str
    case_id: str | None
    version_id: str | None
    base_version_id: str | None
    head_version_id: str | None
    reason: str
    payload: dict[str, Any]
    head_payload: dict[str, Any] | None
    found_at: str
    resolved_at: str | None


class ConflictsResponse(Message):
    """The conflicts of the device's reviewer's cases and of the device itself: with
    `after=0` the open ones; after a cursor, every one kept, resolved or newly visible since
    (open or resolved). `cursor` is where the next call starts."""

    conflicts: list[ServerConflict]
    cursor: int = 0


class ServerKey(Message):
    """The central office's public key."""

    algorithm: Literal["X25519"]
    public_key: str
