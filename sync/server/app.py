"""The HTTP API of the central office (FastAPI). The OpenAPI document is at `/openapi.json`.

Every call except enrollment carries `Authorization: Bearer <device token>`; every call names
its protocol version (`X-Inspector-Protocol`). Every refusal is a 4xx with a JSON `detail`
saying what went wrong; a malformed, oversized or hostile body never reaches a 5xx.
"""

# No `from __future__ import annotations`: FastAPI reads the endpoints' annotations, which
# name dependencies local to `create_app`.

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.requests import ClientDisconnect

from sync.protocol import (
    ATTACHMENT_PATH,
    DEFAULT_PAGE,
    MAX_ATTACHMENT_BYTES,
    MAX_BODY_BYTES,
    MAX_PAGE,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    SUPPORTED,
    AttachmentStatus,
    EnrollRequest,
    EnrollResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    Refusal,
    supports,
)
from sync.server.assignments import ScopeRefused, check_push
from sync.server.attachments import AttachmentFiles, UploadRefused
from sync.server.downloads import add_download_route
from sync.server.routes import (
    add_office_routes,
    conflicts_cursor,
    mark_resolved,
    touch_device,
)
from sync.server.storage import DeviceIdentity, IdempotencyConflict, Storage

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

REFUSALS: dict[int | str, dict[str, Any]] = {
    code: {"model": Refusal} for code in (400, 401, 403, 409, 413, 426)
}


class BodyLimit:
    """Refuse a request body larger than `limit` bytes with 413, counting what arrives (a
    missing or false Content-Length does not get past it). Attachment uploads (streamed to
    disk, never held in memory) may be as large as `attachment_limit`."""

    def __init__(self, app: ASGIApp, limit: int, attachment_limit: int) -> None:
        self.app = app
        self.default_limit = limit
        self.attachment_limit = attachment_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = str(scope.get("path", "")).startswith(ATTACHMENT_PATH)
        limit = self.attachment_limit if upload else self.default_limit
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(send, limit)
            return
        received = 0
        refused = False

        async def counting() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, counting, send)
        except _BodyTooLarge:
            await _too_large(send, limit)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps({"detail": f"request body larger than {limit} bytes"}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def create_app(storage: Storage) -> FastAPI:
    """Return the API over `storage`."""
    app = FastAPI(
        title="inspector-server",
        summary="Central-office sync service for the on-site review tool (生产许可证实地核查)",
        version=f"protocol {PROTOCOL_VERSION} (supported {SUPPORTED[0]}..{SUPPORTED[1]})",
    )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        problems = [
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}"
            for e in error.errors()[:10]
        ]
        return JSONResponse(
            status_code=422, content={"detail": "invalid request: " + "; ".join(problems)}
        )

    @app.exception_handler(RecursionError)
    async def _too_deep(_request: Request, _error: RecursionError) -> JSONResponse:
        return JSONResponse(status_code=400, content={"detail": "JSON nested too deeply"})

    def protocol(
        version: Annotated[str | None, Header(alias=PROTOCOL_HEADER)] = None,
    ) -> int:
        if version is None or not version.isdigit():
            raise HTTPException(
                400,
                f"missing or invalid {PROTOCOL_HEADER} header; this server supports protocol "
                f"versions {SUPPORTED[0]} to {SUPPORTED[1]}",
            )
        if not supports(int(version)):
            raise HTTPException(
                426,
                f"protocol version {version} is not supported: this server accepts versions "
                f"{SUPPORTED[0]} to {SUPPORTED[1]}; update the app. Nothing was sent or changed.",
            )
        return int(version)

    def device(
        _version: Annotated[int, Depends(protocol)],
        authorization: Annotated[str | None, Header()] = None,
    ) -> DeviceIdentity:
        scheme, _, token = (authorization or "").partition(" ")
        who = storage.authenticate(token.strip()) if scheme.lower() == "bearer" and token else None
        if who is None:
            raise HTTPException(
                401,
                "not authenticated: enroll this device (inspector enroll) and send its token",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return who

    @app.post("/v1/enroll", response_model=EnrollResponse, responses=REFUSALS)
    def enroll(body: EnrollRequest, _version: Annotated[int, Depends(protocol)]) -> EnrollResponse:
        """Trade a one-time enrollment code for this device's token."""
        made = storage.enroll(body.code, body.device_id, body.device_name)
        if made is None:
            raise HTTPException(401, "unknown or already used enrollment code")
        token, reviewer = made
        return EnrollResponse(
            token=token,
            device_id=body.device_id,
            reviewer=reviewer,
            registry_change=storage.head_change("reviewer", reviewer.id),
        )

    @app.post("/v1/push", response_model=PushResponse, responses=REFUSALS)
    def push(
        body: PushRequest, who: Annotated[DeviceIdentity, Depends(device)]
    ) -> PushResponse | JSONResponse:
        """Apply outbox mutations in order, each idempotently by its mutation id."""
        ids = [m.mutation_id for m in body.mutations]
        if len(set(ids)) != len(ids):
            raise HTTPException(400, "the same mutation id twice in one push")
        try:
            check_push(storage, who, body.mutations)
        except ScopeRefused as error:
            refusal = Refusal(
                detail=f"{error}; nothing of this push was applied",
                mutation_id=error.mutation_id,
            )
            return JSONResponse(status_code=403, content=refusal.model_dump(exclude_none=True))
        try:
            # Refuse a reused id before applying anything of the batch.
            for m in body.mutations:
                storage.stored_result(m)
            results = [storage.apply(who, m) for m in body.mutations]
        except IdempotencyConflict as error:
            raise HTTPException(
                409,
                f"mutation {error.args[0]} was already received with other content; "
                "nothing of this push was applied after it",
            ) from None
        mark_resolved(storage, body.mutations, results)
        return PushResponse(results=results)

    @app.get("/v1/changes", response_model=PullResponse, responses=REFUSALS)
    def changes(
        who: Annotated[DeviceIdentity, Depends(device)],
        after: Annotated[int, Query(ge=0, le=2**62)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE,
    ) -> PullResponse:
        """Return a page of other devices' changes after the cursor, in commit order."""
        found, cursor, more = storage.changes_after(who, after, limit)
        if more:
            return PullResponse(changes=found, cursor=cursor, more=more)
        touch_device(storage, who)
        return PullResponse(
            changes=found, cursor=cursor, more=more, conflicts_cursor=conflicts_cursor(storage)
        )

    files = AttachmentFiles(storage)

    @app.get(ATTACHMENT_PATH + "{sha256}", response_model=AttachmentStatus, responses=REFUSALS)
    def attachment_status(
        sha256: str, who: Annotated[DeviceIdentity, Depends(device)]
    ) -> AttachmentStatus:
        """How many bytes of this attachment the server holds (resume an upload there); nothing
        for one this device has not shown it holds (it then sends the whole content)."""
        try:
            return files.status_for(who, sha256)
        except UploadRefused as refused:
            raise HTTPException(refused.status, str(refused)) from None

    @app.put(
        ATTACHMENT_PATH + "{sha256}",
        response_model=AttachmentStatus,
        responses={**REFUSALS, 422: {"model": Refusal}},
    )
    async def attachment_upload(
        sha256: str,
        request: Request,
        who: Annotated[DeviceIdentity, Depends(device)],
        offset: Annotated[int, Query(ge=0, le=MAX_ATTACHMENT_BYTES)],
        size: Annotated[int, Query(ge=0, le=2**62)],
        case_id: Annotated[str | None, Query(max_length=64)] = None,
    ) -> AttachmentStatus:
        """Append the body (raw bytes) at `offset`; the attachment is kept once all `size`
        bytes arrived and their SHA-256 is the name."""
        try:
            return await files.receive(
                who, sha256, offset=offset, size=size, case_id=case_id, body=request.stream()
            )
        except UploadRefused as refused:
            raise HTTPException(refused.status, str(refused)) from None
        except ClientDisconnect:
            # What arrived is kept; the client asks how much and sends the rest.
            raise HTTPException(400, "the connection broke during the upload") from None

    add_download_route(app, files, device)  # attachments down (issue 9)
    add_office_routes(app, storage, device)
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES, attachment_limit=MAX_ATTACHMENT_BYTES)
    return app
