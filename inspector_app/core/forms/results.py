"""The results a checklist item may get (符合 / 基本符合 / 不符合 / 不适用).

On their own, so that the display labels (`inspector_app.labels`), which the app reads before
its first paint, name them without building the form model's classes; `model` re-exports them.
Pure Python: no Qt, no SQLite, no file access, no clock reads.
"""

from __future__ import annotations

RESULT_CONFORM = "符合"
RESULT_MINOR = "基本符合"
RESULT_NONCONFORM = "不符合"
RESULT_NA = "不适用"
DEFAULT_RESULTS = (RESULT_CONFORM, RESULT_MINOR, RESULT_NONCONFORM, RESULT_NA)
