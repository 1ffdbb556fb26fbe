"""Reading stored rows back as records (store/codec.py): a value that cannot be read is
named with its record and field, as a storage problem a person can act on, not a bug."""

from __future__ import annotations

import pytest

from inspector_app.core.model import Case, SampleRecord
from inspector_app.store.codec import converted, from_row
from inspector_app.store.errors import DamagedRecordError, WorkspaceError


def _case_row() -> dict[str, object]:
    return {
        "id": "c1",
        "application_no": "XK06-2026-0101",
        "enterprise_id": "e1",
        "product": "电线电缆",
        "product_unit": "架空绞线",
        "form_id": "XK06-cable",
        "form_version": 1,
        "accepted_on": "2026-11-02",
        "review_date": "2026-11-10",
        "status": "accepted",
        "qualified_agencies": '["国家电线电缆质量检验检测中心"]',
        "review_started_at": None,
        "concluded_at": None,
    }


def test_a_sound_row_is_read_as_its_record() -> None:
    case = from_row(Case, _case_row())
    assert case.accepted_on.isoformat() == "2026-11-02"
    assert case.qualified_agencies == ("国家电线电缆质量检验检测中心",)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("accepted_on", "2026-13-45"),
        ("status", "no-such-status"),
        ("qualified_agencies", "[not json"),
        ("review_started_at", "yesterday"),
    ],
)
def test_a_value_that_cannot_be_read_names_its_record_and_field(field: str, value: str) -> None:
    row = {**_case_row(), field: value}
    with pytest.raises(DamagedRecordError) as raised:
        from_row(Case, row)
    message = str(raised.value)
    assert isinstance(raised.value, WorkspaceError)
    assert f"案件 XK06-2026-0101 的记录已损坏：字段 {field} 的值 {value!r}" in message
    assert "inspector audit verify" in message and "备份" in message
    with pytest.raises(DamagedRecordError):
        converted(Case, row)


def test_a_record_without_an_application_number_is_named_by_its_id() -> None:
    with pytest.raises(DamagedRecordError, match="s9 的记录已损坏：字段 sampled_at 的值"):
        converted(SampleRecord, {"id": "s9", "sampled_at": "不是时间"})
