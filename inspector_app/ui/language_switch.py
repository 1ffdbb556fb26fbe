"""Switching the UI's language while the app runs (设置 → 语言), keeping the person's place.

Every label is translated when its widget is built (`tr_label`), so a new language shows by
building the windows again: the switch installs the new translator (the app's labels and Qt's
own words, such as the standard buttons), builds a new main window, opens again every case
window that was open, and then closes the old ones. What the person was doing stays where it
was:

- the case list: the search, the status filter, "mine", "urgent first", the column sorted by
  and its direction, the selected case; the window's size and place;
- each case window: the step shown and, on the checklist, the item shown and the filter; its
  size and place; the checklist's undo history (Ctrl+Z undoes what was done before the switch,
  each edit named in the new language);
- what was typed and not yet recorded (a sampling record half filled with its seals, an
  opinion, a representative's name, a signature drawn on the pad) goes into the same field of
  the rebuilt window; a checklist note being typed is saved first, as leaving the field does;
- the sync panel: the passphrase's session of this run and whether the office was reachable;
  the background runner (and its worker's connection) is the same one.

What it does not rebuild:

- an open dialog (a new case half filled, a confirmation, the conflicts view, a photo): the
  settings refuse the switch and keep nothing, naming each such dialog (`switch_blockers`),
  until it is finished or closed. The settings open from the main window only (window-modal
  over it), so no dialog of the main window can be open then, but the case windows' can.
- background work (a sync, an import, photos being stored, a document being built) delivers
  its outcome to the widget that asked for it: the switch waits until the runner is idle,
  saying so in the status bar, and re-checks the dialogs then.

Should the rebuilt windows have no place for something typed (they are built by the same code
from the same store, so this is not expected), the switch is undone: the old windows stay, in
the old language, and the person is told what could not be carried over.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from inspector_app.labels import (
    LANGUAGE_DIALOG_IN,
    LANGUAGE_NOT_SWITCHED,
    LANGUAGE_SWITCH_WAITING,
    LANGUAGE_SWITCHED,
    LANGUAGE_UNCARRIED,
    LIST_JOIN,
)
from inspector_app.ui.i18n import install_translator, shown_language, tr_label
from inspector_app.ui.qt import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QLineEdit,
    QObject,
    QPlainTextEdit,
    QRadioButton,
    Qt,
    QTimer,
    QTreeView,
    QWidget,
    Signal,
)
from inspector_app.ui.seal_list import SealList
from inspector_app.ui.signature_pad import SignaturePad

if TYPE_CHECKING:
    from inspector_app.ui.case_window import CaseWindow
    from inspector_app.ui.main_window import MainWindow

POLL_MS = 100
"""How often a switch waiting for background work looks again."""

INPUTS = (QLineEdit, QPlainTextEdit, QComboBox, QDateTimeEdit, QCheckBox, QRadioButton)
"""The widgets a person types or picks in, whose value the rebuilt window takes over."""


class NotCarried(Exception):
    """The rebuilt windows have no place for something typed; the switch is undone."""

    def __init__(self, what: list[str]) -> None:
        super().__init__(tr_label(LIST_JOIN).join(what))
        self.what = what


# What blocks a switch ---------------------------------------------------------------------------


def switch_blockers(besides: QWidget | None = None) -> list[str]:
    """Return the open dialogs a rebuild would close, each named with its window (empty: the
    windows can be rebuilt now). `besides` is the dialog asking (the settings)."""
    found = []
    for widget in QApplication.topLevelWidgets():
        if not isinstance(widget, QDialog) or widget is besides or not widget.isVisible():
            continue
        owner = widget.parentWidget()
        title = widget.windowTitle() or widget.accessibleName() or widget.objectName()
        where = owner.window().windowTitle() if owner is not None else ""
        found.append(tr_label(LANGUAGE_DIALOG_IN).format(window=where, dialog=title))
    return found


# What was typed ---------------------------------------------------------------------------------


def _path(window: QWidget, widget: QWidget) -> str:
    """Name where `widget` sits in `window`: its ancestors' object names (or classes)."""
    parts = []
    current: QWidget | None = widget
    while current is not None and current is not window:
        parts.append(current.objectName() or type(current).__name__)
        current = current.parentWidget()
    return "/".join(reversed(parts))


def typed_inputs(window: QWidget) -> dict[str, list[QWidget]]:
    """Return the inputs of `window` itself (not of its dialogs or child windows), by where
    they sit, each place's in the order they were built."""
    found: dict[str, list[QWidget]] = {}
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, INPUTS) or widget.window() is not window:
            continue
        if isinstance(widget.parentWidget(), (QComboBox, QDateTimeEdit)):
            continue  # the line edit inside a combo box or a date field: the field says it
        if isinstance(widget, (QLineEdit, QPlainTextEdit)) and widget.isReadOnly():
            continue
        found.setdefault(_path(window, widget), []).append(widget)
    return found


def _value(widget: QWidget) -> object:
    """Return what an input holds, comparable between the old window and the new."""
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        # Not the text of a fixed list: it is in the old language.
        return widget.currentText() if widget.isEditable() else widget.currentIndex()
    if isinstance(widget, QDateTimeEdit):
        return widget.dateTime()
    assert isinstance(widget, (QCheckBox, QRadioButton))
    return widget.isChecked()


def _set_value(widget: QWidget, value: object) -> None:
    if isinstance(widget, QLineEdit):
        widget.setText(str(value))
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(str(value))
    elif isinstance(widget, QComboBox) and widget.isEditable():
        widget.setCurrentText(str(value))
    elif isinstance(widget, QComboBox):
        assert isinstance(value, int)
        widget.setCurrentIndex(value)
    elif isinstance(widget, QDateTimeEdit):
        widget.setDateTime(value)  # type: ignore[arg-type]
    elif isinstance(widget, (QCheckBox, QRadioButton)):
        widget.setChecked(bool(value))


def _holds_something(widget: QWidget) -> bool:
    value = _value(widget)
    return value is True or (isinstance(value, str) and bool(value.strip()))


def _name(widget: QWidget) -> str:
    return widget.accessibleName() or widget.objectName() or type(widget).__name__


def carry_typed(old: QWidget, new: QWidget) -> list[str]:
    """Put into each input of `new` what the same input of `old` holds, where it differs (the
    new window shows what is stored; the old one also what was typed and not yet recorded).

    Returns the names of the inputs of `old` holding something that `new` has no place for.
    """
    theirs = typed_inputs(new)
    lost = []
    for place, widgets in typed_inputs(old).items():
        targets = theirs.get(place, [])
        for number, widget in enumerate(widgets):
            target = targets[number] if number < len(targets) else None
            if target is not None and type(target) is type(widget):
                value = _value(widget)
                if _value(target) != value:
                    _set_value(target, value)
            elif _holds_something(widget):
                lost.append(_name(widget))
    return lost


def _own(window: QWidget, kind: type[QWidget]) -> list[QWidget]:
    return [w for w in window.findChildren(kind) if w.window() is window]


def carry_drawn(old: QWidget, new: QWidget) -> list[str]:
    """Carry over what a form holds beside its fields: signatures drawn and not yet saved,
    seals added to a sampling record not yet saved. Returns what `new` has no place for."""
    lost = []
    new_pads = _own(new, SignaturePad)
    for number, pad in enumerate(_own(old, SignaturePad)):
        assert isinstance(pad, SignaturePad)
        if pad.is_blank():
            continue
        if number < len(new_pads):
            target = new_pads[number]
            assert isinstance(target, SignaturePad)
            target.set_strokes(pad.strokes())
        else:
            lost.append(_name(pad))
    new_lists = [s for s in _own(new, SealList) if isinstance(s, SealList) and s.editable]
    old_lists = [s for s in _own(old, SealList) if isinstance(s, SealList) and s.editable]
    for number, seals in enumerate(old_lists):
        if not seals.rows:
            continue
        if number < len(new_lists) and not new_lists[number].rows:
            for seal_no, photo in seals.seals():
                new_lists[number].add_seal(seal_no, photo)
        else:
            lost.append(_name(seals))
    return lost


def _counterpart(old: QWidget, new: QWidget, widget: QWidget) -> QWidget | None:
    """Return the widget of `new` that sits where `widget` sits in `old`, or None."""
    place = _path(old, widget)
    kind = type(widget)
    mine = [w for w in _own(old, kind) if type(w) is kind and _path(old, w) == place]
    theirs = [w for w in _own(new, kind) if type(w) is kind and _path(new, w) == place]
    number = next((n for n, w in enumerate(mine) if w is widget), None)
    return theirs[number] if number is not None and number < len(theirs) else None


def carry_current_rows(old: QWidget, new: QWidget) -> None:
    """Put the current row of each flat list or table of `new` where it is in `old` (the
    member chosen in the team, the signature line chosen, …)."""
    for view in _own(old, QAbstractItemView):
        assert isinstance(view, QAbstractItemView)
        index = view.currentIndex()
        if isinstance(view, QTreeView) or not index.isValid() or index.parent().isValid():
            continue
        target = _counterpart(old, new, view)
        if not isinstance(target, QAbstractItemView) or target.model() is None:
            continue
        same = target.model().index(index.row(), index.column())
        if same.isValid() and target.currentIndex() != same:
            target.setCurrentIndex(same)


def carry_focus(old: QWidget, new: QWidget) -> None:
    """Give the keyboard focus to the widget of `new` that had it in `old`."""
    focused = old.focusWidget()
    target = _counterpart(old, new, focused) if focused is not None else None
    if target is not None:
        target.setFocus(Qt.FocusReason.OtherFocusReason)


# Where the person was ---------------------------------------------------------------------------


def keep_geometry(old: QWidget, new: QWidget) -> None:
    """Give `new` the place, size and state (maximized, …) of `old`."""
    new.restoreGeometry(old.saveGeometry())
    if not (old.isMaximized() or old.isFullScreen()):
        new.resize(old.size())  # as it was, even where Qt would fit it to the screen first


def keep_list_place(old: MainWindow, new: MainWindow) -> list[str]:
    """Show the case list of `new` as `old` shows it: search, filters, sorting, selection,
    size and place. Returns what typed could not be carried over (see `carry_typed`)."""
    keep_geometry(old, new)
    lost = carry_typed(old, new)  # the search, the status filter, "mine", "urgent first"
    header = old.table.horizontalHeader()
    column = header.sortIndicatorSection()
    if 0 <= column < new.model.columnCount():
        new.table.sortByColumn(column, header.sortIndicatorOrder())
    selected = old.selected_case_id()
    if selected is not None:
        new.select_case(selected)
    carry_focus(old, new)
    return lost


def keep_case_place(old: CaseWindow, new: CaseWindow) -> list[str]:
    """Show `new` as `old` shows it: the same step, the same checklist item, what was typed;
    size and place. Returns what could not be carried over."""
    keep_geometry(old, new)
    new.steps.setCurrentRow(old.steps.currentRow())
    code = old.checklist.current_code if old.checklist is not None else None
    if new.checklist is not None and code is not None:
        # Before the note is carried over: it belongs to this item.
        new.checklist.select_code(code)
    lost = carry_drawn(old, new) + carry_typed(old, new)
    carry_current_rows(old, new)  # the step list among them: the same step
    if new.checklist is not None and code is not None and new.checklist.current_code != code:
        new.checklist.select_code(code)  # the filter carried over hid it: the place wins
    carry_focus(old, new)
    return lost


def keep_undo_history(old: CaseWindow, new: CaseWindow) -> None:
    """Give the checklist of `new` the undo history of the checklist of `old` (the same
    case): it is not read again from the store, it is the same history, carried on."""
    if old.checklist is not None and new.checklist is not None:
        new.checklist.take_history(old.checklist)


# The switch -------------------------------------------------------------------------------------


def rebuild_windows(old: MainWindow, language: str) -> MainWindow:
    """Show the app in `language`: a new main window and case windows in the place of the
    old ones, which are closed; return the new main window.

    Raises:
        NotCarried: something typed has no place in the rebuilt windows. The old windows are
            then left as they were, in the language they showed.
    """
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = shown_language(app)
    runner = old.runner  # one runner, one worker connection; `old.stop_background` still works
    cases = list(old.case_windows.values())
    for window in cases:
        if window.checklist is not None:
            window.checklist.save_pending()
    install_translator(app, language)
    from inspector_app.ui.main_window import MainWindow

    new: MainWindow | None = None
    try:
        new = MainWindow(
            old.services,
            lambda: runner,
            workspace_label=old.workspace_label,
            preferences=old.preferences,
        )
        lost = keep_list_place(old, new)
        new.sync_panel.take_over(old.sync_panel)
        pairs = []
        for window in cases:
            rebuilt = new.open_case(window.case_id)
            pairs.append((window, rebuilt))
            lost += [
                tr_label(LANGUAGE_UNCARRIED).format(window=window.windowTitle(), fields=field)
                for field in keep_case_place(window, rebuilt)
            ]
        if lost:
            raise NotCarried(lost)
        for window, rebuilt in pairs:  # only now: a switch undone leaves the history in place
            keep_undo_history(window, rebuilt)
    except BaseException:
        if new is not None:
            _close(new)
        install_translator(app, before)
        raise
    new.show()
    for window in cases:
        window.close()  # each deletes itself on close
    _close(old)
    new.raise_()
    new.activateWindow()
    new.statusBar().showMessage(tr_label(LANGUAGE_SWITCHED))
    return new


def _close(main: MainWindow) -> None:
    for window in list(main.case_windows.values()):
        window.close()
    main.close()
    main.deleteLater()


class LanguageSwitch(QObject):
    """One switch of the UI's language, asked for in the settings of `main`: it waits for the
    background work to end, then rebuilds the windows (`rebuild_windows`).

    Emits `finished(window)` with the main window shown afterwards: the new one, or `main`
    when the windows were not rebuilt (the person is told why), or None when `main` was closed
    meanwhile.
    """

    finished = Signal(object)

    def __init__(self, main: MainWindow, language: str, *, poll_ms: int = POLL_MS) -> None:
        super().__init__(QApplication.instance())  # outlives the window it replaces
        self.main = main
        self.language = language
        self.result: MainWindow | None = None
        self._poll_ms = poll_ms
        self._pending = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._try)

    @property
    def pending(self) -> bool:
        """True from `start` until the switch has happened or given up (a Python flag: the
        object is deleted once it has ended)."""
        return self._pending

    def start(self) -> None:
        """Switch on the next turn of the event loop (the settings have closed by then), or as
        soon as the background work has ended."""
        self._pending = True
        self.timer.start(0)

    def _try(self) -> None:
        try:
            alive = self.main.isVisible()
        except RuntimeError:  # the window is gone
            alive = False
        if not alive:
            self._end(None)
            return
        if self.main.runner.busy:
            if self.timer.interval() == 0:
                self.main.statusBar().showMessage(tr_label(LANGUAGE_SWITCH_WAITING))
                self.timer.setInterval(self._poll_ms)
            return
        self.timer.stop()
        blockers = switch_blockers()  # a dialog opened while the work went on
        if blockers:
            self._refused(tr_label(LIST_JOIN).join(blockers))
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # about a second
        try:
            new = rebuild_windows(self.main, self.language)
        except NotCarried as error:
            self._refused(str(error))
            return
        except Exception:
            self._end(self.main)  # a bug: the old windows stay, the error report says it
            raise
        finally:
            QApplication.restoreOverrideCursor()
        self._end(new)

    def _refused(self, what: str) -> None:
        self.main.show_problem(tr_label(LANGUAGE_NOT_SWITCHED).format(what=what))
        self._end(self.main)

    def _end(self, window: MainWindow | None) -> None:
        self._pending = False
        self.timer.stop()
        self.result = window
        self.finished.emit(window)
        self.deleteLater()
