"""The window of one case: its alerts and deadline at the top, its steps (企业与申请 … 签字) on
the left, each done / blocked (with the domain's reason) / to do, and the page of the chosen
step. Every step has its page: the enterprise (企业与申请), team (审查组), feedback form (反馈表),
on-site checklist (实地核查), sampling (抽样封样), enterprise opinion (企业意见) and
signatures (签字)."""

from __future__ import annotations

import html
from collections.abc import Callable

from inspector_app.app import Services
from inspector_app.core.case_steps import CaseStep, StepKey, StepState, case_steps
from inspector_app.core.model import CaseFile, CaseStatus
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
from inspector_app.ui.enterprise_step import EnterpriseStep
from inspector_app.ui.feedback_step import FeedbackStep
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.opinion_step import OpinionStep
from inspector_app.ui.page_parts import heading_label, wrapping_label
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
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from inspector_app.ui.sampling_step import SamplingStep
from inspector_app.ui.signatures_step import SignaturesStep
from inspector_app.ui.sizing import fit_list_width
from inspector_app.ui.start_review import StartReviewPage
from inspector_app.ui.tasks import ImmediateRunner, Runner
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
        runner: Returns the background runner (the main window's; photos are stored on it);
            without one, such work runs at once on the UI thread (`ImmediateRunner`).
    """

    changed = Signal(object)
    """Emitted with each `Change` an edit in this window made (the case list refreshes)."""

    def __init__(
        self,
        services: Services,
        case_id: str,
        parent: QWidget | None = None,
        *,
        runner: Callable[[], Runner] | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.case_id = case_id
        self.runner = runner or (lambda: ImmediateRunner(services.workspace))
        self.background = runner is not None  # the app: edits are confirmed on disk off the UI
        self.setObjectName("caseWindow")

        self.header = heading_label("caseHeader")
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.deadline = QLabel()
        self.deadline.setObjectName("deadline")
        self.alerts = wrapping_label("alerts")

        self.steps = QListWidget()
        self.steps.setObjectName("stepList")
        self.steps.setAccessibleName(tr_label(STEP_LIST_NAME))
        self.pages = QStackedWidget()
        self.checklist: ChecklistPage | None = None
        self.team: TeamStep | None = None
        self.sampling: SamplingStep | None = None
        self.signatures: SignaturesStep | None = None
        self.start_review: StartReviewPage | None = None
        self.step_pages: dict[StepKey, QWidget] = {}
        self.step_states: dict[StepKey, CaseStep] = {}
        self.shown_for = services.user
        """Who was signed in when the pages were last set up for them (see `event`)."""

        splitter = QSplitter()
        splitter.addWidget(self.steps)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)

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
        self.documents = DocumentsMenu(self, services, case_id, runner, self._changed)

        self.refresh(self._build_pages())
        # The step list as wide as its widest step (fit_list_width), the page gets the rest.
        splitter.setSizes([self.steps.minimumWidth(), 1100])
        if self.signatures is not None:  # the leader's 签发… also at the foot of the 签字 step
            sign_off = QToolButton()
            sign_off.setObjectName("signOffButton")
            sign_off.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            sign_off.setDefaultAction(self.documents.sign_off_action)  # its state and reason
            self.signatures.add_sign_off_widget(sign_off)
        self.steps.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.steps.setCurrentRow(list(StepKey).index(StepKey.ON_SITE))
        self.resize(1366, 768)

    def _build_pages(self) -> CaseFile:
        """Build the page of each step; return the case as read for them."""
        state = self.services.queries.case_file(self.case_id)
        status = CaseStatus(state.case.status)
        for key in StepKey:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key.value)
            self.steps.addItem(item)
            if key == StepKey.ON_SITE and status not in (
                CaseStatus.ACCEPTED,
                CaseStatus.TEAM_FILED,
            ):
                self.checklist = self._new_checklist(state)
                page: QWidget = self.checklist
            elif key == StepKey.ON_SITE:
                self.start_review = StartReviewPage(self.services, self.case_id)
                self.start_review.changed.connect(self._changed)
                page = self.start_review
            elif key == StepKey.TEAM and status != CaseStatus.SIGNED_OFF:
                self.team = TeamStep(self.services, self.case_id)
                self.team.changed.connect(self._changed)
                page = self.team
            elif key == StepKey.SAMPLING:
                self.sampling = SamplingStep(self.services, self.case_id, self.runner)
                self.sampling.changed.connect(self._changed)
                page = self.sampling
            elif key == StepKey.SIGN_OFF:
                self.signatures = SignaturesStep(self.services, self.case_id)
                self.signatures.changed.connect(self._changed)
                page = self.signatures
            elif key == StepKey.INTAKE:
                page = EnterpriseStep(self.services, self.case_id)
            elif key in (StepKey.FEEDBACK, StepKey.OBJECTION):
                form_page = (FeedbackStep if key == StepKey.FEEDBACK else OpinionStep)(
                    self.services, self.case_id
                )
                form_page.changed.connect(self._changed)
                page = form_page
            else:
                page = QLabel()
                page.setObjectName(f"step_{key.value}")
                page.setWordWrap(True)
                page.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                page.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.step_pages[key] = page
            self.pages.addWidget(page)
        return state

    def refresh(self, state: CaseFile | None = None) -> None:
        """Read the case's overview and steps again (after a change, or as time passes);
        `state` is the case just read, when the caller has it (opening the window)."""
        self.documents.update_actions()
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
        queries = self.services.queries
        steps = (
            case_steps(state, queries.today(), queries.calendar)
            if state is not None
            else queries.case_steps(self.case_id)
        )
        for row, step in enumerate(steps):
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
            elif isinstance(page, (EnterpriseStep, FeedbackStep, OpinionStep, StartReviewPage)):
                page.show_step(step)
        fit_list_width(self.steps)  # the whole of each step's name and state, at any scale

    def show_step(self, key: StepKey) -> None:
        """Show the page of one step."""
        self.steps.setCurrentRow(list(StepKey).index(key))

    def _changed(self, change: Change) -> None:
        # The header, alerts and steps follow the case, its team and its acts, never a single
        # result: recording one (at every key) reads nothing more.
        if change.only_checklist_results():
            self.changed.emit(change)
            return
        sampling_before = self.step_states.get(StepKey.SAMPLING)
        self._show_checklist_once_started()
        self.refresh()
        if self.sampling is not None and self.step_states.get(StepKey.SAMPLING) != sampling_before:
            self.sampling.refresh()  # e.g. a pass on the checklist unlocks sampling
        self.changed.emit(change)

    def _new_checklist(self, state: CaseFile) -> ChecklistPage:
        """Build the case's checklist page from `state` (the case as just read)."""
        page = ChecklistPage(
            self.services,
            self.case_id,
            runner=self.runner,
            state=state,
            background_flush=self.background,
        )
        page.changed.connect(self._changed)
        return page

    def _show_checklist_once_started(self) -> None:
        """Once the on-site review started, put the checklist in place of the start page."""
        if self.start_review is None:
            return
        state = self.services.queries.case_file(self.case_id)
        if CaseStatus(state.case.status) in (CaseStatus.ACCEPTED, CaseStatus.TEAM_FILED):
            return
        self.checklist = self._new_checklist(state)
        index = list(StepKey).index(StepKey.ON_SITE)
        old = self.start_review
        self.start_review = None
        self.pages.insertWidget(index, self.checklist)
        self.pages.removeWidget(old)
        old.deleteLater()
        self.step_pages[StepKey.ON_SITE] = self.checklist
        self.pages.setCurrentIndex(self.steps.currentRow())

    def event(self, event: QEvent) -> bool:
        # Who is signed in may have changed in the main window meanwhile.
        activated = event.type() == QEvent.Type.WindowActivate
        if activated and self.team is not None and self.team.shown_for != self.services.user:
            self.team.refresh()
        if activated and self.start_review is not None:
            self.start_review.update_access()
        if event.type() == QEvent.Type.WindowActivate and self.checklist is not None:
            self.checklist.update_access()
        if event.type() == QEvent.Type.WindowActivate and self.sampling is not None:
            self.sampling.update_access()
        if event.type() == QEvent.Type.WindowActivate:
            self.documents.update_actions()  # the 签发… button at the foot of 签字 too
        if activated and self.shown_for != self.services.user:
            # The pages that record in the signed-in reviewer's name say who that is now.
            self.shown_for = self.services.user
            for key in (StepKey.FEEDBACK, StepKey.OBJECTION, StepKey.SIGN_OFF):
                page = self.step_pages.get(key)
                if isinstance(page, (FeedbackStep, OpinionStep, SignaturesStep)):
                    page.refresh()
        return super().event(event)
