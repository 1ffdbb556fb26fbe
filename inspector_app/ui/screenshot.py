"""`inspector --screenshot FILE [--case ID] [--step STEP]`: render a window into a PNG and exit.

The window is built as the app builds it (same services, same translator), at 1366×768 logical
pixels, on Qt's offscreen platform unless another one was asked for (`QT_QPA_PLATFORM`), so
nothing appears on the screen. `QT_SCALE_FACTOR` scales it (1.5 gives a 2049×1152 PNG). The
workspace is opened read-only: a screenshot never creates or changes one.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from inspector_app.core.case_steps import StepKey

WIDTH, HEIGHT = 1366, 768
"""The logical size of the window shot (a common laptop screen)."""

STEP_NAMES = {
    "enterprise": StepKey.INTAKE,
    "team": StepKey.TEAM,
    "feedback": StepKey.FEEDBACK,
    "checklist": StepKey.ON_SITE,
    "sampling": StepKey.SAMPLING,
    "opinion": StepKey.OBJECTION,
    "signatures": StepKey.SIGN_OFF,
}
"""The steps as `--step` names them, in the order of the review."""

USAGE_EXIT = 2
"""The exit code of a wrong case, step or output file (as for a usage error)."""


class ScreenshotError(Exception):
    """A case, step or file the screenshot cannot use; the message says which and why."""


def step_key(name: str) -> StepKey:
    """Return the step that `--step` names (a name of STEP_NAMES or a StepKey value).

    Raises:
        ScreenshotError: no such step.
    """
    if name in STEP_NAMES:
        return STEP_NAMES[name]
    try:
        return StepKey(name)
    except ValueError:
        known = "、".join(STEP_NAMES)
        raise ScreenshotError(f"没有名为 {name!r} 的步骤（可用：{known}）。") from None


def take_screenshot(
    workspace: Path,
    out: Path,
    *,
    user: str | None,
    lang: str | None,
    case: str | None,
    step: str | None,
) -> int:
    """Render the main window, or one case's window at one step, into the PNG `out`.

    Returns the exit code: 0 written; 1 the workspace cannot be opened; 2 an unknown case or
    step, or a file that cannot be written (one line on stderr, no file written).
    """
    if step is not None and case is None:
        print("错误：--step 需要同时用 --case 指定案件。", file=sys.stderr)
        return USAGE_EXIT
    try:
        key = step_key(step) if step is not None else StepKey.ON_SITE
    except ScreenshotError as error:
        print(f"错误：{error}", file=sys.stderr)
        return USAGE_EXIT
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # never a window on the screen

    from inspector_app.store.errors import WorkspaceError
    from inspector_app.store.files import write_bytes_atomically
    from inspector_app.ui.i18n import install_translator
    from inspector_app.ui.preferences import UserPreferences
    from inspector_app.ui.qt import QApplication, QBuffer, QByteArray, QIODevice, QWidget
    from inspector_app.ui.window_services import open_for_window

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    install_translator(app, lang, preference=UserPreferences.for_user().language)
    services = open_for_window(workspace, user, write=False)
    if services is None:
        return 1
    with services:
        window: QWidget
        if case is None:
            from inspector_app.ui.main_window import MainWindow
            from inspector_app.ui.tasks import ImmediateRunner

            window = MainWindow(services, lambda: ImmediateRunner(services.workspace))
        else:
            from inspector_app.ui.case_window import CaseWindow

            try:
                case_id = services.queries.case_id(case)
            except WorkspaceError as error:
                print(f"错误：{error}", file=sys.stderr)
                return USAGE_EXIT
            case_window = CaseWindow(services, case_id)
            case_window.show_step(key)
            window = case_window
        window.resize(WIDTH, HEIGHT)
        window.show()
        app.processEvents()
        pixmap = window.grab()
        window.close()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not pixmap.save(buffer, "PNG"):
            print(f"错误：无法生成 {out} 的图像。没有写出任何文件。", file=sys.stderr)
            return USAGE_EXIT
        buffer.close()
        try:
            write_bytes_atomically(out, bytes(data.data()))
        except OSError as error:
            print(
                f"错误：无法写入 {out}：{error.strerror or error}。没有写出任何文件。",
                file=sys.stderr,
            )
            return USAGE_EXIT
    print(f"已保存截图 {out}（{pixmap.width()}×{pixmap.height()}）", file=sys.stderr)
    return 0
