"""A case the office withdrew from this reviewer, in the main window: its row says so (a mark
after its status, greyed, the domain's words as its tooltip) and the sync panel counts its
queued changes as held, not waiting; in Chinese and in English."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from inspector_app.app import Services
from inspector_app.store.withdrawals import apply_notice
from inspector_app.ui.case_list import STATUS, WITHDRAWN_COLOUR
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.qt import QColor, Qt
from tests.gui.conftest import NOW

MakeWindow = Callable[[Services], MainWindow]
WITHDRAWN = "XK08-2026-0201"


def withdraw(services: Services) -> int:
    """Mark the case withdrawn as a pull does; return how many queued changes it holds."""
    db = services.workspace.db
    case_id = services.queries.case_id(WITHDRAWN)
    notice = {
        "case_id": case_id,
        "application_no": WITHDRAWN,
        "reviewer_id": "r-me",
        "assigned": False,
        "at": "2026-11-26T06:30:00+00:00",
        "by": "省局张三",
    }
    with db.atomic():
        assert apply_notice(db, notice, "r-me", NOW) == "withdrawn"
    row = db.execute("SELECT count(*) FROM outbox WHERE case_id = ?", [case_id]).fetchone()
    return int(row[0])


def row_of(window: MainWindow, application_no: str) -> int:
    model = window.model
    return next(n for n, r in enumerate(model.rows) if r.cells[0] == application_no)


def check_window(window: MainWindow, held: int, mark: str, held_text: str) -> None:
    model = window.model
    n = row_of(window, WITHDRAWN)
    status = model.index(n, STATUS)
    assert status.data().endswith(mark)
    assert "此案件已不再分配给您（2026-11-26 14:30由省局撤回）" in status.data(
        Qt.ItemDataRole.ToolTipRole
    )
    assert status.data(Qt.ItemDataRole.ForegroundRole) == QColor(WITHDRAWN_COLOUR)
    other = model.index(row_of(window, "XK08-2026-0202"), STATUS)
    assert not other.data().endswith(mark) and other.data(Qt.ItemDataRole.ToolTipRole) is None
    assert held_text.format(count=held) in window.sync_panel.pending.text()


def test_a_withdrawn_case_is_marked_and_its_changes_held(
    make_window: MakeWindow,
    demo_services: Services,
    qtmodeltester,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    held = withdraw(demo_services)
    assert held > 0  # the demo's outbox holds this case's changes
    window = make_window(demo_services)
    check_window(window, held, "（已撤回）", "，暂存 {count} 项（案件已撤回）")
    qtmodeltester.check(window.model)
    window.grab().save(str(tmp_path / "withdrawn_zh.png"))


@pytest.mark.usefixtures("english")
def test_a_withdrawn_case_is_marked_in_english(
    make_window: MakeWindow, demo_services: Services, tmp_path: Path
) -> None:
    held = withdraw(demo_services)
    window = make_window(demo_services)
    check_window(window, held, " (withdrawn)", ", {count} held (case withdrawn)")
    window.grab().save(str(tmp_path / "withdrawn_en.png"))
