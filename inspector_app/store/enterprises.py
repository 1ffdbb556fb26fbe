"""Reads about an enterprise (申请企业) across its cases: which of them are signed off, and who
is on their teams (for the rules of an enterprise record, which belongs to no one case)."""

from __future__ import annotations

from sqlite_utils import Database

from inspector_app.core.model import CaseStatus, TeamMember
from inspector_app.store.codec import from_row
from inspector_app.store.sql import fetch_all


def signed_application_nos(db: Database, enterprise_id: str) -> list[str]:
    """Return the application numbers of the enterprise's signed-off cases held here."""
    rows = fetch_all(
        db,
        "SELECT application_no FROM review_case WHERE enterprise_id = ? "
        "AND (status = ? OR locked = 1) ORDER BY application_no",
        [enterprise_id, CaseStatus.SIGNED_OFF.value],
    )
    return [str(r["application_no"]) for r in rows]


def members_of_cases(db: Database, enterprise_id: str) -> list[TeamMember]:
    """Return the team members (former ones too) of the enterprise's cases held here, but for
    the cases the office withdrew from this workspace's reviewer."""
    withdrawn = ""
    if "case_withdrawal" in db.table_names():
        withdrawn = " AND m.case_id NOT IN (SELECT case_id FROM case_withdrawal)"
    rows = fetch_all(
        db,
        "SELECT m.* FROM team_member m JOIN review_case c ON c.id = m.case_id "
        f"WHERE c.enterprise_id = ?{withdrawn} ORDER BY m.case_id, m.id",
        [enterprise_id],
    )
    return [from_row(TeamMember, r) for r in rows]
