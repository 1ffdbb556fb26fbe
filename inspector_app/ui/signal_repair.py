"""A repair for PySide6 6.12.0, whose `SignalInstance.emit()` returns `True` without a
reference of its own: each signal emitted from Python takes one reference from `True`, and once
a session has emitted some thousands of signals (a result recorded emits several) `True`'s
count reaches zero and Python aborts ("Fatal Python error: bool_dealloc"), at the latest when
the app quits. Found by the end-to-end review test (tests/e2e/test_full_review.py); 6.11
does not do it.

`repair_signal_emit()` measures whether the running PySide6 does it (a few emits of a private
signal) and only then wraps `emit` so that the result gets the reference it lacks.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from typing import Any

PROBES = 64
"""How many emits the measurement makes (noise from elsewhere is a few references at most)."""

_repaired = False
_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


def references_lost_per_emit() -> float:
    """Return how many references to `True` one emit from Python takes (0 when sound), and
    give back what the measurement took."""
    from PySide6.QtCore import QObject, Signal

    class Probe(QObject):
        fired = Signal()

    probe = Probe()
    before = sys.getrefcount(True)
    for _ in range(PROBES):
        probe.fired.emit()
    lost = before - sys.getrefcount(True)
    for _ in range(max(lost, 0)):
        _incref(True)
    return lost / PROBES


def _with_reference(emit: Callable[..., Any]) -> Callable[..., Any]:
    def repaired_emit(self: object, *args: object) -> Any:
        result = emit(self, *args)
        _incref(result)  # the reference emit() should have given its caller
        return result

    # Not `emit.__doc__`: reading a PySide6 docstring builds its signatures (some 50 ms).
    repaired_emit.__doc__ = "SignalInstance.emit, giving its result the reference it lacks."
    return repaired_emit


def repair_signal_emit() -> bool:
    """Wrap `SignalInstance.emit` when the running PySide6 loses a reference per emit (once);
    return whether it is (now) wrapped."""
    global _repaired
    if _repaired:
        return True
    if references_lost_per_emit() < 0.5:
        return False
    from PySide6.QtCore import SignalInstance

    SignalInstance.emit = _with_reference(SignalInstance.emit)  # type: ignore[method-assign]
    _repaired = True
    return True


# --- Recording within one frame (issue 7): None, True and False kept alive -------------------

SINGLETON_RESERVE = 1 << 40
"""References added to None, True and False when PySide6 loses theirs (as Python 3.12 makes
them immortal): more than any session can lose."""

_singletons_protected = False


def references_lost_per_void_call() -> float:
    """Return how many references to None one call of a C++ method returning nothing takes
    (PySide6 6.12.0 on Python 3.11: one per call — every `setText`, `clear`, `setVisible`, and
    every Python override returning None, such as a model's `data()`; 0 when sound)."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(PROBES):
        probe.setObjectName("probe")
    return (before - sys.getrefcount(None)) / PROBES


def protect_singletons() -> bool:
    """Keep None, True and False alive whatever PySide6 loses of their references; return
    whether they needed it (once per process).

    With the loss measured above, an app started at about 17,000 references to None aborted
    ("Fatal Python error: none_dealloc") after some 270 results recorded with their navigation.
    Python 3.12 and later never free these objects (PEP 683), so nothing is done there.
    """
    global _singletons_protected
    if _singletons_protected:
        return True
    if sys.version_info >= (3, 12) or references_lost_per_void_call() < 0.5:
        return False
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += SINGLETON_RESERVE
    _singletons_protected = True
    return True
