"""Reading and writing form files (JSON), defensively: a form file may be broken or hostile."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspector_app.core.forms.model import ChecklistForm, FormError, FormProblem
from inspector_app.core.forms.reader import form_problems
from inspector_app.core.forms.writer import form_to_dict
from inspector_app.formio.paths import form_schema
from inspector_app.inputfile import refuse_non_files
from inspector_app.safejson import JsonRefused, load_json

if TYPE_CHECKING:  # jsonschema costs ~50 ms to import; only validation needs it
    import jsonschema

MAX_FILE_BYTES = 5 * 1024 * 1024
"""A real form is tens of kilobytes; 5 MB leaves room for thousands of items."""

MAX_DEPTH = 16
"""A form nests six levels deep (form, sections, section, items, item, requires); more is wrong."""


def _problem(rule: str, message: str) -> FormProblem:
    return FormProblem(rule, message)


_FORM_RULES = {
    "json.too_large": "form.file_too_large",
    "json.not_utf8": "form.not_utf8",
    "json.too_deep": "form.too_deep",
}
"""Rules of the safe loader that forms name on their own; every other one is form.not_json."""


def parse_form_json(raw: bytes, source: str = "") -> Any:
    """Decode and parse the bytes of a form file, refusing what is not a sane JSON document.

    Raises:
        FormError: Too large, not UTF-8, not JSON (with line and column), NaN or Infinity,
            duplicate keys, a huge integer, or nested too deeply (see `inspector_app.safejson`).
    """
    try:
        return load_json(raw, max_bytes=MAX_FILE_BYTES, max_depth=MAX_DEPTH)
    except JsonRefused as error:
        message = error.message
        if error.rule == "json.too_large":
            message += "核查表文件通常只有几十 KB。"
        rule = _FORM_RULES.get(error.rule, "form.not_json")
        raise FormError([_problem(rule, message)], source) from None


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """Replace local "#/$defs/..." references by their target (the schema has no cycles)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline_refs(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline_refs(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node


@lru_cache(maxsize=1)
def _schema_validator() -> jsonschema.protocols.Validator:
    import jsonschema

    schema = json.loads(form_schema().read_text(encoding="utf-8"))
    # Resolving $ref per item is a third of jsonschema's time on a large form.
    schema = _inline_refs(schema, schema.get("$defs", {}))
    validator_class = jsonschema.validators.validator_for(schema)
    validator: jsonschema.protocols.Validator = validator_class(schema)
    return validator


def schema_problems(data: Any) -> list[FormProblem]:
    """Return where `data` breaks the published JSON Schema (forms/schema/...).

    The checks of `form_from_dict` are stricter than the schema; this keeps the two honest: a
    file the app accepts must also pass the schema that editors and other tools use.
    """
    problems = []
    for error in _schema_validator().iter_errors(data):
        path = "/".join(str(p) for p in error.absolute_path) or "（根）"
        problems.append(
            FormProblem("form.schema", f"不符合 JSON Schema（位置 {path}）：{error.message}")
        )
    return problems


def form_from_json_bytes(
    raw: bytes, source: str = "", *, check_schema: bool = False
) -> ChecklistForm:
    """Read a form from the bytes of a JSON file.

    Args:
        raw: The file's bytes.
        source: The file's name, for the messages.
        check_schema: Also check the published JSON Schema. `form_from_dict` checks strictly
            more than the schema, so the app's own loading skips it (jsonschema takes ~50 ms
            on a 500-item form); `inspector forms validate` and the tests run it, to keep the
            schema and the app in agreement.

    Raises:
        FormError: Every problem found, each with its place; `source` names the file.
    """
    data = parse_form_json(raw, source)
    form, problems = form_problems(data)
    if form is None:
        raise FormError(problems, source)
    if check_schema:
        problems = schema_problems(data)
        if problems:
            raise FormError(problems, source)
    return form


def load_form_file(path: Path | Traversable, *, check_schema: bool = False) -> ChecklistForm:
    """Read a form from a JSON file (see `form_from_json_bytes` for `check_schema`).

    Args:
        path: The file: a path, or a Traversable such as a shipped form (package data).
        check_schema: Also check the published JSON Schema.

    Raises:
        FormError: The file cannot be read or is not a valid form; each problem has its place.
    """
    source = str(path)
    try:
        if isinstance(path, Path):
            refuse_non_files(path)
        with path.open("rb") as handle:
            # Read one byte past the cap, so a huge file is refused without loading all of it.
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise FormError(
            [_problem("form.file_unreadable", f"无法读取文件：{error.strerror or error}。")],
            source,
        ) from None
    return form_from_json_bytes(raw, source, check_schema=check_schema)


def form_to_json(form: ChecklistForm) -> str:
    """Return the form as pretty JSON text (UTF-8, Chinese kept readable), ending in a newline."""
    return json.dumps(form_to_dict(form), ensure_ascii=False, indent=2) + "\n"


def canonical_json(form: ChecklistForm) -> str:
    """Return the canonical compact JSON of a form: what the workspace stores and hashes."""
    return json.dumps(form_to_dict(form), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def save_form_file(form: ChecklistForm, path: Path) -> None:
    """Write a form as a JSON file."""
    path.write_text(form_to_json(form), encoding="utf-8")
