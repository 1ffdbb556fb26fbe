"""The unified social credit code (统一社会信用代码, GB 32100-2015) and its check character."""

from __future__ import annotations

from inspector_app.core.errors import Problem

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    """Return the 18th (check) character for the first 17 characters of a code."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def credit_code_problems(code: str) -> list[Problem]:
    """A credit code has 18 characters from the standard's alphabet and a valid check."""
    if len(code) != 18 or any(c not in ALPHABET for c in code):
        return [
            Problem(
                "credit_code",
                f"统一社会信用代码“{code}”格式不对：应为18位数字或大写字母（不含 I、O、Z、S、V）。",
            )
        ]
    if check_character(code[:17]) != code[17]:
        return [Problem("credit_code", f"统一社会信用代码“{code}”校验位不对，请核对。")]
    return []
