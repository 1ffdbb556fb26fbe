"""Writing a case file: the whole case as canonical JSON (same case, same bytes)."""

from __future__ import annotations

import base64
import json
from typing import Any

from inspector_app.casefile import FORMAT
from inspector_app.core.model import CaseFile, Reviewer
from inspector_app.store import records
from inspector_app.store.attachments import attachment_path
from inspector_app.store.codec import to_plain
from inspector_app.store.errors import WorkspaceError
from inspector_app.store.records import RecordVersion
from inspector_app.store.reviewers import get_reviewer
from inspector_app.store.settings import load_settings
from inspector_app.store.workspace import Workspace


def _reviewers(state: CaseFile, workspace: Workspace) -> list[Reviewer]:
    found = []
    for reviewer_id in sorted({m.reviewer_id for m in (*state.members, *state.former_members)}):
        reviewer = get_reviewer(workspace.db, reviewer_id)
        if reviewer is None:
            raise WorkspaceError(
                f"审查员 {reviewer_id} 不在工作区的审查员名册中，无法导出本案。没有写出任何文件。"
            )
        found.append(reviewer)
    return found


def case_document(state: CaseFile, workspace: Workspace) -> dict[str, Any]:
    """Return the case file document of a case (lists in a stable order), each record with
    its version, its base version and the device that made it."""
    versions = records.case_versions(workspace.db, state.case.id)
    reviewers = _reviewers(state, workspace)
    for reviewer in reviewers:
        version = records.stored_version(workspace.db, Reviewer, reviewer.id)
        assert version is not None  # just read
        versions[reviewer.id] = version

    def _without(record: Any, *names: str) -> dict[str, Any]:
        plain = to_plain(record)
        for name in names:
            plain.pop(name, None)
        version: RecordVersion = versions[plain["id"]]
        plain.update(
            version_id=version.version_id,
            base_version_id=version.base_version_id,
            device_id=version.device_id,
        )
        return plain

    seals_of: dict[str, list[dict[str, Any]]] = {}
    for seal in sorted(state.seals, key=lambda s: (s.seal_no, s.id)):
        seals_of.setdefault(seal.sample_id, []).append(_without(seal, "case_id", "sample_id"))
    hashes = sorted(
        {h for r in state.results for h in r.evidence}
        | {s.photo for s in state.seals if s.photo}
        | {s.document_sha256 for s in state.signatures if s.document_sha256}
        | {h.image for h in state.hand_signatures}
        | {a.document_sha256 for a in state.amendments}
    )
    attachments = []
    for digest in hashes:
        row = next(workspace.db.query("SELECT * FROM attachment WHERE sha256 = ?", [digest]), None)
        if row is None:  # a record that came down by sync before its file (issue 9)
            raise WorkspaceError(
                f"附件 {digest[:12]}… 尚未从中心同步到本机，无法导出本案。请先同步（inspector "
                "sync），待附件下载完成后再导出。没有写出任何文件。"
            )
        try:
            data = attachment_path(workspace, digest).read_bytes()
        except FileNotFoundError as error:
            raise WorkspaceError(
                f"附件 {row['original_name']}（{digest[:12]}…）的文件在工作区中缺失，无法导出本案。"
                "请从备份恢复 attachments 文件夹。没有写出任何文件。"
            ) from error
        attachments.append(
            {
                "sha256": digest,
                "media_type": row["media_type"],
                "original_name": row["original_name"],
                "data_base64": base64.b64encode(data).decode("ascii"),
            }
        )

    def many(records: tuple[Any, ...], key: Any = lambda r: r.id) -> list[dict[str, Any]]:
        return [_without(r, "case_id") for r in sorted(records, key=key)]

    document: dict[str, Any] = {
        "format": FORMAT,
        # The zone the case's days were counted in: another zone may judge them otherwise.
        "time_zone": load_settings(workspace.db).time_zone,
        "enterprise": _without(state.enterprise),
        "case": _without(state.case),
        "reviewers": [_without(r) for r in reviewers],
        # A member on the team carries no removed_at (files stay as older versions wrote them).
        "members": [
            {k: v for k, v in m.items() if k != "removed_at" or v is not None}
            for m in many((*state.members, *state.former_members))
        ],
        "declarations": many(state.declarations),
        "filings": many(state.filings, lambda f: (f.filed_at, f.id)),
        "results": many(state.results, lambda r: r.item_code),
        "samples": [
            {**_without(s, "case_id"), "seals": seals_of.get(s.id, [])}
            for s in sorted(state.samples, key=lambda s: (s.sampled_at, s.id))
        ],
        "handovers": many(state.handovers, lambda h: (h.handed_at, h.id)),
        "sealed_feedback": many(state.sealed_feedback, lambda f: (f.sealed_at, f.id)),
        "objections": many(state.objections, lambda o: (o.recorded_at, o.id)),
        "signatures": many(state.signatures, lambda s: (s.signed_at, s.id)),
        "attachments": attachments,
    }
    if state.hand_signatures:  # absent when none: such a file reads as it did before them
        document["hand_signatures"] = many(
            state.hand_signatures, lambda h: (h.signed_at, h.document, h.id)
        )
    if state.amendments:  # only then: a case without amendments gives the same file as before
        document["amendments"] = many(state.amendments, lambda a: (a.issued_at, a.id))
    return document


def case_json(state: CaseFile, workspace: Workspace) -> str:
    """Return the case file text of a case: canonical, indented, UTF-8 friendly."""
    return (
        json.dumps(case_document(state, workspace), ensure_ascii=False, indent=2, sort_keys=True)
        + "\n"
    )
