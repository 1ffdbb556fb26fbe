"""Errors the domain raises when a rule of the regulation is broken."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One broken rule: a stable rule id (English) and a message for the person (Chinese)."""

    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.message}（规则 {self.rule}）"


class RuleViolation(Exception):
    """Raised when an action breaks one or more rules; nothing has been written."""

    def __init__(self, problems: Problem | list[Problem]) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    @property
    def rule(self) -> str:
        """The id of the first broken rule."""
        return self.problems[0].rule


def refuse_if(problems: list[Problem]) -> None:
    """Raise RuleViolation when the list of problems is not empty."""
    if problems:
        raise RuleViolation(problems)
