"""A sequence whose items are made when first asked for, then kept."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar, overload

T = TypeVar("T")


class MadeWhenAsked(Sequence[T]):
    """A sequence of `length` items, the item at an index made by `make(index)` the first time
    it is asked for, then kept (a list of a thousand cases paints some twenty of them).

    Equal to any sequence of equal items, as a list is.
    """

    __slots__ = ("_items", "_make")

    def __init__(self, length: int, make: Callable[[int], T]) -> None:
        self._items: list[T | None] = [None] * length
        self._make = make

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[n] for n in range(*index.indices(len(self)))]
        index = range(len(self._items))[index]  # a negative index from the end; IndexError
        item = self._items[index]
        if item is None:
            item = self._items[index] = self._make(index)
        return item

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # compared by content, as a list is
