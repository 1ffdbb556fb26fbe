"""The one safe JSON loader (inspector_app.safejson), directly and through both of its callers."""

from __future__ import annotations

import json
import sys

import pytest

from inspector_app.casefile.reader import CaseFileError, decode_json
from inspector_app.core.forms.model import FormError
from inspector_app.formio.jsonfile import parse_form_json
from inspector_app.safejson import JsonRefused, load_json, nesting_depth

LIMITS = {"max_bytes": 1024 * 1024, "max_depth": 8}


def refused(raw: bytes, **limits: int) -> JsonRefused:
    with pytest.raises(JsonRefused) as caught:
        load_json(raw, **{**LIMITS, **limits})
    assert caught.value.message == str(caught.value)
    assert not any("a" <= ch <= "z" for ch in caught.value.message[:2])  # starts in Chinese
    return caught.value


def test_good_json_and_a_byte_order_mark_are_read() -> None:
    raw = json.dumps({"名称": "水泥", "n": [1, 2.5, None, True]}, ensure_ascii=False).encode()
    assert load_json(raw, **LIMITS) == {"名称": "水泥", "n": [1, 2.5, None, True]}
    assert load_json(b"\xef\xbb\xbf[1]", **LIMITS) == [1]
    assert load_json(b'"\\ud83d\\ude00"', **LIMITS) == "😀"  # a surrogate pair is fine


def test_oversize_is_refused_before_decoding() -> None:
    error = refused(b" " * 2049 + b"[]", max_bytes=2048)
    assert error.rule == "json.too_large" and "上限 2 KB" in error.message


def test_not_utf8_names_the_byte() -> None:
    error = refused('{"a": "水泥"}'.encode("gbk"))
    assert error.rule == "json.not_utf8"
    # GBK's 水 happens to decode as UTF-8; 泥 (bytes 10-11) does not
    assert "第 10 个字节" in error.message and "UTF-8" in error.message


@pytest.mark.parametrize(
    ("raw", "where", "said"),
    [
        (b'{\n  "a": 1,\n  "b": }', "第 3 行第 8 列", "此处应有一个值"),
        (b'{"a" 1}', "第 1 行第 6 列", "缺少冒号"),
        (b"[1] [2]", "第 1 行第 5 列", "多余的字符"),
        (b'["open', "第 1 行第 2 列", "没有结束的引号"),
    ],
)
def test_malformed_json_names_line_and_column(raw: bytes, where: str, said: str) -> None:
    error = refused(raw)
    assert error.rule == "json.syntax"
    assert where in error.message and said in error.message and "JSON 格式错误" in error.message


@pytest.mark.parametrize("raw", [b"", b"  \n", b"\xef\xbb\xbf"])
def test_empty_file_says_it_is_empty(raw: bytes) -> None:
    error = refused(raw)
    assert error.rule == "json.syntax" and "文件是空的" in error.message


@pytest.mark.parametrize("raw", [b"NaN", b'{"v": Infinity}', b"[-Infinity]", b"1e999", b"[-1e400]"])
def test_nan_and_infinity_are_refused(raw: bytes) -> None:
    assert refused(raw).rule == "json.not_a_number"


def test_duplicate_keys_are_refused_and_named() -> None:
    error = refused(b'{"veto": true, "b": 1, "veto": false, "b": 2}')
    assert error.rule == "json.duplicate_key"
    assert "「b」" in error.message and "「veto」" in error.message
    assert load_json(b'[{"a": 1}, {"a": 2}]', **LIMITS) == [{"a": 1}, {"a": 2}]


def test_huge_integers_are_refused() -> None:
    assert refused(b"9" * 5000).rule == "json.huge_integer"
    assert refused(b"[-" + b"1" * 65 + b"]").rule == "json.huge_integer"
    assert load_json(b"-" + b"9" * 64, **LIMITS) == -int("9" * 64)


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 9 + b"]" * 9,
        b"[" * 200_000 + b"]" * 200_000,
        b"[" * 1_000_000,  # unclosed as well
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    ],
)
def test_deep_nesting_is_refused_without_recursion(raw: bytes) -> None:
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)  # the check must not recurse at all
    try:
        error = refused(raw, max_bytes=10 * 1024 * 1024)
    finally:
        sys.setrecursionlimit(limit)
    assert error.rule == "json.too_deep" and "最多 8 层" in error.message


def test_depth_at_the_limit_and_brackets_inside_strings_are_fine() -> None:
    assert load_json(b"[" * 8 + b"]" * 8, **LIMITS) == [[[[[[[[]]]]]]]]
    tricky = json.dumps({"s": "[[[[[[[[[[{{{{{{{{", "t": '\\"[[[[[[[[[[[['}).encode()
    assert load_json(tricky, max_bytes=1024, max_depth=1)["s"].startswith("[[[")
    assert nesting_depth('{"a": ["]]]", {"b": "[[["}]}') == 3
    assert nesting_depth("1") == 0


def test_lone_surrogate_is_refused() -> None:
    assert refused(b'["ok", {"k": "\\ud800"}]').rule == "json.lone_surrogate"
    assert refused(b'{"\\udc00": 1}').rule == "json.lone_surrogate"
    assert load_json(b'"\\\\ud800"', **LIMITS) == "\\ud800"  # an escaped backslash, not a half


@pytest.mark.parametrize(
    ("raw", "case_words", "form_rule"),
    [
        (b'{"format": NaN}', ("NaN",), "form.not_json"),
        (b'{"a": 1, "a": 1}', ("重复的键",), "form.not_json"),
        (b"[" * 50 + b"]" * 50, ("嵌套",), "form.too_deep"),
        (b'{"a": ' + b"7" * 100 + b"}", ("位的整数",), "form.not_json"),
        (b"{", ("JSON 格式错误", "行"), "form.not_json"),
        ("{}".encode("utf-16"), ("UTF-8",), "form.not_utf8"),
    ],
)
def test_both_callers_refuse_the_same_input_in_their_own_shape(
    raw: bytes, case_words: tuple[str, ...], form_rule: str
) -> None:
    with pytest.raises(CaseFileError) as case_error:
        decode_json(raw)
    assert case_error.value.path == ""
    assert case_error.value.rule.startswith("json.")
    for word in case_words:
        assert word in str(case_error.value)
    with pytest.raises(FormError) as form_error:
        parse_form_json(raw, "f.json")
    (problem,) = form_error.value.problems
    assert problem.rule == form_rule


def test_a_case_file_with_nan_is_now_refused() -> None:
    with pytest.raises(CaseFileError) as caught:
        decode_json(b'{"format": "inspector-case/1", "x": [1.5, NaN]}')
    assert "NaN" in str(caught.value) and caught.value.rule == "json.not_a_number"
