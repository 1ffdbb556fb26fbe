"""The crash tests' reading of what a killed writer printed."""

from __future__ import annotations

from tests.e2e.killing import acknowledged


def test_acknowledged_takes_whole_ack_lines_only() -> None:
    printed = "ACK 1.1 v1\nnoise\nACK 1.2\nACK 1.3 v3 extra\nACK 2.1 v4\nACK 2.2 v5"
    # the last line was cut by the kill (no newline): not an acknowledgement
    assert acknowledged(printed) == [("1.1", "v1"), ("2.1", "v4")]
    assert acknowledged("") == []
