"""One safe JSON loader for files a person hands the app (case files, form files).

Pure: bytes in, value out; no Qt, no SQLite, no files. A file may be broken or hostile, so the
loader refuses, with one `JsonRefused` carrying a Chinese message and a stable rule id:

- `json.too_large`: more bytes than the caller allows;
- `json.not_utf8`: not UTF-8 (a UTF-8 byte order mark is allowed);
- `json.syntax`: not JSON, with the line and column;
- `json.not_a_number`: NaN, Infinity, -Infinity, or a number too large for a float (1e999);
- `json.huge_integer`: an integer with more digits than any real field needs;
- `json.duplicate_key`: the same key twice in one object (plain `json.loads` keeps the last one
  silently: two "veto" keys in one item could hide a veto);
- `json.too_deep`: nested deeper than the caller allows (checked before parsing, iteratively, so
  no input can exhaust the recursion limit);
- `json.lone_surrogate`: a string with half of a UTF-16 pair (`"\\ud800"`), which cannot be
  stored as UTF-8 later.
"""

from __future__ import annotations

import json
import math
import re
from itertools import accumulate
from typing import Any

MAX_INTEGER_DIGITS = 64
"""Versions, counts and limits have a few digits; 64 is far beyond any of them."""

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")

# json's own messages, in the reader's language; anything else is shown as json says it.
_SYNTAX_MESSAGES = (
    ("Expecting value", "此处应有一个值"),
    ("Expecting property name enclosed in double quotes", "此处应为带双引号的字段名"),
    ("Expecting ',' delimiter", "缺少逗号"),
    ("Expecting ':' delimiter", "缺少冒号"),
    ("Unterminated string starting at", "字符串没有结束的引号"),
    ("Invalid control character at", "字符串中有不允许的控制字符"),
    ("Invalid \\escape", "无效的转义序列"),
    ("Invalid \\uXXXX escape", "无效的 \\u 转义序列"),
    ("Extra data", "JSON 内容之后还有多余的字符"),
)


class JsonRefused(Exception):
    """JSON input the loader refuses; `rule` is stable, `message` is for the person."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


def _size(n: int) -> str:
    """Return a byte count for people: KB below a megabyte, else MB (one decimal when needed)."""
    if n < 1024 * 1024:
        return f"{max(1, n // 1024)} KB"
    return f"{n / (1024 * 1024):.3g} MB"


def _refuse_constant(name: str) -> Any:
    raise JsonRefused(
        "json.not_a_number",
        f"JSON 中有不允许的数值 {name}（JSON 不支持 NaN 和 Infinity）；请改为一个有限的数字。",
    )


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonRefused(
            "json.not_a_number", f"JSON 中的数值 {text[:40]} 过大，超出了数字的范围；请检查该数值。"
        )
    return value


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise JsonRefused(
            "json.huge_integer",
            f"JSON 中有一个 {len(text.lstrip('-'))} 位的整数（最多 {MAX_INTEGER_DIGITS} 位），"
            "不是有效的数值；请检查该数值。",
        )
    return int(text)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        dupes: set[str] = set()
        for key, _ in pairs:
            (dupes if key in seen else seen).add(key)
        names = "、".join(f"「{k}」" for k in sorted(dupes))
        raise JsonRefused(
            "json.duplicate_key",
            f"JSON 对象中有重复的键 {names}：同一对象中每个字段只能出现一次；请删去多余的一个。",
        )
    return result


def nesting_depth(text: str) -> int:
    """Return how deeply arrays and objects nest in `text`, without parsing it (iterative).

    Strings are skipped, so brackets inside them do not count; in malformed text an unclosed
    string's brackets do count, which can only make the figure larger.
    """
    return _bracket_depth(_STRING.sub("", text))


def _bracket_depth(text: str) -> int:
    brackets = _NOT_BRACKET.sub("", text)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def _depth_exceeds(text: str, limit: int) -> int | None:
    """Return the nesting depth of `text` when it exceeds `limit`, else None.

    Counting brackets inside strings too gives an upper bound at a fraction of the cost of
    skipping strings (a case file is mostly long base64 strings); only a bound over the limit
    needs the exact count.
    """
    if _bracket_depth(text) <= limit:
        return None
    depth = nesting_depth(text)
    return depth if depth > limit else None


def _has_lone_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _syntax_message(error: json.JSONDecodeError) -> str:
    if not error.doc.strip():
        return "JSON 格式错误：文件是空的。"
    said = next((zh for en, zh in _SYNTAX_MESSAGES if error.msg.startswith(en)), error.msg)
    return f"JSON 格式错误：第 {error.lineno} 行第 {error.colno} 列，{said}。"


def load_json(raw: bytes, *, max_bytes: int, max_depth: int) -> Any:
    """Return the JSON value of a file's bytes, refusing what is not a sane JSON document.

    Args:
        raw: The file's bytes (a UTF-8 byte order mark is allowed).
        max_bytes: Refuse more bytes than this.
        max_depth: Refuse arrays and objects nested deeper than this (a bare value is depth 0,
            `[1]` is depth 1). Keep it well under the interpreter's recursion limit.

    Raises:
        JsonRefused: With the rule and a message that says what is wrong and what to do.
    """
    if len(raw) > max_bytes:
        raise JsonRefused(
            "json.too_large",
            f"文件过大（{_size(len(raw))}，上限 {_size(max_bytes)}）；请确认选对了文件。",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise JsonRefused(
            "json.not_utf8",
            f"文件不是 UTF-8 编码（第 {error.start + 1} 个字节无法解码）；"
            "请在编辑器中以 UTF-8 编码另存后重试（GBK 编码的文件不能直接使用）。",
        ) from None
    depth = _depth_exceeds(text, max_depth)
    if depth is not None:
        raise JsonRefused(
            "json.too_deep",
            f"JSON 嵌套过深（{depth} 层，最多 {max_depth} 层）；"
            "这不是一个正常的文件，请确认选对了文件。",
        )
    try:
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicate_keys,
            parse_constant=_refuse_constant,
            parse_float=_parse_float,
            parse_int=_parse_int,
        )
    except json.JSONDecodeError as error:
        raise JsonRefused("json.syntax", _syntax_message(error)) from None
    except RecursionError:  # cannot happen below the limit checked above; kept as a guard
        raise JsonRefused("json.too_deep", f"JSON 嵌套过深（最多 {max_depth} 层）。") from None
    except ValueError as error:  # int() refusing a number, should the hooks let one through
        raise JsonRefused("json.huge_integer", f"JSON 中的数值无效：{error}。") from None
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(value):
        raise JsonRefused(
            "json.lone_surrogate",
            "JSON 字符串中有不成对的 \\uD800–\\uDFFF 转义（半个字符），无法保存；"
            "请检查生成该文件的程序。",
        )
    return value
