"""The one clock of the app: the laptop's time (the domain never reads one)."""

from __future__ import annotations

from datetime import UTC, datetime


def system_clock() -> datetime:
    """Return the laptop's time (the one clock of the app; the domain never reads one)."""
    return datetime.now(UTC)
