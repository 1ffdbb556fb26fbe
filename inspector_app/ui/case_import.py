"""Importing a case file from the desktop app: the background job, and what a refusal says.

The job reads the file, checks it (`casefile.reader.parse_case_file`) and replays it through
the rules (`casefile.replay.import_case`) in one transaction on the worker's own connection;
it never touches a widget. The case-file modules (and jsonschema) are imported by the job, not
when the app starts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from inspector_app.core.errors import RuleViolation
from inspector_app.core.model import Actor
from inspector_app.labels import IMPORT_REFUSED, IMPORT_UNEXPECTED, IMPORT_UNREADABLE
from inspector_app.store.casework import Clock
from inspector_app.store.errors import WorkspaceError
from inspector_app.ui.i18n import tr_label
from inspector_app.ui.tasks import Cancelled, JobContext


@dataclass(frozen=True)
class ImportedCase:
    """What an import made: the new case's id and application number."""

    case_id: str
    application_no: str


def import_job(path: Path, importer: Actor, clock: Clock) -> Callable[[JobContext], ImportedCase]:
    """Return the job that imports the case file at `path`, as done by `importer`.

    The job raises what the reader or the rules refuse (`CaseFileError`), a storage problem
    (`WorkspaceError`) or the `OSError` of reading the file; nothing is written then.
    """

    def job(context: JobContext) -> ImportedCase:
        from inspector_app.casefile.reader import parse_case_file, read_case_file
        from inspector_app.casefile.replay import import_case

        raw = read_case_file(path)
        context.check()
        parsed = parse_case_file(raw)
        context.check()
        case_id = import_case(context.workspace, parsed, importer=importer, clock=clock)
        return ImportedCase(case_id, parsed.state.case.application_no)

    return job


def is_refusal(error: Exception) -> bool:
    """Return whether an import's error is one a person meets (the file refused, the disk
    unreadable, the import cancelled) rather than a bug."""
    from inspector_app.casefile.reader import CaseFileError

    return isinstance(error, CaseFileError | RuleViolation | WorkspaceError | OSError | Cancelled)


def refusal_message(path: Path, error: Exception) -> str:
    """Return one line saying that `path` was not imported and why, in the domain's words.

    A refusal by the reader or the rules names the JSON path and the rule; the file that
    cannot be read names the reason; anything else is a bug, named by its kind (the import's
    transaction was rolled back all the same).
    """
    if isinstance(error, OSError):
        reason = tr_label(IMPORT_UNREADABLE).format(reason=error.strerror or error)
    elif is_refusal(error):
        reason = str(error)
    else:
        reason = tr_label(IMPORT_UNEXPECTED).format(kind=type(error).__name__, message=error)
    one_line = " ".join(reason.split())
    return tr_label(IMPORT_REFUSED).format(name=path.name, message=one_line)
