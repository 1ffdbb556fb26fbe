"""A photo another laptop of the team took, whose record came down but whose file has not yet:
the checklist shows a clear placeholder ("照片尚未同步到本机", in English too) instead of a broken
thumbnail, and the photo itself once the file is there."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pytestqt.qtbot import QtBot

from inspector_app.app import Services
from inspector_app.store.attachments import attachment_path
from inspector_app.ui.checklist import ChecklistPage
from inspector_app.ui.photo_strip import PhotoView
from tests.gui.test_checklist_photos import photo_file
from tests.gui.test_checklist_undo import opened, stored

SHOTS = os.environ.get("INSPECTOR_SCREENSHOTS")


def photo_not_here_yet(
    qtbot: QtBot, services: Services, tmp_path: Path
) -> tuple[ChecklistPage, str, Path]:
    """Item 1.2 with a photo whose file is moved away (as on the laptop that did not take it);
    return the page, the photo's hash and where its file was put aside."""
    window, page = opened(qtbot, services)
    page.select_code("1.2")
    path = photo_file(tmp_path, "seal.png")
    assert page.add_photo(lambda _parent: path)
    result = stored(services, "1.2")
    assert result is not None
    digest = result.evidence[-1]
    aside = tmp_path / "aside.png"
    shutil.move(attachment_path(services.workspace, digest), aside)
    page.photo_strip._cache.clear()
    page.select_code("1.1")
    page.select_code("1.2")
    if SHOTS:
        window.grab().save(str(Path(SHOTS) / "photo-not-synced.png"))
    return page, digest, aside


def test_a_photo_not_synced_yet_shows_a_placeholder_then_the_photo(
    qtbot: QtBot, demo_services: Services, tmp_path: Path
) -> None:
    page, digest, aside = photo_not_here_yet(qtbot, demo_services, tmp_path)
    strip = page.photo_strip
    item = strip.item(strip.count() - 1)
    assert not item.icon().isNull()  # the placeholder, not an empty cell
    assert item.toolTip().startswith("照片尚未同步到本机")
    view = strip.open_view(strip.count() - 1)
    assert view.image.text() == f"照片尚未同步到本机（{digest[:12]}…）：同步后即可查看。"
    view.close()
    # The file comes down at a sync: shown the next time the item is shown.
    shutil.move(aside, attachment_path(demo_services.workspace, digest))
    page.select_code("1.1")
    page.select_code("1.2")
    assert strip.item(strip.count() - 1).toolTip() == ""
    again = strip.open_view(strip.count() - 1)
    assert isinstance(again, PhotoView) and not again.image.pixmap().isNull()
    again.close()


def test_a_photo_not_synced_yet_in_english(
    qtbot: QtBot, english: None, demo_services: Services, tmp_path: Path
) -> None:
    page, digest, _aside = photo_not_here_yet(qtbot, demo_services, tmp_path)
    strip = page.photo_strip
    assert (
        strip.item(strip.count() - 1)
        .toolTip()
        .startswith("This photo has not been synced to this computer yet")
    )
    view = strip.open_view(strip.count() - 1)
    assert digest[:12] in view.image.text() and "after a sync" in view.image.text()
    if SHOTS:
        view.grab().save(str(Path(SHOTS) / "photo-not-synced-view-en.png"))
    view.close()
