"""The case list's rows read on a plain connection (store/case_rows.py), what the app paints
before sqlite-utils is imported, are the rows `Queries.case_rows` gives."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from inspector_app.app import open_services
from inspector_app.store.case_rows import case_rows
from inspector_app.store.settings import load_settings
from inspector_app.store.workspace import open_database
from tests.conftest import DemoWorkspaces

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


@pytest.fixture
def demo_folder(demo_workspaces: DemoWorkspaces, tmp_path: Path) -> Path:
    return demo_workspaces.copy(tmp_path / "ws", NOW)


def test_case_rows_on_the_plain_connection_are_the_queries_case_list(demo_folder: Path) -> None:
    file = open_database(demo_folder)
    try:
        calendar = load_settings(file.conn).calendar
        light = case_rows(file.conn, calendar, calendar.day_of(NOW))
    finally:
        file.close()
    with open_services(demo_folder, user=None, write=False, clock=lambda: NOW) as services:
        listed = services.queries.case_rows(alerts=False)
        with_alerts = services.queries.case_rows()
    assert len(light) == 9
    assert light == listed
    # the rows with alerts are the same rows, with their alerts
    assert [replace(row, alerts=()) for row in with_alerts] == light
    assert any(row.alerts for row in with_alerts)
    assert any(row.overdue for row in light) and any(row.concluded_late for row in light)
    assert any(row.reviewer_ids for row in light)


def test_listed_cases_decode_every_field_as_from_row_does(demo_folder: Path) -> None:
    from inspector_app.core.model import Case
    from inspector_app.store.case_rows import listed_cases
    from inspector_app.store.codec import from_row
    from inspector_app.store.sql import fetch_all

    file = open_database(demo_folder)
    try:
        listed = listed_cases(file.conn)
        rows = fetch_all(file.conn, "SELECT * FROM review_case")
    finally:
        file.close()
    by_id = {row["id"]: from_row(Case, row) for row in rows}
    assert {case.id: case for case, _enterprise in listed} == by_id
    # the demo has cases with dates, times, agencies and every status: all decoded alike
    assert any(case.concluded_at is not None for case, _ in listed)
    assert any(case.qualified_agencies for case, _ in listed)
    dates = [case.accepted_on for case, _ in listed]
    assert dates == sorted(dates, reverse=True)


def test_case_rows_are_worked_out_when_first_asked_for(
    demo_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list reads every case at once but works a row out (decodes it, decides its
    deadline marks) only when it is asked for: the app paints a thousand cases' list without
    working out the ones it does not show."""
    from inspector_app.store import case_rows as module

    worked_out: list[str] = []
    case_row = module.case_row

    def counting(case, *args, **kwargs):  # type: ignore[no-untyped-def]
        worked_out.append(case.id)
        return case_row(case, *args, **kwargs)

    file = open_database(demo_folder)
    try:
        calendar = load_settings(file.conn).calendar
        eager = list(case_rows(file.conn, calendar, calendar.day_of(NOW)))
        monkeypatch.setattr(module, "case_row", counting)
        rows = case_rows(file.conn, calendar, calendar.day_of(NOW))
    finally:
        file.close()
    assert len(rows) == 9 and worked_out == []
    assert rows.texts("id") == [row.case.id for row in eager]
    assert rows.texts("enterprise") == [row.enterprise for row in eager]
    assert rows[3] == eager[3] and rows[-1] == eager[-1] and rows[2:4] == eager[2:4]
    assert worked_out == [eager[3].case.id, eager[-1].case.id, eager[2].case.id]
    assert rows[3] is rows[3]  # worked out once, then kept
    assert rows == eager and list(rows) == eager
    assert len(worked_out) == 9
    assert not rows.any_withdrawn
