"""PySide6 6.12.0's `emit()` took a reference from `True` at each signal emitted from Python
(the app aborted after some thousands); the Qt door repairs it, and emits then keep the count."""

from __future__ import annotations

import sys

from inspector_app.ui.qt import QObject, Signal
from inspector_app.ui.signal_repair import references_lost_per_emit, repair_signal_emit


class _Sender(QObject):
    said = Signal(object)


def test_emitting_signals_leaves_the_count_of_true_unchanged() -> None:
    sender = _Sender()
    heard: list[object] = []
    sender.said.connect(heard.append)
    before = sys.getrefcount(True)
    for n in range(2000):
        assert sender.said.emit(n) is True
    assert len(heard) == 2000
    assert before - sys.getrefcount(True) < 50  # not 2000: no reference lost per emit


def test_after_the_repair_no_reference_is_lost_and_repairing_again_changes_nothing() -> None:
    repair_signal_emit()
    assert references_lost_per_emit() < 0.5
    emit = type(_Sender().said).emit
    repair_signal_emit()
    assert type(_Sender().said).emit is emit


def test_none_outlives_the_references_pyside_loses_in_a_long_session() -> None:
    from inspector_app.ui.signal_repair import protect_singletons, references_lost_per_void_call

    protect_singletons()  # done by the Qt door at the first Qt name; harmless again
    probe = QObject()
    before = sys.getrefcount(None)
    for n in range(40_000):  # more than None had at the start of the app
        probe.setObjectName(str(n % 7))
    lost = before - sys.getrefcount(None)
    assert lost < 50 or references_lost_per_void_call() > 0.5  # sound, or the loss is real …
    assert sys.getrefcount(None) > 1_000_000 or lost < 50  # … and None outlives it
