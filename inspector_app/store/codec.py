"""Turning domain records into table rows and back."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar

from inspector_app.core import model
from inspector_app.labels import CONFLICT_RECORD_LABELS as RECORD_KIND_LABELS
from inspector_app.store.errors import damaged_record

T = TypeVar("T")

TABLE_OF: dict[type, str] = {
    model.Reviewer: "reviewer",
    model.Enterprise: "enterprise",
    model.Case: "review_case",
    model.TeamMember: "team_member",
    model.IntegrityDeclaration: "integrity_declaration",
    model.TeamFiling: "team_filing",
    model.ChecklistResult: "checklist_result",
    model.SampleRecord: "sample_record",
    model.Seal: "seal",
    model.FeedbackHandover: "feedback_handover",
    model.EnterpriseObjection: "enterprise_objection",
    model.Signature: "signature",
    model.SealedFeedback: "sealed_feedback",
    model.HandSignature: "hand_signature",
    model.Amendment: "amendment",
}

RECORD_ORDER: tuple[str, ...] = tuple(TABLE_OF.values())
"""The record tables in an order where each comes after those it refers to (sync applies and
publishes a case's records in it)."""


@cache
def field_types(cls: type) -> dict[str, Any]:
    """Return each field's type of a record class, with `X | None` unwrapped to X."""
    hints = typing.get_type_hints(cls)
    types_: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        if isinstance(hint, types.UnionType):
            hint = next(a for a in typing.get_args(hint) if a is not type(None))
        types_[f.name] = hint
    return types_


def to_value(value: Any) -> Any:
    """Return the plain (JSON and SQLite friendly) form of one field value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_value(v) for v in value]
    return value


def to_plain(record: Any) -> dict[str, Any]:
    """Return a record as a dict of plain values (enums, dates and tuples flattened)."""
    return {f.name: to_value(getattr(record, f.name)) for f in dataclasses.fields(record)}


def to_row(record: Any) -> dict[str, Any]:
    """Return a record as a table row (lists as JSON text, booleans as 0/1)."""
    row = to_plain(record)
    for name, value in row.items():
        if isinstance(value, list):
            row[name] = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, bool):
            row[name] = int(value)
    return row


def converter(kind: Any) -> Callable[[Any], Any]:
    """Return the function that turns a plain or row value into a field value of type `kind`."""
    if typing.get_origin(kind) is tuple:
        inner = converter(typing.get_args(kind)[0])

        def to_tuple(value: Any) -> tuple[Any, ...]:
            if value == "[]":  # most lists are empty: no JSON parser needed for them
                return ()
            items = json.loads(value) if isinstance(value, str) else value
            return tuple(inner(v) for v in items)

        return to_tuple
    if kind is datetime:
        return datetime.fromisoformat
    if kind is date:
        return date.fromisoformat
    if kind is bool:
        return bool
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind
    return _same


def _same(value: Any) -> Any:
    return value


def from_value(kind: Any, value: Any) -> Any:
    """Return one field value of type `kind` from its plain or row form."""
    return None if value is None else converter(kind)(value)


@cache
def _converters(cls: type) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    # Worked out once per record class: decoding rows is on the path of every save.
    return tuple((name, converter(kind)) for name, kind in field_types(cls).items())


def from_row(cls: type[T], row: dict[str, Any]) -> T:
    """Return a record of class `cls` from a table row or a plain dict (extra keys ignored).

    Raises:
        DamagedRecordError: a value cannot be read as its field's type (`converted`).
    """
    return cls(**converted(cls, row))


def converted(cls: type, row: dict[str, Any]) -> dict[str, Any]:
    """Return the values of `row` for the fields of `cls`, each read as its field's type
    (extra keys ignored, missing ones left out).

    Raises:
        DamagedRecordError: the first value that cannot be read (a date that is no date, a
            status the app does not know), with its record and field named.
    """
    values: dict[str, Any] = {}
    for name, convert in _converters(cls):
        if name in row:
            value = row[name]
            try:
                values[name] = None if value is None else convert(value)
            except (ValueError, TypeError, KeyError) as error:
                raise damaged_record(_named(cls, row), name, value) from error
    return values


def _named(cls: type, row: dict[str, Any]) -> str:
    """How a damaged row is named: its kind of record and its application number or id."""
    table = TABLE_OF.get(cls, cls.__name__)
    return (
        f"{RECORD_KIND_LABELS.get(table, table)} {row.get('application_no') or row.get('id', '')}"
    )
