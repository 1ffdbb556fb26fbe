"""What the signing tests share: an in-memory keyring backend, reviewers, a workspace holding
them, a test PDF."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import PasswordDeleteError
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from sqlite_utils import Database

from inspector_app.core.model import Reviewer, UnitType
from inspector_app.store.reviewers import add_reviewer
from inspector_app.store.workspace import Workspace, open_workspace

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=CST)
PASSPHRASE = "正确的口令 correct horse"
CHEAP = 2**12  # scrypt cost for tests (the app uses 2**17)
FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
BODY_TEXT = "产品生产许可证实地核查报告"


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring backend for tests (never keyrings.alt, which writes plaintext)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """The headless case: no keyring backend at all."""
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """An in-memory keyring backend, restored afterwards."""
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


def reviewer(reviewer_id: str, name: str, certificate_no: str) -> Reviewer:
    return Reviewer(
        id=reviewer_id,
        name=name,
        unit="省产品质量监督检验研究院",
        unit_type=UnitType.TECHNICAL_INSTITUTION,
        certificate_no=certificate_no,
        certificate_expiry=date(2030, 12, 31),
        phone="010-1234567",
    )


TEAM = (
    reviewer("r-zhang", "张三", "XKSC-2026-0001"),
    reviewer("r-li", "李四", "XKSC-2026-0002"),
    reviewer("r-wang", "王建华", "XKSC-2026-0003"),  # the leader
)


def add_team(db: Database) -> None:
    for person in TEAM:
        add_reviewer(db, person, actor=person.actor, now=NOW)


ZHANG = TEAM[0]


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A new workspace holding the team (`TEAM`), nobody with a passphrase yet."""
    with open_workspace(tmp_path / "ws") as ws:
        add_team(ws.db)
        yield ws


def chinese_pdf() -> bytes:
    """Return a one-page A4 PDF with Chinese text (reportlab, invariant)."""
    if "TestCJK" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("TestCJK", FONT))
    out = io.BytesIO()
    page = canvas.Canvas(out, invariant=1)
    page.setFont("TestCJK", 18)
    page.drawString(72, 760, BODY_TEXT)
    page.setFont("TestCJK", 11)
    page.drawString(72, 730, "企业名称：某某水泥有限公司　核查结论：合格")
    page.showPage()
    page.save()
    return out.getvalue()
