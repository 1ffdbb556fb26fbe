"""The window of one case: its alerts and deadline at the top, its steps (企业与申请 … 签字) on
the left, each done / blocked (with the domain's reason) / to do, and the page of the chosen
step. The team (审查组) and the on-site checklist (实地核查) have working pages so far."""

from __future__ import annotations

import html
from collections.abc import Callable

from inspector_app.app import Services
from inspector_app.core.case_steps import CaseStep, StepKey, StepState
from inspector_app.core.model import CaseStatus
from inspector_app.labels import (
    CASE_DEADLINE,
    CASE_HEADER,
    CASE_STEP_LABELS,
    CASE_WINDOW_TITLE,
    CLOSE_ACTION,
    NO_ALERTS,
    STATUS_LABELS,
    STEP_LINE,
    STEP_LIST_NAME,
    STEP_NOT_HERE_YET,
    STEP_STATE_LABELS,
)
from inspector_app.store.casework import Change
from inspector_app.ui.checklist import ChecklistPage
from inspector_app.ui.documents import DocumentsMenu
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.qt import (
    QAction,
    QBrush,
    QColor,
    QEvent,
    QKeySequence,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from inspector_app.ui.tasks import Runner
from inspector_app.ui.team_step import TeamStep

STATE_COLORS = {
    StepState.DONE: QColor(0, 110, 50),
    StepState.BLOCKED: QColor(130, 130, 130),
    StepState.TO_DO: QColor(0, 70, 160),
}


def step_text(step: CaseStep) -> str:
    """Return how the list of steps shows a step: its name and its state."""
    return tr_label(STEP_LINE).format(
        step=tr_label(CASE_STEP_LABELS[step.key.value]),
        state=tr_label(STEP_STATE_LABELS[step.state.value]),
    )


class CaseWindow(QMainWindow):
    """One case: alerts, deadline, its steps and the page of the chosen step.

    Args:
        services: The composition root's services.
        case_id: The case shown.
        parent: The main window (closed with it).
        make_runner: Gives the background runner for the 文书 menu (the main window's);
            None: the menu makes its own.
    """

    changed = Signal(object)
    """Emitted with each `Change` an edit in this window made (the case list refreshes)."""

    def __init__(
        self,
        services: Services,
        case_id: str,
        parent: QWidget | None = None,
        *,
        make_runner: Callable[[], Runner] | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.case_id = case_id
        self.setObjectName("caseWindow")

        self.header = QLabel()
        self.header.setObjectName("caseHeader")
        font = self.header.font()
        font.setBold(True)
        self.header.setFont(font)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.deadline = QLabel()
        self.deadline.setObjectName("deadline")
        self.alerts = QLabel()
        self.alerts.setObjectName("alerts")
        self.alerts.setWordWrap(True)

        self.steps = QListWidget()
        self.steps.setObjectName("stepList")
        self.steps.setAccessibleName(tr_label(STEP_LIST_NAME))
        self.pages = QStackedWidget()
        self.checklist: ChecklistPage | None = None
        self.team: TeamStep | None = None
        self.step_pages: dict[StepKey, QWidget] = {}
        self.step_states: dict[StepKey, CaseStep] = {}

        splitter = QSplitter()
        splitter.addWidget(self.steps)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 1100])

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.header)
        layout.addWidget(self.deadline)
        layout.addWidget(self.alerts)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(body)

        close = QAction(tr_label(CLOSE_ACTION), self)
        close.setShortcut(QKeySequence(QKeySequence.StandardKey.Close))
        close.triggered.connect(self.close)
        self.addAction(close)
        # 文书: build a document, the sign-off ceremony, an amendment (ui/documents.py).
        self.documents = DocumentsMenu(self, services, case_id, make_runner, self._changed)

        self._build_pages()
        self.refresh()
        self.steps.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.steps.setCurrentRow(list(StepKey).index(StepKey.ON_SITE))
        self.resize(1366, 768)

    def _build_pages(self) -> None:
        status = CaseStatus(self.services.queries.case_file(self.case_id).case.status)
        for key in StepKey:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key.value)
            self.steps.addItem(item)
            if key == StepKey.ON_SITE and status not in (
                CaseStatus.ACCEPTED,
                CaseStatus.TEAM_FILED,
            ):
                self.checklist = ChecklistPage(self.services, self.case_id)
                self.checklist.changed.connect(self._changed)
                page: QWidget = self.checklist
            elif key == StepKey.TEAM and status != CaseStatus.SIGNED_OFF:
                self.team = TeamStep(self.services, self.case_id)
                self.team.changed.connect(self._changed)
                page = self.team
            else:
                page = QLabel()
                page.setObjectName(f"step_{key.value}")
                page.setWordWrap(True)
                page.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                page.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.step_pages[key] = page
            self.pages.addWidget(page)

    def refresh(self) -> None:
        """Read the case's overview and steps again (after a change, or as time passes)."""
        overview = self.services.queries.case_overview(self.case_id)
        self.setWindowTitle(
            tr_label(CASE_WINDOW_TITLE).format(
                application_no=overview["application_no"], enterprise=overview["enterprise"]
            )
        )
        self.header.setText(
            tr_label(CASE_HEADER).format(
                application_no=overview["application_no"],
                enterprise=overview["enterprise"],
                product_unit=overview["product_unit"],
                status=tr_label(STATUS_LABELS[CaseStatus(overview["status"])]),
            )
        )
        self.deadline.setText(
            tr_label(CASE_DEADLINE).format(
                deadline=overview["onsite_deadline"], accepted=overview["accepted_on"]
            )
        )
        alerts = [str(alert) for alert in overview["alerts"]]
        self.alerts.setText("\n".join(f"⚠ {a}" for a in alerts) if alerts else tr_label(NO_ALERTS))
        self.alerts.setStyleSheet("color: #b00020;" if alerts else "color: #555;")
        for row, step in enumerate(self.services.queries.case_steps(self.case_id)):
            self.step_states[step.key] = step
            item = self.steps.item(row)
            item.setText(step_text(step))
            item.setToolTip(step.reason)
            item.setForeground(QBrush(STATE_COLORS[step.state]))
            page = self.step_pages[step.key]
            if isinstance(page, QLabel):
                lines = [f"<h3>{step_text(step)}</h3>"]
                if step.reason:
                    lines.append(f"<p>{html.escape(step.reason)}</p>")
                if step.key != StepKey.INTAKE:
                    lines.append(f"<p style='color:#777'>{tr_label(STEP_NOT_HERE_YET)}</p>")
                page.setText("".join(lines))

    def show_step(self, key: StepKey) -> None:
        """Show the page of one step."""
        self.steps.setCurrentRow(list(StepKey).index(key))

    def _changed(self, change: Change) -> None:
        self.refresh()
        self.changed.emit(change)

    def event(self, event: QEvent) -> bool:
        # Who is signed in may have changed in the main window meanwhile.
        if event.type() == QEvent.Type.WindowActivate and self.checklist is not None:
            self.checklist.update_access()
        return super().event(event)
