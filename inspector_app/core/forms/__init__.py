"""Checklist forms (实施细则核查表) as data, and the verdict (核查结论) they lead to.

One module a job:

- `model`: the form as a value (`ChecklistForm`, `FormSection`, `FormItem`, `CountRule`), the
  results (`RESULT_CONFORM` …) and what they require, and `FormProblem` / `FormError`.
- `verdicts`: `verdict` and `Verdict`, and `result_requirement_problems` for one result.
- `reader`: `form_problems` / `form_from_dict`, the dict (a JSON file's content) to a form,
  reporting every problem with its place.
- `writer`: `form_to_dict`, the canonical dict of a form.

Code imports from those modules; this package re-exports only the names most code needs: the
form, its results and errors, reading and writing it, and the verdict.
Pure Python: no Qt, no SQLite, no file access, no clock reads.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inspector_app.core.forms.model import (
        RESULT_CONFORM,
        RESULT_MINOR,
        RESULT_NONCONFORM,
        ChecklistForm,
        FormError,
    )
    from inspector_app.core.forms.reader import form_from_dict
    from inspector_app.core.forms.verdicts import Verdict, verdict
    from inspector_app.core.forms.writer import form_to_dict

_MODULE_OF = {
    "RESULT_CONFORM": "model",
    "RESULT_MINOR": "model",
    "RESULT_NONCONFORM": "model",
    "ChecklistForm": "model",
    "FormError": "model",
    "form_from_dict": "reader",
    "Verdict": "verdicts",
    "verdict": "verdicts",
    "form_to_dict": "writer",
}
"""Where each re-exported name lives: imported when first used (PEP 562), so that importing
one module of the package (`labels` needs the results of `model`) imports only that one."""


def __getattr__(name: str) -> object:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "RESULT_CONFORM",
    "RESULT_MINOR",
    "RESULT_NONCONFORM",
    "ChecklistForm",
    "FormError",
    "Verdict",
    "form_from_dict",
    "form_to_dict",
    "verdict",
]
