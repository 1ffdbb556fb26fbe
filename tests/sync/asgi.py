"""A synchronous httpx transport onto an ASGI app, in-process (no socket).

httpx's own `ASGITransport` is asynchronous, and Starlette's `TestClient` now warns against
httpx; the client engine is synchronous, so each request runs the app on a fresh event loop.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx


class SyncASGITransport(httpx.BaseTransport):
    """Send each request to `app` through `httpx.ASGITransport` and return the whole response."""

    def __init__(self, app: Any) -> None:
        self.inner = httpx.ASGITransport(app=app, raise_app_exceptions=False)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async def call() -> httpx.Response:
            body = request.read()
            again = httpx.Request(
                request.method, request.url, headers=request.headers, content=body
            )
            response = await self.inner.handle_async_request(again)
            content = await response.aread()
            return httpx.Response(response.status_code, headers=response.headers, content=content)

        return asyncio.run(call())


def asgi_client(app: Any) -> httpx.Client:
    """Return an httpx client onto `app`, in-process."""
    return httpx.Client(transport=SyncASGITransport(app), base_url="http://testserver")
