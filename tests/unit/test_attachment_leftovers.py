"""What a crash leaves of attachment writes is removed when the workspace next opens.

A crash is simulated by what it leaves: a pending row whose file has no `attachment` row, a
temporary file `.<hash>.<random>` beside it. The real thing (SIGKILL during imports) is
tests/e2e/test_crash_import.py.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from inspector_app.casefile.reader import CaseFileError, parse_case_file
from inspector_app.casefile.replay import import_case
from inspector_app.casefile.writer import case_json
from inspector_app.core.model import Actor
from inspector_app.demo import demo_id
from inspector_app.store import attachments as attachments_module
from inspector_app.store.attachments import add_attachment, attachment_path, reserve_attachments
from inspector_app.store.casework import load_case_file
from inspector_app.store.errors import WorkspaceError
from inspector_app.store.workspace import Workspace, open_workspace
from tests.conftest import DemoWorkspaces

CLERK = Actor("00000000-0000-4000-8000-000000000002", "张三")

NOW = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pending(workspace: Workspace) -> list[str]:
    return [r[0] for r in workspace.db.execute("SELECT sha256 FROM attachment_pending")]


def everything_under(folder: Path) -> list[str]:
    """Every file and folder under `attachments/` (an empty shard folder counts)."""
    return sorted(str(p.relative_to(folder)) for p in (folder / "attachments").rglob("*"))


def leave_as_a_crash_would(workspace: Workspace, data: bytes, *, recorded: bool) -> Path:
    """Write `data`'s file and a temporary file beside it, with a pending row for its hash."""
    sha = digest(data)
    if recorded:
        add_attachment(
            workspace,
            data,
            media_type="image/png",
            original_name="a.png",
            actor=CLERK,
            now=NOW,
        )
    path = attachment_path(workspace, sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    (path.parent / f".{sha}.k3j9x_2a").write_bytes(data[:3])
    with workspace.db.atomic():
        workspace.db.execute(
            "INSERT INTO attachment_pending (sha256, writer) VALUES (?, 'dead-writer')", [sha]
        )
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "workspace"
    open_workspace(folder).close()
    return folder


def test_a_file_without_record_and_temporary_files_are_removed_on_open(folder: Path) -> None:
    with open_workspace(folder) as workspace:
        orphan = leave_as_a_crash_would(workspace, b"half-imported photo", recorded=False)
        kept = leave_as_a_crash_would(workspace, b"recorded photo", recorded=True)
        assert len(pending(workspace)) == 2
    with open_workspace(folder) as workspace:
        assert pending(workspace) == []
        assert not orphan.exists()
        assert not orphan.parent.exists()  # its shard folder held nothing else
        assert kept.read_bytes() == b"recorded photo"  # a file WITH its record is kept
    assert everything_under(folder) == [
        f"attachments/{kept.parent.name}",
        f"attachments/{kept.parent.name}/{kept.name}",
    ]


def test_nothing_pending_means_nothing_is_searched(folder: Path) -> None:
    """A normal open asks one indexed question; it does not walk the attachments folder."""
    stray = folder / "attachments" / "ab" / ("ab" + "0" * 62)
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"not a leftover of a reserved write")
    with open_workspace(folder):
        pass
    assert stray.exists()


def test_first_open_after_the_upgrade_sweeps_once(folder: Path) -> None:
    """A workspace from before the pending table may hold an older crash's leftovers."""
    stray = folder / "attachments" / "ab" / ("ab" + "0" * 62)
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"left by an import that crashed before the upgrade")
    (stray.parent / f".{stray.name}.tmp123").write_bytes(b"half")
    with open_workspace(folder) as workspace:
        recorded = add_attachment(
            workspace,
            b"kept",
            media_type="image/png",
            original_name="k.png",
            actor=CLERK,
            now=NOW,
        )
        workspace.db.execute("DROP TABLE attachment_pending")
        workspace.db.execute(
            "DELETE FROM _sqlite_migrations WHERE name = '0002_attachment_pending'"
        )
        workspace.db.conn.commit()
    with open_workspace(folder) as workspace:
        assert pending(workspace) == []
        assert attachment_path(workspace, recorded.sha256).read_bytes() == b"kept"
    assert not stray.parent.exists()


def test_a_writer_at_work_in_another_connection_is_left_alone(folder: Path) -> None:
    data = b"being imported right now"
    with open_workspace(folder) as writer:
        with reserve_attachments(writer, [digest(data)]) as reservation:
            assert reservation.write(digest(data), data)
            path = attachment_path(writer, digest(data))
            # another program opens the workspace meanwhile: the file is not its to remove
            with open_workspace(folder) as other:
                assert pending(other) == [digest(data)]
            assert path.exists()
        # the writer left without recording it: it removes its own file and pending row
        assert not path.exists()
        assert not path.parent.exists()
        assert pending(writer) == []


def test_add_attachment_leaves_no_pending_row(folder: Path) -> None:
    with open_workspace(folder) as workspace:
        made = add_attachment(
            workspace,
            b"photo",
            media_type="image/png",
            original_name="p.png",
            actor=CLERK,
            now=NOW,
        )
        assert attachment_path(workspace, made.sha256).read_bytes() == b"photo"
        assert pending(workspace) == []


def test_add_attachment_that_fails_to_record_keeps_no_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise WorkspaceError("磁盘已满")

    monkeypatch.setattr(attachments_module.records, "append_event", full)
    with open_workspace(folder) as workspace:
        with pytest.raises(WorkspaceError):
            add_attachment(
                workspace,
                b"photo",
                media_type="image/png",
                original_name="p.png",
                actor=CLERK,
                now=NOW,
            )
        assert pending(workspace) == []
        assert workspace.db.execute("SELECT count(*) FROM attachment").fetchone()[0] == 0
    assert everything_under(folder) == []


def test_reserving_inside_a_transaction_is_a_bug(folder: Path) -> None:
    with (
        open_workspace(folder) as workspace,
        workspace.db.atomic(),
        pytest.raises(RuntimeError, match="before the transaction"),
        reserve_attachments(workspace, [digest(b"x")]),
    ):
        pass


def test_a_refused_import_leaves_no_file_no_folder_and_no_pending_row(
    demo_workspaces: DemoWorkspaces, tmp_path: Path
) -> None:
    demo = tmp_path / "demo"
    demo_workspaces.copy(demo, NOW)
    with open_workspace(demo) as workspace:
        raw = case_json(load_case_file(workspace.db, demo_id("f", "case")), workspace)
    doc = json.loads(raw)
    doc["case"]["status"] = "failed"  # contradicts the results: refused after the files
    assert doc["attachments"]
    target = tmp_path / "target"
    with open_workspace(target) as workspace:
        with pytest.raises(CaseFileError, match="核查结果不符"):
            import_case(
                workspace,
                parse_case_file(json.dumps(doc).encode()),
                importer=CLERK,
                clock=lambda: NOW,
            )
        assert pending(workspace) == []
        assert workspace.db.execute("SELECT count(*) FROM attachment").fetchone()[0] == 0
    assert everything_under(target) == []
