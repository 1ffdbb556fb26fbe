"""The sync panel of an enrolled workspace counts its queued registry changes (reviewers added
by hand before enrollment) as held, never as waiting: the office keeps the registry (issue 9);
in Chinese and in English."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from inspector_app.app import Services
from inspector_app.store.sync_queue import SERVER_KEY
from inspector_app.ui.main_window import MainWindow

MakeWindow = Callable[[Services], MainWindow]


def enrolled_as_if(services: Services) -> tuple[int, int]:
    """Mark the demo enrolled (as `enroll` does); return its queued changes, all and registry."""
    db = services.workspace.db
    with db.atomic():
        db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [SERVER_KEY, "http://office"])
    total = int(db.execute("SELECT count(*) FROM outbox").fetchone()[0])
    registry = int(
        db.execute("SELECT count(*) FROM outbox WHERE record_table = 'reviewer'").fetchone()[0]
    )
    return total, registry


@pytest.mark.parametrize(
    ("language", "pending", "held"),
    [
        ("zh", "待上传 {count} 项", "，暂存 {count} 项（审查员名录由中心维护）"),
        ("en", "{count} to send", ", {count} held (the registry is kept by the central office)"),
    ],
)
def test_the_registry_changes_are_held_not_waiting(
    request: pytest.FixtureRequest,
    make_window: MakeWindow,
    demo_services: Services,
    tmp_path: Path,
    language: str,
    pending: str,
    held: str,
) -> None:
    if language == "en":
        request.getfixturevalue("english")
    total, registry = enrolled_as_if(demo_services)
    assert registry > 0  # the demo's reviewers, added by hand
    window = make_window(demo_services)
    text = window.sync_panel.pending.text()
    assert held.format(count=registry) in text
    assert pending.format(count=total - registry) in text
    window.grab().save(str(tmp_path / f"registry_held_{language}.png"))
