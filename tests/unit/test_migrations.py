"""A workspace written by an earlier version gains what later versions need, losing nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from inspector_app.store.schema import MIGRATIONS
from inspector_app.store.workspace import DATABASE_NAME, connect, open_workspace

VERSION = "version_id, base_version_id, updated_at, updated_by, locked"


def _first_version_workspace(folder: Path) -> None:
    """Write a workspace as the first release did: two namesakes on a signed-off case."""
    folder.mkdir()
    db = Database(connect(folder / DATABASE_NAME))
    MIGRATIONS.apply(db, stop_before="0002_attachment_pending")
    stamp = ("v", None, "2026-01-01T00:00:00+00:00", "王建华")
    db.execute(
        f"INSERT INTO enterprise (id, name, credit_code, address, contact_person, phone, {VERSION})"
        " VALUES ('e', '企业', '91110000600037341L', '地址', '联系人', '1', ?, ?, ?, ?, 0)",
        stamp,
    )
    db.execute(
        "INSERT INTO review_case (id, application_no, enterprise_id, product, product_unit,"
        f" form_id, form_version, accepted_on, review_date, status, qualified_agencies, {VERSION})"
        " VALUES ('c', 'A-1', 'e', '水泥', '水泥', 'cement', 1, '2026-01-01', '2026-01-05',"
        " 'signed_off', '[]', ?, ?, ?, ?, 0)",
        stamp,
    )
    for member_id, unit, role in (("m1", "省院", "leader"), ("m2", "水泥协会", "member")):
        db.execute(
            "INSERT INTO team_member (id, case_id, name, unit, unit_type, certificate_no,"
            f" certificate_expiry, role, phone, {VERSION}) VALUES (?, 'c', '王建华', ?,"
            " 'other', ?, '2030-01-01', ?, '1', ?, ?, ?, ?, 1)",
            (member_id, unit, f"XKSC-{member_id}", role, *stamp),
        )
    db.execute("UPDATE review_case SET locked = 1 WHERE id = 'c'")
    db.conn.commit()
    db.close()


def test_members_become_registry_reviewers_and_versions_name_this_device(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    _first_version_workspace(folder)
    with open_workspace(folder) as workspace:
        db = workspace.db
        device = db.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()[0]
        members = db.execute("SELECT id, reviewer_id, unit FROM team_member ORDER BY id").fetchall()
        reviewers = dict(db.execute("SELECT id, unit FROM reviewer").fetchall())
        assert len(reviewers) == 2  # two people of one name stay two people
        assert {reviewers[reviewer_id] for _, reviewer_id, _ in members} == {"省院", "水泥协会"}
        assert all(reviewers[reviewer_id] == unit for _, reviewer_id, unit in members)
        for table in ("enterprise", "review_case", "team_member"):
            assert {row[0] for row in db.execute(f"SELECT device_id FROM {table}")} == {device}
        assert list(tmp_path.glob("old/workspace.db.bak-*"))  # backed up before migrating
    raw = sqlite3.connect(folder / DATABASE_NAME)
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):  # still signed
        raw.execute("UPDATE team_member SET phone = '2' WHERE id = 'm1'")
    raw.close()
