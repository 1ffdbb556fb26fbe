"""Importing a case file: replaying it, step by step, through the same rules as the app.

The whole import is one transaction: a file that breaks any rule leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import replace

from sqlite_utils import Database

from inspector_app.casefile.reader import CaseFileError, ParsedCaseFile
from inspector_app.core import signoff
from inspector_app.core.calendar import case_time_zone_problems
from inspector_app.core.errors import RuleViolation
from inspector_app.core.model import (
    Actor,
    Case,
    CaseStatus,
    Enterprise,
    Reviewer,
    Role,
    TeamFiling,
)
from inspector_app.store import records
from inspector_app.store.attachments import add_attachment, reserve_attachments
from inspector_app.store.casework import Casework, Clock, case_verdict, load_case_file
from inspector_app.store.codec import TABLE_OF, to_plain
from inspector_app.store.errors import storage_errors
from inspector_app.store.reviewers import add_reviewer, get_reviewer
from inspector_app.store.settings import load_settings
from inspector_app.store.sql import fetch_all, fetch_one
from inspector_app.store.workspace import Workspace

CONCLUDED = (CaseStatus.PASSED, CaseStatus.FAILED, CaseStatus.SAMPLED, CaseStatus.SIGNED_OFF)


class _Step:
    """Names the JSON path of the step being replayed, for the error message."""

    def __init__(self) -> None:
        self.path = "$"

    def at(self, path: str) -> _Step:
        self.path = path
        return self


def import_case(
    workspace: Workspace, parsed: ParsedCaseFile, *, importer: Actor, clock: Clock
) -> str:
    """Replay a parsed case file into the workspace; return the case id.

    The file's reviewers join the registry (a reviewer already there is kept as it is), then
    every act is replayed by the member who did it, through the same rules as the app. Each
    record ends up with the version the file carries, and only those versions are queued for
    the central office.

    Raises:
        CaseFileError: a rule refused a step; the message names the rule and the JSON path.
    """
    db = workspace.db
    state = parsed.state
    step = _Step()
    zone = case_time_zone_problems(parsed.time_zone, load_settings(db).time_zone)
    if zone:
        raise CaseFileError("$.time_zone", zone[0].message, zone[0].rule)
    # The pending rows commit before any file is written and go with the import's commit; a
    # refused import removes the files it wrote, a crash leaves them to the next open.
    hashes = [item.sha256 for item in parsed.attachments]
    try:
        with (
            storage_errors(),
            reserve_attachments(workspace, hashes) as reservation,
            db.atomic(),
        ):
            _refuse_foreign_ids(db, parsed)
            mark = _outbox_head(db)
            for i, item in enumerate(parsed.attachments):
                step.at(f"$.attachments[{i}]")
                add_attachment(
                    workspace,
                    item.data,
                    media_type=item.media_type,
                    original_name=item.original_name,
                    actor=importer,
                    now=clock(),
                    reservation=reservation,
                )
            adopted = _add_reviewers(db, parsed, step, importer, clock)
            adopted.update(_replay(workspace, parsed, step, importer, clock))
            _check_versions(db, parsed, adopted)
            _drop_replayed_mutations(db, mark, parsed)
    except RuleViolation as error:
        raise CaseFileError(step.path, str(error), error.rule) from error
    return state.case.id


def _refuse_foreign_ids(db: Database, parsed: ParsedCaseFile) -> None:
    """A case file creates records of its own case only: an id that the workspace already
    holds belongs to another case (the case itself must be new), and is refused."""
    case = parsed.state.case
    if records.load(db, Case, case.id) is not None:
        raise CaseFileError("$.case.id", f"案件 {case.id} 已在工作区中（重复的 id）。")
    own = [
        record_id
        for record_id, path in parsed.paths.items()
        if not path.startswith(("$.reviewers", "$.enterprise"))
    ]
    if not own:
        return
    marks = ",".join("?" for _ in own)
    for table in TABLE_OF.values():
        if table in ("reviewer", "enterprise"):
            continue
        case_column = "id" if table == "review_case" else "case_id"
        for row in fetch_all(
            db, f"SELECT id, {case_column} AS case_id FROM {table} WHERE id IN ({marks})", own
        ):
            other = fetch_one(
                db, "SELECT application_no FROM review_case WHERE id = ?", [row["case_id"]]
            )
            owner = other["application_no"] if other else row["case_id"]
            raise CaseFileError(
                parsed.path_of(row["id"]),
                f"id {row['id']} 已属于工作区中的另一案件 {owner}；"
                "导入一个案件不能创建或改动其他案件的记录。",
                "case_isolation",
            )


def _outbox_head(db: Database) -> int:
    row = fetch_one(db, "SELECT coalesce(max(seq), 0) AS head FROM outbox")
    return int(row["head"]) if row else 0


def _drop_replayed_mutations(db: Database, mark: int, parsed: ParsedCaseFile) -> None:
    """Keep, of what the replay queued, only the versions the file carries: the in-between
    versions the rules made on the way exist on no other laptop and would read as conflicts."""
    carried = {v.version_id for v in parsed.versions.values()}
    queued = fetch_all(db, "SELECT seq, version_id FROM outbox WHERE seq > ? ORDER BY seq", [mark])
    last_of = {row["version_id"]: row["seq"] for row in queued}
    # A carried version queued twice (written, then signed by the replayed sign-off) goes up
    # once, as it was last written: signed.
    stale = [
        row["seq"]
        for row in queued
        if row["version_id"] is not None
        and (row["version_id"] not in carried or last_of[row["version_id"]] != row["seq"])
    ]
    for seq in stale:
        db.execute("DELETE FROM outbox WHERE seq = ?", [seq])


def _check_versions(db: Database, parsed: ParsedCaseFile, written: dict[str, str]) -> None:
    """Every record written by the import holds the file's version: a record whose replayed
    content differs from the file's got a version of its own, and the file is refused.

    `written` maps each record id to its table."""
    for table in sorted(set(written.values())):
        ids = [record_id for record_id, t in written.items() if t == table]
        marks = ",".join("?" for _ in ids)
        stored = {
            row["id"]: row["version_id"]
            for row in fetch_all(
                db, f"SELECT id, version_id FROM {table} WHERE id IN ({marks})", ids
            )
        }
        for record_id in sorted(ids, key=parsed.path_of):
            if stored.get(record_id) != parsed.versions[record_id].version_id:
                raise CaseFileError(
                    parsed.path_of(record_id),
                    "该记录与按规则重放文件后得到的记录不一致（文件被改动，或缺少相关记录）。",
                    "replay_consistent",
                )


def _add_reviewers(
    db: Database, parsed: ParsedCaseFile, step: _Step, importer: Actor, clock: Clock
) -> dict[str, str]:
    """Add the file's reviewers the registry lacks; return their ids (with their table). A
    reviewer the registry has is kept as it is: its members carry the facts that held for
    this case."""
    added = {}
    for reviewer in parsed.reviewers:
        step.at(parsed.path_of(reviewer.id))
        if get_reviewer(db, reviewer.id) is None:
            add_reviewer(
                db, reviewer, actor=importer, now=clock(), version=parsed.versions[reviewer.id]
            )
            added[reviewer.id] = TABLE_OF[Reviewer]
    return added


def _replay(
    workspace: Workspace, parsed: ParsedCaseFile, step: _Step, importer: Actor, clock: Clock
) -> dict[str, str]:
    """Replay every act of the file by the member who did it; return the records written (id
    to table), each of which must end with the file's version."""
    db = workspace.db
    state = parsed.state
    case = state.case
    members = {m.id: m for m in (*state.members, *state.former_members)}

    def by(member_id: str) -> Casework:
        member = members[member_id]  # the reader refused a person off the team
        return work.acting_as(Actor(member.reviewer_id, member.name))

    leader_id = next((m.id for m in state.members if m.role == Role.LEADER), None)
    own = {record.id: record for record in state.records()}
    adopt = {
        record_id: (parsed.versions[record_id], to_plain(record))
        for record_id, record in own.items()
    }
    work = Casework(db, importer, clock, adopt=adopt)
    written = {record_id: TABLE_OF[type(record)] for record_id, record in own.items()}
    step.at("$.case")
    if records.load(db, Enterprise, state.enterprise.id) is not None:
        del written[state.enterprise.id]  # reused as it is (or refused if it differs)
    accepted = replace(case, status=CaseStatus.ACCEPTED, review_started_at=None, concluded_at=None)
    work.create_case(state.enterprise, accepted)
    # Each removed member joins, signs what they signed and leaves, in the order they left,
    # before today's team joins: a reviewer removed and added again is then on the team once.
    removed = sorted(state.former_members, key=lambda m: (m.removed_at, m.id))
    for group in [[m] for m in removed] + [list(state.members)]:
        for member in group:
            step.at(parsed.path_of(member.id))
            work.save_member(replace(member, removed_at=None))
        ids = {m.id for m in group}
        for declaration in state.declarations:
            if declaration.member_id in ids:
                step.at(parsed.path_of(declaration.id))
                by(declaration.member_id).sign_declaration(declaration)
        for member in group:
            if member.removed_at is not None:
                step.at(parsed.path_of(member.id))
                work.remove_member(case.id, member.id, member.removed_at)
    filings = sorted(state.filings, key=lambda f: f.filed_at)
    # The latest filing covers today's team unless the team changed since (status accepted):
    # it is filed again through the rules, which rebuild its content from the members.
    current = filings[-1] if filings and case.status != CaseStatus.ACCEPTED else None
    for filing in filings:
        if filing is not current:
            step.at(parsed.path_of(filing.id))
            by(filing.filed_by).record_superseded_filing(filing)
    for filing in filings:
        if filing is not current:
            continue
        step.at(parsed.path_of(filing.id))
        by(filing.filed_by).file_team(case.id, filing.filed_at, filing.id)
        made = records.load(db, TeamFiling, filing.id)
        if made is None or made.content != filing.content:
            raise CaseFileError(
                step.path, "备案内容与审查组成员不一致（文件被改动？）。", "team_filing"
            )
    lead = by(leader_id) if leader_id else work
    if case.review_started_at is not None:
        step.at("$.case.review_started_at")
        lead.start_review(case.id, case.review_started_at)
    for result in sorted(state.results, key=lambda r: (r.assessed_at, parsed.path_of(r.id))):
        step.at(parsed.path_of(result.id))
        by(result.assessor_id).record_result(result)
    if case.status in CONCLUDED:
        step.at("$.case.status")
        if case.concluded_at is None:
            raise CaseFileError("$.case.concluded_at", "已有核查结论的案件须有结论时间。")
        concluded = lead.conclude(case.id, case.concluded_at)
        # A signed-off case does not say how its review ended: the results decide.
        claims = {CaseStatus.PASSED: True, CaseStatus.SAMPLED: True, CaseStatus.FAILED: False}
        passed = concluded.status_after == CaseStatus.PASSED
        if case.status in claims and passed != claims[case.status]:
            outcome = case_verdict(db, load_case_file(db, case.id))
            raise CaseFileError(
                "$.case.status",
                f"文件中的状态与核查结果不符：按核查表判定为“{outcome.explain()}”。",
                "verdict",
            )
    for sample in sorted(state.samples, key=lambda s: s.sampled_at):
        step.at(parsed.path_of(sample.id))
        seals = [s for s in state.seals if s.sample_id == sample.id]
        sampler = by(sample.sampler_ids[0]) if sample.sampler_ids else work
        sampler.record_sample(sample, seals)
    for handover in state.handovers:
        step.at(parsed.path_of(handover.id))
        by(handover.handed_by).record_handover(handover)
    for sealed in sorted(state.sealed_feedback, key=lambda f: f.sealed_at):
        step.at(parsed.path_of(sealed.id))
        by(sealed.handed_by).record_sealed_feedback(sealed)
    for objection in state.objections:
        step.at(parsed.path_of(objection.id))
        lead.record_objection(objection)  # taken down by the team (the file says not who)
    if state.hand_signatures:
        images = {item.sha256: item.data for item in parsed.attachments}
        for hand in sorted(state.hand_signatures, key=lambda h: (h.signed_at, h.id)):
            step.at(parsed.path_of(hand.id))
            # Taken on the leader's laptop (the file does not say whose): the same rules.
            lead.record_hand_signature(workspace, hand, images[hand.image])
    if state.signatures:
        # One sign-off: every member's signature naming the signed report (imported above
        # with the attachments), the leader's last; or an older file's one record-only
        # signature of the leader. The leader completes it.
        ordered = signoff.in_signing_order(state.members, state.signatures)
        step.at(parsed.path_of(ordered[-1].id))
        by(ordered[-1].signer_id).record_signatures(case.id, ordered)
    for amendment in sorted(state.amendments, key=lambda a: (a.issued_at, a.id)):
        # After the sign-off, each amendment by the leader; its signed document came with the
        # file's attachments.
        step.at(parsed.path_of(amendment.id))
        by(amendment.issued_by).record_amendment(workspace, amendment, None)
    step.at("$.case.status")
    stored = records.load(db, Case, case.id)
    if stored is None or stored.status != case.status:
        got = stored.status.value if stored else "?"
        raise CaseFileError(
            "$.case.status",
            f"文件声明状态为 {case.status.value}，但按文件内容重放后为 {got}。",
            "lifecycle",
        )
    return written
