"""The case file (`inspector-case/2`): a whole case as one JSON document, to carry by USB."""

FORMAT = "inspector-case/2"
