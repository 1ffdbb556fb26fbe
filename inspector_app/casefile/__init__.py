"""The case file (`inspector-case/1`): a whole case as one JSON document, to carry by USB."""

FORMAT = "inspector-case/1"
