"""Reading a case file: bytes → checked JSON → domain records, with the JSON path of any fault."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from inspector_app.casefile import FORMAT
from inspector_app.core import model
from inspector_app.safejson import JsonRefused, load_json
from inspector_app.store.codec import field_types, from_value

MAX_FILE_BYTES = 256 * 1024 * 1024
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
    """A case file read and checked, ready to replay."""

    state: model.CaseFile
    attachments: tuple[AttachmentData, ...]


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
        raise CaseFileError(
            "$.format",
            f"不支持的格式版本 {document.get('format')!r}；本程序读取 {FORMAT!r}。",
            "format_version",
        )
    validator = jsonschema.Draft202012Validator(case_schema())
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


def _record(cls: type, data: dict[str, Any], path: str, **extra: Any) -> Any:
    values = {**data, **extra}
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


def parse_case_file(raw: bytes) -> ParsedCaseFile:
    """Return the case file's records and attachments, or raise CaseFileError with its path."""
    document = decode_json(raw)
    check_schema(document)
    case_id = document["case"]["id"]
    seen: dict[str, str] = {}

    def claim(record_id: str, path: str) -> None:
        if record_id in seen:
            raise CaseFileError(f"{path}.id", f"重复的 id {record_id}（已用于 {seen[record_id]}）")
        seen[record_id] = path

    def many(key: str, cls: type) -> tuple[Any, ...]:
        out = []
        for i, item in enumerate(document.get(key, [])):
            path = f"$.{key}[{i}]"
            claim(item["id"], path)
            out.append(_record(cls, item, path, case_id=case_id))
        return tuple(out)

    claim(document["enterprise"]["id"], "$.enterprise")
    claim(case_id, "$.case")
    enterprise = _record(model.Enterprise, document["enterprise"], "$.enterprise")
    if document["case"]["enterprise_id"] != enterprise.id:
        raise CaseFileError("$.case.enterprise_id", "与 $.enterprise.id 不一致。")
    case = _record(model.Case, document["case"], "$.case")
    samples, seals = [], []
    for i, item in enumerate(document.get("samples", [])):
        path = f"$.samples[{i}]"
        claim(item["id"], path)
        body = {k: v for k, v in item.items() if k != "seals"}
        samples.append(_record(model.SampleRecord, body, path, case_id=case_id))
        for j, seal in enumerate(item.get("seals", [])):
            claim(seal["id"], f"{path}.seals[{j}]")
            seals.append(
                _record(
                    model.Seal, seal, f"{path}.seals[{j}]", case_id=case_id, sample_id=item["id"]
                )
            )
    state = model.CaseFile(
        case=case,
        enterprise=enterprise,
        members=many("members", model.TeamMember),
        declarations=many("declarations", model.IntegrityDeclaration),
        filings=many("filings", model.TeamFiling),
        results=many("results", model.ChecklistResult),
        samples=tuple(samples),
        seals=tuple(seals),
        handovers=many("handovers", model.FeedbackHandover),
        objections=many("objections", model.EnterpriseObjection),
        signatures=many("signatures", model.Signature),
    )
    return ParsedCaseFile(state, _attachments(document.get("attachments", [])))


def _attachments(items: list[dict[str, Any]]) -> tuple[AttachmentData, ...]:
    out = []
    for i, item in enumerate(items):
        path = f"$.attachments[{i}]"
        try:
            data = base64.b64decode(item["data_base64"], validate=True)
        except (binascii.Error, ValueError) as error:
            raise CaseFileError(f"{path}.data_base64", "不是有效的 base64 数据。") from error
        if hashlib.sha256(data).hexdigest() != item["sha256"]:
            raise CaseFileError(
                f"{path}.sha256", "附件内容与其 SHA-256 不符（文件已损坏或被改动）。"
            )
        out.append(AttachmentData(item["sha256"], item["media_type"], item["original_name"], data))
    return tuple(out)
