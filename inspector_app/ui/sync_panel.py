"""The sync panel of the main window's status bar: whether the office is reachable, how many
changes wait, when the last sync was, a sync button with progress and cancel, and a sync that
starts by itself when the office becomes reachable.

Every network call runs on the background runner, never on the UI thread. The device token is
opened with the enrolled reviewer's key-encryption key (ARCHITECTURE.md, "Secrets"): a sync
first tries the key the session or the OS keyring remembers, in the background; only when none
is remembered does the panel ask the passphrase (on the UI thread) and sync again with it. The
key it derives is remembered for the session (memory) and by the OS keyring when it has a
backend, so scrypt runs once, not at every sync; a wrong passphrase is refused and nothing kept.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from inspector_app.app import Services
from inspector_app.labels import (
    CLAUSE_JOIN,
    CONFLICTS_COUNT,
    CONFLICTS_COUNT_TIP,
    SYNC_ATTACHMENTS_DOWN,
    SYNC_ATTACHMENTS_SHORT,
    SYNC_BUTTON,
    SYNC_CANCEL,
    SYNC_DONE,
    SYNC_FAILED,
    SYNC_HELD,
    SYNC_LAST,
    SYNC_NEVER,
    SYNC_NOT_ENROLLED,
    SYNC_OFFLINE,
    SYNC_ONLINE,
    SYNC_PASSPHRASE_PROMPT,
    SYNC_PASSPHRASE_TITLE,
    SYNC_PENDING,
    SYNC_REGISTRY_HELD,
    SYNC_RUNNING,
    SYNC_WAITING_SHORT,
)
from inspector_app.store.errors import WorkspaceError
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.page_parts import action_button, zero_timer
from inspector_app.ui.qt import (
    QHBoxLayout,
    QHideEvent,
    QInputDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QShowEvent,
    Qt,
    QTimer,
    QWidget,
    Signal,
)
from inspector_app.ui.tasks import JobContext, Runner, TaskHandle

if TYPE_CHECKING:
    from inspector_app.store.secrets import KeyCache

TIME_FORMAT = "%Y-%m-%d %H:%M"

COUNTS_DELAY_MS = 250
"""How long after an edit `refresh_soon` reads the queue again (the edits of a burst of keys
share one read, away from the keys' own work)."""

PROBE_INTERVAL_MS = 30_000
"""How often the panel checks whether the office can be reached."""

FIRST_PROBE_MS = 1500
"""When, after start, the panel first checks (the window is shown by then)."""

AskPassphrase = Callable[[QWidget], str | None]


def ask_passphrase(parent: QWidget) -> str | None:
    """Ask the sync passphrase in a password field; None when the user cancels."""
    text, ok = QInputDialog.getText(
        parent,
        tr_label(SYNC_PASSPHRASE_TITLE),
        tr_label(SYNC_PASSPHRASE_PROMPT),
        QLineEdit.EchoMode.Password,
    )
    return text if ok and text else None


class SyncPanel(QWidget):
    """The office's reachability, the queue, the last sync and the sync button.

    Args:
        services: The composition root's services.
        runner: Returns the background runner (made on first use by the main window).
        ask: Asks the passphrase (a test passes its own).
        keys: The session's keys (default: memory, then the OS keyring; a test passes its own).
        probe_interval_ms: How often reachability is checked (0: never by itself).
        first_probe_ms: When the first check is made after start (0: not by itself).
    """

    synced = Signal(object)
    """Emitted with the `SyncReport` of each sync that finished (the case list refreshes)."""

    conflicts_requested = Signal()
    """Emitted when the person asks to see the sync conflicts (the conflicts button)."""

    def __init__(
        self,
        services: Services,
        runner: Callable[[], Runner],
        *,
        ask: AskPassphrase = ask_passphrase,
        keys: KeyCache | None = None,
        probe_interval_ms: int = PROBE_INTERVAL_MS,
        first_probe_ms: int = FIRST_PROBE_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("syncPanel")
        self.services = services
        self._runner = runner
        self._ask = ask
        self._keys = keys
        self._sync: TaskHandle | None = None
        self._by_itself = False
        self._probing = False
        self.online: bool | None = None

        self.indicator = QLabel()
        self.indicator.setObjectName("syncIndicator")
        self.pending = QLabel()
        self.pending.setObjectName("syncPending")
        self.last = QLabel()
        self.last.setObjectName("syncLast")
        self.message = QLabel()
        self.message.setObjectName("syncMessage")
        self.progress = QProgressBar()
        self.progress.setObjectName("syncProgress")
        self.progress.setRange(0, 0)  # busy: a sync reports no fraction
        self.progress.setMaximumWidth(120)
        self.progress.setVisible(False)
        self.button = action_button(SYNC_BUTTON, "syncButton", self.start_sync)
        self.cancel_button = QPushButton(tr_label(SYNC_CANCEL))
        self.cancel_button.setObjectName("syncCancel")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.conflicts_button = QPushButton()  # shown only while conflicts wait
        self.conflicts_button.setObjectName("syncConflicts")
        self.conflicts_button.setFlat(True)
        self.conflicts_button.setStyleSheet("color: #b00020; text-decoration: underline;")
        self.conflicts_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.conflicts_button.setToolTip(tr_label(CONFLICTS_COUNT_TIP))
        self.conflicts_button.setVisible(False)
        self.conflicts_button.clicked.connect(self.conflicts_requested)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.indicator,
            self.pending,
            self.conflicts_button,
            self.last,
            self.message,
            self.progress,
            self.cancel_button,
            self.button,
        ):
            layout.addWidget(widget)

        self._refresh_timer = zero_timer(self, self.refresh, COUNTS_DELAY_MS)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.probe)
        self.probe_interval_ms = probe_interval_ms
        self.first_probe = QTimer(self)  # a child: it dies with the panel
        self.first_probe.setSingleShot(True)
        self.first_probe.timeout.connect(self.probe)
        if first_probe_ms > 0:
            self.first_probe.start(first_probe_ms)
        self.refresh()

    # Showing ---------------------------------------------------------------------------------

    def refresh_soon(self) -> None:
        """Refresh a moment later (`COUNTS_DELAY_MS`): the edit is shown first, and the edits
        made meanwhile share the one read of the queue."""
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def refresh(self) -> None:
        """Read the queue and the last sync again (after any change in the workspace)."""
        self._refresh_timer.stop()
        try:
            state = self.services.queries.sync_state()
            conflicts = self.services.queries.conflict_count()
        except WorkspaceError as error:
            self.message.setText(str(error))
            return
        if not state.enrolled:
            self.indicator.setText(tr_label(SYNC_NOT_ENROLLED))
        elif self.online is None:
            self.indicator.setText("")
        else:
            self.indicator.setText(tr_label(SYNC_ONLINE if self.online else SYNC_OFFLINE))
        self.indicator.setStyleSheet(
            "color: #006e32;" if state.enrolled and self.online else "color: #777;"
        )
        pending = tr_label(SYNC_PENDING).format(count=state.pending)
        if state.held:
            pending += tr_label(SYNC_HELD).format(count=state.held)
        if state.registry_held and state.enrolled:  # before enrollment: added by hand
            pending += tr_label(SYNC_REGISTRY_HELD).format(count=state.registry_held)
        self.pending.setText(pending)
        when = self._local(state.last_sync_at) if state.last_sync_at else None
        self.last.setText(tr_label(SYNC_LAST).format(when=when) if when else tr_label(SYNC_NEVER))
        self.button.setEnabled(state.enrolled and self._sync is None)
        self.conflicts_button.setText(tr_label(CONFLICTS_COUNT).format(count=conflicts))
        self.conflicts_button.setVisible(conflicts > 0)

    def take_over(self, other: SyncPanel) -> None:
        """Carry on from the panel of the window this one replaces (a language switch): the
        keys of this run (the passphrase is not asked again) and whether the office was
        reachable."""
        self._keys = other._keys
        self.online = other.online
        self.refresh()

    @property
    def keys(self) -> KeyCache:
        """The session's keys: memory, then the OS keyring (made at the first sync, so that
        cryptography is not imported at every start of the app)."""
        if self._keys is None:
            from inspector_app.store.secrets import OsKeyring, SessionKeys

            self._keys = SessionKeys(OsKeyring())
        return self._keys

    @property
    def running(self) -> bool:
        """True while a sync is queued or running."""
        return self._sync is not None

    # Syncing ---------------------------------------------------------------------------------

    def start_sync(self, *, passphrase: str | None = None, by_itself: bool = False) -> bool:
        """Start a sync in the background; return whether one was started.

        The sync opens the device token with the key the session or the OS keyring remembers;
        when none is, it stops before sending anything, and the panel asks the passphrase and
        starts again with it (a sync that started by itself does not ask).
        """
        if self._sync is not None or not self.services.queries.sync_state().enrolled:
            return False
        keys, clock = self.keys, self.services.clock

        def job(context: JobContext) -> object:
            from sync.client.session import passphrase_needed, sync_workspace

            context.check()
            ask = passphrase_needed if passphrase is None else (lambda: passphrase)
            return sync_workspace(context.workspace.db, ask=ask, cache=keys, now=clock())

        self._by_itself = by_itself
        self.message.setText(tr_label(SYNC_RUNNING))
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.button.setEnabled(False)
        handle = self._runner().submit(job, self._sync_done)
        if not handle.done:  # a runner may have delivered the outcome already
            self._sync = handle
        return True

    def showEvent(self, event: QShowEvent) -> None:
        """Check the office every so often while the panel is shown."""
        if self.probe_interval_ms > 0:
            self.timer.start(self.probe_interval_ms)
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        """Stop checking the office while the panel is not shown (its window was closed)."""
        self.timer.stop()
        self.first_probe.stop()
        super().hideEvent(event)

    def cancel(self) -> None:
        """Cancel the sync if it has not started; a running one ends after its current call
        (what the office acknowledged is kept either way)."""
        if self._sync is not None:
            self._sync.cancel()

    def _sync_done(self, report: object, error: Exception | None) -> None:
        self._sync = None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        from sync.client.session import PassphraseNeeded

        if isinstance(error, PassphraseNeeded):
            self.message.setText("")
            self.refresh()
            if not self._by_itself:  # asked only when the person pressed the button
                passphrase = self._ask(self)
                if passphrase is not None:
                    self.start_sync(passphrase=passphrase)
            return
        if error is not None:
            self.message.setText(tr_label(SYNC_FAILED).format(reason=str(error)))
        else:
            self.online = True
            done = tr_label(SYNC_DONE).format(
                pushed=getattr(report, "pushed", 0),
                pulled=getattr(report, "pulled", 0),
                conflicts=len(getattr(report, "conflicts", [])),
            )
            down = getattr(report, "attachments_down", 0)
            not_yet = getattr(report, "attachments_not_yet", 0)
            refused = len(getattr(report, "attachments_refused", []))
            tip = ""
            if down or not_yet or refused:  # attachments down (issue 9)
                done += tr_label(CLAUSE_JOIN) + tr_label(SYNC_ATTACHMENTS_SHORT).format(down=down)
                tip = tr_label(SYNC_ATTACHMENTS_DOWN).format(
                    down=down, not_yet=not_yet, refused=refused
                )
            waiting = list(getattr(report, "waiting", []))
            if waiting:  # pulled records that break a rule of their case, or lack it: kept
                done += tr_label(CLAUSE_JOIN) + tr_label(SYNC_WAITING_SHORT).format(
                    count=len(waiting)
                )
                tip = "\n".join([tip, *waiting] if tip else waiting)
            self.message.setText(" ".join([done, *getattr(report, "notes", [])]))
            self.message.setToolTip(tip)
            self.synced.emit(report)
        self.refresh()

    # Reachability ----------------------------------------------------------------------------

    def probe(self) -> None:
        """Check in the background whether the office can be reached; when it just became
        reachable, sync by itself (only if the reviewer's key is remembered: it never asks)."""
        if self._probing or not self.isVisible():  # a closed window's panel stays quiet
            return
        state = self.services.queries.sync_state()
        if not state.enrolled or state.server_url is None:
            return
        url = state.server_url

        def job(_context: JobContext) -> bool:
            from sync.client.session import reachable

            return reachable(url)

        self._probing = True
        self._runner().submit(job, self._probed)

    def _probed(self, result: object, error: Exception | None) -> None:
        self._probing = False
        was = self.online
        self.online = bool(result) and error is None
        self.refresh()
        if self.online and was is not True:
            self.start_sync(by_itself=True)

    def _local(self, iso: str) -> str:
        """Show a stored ISO time on the regulation's calendar, to the minute."""
        try:
            at = datetime.fromisoformat(iso)
        except ValueError:
            return iso
        return self.services.settings.calendar.local(at).strftime(TIME_FORMAT)
