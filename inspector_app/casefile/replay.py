"""Importing a case file: replaying it, step by step, through the same rules as the app.

The whole import is one transaction: a file that breaks any rule leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time

from inspector_app.casefile.reader import CaseFileError, ParsedCaseFile
from inspector_app.core.errors import RuleViolation
from inspector_app.core.model import CaseStatus, Role, TeamMember
from inspector_app.store import records
from inspector_app.store.attachments import add_attachment, reserve_attachments
from inspector_app.store.casework import Casework
from inspector_app.store.errors import storage_errors
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
    workspace: Workspace, parsed: ParsedCaseFile, *, importer: str, now: datetime
) -> str:
    """Replay a parsed case file into the workspace; return the case id.

    Raises:
        CaseFileError: a rule refused a step; the message names the rule and the JSON path.
    """
    db = workspace.db
    state = parsed.state
    step = _Step()
    # The pending rows commit before any file is written and go with the import's commit; a
    # refused import removes the files it wrote, a crash leaves them to the next open.
    hashes = [item.sha256 for item in parsed.attachments]
    try:
        with (
            storage_errors(),
            reserve_attachments(workspace, hashes) as reservation,
            db.atomic(),
        ):
            if records.load(db, type(state.case), state.case.id) is not None:
                raise CaseFileError(
                    "$.case.id", f"案件 {state.case.id} 已在工作区中（重复的 id）。"
                )
            for i, item in enumerate(parsed.attachments):
                step.at(f"$.attachments[{i}]")
                add_attachment(
                    workspace,
                    item.data,
                    media_type=item.media_type,
                    original_name=item.original_name,
                    actor=importer,
                    now=now,
                    reservation=reservation,
                )
            _replay(workspace, parsed, step, importer)
    except RuleViolation as error:
        raise CaseFileError(step.path, str(error), error.rule) from error
    return state.case.id


def _name_of(members: tuple[TeamMember, ...], member_id: str, fallback: str) -> str:
    return next((m.name for m in members if m.id == member_id), fallback)


def _replay(workspace: Workspace, parsed: ParsedCaseFile, step: _Step, importer: str) -> None:
    db = workspace.db
    state = parsed.state
    case = state.case
    leader = next((m.name for m in state.members if m.role == Role.LEADER), importer)
    as_importer = Casework(db, importer)
    step.at("$.case")
    accepted = replace(case, status=CaseStatus.ACCEPTED, review_started_at=None, concluded_at=None)
    first_time = datetime.combine(case.accepted_on, time(0), tzinfo=UTC)
    as_importer.create_case(state.enterprise, accepted, first_time)
    for i, member in enumerate(sorted(state.members, key=lambda m: m.id)):
        step.at(f"$.members[{i}]")
        as_importer.save_member(member, first_time)
    for i, declaration in enumerate(state.declarations):
        step.at(f"$.declarations[{i}]")
        signer = _name_of(state.members, declaration.member_id, importer)
        Casework(db, signer).sign_declaration(declaration, declaration.signed_at)
    filings = sorted(state.filings, key=lambda f: f.filed_at)
    for i, filing in enumerate(filings):
        step.at(f"$.filings[{i}]")
        filer = _name_of(state.members, filing.filed_by, importer)
        if i < len(filings) - 1 or case.status == CaseStatus.ACCEPTED:
            # An earlier filing (the team changed since): kept as the record it was.
            records.save(db, filing, actor=filer, now=filing.filed_at, lock=True)
            continue
        made = Casework(db, filer).file_team(case.id, filing.filed_at, filing.id)
        if made.team_fingerprint != filing.team_fingerprint or made.content != filing.content:
            raise CaseFileError(
                step.path, "备案内容与审查组成员不一致（文件被改动？）。", "team_filing"
            )
    if case.review_started_at is not None:
        step.at("$.case.review_started_at")
        as_importer.start_review(case.id, case.review_started_at)
    for i, result in enumerate(sorted(state.results, key=lambda r: r.assessed_at)):
        step.at(f"$.results[{i}]")
        assessor = _name_of(state.members, result.assessor_id, "?")
        Casework(db, assessor).record_result(result, result.assessed_at)
    if case.status in CONCLUDED:
        step.at("$.case.status")
        if case.concluded_at is None:
            raise CaseFileError("$.case.concluded_at", "已有核查结论的案件须有结论时间。")
        outcome = Casework(db, leader).conclude(case.id, case.concluded_at)
        # A signed-off case does not say how its review ended: the results decide.
        claims = {CaseStatus.PASSED: True, CaseStatus.SAMPLED: True, CaseStatus.FAILED: False}
        if case.status in claims and outcome.passed != claims[case.status]:
            raise CaseFileError(
                "$.case.status",
                f"文件中的状态与核查结果不符：按核查表判定为“{outcome.explain()}”。",
                "verdict",
            )
    for i, sample in enumerate(sorted(state.samples, key=lambda s: s.sampled_at)):
        step.at(f"$.samples[{i}]")
        seals = [s for s in state.seals if s.sample_id == sample.id]
        sampler = (
            _name_of(state.members, sample.sampler_ids[0], importer)
            if sample.sampler_ids
            else importer
        )
        Casework(db, sampler).record_sample(sample, seals, sample.sampled_at)
    for i, handover in enumerate(state.handovers):
        step.at(f"$.handovers[{i}]")
        giver = _name_of(state.members, handover.handed_by, importer)
        Casework(db, giver).record_handover(handover, handover.handed_at)
    for i, objection in enumerate(state.objections):
        step.at(f"$.objections[{i}]")
        as_importer.record_objection(objection, objection.recorded_at)
    for i, signature in enumerate(state.signatures):
        step.at(f"$.signatures[{i}]")
        signer = _name_of(state.members, signature.signer_id, importer)
        Casework(db, signer).sign_off(case.id, signature.signed_at, signature.id)
    step.at("$.case.status")
    stored = records.load(db, type(case), case.id)
    if stored is None or stored.status != case.status:
        got = stored.status.value if stored else "?"
        raise CaseFileError(
            "$.case.status",
            f"文件声明状态为 {case.status.value}，但按文件内容重放后为 {got}。",
            "lifecycle",
        )
