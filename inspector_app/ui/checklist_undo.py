"""Undo and redo of the checklist's edits (结果、说明、照片、撤回评定).

An edit is remembered as what the item said before and after it. Undoing or redoing it never
touches the history: it writes one more version of the item's result through the store's
steps, by the signed-in member, now — the audit trail shows the undo as an act of its own.

The history (`EditHistory`) belongs to the case's checklist, not to one page showing it: when
the windows are rebuilt in another language, the new page takes the old page's history over
(`ChecklistPage.take_history`) and names its edits in the new language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from inspector_app.core.checklist import NO_RESULT
from inspector_app.core.model import ChecklistResult
from inspector_app.labels import RESULT_LABELS
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.qt import QObject, QUndoCommand, QUndoStack


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


@dataclass(frozen=True)
class EditName:
    """How an edit is named (in the undo button's tooltip), kept untranslated so that the
    name follows the UI's language.

    Attributes:
        template: The label naming the kind of edit (`EDIT_RESULT`, `EDIT_NOTE`, …).
        code: The item's code.
        result: The result recorded (`EDIT_RESULT` only), as stored.
    """

    template: str
    code: str
    result: str = ""

    def shown(self) -> str:
        """Return the name in the UI's language now."""
        result = tr_label(RESULT_LABELS.get(self.result, self.result)) if self.result else ""
        return tr_label(self.template).format(code=self.code, result=result)


def _no_page(_code: str, _state: ItemState) -> str | None:
    raise RuntimeError("the checklist's history serves no page")  # a bug: see EditHistory


class EditHistory(QUndoStack):
    """The undo history of one case's checklist: its saved edits, in order.

    Its edits write through the page it serves (`serve`): the page that made them, or the
    page rebuilt in its place in another language, which takes the history over.

    Args:
        parent: The page that owns it now.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._write: Writer = _no_page
        self._refused: Refused = lambda _text, _reason: None

    def serve(self, write: Writer, refused: Refused) -> None:
        """Write the edits undone or redone from now on with `write`; show refusals with
        `refused`."""
        self._write = write
        self._refused = refused

    def write(self, code: str, state: ItemState) -> str | None:
        """Write a state of an item through the page served (see `Writer`)."""
        return self._write(code, state)

    def refused(self, text: str, reason: str) -> None:
        """Show on the page served that undoing or redoing the edit `text` was refused."""
        self._refused(text, reason)

    def edits(self) -> list[ItemEdit]:
        """Return the edits held, oldest first (those undone included)."""
        found = [self.command(number) for number in range(self.count())]
        return [edit for edit in found if isinstance(edit, ItemEdit)]

    def retranslate(self) -> None:
        """Name every edit in the UI's language now (after a switch of language)."""
        for edit in self.edits():
            edit.setText(edit.name.shown())


class ItemEdit(QUndoCommand):
    """One saved edit of one item, for the page's undo stack.

    The edit is already saved when it is pushed, so the first `redo` (QUndoStack.push calls
    it) writes nothing. A later undo or redo that the domain refuses (the review concluded
    meanwhile, say) makes the command obsolete, so the stack drops it, and says why.

    Args:
        code: The item's code.
        before: What the item said before the edit.
        after: What it says after.
        name: How the edit is named in the undo button's tooltip.
        history: The history it is pushed on, which writes it through the page it serves.
    """

    def __init__(
        self,
        code: str,
        before: ItemState,
        after: ItemState,
        name: EditName,
        history: EditHistory,
    ) -> None:
        super().__init__(name.shown())
        self.code = code
        self.before = before
        self.after = after
        self.name = name
        self._history = history
        self._saved = True

    def redo(self) -> None:
        if self._saved:  # pushed after the edit was saved
            self._saved = False
            return
        self._apply(self.after)

    def undo(self) -> None:
        self._apply(self.before)

    def _apply(self, state: ItemState) -> None:
        reason = self._history.write(self.code, state)
        if reason is not None:
            self.setObsolete(True)
            self._history.refused(self.text(), reason)
