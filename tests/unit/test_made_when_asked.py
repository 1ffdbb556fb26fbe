"""A sequence whose items are made when first asked for (inspector_app/made_when_asked.py)."""

from __future__ import annotations

import pytest

from inspector_app.made_when_asked import MadeWhenAsked


def test_an_item_is_made_when_first_asked_for_then_kept() -> None:
    made: list[int] = []

    def make(index: int) -> list[int]:
        made.append(index)
        return [index * 10]

    items = MadeWhenAsked(5, make)
    assert len(items) == 5 and made == []
    first = items[1]
    assert first == [10] and items[1] is first and made == [1]
    assert items[-1] == [40] and made == [1, 4]  # from the end, as a list counts
    assert items[1:3] == [[10], [20]] and made == [1, 4, 2]
    with pytest.raises(IndexError):
        items[5]
    with pytest.raises(IndexError):
        items[-6]
    assert made == [1, 4, 2]


def test_it_equals_a_sequence_of_equal_items_as_a_list_does() -> None:
    items = MadeWhenAsked(3, lambda index: "abc"[index])
    assert items == ["a", "b", "c"] and ["a", "b", "c"] == items  # noqa: SIM300 (reflected)
    assert items == ("a", "b", "c")
    assert items != ["a", "b"] and items != ["a", "b", "x"]
    assert items != "abc"  # a string is not a sequence of rows
    assert list(items) == ["a", "b", "c"] and "b" in items
