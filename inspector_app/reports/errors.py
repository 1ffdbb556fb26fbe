"""Why a document cannot be built: one clear message, and nothing written."""

from __future__ import annotations

from inspector_app.core.errors import Problem, RuleViolation


class ReportError(RuleViolation):
    """A document cannot be built (no Chinese font, a character no font has, a missing photo,
    nothing recorded to print). The command prints it as one line and writes no file."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(Problem(rule, message))
