"""Installed forms in the workspace: versions side by side, never overwritten."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from inspector_app.core.forms.model import ChecklistForm
from inspector_app.formio.shipped import load_shipped_forms
from inspector_app.store.form_library import (
    FormLibraryError,
    forget_parsed_forms,
    get_form,
    install_form,
    install_shipped_forms,
    latest_version,
    list_forms,
)

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A fresh workspace database made by the real migrations, with no forms installed."""
    from inspector_app.store.workspace import open_workspace

    workspace = open_workspace(tmp_path / "ws", install_forms=False)
    yield workspace.db
    workspace.close()


@pytest.fixture
def cement() -> ChecklistForm:
    return next(f for f in load_shipped_forms() if f.form_id == "cement" and f.version == 1)


def test_install_form_then_get_it_back(db: Database, cement: ChecklistForm) -> None:
    assert install_form(db, cement, NOW) is True
    assert get_form(db, "cement", 1) == cement
    row = next(db.query("SELECT title, installed_at FROM checklist_form"))
    assert row == {"title": cement.title, "installed_at": "2025-03-01T08:00:00+00:00"}


def test_install_form_twice_is_a_no_op(db: Database, cement: ChecklistForm) -> None:
    assert install_form(db, cement, NOW) is True
    assert install_form(db, cement, NOW) is False
    assert len(list_forms(db)) == 1


def test_install_form_refuses_changed_content_under_same_version(
    db: Database, cement: ChecklistForm
) -> None:
    install_form(db, cement, NOW)
    changed = dataclasses.replace(cement, title="改过的标题")
    with pytest.raises(FormLibraryError) as caught:
        install_form(db, changed, NOW)
    message = str(caught.value)
    assert "cement" in message and "第 1 版" in message and "版本号改为 2" in message
    assert get_form(db, "cement", 1) == cement


def test_two_versions_live_side_by_side(db: Database, cement: ChecklistForm) -> None:
    newer = dataclasses.replace(cement, version=2, title="水泥 第二版")
    install_form(db, cement, NOW)
    install_form(db, newer, NOW)
    assert latest_version(db, "cement") == 2
    # A case that started on version 1 keeps getting version 1.
    assert get_form(db, "cement", 1) == cement
    assert get_form(db, "cement", 2) == newer
    assert [(f.form_id, f.version) for f in list_forms(db)] == [("cement", 1), ("cement", 2)]


def test_get_form_missing_names_id_and_version(db: Database, cement: ChecklistForm) -> None:
    with pytest.raises(FormLibraryError, match=r"wire-cable 第 3 版.*没有这张核查表"):
        get_form(db, "wire-cable", 3)
    install_form(db, cement, NOW)
    with pytest.raises(FormLibraryError, match=r"cement 第 5 版.*已安装的版本：1"):
        get_form(db, "cement", 5)


def test_latest_version_none_when_not_installed(db: Database) -> None:
    assert latest_version(db, "cement") is None


def test_get_form_detects_tampered_row(db: Database, cement: ChecklistForm) -> None:
    install_form(db, cement, NOW)
    db.execute("UPDATE checklist_form SET body = replace(body, '水泥', '砂石')")
    db.conn.commit()
    forget_parsed_forms()  # the damage is found when a session first reads the form
    with pytest.raises(FormLibraryError, match="校验值不符"):
        get_form(db, "cement", 1)


def test_install_shipped_forms_installs_each_once(db: Database) -> None:
    count = install_shipped_forms(db, NOW)
    assert count == len(load_shipped_forms()) >= 4
    assert install_shipped_forms(db, NOW) == 0
    ids = {(f.form_id, f.version) for f in list_forms(db)}
    assert {("general-onsite", 1), ("wire-cable", 1), ("cement", 1), ("cement", 2)} <= ids


def test_install_shipped_forms_reports_broken_shipped_file(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "forms"
    folder.mkdir()
    (folder / "broken.json").write_text("{", encoding="utf-8")
    with pytest.raises(FormLibraryError, match="随程序提供的核查表文件有误"):
        install_shipped_forms(db, NOW, folder=folder)


def test_open_workspace_installs_shipped_forms(tmp_path: Path) -> None:
    from inspector_app.store.workspace import open_workspace

    with open_workspace(tmp_path / "ws") as workspace:
        assert latest_version(workspace.db, "general-onsite") == 1
