"""Reading a case file: bytes → checked JSON → domain records, with the JSON path of any fault."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspector_app.casefile import FORMAT
from inspector_app.core import model
from inspector_app.core.case_integrity import strangers
from inspector_app.core.hand_signature import signer_key
from inspector_app.inputfile import MAX_INPUT_BYTES, InputTooLarge, limit_text, read_bounded
from inspector_app.safejson import JsonRefused, load_json
from inspector_app.store.attachments import MAX_ATTACHMENT_BYTES
from inspector_app.store.codec import field_types, from_value
from inspector_app.store.records import RecordVersion

if TYPE_CHECKING:  # jsonschema costs ~50 ms to import; only reading a case file needs it
    import jsonschema

MAX_FILE_BYTES = MAX_INPUT_BYTES
MAX_DEPTH = 32
"""A case file nests five levels deep (document, samples, sample, seals, seal); room to grow."""


class CaseFileError(Exception):
    """A case file that cannot be imported; the message names the JSON path and the fault."""

    def __init__(self, path: str, message: str, rule: str = "case_file") -> None:
        self.path = path
        self.rule = rule
        self.detail = message
        if rule != "case_file" and f"规则 {rule}" not in message:
            message = f"{message}（规则 {rule}）"
        super().__init__(f"{path}: {message}" if path else message)


@dataclass(frozen=True)
class AttachmentData:
    """An attachment carried inside the case file."""

    sha256: str
    media_type: str
    original_name: str
    data: bytes


@dataclass(frozen=True)
class ParsedCaseFile:
    """A case file read and checked, ready to replay.

    `versions` and `paths` are by record id: the version each record carries, and where the
    record stands in the file as written (for messages).
    """

    state: model.CaseFile
    attachments: tuple[AttachmentData, ...]
    reviewers: tuple[model.Reviewer, ...] = ()
    versions: dict[str, RecordVersion] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)
    time_zone: str | None = None
    """The time zone the case's dates were judged in; None in files written before it was."""

    def path_of(self, record_id: str) -> str:
        """Return the JSON path of a record of the file (`$` when it is not one)."""
        return self.paths.get(record_id, "$")


@cache
def case_schema() -> dict[str, Any]:
    """Return the published JSON Schema of the case file."""
    text = (
        resources.files("inspector_app.casefile")
        .joinpath("case.schema.json")
        .read_text(encoding="utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


def decode_json(raw: bytes) -> Any:
    """Return the JSON value of a file's bytes, refusing oversize, non-UTF-8, malformed,
    NaN/Infinity, duplicate keys, huge integers and deep nesting (see `inspector_app.safejson`)."""
    try:
        return load_json(raw, max_bytes=MAX_FILE_BYTES, max_depth=MAX_DEPTH)
    except JsonRefused as error:
        raise CaseFileError("", error.message, error.rule) from error


def read_case_file(path: Path) -> bytes:
    """Return a case file's bytes, reading no more than the size limit (one byte past it), so
    that a huge file chosen by mistake or an endless one (a device) is refused at once.

    Raises:
        CaseFileError: the file is larger than the limit (rule json.too_large).
        OSError: it cannot be read (missing, no permission, a folder, a pipe).
    """
    try:
        return read_bounded(path, MAX_FILE_BYTES)
    except InputTooLarge:
        raise CaseFileError(
            "",
            f"文件过大（超过上限 {limit_text(MAX_FILE_BYTES)}）；请确认选对了文件。",
            "json.too_large",
        ) from None


@cache
def _validator() -> jsonschema.Draft202012Validator:
    import jsonschema

    return jsonschema.Draft202012Validator(case_schema())


def _json_path(parts: Any) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def check_schema(document: Any) -> None:
    """Refuse a document that breaks the published schema, naming the first fault's path."""
    if not isinstance(document, dict):
        raise CaseFileError("$", "案件文件必须是一个 JSON 对象。")
    if document.get("format") != FORMAT:
        older = document.get("format") == "inspector-case/1"
        hint = (
            "该文件由旧版程序导出，没有审查员名册和记录版本；请用新版程序重新导出。"
            if older
            else ""
        )
        raise CaseFileError(
            "$.format",
            f"不支持的格式版本 {document.get('format')!r}；本程序读取 {FORMAT!r}。{hint}",
            "format_version",
        )
    validator = _validator()
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        raise CaseFileError(_json_path(first.absolute_path), _explain(first))


def _explain(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        return f"未知字段：{error.message}"
    if error.validator == "required":
        return f"缺少必填字段：{error.message}"
    if error.validator == "type":
        return f"类型不对：{error.message}"
    if error.validator == "pattern":
        return f"格式不对：{error.instance!r}"
    return str(error.message)


VERSION_KEYS = ("version_id", "base_version_id", "device_id")


def _record(cls: type, data: dict[str, Any], path: str, **extra: Any) -> Any:
    values = {k: v for k, v in {**data, **extra}.items() if k not in VERSION_KEYS}
    kinds = field_types(cls)
    parsed = {}
    for name, kind in kinds.items():
        if name not in values:
            continue
        try:
            parsed[name] = from_value(kind, values[name])
        except ValueError as error:
            raise CaseFileError(f"{path}.{name}", f"日期或时间无效：{values[name]!r}") from error
        if isinstance(parsed[name], datetime) and parsed[name].tzinfo is None:
            raise CaseFileError(f"{path}.{name}", "时间须带时区（例如 +08:00 或 Z）。")
    return cls(**parsed)


class _Reading:
    """The records of one document as they are read: ids claimed once, paths and versions."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.case_id: str = document["case"]["id"]
        self.paths: dict[str, str] = {}
        self.versions: dict[str, RecordVersion] = {}

    def take(self, cls: type, data: dict[str, Any], path: str, **extra: Any) -> Any:
        record_id = data["id"]
        if record_id in self.paths:
            raise CaseFileError(
                f"{path}.id", f"重复的 id {record_id}（已用于 {self.paths[record_id]}）"
            )
        self.paths[record_id] = path
        self.versions[record_id] = RecordVersion(
            data["version_id"], data["base_version_id"], data["device_id"]
        )
        return _record(cls, data, path, **extra)

    def many(self, key: str, cls: type) -> tuple[Any, ...]:
        return tuple(
            self.take(cls, item, f"$.{key}[{i}]", case_id=self.case_id)
            for i, item in enumerate(self.document.get(key, []))
        )


def parse_case_file(raw: bytes) -> ParsedCaseFile:
    """Return the case file's records and attachments, or raise CaseFileError with its path."""
    document = decode_json(raw)
    check_schema(document)
    reading = _Reading(document)
    case_id = reading.case_id
    reviewers = tuple(
        reading.take(model.Reviewer, item, f"$.reviewers[{i}]")
        for i, item in enumerate(document.get("reviewers", []))
    )
    enterprise = reading.take(model.Enterprise, document["enterprise"], "$.enterprise")
    if document["case"]["enterprise_id"] != enterprise.id:
        raise CaseFileError("$.case.enterprise_id", "与 $.enterprise.id 不一致。")
    case = reading.take(model.Case, document["case"], "$.case")
    everyone = reading.many("members", model.TeamMember)
    members = tuple(m for m in everyone if m.removed_at is None)
    samples, seals = [], []
    for i, item in enumerate(document.get("samples", [])):
        path = f"$.samples[{i}]"
        body = {k: v for k, v in item.items() if k != "seals"}
        samples.append(reading.take(model.SampleRecord, body, path, case_id=case_id))
        for j, seal in enumerate(item.get("seals", [])):
            seals.append(
                reading.take(
                    model.Seal,
                    seal,
                    f"{path}.seals[{j}]",
                    case_id=case_id,
                    sample_id=item["id"],
                )
            )
    state = model.CaseFile(
        case=case,
        enterprise=enterprise,
        members=members,
        declarations=reading.many("declarations", model.IntegrityDeclaration),
        filings=reading.many("filings", model.TeamFiling),
        results=reading.many("results", model.ChecklistResult),
        samples=tuple(samples),
        seals=tuple(seals),
        handovers=reading.many("handovers", model.FeedbackHandover),
        sealed_feedback=reading.many("sealed_feedback", model.SealedFeedback),
        objections=reading.many("objections", model.EnterpriseObjection),
        signatures=reading.many("signatures", model.Signature),
        hand_signatures=reading.many("hand_signatures", model.HandSignature),
        former_members=tuple(m for m in everyone if m.removed_at is not None),
        amendments=reading.many("amendments", model.Amendment),  # absent in older files
    )
    _check_people(state, reviewers, reading.paths)
    _check_one_result_per_item(state, reading.paths)
    attachments = _attachments(document.get("attachments", []))
    _check_hand_signatures(state, attachments, reading.paths)
    _check_photos(state, attachments, reading.paths)
    return ParsedCaseFile(
        state,
        attachments,
        reviewers,
        reading.versions,
        reading.paths,
        document.get("time_zone"),
    )


def _check_people(
    state: model.CaseFile, reviewers: tuple[model.Reviewer, ...], paths: dict[str, str]
) -> None:
    """Every person a record names is a member of the file's team, and every member a reviewer
    the file carries: an unknown id is refused, never attributed to someone else."""
    reviewer_ids = {r.id for r in reviewers}
    everyone = (*state.members, *state.former_members)
    for member in everyone:
        if member.reviewer_id not in reviewer_ids:
            raise CaseFileError(
                f"{paths[member.id]}.reviewer_id",
                f"审查员 {member.reviewer_id} 不在文件的审查员名册（$.reviewers）中。",
                "person_on_team",
            )
    # A removed member's declaration, filings and signatures stay in the history; their acts
    # cannot (the rule: `case_integrity.strangers`, shared with sync).
    for person in strangers(state):
        raise CaseFileError(
            f"{paths[person.record_id]}.{person.field}",
            f"{person.member_id} 不是本案审查组的成员（$.members 中没有此 id）。",
            "person_on_team",
        )


def _check_one_result_per_item(state: model.CaseFile, paths: dict[str, str]) -> None:
    """A checklist item has one result: two for the same item are refused, naming both."""
    first: dict[str, str] = {}
    for result in state.results:
        if result.item_code in first:
            raise CaseFileError(
                paths[result.id],
                f"第 {result.item_code} 项有两条核查结果（{first[result.item_code]} 和 "
                f"{paths[result.id]}）；每项只能有一条。",
                "one_result_per_item",
            )
        first[result.item_code] = paths[result.id]


def _check_hand_signatures(
    state: model.CaseFile, attachments: tuple[AttachmentData, ...], paths: dict[str, str]
) -> None:
    """Each handwritten signature's image is a PNG the file carries, and a signer signs a
    document once: two signatures of one signer on one document are refused, naming both."""
    carried = {a.sha256: a for a in attachments}
    first: dict[tuple[str, str, str, str], str] = {}
    for signature in state.hand_signatures:
        path = paths[signature.id]
        image = carried.get(signature.image)
        if image is None:
            raise CaseFileError(
                f"{path}.image", "签名图像不在文件的附件（$.attachments）中。", "signature_image"
            )
        if image.media_type != "image/png":
            raise CaseFileError(
                f"{path}.image",
                f"签名图像须为 PNG，而附件是 {image.media_type}。",
                "signature_image",
            )
        key = signer_key(signature)
        if key in first:
            raise CaseFileError(
                path,
                f"同一签字人对同一文书有两个手写签名（{first[key]} 和 {path}）；"
                "每人每份文书只签一次。",
                "one_hand_signature",
            )
        first[key] = path


def _check_photos(
    state: model.CaseFile, attachments: tuple[AttachmentData, ...], paths: dict[str, str]
) -> None:
    """Each seal photo and piece of evidence the file carries is a JPEG or PNG that decodes
    (not a broken file, not a decompression bomb), as the app demands of a photo it takes."""
    from inspector_app.store.photos import PhotoError, photo_media_type

    carried = {a.sha256: a for a in attachments}
    named = [
        *(
            (f"{paths[r.id]}.evidence[{k}]", h)
            for r in state.results
            for k, h in enumerate(r.evidence)
        ),
        *((f"{paths[s.id]}.photo", s.photo) for s in state.seals if s.photo),
    ]
    checked: set[str] = set()
    for path, digest in named:
        photo = carried.get(digest)
        if photo is None or digest in checked:
            continue
        try:
            photo_media_type(photo.data, photo.original_name)
        except PhotoError as error:
            raise CaseFileError(path, str(error), "photo_readable") from error
        checked.add(digest)


def _attachments(items: list[dict[str, Any]]) -> tuple[AttachmentData, ...]:
    out = []
    for i, item in enumerate(items):
        path = f"$.attachments[{i}]"
        encoded = item["data_base64"]
        if len(encoded) * 3 // 4 > MAX_ATTACHMENT_BYTES + 3:
            raise CaseFileError(
                f"{path}.data_base64",
                f"附件 {item['original_name']} 约 {len(encoded) * 3 // 4 // (1024 * 1024)} MB，"
                f"超过单个附件 {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB 的上限；未导入任何内容。",
                "attachment_size",
            )
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError) as error:
            raise CaseFileError(f"{path}.data_base64", "不是有效的 base64 数据。") from error
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise CaseFileError(
                f"{path}.data_base64",
                f"附件 {item['original_name']} 超过单个附件 "
                f"{MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB 的上限；未导入任何内容。",
                "attachment_size",
            )
        if hashlib.sha256(data).hexdigest() != item["sha256"]:
            raise CaseFileError(
                f"{path}.sha256", "附件内容与其 SHA-256 不符（文件已损坏或被改动）。"
            )
        out.append(AttachmentData(item["sha256"], item["media_type"], item["original_name"], data))
    return tuple(out)
