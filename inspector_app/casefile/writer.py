"""Writing a case file: the whole case as canonical JSON (same case, same bytes)."""

from __future__ import annotations

import base64
import json
from typing import Any

from inspector_app.casefile import FORMAT
from inspector_app.core.model import CaseFile
from inspector_app.store.attachments import attachment_path
from inspector_app.store.codec import to_plain
from inspector_app.store.errors import WorkspaceError
from inspector_app.store.workspace import Workspace


def _without(record: Any, *names: str) -> dict[str, Any]:
    plain = to_plain(record)
    for name in names:
        plain.pop(name, None)
    return plain


def case_document(state: CaseFile, workspace: Workspace) -> dict[str, Any]:
    """Return the case file document of a case (lists in a stable order)."""
    seals_of: dict[str, list[dict[str, Any]]] = {}
    for seal in sorted(state.seals, key=lambda s: (s.seal_no, s.id)):
        seals_of.setdefault(seal.sample_id, []).append(_without(seal, "case_id", "sample_id"))
    hashes = sorted(
        {h for r in state.results for h in r.evidence} | {s.photo for s in state.seals if s.photo}
    )
    attachments = []
    for digest in hashes:
        row = next(workspace.db.query("SELECT * FROM attachment WHERE sha256 = ?", [digest]))
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

    return {
        "format": FORMAT,
        "enterprise": to_plain(state.enterprise),
        "case": to_plain(state.case),
        "members": many(state.members),
        "declarations": many(state.declarations),
        "filings": many(state.filings, lambda f: (f.filed_at, f.id)),
        "results": many(state.results, lambda r: r.item_code),
        "samples": [
            {**_without(s, "case_id"), "seals": seals_of.get(s.id, [])}
            for s in sorted(state.samples, key=lambda s: (s.sampled_at, s.id))
        ],
        "handovers": many(state.handovers, lambda h: (h.handed_at, h.id)),
        "objections": many(state.objections, lambda o: (o.recorded_at, o.id)),
        "signatures": many(state.signatures, lambda s: (s.signed_at, s.id)),
        "attachments": attachments,
    }


def case_json(state: CaseFile, workspace: Workspace) -> str:
    """Return the case file text of a case: canonical, indented, UTF-8 friendly."""
    return (
        json.dumps(case_document(state, workspace), ensure_ascii=False, indent=2, sort_keys=True)
        + "\n"
    )
