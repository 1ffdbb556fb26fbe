"""Undo and redo of the checklist's edits (结果、说明、照片、撤回评定).

An edit is remembered as what the item said before and after it. Undoing or redoing it never
touches the history: it writes one more version of the item's result through the store's
steps, by the signed-in member, now — the audit trail shows the undo as an act of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from inspector_app.core.checklist import NO_RESULT
from inspector_app.core.model import ChecklistResult
from inspector_app.ui.qt import QUndoCommand


@dataclass(frozen=True)
class ItemState:
    """What one checklist item says: its result (`NO_RESULT` for none), note and photos."""

    result: str = NO_RESULT
    note: str = ""
    evidence: tuple[str, ...] = ()

    @classmethod
    def of(cls, stored: ChecklistResult | None) -> ItemState:
        """Return what a stored result says (an item never recorded says nothing)."""
        if stored is None:
            return cls()
        return cls(stored.result, stored.note, stored.evidence)


Writer = Callable[[str, ItemState], str | None]
"""Writes an item's state through the store; returns None, or the reason it was refused."""

Refused = Callable[[str, str], None]
"""Shows that undoing or redoing an edit (named) was refused, and why."""


class ItemEdit(QUndoCommand):
    """One saved edit of one item, for the page's undo stack.

    The edit is already saved when it is pushed, so the first `redo` (QUndoStack.push calls
    it) writes nothing. A later undo or redo that the domain refuses (the review concluded
    meanwhile, say) makes the command obsolete, so the stack drops it, and says why.

    Args:
        code: The item's code.
        before: What the item said before the edit.
        after: What it says after.
        text: How the edit is named in the undo button's tooltip.
        write: Writes a state of the item through the store.
        refused: Shows a refusal.
    """

    def __init__(
        self,
        code: str,
        before: ItemState,
        after: ItemState,
        text: str,
        write: Writer,
        refused: Refused,
    ) -> None:
        super().__init__(text)
        self.code = code
        self.before = before
        self.after = after
        self._write = write
        self._refused = refused
        self._saved = True

    def redo(self) -> None:
        if self._saved:  # pushed after the edit was saved
            self._saved = False
            return
        self._apply(self.after)

    def undo(self) -> None:
        self._apply(self.before)

    def _apply(self, state: ItemState) -> None:
        reason = self._write(self.code, state)
        if reason is not None:
            self.setObsolete(True)
            self._refused(self.text(), reason)
