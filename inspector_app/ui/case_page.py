"""The common start of a case window's step page: which case it shows, through which services,
and (for pages whose step can be blocked) the reason the domain gives for a blocked step.

Subclasses build their own widgets and `refresh()`; object names stay theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from inspector_app.app import Services
from inspector_app.core.case_steps import CaseStep, StepState
from inspector_app.store.casework import Change
from inspector_app.ui.page_parts import blocked_label, heading_label, run_step, show_refusal
from inspector_app.ui.qt import QLabel, QWidget, Signal


class CasePage(QWidget):
    """A step page of one case, named `object_name`.

    Emits `changed(Change)` after a step of the page stored something.
    """

    changed = Signal(object)

    def __init__(
        self, services: Services, case_id: str, object_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.services = services
        self.case_id = case_id

    def store(self, step: Callable[[], Change], problems: QLabel) -> bool:
        """Run one store step of the page. A refusal is shown in `problems` and nothing was
        written; else `problems` hides, the page refreshes and `changed` is emitted. Return
        whether it was stored."""
        change = run_step(step, partial(show_refusal, problems))
        if change is None:
            return False
        problems.setVisible(False)
        self.refresh()
        self.changed.emit(change)
        return True

    def refresh(self) -> None:
        """Read the case again and show it (each page its own)."""
        raise NotImplementedError


class BlockableCasePage(CasePage):
    """A step page with a bold heading and a red line saying why its step is blocked.

    `step_reason` is the case step's reason when blocked; `blocked_reason` is what `refresh()`
    decides from it and the case (it disables the page's form).
    """

    def __init__(
        self,
        services: Services,
        case_id: str,
        object_name: str,
        heading_name: str,
        blocked_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(services, case_id, object_name, parent)
        self.step_reason = ""
        self.blocked_reason = ""
        self.heading = heading_label(heading_name)
        self.blocked = blocked_label(blocked_name)

    def show_step(self, step: CaseStep) -> None:
        """Show the page as the step stands (a blocked step shows the domain's reason)."""
        self.step_reason = step.reason if step.state == StepState.BLOCKED else ""
        self.refresh()
